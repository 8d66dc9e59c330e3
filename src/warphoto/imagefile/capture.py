"""Times and places from decoded EXIF and IIM, as ISO 8601 strings and signed degrees.

An EXIF date-time is local time; ``OffsetTime*`` (EXIF 2.31) gives its offset. With an offset,
:func:`exif_datetime` returns ``2022-09-21T14:05:10.25+03:00``; without one, a local date-time
with no offset, ``2022-09-21T14:05:10.25``: never an invented ``Z``. Sub-seconds are kept as
written. An empty or all-zero EXIF date (``0000:00:00 00:00:00``, blanks) is None.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from warphoto.imagefile.exif import ExifValue

__all__ = ["GpsPosition", "capture_time", "exif_datetime", "gps_datetime", "gps_position", "iim_datetime"]

_TAGS = {
    "original": ("DateTimeOriginal", "SubSecTimeOriginal", "OffsetTimeOriginal"),
    "create": ("CreateDate", "SubSecTimeDigitized", "OffsetTimeDigitized"),
    "modify": ("ModifyDate", "SubSecTime", "OffsetTime"),
}
_DATETIME = re.compile(r"^\s*(\d{4})[:-](\d\d)[:-](\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?\s*$")
_OFFSET = re.compile(r"^\s*(?:([+-])(\d\d):?(\d\d)|(Z))\s*$")


def _text(exif: Mapping[str, ExifValue], name: str) -> str | None:
    value = exif.get(name)
    return value if isinstance(value, str) else None


def _offset(text: str | None) -> str:
    if not text:
        return ""
    match = _OFFSET.match(text)
    if match is None:
        return ""
    if match.group(4):
        return "Z"
    sign, hours, minutes = match.group(1), match.group(2), match.group(3)
    if int(hours) > 23 or int(minutes) > 59:
        return ""
    return f"{sign}{hours}:{minutes}"


def exif_datetime(
    exif: Mapping[str, ExifValue], which: Literal["original", "create", "modify"] = "original"
) -> str | None:
    """An EXIF date-time with its sub-seconds and offset, as ISO 8601 (None when absent or blank)."""
    main, subsec_tag, offset_tag = _TAGS[which]
    text = _text(exif, main)
    if text is None:
        return None
    match = _DATETIME.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction = match.groups()
    if year == "0000" or month == "00" or day == "00":
        return None
    out = f"{year}-{month}-{day}T{hour}:{minute}:{second}"
    subsec = (_text(exif, subsec_tag) or "").strip()
    if fraction:
        out += "." + fraction
    elif subsec.isdigit():
        out += "." + subsec
    return out + _offset(_text(exif, offset_tag))


def capture_time(exif: Mapping[str, ExifValue]) -> str | None:
    """When the picture was taken: DateTimeOriginal with SubSecTimeOriginal and OffsetTimeOriginal."""
    return exif_datetime(exif, "original")


@dataclass(frozen=True)
class GpsPosition:
    """Signed decimal degrees (south and west negative) and metres (below sea level negative)."""

    latitude: float
    longitude: float
    altitude: float | None = None


def _number(value: ExifValue) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def gps_position(exif: Mapping[str, ExifValue]) -> GpsPosition | None:
    """The GPS position, signed by its reference tags (None without latitude and longitude)."""
    latitude = _number(exif.get("GPSLatitude"))
    longitude = _number(exif.get("GPSLongitude"))
    if latitude is None or longitude is None:
        return None
    if (_text(exif, "GPSLatitudeRef") or "N").strip().upper().startswith("S"):
        latitude = -latitude
    if (_text(exif, "GPSLongitudeRef") or "E").strip().upper().startswith("W"):
        longitude = -longitude
    altitude = _number(exif.get("GPSAltitude"))
    if altitude is not None and exif.get("GPSAltitudeRef") == 1:
        altitude = -altitude
    return GpsPosition(latitude, longitude, altitude)


def gps_datetime(exif: Mapping[str, ExifValue]) -> str | None:
    """GPSDateStamp and GPSTimeStamp as a UTC date-time (``...Z``), or None without both."""
    date = _text(exif, "GPSDateStamp")
    clock = _text(exif, "GPSTimeStamp")
    if not date or not clock:
        return None
    match = re.match(r"^\s*(\d{4})[:-](\d\d)[:-](\d\d)", date)
    if match is None or not re.match(r"^\d\d:\d\d:\d\d(\.\d+)?$", clock):
        return None
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}T{clock}Z"


def iim_datetime(date: str | None, time: str | None = None) -> str | None:
    """IIM DateCreated (``CCYYMMDD``, ``00`` for an unknown month or day) and TimeCreated
    (``HHMMSS±HHMM``) as ISO 8601 at the precision given: ``2004``, ``2004-02``, ``2004-02-26``,
    ``2004-02-26T14:30:00+01:00``."""
    if not date:
        return None
    digits = date.strip().replace(":", "").replace("-", "")
    if not re.fullmatch(r"\d{8}", digits) or digits[:4] == "0000":
        return None
    year, month, day = digits[:4], digits[4:6], digits[6:8]
    if month == "00":
        return year
    if day == "00":
        return f"{year}-{month}"
    out = f"{year}-{month}-{day}"
    if time:
        match = re.fullmatch(r"(\d\d):?(\d\d):?(\d\d)(?:([+-])(\d\d):?(\d\d))?", time.strip())
        if match:
            hour, minute, second, sign, oh, om = match.groups()
            out += f"T{hour}:{minute}:{second}"
            if sign:
                out += f"{sign}{oh}:{om}"
    return out
