"""The one EXIF value a redacted copy carries: the orientation its record keeps (IFD0 tag 274)."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from typing import Any

__all__ = ["ORIENTATION", "exif_block", "orientation_of"]

#: the TIFF/EXIF tag of the orientation
ORIENTATION = 0x0112


def orientation_of(record: Mapping[str, Any]) -> int | None:
    """The record's EXIF ``Orientation`` (2 to 8), or None when upright or not given."""
    for item in record.get("exifData", []) if isinstance(record.get("exifData"), list) else []:
        if isinstance(item, dict) and item.get("propertyID") == "Orientation":
            value = item.get("value")
            if isinstance(value, int) and not isinstance(value, bool) and 2 <= value <= 8:
                return value
    return None


def exif_block(orientation: int) -> bytes:
    """A TIFF structure (big-endian) whose IFD0 holds only the orientation: an EXIF block."""
    entry = struct.pack(">HHIHH", ORIENTATION, 3, 1, orientation, 0)
    return b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1) + entry + struct.pack(">I", 0)
