"""Windows-1252 decoding that never fails (the five bytes it leaves undefined read as Latin-1)."""

from __future__ import annotations

__all__ = ["cp1252"]

_HOLES = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})


def cp1252(raw: bytes) -> str:
    """``raw`` as Windows-1252; bytes 81, 8D, 8F, 90 and 9D as the Latin-1 control characters."""
    if not any(b in _HOLES for b in raw):
        return raw.decode("cp1252")
    return "".join(chr(b) if b in _HOLES else bytes((b,)).decode("cp1252") for b in raw)
