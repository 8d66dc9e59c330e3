"""PNG: the pixel size from IHDR, XMP from ``iTXt`` ``XML:com.adobe.xmp``, EXIF from ``eXIf``,
and the ImageMagick/ExifTool text chunks ``Raw profile type exif`` / ``iptc`` / ``xmp``
(``zTXt``, ``tEXt`` or ``iTXt``, hex-encoded). Chunks are read up to IEND, also after the image
data. The CRC of every chunk ingest reads (all but IDAT) is checked; a bad CRC, or a chunk longer
than the file, is a :class:`~warphoto.errors.ReadError` naming the chunk's offset. Compressed
text is inflated to at most ``MAX_TEXT_BYTES``.
"""

from __future__ import annotations

import binascii
import re
import zlib

from warphoto.imagefile._binary import View
from warphoto.imagefile._parts import Parts
from warphoto.imagefile.irb import IIM, IIM_DIGEST, parse_irb

__all__ = ["MAX_CHUNKS", "MAX_TEXT_BYTES", "SIGNATURE", "read_png"]

SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHUNKS = 100_000
MAX_TEXT_BYTES = 16 * 1024 * 1024
_XMP_KEYWORD = b"XML:com.adobe.xmp"
_RAW_PROFILE = re.compile(rb"^Raw profile type (exif|iptc|xmp|APP1)$", re.IGNORECASE)
_SKIP_CRC = frozenset({b"IDAT"})


def _inflate(view: View, data: bytes, at: int, what: str) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_TEXT_BYTES)
    except zlib.error as error:
        raise view.fail(f"{what}: compressed text is damaged ({error})", at) from None
    if inflater.unconsumed_tail:
        raise view.fail(f"{what}: inflates to more than {MAX_TEXT_BYTES} bytes", at)
    return out


def _text_chunk(view: View, kind: bytes, data: bytes, at: int) -> tuple[bytes, bytes] | None:
    """(keyword, text bytes) of a tEXt, zTXt or iTXt chunk."""
    keyword, sep, rest = data.partition(b"\x00")
    if not sep:
        return None
    what = f"PNG {kind.decode()} chunk {keyword[:80]!r}"
    if kind == b"tEXt":
        return keyword, rest
    if kind == b"zTXt":
        return keyword, _inflate(view, rest[1:], at, what)
    if len(rest) < 2:
        return None
    compressed, body = rest[0], rest[2:]
    _language, _, body = body.partition(b"\x00")
    _translated, _, text = body.partition(b"\x00")
    return keyword, (_inflate(view, text, at, what) if compressed else text)


def _raw_profile(view: View, text: bytes, at: int, what: str) -> bytes:
    """The bytes of an ImageMagick raw profile: ``\\nname\\n  length\\nhex...``."""
    match = re.match(rb"\s*\S+\s+(\d+)\s", text)
    if match is None:
        raise view.fail(f"{what}: not a raw profile (no length)", at)
    length = int(match.group(1))
    digits = re.sub(rb"\s+", b"", text[match.end() :])
    if len(digits) < 2 * length:
        raise view.fail(f"{what}: claims {length} bytes but holds {len(digits) // 2}", at)
    try:
        return binascii.unhexlify(digits[: 2 * length])
    except (binascii.Error, ValueError):
        raise view.fail(f"{what}: the hex digits are damaged", at) from None


def read_png(view: View, parts: Parts) -> None:
    """Fill ``parts`` from the PNG in ``view``."""
    pos = len(SIGNATURE)
    size = len(view)
    count = 0
    while True:
        if pos + 8 > size:
            raise view.fail("the PNG ends before its IEND chunk", pos)
        length = view.u32(pos, "PNG chunk length")
        kind = view.read(pos + 4, 4, "PNG chunk type")
        if length > 0x7FFFFFFF or pos + 12 + length > size:
            raise view.fail(
                f"PNG chunk {kind!r} claims {length} bytes, past the end of the {size}-byte file", pos
            )
        count += 1
        if count > MAX_CHUNKS:
            raise view.fail(f"more than {MAX_CHUNKS} PNG chunks", pos)
        if kind not in _SKIP_CRC:
            data = view.read(pos + 8, length, f"PNG chunk {kind!r}")
            (stored,) = view.unpack(">I", pos + 8 + length, "PNG chunk CRC")
            if zlib.crc32(data, zlib.crc32(kind)) != stored:
                raise view.fail(f"PNG chunk {kind!r} has a bad CRC", pos)
            _chunk(view, parts, kind, data, pos)
        if kind == b"IEND":
            return
        pos += 12 + length


def _chunk(view: View, parts: Parts, kind: bytes, data: bytes, at: int) -> None:
    if kind == b"IHDR":
        if len(data) < 8:
            raise view.fail("PNG IHDR chunk is too short", at)
        parts.width = int.from_bytes(data[0:4], "big")
        parts.height = int.from_bytes(data[4:8], "big")
    elif kind == b"eXIf":
        skip = 6 if data.startswith(b"Exif\x00\x00") else 0
        parts.set_exif(View(data, skip, len(data), view.source), f"eXIf chunk at {at}")
    elif kind in (b"iTXt", b"zTXt", b"tEXt"):
        found = _text_chunk(view, kind, data, at)
        if found is None:
            return
        keyword, text = found
        if keyword == _XMP_KEYWORD:
            parts.set_xmp(text, f"iTXt chunk at {at}")
            return
        match = _RAW_PROFILE.match(keyword)
        if match is None:
            return
        what = f"PNG {kind.decode()} chunk {keyword.decode('latin-1')!r}"
        profile = _raw_profile(view, text, at, what)
        name = match.group(1).lower()
        block = View(profile, 0, len(profile), view.source)
        if name in (b"exif", b"app1"):
            if profile.startswith(b"Exif\x00\x00"):
                block = View(profile, 6, len(profile), view.source)
            parts.set_exif(block, what)
        elif name == b"xmp":
            parts.set_xmp(profile, what)
        elif profile.startswith(b"8BIM"):
            resources = parse_irb(block, parts.warnings)
            if IIM in resources:
                parts.set_iim(resources[IIM], what)
            if IIM_DIGEST in resources:
                digest = resources[IIM_DIGEST]
                parts.iim_digest = digest.read(0, len(digest), "IIM digest")
        else:
            parts.set_iim(block, what)
