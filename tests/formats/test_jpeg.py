"""XMP in JPEG: embed and extract, other segments byte-identical, extended XMP, strict segment parsing."""

from __future__ import annotations

import contextlib
import os
import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import warphoto
from warphoto import formats
from warphoto.canonical import canonical
from warphoto.errors import ReadError, WriteError
from warphoto.formats import jpeg, xmp
from warphoto.formats._jpeg import MAX_STANDARD_XMP_BYTES, XMP_SIGNATURE, parse_jpeg

from ..jpeg_bytes import segment, tiny_jpeg
from .test_xmp import RECORD


def non_xmp_parts(data: bytes) -> list[bytes]:
    """Every segment that is not XMP, byte for byte, and the image data from SOS on."""
    parsed = parse_jpeg(data)
    parts = [data[s.offset : s.end] for s in parsed.segments if not (s.is_xmp or s.is_extended_xmp)]
    return [*parts, parsed.tail]


def untouched_parts(data: bytes) -> list[bytes]:
    """Every segment but XMP, Exif and Photoshop (IIM), which embed keeps in step, and the image data."""
    parsed = parse_jpeg(data)
    legacy = (b"Exif\x00\x00", b"Photoshop 3.0\x00")
    parts = [
        data[s.offset : s.end]
        for s in parsed.segments
        if not (s.is_xmp or s.is_extended_xmp or s.payload.startswith(legacy))
    ]
    return [*parts, parsed.tail]


def test_embed_and_extract_round_trip() -> None:
    image = tiny_jpeg()
    out = jpeg.embed(image, RECORD)
    packet = jpeg.extract(out)
    assert packet is not None and packet.startswith(b"<?xpacket")
    assert canonical(xmp.loads(packet)) == canonical(RECORD)
    assert canonical(jpeg.loads(out)) == canonical(RECORD)
    assert jpeg.extract(image) is None


def test_other_segments_and_image_data_stay_byte_identical() -> None:
    image = tiny_jpeg()
    once = jpeg.embed(image, RECORD)
    assert non_xmp_parts(once) == non_xmp_parts(image)
    assert once.endswith(parse_jpeg(image).tail)
    # the XMP goes after JFIF and Exif, before the comment
    markers = [(s.marker, s.is_xmp) for s in parse_jpeg(once).segments]
    assert markers[:4] == [(0xE0, False), (0xE1, False), (0xE1, True), (0xFE, False)]


def test_embed_replaces_an_existing_packet_in_place() -> None:
    image = tiny_jpeg()
    once = jpeg.embed(image, RECORD)
    other = {**RECORD, "creditText": "someone else"}
    twice = jpeg.embed(once, other)
    assert sum(s.is_xmp for s in parse_jpeg(twice).segments) == 1
    assert non_xmp_parts(twice) == non_xmp_parts(image)
    assert jpeg.loads(twice)["creditText"] == "someone else"
    assert jpeg.embed(twice, RECORD) == once


def test_reference_image_keeps_every_other_byte(reference_dir: Path) -> None:
    image = (
        reference_dir / "iptc-photometadata/reference-image/IPTC-PhotometadataRef-Std2023.2.jpg"
    ).read_bytes()
    out = jpeg.embed(image, RECORD)
    assert untouched_parts(out) == untouched_parts(image)  # EXIF and IIM change: they say the new caption
    assert parse_jpeg(out).tail == parse_jpeg(image).tail  # the pixels do not
    assert canonical(jpeg.loads(out)) == canonical(RECORD)


def test_example_photographs_round_trip_through_jpeg(example_photographs: list[dict[str, Any]]) -> None:
    image = tiny_jpeg()
    for record in example_photographs:
        assert canonical(jpeg.loads(jpeg.embed(image, record))) == canonical(record), record["@id"]


@given(st.data())
def test_generated_records_round_trip_through_jpeg(data: st.DataObject) -> None:
    from ..strategies import photographs

    record = data.draw(photographs(extensions=True))
    back = jpeg.loads(jpeg.embed(tiny_jpeg(), record))
    expected = (
        record if "@context" in record else {"@context": "https://w3id.org/warphoto/context.jsonld", **record}
    )
    assert canonical(back) == canonical(expected)


def big_record() -> dict[str, Any]:
    """A record whose lossless copy does not fit one APP1 segment (the IPTC part does)."""
    record = dict(RECORD)
    record["associatedMedia"] = [
        {
            "@type": "ImageObject",
            "contentUrl": f"https://example.org/files/{i:05d}.jpg",
            "sha256": f"{i:064x}",
        }
        for i in range(900)
    ]
    return record


