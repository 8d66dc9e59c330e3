"""Small valid images built byte by byte for the ingest tests (TIFF, PNG; JPEG is tests/jpeg_bytes.py),
and hand-made EXIF and IIM blocks."""

from __future__ import annotations

import struct
import zlib

from ..jpeg_bytes import segment, tiny_jpeg

__all__ = ["exif_block", "iim_block", "irb", "png_chunk", "tiny_jpeg", "tiny_png", "tiny_tiff"]

_TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 10: 8}


def _pack_value(order: str, kind: int, value: object) -> tuple[int, bytes]:
    if kind in (2, 7, 1) and isinstance(value, bytes):
        return len(value), value
    values = value if isinstance(value, (list, tuple)) else [value]
    if kind in (5, 10):
        code = "I" if kind == 5 else "i"
        data = b"".join(struct.pack(order + code * 2, n, d) for n, d in values)  # type: ignore[misc]
        return len(values), data
    code = {3: "H", 4: "I", 1: "B"}[kind]
    return len(values), b"".join(struct.pack(order + code, v) for v in values)  # type: ignore[arg-type]


def ifd(order: str, entries: list[tuple[int, int, object]], at: int, next_ifd: int = 0) -> bytes:
    """An IFD placed at offset ``at``; values longer than 4 bytes follow it."""
    count = len(entries)
    data_at = at + 2 + 12 * count + 4
    head = struct.pack(order + "H", count)
    tail = b""
    for tag, kind, value in sorted(entries, key=lambda e: e[0]):
        n, raw = _pack_value(order, kind, value)
        if len(raw) <= 4:
            head += struct.pack(order + "HHI", tag, kind, n) + raw.ljust(4, b"\x00")
        else:
            head += struct.pack(order + "HHII", tag, kind, n, data_at + len(tail))
            tail += raw + (b"\x00" if len(raw) % 2 else b"")
    return head + struct.pack(order + "I", next_ifd) + tail


def exif_block(
    order: str = "<",
    ifd0: list[tuple[int, int, object]] | None = None,
    exif: list[tuple[int, int, object]] | None = None,
    gps: list[tuple[int, int, object]] | None = None,
) -> bytes:
    """A TIFF structure: IFD0 (with pointers to the Exif and GPS IFDs when given)."""
    mark = b"II" if order == "<" else b"MM"
    entries = list(ifd0 or [])
    # lay out: header, IFD0, Exif IFD, GPS IFD; pointers need offsets, so build twice
    pointers = [(0x8769, exif), (0x8825, gps)]
    placeholder = entries + [(tag, 4, 0) for tag, sub in pointers if sub is not None]
    size0 = len(ifd(order, placeholder, 8))
    at = 8 + size0
    subs = b""
    for tag, sub in pointers:
        if sub is None:
            continue
        entries.append((tag, 4, at + len(subs)))
        subs += ifd(order, sub, at + len(subs))
    return mark + struct.pack(order + "HI", 42, 8) + ifd(order, entries, 8) + subs


def tiny_tiff(order: str = ">", extra: list[tuple[int, int, object]] | None = None) -> bytes:
    """A valid 2x2 8-bit grey uncompressed TIFF in byte order ``order`` ('>' is MM)."""
    pixels = b"\x00\x80\x80\xff"
    entries: list[tuple[int, int, object]] = [
        (256, 3, 2), (257, 3, 2), (258, 3, 8), (259, 3, 1), (262, 3, 1),
        (273, 4, 0), (277, 3, 1), (278, 3, 2), (279, 4, len(pixels)),
        *(extra or []),
    ]  # fmt: skip
    body = ifd(order, entries, 8)
    entries = [(t, k, 8 + len(body) if t == 273 else v) for t, k, v in entries]
    body = ifd(order, entries, 8)
    mark = b"II" if order == "<" else b"MM"
    return mark + struct.pack(order + "HI", 42, 8) + body + pixels


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


def tiny_png(*chunks: bytes, width: int = 1, height: int = 1) -> bytes:
    """A valid grey 8-bit PNG with ``chunks`` (made with :func:`png_chunk`) before IDAT."""
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + ihdr
        + b"".join(chunks)
        + png_chunk(b"IDAT", zlib.compress(raw))
        + png_chunk(b"IEND", b"")
    )


def iim_block(*datasets: tuple[int, int, bytes]) -> bytes:
    return b"".join(b"\x1c" + bytes((r, n)) + struct.pack(">H", len(v)) + v for r, n, v in datasets)


def irb(resource: int, data: bytes) -> bytes:
    """One Photoshop image resource (empty name)."""
    return b"8BIM" + struct.pack(">HHI", resource, 0, len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def app13(*resources: bytes) -> bytes:
    return segment(0xED, b"Photoshop 3.0\x00" + b"".join(resources))


def app1_exif(block: bytes) -> bytes:
    return segment(0xE1, b"Exif\x00\x00" + block)
