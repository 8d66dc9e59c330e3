"""Redacted copies of HEIF and AVIF: real pictures (libheif's x265 through pillow-heif, and
Pillow's libavif) into which ExifTool writes secrets; the copy holds none of them, ExifTool
validates it and reads our XMP, libheif and libavif decode the same pixels, the picture items
are the same bytes. ExifTool's own HEIC test file, whose "coded data" is a placeholder text, is
refused: a copy keeps only coded data it can read as its codec's units."""

from __future__ import annotations

import hashlib
import json
import random
import struct
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REFERENCE, need, need_module
from tests.exiftool import ExifTool
from tests.test_cli import run
from warphoto.errors import ReadError, WarphotoError, WriteError
from warphoto.imagefile._binary import View
from warphoto.imagefile.isobmff import _boxes, _Counter, _iinf, _iloc, _Item, _item_bytes
from warphoto.imagefile.record import ingest
from warphoto.safety._heif import IMAGE_ITEMS, redact_heif
from warphoto.safety.image import redact_image_file

HEIC = REFERENCE / "images" / "exiftool-test-images" / "QuickTime.heic"
SECRETS = {
    "GPSLatitude": "50.4501234",
    "GPSLongitude": "30.5234567",
    "SerialNumber": "SN98765SECRET",
    "OwnerName": "Oksana Secretowner",
    "XMP-iptcExt:PersonInImage": "Olena Kovalenko",
    "XMP-iptcCore:CreatorWorkEmail": "olena@secret.example.org",
}
GONE = ["50.45012", "30.52345", *list(SECRETS.values())[2:]]
DESCRIPTION = "A street in Kyiv after the strike"


def _picture(path: Path) -> Path:
    """A real 64 x 48 picture, HEIC (x265) or AVIF by its suffix, with a gradient to code."""
    image_module = need_module("PIL.Image")
    if path.suffix == ".heic":
        need_module("pillow_heif").register_heif_opener()
    picture = image_module.new("RGB", (64, 48))
    picture.putdata([(x * 4, y * 5, (x + y) % 256) for y in range(48) for x in range(64)])
    picture.save(path, quality=80)
    return path


@pytest.fixture(params=["heic", "avif"])
def secret_picture(request: pytest.FixtureRequest, tmp_path: Path, exiftool: ExifTool) -> Path:
    """A real HEIC or AVIF with EXIF (GPS, serial, owner, orientation) and XMP written in by ExifTool."""
    source = _picture(tmp_path / f"secret.{request.param}")
    args = [f"-{tag}={value}" for tag, value in SECRETS.items()]
    args += [
        "-GPSLatitudeRef=N",
        "-GPSLongitudeRef=E",
        f"-XMP-dc:Description={DESCRIPTION}",
        "-Orientation=6",
    ]
    exiftool.run("-overwrite_original", "-n", *args, str(source))
    written = exiftool.run("-j", "-a", "-G1", "-n", str(source))
    assert all(value in written for value in GONE), written  # the test can fail
    return source


def _pixels(path: Path) -> bytes:
    image_module = need_module("PIL.Image")
    need_module("pillow_heif").register_heif_opener()
    with image_module.open(path) as picture:
        return bytes(picture.convert("RGB").tobytes())


