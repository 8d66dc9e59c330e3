"""The bounded TIFF/IFD parser: both byte orders, sub-IFDs, lazy values, and every lie refused."""

from __future__ import annotations

import math
import struct

import pytest

from warphoto.errors import ReadError
from warphoto.imagefile._binary import View
from warphoto.imagefile.tiff import MAX_IFDS, parse_tiff

from .images import exif_block, tiny_tiff


def view(data: bytes) -> View:
    return View.of(data, "t.tif")


@pytest.mark.parametrize("order", ["<", ">"])
def test_ifd0_exif_and_gps_in_both_byte_orders(order: str) -> None:
    block = exif_block(
        order,
        ifd0=[(0x010F, 2, b"Canon\x00"), (0x0112, 3, 6)],
        exif=[(0x829A, 5, [(1, 250)]), (0x9204, 10, [(-1, 3)])],
        gps=[(0x0002, 5, [(49, 1), (12, 1), (3456, 100)])],
    )
    tiff = parse_tiff(view(block))
    assert tiff.big_endian is (order == ">")
    assert tiff.ifd0.value(0x010F) == b"Canon\x00"
    assert tiff.ifd0.value(0x0112) == (6,)
    assert tiff.exif is not None and tiff.exif.value(0x829A) == (0.004,)
    value = tiff.exif.value(0x9204)
    assert isinstance(value, tuple) and math.isclose(value[0], -1 / 3)
    assert tiff.gps is not None and tiff.gps.value(0x0002) == (49.0, 12.0, 34.56)
    assert [ifd.name for ifd in tiff.directories()] == ["IFD0", "Exif IFD", "GPS IFD"]


def test_a_zero_denominator_is_nan_not_an_error() -> None:
    tiff = parse_tiff(view(exif_block("<", exif=[(0x829D, 5, [(0, 0)])])))
    assert tiff.exif is not None
    value = tiff.exif.value(0x829D)
    assert isinstance(value, tuple) and math.isnan(value[0])


def test_an_unknown_field_type_is_skipped() -> None:
    block = bytearray(exif_block("<", ifd0=[(0x010F, 2, b"Mk\x00"), (0x0110, 2, b"Md\x00")]))
    struct.pack_into("<H", block, 8 + 2 + 2, 99)  # the first entry's type
    tiff = parse_tiff(view(bytes(block)))
    assert 0x010F not in tiff.ifd0 and tiff.ifd0.value(0x0110) == b"Md\x00"


def test_a_whole_tiff_file_and_its_page_chain() -> None:
    tiff = parse_tiff(view(tiny_tiff(">")))
    assert tiff.ifd0.pointer(0x0100) == 2 and len(tiff.ifds) == 1


def test_a_long_chain_of_ifds_is_bounded() -> None:
    header = b"II" + struct.pack("<HI", 42, 8)
    ifds = b""
    count = MAX_IFDS + 5
    for index in range(count):
        at = 8 + 6 * index
        ifds += struct.pack("<HI", 0, at + 6 if index < count - 1 else 0)
    tiff = parse_tiff(view(header + ifds))
    assert len(tiff.ifds) == 16  # MAX_CHAIN


@pytest.mark.parametrize(
    ("data", "problem", "offset"),
    [
        (b"XX*\x00\x08\x00\x00\x00", "does not start with II or MM", 0),
        (b"II\x2b\x00\x08\x00\x00\x00", "BigTIFF", 2),
        (b"II\x07\x00\x08\x00\x00\x00", "magic number 7", 2),
        (b"II*\x00\x04\x00\x00\x00", "IFD0 offset 4", 4),
        (b"II*\x00\x08\x00\x00\x00\x05\x00", "IFD0 at offset 8 holds 5 entries", 8),
    ],
)
def test_broken_headers_name_their_offset(data: bytes, problem: str, offset: int) -> None:
    with pytest.raises(ReadError, match=problem) as caught:
        parse_tiff(view(data))
    assert caught.value.offset == offset
    assert "t.tif" in str(caught.value) and f"byte offset {offset}" in str(caught.value)


def test_offsets_are_reported_in_the_file_not_the_block() -> None:
    """An EXIF block at offset 1000 of a file: errors name the file offset."""
    block = b"II*\x00\x08\x00\x00\x00\x05\x00"
    data = b"\x00" * 1000 + block
    with pytest.raises(ReadError) as caught:
        parse_tiff(View(data, 1000, len(data), "f.jpg"))
    assert caught.value.offset == 1008


def test_a_damaged_thumbnail_ifd_is_a_warning_when_asked_a_loop_is_still_an_error() -> None:
    block = bytearray(exif_block("<", ifd0=[(0x010F, 2, b"Mk\x00")]))
    struct.pack_into("<I", block, len(block) - 4, len(block) - 2)  # IFD1 two bytes before the end
    block += b"\x09\x00"  # 9 entries announced, none there
    with pytest.raises(ReadError, match="IFD1"):
        parse_tiff(view(bytes(block)))
    warnings: list[str] = []
    tiff = parse_tiff(view(bytes(block)), warnings=warnings)
    assert tiff.ifd0.value(0x010F) == b"Mk\x00" and len(tiff.ifds) == 1
    assert warnings and warnings[0].startswith("IFD1 is damaged")
    loop = bytearray(exif_block("<", ifd0=[(0x010F, 2, b"Mk\x00")]))
    struct.pack_into("<I", loop, len(loop) - 4, 8)
    with pytest.raises(ReadError, match="loop"):
        parse_tiff(view(bytes(loop)), warnings=[])
