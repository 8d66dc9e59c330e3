"""Each container: what is read from where, pixel sizes, and the file left as it was."""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from pathlib import Path

import pytest

from warphoto.errors import ReadError
from warphoto.imagefile import read_metadata, read_metadata_bytes, sniff
from warphoto.imagefile.isobmff import read_isobmff

from ..conftest import REFERENCE, need
from .images import app1_exif, app13, exif_block, iim_block, irb, png_chunk, tiny_jpeg, tiny_png, tiny_tiff
from .seeds import IIM, XMP, camera_exif, ingest_seeds

IMAGES = REFERENCE / "images" / "exiftool-test-images"


@pytest.mark.parametrize(("name", "data"), list(ingest_seeds().items()))
def test_every_seed_container_reads_its_blocks(name: str, data: bytes) -> None:
    meta = read_metadata_bytes(data, source=name)
    assert meta.width and meta.height
    assert meta.exif or meta.iim
    assert meta.warnings == ()


def test_the_container_comes_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    path = tmp_path / "really-a-png.jpg"
    path.write_bytes(tiny_png(width=5, height=7))
    meta = read_metadata(path)
    assert meta.media_type == "image/png" and (meta.width, meta.height) == (5, 7)
    assert sniff(b"\x00\x00\x00\x18ftypavif") == "image/avif"
    assert sniff(b"hello") is None


def test_jpeg_exif_iim_and_digest() -> None:
    digest = hashlib.md5(IIM).digest()
    data = tiny_jpeg(app1_exif(camera_exif()), app13(irb(0x0404, IIM), irb(0x0425, digest)), exif=False)
    meta = read_metadata_bytes(data)
    assert meta.exif["Make"] == "Canon"
    assert meta.iim_values["ObjectName"] == ("Izium",)
    assert meta.iim_digest == meta.iim_md5 == digest.hex() and meta.iim_digest_matches is True


def test_jpeg_resources_split_over_two_app13_segments() -> None:
    resources = irb(0x0404, IIM)
    half = len(resources) // 2
    data = tiny_jpeg(app13(resources[:half]), app13(resources[half:]), exif=False)
    meta = read_metadata_bytes(data)
    assert meta.iim_values["Keywords"] == ("war", "Ізюм")
    assert any("span 2 APP13 segments" in w for w in meta.warnings)


def test_jpeg_with_no_metadata_still_reads() -> None:
    meta = read_metadata_bytes(tiny_jpeg(exif=False, comment=None))
    assert (meta.media_type, meta.width, meta.height) == ("image/jpeg", 8, 8)
    assert meta.exif == {} and meta.iim == () and meta.xmp is None and meta.iim_digest_matches is None


def test_extended_xmp_is_assembled() -> None:
    need((IMAGES / "ExtendedXMP.jpg").is_file(), "the reference image ExtendedXMP.jpg")
    meta = read_metadata(IMAGES / "ExtendedXMP.jpg")
    assert meta.xmp is not None and meta.xmp_extended is not None
    assert b"HasExtendedXMP" in meta.xmp
    guid = hashlib.md5(meta.xmp_extended).hexdigest().upper().encode()
    assert guid in meta.xmp
    assert meta.xmp_packets == (meta.xmp, meta.xmp_extended)


def test_tiff_iim_from_the_photoshop_resources_when_tag_33723_is_absent() -> None:
    resources = irb(0x0404, IIM) + irb(0x0425, hashlib.md5(IIM).digest())
    meta = read_metadata_bytes(tiny_tiff("<", [(34377, 7, resources)]))
    assert meta.iim_values["By-line"] == ("Olena Kovalenko",) and meta.iim_digest_matches is True


def test_png_text_chunks_after_the_image_data_and_compressed_xmp() -> None:
    itxt = b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + zlib.compress(XMP)
    profile = b"\nexif\n%8d\n" % (len(camera_exif()) + 6) + (b"Exif\x00\x00" + camera_exif()).hex().encode()
    ztxt = b"Raw profile type exif\x00\x00" + zlib.compress(profile)
    png = tiny_png()
    end = png.rindex(b"IEND") - 4
    data = png[:end] + png_chunk(b"iTXt", itxt) + png_chunk(b"zTXt", ztxt) + png[end:]
    meta = read_metadata_bytes(data)
    assert meta.xmp == XMP and meta.exif["Model"] == "EOS R5"


