"""The images of a profiled delivery: redacted copies that carry the redacted records.

A copy's metadata is the bag's own redacted record of its photograph (so a restriction the
archive set on the record holds in the image too), without what would tie the copy to the
original or that a file cannot say of itself: the original's SHA-256, size and ``ni:`` IRI.
The bag's records then name each copy by its own SHA-256, size and ``ni:`` IRI, wherever they
named the original (provenance steps too), and lose a ``file:`` URL of the original.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warphoto.custody.fixity import media_files
from warphoto.custody.steps import file_id
from warphoto.errors import WriteError

if TYPE_CHECKING:
    from warphoto.safety import Profile

__all__ = ["Copy", "as_copies", "file_hashes", "originals_in", "record_id", "write_copies"]


@dataclass(frozen=True)
class Copy:
    """A redacted copy in the bag: its name in ``data/``, SHA-256 (hex) and size."""

    name: str
    sha256: str
    size: int


#: stands for a reference that goes: dropped from its list, or its key from its node
_DROP = object()
_NI = "ni:///sha-256;"


def _ni_sha(text: str) -> str | None:
    """The SHA-256 (hex) an ``ni:///sha-256;...`` IRI names, or None."""
    if not text.startswith(_NI):
        return None
    try:
        digest = base64.urlsafe_b64decode(text[len(_NI) :] + "=" * (-len(text[len(_NI) :]) % 4))
    except (ValueError, binascii.Error):
        return None
    return digest.hex() if len(digest) == 32 else None


def record_id(sha: str) -> str:
    """The ``@id`` ingest gives the record of a file with this SHA-256 (made from it)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'urn:sha256:' + sha)}"


def file_hashes(document: Any, out: set[str] | None = None) -> set[str]:
    """Every file SHA-256 (hex) a document names: as a ``sha256`` or inside an ``ni:`` IRI."""
    out = set() if out is None else out
    if isinstance(document, str):
        sha = _ni_sha(document)
        if sha is not None:
            out.add(sha)
    elif isinstance(document, list):
        for item in document:
            file_hashes(item, out)
    elif isinstance(document, dict):
        sha = document.get("sha256")
        if isinstance(sha, str):
            out.add(sha.lower())
        for item in document.values():
            file_hashes(item, out)
    return out


@dataclass(frozen=True)
class _Mapping:
    """How a document is rewritten: IRIs replaced or dropped, files described as their copies or
    without their hash and size."""

    ids: Mapping[str, str | object]
    files: Mapping[str, Copy | None]


def _rewrite(value: Any, how: _Mapping) -> Any:
    if isinstance(value, str):
        return how.ids.get(value, value)
    if isinstance(value, list):
        items = [_rewrite(item, how) for item in value]
        return [item for item in items if item is not _DROP]
    if not isinstance(value, dict):
        return value
    sha = value.get("sha256")
    known = isinstance(sha, str) and sha.lower() in how.files
    copy = how.files.get(sha.lower()) if known and isinstance(sha, str) else None
    out: dict[str, Any] = {}
    for key, item in value.items():
        if known and key in ("sha256", "contentSize"):
            if copy is not None:
                out[key] = copy.sha256 if key == "sha256" else copy.size
            continue
        if known and key == "contentUrl" and isinstance(item, str) and item.lower().startswith("file:"):
            continue  # the original's place on the sender's machine
        new = _rewrite(item, how)
        if new is _DROP or (isinstance(item, list) and item and new == []):
            continue  # a reference to a file or record that is not delivered
        out[key] = new
    return out


def _file_ids(document: Any, shas: set[str]) -> dict[str, str]:
    """The IRIs that name the files ``shas`` in ``document``: their ``ni:`` IRIs, and the ``@id``
    (an ``ni:`` or ``file:`` IRI) of each media file describing one. IRI -> SHA-256."""
    found = {file_id(sha): sha for sha in shas}
    for media in media_files(document):
        sha = str(media["sha256"]).lower()
        ident = media.get("@id")
        if sha in shas and isinstance(ident, str) and ident.startswith(("ni:", "file:")):
            found[ident] = sha
    return found


def _mapping(document: Any, copies: Mapping[str, Copy | None], renamed: bool) -> _Mapping:
    """Files in ``copies`` become their copy (None: lose their hash); every other file the document
    names is dropped wherever it is referred to (by ``ni:`` IRI); with ``renamed``, the ``@id``
    ingest made from a file's hash follows its copy, or goes."""
    shas = file_hashes(document)
    ids: dict[str, str | object] = {}
    for iri, sha in _file_ids(document, shas).items():
        copy = copies.get(sha)
        ids[iri] = file_id(copy.sha256) if copy is not None else _DROP
    if renamed:
        for sha in shas:
            copy = copies.get(sha)
            ids[record_id(sha)] = record_id(copy.sha256) if copy is not None else _DROP
    files: dict[str, Copy | None] = {sha: copies.get(sha) for sha in shas}
    return _Mapping(ids, files)


