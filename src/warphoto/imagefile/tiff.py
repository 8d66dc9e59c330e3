"""A bounded TIFF/IFD parser: the header, IFD0 and its chain, the Exif, GPS and Interop IFDs.

Used for a TIFF (or DNG) file and for every embedded EXIF block (JPEG APP1, PNG eXIf, WebP EXIF,
HEIF Exif item, PSD resource 0x0422), which is a TIFF structure of its own. Values are decoded
only when asked for (:meth:`Ifd.value`), but every entry's extent is checked when the IFD is
read: an entry whose data lies past the end, a count too large for the block, a truncated IFD,
or an IFD that points back at one already read (a loop) is a :class:`~warphoto.errors.ReadError`
naming the absolute byte offset. Memory is bounded by the block size; at most ``MAX_IFDS`` IFDs
and ``MAX_ENTRIES`` entries per IFD are read.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from warphoto.errors import ReadError
from warphoto.imagefile._binary import View

__all__ = [
    "MAX_ENTRIES",
    "MAX_IFDS",
    "Entry",
    "Ifd",
    "Tiff",
    "TiffValue",
    "parse_tiff",
]

#: IFDs followed at most (IFD0's chain and the sub-IFDs together)
MAX_IFDS = 64
#: entries one IFD may hold (TIFF allows 65535; no real file comes near this)
MAX_ENTRIES = 4096
#: IFD0's chain of next-IFD pointers is followed this far (pages, thumbnails)
MAX_CHAIN = 16

EXIF_IFD, GPS_IFD, INTEROP_IFD = 0x8769, 0x8825, 0xA005

#: TIFF field types: size of one value, and its struct code ('' for bytes kept as bytes)
_TYPES: dict[int, tuple[int, str]] = {
    1: (1, "B"),  # BYTE
    2: (1, ""),  # ASCII
    3: (2, "H"),  # SHORT
    4: (4, "I"),  # LONG
    5: (8, "I"),  # RATIONAL (two LONGs)
    6: (1, "b"),  # SBYTE
    7: (1, ""),  # UNDEFINED
    8: (2, "h"),  # SSHORT
    9: (4, "i"),  # SLONG
    10: (8, "i"),  # SRATIONAL
    11: (4, "f"),  # FLOAT
    12: (8, "d"),  # DOUBLE
    13: (4, "I"),  # IFD
}
ASCII, UNDEFINED, RATIONAL, SRATIONAL = 2, 7, 5, 10

#: a decoded value: text and opaque bytes as bytes, numbers as a tuple of int or float
TiffValue = bytes | tuple[int | float, ...]


@dataclass(frozen=True)
class Entry:
    """One IFD entry; ``at`` is the relative offset of its value (inline or pointed to)."""

    tag: int
    type: int
    count: int
    at: int
    entry_offset: int


@dataclass(frozen=True)
class Ifd:
    """One image file directory: its entries by tag, read lazily from ``view``."""

    name: str
    offset: int
    view: View
    order: str
    entries: dict[int, Entry] = field(default_factory=dict)
    next_offset: int = 0

    def __contains__(self, tag: int) -> bool:
        return tag in self.entries

    def raw(self, tag: int) -> bytes | None:
        """The bytes of a tag's value, or None when absent."""
        entry = self.entries.get(tag)
        if entry is None:
            return None
        size = _TYPES[entry.type][0]
        return self.view.read(entry.at, size * entry.count, f"{self.name} tag 0x{tag:04X}")

    def value(self, tag: int) -> TiffValue | None:
        """The tag's value: bytes for ASCII/UNDEFINED/BYTE text, else a tuple of numbers."""
        entry = self.entries.get(tag)
        if entry is None:
            return None
        size, code = _TYPES[entry.type]
        if not code:
            return self.view.read(entry.at, entry.count, f"{self.name} tag 0x{tag:04X}")
        what = f"{self.name} tag 0x{tag:04X}"
        if entry.type in (RATIONAL, SRATIONAL):
            self.view.need(entry.at, size * entry.count, what)
            pairs = struct.unpack_from(
                f"{self.order}{2 * entry.count}{code}", self.view.data, self.view.start + entry.at
            )
            return tuple(_ratio(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2))
        self.view.need(entry.at, size * entry.count, what)
        return struct.unpack_from(
            f"{self.order}{entry.count}{code}", self.view.data, self.view.start + entry.at
        )

    def pointer(self, tag: int) -> int | None:
        """A tag holding an offset (a sub-IFD pointer, strip offsets...): its first value, if any."""
        entry = self.entries.get(tag)
        if entry is None or entry.type not in (3, 4, 13) or entry.count < 1:
            return None
        value = self.value(tag)
        assert isinstance(value, tuple)
        return int(value[0])


def _ratio(numerator: int, denominator: int) -> float:
    if denominator == 0:
        return math.nan if numerator == 0 else math.inf
    return numerator / denominator


