"""WebP (RIFF): the ``EXIF`` and ``XMP `` chunks, and the pixel size from ``VP8X`` (the canvas),
``VP8`` (lossy key frame) or ``VP8L`` (lossless). A RIFF or chunk size that claims more bytes
than the file holds is a :class:`~warphoto.errors.ReadError` naming its offset."""

from __future__ import annotations

from collections.abc import Iterator

from warphoto.imagefile._binary import View
from warphoto.imagefile._parts import Parts

__all__ = ["MAX_CHUNKS", "read_webp", "riff_chunks", "riff_end"]

MAX_CHUNKS = 100_000


def riff_end(view: View) -> int:
    """Where the RIFF data of the WebP file in ``view`` ends (its header's size, checked)."""
    riff_size = view.u32(4, "RIFF size", "<")
    if 8 + riff_size > len(view):
        raise view.fail(f"the RIFF header claims {riff_size} bytes, but the file holds {len(view) - 8}", 4)
    return 8 + riff_size


def riff_chunks(view: View, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, offset, size of the data) of each chunk before ``end``, at most ``MAX_CHUNKS``."""
    pos = 12
    count = 0
    while pos + 8 <= end:
        kind = view.read(pos, 4, "RIFF chunk type")
        size = view.u32(pos + 4, "RIFF chunk size", "<")
        if pos + 8 + size > end:
            raise view.fail(f"WebP chunk {kind!r} claims {size} bytes, past the end of the RIFF data", pos)
        count += 1
        if count > MAX_CHUNKS:
            raise view.fail(f"more than {MAX_CHUNKS} RIFF chunks", pos)
        yield kind, pos, size
        pos += 8 + size + (size & 1)


def read_webp(view: View, parts: Parts) -> None:
    """Fill ``parts`` from the WebP file in ``view``."""
    end = riff_end(view)
    if end < len(view):
        parts.warnings.append(f"{len(view) - end} bytes after the RIFF data are not read")
    for kind, pos, size in riff_chunks(view, end):
        _chunk(view.sub(pos + 8, size, f"WebP chunk {kind!r}"), kind, parts, pos)


def _chunk(body: View, kind: bytes, parts: Parts, at: int) -> None:
    if kind == b"VP8X":
        flags = body.read(4, 6, "VP8X canvas size")
        parts.width = int.from_bytes(flags[0:3], "little") + 1
        parts.height = int.from_bytes(flags[3:6], "little") + 1
    elif kind == b"VP8 " and parts.width is None:
        if body.read(3, 3, "VP8 start code") != b"\x9d\x01\x2a":
            raise body.fail("VP8 chunk has no key-frame start code", 3)
        parts.width = body.u16(6, "VP8 width", "<") & 0x3FFF
        parts.height = body.u16(8, "VP8 height", "<") & 0x3FFF
    elif kind == b"VP8L" and parts.width is None:
        if body.u8(0, "VP8L signature") != 0x2F:
            raise body.fail("VP8L chunk has no signature byte 2F", 0)
        bits = body.u32(1, "VP8L size", "<")
        parts.width = (bits & 0x3FFF) + 1
        parts.height = ((bits >> 14) & 0x3FFF) + 1
    elif kind == b"EXIF":
        block = body
        if body.startswith(b"Exif\x00\x00"):
            block = body.sub(6, len(body) - 6, "EXIF chunk")
        parts.set_exif(block, f"EXIF chunk at {at}")
    elif kind == b"XMP ":
        parts.set_xmp(body.read(0, len(body), "XMP chunk"), f"XMP chunk at {at}")