def _items(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Item id -> (type, bytes) of a HEIF file, read with the ingest reader's parts."""
    view, counter = View.of(data), _Counter()
    meta = next(box for box in _boxes(view, counter) if box.kind == b"meta")
    body = meta.body.sub(4, len(meta.body) - 4, "meta")
    items: dict[int, _Item] = {}
    idat = None
    for box in _boxes(body, counter):
        if box.kind == b"iinf":
            _iinf(box.body, items, counter)
        elif box.kind == b"iloc":
            _iloc(box.body, items)
        elif box.kind == b"idat":
            idat = box.body
    return {
        i: (item.kind, _item_bytes(view, idat, item, str(i))) for i, item in items.items() if item.extents
    }


def _properties(data: bytes) -> bytes:
    """The ipco box (the item properties: size, codec configuration, rotation), byte for byte."""
    view, counter = View.of(data), _Counter()
    meta = next(box for box in _boxes(view, counter) if box.kind == b"meta")
    body = meta.body.sub(4, len(meta.body) - 4, "meta")
    iprp = next(box for box in _boxes(body, counter) if box.kind == b"iprp")
    ipco = next(box for box in _boxes(iprp.body, counter) if box.kind == b"ipco")
    return bytes(ipco.body.data[ipco.body.start : ipco.body.end])


def _read(exiftool: ExifTool, path: Path) -> dict[str, Any]:
    tags: dict[str, Any] = json.loads(exiftool.run("-j", "-a", "-G1", "-n", str(path)))[0]
    return tags


def test_a_copy_holds_no_secret(secret_picture: Path, tmp_path: Path, exiftool: ExifTool) -> None:
    before = hashlib.sha256(secret_picture.read_bytes()).hexdigest()
    copy = tmp_path / f"copy{secret_picture.suffix}"
    done = run("redact", secret_picture, "-o", copy, "--profile", "public")
    assert done.returncode == 0, done.stderr
    assert hashlib.sha256(secret_picture.read_bytes()).hexdigest() == before  # the original is only read
    tags = _read(exiftool, copy)
    seen, data = json.dumps(tags, ensure_ascii=False), copy.read_bytes()
    assert [v for v in GONE if v in seen or v.encode() in data] == []
    groups = {key.partition(":")[0] for key in tags if ":" in key}
    assert not groups & {"IFD0", "ExifIFD", "GPS", "IFD1"}, groups  # no EXIF at all
    assert tags["XMP-x:XMPToolkit"] == "warphoto" and tags["XMP-dc:Description"] == DESCRIPTION
    assert "ExifTool:Warning" not in tags and "ExifTool:Error" not in tags, tags
    validation = json.loads(exiftool.run("-j", "-G1", "-validate", str(copy)))[0]["ExifTool:Validate"]
    assert validation == "OK"
    # the picture: every coded item the same bytes, every property (size, codec, rotation) too
    original, copied = _items(secret_picture.read_bytes()), _items(data)
    pictures = {i: item for i, item in original.items() if item[0] in IMAGE_ITEMS}
    assert pictures and {i: copied[i] for i in pictures} == pictures
    assert [kind for kind, _ in copied.values() if kind not in IMAGE_ITEMS] == [b"mime"]  # our XMP
    assert _properties(data) == _properties(secret_picture.read_bytes())
    assert _pixels(copy) == _pixels(secret_picture)  # libheif or libavif shows the same picture
    # ingest reads the copy: our caption, the redaction step, no name of a person shown
    record = ingest(copy)
    assert "Olena" not in json.dumps(record, ensure_ascii=False)  # a person shown: only a type left
    assert "Redacted with the safety profile 'public'" in json.dumps(record)


def test_a_picture_with_no_metadata_gains_an_xmp_item(tmp_path: Path, exiftool: ExifTool) -> None:
    source = _picture(tmp_path / "plain.heic")
    copy = tmp_path / "copy.heic"
    redact_image_file(source, copy, "partner")
    tags = _read(exiftool, copy)
    assert tags["XMP-x:XMPToolkit"] == "warphoto"
    assert _items(copy.read_bytes()).keys() > _items(source.read_bytes()).keys()


def test_a_placeholder_for_coded_data_is_refused(tmp_path: Path) -> None:
    need(HEIC.is_file(), f"the reference image {HEIC}")
    with pytest.raises(WriteError, match="cannot be read as its codec's units"):
        redact_image_file(HEIC, tmp_path / "copy.heic", "public")
    assert not (tmp_path / "copy.heic").exists()


def _boxes_of(data: bytes) -> list[bytes]:
    out, pos = [], 0
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        out.append(data[pos + 4 : pos + 8])
        pos += size
    return out


def test_top_level_boxes_but_the_picture_go(secret_picture: Path) -> None:
    data = secret_picture.read_bytes()
    c2pa = struct.pack(">I", 8 + 16 + 9) + b"uuid" + bytes(16) + b"manifest!"
    copy = redact_heif(data + c2pa + struct.pack(">I", 12) + b"free" + b"junk", b"<x/>", source="a.heic")
    assert _boxes_of(copy) == [b"ftyp", b"meta", b"mdat"]
    assert b"manifest!" not in copy and b"junk" not in copy


def test_a_sequence_or_an_unknown_item_is_refused(secret_picture: Path) -> None:
    data = secret_picture.read_bytes()
    with pytest.raises(WriteError, match="image sequence"):
        redact_heif(data + struct.pack(">I", 8) + b"moov", b"<x/>", source="a.heic")
    coded = b"hvc1" if secret_picture.suffix == ".heic" else b"av01"
    at = data.find(coded, data.find(b"infe"))  # the primary item's type in its infe entry
    unknown = data[:at] + b"zzzz" + data[at + 4 :]
    with pytest.raises(WriteError, match="zzzz"):
        redact_heif(unknown, b"<x/>", source="a.heic")


def test_damaged_heif_is_an_error_or_a_copy_never_a_crash(secret_picture: Path) -> None:
    data = secret_picture.read_bytes()
    rng = random.Random(13)
    outcomes = {"copy": 0, "error": 0}
    for _ in range(400):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            redact_heif(bytes(damaged), b"<x/>", source="damaged.heic")
        except WarphotoError:
            outcomes["error"] += 1
        else:
            outcomes["copy"] += 1
    assert outcomes["error"] and outcomes["copy"]
    with pytest.raises(ReadError):
        redact_heif(data[:300], b"<x/>", source="cut.heic")


def _property_kinds(data: bytes) -> list[bytes]:
    """The types of the item properties, in their order in ipco."""
    return [box.kind for box in _boxes(View.of(_properties(data)), _Counter())]


def _rename_property(data: bytes, number: int, kind: bytes, payload: bytes | None = None) -> bytes:
    """``data`` with the ``number``-th (1-based) item property renamed ``kind`` (its size kept)."""
    view, counter = View.of(data), _Counter()
    meta = next(box for box in _boxes(view, counter) if box.kind == b"meta")
    body = meta.body.sub(4, len(meta.body) - 4, "meta")
    iprp = next(box for box in _boxes(body, counter) if box.kind == b"iprp")
    ipco = next(box for box in _boxes(iprp.body, counter) if box.kind == b"ipco")
    prop = list(_boxes(ipco.body, counter))[number - 1]
    out = bytearray(data)
    out[prop.body.start - 4 : prop.body.start] = kind
    if payload is not None:
        out[prop.body.start : prop.body.start + len(payload)] = payload
    return bytes(out)


def test_a_property_that_is_not_the_pictures_goes(tmp_path: Path) -> None:
    data = _picture(tmp_path / "plain.heic").read_bytes()
    kinds = _property_kinds(data)
    assert kinds.count(b"ispe") >= 1
    number = kinds.index(b"ispe") + 1
    # a user description (udes) with a name in it, where the picture's size was
    described = _rename_property(data, number, b"udes", b"\x00\x00\x00\x00e\x00Oksana")
    copy = tmp_path / "copy.heic"
    copy.write_bytes(redact_heif(described, b"<x/>", source="described.heic"))
    assert b"Oksana" not in copy.read_bytes() and b"udes" not in copy.read_bytes()
    assert _property_kinds(copy.read_bytes()).count(b"ispe") == kinds.count(b"ispe") - 1
    assert (
        _items(copy.read_bytes()).items()
        >= {i: v for i, v in _items(data).items() if v[0] in IMAGE_ITEMS}.items()
    )
    # an essential property warphoto does not know (the codec configuration, renamed) refuses the copy
    with pytest.raises(WriteError, match="needs a property warphoto does not know"):
        redact_heif(_rename_property(data, kinds.index(b"hvcC") + 1, b"zzzz"), b"<x/>", source="odd.heic")


def test_only_the_primary_picture_is_copied(tmp_path: Path, exiftool: ExifTool) -> None:
    """A second picture in the file (another take, an unedited version) is not the one shown:
    it stays behind, its coded bytes too."""
    image_module, pillow_heif = need_module("PIL.Image"), need_module("pillow_heif")
    shown, other = (
        image_module.new("RGB", (64, 48), (10, 200, 30)),
        image_module.new("RGB", (32, 32), (250, 250, 0)),
    )
    heif = pillow_heif.from_pillow(shown)
    heif.add_from_pillow(other)
    source = tmp_path / "two.heic"
    heif.save(source, quality=80)
    items = _items(source.read_bytes())
    assert [kind for kind, _ in items.values()] == [b"hvc1", b"hvc1"]
    copy = tmp_path / "copy.heic"
    redact_image_file(source, copy, "public")
    copied = _items(copy.read_bytes())
    assert sorted(kind for kind, _ in copied.values()) == [b"hvc1", b"mime"]
    second = next(data for item_id, (kind, data) in items.items() if item_id not in copied)
    assert second not in copy.read_bytes()
    assert _pixels(copy) == _pixels(source)
    validation = json.loads(exiftool.run("-j", "-G1", "-validate", str(copy)))[0]["ExifTool:Validate"]
    assert validation == "OK"
