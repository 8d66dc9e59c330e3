"""The result of reading an image's metadata: :class:`ImageMetadata`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from warphoto.imagefile.exif import ExifValue
from warphoto.imagefile.iim import IimDataset, iim_values

__all__ = ["ImageMetadata"]

_EMPTY: Mapping[str, ExifValue] = MappingProxyType({})


@dataclass(frozen=True)
class ImageMetadata:
    """What one image file holds, decoded but not yet mapped to a record.

    ``exif`` is by ExifTool tag name (see :mod:`warphoto.imagefile.exif`); ``iim`` every IIM
    dataset in file order; ``xmp`` the standard XMP packet and ``xmp_extended`` the extended one
    (JPEG only), as stored; ``iim_digest`` the stored MD5 (Photoshop resource 0x0425) and
    ``iim_md5`` the MD5 of the IIM block as it is now, both lowercase hex.
    """

    media_type: str
    width: int | None = None
    height: int | None = None
    exif: Mapping[str, ExifValue] = field(default_factory=lambda: _EMPTY)
    iim: tuple[IimDataset, ...] = ()
    xmp: bytes | None = None
    xmp_extended: bytes | None = None
    iim_digest: str | None = None
    iim_md5: str | None = None
    warnings: tuple[str, ...] = ()
    source: str | None = None
    exif_big_endian: bool | None = None

    @property
    def iim_values(self) -> Mapping[str, tuple[str | int | bytes, ...]]:
        """IIM values by dataset name (``"Keywords"``, ``"By-line"``...), repeats in order."""
        return iim_values(self.iim)

    @property
    def xmp_packets(self) -> tuple[bytes, ...]:
        """The XMP packets to read as one (standard, then extended), for ``xmp.read_packets``."""
        return tuple(p for p in (self.xmp, self.xmp_extended) if p is not None)

    def merged_xmp(self) -> bytes | None:
        """The standard and extended XMP as one packet (see :func:`merge_extended_xmp`)."""
        if self.xmp is None:
            return None
        from warphoto.imagefile.xmp_merge import merge_extended_xmp

        return merge_extended_xmp(self.xmp, self.xmp_extended, source=self.source)

    @property
    def iim_digest_matches(self) -> bool | None:
        """Whether the stored IIM digest is the block's MD5 (None when either is missing).

        When it matches, the XMP was written with this IIM (MWG: prefer XMP); when it does not,
        the IIM was changed by a tool that does not know XMP (MWG: prefer IIM).
        """
        if self.iim_digest is None or self.iim_md5 is None:
            return None
        return self.iim_digest == self.iim_md5
