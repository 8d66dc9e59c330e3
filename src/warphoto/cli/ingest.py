"""`warphoto ingest`: image files -> Photograph records (one collection, or one file per image)."""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from warphoto import _resources
from warphoto._atomic import atomic_write_bytes
from warphoto.cli._common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    STDIO,
    Problem,
    UsageError,
    check_engine_options,
    err,
    plural,
)
from warphoto.cli.progress import report_bugs, run_batch
from warphoto.cli.reports import RENDERERS, FileReport, report_from_outcome
from warphoto.errors import WarphotoError
from warphoto.imagefile.record import ingest
from warphoto.validation import Issue, iter_issues

#: the file name endings a folder is searched for (a file named on the command line is read whatever its name)
IMAGE_EXTENSIONS = frozenset(
    {
        ".jpg",
        ".jpeg",
        ".jpe",
        ".tif",
        ".tiff",
        ".dng",
        ".png",
        ".webp",
        ".heic",
        ".heif",
        ".avif",
        ".psd",
        ".psb",
    }
)


@dataclass(frozen=True)
class Ingested:
    """What one image gave: its record, the notes on how it was read, and the record's own issues."""

    report: FileReport
    record: dict[str, Any] | None = None
    notes: tuple[Issue, ...] = ()


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS:
                yield os.path.normpath(os.path.join(root, name))


def expand_images(arguments: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Files, folders (recursively, images by their name's ending) and glob patterns, once each."""
    files: list[str] = []
    missing: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            files.append(path)

    for argument in arguments:
        if os.path.isdir(argument):
            for path in _walk(argument):
                add(path)
        elif os.path.exists(argument):
            add(argument)
        elif any(char in argument for char in "*?["):
            matches = sorted(glob.glob(argument, recursive=True))
            if not matches:
                missing.append((argument, "no file matches this pattern"))
            for match in matches:
                if os.path.isdir(match):
                    for path in _walk(match):
                        add(path)
                elif os.path.splitext(match)[1].lower() in IMAGE_EXTENSIONS:
                    add(match)
        else:
            missing.append((argument, "no such file or folder"))
    return files, missing


def ingest_file(path: str) -> Ingested:
    """Ingest one image; an unreadable one gives a report with its problem (never raises for bad input)."""
    start = time.perf_counter()
    notes: list[Issue] = []
    try:
        record = ingest(path, issues=notes)
    except (WarphotoError, OSError) as error:
        return Ingested(
            FileReport(path, "image", problem=Problem.of(error), seconds=time.perf_counter() - start)
        )
    issues = tuple(iter_issues(record))
    report = FileReport(path, "image", 1, issues, None, time.perf_counter() - start)
    return Ingested(report, record, tuple(notes))


def _target_name(path: str, out_dir: str) -> str:
    return os.path.join(out_dir, os.path.basename(path) + ".jsonld")


def _encode(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def run(args: argparse.Namespace) -> int:
    """Ingest every image named; write nothing unless every one was read and gave a valid record."""
    check_engine_options(args)
    if args.engine is not None and args.output in (None, STDIO):
        raise UsageError("--engine writes one collection: give -o FILE (parts are joined into it)")
    if args.output is None and args.out_dir is None:
        raise UsageError(
            "say where the records go: -o FILE (one collection) or --out-dir DIR (one per image)"
        )
    files, missing = expand_images(args.paths)
    if not files and not missing:
        raise UsageError("no images found in " + ", ".join(args.paths))
    targets: list[str] = []
    if args.out_dir is not None:
        targets = [_target_name(path, args.out_dir) for path in files]
        taken: dict[str, str] = {}
        for path, target in zip(files, targets, strict=True):
            if target in taken:
                raise UsageError(
                    f"{path} and {taken[target]} would both be written to {target}; ingest them apart"
                )
            taken[target] = path
    else:
        targets = [args.output]
    if not args.force:
        existing = [t for t in targets if os.path.lexists(t)]
        if existing:
            raise UsageError(f"{existing[0]} exists; refusing to overwrite: pass --force to replace")
    reports = [
        FileReport(path, problem=Problem(message, kind="FileNotFoundError")) for path, message in missing
    ]
    if args.engine is not None:
        from warphoto.cli.engine_ingest import run_ingest

        return run_ingest(args, files, reports)
    outcomes = run_batch(ingest_file, files, args.jobs, "ingest", args.progress)
    report_bugs(outcomes, args.debug)
    done: list[Ingested] = []
    for outcome in outcomes:
        if outcome.value is not None:
            done.append(outcome.value)
            reports.append(outcome.value.report)
        else:
            reports.append(report_from_outcome(outcome))  # type: ignore[arg-type]
    notes = [note for item in done for note in item.notes]
    status = refuse_failed(args, reports, notes)
    if status is not None:
        return status
    records = [item.record for item in done if item.record is not None]
    new_ids = distinct_ids([(item.report.path, record["@id"]) for item in done if (record := item.record)])
    for index, record in enumerate(records):
        if index in new_ids:
            record["@id"] = new_ids[index]
    if args.out_dir is not None:
        os.makedirs(args.out_dir, exist_ok=True)
        for item, target in zip(done, targets, strict=True):
            assert item.record is not None
            atomic_write_bytes(target, _encode(item.record), overwrite=args.force)
        where = args.out_dir
    else:
        collection = {"@context": _resources.CONTEXT_IRI, "@graph": [_without_context(r) for r in records]}
        atomic_write_bytes(args.output, _encode(collection), overwrite=args.force)
        where = args.output
    said_done(args, len(records), where, len(notes))
    return EXIT_OK


def refuse_failed(args: argparse.Namespace, reports: list[FileReport], notes: list[Issue]) -> int | None:
    """Print the notes and the report; the exit status if an image failed (nothing written), else None."""
    if not args.quiet:
        for note in notes:
            err(f"note: {note}")
    failed = [r for r in reports if r.status != "valid"]
    if failed or args.format != "text":
        RENDERERS[args.format](reports, sys.stdout)
        sys.stdout.flush()
    if failed:
        err(f"nothing written: {plural(len(failed), 'file')} could not be ingested")
        return EXIT_USAGE if any(r.status == "unreadable" for r in failed) else EXIT_INVALID
    return None


def distinct_ids(ids: list[tuple[str, str]]) -> dict[int, str]:
    """For ``(image path, record @id)`` in order, the new @id of each record (by index) whose id came before.

    The same bytes twice, or one XMP document id in two files: the later record gets an id of its own.
    """
    seen: dict[str, str] = {}
    renamed: dict[int, str] = {}
    for index, (path, record_id) in enumerate(ids):
        if record_id in seen:
            err(f"note: {path} has the @id of {seen[record_id]}; it gets an id of its own")
            record_id = renamed[index] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, record_id + '/' + path)}"
        seen[record_id] = path
    return renamed


def said_done(args: argparse.Namespace, count: int, where: str, notes: int) -> None:
    """The closing line of a text report."""
    if args.format == "text":
        print(
            f"ingested {plural(count, 'image')} into {where}"
            + (f" ({plural(notes, 'note')} on how they were read)" if notes else "")
        )


def _without_context(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "@context"}
