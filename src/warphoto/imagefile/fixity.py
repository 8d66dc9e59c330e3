"""Fixity of an image file: SHA-256 of its bytes (streamed in chunks), size, media type, pixel
size and file name. The file is opened read-only and never written."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from warphoto.errors import ReadError
from warphoto.imagefile.reader import read_metadata
from warphoto.imagefile.sniff import HEAD_BYTES, sniff

__all__ = ["CHUNK_BYTES", "Fixity", "file_fixity", "sha256_file"]

#: bytes hashed per read
CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Fixity:
    """What identifies one file: its name, size, SHA-256 (lowercase hex), media type and pixel size."""

    name: str
    size: int
    sha256: str
    media_type: str | None
    width: int | None
    height: int | None


def sha256_file(path: str | os.PathLike[str]) -> tuple[str, int]:
    """The SHA-256 (hex) and size of the file's bytes, read in ``CHUNK_BYTES`` chunks."""
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb", buffering=0) as handle:
            buffer = bytearray(CHUNK_BYTES)
            view = memoryview(buffer)
            while True:
                count = handle.readinto(buffer)
                if not count:
                    break
                digest.update(view[:count])
                size += count
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror or error}", source=str(path)) from error
    return digest.hexdigest(), size


def file_fixity(path: str | os.PathLike[str], *, dimensions: bool = True) -> Fixity:
    """The fixity of the file at ``path``; its pixel size when ``dimensions`` and it is an image
    ingest can read (an unreadable image still gets its hash, size and media type)."""
    sha256, size = sha256_file(path)
    try:
        with open(path, "rb") as handle:
            media_type = sniff(handle.read(HEAD_BYTES))
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror or error}", source=str(path)) from error
    width = height = None
    if dimensions and media_type is not None:
        try:
            metadata = read_metadata(path)
        except ReadError:
            pass
        else:
            width, height = metadata.width, metadata.height
    return Fixity(Path(path).name, size, sha256, media_type, width, height)