@dataclass(frozen=True)
class Tiff:
    """A TIFF structure: byte order, IFD0's chain (``ifds[0]`` is IFD0) and the sub-IFDs by name."""

    order: str
    ifds: tuple[Ifd, ...]
    exif: Ifd | None
    gps: Ifd | None
    interop: Ifd | None
    big_endian: bool

    @property
    def ifd0(self) -> Ifd:
        return self.ifds[0]

    def directories(self) -> Iterator[Ifd]:
        """IFD0, then the Exif, GPS and Interop IFDs that are present."""
        yield self.ifd0
        for ifd in (self.exif, self.gps, self.interop):
            if ifd is not None:
                yield ifd


class _Walker:
    def __init__(self, view: View, order: str) -> None:
        self.view = view
        self.order = order
        self.seen: set[int] = set()

    def read(self, offset: int, name: str) -> Ifd:
        view = self.view
        if offset in self.seen:
            raise view.fail(f"{name} at offset {view.start + offset} is an IFD already read (a loop)", offset)
        if len(self.seen) >= MAX_IFDS:
            raise view.fail(f"more than {MAX_IFDS} IFDs", offset)
        self.seen.add(offset)
        count = view.u16(offset, f"{name} entry count", self.order)
        if count > MAX_ENTRIES:
            raise view.fail(f"{name} claims {count} entries, more than the limit of {MAX_ENTRIES}", offset)
        if offset + 2 + 12 * count + 4 > len(view):
            raise view.fail(
                f"{name} at offset {view.start + offset} holds {count} entries ({12 * count + 6} bytes), "
                f"past the end of the {len(view)}-byte TIFF block",
                offset,
            )
        entries: dict[int, Entry] = {}
        base = view.start + offset + 2
        for index in range(count):
            at = offset + 2 + 12 * index
            tag, kind, n = struct.unpack_from(self.order + "HHI", view.data, base + 12 * index)
            if kind not in _TYPES:
                continue  # an unknown type: its size is unknown, the entry is skipped (TIFF 6.0)
            size = _TYPES[kind][0] * n
            if size <= 4:
                value_at = at + 8
            else:
                value_at = struct.unpack_from(self.order + "I", view.data, base + 12 * index + 8)[0]
                if value_at + size > len(view):
                    raise view.fail(
                        f"{name} tag 0x{tag:04X} claims {n} values ({size} bytes) at offset "
                        f"{view.start + value_at}, past the end of the {len(view)}-byte TIFF block",
                        at,
                    )
            entries.setdefault(tag, Entry(tag, kind, n, value_at, at))
        (next_offset,) = struct.unpack_from(self.order + "I", view.data, base + 12 * count)
        return Ifd(name, offset, view, self.order, entries, next_offset)

    def sub(self, parent: Ifd, tag: int, name: str) -> Ifd | None:
        offset = parent.pointer(tag)
        if offset is None or offset == 0:
            return None
        if offset >= len(self.view):
            entry = parent.entries[tag]
            raise self.view.fail(
                f"{parent.name} points to the {name} at offset {self.view.start + offset}, "
                f"past the end of the {len(self.view)}-byte TIFF block",
                entry.entry_offset,
            )
        return self.read(offset, name)


def parse_tiff(view: View, *, follow_chain: bool = True, warnings: list[str] | None = None) -> Tiff:
    """Parse the TIFF structure in ``view`` (a whole TIFF file, or an EXIF block).

    With a ``warnings`` list, a damaged IFD after IFD0 in its chain (a thumbnail, another page:
    nothing ingest reads) ends the chain with a warning instead of an error; a loop is always
    an error.
    """
    head = view.read(0, 4, "TIFF header") if len(view) >= 4 else b""
    if head[:2] == b"II":
        order = "<"
    elif head[:2] == b"MM":
        order = ">"
    else:
        raise view.fail("not a TIFF structure: it does not start with II or MM", 0)
    magic = view.u16(2, "TIFF magic number", order)
    if magic == 43:
        raise view.fail("BigTIFF is not supported", 2)
    if magic != 42:
        raise view.fail(f"not a TIFF structure: magic number {magic}, expected 42", 2)
    first = view.u32(4, "offset of IFD0", order)
    if first < 8 or first >= len(view):
        raise view.fail(f"IFD0 offset {first} lies outside the {len(view)}-byte TIFF block", 4)
    walker = _Walker(view, order)
    ifd0 = walker.read(first, "IFD0")
    chain = [ifd0]
    while follow_chain and chain[-1].next_offset and len(chain) < MAX_CHAIN:
        offset = chain[-1].next_offset
        if offset >= len(view):
            break  # a dangling next pointer is common in camera files and harmless here
        try:
            chain.append(walker.read(offset, f"IFD{len(chain)}"))
        except ReadError as error:
            if warnings is None or "(a loop)" in error.message:
                raise
            warnings.append(f"IFD{len(chain)} is damaged and not read: {error.message}")
            break
    exif = walker.sub(ifd0, EXIF_IFD, "Exif IFD")
    gps = walker.sub(ifd0, GPS_IFD, "GPS IFD")
    interop = walker.sub(exif, INTEROP_IFD, "Interop IFD") if exif is not None else None
    return Tiff(order, tuple(chain), exif, gps, interop, order == ">")
