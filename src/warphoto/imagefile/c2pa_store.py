"""Find a C2PA manifest store in an image without c2pa-python: the JUMBF superbox in JPEG APP11
segments (``JP``), the PNG ``caBX`` chunk, or the WebP ``C2PA`` chunk. Its lengths are checked:
a box that claims more bytes than it holds is a :class:`~warphoto.errors.ReadError`."""

from __future__ import annotations

from typing import cast

from warphoto.errors import ReadError
from warphoto.formats._jpeg import parse_jpeg
from warphoto.imagefile._binary import Blob

__all__ = ["SCANNED", "find_manifest_store"]

#: the containers searched here; in others (HEIF, TIFF...) only c2pa-python looks
SCANNED = frozenset({"image/jpeg", "image/png", "image/webp"})

_C2PA_UUID = bytes.fromhex("6332706100110010800000aa00389b71")  # "c2pa" + the JUMBF ISO suffix
_MAX_CHUNKS = 100_000


def _check_jumbf(box: bytes, source: str | None, offset: int) -> bytes:
    """``box`` cut to its stated length, when it is a C2PA JUMBF superbox whose lengths hold."""
    if len(box) < 8:
        raise ReadError(
            "the C2PA manifest store is shorter than a JUMBF box header", source=source, offset=offset
        )
    length = int.from_bytes(box[0:4], "big")
    header = 8
    if length == 1:
        if len(box) < 16:
            raise ReadError("the C2PA JUMBF box is cut inside its length", source=source, offset=offset)
        length, header = int.from_bytes(box[8:16], "big"), 16
    elif length == 0:
        length = len(box)
    if box[4:8] != b"jumb":
        raise ReadError(
            f"the C2PA manifest store is not a JUMBF box (type {box[4:8]!r})", source=source, offset=offset
        )
    if length < header + 8 or length > len(box):
        raise ReadError(
            f"the C2PA JUMBF box claims {length} bytes but {len(box)} are stored",
            source=source,
            offset=offset,
        )
    description = box[header : header + 8]
    size = int.from_bytes(description[0:4], "big")
    if description[4:8] != b"jumd" or size < 25 or header + size > length:
        raise ReadError("the C2PA JUMBF box has no valid description box", source=source, offset=offset)
    if box[header + 8 : header + 24] != _C2PA_UUID:
        raise ReadError("the JUMBF box is not a C2PA manifest store", source=source, offset=offset)
    return box[:length]


def _is_c2pa(box: bytes) -> bool:
    """Does the JUMBF description box name the C2PA type (other APP11 users, e.g. JPEG XT, do not)?"""
    return box[16:32] == _C2PA_UUID or (box[0:4] == b"\x00\x00\x00\x01" and box[24:40] == _C2PA_UUID)


def _jpeg(data: Blob, source: str | None) -> bytes | None:
    jpeg = parse_jpeg(cast(bytes, data), source=source)
    boxes: dict[bytes, list[bytes]] = {}
    starts: dict[bytes, int] = {}
    for segment in jpeg.segments:
        payload = bytes(segment.payload)
        if segment.marker != 0xEB or not payload.startswith(b"JP") or len(payload) < 16:
            continue
        instance = payload[2:4]
        if instance not in boxes:
            starts[instance] = segment.offset
            boxes[instance] = [payload[8:]]
        else:  # a later segment of the same box repeats its 8-byte header (LBox, TBox)
            boxes[instance].append(payload[16:])
    for instance, parts in boxes.items():
        if _is_c2pa(parts[0]):
            return _check_jumbf(b"".join(parts), source, starts[instance])
    return None


def _chunks(data: Blob, source: str | None, start: int, kind_size: int, little: bool) -> bytes | None:
    """The C2PA chunk of a PNG (length, type) or a WebP RIFF (type, length) file."""
    pos, count = start, 0
    size = len(data)
    while pos + 8 <= size and count < _MAX_CHUNKS:
        count += 1
        head = bytes(data[pos : pos + 8])
        if little:
            kind, length = head[0:4], int.from_bytes(head[4:8], "little")
        else:
            length, kind = int.from_bytes(head[0:4], "big"), head[4:8]
        body = pos + 8
        if kind in (b"caBX", b"C2PA"):
            return _check_jumbf(bytes(data[body : body + length]), source, pos)
        if kind == b"IEND":
            return None
        pos = body + length + kind_size + (length & 1 if little else 0)
    return None


def find_manifest_store(data: Blob, media_type: str, *, source: str | None = None) -> bytes | None:
    """The C2PA manifest store (a JUMBF box) embedded in the image ``data``, or None."""
    if media_type == "image/jpeg":
        return _jpeg(data, source)
    if media_type == "image/png":
        return _chunks(data, source, 8, 4, little=False)
    if media_type == "image/webp":
        return _chunks(data, source, 12, 0, little=True)
    return None
