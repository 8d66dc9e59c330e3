"""The one EXIF value a redacted copy carries: the orientation its record keeps (IFD0 tag 274)."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from typing import Any

__all__ = ["ORIENTATION", "exif_block", "orientation_of"]

#: the TIFF/EXIF tag of the orientation
ORIENTATION = 0x0112
_X_RESOLUTION, _Y_RESOLUTION, _RESOLUTION_UNIT, _YCBCR_POSITIONING = 0x011A, 0x011B, 0x0128, 0x0213


def orientation_of(record: Mapping[str, Any]) -> int | None:
    """The record's EXIF ``Orientation`` (2 to 8), or None when upright or not given."""
    for item in record.get("exifData", []) if isinstance(record.get("exifData"), list) else []:
        if isinstance(item, dict) and item.get("propertyID") == "Orientation":
            value = item.get("value")
            if isinstance(value, int) and not isinstance(value, bool) and 2 <= value <= 8:
                return value
    return None


def exif_block(orientation: int, *, jpeg: bool = False) -> bytes:
    """A TIFF structure (big-endian) whose IFD0 holds the orientation: an EXIF block.

    For a JPEG (``jpeg``), IFD0 also holds the tags EXIF requires there, with the values ExifTool
    gives them when it makes EXIF anew: 72 by 72 pixels per inch, YCbCr positioning centred.
    """
    short = [(ORIENTATION, orientation)]
    rationals = []
    if jpeg:
        short += [(_RESOLUTION_UNIT, 2), (_YCBCR_POSITIONING, 1)]
        rationals = [(_X_RESOLUTION, 72), (_Y_RESOLUTION, 72)]
    count = len(short) + len(rationals)
    data_at = 8 + 2 + 12 * count + 4
    fields = [(tag, struct.pack(">HHIHH", tag, 3, 1, value, 0)) for tag, value in short]
    for index, (tag, _value) in enumerate(rationals):
        fields.append((tag, struct.pack(">HHII", tag, 5, 1, data_at + 8 * index)))
    entries = b"".join(field for _tag, field in sorted(fields))
    values = b"".join(struct.pack(">II", value, 1) for _tag, value in rationals)
    return b"MM\x00\x2a" + struct.pack(">IH", 8, count) + entries + struct.pack(">I", 0) + values
