"""What a container reader finds, before decoding: the raw blocks and the pixel size."""

from __future__ import annotations

from dataclasses import dataclass, field

from warphoto.imagefile._binary import View
from warphoto.imagefile.tiff import Tiff

__all__ = ["Parts"]


@dataclass
class Parts:
    """Filled by one container reader; :mod:`warphoto.imagefile.reader` decodes it."""

    media_type: str
    source: str | None = None
    width: int | None = None
    height: int | None = None
    #: an EXIF block (a TIFF structure), or the parsed TIFF file itself
    exif: View | None = None
    tiff: Tiff | None = None
    iim: View | None = None
    iim_digest: bytes | None = None
    xmp: bytes | None = None
    xmp_extended: bytes | None = None
    warnings: list[str] = field(default_factory=list)

    def set_exif(self, view: View, where: str) -> None:
        if self.exif is not None or self.tiff is not None:
            self.warnings.append(f"a second EXIF block ({where}) is not read")
            return
        self.exif = view

    def set_xmp(self, packet: bytes, where: str) -> None:
        if self.xmp is not None:
            self.warnings.append(f"a second XMP packet ({where}) is not read")
            return
        self.xmp = packet

    def set_iim(self, view: View, where: str) -> None:
        if self.iim is not None:
            self.warnings.append(f"a second IPTC-IIM block ({where}) is not read")
            return
        self.iim = view
