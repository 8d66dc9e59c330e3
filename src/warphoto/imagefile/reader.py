"""Read an image's metadata: sniff the container, read its blocks, decode EXIF and IIM.

The file is mapped into memory read-only (``mmap``), never written; only the parts read are
copied. A file that cannot be read as its container says is a
:class:`~warphoto.errors.ReadError` naming the byte offset of the problem.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable

from warphoto.errors import ReadError
from warphoto.imagefile._binary import Blob, View
from warphoto.imagefile._parts import Parts
from warphoto.imagefile.exif import decode_exif
from warphoto.imagefile.iim import IimDataset, decode_iim, iim_md5
from warphoto.imagefile.isobmff import read_isobmff
from warphoto.imagefile.jpeg import read_jpeg
from warphoto.imagefile.metadata import ImageMetadata
from warphoto.imagefile.png import read_png
from warphoto.imagefile.psd import read_psd
from warphoto.imagefile.sniff import HEAD_BYTES, sniff
from warphoto.imagefile.tiff import parse_tiff
from warphoto.imagefile.tiff_file import read_tiff
from warphoto.imagefile.webp import read_webp

__all__ = ["read_metadata", "read_metadata_bytes"]

_READERS: dict[str, Callable[[View, Parts], None]] = {
    "image/jpeg": read_jpeg,
    "image/tiff": read_tiff,
    "image/png": read_png,
    "image/webp": read_webp,
    "image/vnd.adobe.photoshop": read_psd,
    "image/heic": read_isobmff,
    "image/heif": read_isobmff,
    "image/avif": read_isobmff,
    "image/heic-sequence": read_isobmff,
    "image/heif-sequence": read_isobmff,
}


def read_metadata_bytes(data: Blob, *, source: str | None = None) -> ImageMetadata:
    """The metadata of the image in ``data`` (bytes, or a read-only mmap of the file)."""
    media_type = sniff(bytes(data[:HEAD_BYTES]))
    if media_type is None:
        raise ReadError(
            "not an image ingest can read (JPEG, TIFF, PNG, WebP, HEIF/AVIF, PSD)", source=source, offset=0
        )
    reader = _READERS.get(media_type)
    if reader is None:
        raise ReadError(
            f"{media_type} is not supported by ingest (no metadata reader for it)", source=source, offset=0
        )
    view = View.of(data, source)
    parts = Parts(media_type, source)
    reader(view, parts)
    return _decode(parts)


def _decode(parts: Parts) -> ImageMetadata:
    warnings = parts.warnings
    tiff = parts.tiff
    if tiff is None and parts.exif is not None:
        tiff = parse_tiff(parts.exif, warnings=warnings)
    exif = decode_exif(tiff, warnings) if tiff is not None else None
    iim: tuple[IimDataset, ...] = ()
    md5 = None
    if parts.iim is not None:
        iim = decode_iim(parts.iim, warnings)
        md5 = iim_md5(parts.iim.read(0, len(parts.iim), "IIM block"))
    digest = parts.iim_digest.hex() if parts.iim_digest is not None else None
    result = ImageMetadata(
        media_type=parts.media_type,
        width=parts.width,
        height=parts.height,
        iim=iim,
        xmp=parts.xmp,
        xmp_extended=parts.xmp_extended,
        iim_digest=digest,
        iim_md5=md5,
        warnings=tuple(warnings),
        source=parts.source,
        exif_big_endian=tiff.big_endian if tiff is not None else None,
        **({"exif": exif} if exif is not None else {}),
    )
    return result


def read_metadata(path: str | os.PathLike[str]) -> ImageMetadata:
    """The metadata of the image file at ``path`` (read-only; the file is never written)."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size == 0:
                raise ReadError("the file is empty", source=name, offset=0)
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                return read_metadata_bytes(mapped, source=name)
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror or error}", source=name) from error
