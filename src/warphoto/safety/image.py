"""A redacted copy of a JPEG: its metadata rebuilt from the redacted record, its image data untouched.

Nothing of the original's metadata segments is copied: EXIF (APP1), XMP (APP1), IIM and other
Photoshop resources (APP13), comments (COM) and every other application segment (maker data,
MPF previews with their own EXIF) are left out; the JFIF header (APP0), the ICC profile (APP2
``ICC_PROFILE``) and the Adobe colour transform (APP14), which decoding needs, are kept. Then the
XMP of the redacted record is embedded, with the IIM and EXIF IFD0 values the MWG rules ask for.
Every byte from the start of scan on is the original's. The original is only read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from warphoto._atomic import atomic_write_bytes
from warphoto.errors import ReadError, WriteError
from warphoto.formats._jpeg import parse_jpeg
from warphoto.formats.jpeg import embed
from warphoto.imagefile.record import ingest
from warphoto.safety.profiles import Profile, load_profile
from warphoto.safety.redact import redact

__all__ = ["redact_jpeg_file", "strip_metadata"]

_APP0, _APP2, _APP14, _COM = 0xE0, 0xE2, 0xEE, 0xFE


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


def redact_jpeg_file(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    profile: Profile | str | Path,
    *,
    force: bool = False,
) -> dict[str, Any]:
    """Write a redacted copy of the JPEG ``source`` to ``target``; the redacted record it carries.

    Refuses (``WriteError``) a target that is the source or (without ``force``) exists; a failed
    redaction writes nothing.
    """
    chosen = profile if isinstance(profile, Profile) else load_profile(profile)
    src, dst = Path(source), Path(target)
    if dst.exists() and (dst.resolve() == src.resolve() or src.samefile(dst)):
        raise WriteError(f"{dst}: the copy cannot replace the original")
    if dst.exists() and not force:
        raise WriteError(f"{dst}: exists; pass --force to replace it")
    try:
        image = src.read_bytes()
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror or error}", source=str(src)) from error
    record = redact(ingest(src), chosen)
    data = embed(strip_metadata(image, source=str(src)), record, source=str(src))
    try:
        atomic_write_bytes(dst, data, overwrite=force)
    except FileExistsError as error:
        raise WriteError(f"{dst}: exists; pass --force to replace it") from error
    except OSError as error:
        raise WriteError(f"{dst}: cannot write: {error.strerror or error}") from error
    return record
