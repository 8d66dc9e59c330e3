"""Valid images of every container ingest reads, with EXIF, IIM and XMP, built byte by byte:
the seeds of the ingest fuzzers (tests/test_fuzz_readers.py and tests/fuzz/fuzz_ingest.py).
Nothing here imports warphoto, so the atheris harness can build them before instrumenting it."""

from __future__ import annotations

import struct

from .images import app1_exif, app13, exif_block, iim_block, irb, png_chunk, tiny_jpeg, tiny_png, tiny_tiff

__all__ = ["ingest_seeds"]

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt>'
    b'<rdf:li xml:lang="x-default">Izium</rdf:li></rdf:Alt></dc:title></rdf:Description>'
    b"</rdf:RDF></x:xmpmeta>"
)
IIM = iim_block(
    (1, 90, b"\x1b%G"),
    (2, 0, b"\x00\x04"),
    (2, 5, b"Izium"),
    (2, 25, b"war"),
    (2, 25, "Ізюм".encode()),
    (2, 55, b"20220921"),
    (2, 60, b"140510+0300"),
    (2, 80, b"Olena Kovalenko"),
    (2, 120, b"Ruins of the central square"),
)


def camera_exif(order: str = "<") -> bytes:
    return exif_block(
        order,
        ifd0=[
            (0x010F, 2, b"Canon\x00"),
            (0x0110, 2, b"EOS R5\x00"),
            (0x0112, 3, 6),
            (0x013B, 2, b"O. K.\x00"),
        ],
        exif=[
            (0x9003, 2, b"2022:09:21 14:05:10\x00"),
            (0x9291, 2, b"25\x00"),
            (0x9011, 2, b"+03:00\x00"),
            (0x829A, 5, [(1, 250)]),
            (0x829D, 5, [(56, 10)]),
            (0x8827, 3, 400),
            (0xA434, 2, b"RF24-105mm\x00"),
        ],
        gps=[
            (0x0001, 2, b"N\x00"),
            (0x0002, 5, [(49, 1), (12, 1), (3456, 100)]),
            (0x0003, 2, b"E\x00"),
            (0x0004, 5, [(37, 1), (15, 1), (1836, 100)]),
            (0x0007, 5, [(11, 1), (5, 1), (1025, 100)]),
            (0x001D, 2, b"2022:09:21\x00"),
        ],
    )


def _riff(*chunks: tuple[bytes, bytes]) -> bytes:
    body = b"WEBP" + b"".join(k + struct.pack("<I", len(d)) + d + b"\x00" * (len(d) & 1) for k, d in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def _heif(brand: bytes = b"heic") -> bytes:
    exif = struct.pack(">I", 6) + b"Exif\x00\x00" + camera_exif(">")
    infe_exif = _box(b"infe", b"\x02\x00\x00\x00" + struct.pack(">HH", 2, 0) + b"Exif" + b"\x00")
    infe_xmp = _box(
        b"infe", b"\x02\x00\x00\x00" + struct.pack(">HH", 3, 0) + b"mime" + b"\x00application/rdf+xml\x00"
    )
    iinf = _box(b"iinf", b"\x00\x00\x00\x00" + struct.pack(">H", 2) + infe_exif + infe_xmp)
    iloc = _box(
        b"iloc",
        b"\x01\x00\x00\x00"
        + bytes([0x44, 0x00])
        + struct.pack(">H", 2)
        + struct.pack(">HHHHII", 2, 1, 0, 1, 0, len(exif))
        + struct.pack(">HHHHII", 3, 1, 0, 1, len(exif), len(XMP)),
    )
    ispe = _box(b"ispe", b"\x00\x00\x00\x00" + struct.pack(">II", 640, 480))
    ipma = _box(b"ipma", b"\x00\x00\x00\x00" + struct.pack(">IHB", 1, 1, 1) + b"\x81")
    iprp = _box(b"iprp", _box(b"ipco", ispe) + ipma)
    pitm = _box(b"pitm", b"\x00\x00\x00\x00" + struct.pack(">H", 1))
    idat = _box(b"idat", exif + XMP)
    meta = _box(b"meta", b"\x00\x00\x00\x00" + pitm + iinf + iloc + iprp + idat)
    return _box(b"ftyp", brand + b"\x00\x00\x00\x00mif1" + brand) + meta


def _psd() -> bytes:
    resources = irb(0x0404, IIM) + irb(0x0424, XMP) + irb(0x0422, camera_exif(">"))
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 4, 6, 8, 3)
    return header + struct.pack(">I", 0) + struct.pack(">I", len(resources)) + resources + b"\x00" * 16


def ingest_seeds() -> dict[str, bytes]:
    """One valid file of each container, named with its extension."""
    vp8x = bytes([0x08 | 0x04, 0, 0, 0]) + (99).to_bytes(3, "little") + (49).to_bytes(3, "little")
    return {
        "seed.jpg": tiny_jpeg(app1_exif(camera_exif()), app13(irb(0x0404, IIM)), exif=False),
        "seed-mm.tif": tiny_tiff(">", [(33723, 7, IIM), (700, 1, XMP)]),
        "seed-ii.tif": tiny_tiff("<", [(0x010F, 2, b"Nikon\x00"), (33723, 7, IIM)]),
        "seed.png": tiny_png(
            png_chunk(b"eXIf", camera_exif(">")),
            png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP),
            png_chunk(b"tEXt", b"Raw profile type iptc\x00\niptc\n%8d\n" % len(IIM) + IIM.hex().encode()),
        ),
        "seed.webp": _riff(
            (b"VP8X", vp8x), (b"VP8L", b"\x2f\x00\x00\x00\x00"), (b"EXIF", camera_exif()), (b"XMP ", XMP)
        ),
        "seed.heic": _heif(),
        "seed.avif": _heif(b"avif"),
        "seed.psd": _psd(),
    }
