"""The MWG reading of EXIF, IIM and XMP equals ``exiftool -use MWG`` on every reference image and
on images whose three forms disagree; the disagreements are reported.

Compared fields: Description, Creator, Copyright, Keywords, City, State, Country, Location,
DateTimeOriginal, CreateDate, ModifyDate, Orientation. ExifTool's dates are turned into ISO 8601
and its trailing EXIF padding dropped (as ingest does, see test_exiftool_agreement)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from warphoto.imagefile import read_metadata
from warphoto.imagefile.mwg import MwgValues, mwg_values, split_mwg_list

from ..conftest import need
from ..exiftool import ExifTool
from .images import tiny_jpeg
from .test_exiftool_agreement import IMAGES, IPTC_REFERENCE, UNSUPPORTED, image_files

pytestmark = pytest.mark.slow

FIELDS = {
    "Description": "description", "Creator": "creator", "Copyright": "copyright", "Keywords": "keywords",
    "City": "city", "State": "state", "Country": "country", "Location": "location",
    "DateTimeOriginal": "date_time_original", "CreateDate": "create_date", "ModifyDate": "modify_date",
    "Orientation": "orientation",
}  # fmt: skip
_LISTS = {"creator", "keywords", "city", "state", "country", "location"}


def exiftool_mwg(tool: ExifTool, path: Path) -> dict[str, Any]:
    out = tool.run("-use", "MWG", "-j", "-n", "-G1", "-charset", "UTF8", "-MWG:all", str(path))
    tags: dict[str, Any] = json.loads(out)[0]
    return {k.partition(":")[2]: v for k, v in tags.items() if k.startswith("MWG:")}


def _expected(field: str, value: Any) -> Any:
    if field in _LISTS:
        return tuple(str(v) for v in (value if isinstance(value, list) else [value]))
    if field.endswith("date") or field == "date_time_original":
        return re.sub(
            r"^(\d{4}):(\d\d):(\d\d)(?: (?=\d))?", lambda m: f"{m[1]}-{m[2]}-{m[3]}T", str(value)
        ).rstrip("T")
    if isinstance(value, str):
        return value.rstrip(" ")
    return value


def compare(path: Path, theirs: dict[str, Any]) -> tuple[int, list[str], MwgValues]:
    ours = mwg_values(read_metadata(path))
    agree, problems = 0, []
    for tag, field in FIELDS.items():
        mine = getattr(ours, field)
        mine = None if mine in ((), None) else mine
        if isinstance(mine, str):
            mine = mine.rstrip(" ")
        expected = _expected(field, theirs[tag]) if tag in theirs else None
        if mine == expected:
            agree += expected is not None
        else:
            problems.append(f"{path.name} MWG:{tag}: exiftool {theirs.get(tag)!r}, ingest {mine!r}")
    return agree, problems, ours


def test_every_reference_image_reads_as_exiftool_use_mwg(exiftool: ExifTool) -> None:
    need(IMAGES.is_dir() and IPTC_REFERENCE.is_file(), f"the reference images in {IMAGES.parent}")
    total, problems = 0, []
    for path in image_files():
        if path.name in UNSUPPORTED:
            continue
        agree, found, _ = compare(path, exiftool_mwg(exiftool, path))
        total += agree
        problems += found
    print(f"\nMWG: ingest agrees with exiftool -use MWG on {total} values; {len(problems)} disagree")
    assert not problems, "\n".join(problems)
    assert total >= 200


def test_the_mwg_test_image_right_values_win_and_wrong_ones_are_reported(exiftool: ExifTool) -> None:
    path = IMAGES / "MWG.jpg"
    need(path.is_file(), f"{path}")
    _, problems, ours = compare(path, exiftool_mwg(exiftool, path))
    assert not problems
    for field in ("description", "creator", "copyright", "keywords", "city", "state", "country", "location"):
        assert "RIGHT" in str(getattr(ours, field)) and "WRONG" not in str(getattr(ours, field)), field
    reported = " ".join(ours.conflicts)
    assert "WRONG-IPTC-Description" in reported and "WRONG-XMP-Copyright" not in reported
    assert dict(ours.sources)["description"] == "EXIF" and dict(ours.sources)["copyright"] == "XMP"


CONFLICT = [
    "-EXIF:ImageDescription=EXIF caption", "-IPTC:Caption-Abstract=IIM caption",
    "-XMP-dc:Description=XMP caption", "-IPTC:By-line=IIM creator", "-XMP-dc:Creator=XMP creator",
    "-IPTC:City=Izium", "-XMP-photoshop:City=Izyum", "-IPTC:Keywords=war", "-XMP-dc:Subject=war",
    "-XMP-dc:Subject=Izium", "-EXIF:DateTimeOriginal=2022:09:21 14:05:10", "-IPTC:DateCreated=2022:09:20",
    "-IPTC:CodedCharacterSet=UTF8",
]  # fmt: skip


@pytest.mark.parametrize("digest", ["matching", "stale", "absent"])
def test_conflicting_forms_follow_the_iim_digest(tmp_path: Path, exiftool: ExifTool, digest: str) -> None:
    path = tmp_path / f"conflict-{digest}.jpg"
    path.write_bytes(tiny_jpeg())
    exiftool.run("-overwrite_original", "-charset", "UTF8", *CONFLICT, str(path))
    exiftool.run("-overwrite_original", "-Photoshop:IPTCDigest=new", str(path))
    if digest == "stale":
        exiftool.run("-overwrite_original", "-IPTC:City=Kharkiv", "-IPTC:By-line=Changed creator", str(path))
    elif digest == "absent":
        exiftool.run("-overwrite_original", "-Photoshop:IPTCDigest=", str(path))
    meta = read_metadata(path)
    assert meta.iim_digest_matches is {"matching": True, "stale": False, "absent": None}[digest]
    _, problems, ours = compare(path, exiftool_mwg(exiftool, path))
    assert not problems, "\n".join(problems)
    assert ours.description == "EXIF caption"  # EXIF first, whatever the digest
    if digest == "stale":
        assert ours.city == ("Kharkiv",) and ours.creator == ("Changed creator",)
    else:
        assert ours.city == ("Izyum",) and ours.creator == ("XMP creator",)
    reported = " ".join(ours.conflicts)
    assert "description" in reported and "city" in reported and "keywords" in reported
    assert "date_time_original" in reported  # 2022-09-21 (EXIF) against 2022-09-20 (IIM)


def test_exif_artist_is_a_list_by_the_mwg_convention() -> None:
    assert split_mwg_list("A; B") == ("A", "B")
    assert split_mwg_list('"Smith; Jones"; "Say ""hi"""') == ("Smith; Jones", 'Say "hi"')
    assert split_mwg_list("") == ()
