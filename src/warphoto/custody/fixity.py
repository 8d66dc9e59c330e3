"""Fixity: the files records describe (MediaFiles with ``sha256``) found again and re-hashed.

Each file is looked for, in this order, at the first place that exists:

1. its ``contentUrl``, when that is a ``file:`` IRI;
2. its ``fileName`` in the folder of the record file;
3. its ``fileName`` in the ``files`` folder given.

It is ``intact`` when its SHA-256 (and size, when the record gives one) match, ``changed``
when not, ``missing`` when no place holds it. A bag (a folder with ``bagit.txt``) is checked
with the ``bagit`` library against its manifests, and the records in ``data/metadata/`` against
the files in ``data/``. A file whose hash matches is also checked by :data:`HARD_BINDING_CHECKS`:
with c2pa-python installed, its C2PA manifest store must still validate.
"""

from __future__ import annotations

import dataclasses
import os
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from warphoto import formats
from warphoto.custody import _bagit
from warphoto.custody.steps import append_step, file_node, make_step
from warphoto.errors import FormatError, ReadError
from warphoto.imagefile.c2pa_binding import c2pa_binding_problem
from warphoto.imagefile.fixity import sha256_file

__all__ = [
    "HARD_BINDING_CHECKS",
    "FileCheck",
    "InputCheck",
    "media_files",
    "verify",
    "verify_records",
    "with_verification",
]

#: checks of a file beyond its hash: ``check(path) -> str | None`` (a problem, or None when all
#: holds or there is nothing to check); each problem makes an otherwise intact file ``changed``.
#: The C2PA check (hard binding and signature, with c2pa-python installed) is the first.
HARD_BINDING_CHECKS: list[Callable[[Path], str | None]] = [c2pa_binding_problem]

INTACT, CHANGED, MISSING = "intact", "changed", "missing"


@dataclass(frozen=True)
class FileCheck:
    """One file a record describes, as found: ``status`` is intact, changed or missing."""

    status: str
    record_id: str | None
    media_id: str | None
    name: str | None
    sha256: str
    size: int | None = None
    #: where it was found (None when missing)
    found: str | None = None
    actual_sha256: str | None = None
    actual_size: int | None = None
    message: str = ""


@dataclass(frozen=True)
class InputCheck:
    """What verify found for one input (a record file or a bag): its files, or why it is unreadable."""

    path: str
    files: tuple[FileCheck, ...] = ()
    records: int = 0
    error: str | None = None
    #: the records read (for adding a verification step)
    read: tuple[dict[str, Any], ...] = field(default=(), repr=False, compare=False)

    @property
    def status(self) -> str:
        """``unreadable``, ``changed`` (some file changed or missing) or ``intact``."""
        if self.error is not None:
            return "unreadable"
        return INTACT if all(f.status == INTACT for f in self.files) else CHANGED


def _is_media_file(node: Mapping[str, Any]) -> bool:
    kind = node.get("@type")
    return kind == "ImageObject" and isinstance(node.get("sha256"), str)


