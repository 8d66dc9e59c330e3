"""ExifTool is the referee: for every image of ExifTool's test set in ``../shared/reference/images``
and the IPTC reference image, what ``exiftool -j -n -G1`` reports for the EXIF fields ingest
decodes, every IPTC-IIM dataset, the pixel size and the IIM digests equals what ingest reads.

Documented exceptions (each is asserted, so a change in either tool shows up):

* JPEG XL (``JXL.jxl``, ``JXL2.jxl``): not supported, a ReadError says so.
* IIM outside a Photoshop resource (ExifTool's group ``IPTC2``: the FotoStation and AFCP trailers
  after the JPEG's end, in ``AFCP.jpg`` and ``FotoStation.jpg``): not read.
* EXIF text: ingest drops trailing spaces (padding) from every text tag; ExifTool drops them from
  Make, Model, Software and Copyright only, so its value is compared with trailing spaces removed.
* A rational with a zero denominator (0/0, ``InfiRay.jpg``'s GPS) is absent in ingest; ExifTool
  shows ``''``, ``undef`` or, for GPSTimeStamp, ``00:00:00``.
* IIM dates and times are returned as stored (``20040226``, ``143000+0100``); ExifTool formats
  them (``2004:02:26``, ``14:30:00+01:00``), so its value is turned back before comparing.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from warphoto.errors import ReadError
from warphoto.imagefile import capture_time, gps_position, read_metadata
from warphoto.imagefile.capture import exif_datetime
from warphoto.imagefile.exif_tags import EXIF_TAGS, GPS_TAGS, IFD0_TAGS

from ..conftest import REFERENCE, need
from ..exiftool import ExifTool

pytestmark = pytest.mark.slow

IMAGES = REFERENCE / "images" / "exiftool-test-images"
IPTC_REFERENCE = REFERENCE / "iptc-photometadata" / "reference-image" / "IPTC-PhotometadataRef-Std2023.2.jpg"
UNSUPPORTED = {"JXL.jxl", "JXL2.jxl"}
TRAILER_IIM = {"AFCP.jpg", "FotoStation.jpg"}
GROUPS = {"IFD0": set(IFD0_TAGS.values()), "ExifIFD": set(EXIF_TAGS.values()), "GPS": set(GPS_TAGS.values())}
#: the fields issue 14 names; at least these must be compared (and agree) somewhere in the set
REQUIRED = {
    "DateTimeOriginal", "CreateDate", "ModifyDate", "Artist", "Copyright", "ImageDescription", "Make",
    "Model", "LensModel", "SerialNumber", "GPSLatitude", "GPSLongitude", "GPSAltitude", "GPSTimeStamp",
    "GPSDateStamp", "Orientation", "ExifImageWidth", "ExifImageHeight", "ExposureTime", "FNumber", "ISO",
    "FocalLength", "SubSecTimeOriginal", "OffsetTimeOriginal",
}  # fmt: skip
_IIM_DATES = {
    "DateCreated",
    "DigitalCreationDate",
    "ReleaseDate",
    "ExpirationDate",
    "DateSent",
    "ReferenceDate",
}
_IIM_TIMES = {"TimeCreated", "DigitalCreationTime", "ReleaseTime", "ExpirationTime", "TimeSent"}


def image_files() -> list[Path]:
    if not IMAGES.is_dir():
        return []
    return [*sorted(p for p in IMAGES.iterdir() if p.is_file()), IPTC_REFERENCE]


def exiftool_tags(tool: ExifTool, path: Path) -> dict[str, Any]:
    out = tool.run(
        "-j", "-n", "-G1", "-charset", "UTF8", "-all", "-CurrentIPTCDigest", "-Composite:all", str(path)
    )
    result: dict[str, Any] = json.loads(out)[0]
    return result


def same(ours: Any, theirs: Any) -> bool:
    """Equal as ExifTool's JSON writes it: numbers compared as numbers, lists item by item."""
    if isinstance(theirs, list):
        return isinstance(ours, (list, tuple)) and len(ours) == len(theirs) and all(map(same, ours, theirs))
    if isinstance(ours, tuple):
        return " ".join(str(v) for v in ours) == str(theirs)
    if isinstance(theirs, (int, float)) and not isinstance(theirs, bool):
        try:
            number = float(ours)
        except (TypeError, ValueError):
            return False
        return math.isclose(number, float(theirs), rel_tol=1e-9, abs_tol=1e-12)
    return bool(ours == theirs)


def _iim_as_stored(name: str, value: Any) -> Any:
    if name in _IIM_DATES and isinstance(value, str):
        return value.replace(":", "")
    if name in _IIM_TIMES and isinstance(value, str):
        return re.sub(r"[:]", "", value)
    return value


