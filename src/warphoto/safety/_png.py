"""A redacted PNG: the chunks that decode the picture, copied byte for byte, and new metadata.

Kept: the critical chunks (IHDR, PLTE, IDAT, IEND), the colour and pixel chunks a viewer needs
(tRNS, gAMA, cHRM, sRGB, iCCP, sBIT, bKGD, pHYs, cICP, mDCV, cLLI, hIST) and the frames of an
animated PNG (acTL, fcTL, fdAT). Everything else goes: text chunks (tEXt, zTXt, iTXt: XMP,
comments, raw EXIF/IPTC profiles), eXIf, tIME, C2PA manifests and every private chunk. The
record's XMP goes in an ``iTXt`` ``XML:com.adobe.xmp`` chunk and its orientation, if any, in an
``eXIf`` chunk, both before the first IDAT.
"""

from __future__ import annotations

import struct
import zlib

from warphoto.imagefile._binary import View
from warphoto.imagefile.png import SIGNATURE

__all__ = ["KEPT_CHUNKS", "redact_png"]

KEPT_CHUNKS = frozenset(
    {
        b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
        b"bKGD", b"pHYs", b"cICP", b"mDCV", b"cLLI", b"hIST", b"acTL", b"fcTL", b"fdAT",
    }
)  # fmt: skip


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


def redact_png(image: bytes, packet: bytes, exif: bytes | None, *, source: str | None = None) -> bytes:
    """The PNG ``image`` with only its decoding chunks, the XMP ``packet`` and the ``exif`` block."""
    view = View.of(image, source)
    if not image.startswith(SIGNATURE):
        raise view.fail("not a PNG: no PNG signature", 0)
    new = chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + packet)
    if exif is not None:
        new = chunk(b"eXIf", exif) + new
    out = [SIGNATURE]
    pos = len(SIGNATURE)
    while True:
        if pos + 12 > len(image):
            raise view.fail("the PNG ends before its IEND chunk", pos)
        length = view.u32(pos, "PNG chunk length")
        kind = image[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(image):
            raise view.fail(f"PNG chunk {kind!r} claims {length} bytes, past the end of the file", pos)
        if kind in (b"IDAT", b"fcTL", b"fdAT", b"IEND") and new:
            out.append(new)
            new = b""
        if kind in KEPT_CHUNKS:
            out.append(image[pos:end])
        if kind == b"IEND":
            return b"".join(out)
        pos = end
