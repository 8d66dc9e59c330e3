"""EXIF decoding: the named tags of IFD0, the Exif IFD and the GPS IFD as Python values.

Values follow ExifTool's ``-n`` (numeric) output, so the two can be compared: text is ``str``,
one number is ``int`` or ``float`` (rationals as ``float``), several numbers a ``tuple``; GPS
latitude and longitude are unsigned decimal degrees (the sign is in the ``...Ref`` tag, see
:func:`warphoto.imagefile.capture.gps_position`), GPS time ``"HH:MM:SS[.ss]"``, version tags
(``ExifVersion``) their ASCII digits, Windows' ``XP*`` tags (UTF-16LE) text. A rational with a
zero denominator is ``None``.

**Text.** EXIF says ASCII, and cameras and software write UTF-8 (MWG recommends reading it as
UTF-8). A value that is valid UTF-8 is read as UTF-8; any other is read as Windows-1252 (Latin-1
for the five bytes Windows-1252 leaves undefined) and a warning names the tag: never silent
mojibake. A value ends at its first NUL, and trailing spaces (padding) are dropped, as
ExifTool does. APEX values (ShutterSpeedValue, ApertureValue) are not decoded: ExposureTime and
FNumber say the same plainly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

from warphoto.imagefile._text import cp1252
from warphoto.imagefile.exif_tags import EXIF_TAGS, GPS_TAGS, IFD0_TAGS
from warphoto.imagefile.tiff import ASCII, Ifd, Tiff

__all__ = ["ExifValue", "decode_exif", "decode_text"]

ExifValue = str | int | float | tuple[int | float, ...] | None

#: UNDEFINED tags that hold ASCII digits (versions)
_VERSION_TAGS = frozenset({"ExifVersion", "FlashpixVersion", "InteropVersion"})
#: tags that are degrees, minutes and seconds
_DMS_TAGS = frozenset({"GPSLatitude", "GPSLongitude", "GPSDestLatitude", "GPSDestLongitude"})
_USER_COMMENT_CODES = {
    b"ASCII\x00\x00\x00": "ascii",
    b"UNICODE\x00": "utf-16",
    b"JIS\x00\x00\x00\x00\x00": "shift_jis",
}


def decode_text(raw: bytes, what: str, warnings: list[str]) -> str:
    """EXIF text: up to the first NUL, as UTF-8 when valid, else Windows-1252 with a warning."""
    end = raw.find(b"\x00")
    if end >= 0:
        raw = raw[:end]
    raw = raw.rstrip(b" ")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        warnings.append(f"{what} is not valid UTF-8; read as Windows-1252")
        return cp1252(raw)


def _user_comment(raw: bytes, warnings: list[str]) -> str:
    code, body = raw[:8], raw[8:]
    encoding = _USER_COMMENT_CODES.get(code)
    if encoding == "utf-16":
        # byte order follows the TIFF block; a BOM, when present, decides
        text = body.decode("utf-16", errors="replace")
        if "\ufffd" in text:
            warnings.append("UserComment is not valid UTF-16")
    elif encoding is None and code.strip(b"\x00 ") == b"":
        text = decode_text(body, "UserComment", warnings)
    else:
        text = decode_text(body, "UserComment", warnings)
    return text.rstrip("\x00").rstrip()


def _windows_text(raw: bytes, name: str, warnings: list[str]) -> str:
    """Windows' XP* tags: UTF-16LE, NUL-terminated, whatever the TIFF byte order."""
    if len(raw) % 2:
        raw = raw[:-1]
    text = raw.decode("utf-16-le", errors="replace")
    if "\ufffd" in text:
        warnings.append(f"{name} is not valid UTF-16; damaged characters are shown as U+FFFD")
    return text.split("\x00", 1)[0]


def _numbers(value: tuple[int | float, ...]) -> ExifValue:
    """One number as itself (a rational stays a float), several as a tuple; 0/0 alone is None."""
    if len(value) == 1:
        only = value[0]
        if isinstance(only, float) and not math.isfinite(only):
            return None
        return only
    return tuple(value)


def _dms(value: tuple[int | float, ...]) -> float | None:
    parts = [float(v) for v in value[:3]]
    if not parts or any(math.isnan(p) or math.isinf(p) for p in parts):
        return None
    degrees = parts[0]
    if len(parts) > 1:
        degrees += parts[1] / 60
    if len(parts) > 2:
        degrees += parts[2] / 3600
    return degrees


def _clock(value: tuple[int | float, ...]) -> str | None:
    if len(value) != 3 or any(math.isnan(float(v)) or math.isinf(float(v)) for v in value):
        return None
    hours, minutes, seconds = (float(v) for v in value)
    whole = int(seconds)
    text = f"{int(hours):02d}:{int(minutes):02d}:{whole:02d}"
    fraction = seconds - whole
    if fraction > 0:
        text += f"{fraction:.6f}".rstrip("0")[1:]
    return text


def _decode(ifd: Ifd, tag: int, name: str, warnings: list[str]) -> ExifValue:
    entry = ifd.entries[tag]
    if name.startswith("XP"):
        raw = ifd.raw(tag)
        return None if raw is None else _windows_text(raw, name, warnings)
    value = ifd.value(tag)
    if value is None:
        return None
    if isinstance(value, bytes):
        if entry.type == ASCII:
            return decode_text(value, name, warnings)
        if name == "UserComment":
            return _user_comment(value, warnings)
        if name in _VERSION_TAGS:
            return value.decode("ascii", errors="replace").rstrip("\x00")
        if name == "GPSProcessingMethod":
            return _user_comment(value, warnings)
        return tuple(value)
    if name in _DMS_TAGS:
        return _dms(value)
    if name == "GPSTimeStamp":
        return _clock(value)
    return _numbers(value)


def decode_exif(tiff: Tiff, warnings: list[str]) -> Mapping[str, ExifValue]:
    """The named tags of IFD0, the Exif IFD and the GPS IFD, by ExifTool's tag names."""
    out: dict[str, ExifValue] = {}
    tables: list[tuple[Ifd | None, dict[int, str]]] = [
        (tiff.ifd0, IFD0_TAGS),
        (tiff.exif, EXIF_TAGS),
        (tiff.gps, GPS_TAGS),
    ]
    for ifd, table in tables:
        if ifd is None:
            continue
        for tag, name in table.items():
            if tag in ifd.entries:
                decoded = _decode(ifd, tag, name, warnings)
                if decoded is not None:
                    out.setdefault(name, decoded)
    return MappingProxyType(out)
