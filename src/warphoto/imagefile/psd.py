"""Photoshop PSD and PSB: the pixel size from the header, and the image resources (IIM 0x0404,
its digest 0x0425, XMP 0x0424, EXIF 0x0422)."""

from __future__ import annotations

from warphoto.imagefile._binary import View
from warphoto.imagefile._parts import Parts
from warphoto.imagefile.irb import EXIF, IIM, IIM_DIGEST, XMP, parse_irb

__all__ = ["read_psd"]


def read_psd(view: View, parts: Parts) -> None:
    """Fill ``parts`` from the PSD/PSB file in ``view``."""
    version = view.u16(4, "PSD version")
    if version not in (1, 2):
        raise view.fail(f"PSD version {version} is not 1 (PSD) or 2 (PSB)", 4)
    parts.height = view.u32(14, "PSD height")
    parts.width = view.u32(18, "PSD width")
    color_length = view.u32(26, "PSD color mode data length")
    resources_at = 30 + color_length
    if resources_at + 4 > len(view):
        raise view.fail(
            f"PSD colour mode data claims {color_length} bytes, past the end of the {len(view)}-byte file",
            26,
        )
    length = view.u32(resources_at, "PSD image resources length")
    block = view.sub(resources_at + 4, length, "PSD image resources")
    resources = parse_irb(block, parts.warnings)
    if IIM in resources:
        parts.set_iim(resources[IIM], "resource 0x0404")
    if IIM_DIGEST in resources:
        digest = resources[IIM_DIGEST]
        parts.iim_digest = digest.read(0, len(digest), "IIM digest")
    if XMP in resources:
        xmp = resources[XMP]
        parts.set_xmp(xmp.read(0, len(xmp), "XMP resource"), "resource 0x0424")
    if EXIF in resources:
        parts.set_exif(resources[EXIF], "resource 0x0422")
