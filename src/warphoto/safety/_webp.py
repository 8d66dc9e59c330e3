"""A redacted WebP: the chunks that decode the picture, copied byte for byte, and new metadata.

Kept: the image data (VP8, VP8L, ALPH), the ICC profile (ICCP) and animation (ANIM, ANMF whole).
Gone: EXIF, XMP and every unknown chunk. The copy is always in the extended format: a ``VP8X``
header (the original's canvas size and ICC, alpha and animation flags, or for a simple file
those its bitstream says) with the XMP flag, then the kept chunks, an ``EXIF`` chunk with the
record's orientation if any, and the ``XMP `` chunk with the record's XMP.
"""

from __future__ import annotations

import struct

from warphoto.imagefile._binary import View
from warphoto.imagefile.webp import riff_chunks, riff_end

__all__ = ["KEPT_CHUNKS", "redact_webp"]

KEPT_CHUNKS = (b"ICCP", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L")
_ICC, _ALPHA, _EXIF, _XMP, _ANIMATION = 0x20, 0x10, 0x08, 0x04, 0x02


def _chunk(kind: bytes, data: bytes) -> bytes:
    return kind + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) & 1 else b"")


def _chunks(view: View, end: int) -> list[tuple[bytes, int, int]]:
    """(type, start of the chunk, end with padding) of every chunk."""
    return [(kind, pos, min(end, pos + 8 + size + (size & 1))) for kind, pos, size in riff_chunks(view, end)]


def _canvas(view: View, chunks: list[tuple[bytes, int, int]]) -> tuple[int, bytes]:
    """The VP8X flags to keep and the canvas size bytes (width-1, height-1: 24 bits each)."""
    for kind, at, _end in chunks:
        if kind == b"VP8X":
            flags = view.u8(at + 8, "VP8X flags") & (_ICC | _ALPHA | _ANIMATION)
            return flags, view.read(at + 12, 6, "VP8X canvas size")
    for kind, at, _end in chunks:
        if kind == b"VP8 ":
            width = view.u16(at + 14, "VP8 width", "<") & 0x3FFF
            height = view.u16(at + 16, "VP8 height", "<") & 0x3FFF
            return 0, _size(view, at, width, height)
        if kind == b"VP8L":
            bits = view.u32(at + 9, "VP8L size", "<")
            width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
            return (_ALPHA if bits >> 28 & 1 else 0), _size(view, at, width, height)
    raise view.fail("the WebP holds no image data (no VP8, VP8L or VP8X chunk)", 12)


def _size(view: View, at: int, width: int, height: int) -> bytes:
    if width < 1 or height < 1:
        raise view.fail("the WebP bitstream gives no picture size", at)
    return (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")


def redact_webp(image: bytes, packet: bytes, exif: bytes | None, *, source: str | None = None) -> bytes:
    """The WebP ``image`` with only its decoding chunks, the XMP ``packet`` and the ``exif`` block."""
    view = View.of(image, source)
    if len(image) < 12 or image[:4] != b"RIFF" or image[8:12] != b"WEBP":
        raise view.fail("not a WebP: no RIFF WEBP header", 0)
    end = riff_end(view)
    chunks = _chunks(view, end)
    flags, canvas = _canvas(view, chunks)
    flags |= _XMP | (_EXIF if exif is not None else 0)
    body = [_chunk(b"VP8X", bytes((flags, 0, 0, 0)) + canvas)]
    for kind, at, stop in chunks:
        if kind in KEPT_CHUNKS:
            piece = image[at:stop]
            body.append(piece + b"\x00" if len(piece) & 1 else piece)  # a last chunk may lack its pad
    if exif is not None:
        body.append(_chunk(b"EXIF", exif))
    body.append(_chunk(b"XMP ", packet))
    data = b"WEBP" + b"".join(body)
    return b"RIFF" + struct.pack("<I", len(data)) + data
