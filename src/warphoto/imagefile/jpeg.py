"""JPEG: APP1 Exif, APP1 XMP and extended XMP (through :mod:`warphoto.formats._jpeg`), APP13 Photoshop
resources (IIM and its digest), and the pixel size from the SOF segment."""

from __future__ import annotations

from typing import cast

from warphoto.errors import ReadError
from warphoto.formats._jpeg import parse_jpeg
from warphoto.imagefile._binary import View
from warphoto.imagefile._parts import Parts
from warphoto.imagefile.irb import IIM, IIM_DIGEST, parse_irb

__all__ = ["read_jpeg"]

_EXIF = (b"Exif\x00\x00", b"Exif\x00\xff")
_PHOTOSHOP = b"Photoshop 3.0\x00"
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def read_jpeg(view: View, parts: Parts) -> None:
    """Fill ``parts`` from the JPEG in ``view`` (a whole file)."""
    jpeg = parse_jpeg(cast(bytes, view.data), source=view.source)
    photoshop: list[tuple[int, int]] = []
    for segment in jpeg.segments:
        payload_at = segment.offset + 4
        if segment.marker == 0xE1 and segment.payload[:6] in _EXIF:
            parts.set_exif(
                View(view.data, payload_at + 6, segment.end, view.source), f"APP1 at {segment.offset}"
            )
        elif segment.marker == 0xED and segment.payload.startswith(_PHOTOSHOP):
            photoshop.append((payload_at + len(_PHOTOSHOP), segment.end))
        elif segment.marker in _SOF and parts.width is None and len(segment.payload) >= 5:
            view_sof = View(view.data, payload_at, segment.end, view.source)
            parts.height = view_sof.u16(1, "SOF height")
            parts.width = view_sof.u16(3, "SOF width")
    try:
        standard, extended = jpeg.xmp(source=view.source)
    except ReadError as error:
        if error.offset is not None:
            raise
        # the extended XMP checks name no offset: name the first extended XMP segment
        first = next((s.offset for s in jpeg.segments if s.is_extended_xmp), 0)
        raise ReadError(error.message, source=view.source, offset=first) from None
    if standard is not None:
        parts.set_xmp(standard, "APP1")
    parts.xmp_extended = extended
    if not photoshop:
        return
    if len(photoshop) == 1:
        start, end = photoshop[0]
        block = View(view.data, start, end, view.source)
    else:  # Photoshop splits a large resource block over several APP13 segments
        joined = b"".join(bytes(view.data[start:end]) for start, end in photoshop)
        block = View(joined, 0, len(joined), view.source)
        parts.warnings.append(
            f"the Photoshop resources span {len(photoshop)} APP13 segments; offsets in them are "
            "counted from the start of the joined block"
        )
    resources = parse_irb(block, parts.warnings)
    if IIM in resources:
        parts.set_iim(resources[IIM], "APP13")
    if IIM_DIGEST in resources:
        parts.iim_digest = resources[IIM_DIGEST].read(0, len(resources[IIM_DIGEST]), "IIM digest")
