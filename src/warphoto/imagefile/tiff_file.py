"""TIFF files (and DNG and other TIFF-based raw files): IFD0's XMP (tag 700), IPTC-IIM (33723)
and Photoshop resources (34377: the IIM digest, and the IIM when tag 33723 is absent), the Exif
and GPS IFDs, and the pixel size of IFD0 (for a DNG, IFD0 may be the preview: the size reported
is IFD0's)."""

from __future__ import annotations

from warphoto.imagefile._binary import View
from warphoto.imagefile._parts import Parts
from warphoto.imagefile.irb import IIM, IIM_DIGEST, parse_irb
from warphoto.imagefile.tiff import Ifd, parse_tiff

__all__ = ["read_tiff"]

_WIDTH, _HEIGHT, _XMP, _IPTC, _PHOTOSHOP = 0x0100, 0x0101, 700, 33723, 34377


def _extent(ifd: Ifd, tag: int) -> View | None:
    entry = ifd.entries.get(tag)
    if entry is None:
        return None
    raw = ifd.raw(tag)  # checks the extent
    assert raw is not None
    return ifd.view.sub(entry.at, len(raw), f"IFD0 tag {tag}")


def read_tiff(view: View, parts: Parts) -> None:
    """Fill ``parts`` from the TIFF file in ``view``."""
    tiff = parse_tiff(view, warnings=parts.warnings)
    parts.tiff = tiff
    ifd0 = tiff.ifd0
    for tag, attr in ((_WIDTH, "width"), (_HEIGHT, "height")):
        value = ifd0.pointer(tag)
        if value is not None:
            setattr(parts, attr, value)
    xmp = _extent(ifd0, _XMP)
    if xmp is not None:
        parts.set_xmp(xmp.read(0, len(xmp), "XMP"), "TIFF tag 700")
    iim = _extent(ifd0, _IPTC)
    if iim is not None:
        parts.set_iim(iim, "TIFF tag 33723")
    irb = _extent(ifd0, _PHOTOSHOP)
    if irb is not None:
        resources = parse_irb(irb, parts.warnings)
        if IIM in resources and parts.iim is None:
            parts.set_iim(resources[IIM], "TIFF tag 34377, resource 0x0404")
        if IIM_DIGEST in resources:
            digest = resources[IIM_DIGEST]
            parts.iim_digest = digest.read(0, len(digest), "IIM digest")