def media_files(record: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """The MediaFiles with a ``sha256`` in a record (its provenance steps left out)."""

    def walk(value: Any) -> Iterator[Mapping[str, Any]]:
        if isinstance(value, Mapping):
            if _is_media_file(value):
                yield value
            for key, item in value.items():
                if key != "provenance":
                    yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    yield from walk(record)


def _file_path(url: str) -> Path | None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    return Path(urllib.parse.unquote(parts.path))  # a local path: no request is made


def candidates(
    media: Mapping[str, Any], folder: Path | None, files: Path | None, *, urls: bool = True
) -> list[Path]:
    """The places a MediaFile's file is looked for, in order (its ``file:`` contentUrl only with ``urls``)."""
    places: list[Path] = []
    url = media.get("contentUrl")
    if urls and isinstance(url, str) and (path := _file_path(url)) is not None:
        places.append(path)
    name = media.get("fileName")
    if isinstance(name, str) and name and "/" not in name and "\\" not in name:
        for base in (folder, files):
            if base is not None and base / name not in places:
                places.append(base / name)
    return places


def check_file(
    media: Mapping[str, Any],
    record_id: str | None,
    folder: Path | None,
    files: Path | None,
    *,
    urls: bool = True,
) -> FileCheck:
    """Find one MediaFile's file and compare its SHA-256 and size with the record's."""
    size = media.get("contentSize")
    name = media.get("fileName")
    media_id = media.get("@id")
    base = FileCheck(
        MISSING,
        record_id,
        media_id if isinstance(media_id, str) else None,
        name if isinstance(name, str) else None,
        str(media["sha256"]).lower(),
        size if isinstance(size, int) else None,
    )
    places = candidates(media, folder, files, urls=urls)
    for place in places:
        if place.is_file():
            return _compare(base, place)
    tried = ", ".join(str(p) for p in places) or "nowhere: no file: contentUrl or fileName"
    return dataclasses.replace(base, message=f"not found (looked in {tried})")


def _compare(base: FileCheck, place: Path) -> FileCheck:
    """``base`` (what the record says) against the file at ``place``."""
    try:
        actual, actual_size = sha256_file(place)
    except ReadError as error:
        return dataclasses.replace(base, status=CHANGED, found=str(place), message=error.message)
    found = dataclasses.replace(
        base, status=CHANGED, found=str(place), actual_sha256=actual, actual_size=actual_size
    )
    if actual != base.sha256:
        return dataclasses.replace(found, message=f"SHA-256 is {actual}, the record says {base.sha256}")
    if base.size is not None and actual_size != base.size:
        return dataclasses.replace(found, message=f"size is {actual_size} bytes, the record says {base.size}")
    for hook in HARD_BINDING_CHECKS:
        problem = hook(place)
        if problem:
            return dataclasses.replace(found, message=problem)
    return dataclasses.replace(found, status=INTACT)


def verify_records(
    records: Iterable[Mapping[str, Any]],
    *,
    folder: Path | None = None,
    files: Path | None = None,
    urls: bool = True,
) -> list[FileCheck]:
    """Check every file the records describe (each ``@id`` and SHA-256 once); ``urls=False``
    ignores ``file:`` contentUrls (in a bag, the files are those in ``data/``)."""
    seen: set[tuple[str | None, str]] = set()
    checks: list[FileCheck] = []
    for record in records:
        record_id = record.get("@id") if isinstance(record.get("@id"), str) else None
        for media in media_files(record):
            key = (media.get("@id"), str(media["sha256"]).lower())
            if key in seen and key[0] is not None:
                continue
            seen.add(key)
            checks.append(check_file(media, record_id, folder, files, urls=urls))
    return checks


def _read(path: Path) -> list[dict[str, Any]]:
    from warphoto.streaming import iter_read

    try:
        return list(iter_read(path))
    except FormatError as error:
        raise ReadError(str(error), source=str(path)) from error


def _jsonld_files(folder: Path) -> list[Path]:
    """The compact JSON-LD files in a bag's metadata folder (one form of the metadata is enough)."""
    found = []
    for path in sorted(folder.rglob("*.jsonld")):
        try:
            if path.is_file() and formats.for_path(path.name).name == "jsonld":
                found.append(path)
        except FormatError:
            continue
    return found


def _verify_bag(path: Path) -> InputCheck:
    checks = [
        FileCheck(
            problem.status if problem.status in (CHANGED, MISSING) else CHANGED,
            None,
            None,
            os.path.basename(problem.path) if problem.path else "(bag)",
            "",
            found=str(path / problem.path) if problem.path and problem.status != MISSING else None,
            message=f"bag: {problem.message}",
        )
        for problem in _bagit.check_bag(str(path))
    ]
    metadata = path / "data" / "metadata"
    records: list[dict[str, Any]] = []
    if metadata.is_dir():
        for file in _jsonld_files(metadata):
            records.extend(_read(file))
    checks.extend(verify_records(records, folder=path / "data", urls=False))
    return InputCheck(str(path), tuple(checks), len(records), read=tuple(records))


def verify_path(path: str | os.PathLike[str], *, files: str | os.PathLike[str] | None = None) -> InputCheck:
    """Verify one record file, collection or bag; an unreadable one gives ``error``, not an exception."""
    where = Path(path)
    try:
        if where.is_dir() and _bagit.is_bag(where):
            return _verify_bag(where)
        if where.is_dir():
            message = "a folder that is not a bag (no bagit.txt): name the record files"
            raise ReadError(message, source=str(where))
        records = _read(where)
    except ReadError as error:
        return InputCheck(str(where), error=str(error))
    checks = verify_records(records, folder=where.parent, files=Path(files) if files is not None else None)
    return InputCheck(str(where), tuple(checks), len(records), read=tuple(records))


def verify(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    files: str | os.PathLike[str] | None = None,
) -> list[InputCheck]:
    """Verify record files, collections (any readable format, JSON Lines too) and bags.

    ``files`` is the folder a file is looked for in last (after a ``file:`` ``contentUrl`` and
    the record file's own folder). The files are only read.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return [verify_path(p, files=files) for p in paths]


def with_verification(check: InputCheck, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """The records of ``check``, each with a verification step (PREMIS fixity check) appended for
    the files it describes: ``used`` names the file as found (its SHA-256), or, when missing, as
    the record describes it. The records of ``check`` are not changed."""
    by_record: dict[str | None, list[FileCheck]] = {}
    for file in check.files:
        by_record.setdefault(file.record_id, []).append(file)
    result = []
    for record in check.read:
        files = by_record.get(record.get("@id") if isinstance(record.get("@id"), str) else None, [])
        if not files:
            result.append(dict(record))
            continue
        used: list[str | dict[str, Any]] = []
        for file in files:
            if file.status == INTACT and file.media_id is not None:
                used.append(file.media_id)
            elif file.actual_sha256 is not None:
                used.append(file_node(file.actual_sha256, file.actual_size, file.name))
            else:
                used.append(file.media_id or file_node(file.sha256, file.size, file.name))
        said = "; ".join(
            f"{f.name or f.media_id}: {f.status}" + (f" ({f.message})" if f.message else "") for f in files
        )
        step = make_step("verification", used, description=f"fixity checked (SHA-256): {said}", now=now)
        result.append(append_step(record, step))
    return result
