"""BagIt delivery (RFC 8493): a collection's image files and metadata in one bag.

The bag is built in a hidden temporary folder beside the target, made a bag and validated
by the ``bagit`` library, and only then renamed to its name: a refused or failed run leaves
nothing. Every record written into the bag gets a "packaged for delivery" provenance step.

With a safety profile (:mod:`warphoto.safety`), the bag holds redacted copies of the images
(:func:`warphoto.safety.image.redacted_copy`: their metadata rebuilt from the redacted record
each image carries, their image data untouched) and the redacted records, whose media files
name the copies by SHA-256 (so ``warphoto verify`` checks the bag's files); an image of which no
redacted copy can be made stops the run, so nothing unredacted leaves. When the profile
removes file names, the copies are named by their SHA-256.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warphoto import formats
from warphoto.custody import _bagit
from warphoto.custody._copies import Copy, as_copies, file_hashes, originals_in, write_copies
from warphoto.custody.fixity import INTACT, FileCheck, InputCheck, media_files, verify_path
from warphoto.custody.steps import append_step, make_step
from warphoto.errors import FormatError, ReadError, ValidationError, WriteError
from warphoto.io import dumps
from warphoto.validation import iter_issues

if TYPE_CHECKING:
    from warphoto.safety import Profile

__all__ = ["ALGORITHMS", "DEFAULT_FORMATS", "Bagged", "bag"]

#: the manifests every bag carries
ALGORITHMS = ("sha256", "sha512")
#: the metadata formats written when none are asked for
DEFAULT_FORMATS = ("jsonld", "ntriples")


@dataclass(frozen=True)
class Bagged:
    """What :func:`bag` wrote: the bag folder, its image files and its metadata files (relative to it)."""

    path: str
    images: tuple[str, ...]
    metadata: tuple[str, ...]


def _refuse_problems(checks: Sequence[InputCheck]) -> None:
    for check in checks:
        if check.error is not None:
            raise ReadError(check.error, source=check.path)
        bad: list[FileCheck] = [f for f in check.files if f.status != INTACT]
        if bad:
            first = bad[0]
            raise WriteError(
                f"{check.path}: {len(bad)} file(s) not intact, so not bagged; first: "
                f"{first.name or first.media_id} {first.status}: {first.message} (run `warphoto verify`)"
            )
        if not check.files:
            raise WriteError(f"{check.path}: its records describe no file with a sha256 to deliver")


def _delivered(
    record: Mapping[str, Any], names: Mapping[str, str], bag_name: str, now: datetime, how: str = ""
) -> dict[str, Any]:
    """The record with a delivery step for each of its files in the bag."""
    used: list[str | dict[str, Any]] = []
    for media in media_files(record):
        sha = str(media["sha256"]).lower()
        if sha in names:
            media_id = media.get("@id")
            used.append(media_id if isinstance(media_id, str) else {"@type": "ImageObject", "sha256": sha})
    if not used:
        return dict(record)
    shas = {str(m["sha256"]).lower() for m in media_files(record)}
    files = ", ".join(sorted(names[sha] for sha in shas if sha in names))
    step = make_step(
        "delivery",
        used,
        description=f"packaged for delivery into the BagIt bag {bag_name}: {files} "
        f"({how}SHA-256 and SHA-512 manifests)",
        now=now,
    )
    return append_step(record, step)


def _records_of(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The records of a record or collection, each with the collection's context."""
    if "@graph" not in document:
        return [dict(document)]
    context = document.get("@context")
    return [
        {"@context": context, **node} if context is not None else dict(node) for node in document["@graph"]
    ]


