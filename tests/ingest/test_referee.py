"""The referee: on every reference image, what ``exiftool -use MWG -j -n`` says for Description,
Creator, Copyright, Keywords, City, State, Country, DateTimeOriginal, GPS, Make, Model and the
image size is what ``warphoto.ingest`` puts in the record; after an embed, ExifTool's MWG reading
gives the embedded caption, creator and copyright.

ExifTool's dates are turned into ISO 8601; two dates agree when they name the same moment to the
second (the record keeps a local time without its fraction: EDTF has none)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import warphoto

from ..conftest import need
from ..exiftool import ExifTool
from .test_exiftool_agreement import IMAGES, IPTC_REFERENCE, UNSUPPORTED, image_files

pytestmark = pytest.mark.slow

TAGS = (
    "Description", "Creator", "Copyright", "Keywords", "City", "State", "Country", "DateTimeOriginal",
    "GPSLatitude", "GPSLongitude", "Make", "Model", "ImageWidth", "ImageHeight",
)  # fmt: skip


#: the group each tag is asked from: the MWG composites (a bare ``-Creator`` falls back to
#: XMP-pdf:Creator when the MWG one is absent), EXIF's Make and Model (a bare ``-Make`` prefers a
#: Canon CIFF block, which ingest does not read: ExifTool.jpg carries one beside its EXIF)
_GROUPS = {
    **{t: "MWG" for t in ("Description", "Creator", "Copyright", "Keywords", "City", "State", "Country")},
    "DateTimeOriginal": "MWG", "GPSLatitude": "Composite", "GPSLongitude": "Composite",
    "Make": "EXIF", "Model": "EXIF",
}  # fmt: skip


def exiftool_says(tool: ExifTool, path: Path) -> dict[str, Any]:
    asked = [f"-{_GROUPS[t]}:{t}" if t in _GROUPS else f"-{t}" for t in TAGS]
    out = tool.run("-use", "MWG", "-j", "-n", "-charset", "UTF8", *asked, str(path))
    tags: dict[str, Any] = json.loads(out)[0]
    tags.pop("SourceFile", None)
    return tags


def _texts(value: Any) -> list[str]:
    """The texts of a language map (or of a node's name), in order."""
    if isinstance(value, dict):
        if "name" in value:
            return _texts(value["name"])
        out: list[str] = []
        for text in value.values():
            out.extend(text if isinstance(text, list) else [text])
        return [str(t) for t in out]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return [str(value)] if value is not None else []


def _place_names(record: dict[str, Any], kind: str) -> list[str]:
    """Names of the places of type ``kind`` (City, State, Country) in contentLocation's chains."""
    names: list[str] = []

    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if kind in types:
            names.extend(_texts(node.get("name")))
        walk(node.get("containedInPlace"))

    for place in record.get("contentLocation", []):
        walk(place)
    return names


_LEGACY = {"City": "legacyCity", "State": "legacyProvinceState", "Country": "legacyCountry"}


def record_says(record: dict[str, Any]) -> dict[str, Any]:
    """The record's values for the TAGS, as ExifTool would print them."""
    exif = {p["propertyID"]: p["value"] for p in record.get("exifData", [])}
    media = record["associatedMedia"][0]
    out: dict[str, Any] = {
        "Description": _texts(record.get("caption")),
        "Creator": _texts(record.get("creator")),
        "Copyright": _texts(record.get("copyrightNotice")),
        "Keywords": _texts(record.get("keywords")),
        "DateTimeOriginal": record.get("dateCreated", {}).get("@value"),
        "GPSLatitude": exif.get("GPSLatitude"),
        "GPSLongitude": exif.get("GPSLongitude"),
        "Make": exif.get("Make"),
        "Model": exif.get("Model"),
        "ImageWidth": media.get("width"),
        "ImageHeight": media.get("height"),
    }
    for tag, key in _LEGACY.items():
        out[tag] = _place_names(record, tag) or ([record[key]] if key in record else [])
    return out


def _moment(text: str) -> str:
    text = re.sub(r"^(\d{4}):(\d\d):(\d\d)(?: (?=\d))?", lambda m: f"{m[1]}-{m[2]}-{m[3]}T", text).rstrip("T")
    return re.sub(r"(\.\d+)?([+-]\d\d:\d\d|Z)?$", "", text)


def agrees(tag: str, theirs: Any, ours: Any) -> bool:
    if tag == "DateTimeOriginal":
        return ours is not None and _moment(str(ours)) == _moment(str(theirs))
    if tag.startswith("GPS"):
        return isinstance(ours, (int, float)) and abs(float(ours) - float(theirs)) < 1e-6
    if isinstance(ours, list):
        expected = theirs if isinstance(theirs, list) else [theirs]
        return [str(v).rstrip(" ") for v in expected] == [v.rstrip(" ") for v in ours]
    if isinstance(theirs, str):
        return isinstance(ours, str) and ours.rstrip(" ") == theirs.rstrip(" ")
    return bool(ours == theirs)


def referee(tool: ExifTool, paths: list[Path]) -> tuple[int, int, list[str]]:
    """(values compared, values that agree, the disagreements) over ``paths``."""
    compared, agreed, problems = 0, 0, []
    for path in paths:
        theirs = exiftool_says(tool, path)
        ours = record_says(warphoto.ingest(path))
        for tag in TAGS:
            if tag not in theirs or theirs[tag] in ("", []):
                if ours.get(tag) not in (None, [], ""):
                    problems.append(f"{path.name} {tag}: exiftool nothing, ingest {ours[tag]!r}")
                continue
            compared += 1
            if agrees(tag, theirs[tag], ours.get(tag)):
                agreed += 1
            else:
                problems.append(f"{path.name} {tag}: exiftool {theirs[tag]!r}, ingest {ours.get(tag)!r}")
    return compared, agreed, problems


def test_every_reference_image_gives_the_record_exiftool_reads(exiftool: ExifTool) -> None:
    need(IMAGES.is_dir() and IPTC_REFERENCE.is_file(), f"the reference images in {IMAGES.parent}")
    paths = [p for p in image_files() if p.name not in UNSUPPORTED]
    compared, agreed, problems = referee(exiftool, paths)
    print(f"referee: {len(paths)} images, {agreed} of {compared} values agree")
    assert compared > 250
    assert not problems, "\n".join(problems)


def test_every_reference_record_is_valid() -> None:
    need(IMAGES.is_dir(), f"the reference images in {IMAGES.parent}")
    for path in image_files():
        if path.name not in UNSUPPORTED:
            warphoto.validate(warphoto.ingest(path), source=str(path))