def compare(path: Path, tags: dict[str, Any]) -> tuple[int, list[str], set[str]]:
    """(fields that agree, disagreements, names compared) for one image."""
    meta = read_metadata(path)
    agree, problems, names = 0, [], set()
    for key, theirs in tags.items():
        group, _, name = key.partition(":")
        if group in GROUPS and name in GROUPS[group]:
            ours = meta.exif.get(name)
            if ours is None and theirs in ("", "undef", "00:00:00"):
                continue  # a 0/0 rational (see the module's notes)
            if isinstance(theirs, str) and isinstance(ours, str):
                theirs = theirs.rstrip(" ")
            if same(ours, theirs):
                agree += 1
                names.add(name)
            else:
                problems.append(f"{path.name} {key}: exiftool {theirs!r}, ingest {ours!r}")
        elif group == "IPTC":
            values = meta.iim_values.get(name)
            expected = [_iim_as_stored(name, v) for v in (theirs if isinstance(theirs, list) else [theirs])]
            if values is not None and same(list(values), expected):
                agree += 1
                names.add(name)
            else:
                problems.append(f"{path.name} {key}: exiftool {theirs!r}, ingest {values!r}")
    for name in meta.exif:
        if not any(f"{group}:{name}" in tags for group in GROUPS):
            problems.append(f"{path.name} {name}: ingest reads {meta.exif[name]!r}, exiftool nothing")
    for name in meta.iim_values:
        if f"IPTC:{name}" not in tags:
            problems.append(f"{path.name} IIM {name}: ingest reads it, exiftool does not")
    checks = {
        "image size": (f"{meta.width} {meta.height}", tags.get("Composite:ImageSize")),
        "CurrentIPTCDigest": (meta.iim_md5, tags.get("File:CurrentIPTCDigest")),
        "IPTCDigest": (meta.iim_digest, tags.get("Photoshop:IPTCDigest")),
    }
    subsec = tags.get("Composite:SubSecDateTimeOriginal") or tags.get("ExifIFD:DateTimeOriginal")
    if subsec:
        expected_time = re.sub(r"^(\d{4}):(\d\d):(\d\d) ", r"\1-\2-\3T", str(subsec))
        checks["capture time"] = (capture_time(meta.exif), expected_time)
    position = gps_position(meta.exif)
    if "Composite:GPSLatitude" in tags and position is not None:
        checks["signed latitude"] = (position.latitude, tags["Composite:GPSLatitude"])
        checks["signed longitude"] = (position.longitude, tags["Composite:GPSLongitude"])
    for what, (ours, theirs) in checks.items():
        if theirs is None and what != "image size":
            theirs = None
        if same(ours, theirs) or (ours is None and theirs is None):
            agree += 1
            names.add(what)
        else:
            problems.append(f"{path.name} {what}: exiftool {theirs!r}, ingest {ours!r}")
    return agree, problems, names


def test_every_reference_image_agrees_with_exiftool(exiftool: ExifTool) -> None:
    need(IMAGES.is_dir() and IPTC_REFERENCE.is_file(), f"the reference images in {IMAGES.parent}")
    total, problems, names, files = 0, [], set(), 0
    for path in image_files():
        tags = exiftool_tags(exiftool, path)
        if path.name in UNSUPPORTED:
            with pytest.raises(ReadError, match="image/jxl is not supported"):
                read_metadata(path)
            continue
        if path.name in TRAILER_IIM:
            assert any(key.startswith("IPTC2:") for key in tags), path.name
            tags = {k: v for k, v in tags.items() if not k.startswith("IPTC2:")}
            tags.pop("File:CurrentIPTCDigest", None)
        agree, found, seen = compare(path, tags)
        total += agree
        problems += found
        names |= seen
        files += 1
    print(f"\ningest agrees with exiftool on {total} fields of {files} images; {len(problems)} disagree")
    assert not problems, "\n".join(problems)
    assert files == len(image_files()) - len(UNSUPPORTED)
    assert REQUIRED - {"OffsetTimeOriginal", "SubSecTimeOriginal", "LensModel", "SerialNumber"} <= names, (
        REQUIRED - names
    )
    assert total > 1000


def test_capture_time_keeps_sub_seconds_and_a_missing_offset_missing() -> None:
    exif = {"DateTimeOriginal": "2022:09:21 14:05:10", "SubSecTimeOriginal": "25"}
    assert exif_datetime(exif) == "2022-09-21T14:05:10.25"
    assert capture_time({**exif, "OffsetTimeOriginal": "+03:00"}) == "2022-09-21T14:05:10.25+03:00"
    assert capture_time({"DateTimeOriginal": "0000:00:00 00:00:00"}) is None
    assert capture_time({"DateTimeOriginal": "    :  :     :  :  "}) is None
    assert exif_datetime({"ModifyDate": "2022:09:22 08:00:00", "OffsetTime": "-05:00"}, "modify") == (
        "2022-09-22T08:00:00-05:00"
    )
