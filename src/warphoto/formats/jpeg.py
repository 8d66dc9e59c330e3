"""XMP inside JPEG files: embed a photograph's packet in the APP1 segment, and read it back.

Embedding replaces any XMP already there (standard and extended), brings the EXIF
ImageDescription/Artist/Copyright and the IPTC-IIM (with its digest) in step with it (see
:mod:`warphoto.imagefile.legacy`), and leaves every other segment and the compressed image data
byte-identical. A packet larger than one APP1 segment is
split as the XMP specification's extended XMP: the IPTC properties stay in the standard
packet, the lossless copy moves to the extended one. ``embed_file`` writes atomically, so a
failed embed leaves the original file as it was.

Registry use: ``warphoto.loads(jpeg_bytes, "jpeg")`` and ``warphoto.read("photo.jpg")`` read
the XMP of a JPEG into a record; ``warphoto.dumps(record, "jpeg", image=jpeg_bytes)`` returns
the image with the record embedded.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from warphoto._atomic import atomic_write_bytes
from warphoto.errors import ReadError, WriteError
from warphoto.formats import Format, register
from warphoto.formats import xmp as _xmp
from warphoto.formats._jpeg import MAX_STANDARD_XMP_BYTES, parse_jpeg
from warphoto.validation import Issue

__all__ = ["MAX_JPEG_BYTES", "dumps", "embed", "embed_file", "extract", "extract_all", "loads", "read_jpeg"]

#: JPEG files larger than this are refused unless the caller raises ``max_bytes``
MAX_JPEG_BYTES = 256 * 1024 * 1024


def _size_check(image: bytes, max_bytes: int, source: str | None) -> None:
    if len(image) > max_bytes:
        raise ReadError(
            f"the JPEG is {len(image)} bytes, more than the limit of {max_bytes}; raise max_bytes to read it",
            source=source,
        )


def embed(
    image: bytes, record: Mapping[str, Any], *, id: str | None = None, source: str | None = None
) -> bytes:
    """``image`` (JPEG bytes) with the XMP of ``record`` in place of any XMP it held."""
    try:
        jpeg = parse_jpeg(bytes(image), source=source)
    except ReadError as error:
        raise WriteError(f"cannot embed XMP: {error}") from error
    main, extended = _xmp.render(_xmp._photograph_of(record, id), max_main_bytes=MAX_STANDARD_XMP_BYTES)
    tagged = jpeg.with_xmp(main, extended)
    # EXIF and IIM say what the XMP says, so that MWG readers read the new values
    from warphoto.imagefile.legacy import sync_legacy

    packets = (main,) if extended is None else (main, extended)
    return sync_legacy(parse_jpeg(tagged, source=source), packets)


def embed_file(path: str | os.PathLike[str], record: Mapping[str, Any], *, id: str | None = None) -> Path:
    """Embed the XMP of ``record`` into the JPEG at ``path``, atomically (whole or not at all)."""
    target = Path(path)
    try:
        image = target.read_bytes()
    except OSError as error:
        raise WriteError(f"{target}: cannot read: {error.strerror or error}") from error
    data = embed(image, record, id=id, source=str(target))
    try:
        atomic_write_bytes(target, data)
    except OSError as error:
        raise WriteError(f"{target}: cannot write: {error.strerror or error}") from error
    return target


def extract_all(image: bytes, *, source: str | None = None) -> tuple[bytes | None, bytes | None]:
    """The standard XMP packet of a JPEG and its extended XMP (each None when absent)."""
    return parse_jpeg(bytes(image), source=source).xmp(source=source)


def extract(image: bytes, *, source: str | None = None) -> bytes | None:
    """The standard XMP packet of a JPEG, or None when it has none."""
    return extract_all(image, source=source)[0]


def read_jpeg(
    image: bytes,
    *,
    source: str | None = None,
    max_bytes: int = MAX_JPEG_BYTES,
    **options: Any,
) -> _xmp.XmpReading:
    """Read the XMP (standard and extended) of a JPEG as a photograph; see ``xmp.read_packets``."""
    _size_check(image, max_bytes, source)
    standard, extended = extract_all(image, source=source)
    if standard is None:
        raise ReadError("the JPEG holds no XMP packet", source=source)
    packets = [standard] if extended is None else [standard, extended]
    reading = _xmp.read_packets(packets, source=source, **options)
    return reading


def loads(
    data: bytes | str,
    *,
    source: str | None = None,
    strict: bool = False,
    issues: list[Issue] | None = None,
    max_bytes: int = MAX_JPEG_BYTES,
    **options: Any,
) -> dict[str, Any]:
    """The photograph record in a JPEG's XMP (``options`` as for ``xmp.loads``)."""
    if isinstance(data, str):
        raise ReadError("a JPEG is binary: pass bytes, not str", source=source)
    reading = read_jpeg(data, source=source, max_bytes=max_bytes, **options)
    return _xmp._finish(reading, source=source, strict=strict, issues=issues)


def dumps(document: Mapping[str, Any], *, image: bytes | None = None, id: str | None = None) -> bytes:
    """The JPEG ``image`` with the record's XMP embedded (``image`` is required)."""
    if image is None:
        raise WriteError(
            "writing JPEG needs the image: pass image=<JPEG bytes>, or use formats.jpeg.embed_file"
        )
    return embed(image, document, id=id)


def _write_file(path: str | os.PathLike[str], document: Mapping[str, Any], **options: Any) -> Path:
    """``warphoto.write`` to a .jpg: embed into the picture that is there (pixels untouched)."""
    if "image" in options:  # the picture is given: write it whole, like any other format
        data = dumps(document, **options)
        atomic_write_bytes(path, data)
        return Path(path)
    if not Path(path).is_file():
        raise WriteError(f"{path}: writing JPEG metadata needs the picture; the file does not exist")
    return embed_file(path, document, **options)


register(
    Format(
        name="jpeg",
        title="XMP in a JPEG file (APP1; extended XMP when large)",
        extensions=(".jpg", ".jpeg"),
        media_type="image/jpeg",
        binary=True,
        dumps=dumps,
        loads=loads,
        write_file=_write_file,
        aliases=("jpg",),
        notes="reads and writes the XMP packet of a JPEG; every other byte of the file is kept",
        options={
            "image": "write: the JPEG bytes to embed the record into (required)",
            "id": "as for xmp",
            "language": "read: as for xmp",
            "keep_unmapped": "read: as for xmp",
            "strict": "read: as for xmp",
        },
    )
)
