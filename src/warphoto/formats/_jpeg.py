"""A strict, bounded JPEG marker walk, and XMP in APP1 segments (standard and extended XMP).

Only the marker segments before the first SOS (start of scan) are parsed; from SOS on, the
bytes (scan header, entropy-coded data, further scans, EOI and anything after) are kept as one
opaque tail, so embedding metadata never touches the image data. Every length is checked
against the file size; a problem is a :class:`~warphoto.errors.ReadError` naming the byte offset.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from warphoto.errors import ReadError, WriteError

__all__ = [
    "EXTENDED_XMP_SIGNATURE",
    "MAX_EXTENDED_XMP_BYTES",
    "MAX_SEGMENTS",
    "MAX_STANDARD_XMP_BYTES",
    "XMP_SIGNATURE",
    "Jpeg",
    "Segment",
    "build_extended_segments",
    "parse_jpeg",
]

XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"
EXTENDED_XMP_SIGNATURE = b"http://ns.adobe.com/xmp/extension/\x00"
#: a marker segment holds at most 65535 bytes after the marker, 2 of them the length field
_MAX_SEGMENT_PAYLOAD = 65533
#: the most XMP a standard APP1 segment can hold (XMP specification part 3, 1.1.3.1)
MAX_STANDARD_XMP_BYTES = _MAX_SEGMENT_PAYLOAD - len(XMP_SIGNATURE)
#: payload bytes of one extended XMP chunk: signature, 32-byte GUID, full length and offset
_EXTENDED_HEADER = len(EXTENDED_XMP_SIGNATURE) + 32 + 4 + 4
_EXTENDED_CHUNK = _MAX_SEGMENT_PAYLOAD - _EXTENDED_HEADER
#: a bound on the extended XMP we assemble when reading
MAX_EXTENDED_XMP_BYTES = 16 * 1024 * 1024
#: a bound on the number of marker segments before the image data
MAX_SEGMENTS = 4096

_SOI, _EOI, _SOS, _APP1 = 0xD8, 0xD9, 0xDA, 0xE1
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0-7: no length field


@dataclass(frozen=True)
class Segment:
    """One marker segment: ``data[offset:end]`` is the whole segment, marker included."""

    marker: int
    offset: int
    end: int
    payload: bytes

    @property
    def is_xmp(self) -> bool:
        return self.marker == _APP1 and self.payload.startswith(XMP_SIGNATURE)

    @property
    def is_extended_xmp(self) -> bool:
        return self.marker == _APP1 and self.payload.startswith(EXTENDED_XMP_SIGNATURE)


@dataclass(frozen=True)
class Jpeg:
    """A parsed JPEG: the segments before the image data, and the rest (from SOS on) untouched."""

    data: bytes
    segments: tuple[Segment, ...]
    tail_offset: int

    @property
    def tail(self) -> bytes:
        return self.data[self.tail_offset :]

    def xmp(self, *, source: str | None = None) -> tuple[bytes | None, bytes | None]:
        """The standard XMP packet and the assembled extended XMP (each None when absent)."""
        standard = None
        for segment in self.segments:
            if segment.is_xmp:
                if standard is not None:
                    raise ReadError(
                        "the JPEG holds two standard XMP segments", source=source, offset=segment.offset
                    )
                standard = segment.payload[len(XMP_SIGNATURE) :]
        return standard, self._extended(source)

    def _extended(self, source: str | None) -> bytes | None:
        chunks: dict[bytes, list[tuple[int, int, bytes, int]]] = {}
        for segment in self.segments:
            if not segment.is_extended_xmp:
                continue
            body = segment.payload
            if len(body) < _EXTENDED_HEADER:
                raise ReadError("extended XMP segment is too short", source=source, offset=segment.offset)
            start = len(EXTENDED_XMP_SIGNATURE)
            guid = body[start : start + 32]
            full_length, chunk_offset = struct.unpack(">II", body[start + 32 : start + 40])
            chunks.setdefault(guid, []).append(
                (chunk_offset, full_length, body[_EXTENDED_HEADER:], segment.offset)
            )
        if not chunks:
            return None
        if len(chunks) > 1:
            # the standard packet names the one to use (xmpNote:HasExtendedXMP); we write only one
            raise ReadError("the JPEG holds extended XMP with more than one GUID", source=source)
        ((guid, parts),) = chunks.items()
        full_length = parts[0][1]
        if full_length > MAX_EXTENDED_XMP_BYTES:
            raise ReadError(
                f"extended XMP claims {full_length} bytes, more than the limit of {MAX_EXTENDED_XMP_BYTES}",
                source=source,
                offset=parts[0][3],
            )
        buffer = bytearray(full_length)
        filled = 0
        for chunk_offset, length, chunk, where in sorted(parts):
            if length != full_length or chunk_offset != filled or chunk_offset + len(chunk) > full_length:
                raise ReadError("extended XMP chunks are inconsistent", source=source, offset=where)
            buffer[chunk_offset : chunk_offset + len(chunk)] = chunk
            filled += len(chunk)
        if filled != full_length:
            raise ReadError(f"extended XMP is incomplete: {filled} of {full_length} bytes", source=source)
        data = bytes(buffer)
        if hashlib.md5(data, usedforsecurity=False).hexdigest().upper().encode("ascii") != guid.upper():
            raise ReadError("extended XMP does not match its GUID (MD5 digest)", source=source)
        return data

    def with_payloads(self, payloads: dict[int, bytes]) -> bytes:
        """The JPEG bytes with the payload of the segments at the given offsets replaced (the
        segment keeps its marker and place); every other byte, the image data too, as it was."""
        if not payloads:
            return self.data
        out = [self.data[:2]]
        for segment in self.segments:
            new = payloads.get(segment.offset)
            out.append(
                self.data[segment.offset : segment.end]
                if new is None
                else _segment_bytes(segment.marker, new)
            )
        out.append(self.data[self.tail_offset :])
        return b"".join(out)

    def with_xmp(self, packet: bytes, extended: bytes | None = None) -> bytes:
        """The JPEG bytes with every XMP segment replaced by ``packet`` (and ``extended``).

        The new segment goes where the old standard XMP segment was, or else after the
        leading APP0 (JFIF) and APP1 (Exif) segments. Every other byte stays as it was.
        """
        if len(packet) > MAX_STANDARD_XMP_BYTES:
            raise WriteError(
                f"the XMP packet is {len(packet)} bytes, "
                f"more than the {MAX_STANDARD_XMP_BYTES} an APP1 segment holds"
            )
        new = [_segment_bytes(_APP1, XMP_SIGNATURE + packet)]
        if extended is not None:
            new.extend(build_extended_segments(extended))
        out = [self.data[:2]]
        position = None
        kept: list[Segment] = []
        for segment in self.segments:
            if segment.is_xmp or segment.is_extended_xmp:
                if position is None and segment.is_xmp:
                    position = len(kept)
                continue
            kept.append(segment)
        if position is None:
            position = 0
            while position < len(kept) and (
                kept[position].marker == 0xE0
                or (kept[position].marker == _APP1 and kept[position].payload[:6] == b"Exif\x00\x00")
            ):
                position += 1
        for index, segment in enumerate(kept):
            if index == position:
                out.extend(new)
            out.append(self.data[segment.offset : segment.end])  # fill bytes before a marker stay with it
        if position >= len(kept):
            out.extend(new)
        out.append(self.data[self.tail_offset :])
        return b"".join(out)


def _segment_bytes(marker: int, payload: bytes) -> bytes:
    if len(payload) > _MAX_SEGMENT_PAYLOAD:
        raise WriteError(f"a JPEG segment payload of {len(payload)} bytes is too large")
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def build_extended_segments(extended: bytes) -> list[bytes]:
    """The APP1 segments carrying ``extended`` as extended XMP (GUID = MD5 of the data)."""
    if len(extended) > MAX_EXTENDED_XMP_BYTES:
        raise WriteError(
            f"extended XMP of {len(extended)} bytes is larger than the limit of {MAX_EXTENDED_XMP_BYTES}"
        )
    guid = hashlib.md5(extended, usedforsecurity=False).hexdigest().upper().encode("ascii")
    segments = []
    for offset in range(0, len(extended), _EXTENDED_CHUNK):
        chunk = extended[offset : offset + _EXTENDED_CHUNK]
        payload = EXTENDED_XMP_SIGNATURE + guid + struct.pack(">II", len(extended), offset) + chunk
        segments.append(_segment_bytes(_APP1, payload))
    return segments


def extended_guid(extended: bytes) -> str:
    return hashlib.md5(extended, usedforsecurity=False).hexdigest().upper()


def parse_jpeg(data: bytes, *, source: str | None = None) -> Jpeg:
    """Walk the marker segments of ``data`` up to the image data; ReadError names the offset of a problem."""
    size = len(data)
    if size < 4 or data[0] != 0xFF or data[1] != _SOI:
        raise ReadError(
            "not a JPEG file: it does not start with the SOI marker FF D8", source=source, offset=0
        )
    segments: list[Segment] = []
    pos = 2
    while True:
        if pos >= size:
            raise ReadError("the JPEG ends before its image data (no SOS marker)", source=source, offset=pos)
        if data[pos] != 0xFF:
            raise ReadError(
                f"expected a marker (FF) but found byte {data[pos]:02X}: "
                "the segment before it is inconsistent",
                source=source,
                offset=pos,
            )
        start = pos
        while pos < size and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= size:
            raise ReadError("the JPEG ends inside a marker", source=source, offset=start)
        marker = data[pos]
        pos += 1
        if marker == 0x00:
            raise ReadError("a stuffed FF 00 where a marker was expected", source=source, offset=start)
        if marker in _STANDALONE:
            segments.append(Segment(marker=marker, offset=start, end=pos, payload=b""))
            continue
        if marker == _SOI:
            raise ReadError("a second SOI marker before the image data", source=source, offset=start)
        if marker == _EOI:
            raise ReadError("an EOI marker before any image data", source=source, offset=start)
        if pos + 2 > size:
            raise ReadError(
                f"segment FF{marker:02X} is truncated: no length field", source=source, offset=start
            )
        (length,) = struct.unpack_from(">H", data, pos)
        if length < 2:
            raise ReadError(
                f"segment FF{marker:02X} has an impossible length {length}", source=source, offset=start
            )
        end = pos + length
        if end > size:
            raise ReadError(
                f"segment FF{marker:02X} claims {length} bytes but the file ends {end - size} bytes short",
                source=source,
                offset=start,
            )
        if marker == _SOS:
            return Jpeg(data=data, segments=tuple(segments), tail_offset=start)
        segments.append(Segment(marker=marker, offset=start, end=end, payload=data[pos + 2 : end]))
        if len(segments) > MAX_SEGMENTS:
            raise ReadError(
                f"more than {MAX_SEGMENTS} marker segments before the image data", source=source, offset=start
            )
        pos = end
