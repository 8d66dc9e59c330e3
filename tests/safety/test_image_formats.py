"""Redacted copies of TIFF, PNG and WebP (and orientation in every copy), refereed by ExifTool.

Real images from ``../shared/reference/images/``, and tmp_path copies of them into which ExifTool
writes GPS, serials, an owner, a person shown, a contact and an orientation: ExifTool
(``-a -G1 -n -j``) finds none of the removed values in the copy, reads the XMP we embedded and
the orientation; the compressed image data is byte-identical; the original is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import struct
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REFERENCE, need
from tests.exiftool import ExifTool
from tests.test_cli import run
from warphoto.errors import ReadError, WriteError
from warphoto.formats._jpeg import parse_jpeg
from warphoto.imagefile._binary import View
from warphoto.imagefile.record import ingest
from warphoto.imagefile.tiff import parse_tiff
from warphoto.safety.image import redact_image_file
from warphoto.safety.redact import REDACTION_EVENT

IMAGES = REFERENCE / "images" / "exiftool-test-images"
REAL = ["ExifTool.tif", "GeoTiff.tif", "PNG.png", "RIFF.webp"]
#: what ExifTool writes into the tmp_path copies, and whether the public profile must remove it
SECRETS = {
    "GPSLatitude": "50.4501234",
    "GPSLongitude": "30.5234567",
    "SerialNumber": "SN98765SECRET",
    "LensSerialNumber": "LS4455SECRET",
    "OwnerName": "Oksana Secretowner",
    "XMP-iptcExt:PersonInImage": "Olena Kovalenko",
    "XMP-iptcCore:CreatorWorkEmail": "olena@secret.example.org",
}
#: what must not be in a copy (coordinates to 5 decimals: ExifTool stores them as rationals)
GONE = ["50.45012", "30.52345", *list(SECRETS.values())[2:]]
DESCRIPTION = "A street in Kyiv after the strike"
#: ExifTool groups a copy may hold (besides XMP-*, ICC* and the file's own structure)
ALLOWED_GROUPS = {
    "ExifTool",
    "System",
    "File",
    "Composite",
    "MWG",
    "IFD0",
    "PNG",
    "RIFF",
    "JFIF",
    "APP14",
    "Adobe",
}
#: IFD0 tags of a copy: image structure, the orientation, the XMP
STRUCTURE = {
    "SubfileType", "OldSubfileType", "ImageWidth", "ImageHeight", "BitsPerSample", "Compression",
    "PhotometricInterpretation", "StripOffsets", "SamplesPerPixel", "RowsPerStrip", "StripByteCounts",
    "XResolution", "YResolution", "PlanarConfiguration", "ResolutionUnit", "Predictor", "ColorMap",
    "Orientation", "ApplicationNotes", "FillOrder", "ExtraSamples", "SampleFormat", "YCbCrPositioning",
    "TileWidth", "TileLength", "TileOffsets", "TileByteCounts",
}  # fmt: skip


def _source(name: str) -> Path:
    path = IMAGES / name
    need(path.is_file(), f"the reference image {path}")
    return path


def _read(exiftool: ExifTool, path: Path) -> dict[str, Any]:
    tags: dict[str, Any] = json.loads(exiftool.run("-j", "-a", "-G1", "-n", str(path)))[0]
    return tags


def _validation(exiftool: ExifTool, path: Path) -> str:
    """ExifTool's ``-validate`` of a file: errors, warnings and minor warnings ("0 0 0": none)."""
    found: str = json.loads(exiftool.run("-j", "-G1", "-n", "-validate", str(path)))[0]["ExifTool:Validate"]
    return found


