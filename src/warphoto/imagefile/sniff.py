"""The container of an image, from its first bytes (never from its name)."""

from __future__ import annotations

__all__ = ["HEAD_BYTES", "sniff"]

#: how many leading bytes :func:`sniff` looks at
HEAD_BYTES = 32

_HEIF_BRANDS = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"heim": "image/heic",
    b"heis": "image/heic",
    b"hevc": "image/heic-sequence",
    b"mif1": "image/heif",
    b"msf1": "image/heif-sequence",
    b"avif": "image/avif",
    b"avis": "image/avif",
}


def sniff(head: bytes) -> str | None:
    """The media type of an image whose file starts with ``head``, or None when unknown."""
    if head.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "image/tiff"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"8BPS":
        return "image/vnd.adobe.photoshop"
    if head[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(head[8:12], "image/heif" if head[8:12] in _HEIF_BRANDS else None)
    if head.startswith(b"\xff\x0a") or head.startswith(b"\x00\x00\x00\x0cJXL \r\n\x87\n"):
        return "image/jxl"
    return None
