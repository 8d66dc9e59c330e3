"""A redacted copy of a JPEG, TIFF, PNG, WebP, HEIF or AVIF: its metadata rebuilt from the redacted record,
its image data untouched (the TIFF, PNG and WebP copies: :mod:`warphoto.safety._tiff`,
:mod:`~warphoto.safety._png`, :mod:`~warphoto.safety._webp`).

A JPEG copy:

Nothing of the original's metadata segments is copied: EXIF (APP1), XMP (APP1), IIM and other
Photoshop resources (APP13), comments (COM) and every other application segment (maker data,
MPF previews with their own EXIF) are left out; the JFIF header (APP0), the ICC profile (APP2
``ICC_PROFILE``) and the Adobe colour transform (APP14), which decoding needs, are kept. Then the
XMP of the redacted record is embedded, with the IIM and EXIF IFD0 values the MWG rules ask for,
and an EXIF block holding only the record's orientation (when not upright). Every byte from the
start of scan on is the original's. The original is only read.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from warphoto._atomic import atomic_write_bytes
from warphoto.errors import ReadError, WriteError
from warphoto.formats import xmp as _xmp
from warphoto.formats._jpeg import _segment_bytes, parse_jpeg
from warphoto.formats.jpeg import embed
from warphoto.imagefile.record import ingest
from warphoto.imagefile.sniff import HEAD_BYTES, sniff
from warphoto.safety._exif import exif_block, orientation_of
from warphoto.safety._heif import redact_heif
from warphoto.safety._png import redact_png
from warphoto.safety._tiff import redact_tiff
from warphoto.safety._webp import redact_webp
from warphoto.safety.profiles import Profile, load_profile
from warphoto.safety.redact import redact

__all__ = [
    "MEDIA_TYPES",
    "copy_with_record",
    "redact_image_file",
    "redact_jpeg_file",
    "redacted_copy",
    "strip_metadata",
]

_APP0, _APP1, _APP2, _APP14, _COM = 0xE0, 0xE1, 0xE2, 0xEE, 0xFE


def _kept(marker: int, payload: bytes) -> bool:
    if marker == _APP0:
        return payload.startswith((b"JFIF\x00", b"JFXX\x00"))
    if marker == _APP2:
        return payload.startswith(b"ICC_PROFILE\x00")
    if marker == _APP14:
        return payload.startswith(b"Adobe")
    return not (0xE0 <= marker <= 0xEF or marker == _COM)


def strip_metadata(image: bytes, *, source: str | None = None) -> bytes:
    """``image`` without any metadata segment; the coding segments and the image data as they were."""
    jpeg = parse_jpeg(image, source=source)
    parts = [image[:2]]
    parts += [image[s.offset : s.end] for s in jpeg.segments if _kept(s.marker, s.payload)]
    parts.append(jpeg.tail)
    return b"".join(parts)


def _with_exif(image: bytes, exif: bytes, source: str | None) -> bytes:
    """``image`` (JPEG bytes) with an APP1 Exif segment after its leading APP0 segments."""
    jpeg = parse_jpeg(image, source=source)
    at = 2
    for segment in jpeg.segments:
        if segment.marker != _APP0:
            break
        at = segment.end
    return image[:at] + _segment_bytes(_APP1, b"Exif\x00\x00" + exif) + image[at:]


def _jpeg_copy(image: bytes, record: dict[str, Any], source: str) -> bytes:
    stripped = strip_metadata(image, source=source)
    orientation = orientation_of(record)
    if orientation is not None:
        stripped = _with_exif(stripped, exif_block(orientation, jpeg=True), source)
    return embed(stripped, record, source=source)


def _packet(record: dict[str, Any]) -> bytes:
    packet, _extended = _xmp.render(_xmp._photograph_of(record, None))
    return packet


def _png_copy(image: bytes, record: dict[str, Any], source: str) -> bytes:
    orientation = orientation_of(record)
    exif = exif_block(orientation) if orientation is not None else None
    return redact_png(image, _packet(record), exif, source=source)


def _webp_copy(image: bytes, record: dict[str, Any], source: str) -> bytes:
    orientation = orientation_of(record)
    exif = exif_block(orientation) if orientation is not None else None
    return redact_webp(image, _packet(record), exif, source=source)


def _tiff_copy(image: bytes, record: dict[str, Any], source: str) -> bytes:
    return redact_tiff(image, _packet(record), orientation_of(record), source=source)


def _heif_copy(image: bytes, record: dict[str, Any], source: str) -> bytes:
    return redact_heif(image, _packet(record), source=source)  # orientation: its irot/imir, kept


_COPIES: dict[str, Callable[[bytes, dict[str, Any], str], bytes]] = {
    "image/jpeg": _jpeg_copy,
    "image/tiff": _tiff_copy,
    "image/png": _png_copy,
    "image/webp": _webp_copy,
    "image/heif": _heif_copy,
    "image/heic": _heif_copy,
    "image/avif": _heif_copy,
}
#: the media types a redacted copy can be made of
MEDIA_TYPES = tuple(_COPIES)


def _image_and_copier(src: Path) -> tuple[bytes, Callable[[bytes, dict[str, Any], str], bytes]]:
    """The image's bytes and the function that copies its kind; WriteError for another kind."""
    try:
        image = src.read_bytes()
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror or error}", source=str(src)) from error
    media_type = sniff(image[:HEAD_BYTES])
    copy = _COPIES.get(media_type or "")
    if copy is None:
        raise WriteError(
            f"{src}: a redacted copy can be made of a JPEG, TIFF, PNG, WebP, HEIF or AVIF file, not of "
            + (media_type or "a file that is none of these")
        )
    return image, copy


