"""Images built at test time and written by ExifTool (IIM only, Latin-1 and UTF-8 IIM, big-endian
TIFF, PNG, WebP, HEIC and PSD with EXIF and XMP, conflicting EXIF/IIM/XMP): ingest reads what
ExifTool wrote, field by field (the comparison of test_exiftool_agreement), plus the values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from warphoto.imagefile import capture_time, gps_position, read_metadata

from ..conftest import need
from ..exiftool import ExifTool
from .images import tiny_jpeg, tiny_png, tiny_tiff
from .test_exiftool_agreement import IMAGES, compare, exiftool_tags

pytestmark = pytest.mark.slow

CAMERA = [
    "-EXIF:Make=Canon", "-EXIF:Model=Canon EOS R5", "-EXIF:Artist=Olena Kovalenko",
    "-EXIF:Copyright=© 2022 Olena Kovalenko", "-EXIF:ImageDescription=Izium, Ізюм, 21 September",
    "-EXIF:DateTimeOriginal=2022:09:21 14:05:10", "-EXIF:SubSecTimeOriginal=25",
    "-EXIF:OffsetTimeOriginal=+03:00", "-EXIF:CreateDate=2022:09:21 14:05:10",
    "-EXIF:ModifyDate=2022:09:22 08:00:00",
    "-EXIF:LensModel=RF24-105mm F4 L IS USM", "-EXIF:SerialNumber=012345678901",
    "-EXIF:LensSerialNumber=9876",
    "-EXIF:ExposureTime=1/250", "-EXIF:FNumber=5.6", "-EXIF:ISO=400", "-EXIF:FocalLength=35",
    "-EXIF:Orientation#=6", "-EXIF:ExifImageWidth=8192", "-EXIF:ExifImageHeight=5464",
    "-EXIF:GPSLatitude=49.2096", "-EXIF:GPSLatitudeRef=N", "-EXIF:GPSLongitude=37.2551",
    "-EXIF:GPSLongitudeRef=E",
    "-EXIF:GPSAltitude=95.5", "-EXIF:GPSAltitudeRef#=0", "-EXIF:GPSTimeStamp=11:05:10.25",
    "-EXIF:GPSDateStamp=2022:09:21", "-EXIF:XPTitle=Ізюм, the square", "-EXIF:XPKeywords=war;Izium",
]  # fmt: skip
IIM = [
    "-IPTC:ObjectName=Izium", "-IPTC:Caption-Abstract=Ruins of the central square",
    "-IPTC:By-line=Olena Kovalenko", "-IPTC:By-lineTitle=Staff photographer", "-IPTC:Credit=Example Agency",
    "-IPTC:Source=Example Agency", "-IPTC:City=Izium", "-IPTC:Sub-location=Central square",
    "-IPTC:Province-State=Kharkiv Oblast", "-IPTC:Country-PrimaryLocationCode=UKR",
    "-IPTC:Country-PrimaryLocationName=Ukraine", "-IPTC:Headline=Izium after the retreat",
    "-IPTC:CopyrightNotice=© 2022 Example Agency", "-IPTC:SpecialInstructions=Contains images of the dead",
    "-IPTC:DateCreated=2022:09:21", "-IPTC:TimeCreated=14:05:10+03:00", "-IPTC:Writer-Editor=D. Editor",
    "-IPTC:OriginalTransmissionReference=JOB-2022-0921",
    "-IPTC:ObjectAttributeReference=IPTC:000000001:Current",
    "-IPTC:SubjectReference=IPTC:16000000", "-IPTC:Category=WAR", "-IPTC:SupplementalCategories=Ukraine",
    "-IPTC:Keywords=war", "-IPTC:Keywords=Izium", "-IPTC:Keywords=Kharkiv",
]  # fmt: skip
XMP = ["-XMP-dc:Description=Caption in XMP", "-XMP-dc:Creator=XMP Creator", "-XMP-photoshop:City=Izyum"]


def write(tool: ExifTool, path: Path, *args: str) -> Path:
    out = tool.run("-overwrite_original", "-charset", "UTF8", *args, str(path))
    assert "1 image files updated" in out, out
    return path


def agree(tool: ExifTool, path: Path) -> int:
    count, problems, _ = compare(path, exiftool_tags(tool, path))
    assert not problems, "\n".join(problems)
    return count


def test_iim_only_jpeg(tmp_path: Path, exiftool: ExifTool) -> None:
    path = tmp_path / "iim-only.jpg"
    path.write_bytes(tiny_jpeg(exif=False))
    write(exiftool, path, "-IPTC:CodedCharacterSet=UTF8", *IIM)
    assert agree(exiftool, path) >= len(IIM) - 2
    meta = read_metadata(path)
    assert meta.exif == {} and meta.xmp is None
    values = meta.iim_values
    assert values["Keywords"] == ("war", "Izium", "Kharkiv")
    assert values["By-line"] == ("Olena Kovalenko",)
    assert values["CopyrightNotice"] == ("© 2022 Example Agency",)
    assert meta.warnings == ()


def test_latin1_iim_is_read_with_a_warning(tmp_path: Path, exiftool: ExifTool) -> None:
    path = tmp_path / "latin1.jpg"
    path.write_bytes(tiny_jpeg(exif=False))
    write(
        exiftool, path, "-charset", "iptc=Latin", "-IPTC:Caption-Abstract=Café in Kraków", "-IPTC:City=Kraków"
    )
    agree(exiftool, path)
    meta = read_metadata(path)
    assert meta.iim_values["Caption-Abstract"] == ("Café in Kraków",)
    assert any("Windows-1252" in w for w in meta.warnings), meta.warnings


def test_utf8_iim_with_coded_character_set(tmp_path: Path, exiftool: ExifTool) -> None:
    path = tmp_path / "utf8.jpg"
    path.write_bytes(tiny_jpeg(exif=False))
    write(
        exiftool,
        path,
        "-IPTC:CodedCharacterSet=UTF8",
        "-IPTC:City=Ізюм",
        "-IPTC:Keywords=Ізюм",
        "-IPTC:Keywords=Izium",
    )
    agree(exiftool, path)
    meta = read_metadata(path)
    assert meta.iim_values["City"] == ("Ізюм",)
    assert meta.iim_values["CodedCharacterSet"] == ("\x1b%G",)
    assert meta.warnings == ()


def test_utf8_iim_without_coded_character_set_is_not_mojibake(tmp_path: Path, exiftool: ExifTool) -> None:
    """ExifTool reads such text as Latin-1 (mojibake); ingest reads valid UTF-8 as UTF-8 and says so."""
    path = tmp_path / "utf8-undeclared.jpg"
    path.write_bytes(tiny_jpeg(exif=False))
    write(exiftool, path, "-charset", "iptc=UTF8", "-IPTC:City=Ізюм")
    meta = read_metadata(path)
    assert meta.iim_values["City"] == ("Ізюм",)
    assert any("no CodedCharacterSet, read as UTF-8" in w for w in meta.warnings), meta.warnings


@pytest.mark.parametrize("order", [">", "<"], ids=["big-endian", "little-endian"])
def test_tiff_in_both_byte_orders(tmp_path: Path, exiftool: ExifTool, order: str) -> None:
    path = tmp_path / "photo.tif"
    path.write_bytes(tiny_tiff(order))
    write(exiftool, path, *CAMERA, "-IPTC:CodedCharacterSet=UTF8", *IIM, *XMP)
    assert agree(exiftool, path) > 50
    meta = read_metadata(path)
    assert meta.media_type == "image/tiff" and (meta.width, meta.height) == (2, 2)
    assert meta.exif_big_endian is (order == ">")
    assert capture_time(meta.exif) == "2022-09-21T14:05:10.25+03:00"
    assert meta.exif["ExposureTime"] == 0.004 and meta.exif["FNumber"] == 5.6 and meta.exif["ISO"] == 400
    assert meta.exif["ImageDescription"] == "Izium, Ізюм, 21 September"
    position = gps_position(meta.exif)
    assert position is not None and round(position.latitude, 4) == 49.2096 and position.altitude == 95.5
    assert meta.xmp is not None and b"Caption in XMP" in meta.xmp


def test_jpeg_with_everything_and_conflicting_values(tmp_path: Path, exiftool: ExifTool) -> None:
    """EXIF, IIM and XMP say different things: each is read as it is (reconciliation comes later)."""
    path = tmp_path / "conflict.jpg"
    path.write_bytes(tiny_jpeg())
    write(exiftool, path, *CAMERA, "-IPTC:CodedCharacterSet=UTF8", *IIM, *XMP)
    assert agree(exiftool, path) > 50
    meta = read_metadata(path)
    assert meta.exif["Artist"] == "Olena Kovalenko"
    assert meta.iim_values["Caption-Abstract"] == ("Ruins of the central square",)
    assert meta.xmp is not None and b"XMP Creator" in meta.xmp
    assert meta.iim_values["City"] == ("Izium",) and b"Izyum" in meta.xmp
    # the digest written with the IIM (as Photoshop does) matches it
    write(exiftool, path, "-Photoshop:IPTCDigest=new")
    meta = read_metadata(path)
    assert meta.iim_digest_matches is True and meta.iim_digest == meta.iim_md5
    # a tool that changes the IIM without updating the digest leaves a stale digest
    write(
        exiftool,
        path,
        "-IPTC:Caption-Abstract=Changed by an old tool",
        f"-Photoshop:IPTCDigest={meta.iim_digest}",
    )
    stale = read_metadata(path)
    assert stale.iim_values["Caption-Abstract"] == ("Changed by an old tool",)
    assert stale.iim_digest_matches is False
    tags = exiftool_tags(exiftool, path)
    assert (stale.iim_md5, stale.iim_digest) == (tags["File:CurrentIPTCDigest"], tags["Photoshop:IPTCDigest"])


def test_png_with_exif_and_xmp(tmp_path: Path, exiftool: ExifTool) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(tiny_png(width=3, height=2))
    write(exiftool, path, *CAMERA, *XMP)
    assert agree(exiftool, path) > 20
    meta = read_metadata(path)
    assert (meta.width, meta.height) == (3, 2)
    assert meta.xmp is not None and b"Caption in XMP" in meta.xmp
    assert meta.exif["Make"] == "Canon"


@pytest.mark.parametrize("name", ["RIFF.webp", "QuickTime.heic", "Photoshop.psd", "ExifTool.tif"])
def test_other_containers_written_by_exiftool(tmp_path: Path, exiftool: ExifTool, name: str) -> None:
    """A copy (in tmp_path) of the reference image, with EXIF, IIM (where it fits) and XMP added."""
    original = IMAGES / name
    need(original.is_file(), f"the reference image {original}")
    path = tmp_path / name
    shutil.copyfile(original, path)
    iim = ["-IPTC:CodedCharacterSet=UTF8", *IIM] if name.endswith((".psd", ".tif")) else []
    write(exiftool, path, *CAMERA, *iim, *XMP)
    assert agree(exiftool, path) > 20
    meta = read_metadata(path)
    assert meta.exif["Model"] == "Canon EOS R5"
    assert meta.xmp is not None and b"Caption in XMP" in meta.xmp
    assert capture_time(meta.exif) == "2022-09-21T14:05:10.25+03:00"