def test_large_packet_becomes_extended_xmp() -> None:
    record = big_record()
    image = tiny_jpeg()
    out = jpeg.embed(image, record)
    parsed = parse_jpeg(out)
    extended = [s for s in parsed.segments if s.is_extended_xmp]
    assert len(extended) >= 2
    assert all(len(s.payload) <= 65533 for s in parsed.segments)
    standard, ext = jpeg.extract_all(out)
    assert standard is not None and ext is not None
    assert b"xmpNote:HasExtendedXMP" in standard and len(standard) <= MAX_STANDARD_XMP_BYTES
    assert canonical(jpeg.loads(out)) == canonical(record)
    assert non_xmp_parts(out) == non_xmp_parts(image)
    # replacing a large packet by a small one removes the extended segments
    small = jpeg.embed(out, RECORD)
    assert not any(s.is_extended_xmp for s in parse_jpeg(small).segments)


def test_too_large_iptc_part_is_refused_not_truncated() -> None:
    record = {**RECORD, "caption": {"en": "x" * 70000}}
    with pytest.raises(WriteError, match="APP1"):
        jpeg.embed(tiny_jpeg(), record)


def test_registry_and_files(tmp_path: Path) -> None:
    assert formats.for_path("a.JPG").name == "jpeg"
    assert formats.get("jpg").name == "jpeg"
    path = tmp_path / "photo.jpg"
    path.write_bytes(tiny_jpeg())
    jpeg.embed_file(path, RECORD)
    assert canonical(warphoto.read(path)) == canonical(RECORD)
    data = warphoto.dumps(RECORD, "jpeg", image=tiny_jpeg())
    assert isinstance(data, bytes) and canonical(warphoto.loads(data, "jpeg")) == canonical(RECORD)
    with pytest.raises(WriteError, match="image"):
        warphoto.dumps(RECORD, "jpeg")


def test_failed_embed_leaves_the_file_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    original = tiny_jpeg()
    path.write_bytes(original)
    bad = {**RECORD, "title": {"en": "bell\u0007"}}
    with pytest.raises(WriteError):
        jpeg.embed_file(path, bad)
    assert path.read_bytes() == original
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(original[:30])
    with pytest.raises(WriteError):
        jpeg.embed_file(broken, RECORD)
    assert broken.read_bytes() == original[:30]
    assert sorted(os.listdir(tmp_path)) == ["broken.jpg", "photo.jpg"]  # no temporary files left


# ------------------------------------------------------------------------ strict segment parsing


def test_not_a_jpeg() -> None:
    with pytest.raises(ReadError, match="SOI") as info:
        parse_jpeg(b"GIF89a....")
    assert info.value.offset == 0


def test_truncated_segment_names_its_offset() -> None:
    image = tiny_jpeg()
    cut = image[:40]
    with pytest.raises(ReadError) as info:
        parse_jpeg(cut)
    assert info.value.offset is not None and "byte offset" in str(info.value)


def test_inconsistent_length_names_its_offset() -> None:
    image = bytearray(tiny_jpeg())
    # make the APP0 length one byte too long: the next marker is then misread
    image[4:6] = struct.pack(">H", struct.unpack(">H", image[4:6])[0] + 1)
    with pytest.raises(ReadError) as info:
        parse_jpeg(bytes(image))
    assert info.value.offset == 2 + 4 + 14 + 1  # SOI, APP0 marker and length, JFIF payload, one too far


def test_length_beyond_the_end() -> None:
    image = b"\xff\xd8" + b"\xff\xe1\xff\xf0" + b"Exif"
    with pytest.raises(ReadError, match="claims") as info:
        parse_jpeg(image)
    assert info.value.offset == 2


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8",
        b"\xff\xd8\xff",
        b"\xff\xd8\xff\xd9",
        b"\xff\xd8\xff\xd8\x00\x00",
        b"\xff\xd8\xff\xe0\x00\x01",
        b"\xff\xd8\xff\xe0\x00\x02",
        b"\xff\xd8\xff\x00",
    ],
)
def test_malformed_jpegs(data: bytes) -> None:
    with pytest.raises(ReadError):
        jpeg.extract(data)


def test_inconsistent_extended_xmp_is_refused() -> None:
    out = bytearray(jpeg.embed(tiny_jpeg(), big_record()))
    parsed = parse_jpeg(bytes(out))
    first = next(s for s in parsed.segments if s.is_extended_xmp)
    # flip one byte of the extended data: the MD5 GUID no longer matches
    out[first.end - 1] ^= 0x01
    with pytest.raises(ReadError, match="GUID"):
        jpeg.loads(bytes(out))


def test_two_standard_packets_are_refused() -> None:
    image = tiny_jpeg()
    packet = segment(0xE1, XMP_SIGNATURE + b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    doubled = image[:2] + packet + packet + image[2:]
    with pytest.raises(ReadError, match="two"):
        jpeg.extract(doubled)


@given(st.binary(max_size=200), st.integers(min_value=0, max_value=300))
def test_random_damage_never_escapes(noise: bytes, at: int) -> None:
    image = jpeg.embed(tiny_jpeg(), RECORD)
    at = min(at, len(image))
    damaged = image[:at] + noise + image[at + len(noise) :]
    with contextlib.suppress(warphoto.errors.WarphotoError):
        jpeg.loads(damaged)


def test_no_xmp_is_a_read_error() -> None:
    with pytest.raises(ReadError, match="no XMP"):
        jpeg.loads(tiny_jpeg())
