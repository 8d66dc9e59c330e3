"""Hostile and broken images, made here (small enough to build at test time): each must end in a
:class:`~warphoto.errors.ReadError` that names the byte offset of the problem, quickly and within
bounded memory (tests/ingest/test_hostile_images.py reads them in the watched reader process)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from ..jpeg_bytes import segment
from .images import app1_exif, app13, exif_block, iim_block, irb, png_chunk, tiny_jpeg, tiny_png, tiny_tiff

__all__ = ["HostileImage", "hostile_images"]


@dataclass(frozen=True)
class HostileImage:
    name: str
    data: bytes
    problem: str  # a regular expression the message must match
    what: str


def _tiff_header(order: str = "<", first: int = 8) -> bytes:
    return (b"II" if order == "<" else b"MM") + struct.pack(order + "HI", 42, first)


def _entry(tag: int, kind: int, count: int, value: int, order: str = "<") -> bytes:
    return struct.pack(order + "HHII", tag, kind, count, value)


def _tiff_cases() -> list[HostileImage]:
    loop = _tiff_header() + struct.pack("<H", 1) + _entry(0x010F, 2, 4, 0x41424300) + struct.pack("<I", 8)
    exif_loop = _tiff_header() + struct.pack("<H", 1) + _entry(0x8769, 4, 1, 8) + struct.pack("<I", 0)
    past_end = _tiff_header() + struct.pack("<H", 1) + _entry(0x010E, 2, 100, 5000) + struct.pack("<I", 0)
    huge = (
        _tiff_header(">")
        + struct.pack(">H", 1)
        + _entry(0x0111, 4, 0x3FFFFFFF, 26, ">")
        + struct.pack(">I", 0)
    )
    truncated = _tiff_header() + struct.pack("<H", 40) + _entry(0x0100, 3, 1, 2) * 3
    gps_past_end = _tiff_header() + struct.pack("<H", 1) + _entry(0x8825, 4, 1, 99_999) + struct.pack("<I", 0)
    many = _tiff_header() + struct.pack("<H", 65535) + b"\x00" * 64
    ifd0_outside = _tiff_header(first=1_000_000)
    return [
        HostileImage("tiff-ifd-loop.tif", loop, "loop", "IFD0's next pointer is IFD0"),
        HostileImage("tiff-exif-ifd-loop.tif", exif_loop, "loop", "the Exif IFD pointer is IFD0"),
        HostileImage(
            "tiff-value-past-end.tif", past_end, "past the end", "a value at offset 5000 of 26 bytes"
        ),
        HostileImage("tiff-huge-count.tif", huge, "past the end", "a count of a billion LONGs"),
        HostileImage("tiff-truncated-ifd.tif", truncated, "past the end", "40 entries, 3 present"),
        HostileImage("tiff-gps-ifd-past-end.tif", gps_past_end, "GPS IFD.*past the end", "GPS IFD at 99999"),
        HostileImage("tiff-65535-entries.tif", many, "more than the limit", "65535 entries"),
        HostileImage(
            "tiff-ifd0-outside.tif", ifd0_outside, "IFD0 offset", "IFD0 at 1,000,000 in a 8-byte file"
        ),
        HostileImage("tiff-truncated-header.tif", b"II*\x00\x08", "TIFF|past the end", "a 5-byte TIFF"),
    ]


def _jpeg_cases() -> list[HostileImage]:
    exif_loop = exif_block("<", ifd0=[(0x010F, 2, b"Mk\x00")])
    exif_loop = exif_loop[:-4] + struct.pack("<I", 8)  # IFD0's next pointer: IFD0 again
    long_iim = iim_block((2, 120, b"caption"))
    long_iim = long_iim[:3] + struct.pack(">H", 1000) + long_iim[5:]
    huge_extended = b"\x1c\x02\x78\x80\x04\xff\xff\xff\xff" + b"x" * 10
    irb_past_end = b"8BIM" + struct.pack(">HHI", 0x0404, 0, 100_000) + b"\x1c\x02\x78\x00\x01x"
    bad_width = b"\x1c\x02\x78\x80\x07" + b"\x00" * 10
    return [
        HostileImage(
            "jpeg-exif-ifd-loop.jpg", tiny_jpeg(app1_exif(exif_loop), exif=False), "loop", "EXIF IFD loop"
        ),
        HostileImage(
            "jpeg-exif-truncated.jpg",
            tiny_jpeg(app1_exif(b"MM\x00\x2a\x00\x00\x00\x08\x00\x30"), exif=False),
            "past the end",
            "an Exif IFD0 of 48 entries in 2 bytes",
        ),
        HostileImage(
            "jpeg-iim-longer-than-block.jpg",
            tiny_jpeg(app13(irb(0x0404, long_iim)), exif=False),
            "IIM dataset 2:120 claims 1000 bytes",
            "an IIM caption of 1000 bytes in a 12-byte block",
        ),
        HostileImage(
            "jpeg-iim-extended-length-huge.jpg",
            tiny_jpeg(app13(irb(0x0404, huge_extended)), exif=False),
            "claims 4294967295 bytes",
            "an IIM extended length of 4 GB",
        ),
        HostileImage(
            "jpeg-iim-extended-length-width.jpg",
            tiny_jpeg(app13(irb(0x0404, bad_width)), exif=False),
            "extended length of 7 bytes",
            "an IIM extended length field of 7 bytes",
        ),
        HostileImage(
            "jpeg-irb-past-segment.jpg",
            tiny_jpeg(segment(0xED, b"Photoshop 3.0\x00" + irb_past_end), exif=False),
            "image resource 0x0404 claims 100000 bytes",
            "a Photoshop resource longer than its APP13 segment",
        ),
    ]


def _png_cases() -> list[HostileImage]:
    good = tiny_png(png_chunk(b"tEXt", b"Comment\x00hello"))
    at = good.index(b"tEXt") + 4 + len(b"Comment\x00hello")
    bad_crc = good[:at] + bytes([good[at] ^ 0xFF]) + good[at + 1 :]
    past_end = good[:33] + struct.pack(">I", 0x7FFFFFF0) + b"tEXt" + b"x" * 20
    bomb_text = b"\nexif\n  1000000000\n" + b"0" * 4096
    bomb = zlib.compress(bomb_text + b"0" * (40 * 1024 * 1024), 9)
    ztxt_bomb = tiny_png(png_chunk(b"zTXt", b"Raw profile type exif\x00\x00" + bomb))
    lying_profile = tiny_png(png_chunk(b"tEXt", b"Raw profile type iptc\x00\niptc\n  5000\n1c0278"))
    no_iend = tiny_png()[:-12]
    exif_loop = exif_block("<", ifd0=[(0x8769, 4, 8)])
    return [
        HostileImage("png-bad-crc.png", bad_crc, "bad CRC", "a tEXt chunk whose CRC is wrong"),
        HostileImage("png-chunk-past-end.png", past_end, "past the end", "a chunk of 2 GB in a small file"),
        HostileImage("png-ztxt-bomb.png", ztxt_bomb, "more than", "a zTXt that inflates to 40 MB"),
        HostileImage(
            "png-raw-profile-lies.png", lying_profile, "claims 5000 bytes", "a raw profile that lies"
        ),
        HostileImage("png-no-iend.png", no_iend, "IEND", "a PNG cut before IEND"),
        HostileImage(
            "png-exif-loop.png", tiny_png(png_chunk(b"eXIf", exif_loop)), "loop", "an eXIf IFD loop"
        ),
    ]


def _riff(*chunks: bytes, claim: int | None = None) -> bytes:
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body) if claim is None else claim) + body


def _webp_chunk(kind: bytes, data: bytes, claim: int | None = None) -> bytes:
    size = len(data) if claim is None else claim
    return kind + struct.pack("<I", size) + data + (b"\x00" if len(data) % 2 else b"")


def _webp_cases() -> list[HostileImage]:
    vp8l = _webp_chunk(b"VP8L", b"\x2f\x00\x00\x00\x00")
    return [
        HostileImage(
            "webp-riff-size-lies.webp", _riff(vp8l, claim=1_000_000), "RIFF header claims", "RIFF size"
        ),
        HostileImage(
            "webp-chunk-size-lies.webp",
            _riff(_webp_chunk(b"EXIF", b"II*\x00", claim=0x7FFFFFFF), vp8l),
            "chunk b'EXIF' claims",
            "an EXIF chunk that claims 2 GB",
        ),
        HostileImage(
            "webp-exif-past-end.webp",
            _riff(_webp_chunk(b"EXIF", b"II*\x00\x00\x10\x00\x00"), vp8l),
            "IFD0 offset",
            "EXIF whose IFD0 lies outside it",
        ),
    ]


def _box(kind: bytes, body: bytes, claim: int | None = None) -> bytes:
    return struct.pack(">I", 8 + len(body) if claim is None else claim) + kind + body


def _heif(meta_children: bytes, meta_claim: int | None = None) -> bytes:
    ftyp = _box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic")
    meta = _box(b"meta", b"\x00\x00\x00\x00" + meta_children, meta_claim)
    return ftyp + meta


def _infe(item: int, kind: bytes) -> bytes:
    return _box(b"infe", b"\x02\x00\x00\x00" + struct.pack(">HH", item, 0) + kind + b"\x00")


def _heif_cases() -> list[HostileImage]:
    iinf = _box(b"iinf", b"\x00\x00\x00\x00" + struct.pack(">H", 1) + _infe(1, b"Exif"))
    iloc_past = _box(
        b"iloc", b"\x00\x00\x00\x00" + bytes([0x44, 0x00]) + struct.pack(">HHHHII", 1, 1, 0, 1, 10_000, 50)
    )
    iloc_huge = _box(
        b"iloc", b"\x00\x00\x00\x00" + bytes([0x44, 0x00]) + struct.pack(">HHHHII", 1, 1, 0, 1, 0, 0x7FFFFFFF)
    )
    iloc_count = _box(b"iloc", b"\x00\x00\x00\x00" + bytes([0x44, 0x00]) + struct.pack(">H", 65535))
    return [
        HostileImage(
            "heif-box-size-lies.heic", _heif(iinf, meta_claim=1_000_000), "box b'meta' claims", "meta size"
        ),
        HostileImage(
            "heif-iloc-past-end.heic", _heif(iinf + iloc_past), "past the end", "an Exif item past the end"
        ),
        HostileImage(
            "heif-iloc-huge.heic", _heif(iinf + iloc_huge), "more than the limit", "an Exif item of 2 GB"
        ),
        HostileImage("heif-iloc-count.heic", _heif(iinf + iloc_count), "more than the limit", "65535 items"),
        HostileImage(
            "heif-largesize-lies.heic",
            _heif(_box(b"iinf", b"", claim=1) + struct.pack(">Q", 2**40)),
            "claims 1099511627776 bytes",
            "a 64-bit box size of 1 TB",
        ),
    ]


def _psd_cases() -> list[HostileImage]:
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 8, 8, 8, 3)
    lying = header + struct.pack(">I", 0) + struct.pack(">I", 1_000_000) + b"8BIM"
    color_lies = header + struct.pack(">I", 0x7FFFFFFF)
    return [
        HostileImage(
            "psd-resources-length-lies.psd", lying, "PSD image resources", "a 1 MB resource section"
        ),
        HostileImage("psd-color-data-lies.psd", color_lies, "past the end", "a 2 GB colour mode section"),
    ]


def _other_cases() -> list[HostileImage]:
    return [
        HostileImage("text-named.jpg", b"hello, I am not an image\n", "not an image", "text named .jpg"),
        HostileImage("tiff-bigtiff.tif", b"II+\x00\x08\x00\x00\x00" + b"\x00" * 16, "BigTIFF", "BigTIFF"),
        HostileImage("tiff-in-jpeg-clothes.tif", tiny_tiff()[:30], "past the end", "a TIFF cut in its IFD"),
    ]


def _more_cases() -> list[HostileImage]:
    itxt_bomb = b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + zlib.compress(b" " * (40 * 1024 * 1024), 9)
    irb_name = b"8BIM\x04\x04\xff" + b"x" * 8
    ipma = _box(b"iprp", _box(b"ipco", b"") + _box(b"ipma", b"\x00\x00\x00\x00" + struct.pack(">I", 10**9)))
    vp8x_short = _riff(_webp_chunk(b"VP8X", b"\x00\x00"))
    return [
        HostileImage(
            "png-itxt-bomb.png", tiny_png(png_chunk(b"iTXt", itxt_bomb)), "more than", "an iTXt XMP bomb"
        ),
        HostileImage(
            "jpeg-irb-name-past-end.jpg",
            tiny_jpeg(app13(irb_name), exif=False),
            "name runs past the end",
            "a resource name longer than its block",
        ),
        HostileImage(
            "heif-ipma-count.heic", _heif(ipma), "more than the limit", "ipma claims a billion entries"
        ),
        HostileImage("webp-vp8x-short.webp", vp8x_short, "past the end", "a 2-byte VP8X chunk"),
        HostileImage(
            "jpeg-exif-ifd0-at-zero.jpg",
            tiny_jpeg(app1_exif(b"II*\x00\x00\x00\x00\x00"), exif=False),
            "IFD0 offset 0",
            "an Exif IFD0 offset of 0",
        ),
    ]


def hostile_images() -> list[HostileImage]:
    return (
        _tiff_cases()
        + _jpeg_cases()
        + _png_cases()
        + _webp_cases()
        + _heif_cases()
        + _psd_cases()
        + _other_cases()
        + _more_cases()
    )