def _image_data(data: bytes) -> list[bytes]:
    """The compressed image data: PNG IDAT/fdAT chunks, WebP VP8/VP8L/ALPH/ANMF chunks, TIFF strips."""
    if data.startswith(b"\x89PNG"):
        out, pos = [], 8
        while pos < len(data):
            (length,) = struct.unpack(">I", data[pos : pos + 4])
            if data[pos + 4 : pos + 8] in (b"IDAT", b"fdAT"):
                out.append(data[pos : pos + 12 + length])
            pos += 12 + length
        return out
    if data.startswith(b"RIFF"):
        out, pos = [], 12
        while pos + 8 <= len(data):
            (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
            if data[pos : pos + 4] in (b"VP8 ", b"VP8L", b"ALPH", b"ANMF"):
                out.append(data[pos : pos + 8 + size])
            pos += 8 + size + (size & 1)
        return out
    if data.startswith(b"\xff\xd8"):
        return [parse_jpeg(data).tail]
    tiff = parse_tiff(View.of(data))
    out = []
    for ifd in tiff.ifds:
        offsets, counts = ifd.value(273) or ifd.value(324), ifd.value(279) or ifd.value(325)
        assert isinstance(offsets, tuple) and isinstance(counts, tuple)
        out += [data[int(o) : int(o) + int(c)] for o, c in zip(offsets, counts, strict=True)]
    return out


def _check_copy(exiftool: ExifTool, source: Path, copy: Path) -> dict[str, Any]:
    """The checks every copy passes; ExifTool's reading of the copy."""
    tags = _read(exiftool, copy)
    groups = {key.partition(":")[0] for key in tags if ":" in key}
    foreign = {g for g in groups - ALLOWED_GROUPS if not re.match(r"XMP-|ICC|IFD\d+$", g)}
    assert foreign == set(), tags
    ifds = {key.partition(":")[2] for key in tags if re.match(r"IFD\d+:", key)}  # pages, thumbnails
    assert ifds <= STRUCTURE, ifds - STRUCTURE
    assert _image_data(copy.read_bytes()) == _image_data(source.read_bytes())
    assert _image_data(copy.read_bytes())
    assert "ExifTool:Warning" not in tags and "ExifTool:Error" not in tags, tags
    assert _validation(exiftool, copy) == "0 0 0"  # no error or warning of ExifTool's validation
    return tags


@pytest.mark.parametrize("name", REAL)
def test_a_copy_of_a_real_image(name: str, tmp_path: Path, exiftool: ExifTool) -> None:
    source = _source(name)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    copy = tmp_path / f"copy{source.suffix}"
    redact_image_file(source, copy, "public")
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    tags = _check_copy(exiftool, source, copy)
    assert tags["XMP-x:XMPToolkit"] == "warphoto"
    text = json.dumps(tags)
    for gone in ("no instructions", "test comment", "ModelTransform", "GeoTiff", "GraphicConverter"):
        assert gone not in text  # IIM instructions, a PNG comment, GeoTIFF tags, Software


@pytest.mark.parametrize("name", REAL)
def test_a_copy_holds_no_secret_exiftool_wrote(name: str, tmp_path: Path, exiftool: ExifTool) -> None:
    source = tmp_path / f"secret{Path(name).suffix}"
    shutil.copyfile(_source(name), source)
    args = [f"-{tag}={value}" for tag, value in SECRETS.items()]
    args += ["-GPSLatitudeRef=N", "-GPSLongitudeRef=E", f"-MWG:Description={DESCRIPTION}"]
    exiftool.run("-overwrite_original", "-n", "-Orientation=6", *args, str(source))
    written = json.dumps(_read(exiftool, source))
    assert all(value in written for value in GONE), written  # the test can fail
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    copy = tmp_path / f"copy{source.suffix}"
    done = run("redact", source, "-o", copy, "--profile", "public")
    assert done.returncode == 0, done.stderr
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    tags = _check_copy(exiftool, source, copy)
    seen, data = json.dumps(tags, ensure_ascii=False), copy.read_bytes()
    assert [v for v in GONE if v in seen or v.encode() in data] == []
    assert tags["XMP-dc:Description"] == DESCRIPTION  # the XMP we embedded, read by ExifTool
    assert tags["IFD0:Orientation"] == 6  # a rotated photograph still shows rotated


def test_a_jpeg_copy_keeps_the_orientation(tmp_path: Path, exiftool: ExifTool) -> None:
    source = tmp_path / "rotated.jpg"
    shutil.copyfile(_source("GPS.jpg"), source)
    exiftool.run("-overwrite_original", "-n", "-Orientation=8", str(source))
    copy = tmp_path / "copy.jpg"
    redact_image_file(source, copy, "public")
    tags = _read(exiftool, copy)
    assert tags["IFD0:Orientation"] == 8
    ifd_tags = {key for key in tags if key.startswith(("IFD0:", "ExifIFD:", "GPS:", "IFD1:"))}
    # the minimal EXIF: the orientation, and the tags EXIF requires in a JPEG's IFD0 (ExifTool's values)
    required = {"XResolution": 72, "YResolution": 72, "ResolutionUnit": 2, "YCbCrPositioning": 1}
    assert ifd_tags == {"IFD0:Orientation", *(f"IFD0:{name}" for name in required)}
    assert all(tags[f"IFD0:{name}"] == value for name, value in required.items())
    assert _validation(exiftool, copy) == "0 0 0"
    assert parse_jpeg(copy.read_bytes()).tail == parse_jpeg(source.read_bytes()).tail


def test_a_simple_webp_gains_an_extended_header(tmp_path: Path, exiftool: ExifTool) -> None:
    # RIFF.webp without its VP8X and ALPH chunks: a simple lossy WebP, its VP8 chunk as it was
    data = _source("RIFF.webp").read_bytes()
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        chunks.append(data[pos : pos + 8 + size + (size & 1)])
        pos += 8 + size + (size & 1)
    body = b"WEBP" + b"".join(c for c in chunks if c.startswith(b"VP8 "))
    source = tmp_path / "simple.webp"
    source.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    copy = tmp_path / "copy.webp"
    redact_image_file(source, copy, "public")
    tags = _check_copy(exiftool, source, copy)
    assert copy.read_bytes()[12:16] == b"VP8X" and tags["RIFF:ImageWidth"] == 1
    assert tags["RIFF:WebP_Flags"] == 0x04  # XMP only: no alpha, no EXIF (upright), no animation
    assert tags["XMP-x:XMPToolkit"] == "warphoto"


def test_ingest_reads_the_copy_back(tmp_path: Path, exiftool: ExifTool) -> None:
    source = tmp_path / "secret.png"
    shutil.copyfile(_source("PNG.png"), source)
    exiftool.run(
        "-overwrite_original", "-n", "-Orientation=3", f"-MWG:Description={DESCRIPTION}", str(source)
    )
    copy = tmp_path / "copy.png"
    redacted = redact_image_file(source, copy, "public")
    again = ingest(copy)
    assert again["caption"] == redacted["caption"]
    assert {"@type": "PropertyValue", "propertyID": "Orientation", "value": 3} in again["exifData"]
    types = [t for step in again["provenance"] for t in step.get("additionalType", [])]
    assert REDACTION_EVENT in types  # the redaction step travels in the copy's XMP


def test_an_upright_copy_has_no_exif(tmp_path: Path, exiftool: ExifTool) -> None:
    copy = tmp_path / "copy.png"
    redact_image_file(_source("PNG.png"), copy, "public")
    assert b"eXIf" not in copy.read_bytes()
    assert not any(key.startswith("IFD0:") for key in _read(exiftool, copy))


@pytest.mark.parametrize(("name", "keep"), [("PNG.png", 400), ("RIFF.webp", 300), ("ExifTool.tif", 4000)])
def test_a_truncated_image_writes_nothing(name: str, keep: int, tmp_path: Path) -> None:
    source = tmp_path / f"cut{Path(name).suffix}"
    source.write_bytes(_source(name).read_bytes()[:keep])
    copy = tmp_path / f"copy{source.suffix}"
    with pytest.raises(ReadError, match=r"past the end|claims"):
        redact_image_file(source, copy, "public")
    assert not copy.exists()
    done = run("redact", source, "-o", copy, "--profile", "public")
    assert done.returncode != 0 and str(source) in done.stderr and not copy.exists()


def test_an_image_of_another_kind_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "notes.png"
    source.write_text("not an image\n", encoding="utf-8")
    with pytest.raises(WriteError, match="JPEG, TIFF, PNG, WebP, HEIF or AVIF"):
        redact_image_file(source, tmp_path / "copy.png", "public")
    assert not (tmp_path / "copy.png").exists()


def _two_page_tiff() -> bytes:
    """A little-endian TIFF of two 16 x 16 grey pages: the first in one strip, the second in one tile."""
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    pixels = [bytes(range(0, 256)), bytes(255 - i for i in range(256))]
    link = 4
    for page, data in enumerate(pixels):
        at = len(out)
        out += data + struct.pack("<4I", 72, 1, 72, 1)  # the pixels, then X and Y resolution
        if page == 0:
            layout = [(273, 4, at), (278, 3, 16), (279, 4, 256)]
        else:
            layout = [(322, 3, 16), (323, 3, 16), (324, 4, at), (325, 4, 256)]
        resolution = [(282, 5, at + 256), (283, 5, at + 264), (296, 3, 2)]
        entries = sorted(
            [(256, 3, 16), (257, 3, 16), (258, 3, 8), (259, 3, 1), (262, 3, 1), *layout, *resolution]
        )
        start = len(out)
        struct.pack_into("<I", out, link, start)
        out += struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            field = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
            out += struct.pack("<HHI", tag, kind, 1) + field
        link = len(out)
        out += b"\x00\x00\x00\x00"
    return bytes(out)


def test_a_tiff_of_two_pages_strips_and_tiles(tmp_path: Path, exiftool: ExifTool) -> None:
    source = tmp_path / "pages.tif"
    source.write_bytes(_two_page_tiff())
    args = [f"-{tag}={value}" for tag, value in SECRETS.items()]
    exiftool.run("-overwrite_original", "-n", "-Orientation=8", "-GPSLatitudeRef=N", *args, str(source))
    assert SECRETS["SerialNumber"] in json.dumps(_read(exiftool, source))
    copy = tmp_path / "copy.tif"
    redact_image_file(source, copy, "public")
    tags = _check_copy(exiftool, source, copy)  # both pages' data: the strip, then the tile
    assert len(_image_data(copy.read_bytes())) == 2
    assert tags["IFD0:Orientation"] == 8 and tags["IFD1:TileWidth"] == 16
    data = json.dumps(tags)
    assert [v for v in GONE if v in data or v.encode() in copy.read_bytes()] == []
