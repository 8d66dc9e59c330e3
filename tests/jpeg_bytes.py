"""Small, valid JPEG files built byte by byte, for tests and the fuzzing harness.

Nothing here imports warphoto, so the atheris harness can build its seeds before it
instruments warphoto's modules.
"""

from __future__ import annotations

import struct


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def tiny_jpeg(*extra_segments: bytes, exif: bool = True, comment: bytes | None = b"hello") -> bytes:
    """A valid 8x8 grey baseline JPEG (one block, every coefficient zero): JFIF, then
    ``extra_segments``, an Exif segment (unless ``exif=False``) and a comment (unless None)."""
    out = b"\xff\xd8" + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    out += b"".join(extra_segments)
    if exif:
        tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00"  # a TIFF header and an empty IFD0
        out += segment(0xE1, b"Exif\x00\x00" + tiff)
    if comment is not None:
        out += segment(0xFE, comment)
    out += segment(0xDB, b"\x00" + bytes([1] * 64))
    out += segment(0xC0, b"\x08\x00\x08\x00\x08\x01\x01\x11\x00")
    out += segment(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00")
    out += segment(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    out += segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    return out + b"\x3f\xff\xd9"
