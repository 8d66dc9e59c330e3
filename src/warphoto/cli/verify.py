"""`warphoto verify`: the files records describe, re-hashed: intact, changed or missing.

Reports in the four forms of `validate` (text, json, junit, github), with its exit codes.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import IO, Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from warphoto import __version__
from warphoto._atomic import atomic_write_bytes
from warphoto.cli._common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, STDIO, UsageError, err, plural
from warphoto.cli.ingest import IMAGE_EXTENSIONS
from warphoto.cli.inputs import expand_inputs
from warphoto.cli.reports import _github_command, _xml_text
from warphoto.custody import _bagit
from warphoto.custody.fixity import INTACT, FileCheck, InputCheck, verify_path, with_verification

__all__ = ["RENDERERS", "run", "summarize"]


def summarize(checks: Sequence[InputCheck]) -> dict[str, int]:
    """Counts: inputs, records, files, and files intact / changed / missing, inputs unreadable."""
    counts = Counter(f.status for c in checks for f in c.files)
    return {
        "inputs": len(checks),
        "records": sum(c.records for c in checks),
        "files": sum(len(c.files) for c in checks),
        "intact": counts["intact"],
        "changed": counts["changed"],
        "missing": counts["missing"],
        "unreadable": sum(1 for c in checks if c.error is not None),
    }


def summary_line(counts: dict[str, int]) -> str:
    return (
        f"{plural(counts['inputs'], 'input')} checked ({plural(counts['files'], 'file')}): "
        f"{counts['intact']} intact, {counts['changed']} changed, {counts['missing']} missing, "
        f"{counts['unreadable']} unreadable"
    )


def _file_text(file: FileCheck) -> str:
    record = f"[{file.record_id}] " if file.record_id else ""
    return f"{record}{file.name or file.media_id or file.found}: {file.status}" + (
        f": {file.message}" if file.message else ""
    )


def render_text(checks: Sequence[InputCheck], out: IO[str]) -> None:
    """One line per file not intact (``input: [record] name: status: why``), then a summary."""
    for check in checks:
        if check.error is not None:
            out.write(f"{check.path}: error: {check.error}\n")
        for file in check.files:
            if file.status != INTACT:
                out.write(f"{check.path}: {_file_text(file)}\n")
    out.write(summary_line(summarize(checks)) + "\n")


def _file_json(file: FileCheck) -> dict[str, Any]:
    return {
        "status": file.status,
        "record_id": file.record_id,
        "media_id": file.media_id,
        "name": file.name,
        "sha256": file.sha256,
        "size": file.size,
        "found": file.found,
        "actual_sha256": file.actual_sha256,
        "actual_size": file.actual_size,
        "message": file.message or None,
    }


def render_json(checks: Sequence[InputCheck], out: IO[str]) -> None:
    """One JSON document: a summary and, for every input, every file with its status."""
    summary = summarize(checks)
    document = {
        "warphoto": __version__,
        "intact": summary["changed"] == summary["missing"] == summary["unreadable"] == 0,
        "summary": summary,
        "inputs": [
            {
                "path": c.path,
                "status": c.status,
                "records": c.records,
                "files": [_file_json(f) for f in c.files],
                "error": c.error,
            }
            for c in checks
        ],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def render_junit(checks: Sequence[InputCheck], out: IO[str]) -> None:
    """JUnit XML: a test case per file (failing when changed or missing), an error per unreadable input."""
    summary = summarize(checks)
    cases = summary["files"] + summary["unreadable"]
    failures = summary["changed"] + summary["missing"]
    counts = (
        f'tests="{cases}" failures="{failures}" errors="{summary["unreadable"]}" skipped="0" time="0.000"'
    )
    stamp = datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat()

    def attr(value: str) -> str:
        return quoteattr(_xml_text(value))

    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="warphoto verify" {counts}>\n')
    out.write(
        f'  <testsuite name="warphoto verify" {counts} timestamp="{stamp}" '
        f"hostname={attr(socket.gethostname() or 'localhost')}>\n"
    )
    for check in checks:
        where = f'classname="warphoto.verify" file={attr(check.path)} time="0.000"'
        if check.error is not None:
            body = xml_escape(_xml_text(check.error))
            out.write(f"    <testcase name={attr(check.path)} {where}>\n")
            out.write(f'      <error message={attr(check.error)} type="ReadError">{body}</error>\n')
            out.write("    </testcase>\n")
        for file in check.files:
            name = f"{check.path}: {file.name or file.media_id or file.found}"
            out.write(f"    <testcase name={attr(name)} {where}")
            if file.status == INTACT:
                out.write("/>\n")
                continue
            out.write(">\n")
            out.write(
                f'      <failure message={attr(file.status)} type="warphoto.{file.status}">'
                f"{xml_escape(_xml_text(_file_text(file)))}</failure>\n"
            )
            out.write("    </testcase>\n")
    out.write("  </testsuite>\n</testsuites>\n")


def render_github(checks: Sequence[InputCheck], out: IO[str]) -> None:
    """GitHub Actions workflow commands: one ``::error file=INPUT,title=...::`` per file not intact."""
    for check in checks:
        if check.error is not None:
            out.write(
                _github_command("error", check.error, file=check.path, title="warphoto: unreadable input")
                + "\n"
            )
        for file in check.files:
            if file.status != INTACT:
                out.write(
                    _github_command(
                        "error", _file_text(file), file=check.path, title=f"warphoto verify: {file.status}"
                    )
                    + "\n"
                )
    out.write(summary_line(summarize(checks)) + "\n")


RENDERERS: dict[str, Callable[[Sequence[InputCheck], IO[str]], None]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
}


def _paths(arguments: Sequence[str]) -> tuple[list[str], list[InputCheck]]:
    """The inputs: bags as they are, other arguments through the usual expansion (files, folders, globs)."""
    paths: list[str] = []
    missing: list[InputCheck] = []
    others: list[str] = []
    for argument in arguments:
        if argument == STDIO:
            raise UsageError(
                "verify reads files, not standard input (a record's folder is where its images are)"
            )
        if os.path.isdir(argument) and _bagit.is_bag(argument):
            paths.append(argument)
        else:
            others.append(argument)
    if others:
        found = expand_inputs(others)
        # images found in folders or by patterns are what is verified, not records to read
        named = set(others)
        paths.extend(
            f for f in found.files if f in named or os.path.splitext(f)[1].lower() not in IMAGE_EXTENSIONS
        )
        missing.extend(InputCheck(arg, error=message) for arg, message in found.missing)
    return paths, missing


def _write_records(checks: Sequence[InputCheck], output: str, force: bool) -> None:
    """Every record read, with a verification step, as one JSON-LD collection at ``output``."""
    if any(os.path.abspath(output) == os.path.abspath(c.path) for c in checks):
        raise UsageError(f"--record {output} is an input: verify never writes its inputs")
    records = [r for c in checks if c.error is None for r in with_verification(c)]
    context = next((r["@context"] for r in records if "@context" in r), None)
    graph = [{k: v for k, v in r.items() if k != "@context"} for r in records]
    document: dict[str, Any] = (
        {"@context": context, "@graph": graph} if context is not None else {"@graph": graph}
    )
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    try:
        atomic_write_bytes(output, text.encode("utf-8"), overwrite=force)
    except FileExistsError:
        raise UsageError(f"{output} exists; refusing to overwrite: pass --force to replace it") from None


def run(args: argparse.Namespace) -> int:
    paths, missing = _paths(args.paths)
    checks = [*missing, *(verify_path(p, files=args.files) for p in paths)]
    RENDERERS[args.format](checks, sys.stdout)
    sys.stdout.flush()
    if args.record:
        _write_records(checks, args.record, args.force)
        err(f"records with a verification step written to {args.record}")
    summary = summarize(checks)
    if summary["unreadable"]:
        return EXIT_USAGE
    return EXIT_INVALID if summary["changed"] or summary["missing"] else EXIT_OK