def write_copies(
    redacted: dict[str, Any],
    sources: Mapping[str, tuple[Path, str]],
    work: Path,
    profile: Profile,
    done: dict[str, Copy],
) -> None:
    """Write into ``work`` a copy of each image that the redacted document still describes (and
    ``done`` does not hold yet), carrying its photograph's redacted record; note it in ``done``
    (original SHA-256 -> Copy). ``sources``: original SHA-256 -> (the file, its name).

    The record inside a copy names no file by its hash (a file cannot state its own; an original's
    would tie the copy to it): the copy's own media file keeps a blank label, references to any
    other file go, and a record ``@id`` made from a file's hash goes. WriteError when two
    photographs describe one file (one copy carries one record)."""
    from warphoto.model.graph import standalone_records
    from warphoto.safety.image import copy_with_record

    described: dict[str, Any] = {}
    for record in standalone_records(redacted):
        shas = {str(m["sha256"]).lower() for m in media_files(record)} & set(sources)
        for sha in shas:
            if sha in described and described[sha] != record.get("@id"):
                raise WriteError(
                    f"two records ({described[sha]} and {record.get('@id')}) describe one image file "
                    f"({sources[sha][1]}); a copy can carry one record: bag them separately"
                )
            described[sha] = record.get("@id")
        own = _file_ids(record, shas)
        how = _mapping(record, dict.fromkeys(file_hashes(record)), renamed=True)
        ids = {**how.ids, **{iri: f"_:file{n}" for n, iri in enumerate(own, start=1)}}
        embedded = _rewrite(record, _Mapping(ids, how.files))
        if isinstance(embedded.get("@id"), str) and how.ids.get(embedded["@id"]) is _DROP:
            del embedded["@id"]
        for sha in sorted(shas - set(done)):
            path, original_name = sources[sha]
            data = copy_with_record(path, embedded)
            digest = hashlib.sha256(data).hexdigest()
            name = original_name if profile.file_names == "keep" else digest[:16] + path.suffix.lower()
            (work / name).write_bytes(data)
            done[sha] = Copy(name, digest, len(data))


def as_copies(redacted: dict[str, Any], copies: Mapping[str, Copy], *, renamed: bool) -> dict[str, Any]:
    """The redacted document naming each copy where it named the original, and no other file by
    its hash; with ``renamed`` (a profile that removes file names) a record ``@id`` made from an
    original's hash is made from its copy's. A media file that lost its name gets its name in the
    bag (so ``warphoto verify --files BAG/data`` finds it)."""
    out: dict[str, Any] = _rewrite(redacted, _mapping(redacted, copies, renamed))
    by_sha = {copy.sha256: copy.name for copy in copies.values()}
    for media in media_files(out):
        name = by_sha.get(str(media["sha256"]).lower())
        if name is not None and "fileName" not in media and isinstance(media, dict):
            media["fileName"] = name
    return out


def originals_in(folder: Path, hashes: set[str]) -> list[str]:
    """The files under ``folder`` holding any of ``hashes`` (hex, either case, or as an ``ni:`` IRI)."""
    needles = set()
    for sha in hashes:
        needles |= {sha.encode(), sha.upper().encode(), file_id(sha)[len(_NI) :].encode()}
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if any(needle in data for needle in needles):
                found.append(str(path.relative_to(folder)))
    return found
