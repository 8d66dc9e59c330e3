"""The images of a profiled delivery: redacted copies that carry the redacted records.

A copy's metadata is the bag's own redacted record of its photograph (so a restriction the
archive set on the record holds in the image too), without what would tie the copy to the
original or that a file cannot say of itself: the original's SHA-256, size and ``ni:`` IRI.
The bag's records then name each copy by its own SHA-256, size and ``ni:`` IRI, wherever they
named the original (provenance steps too), and lose a ``file:`` URL of the original.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warphoto.custody.fixity import media_files
from warphoto.custody.steps import file_id

if TYPE_CHECKING:
    from warphoto.safety import Profile

__all__ = ["Copy", "as_copies", "write_copies"]


@dataclass(frozen=True)
class Copy:
    """A redacted copy in the bag: its name in ``data/``, SHA-256 (hex) and size."""

    name: str
    sha256: str
    size: int


def _rewrite(value: Any, ids: Mapping[str, str], shas: Mapping[str, Copy | None]) -> Any:
    """``value`` with each IRI in ``ids`` replaced, and each node describing a file of ``shas``
    (by its ``sha256``) describing the copy instead (None: saying no SHA-256 or size at all)."""
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, list):
        return [_rewrite(item, ids, shas) for item in value]
    if not isinstance(value, dict):
        return value
    sha = value.get("sha256")
    known = isinstance(sha, str) and sha.lower() in shas
    copy = shas.get(sha.lower()) if known and isinstance(sha, str) else None
    out: dict[str, Any] = {}
    for key, item in value.items():
        if known and key in ("sha256", "contentSize"):
            if copy is not None:
                out[key] = copy.sha256 if key == "sha256" else copy.size
            continue
        if known and key == "contentUrl" and isinstance(item, str) and item.lower().startswith("file:"):
            continue  # the original's place on the sender's machine
        out[key] = _rewrite(item, ids, shas)
    return out


def _original_ids(document: Mapping[str, Any], shas: set[str]) -> dict[str, str]:
    """The ``ni:`` IRIs of the original files ``shas``, as the records name them: IRI -> SHA-256."""
    found = {}
    for media in media_files(document):
        sha = str(media["sha256"]).lower()
        if sha in shas:
            found[file_id(sha)] = sha
            ident = media.get("@id")
            if isinstance(ident, str) and ident.startswith("ni:"):
                found[ident] = sha
    return found


def write_copies(
    redacted: dict[str, Any],
    sources: Mapping[str, tuple[Path, str]],
    work: Path,
    profile: Profile,
    done: dict[str, Copy],
) -> None:
    """Write into ``work`` a copy of each image that the redacted document still describes (and
    ``done`` does not hold yet), carrying its photograph's redacted record; note it in ``done``
    (original SHA-256 -> Copy). ``sources``: original SHA-256 -> (the file, its name)."""
    from warphoto.model.graph import standalone_records
    from warphoto.safety.image import copy_with_record

    for record in standalone_records(redacted):
        shas = {str(m["sha256"]).lower() for m in media_files(record)} & set(sources)
        originals = _original_ids(record, shas)
        for sha in sorted(shas - set(done)):
            blank = {iri: f"_:file{n}" for n, iri in enumerate(originals, start=1)}
            embedded = _rewrite(record, blank, dict.fromkeys(shas))
            path, original_name = sources[sha]
            data = copy_with_record(path, embedded)
            digest = hashlib.sha256(data).hexdigest()
            name = original_name if profile.file_names == "keep" else digest[:16] + path.suffix.lower()
            (work / name).write_bytes(data)
            done[sha] = Copy(name, digest, len(data))


def as_copies(redacted: dict[str, Any], copies: Mapping[str, Copy]) -> dict[str, Any]:
    """The redacted document naming each copy where it named the original; a media file that
    lost its name gets its name in the bag (so ``warphoto verify --files BAG/data`` finds it)."""
    originals = _original_ids(redacted, set(copies))
    ids = {iri: file_id(copies[sha].sha256) for iri, sha in originals.items()}
    out: dict[str, Any] = _rewrite(redacted, ids, copies)
    by_sha = {copy.sha256: copy.name for copy in copies.values()}
    for media in media_files(out):
        name = by_sha.get(str(media["sha256"]).lower())
        if name is not None and "fileName" not in media and isinstance(media, dict):
            media["fileName"] = name
    return out
