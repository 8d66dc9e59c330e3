"""A redacted TIFF: new IFDs holding only the tags that decode the picture, the strips or tiles
copied byte for byte, and new metadata.

Each image of IFD0's chain (pages, thumbnails) is copied; in its new IFD only the structural tags
of ``STRUCTURAL`` stay (size, compression, photometry, strip and tile layout, colour map, YCbCr,
ICC profile...). Gone: descriptions, make, model, software, dates, artist, copyright, XMP (700),
IPTC (33723), Photoshop resources (34377), the Exif and GPS IFDs, GeoTIFF tags and every private
tag. IFD0 gains the record's XMP (tag 700) and orientation (274). A TIFF with SubIFDs (a DNG or
another raw file keeps its raw image there) is refused: its image data could not all be copied.
"""

from __future__ import annotations

import struct

from warphoto.errors import WriteError
from warphoto.imagefile._binary import View
from warphoto.imagefile.tiff import MAX_CHAIN, Ifd, parse_tiff

__all__ = ["STRUCTURAL", "redact_tiff"]

#: tags that say how to decode the image (TIFF 6.0 baseline and extensions, and the ICC profile)
STRUCTURAL = frozenset(
    {
        254, 255, 256, 257, 258, 259, 262, 263, 264, 265, 266, 274, 277, 278, 280, 281, 282, 283, 284,
        290, 291, 292, 293, 296, 301, 317, 318, 319, 320, 321, 322, 323, 332, 334, 336, 338, 339, 340,
        341, 342, 347, 512, 529, 530, 531, 532, 34675,
    }
)  # fmt: skip
#: (offsets tag, byte counts tag) of the image data: strips, tiles, an old-style JPEG stream
_DATA = ((273, 279), (324, 325), (513, 514))
_SUBIFDS, _DNG_VERSION, _XMP, _ORIENTATION = 330, 50706, 700, 274

_Entry = tuple[int, int, int, bytes]  # tag, type, count, value bytes in the file's byte order


class _Writer:
    def __init__(self, order: str) -> None:
        self.order = order
        self.out = bytearray((b"II" if order == "<" else b"MM") + struct.pack(order + "HI", 42, 0))
        self.link = 4  # where the offset of the next IFD goes

    def append(self, data: bytes) -> int:
        if len(self.out) & 1:
            self.out.append(0)
        at = len(self.out)
        self.out += data
        return at

    def ifd(self, entries: list[_Entry]) -> None:
        """Write an IFD (its long values first) and link it from the previous one."""
        fields = []
        for tag, kind, count, data in sorted(entries):
            at = (
                data.ljust(4, b"\x00") if len(data) <= 4 else struct.pack(self.order + "I", self.append(data))
            )
            fields.append(struct.pack(self.order + "HHI", tag, kind, count) + at)
        table = struct.pack(self.order + "H", len(fields)) + b"".join(fields)
        start = self.append(table + b"\x00\x00\x00\x00")
        struct.pack_into(self.order + "I", self.out, self.link, start)
        self.link = start + len(table)


def _numbers(ifd: Ifd, tag: int) -> list[int]:
    value = ifd.value(tag)
    return [int(v) for v in value] if isinstance(value, tuple) else []


def _copy(view: View, ifd: Ifd, writer: _Writer) -> list[_Entry]:
    """The IFD's structural entries, its image data copied into ``writer`` (offsets renewed)."""
    order = writer.order
    entries: list[_Entry] = []
    for tag, entry in ifd.entries.items():
        if tag in STRUCTURAL:
            raw = ifd.raw(tag)
            assert raw is not None
            entries.append((tag, entry.type, entry.count, raw))
    for offsets_tag, counts_tag in _DATA:
        if offsets_tag not in ifd:
            continue
        offsets, counts = _numbers(ifd, offsets_tag), _numbers(ifd, counts_tag)
        if len(offsets) != len(counts):
            raise view.fail(
                f"{ifd.name}: {len(offsets)} image data offsets but {len(counts)} byte counts",
                ifd.entries[offsets_tag].entry_offset,
            )
        moved = [
            writer.append(view.read(at, size, f"{ifd.name} image data block {n}"))
            for n, (at, size) in enumerate(zip(offsets, counts, strict=True))
        ]
        entries.append((offsets_tag, 4, len(moved), struct.pack(f"{order}{len(moved)}I", *moved)))
        entries.append((counts_tag, 4, len(counts), struct.pack(f"{order}{len(counts)}I", *counts)))
    return entries


def redact_tiff(image: bytes, packet: bytes, orientation: int | None, *, source: str | None = None) -> bytes:
    """The TIFF ``image`` rebuilt with structural tags only, the XMP ``packet`` and ``orientation``."""
    view = View.of(image, source)
    tiff = parse_tiff(view)
    last = tiff.ifds[-1]
    if len(tiff.ifds) == MAX_CHAIN and last.next_offset and last.next_offset < len(view):
        raise WriteError(f"{source}: more than {MAX_CHAIN} images in the TIFF; a copy would lose some")
    writer = _Writer(tiff.order)
    for number, ifd in enumerate(tiff.ifds):
        if _SUBIFDS in ifd or _DNG_VERSION in ifd:
            raise WriteError(
                f"{source}: a TIFF with SubIFDs (a DNG or another raw file) cannot be copied yet: "
                "its raw image data lies there"
            )
        entries = _copy(view, ifd, writer)
        if number == 0:
            entries = [e for e in entries if e[0] != _ORIENTATION]
            entries.append((_XMP, 1, len(packet), packet))
            if orientation is not None:
                entries.append((_ORIENTATION, 3, 1, struct.pack(tiff.order + "H", orientation)))
        writer.ifd(entries)
    return bytes(writer.out)