def _document(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    if len(records) == 1:
        return records[0]
    context = next((r["@context"] for r in records if "@context" in r), None)
    graph = [{k: v for k, v in r.items() if k != "@context"} for r in records]
    return {"@context": context, "@graph": graph} if context is not None else {"@graph": graph}


def _metadata_name(fmt: formats.Format, stem: str) -> str:
    return stem + (fmt.extensions[0] if fmt.extensions else f".{fmt.name}")


def bag(
    collections: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    metadata_formats: Sequence[str] = DEFAULT_FORMATS,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    source_organization: str | None = None,
    files: str | os.PathLike[str] | None = None,
    force: bool = False,
    now: datetime | None = None,
    profile: Profile | str | Path | None = None,
) -> Bagged:
    """Write a BagIt 1.0 bag at ``output``: the image files of the record files ``collections``
    (found as :func:`~warphoto.custody.verify` finds them; each must be intact) in ``data/``, their
    metadata in ``data/metadata/`` in ``metadata_formats`` (written with :func:`warphoto.dumps`, with
    ``options[format]``), SHA-256 and SHA-512 manifests, ``bag-info.txt`` with ``Source-Organization``
    and ``Bagging-Date``. An existing ``output`` is replaced only with ``force``.

    With a safety ``profile`` (a :class:`~warphoto.safety.Profile`, a built-in name or a profile
    file), the images are redacted copies and the records are redacted (see the module)."""
    paths = [collections] if isinstance(collections, (str, os.PathLike)) else list(collections)
    if not paths:
        raise WriteError("name at least one record file to bag")
    chosen_profile = _profile(profile)
    target = Path(output)
    if (target.exists() or target.is_symlink()) and not force:
        raise WriteError(f"{target} exists; refusing to overwrite: pass force=True (--force) to replace it")
    chosen: list[formats.Format] = []
    for name in [*dict.fromkeys(metadata_formats or DEFAULT_FORMATS)]:
        fmt = formats.get(name)
        if fmt.dumps is None:
            raise FormatError(f"{fmt.name} cannot be written")
        chosen.append(fmt)
    checks = [verify_path(p, files=files) for p in paths]
    _refuse_problems(checks)
    when = now or datetime.now(UTC)
    names: dict[str, str] = {}  # sha256 -> file name in data/
    sources: dict[str, Path] = {}
    named = chosen_profile is None or chosen_profile.file_names == "keep"  # else named by SHA-256
    for check in checks:
        for file in check.files:
            assert file.found is not None
            name = file.name or Path(file.found).name
            if named and name == "metadata":
                raise WriteError("an image file named 'metadata' would meet data/metadata/; rename it")
            other = next((s for s, n in names.items() if n == name), None)
            if named and other is not None and other != file.sha256:
                raise WriteError(
                    f"two different files are named {name} ({other} and {file.sha256}); rename one"
                )
            names[file.sha256] = name
            sources[file.sha256] = Path(file.found)
    if named:
        stems = [Path(p).name.split(".")[0] or "records" for p in paths]
    else:  # the record files' names could name someone too
        stems = ["records" if n == 0 else f"records-{n + 1}" for n in range(len(paths))]
    if len(set(stems)) != len(stems):
        raise WriteError("two record files have the same name; bag them separately")
    parent = target.parent if str(target.parent) else Path(".")
    created = _first_missing(parent)
    parent.mkdir(parents=True, exist_ok=True)
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except BaseException:
        _remove_created(created)
        raise
    try:
        metadata_files: list[str] = []
        copies: dict[str, Copy] = {}  # original SHA-256 -> its redacted copy
        documents = []
        if chosen_profile is None:
            for sha, name in sorted(names.items(), key=lambda item: item[1]):
                shutil.copyfile(sources[sha], work / name)
            for check in checks:
                documents.append(_document([_delivered(r, names, target.name, when) for r in check.read]))
        else:
            from warphoto.safety import redact

            how = f"redacted copies, safety profile {chosen_profile.name}; "
            for check in checks:  # redacted first: only what the profile lets out is copied
                redacted = redact(_document(list(check.read)), chosen_profile, now=when)
                originals = {sha: (path, names[sha]) for sha, path in sources.items()}
                write_copies(redacted, originals, work, chosen_profile, copies)
                delivered = {copy.sha256: copy.name for copy in copies.values()}
                document = as_copies(redacted, copies, renamed=not named)
                documents.append(
                    _document(
                        [_delivered(r, delivered, target.name, when, how) for r in _records_of(document)]
                    )
                )
        (work / "metadata").mkdir()
        for check, stem, document in zip(checks, stems, documents, strict=True):
            issues = list(iter_issues(document))
            if issues:
                raise ValidationError(issues, source=check.path)
            for fmt in chosen:
                text = dumps(document, fmt.name, **dict((options or {}).get(fmt.name, {})))
                data = text.encode("utf-8") if isinstance(text, str) else text
                file_name = _metadata_name(fmt, stem)
                (work / "metadata" / file_name).write_bytes(data)
                metadata_files.append(f"data/metadata/{file_name}")
        if chosen_profile is not None:  # the last look: nothing in the bag names an original
            hashes = set(sources)
            for check in checks:
                file_hashes(list(check.read), hashes)
            found = originals_in(work, hashes - {copy.sha256 for copy in copies.values()})
            if found:
                raise WriteError(
                    f"the bag would hold an original's SHA-256 (in {', '.join(found)}); nothing is "
                    "written: a record names the original where warphoto does not rewrite it (in text?)"
                )
        info = {"Bagging-Date": when.date().isoformat(), "Bag-Software-Agent": _agent()}
        if source_organization:
            info["Source-Organization"] = source_organization
        _bagit.make_bag(str(work), info, ALGORITHMS)
        _put_in_place(work, target, force)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        _remove_created(created)
        raise
    bagged = sorted({copy.name for copy in copies.values()} if chosen_profile else set(names.values()))
    return Bagged(str(target), tuple(f"data/{n}" for n in bagged), tuple(metadata_files))


def _profile(profile: Profile | str | Path | None) -> Profile | None:
    """The safety profile asked for (loaded when a name or file), or None."""
    if profile is None:
        return None
    from warphoto.safety import Profile, load_profile

    return profile if isinstance(profile, Profile) else load_profile(profile)


def _first_missing(folder: Path) -> Path | None:
    """The outermost folder of ``folder``'s path that does not exist yet (None when it exists)."""
    missing = None
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing = candidate
    return missing


def _remove_created(folder: Path | None) -> None:
    """Remove the folders a failed run created for the bag (they held nothing else)."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _agent() -> str:
    from warphoto import __version__

    return f"warphoto {__version__}"


def _put_in_place(work: Path, target: Path, force: bool) -> None:
    """Rename the finished bag to ``target`` (with ``force``, an old one is moved aside, then removed)."""
    mode = 0o777 & ~_umask()
    os.chmod(work, mode)
    os.chmod(work / "data", mode)  # bagit makes it with mkdtemp (0700)
    if not (target.exists() or target.is_symlink()):
        os.rename(work, target)
        return
    if not force:
        raise WriteError(f"{target} exists; refusing to overwrite: pass --force to replace it")
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(work, target)
    except BaseException:
        os.rename(old, target)
        raise
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(old)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
