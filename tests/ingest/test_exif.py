"""EXIF decoding: names, values as ExifTool's -n gives them, and text that never turns to mojibake."""

from __future__ import annotations

from warphoto.imagefile._binary import View
from warphoto.imagefile.exif import decode_exif, decode_text
from warphoto.imagefile.tiff import parse_tiff

from .images import exif_block


def decode(block: bytes) -> tuple[dict[str, object], list[str]]:
    warnings: list[str] = []
    return dict(decode_exif(parse_tiff(View.of(block)), warnings)), warnings


def test_every_required_field() -> None:
    exif, warnings = decode(
        exif_block(
            ">",
            ifd0=[
                (0x010E, 2, "Руїни\x00".encode()), (0x010F, 2, b"Canon\x00"), (0x0110, 2, b"EOS R5   \x00"),
                (0x0112, 3, 8), (0x0132, 2, b"2022:09:22 08:00:00\x00"), (0x013B, 2, b"O. K.\x00"),
                (0x8298, 2, b"(c) 2022\x00"),
            ],
            exif=[
                (0x829A, 5, [(1, 250)]), (0x829D, 5, [(56, 10)]), (0x8827, 3, 400), (0x920A, 5, [(35, 1)]),
                (0x9003, 2, b"2022:09:21 14:05:10\x00"), (0x9291, 2, b"25\x00"), (0x9011, 2, b"+03:00\x00"),
                (0x9000, 7, b"0232"), (0xA002, 4, 8192), (0xA003, 4, 5464), (0xA431, 2, b"0123\x00"),
                (0xA434, 2, b"RF24-105mm\x00"), (0xA435, 2, b"9876\x00"),
            ],
            gps=[
                (0x0001, 2, b"S\x00"), (0x0002, 5, [(33, 1), (30, 1), (0, 1)]), (0x0005, 1, b"\x01"),
                (0x0006, 5, [(105, 10)]), (0x0007, 5, [(11, 1), (5, 1), (1025, 100)]),
                (0x001D, 2, b"2022:09:21\x00"),
            ],
        )
    )  # fmt: skip
    assert warnings == []
    assert exif["ImageDescription"] == "Руїни" and exif["Model"] == "EOS R5"
    assert exif["Orientation"] == 8 and exif["ISO"] == 400 and exif["FocalLength"] == 35.0
    assert exif["ExposureTime"] == 0.004 and exif["FNumber"] == 5.6
    assert exif["ExifVersion"] == "0232" and exif["ExifImageWidth"] == 8192
    assert exif["SerialNumber"] == "0123" and exif["LensSerialNumber"] == "9876"
    assert exif["GPSLatitude"] == 33.5 and exif["GPSLatitudeRef"] == "S"
    assert exif["GPSAltitudeRef"] == 1 and exif["GPSAltitude"] == 10.5
    assert exif["GPSTimeStamp"] == "11:05:10.25" and exif["GPSDateStamp"] == "2022:09:21"


def test_text_that_is_not_utf8_is_read_as_windows_1252_with_a_warning() -> None:
    warnings: list[str] = []
    assert decode_text(b"Caf\xe9 \x80\x00junk", "Artist", warnings) == "Café €"
    assert warnings == ["Artist is not valid UTF-8; read as Windows-1252"]
    assert decode_text(b"\x81\x8d", "Artist", []) == "\x81\x8d"


def test_a_zero_denominator_is_left_out() -> None:
    exif, _ = decode(
        exif_block("<", exif=[(0x829D, 5, [(0, 0)])], gps=[(0x0002, 5, [(0, 0), (0, 0), (0, 0)])])
    )
    assert "FNumber" not in exif and "GPSLatitude" not in exif


def test_user_comment_with_its_character_code() -> None:
    exif, _ = decode(exif_block("<", exif=[(0x9286, 7, b"ASCII\x00\x00\x00Izium   ")]))
    assert exif["UserComment"] == "Izium"


def test_windows_xp_tags_are_utf16() -> None:
    exif, warnings = decode(
        exif_block(
            ">",
            ifd0=[
                (0x9C9B, 1, "Ізюм".encode("utf-16-le") + b"\x00\x00"),
                (0x9C9E, 1, "war;ruins".encode("utf-16-le")),
            ],
        )
    )
    assert exif["XPTitle"] == "Ізюм" and exif["XPKeywords"] == "war;ruins" and warnings == []