def copy_with_record(source: str | os.PathLike[str], record: dict[str, Any]) -> bytes:
    """The bytes of a copy of the image ``source`` whose only metadata is ``record`` (a photograph
    record, redacted already: nothing of the image's own metadata is copied); nothing is written."""
    src = Path(source)
    image, copy = _image_and_copier(src)
    return copy(image, record, str(src))


def redacted_copy(
    source: str | os.PathLike[str], profile: Profile | str | Path, *, now: dt.datetime | None = None
) -> tuple[bytes, dict[str, Any]]:
    """The bytes of a redacted copy of the JPEG, TIFF, PNG, WebP, HEIF or AVIF ``source`` and the
    redacted record it carries: the image's own metadata, ingested and redacted at ``now`` (by
    default the present); nothing is written.

    ``WriteError`` for another kind of image, ``ReadError`` for one that cannot be read."""
    chosen = profile if isinstance(profile, Profile) else load_profile(profile)
    src = Path(source)
    image, copy = _image_and_copier(src)
    record = redact(ingest(src), chosen, now=now)
    return copy(image, record, str(src)), record


def redact_image_file(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    profile: Profile | str | Path,
    *,
    force: bool = False,
) -> dict[str, Any]:
    """Write a redacted copy of the JPEG, TIFF, PNG, WebP, HEIF or AVIF ``source`` to ``target``; the redacted
    record it carries.

    Refuses (``WriteError``) another kind of image, a target that is the source or (without
    ``force``) exists; a damaged image is a ``ReadError``; a failed redaction writes nothing.
    """
    src, dst = Path(source), Path(target)
    if dst.exists() and (dst.resolve() == src.resolve() or src.samefile(dst)):
        raise WriteError(f"{dst}: the copy cannot replace the original")
    if dst.exists() and not force:
        raise WriteError(f"{dst}: exists; pass --force to replace it")
    data, record = redacted_copy(src, profile)
    try:
        atomic_write_bytes(dst, data, overwrite=force)
    except FileExistsError as error:
        raise WriteError(f"{dst}: exists; pass --force to replace it") from error
    except OSError as error:
        raise WriteError(f"{dst}: cannot write: {error.strerror or error}") from error
    return record


#: the name from when only JPEG copies were made
redact_jpeg_file = redact_image_file