def test_png_exif_chunk_and_iptc_raw_profile() -> None:
    iim = iim_block((2, 5, b"Title"))
    profile = b"\niptc\n%8d\n" % len(iim) + iim.hex().encode()
    data = tiny_png(
        png_chunk(b"eXIf", exif_block(">", ifd0=[(0x010F, 2, b"Mk\x00")])),
        png_chunk(b"tEXt", b"Raw profile type iptc\x00" + profile),
    )
    meta = read_metadata_bytes(data)
    assert meta.exif["Make"] == "Mk" and meta.iim_values["ObjectName"] == ("Title",)


def _riff(*chunks: tuple[bytes, bytes]) -> bytes:
    body = b"WEBP" + b"".join(k + struct.pack("<I", len(d)) + d + b"\x00" * (len(d) & 1) for k, d in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_webp_sizes_from_vp8_and_vp8l() -> None:
    vp8 = b"\x10\x02\x00\x9d\x01\x2a" + struct.pack("<HH", 640, 480) + b"\x00" * 8
    assert read_metadata_bytes(_riff((b"VP8 ", vp8))).width == 640
    bits = (299) | (199 << 14)
    meta = read_metadata_bytes(_riff((b"VP8L", b"\x2f" + struct.pack("<I", bits))))
    assert (meta.width, meta.height) == (300, 200)
    with pytest.raises(ReadError, match="start code"):
        read_metadata_bytes(_riff((b"VP8 ", b"\x00" * 10)))


def test_heif_without_a_meta_box_says_so() -> None:
    from warphoto.imagefile._binary import View
    from warphoto.imagefile._parts import Parts

    parts = Parts("image/heic")
    read_isobmff(View.of(b"\x00\x00\x00\x10ftypheic\x00\x00\x00\x00"), parts)
    assert parts.warnings == ["the file has no meta box: no metadata items"]


def test_jpeg_xl_is_refused_clearly() -> None:
    with pytest.raises(ReadError, match="image/jxl is not supported") as caught:
        read_metadata_bytes(b"\xff\x0a" + b"\x00" * 30, source="x.jxl")
    assert caught.value.offset == 0


def test_reading_never_writes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    data = ingest_seeds()["seed.jpg"]
    path.write_bytes(data)
    os.chmod(path, 0o444)
    before = os.stat(path)
    read_metadata(path)
    after = os.stat(path)
    assert path.read_bytes() == data and before.st_mtime_ns == after.st_mtime_ns


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="cannot read"):
        read_metadata(tmp_path / "absent.jpg")
    (tmp_path / "empty.jpg").write_bytes(b"")
    with pytest.raises(ReadError, match="empty"):
        read_metadata(tmp_path / "empty.jpg")


def test_standard_and_extended_xmp_merge_into_one_packet() -> None:
    from warphoto.formats import xmp
    from warphoto.imagefile import merge_extended_xmp

    need((IMAGES / "ExtendedXMP.jpg").is_file(), "the reference image ExtendedXMP.jpg")
    meta = read_metadata(IMAGES / "ExtendedXMP.jpg")
    assert meta.xmp is not None
    merged = merge_extended_xmp(meta.xmp, meta.xmp_extended)
    assert meta.merged_xmp() == merged
    assert b"HasExtendedXMP" not in merged
    one = xmp.read_packets([merged])
    two = xmp.read_packets(meta.xmp_packets)
    assert one.record == two.record and one.unmapped == two.unmapped
    assert "http://ns.adobe.com/pdf/1.3/Title" in one.record  # a property of the extended packet
    assert merge_extended_xmp(meta.xmp, None) is meta.xmp


def test_a_dng_reads_as_tiff() -> None:
    data = tiny_tiff(
        "<", [(0xC612, 1, [1, 4, 0, 0]), (0xC614, 2, b"Camera DNG\x00"), (0x010F, 2, b"Leica\x00")]
    )
    meta = read_metadata_bytes(data, source="x.dng")
    assert meta.media_type == "image/tiff" and meta.exif["Make"] == "Leica"
    assert meta.exif["DNGVersion"] == (1, 4, 0, 0) and meta.exif["UniqueCameraModel"] == "Camera DNG"
