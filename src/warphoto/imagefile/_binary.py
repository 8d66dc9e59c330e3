"""Bounded reads from a byte buffer: every read is checked against the end, and a problem is a
:class:`~warphoto.errors.ReadError` naming the absolute byte offset in the file.

A :class:`View` is a window ``[start, end)`` of the file's bytes (``bytes`` or an ``mmap``);
offsets given to its methods are relative to ``start`` and reported absolute (``base + offset``).
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass

from warphoto.errors import ReadError

__all__ = ["Blob", "View", "fail"]

#: what the container readers read from: the file's bytes, or the file mapped into memory
Blob = bytes | mmap.mmap


def fail(message: str, *, source: str | None, offset: int) -> ReadError:
    """A ReadError naming ``source`` and the absolute byte ``offset``."""
    return ReadError(message, source=source, offset=offset)


@dataclass(frozen=True)
class View:
    """``data[start:end]`` of a file, read with bounds checks; ``base`` is ``start``'s file offset."""

    data: Blob
    start: int
    end: int
    source: str | None = None

    @classmethod
    def of(cls, data: Blob, source: str | None = None) -> View:
        return cls(data, 0, len(data), source)

    def __len__(self) -> int:
        return self.end - self.start

    def sub(self, offset: int, length: int, what: str) -> View:
        """The window ``[offset, offset + length)`` of this view (relative offsets)."""
        self.need(offset, length, what)
        return View(self.data, self.start + offset, self.start + offset + length, self.source)

    def fail(self, message: str, offset: int) -> ReadError:
        return fail(message, source=self.source, offset=self.start + offset)

    def need(self, offset: int, length: int, what: str) -> None:
        """Raise unless ``length`` bytes at ``offset`` lie inside the view."""
        if offset < 0 or length < 0 or offset + length > len(self):
            short = offset + length - len(self)
            raise self.fail(
                f"{what} at offset {self.start + offset} needs {length} bytes, "
                f"past the end of its {len(self)}-byte block by {short}",
                offset,
            )

    def read(self, offset: int, length: int, what: str) -> bytes:
        self.need(offset, length, what)
        return bytes(self.data[self.start + offset : self.start + offset + length])

    def unpack(self, fmt: str, offset: int, what: str) -> tuple[int, ...]:
        size = struct.calcsize(fmt)
        self.need(offset, size, what)
        return struct.unpack_from(fmt, self.data, self.start + offset)

    def u8(self, offset: int, what: str) -> int:
        self.need(offset, 1, what)
        return self.data[self.start + offset]

    def u16(self, offset: int, what: str, order: str = ">") -> int:
        return self.unpack(order + "H", offset, what)[0]

    def u32(self, offset: int, what: str, order: str = ">") -> int:
        return self.unpack(order + "I", offset, what)[0]

    def u64(self, offset: int, what: str, order: str = ">") -> int:
        return self.unpack(order + "Q", offset, what)[0]

    def startswith(self, prefix: bytes, offset: int = 0) -> bool:
        if offset + len(prefix) > len(self):
            return False
        at = self.start + offset
        return bytes(self.data[at : at + len(prefix)]) == prefix

    def find(self, needle: bytes, offset: int = 0) -> int:
        """The relative offset of ``needle`` at or after ``offset``, or -1."""
        found = self.data.find(needle, self.start + offset, self.end)
        return -1 if found < 0 else found - self.start
