"""The warphoto command line: validate, convert, inspect, embed, extract, formats.

``warphoto`` and ``python -m warphoto`` are the same program. Each command is one
function here (``cmd_validate``, ``cmd_convert``, ...); the formats come from the
registry at run time, so a new format module shows up in every command without a change
here.

Exit status: 0 all good; 1 some record is invalid (or could not be written in the asked
format); 2 a usage error or an input that cannot be read; 130 interrupted by Ctrl-C, 143
by SIGTERM. Results go to stdout, errors to stderr; expected errors never print a traceback
unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import glob
import json
import os
import re
import shutil
import signal
import socket
import sys
import textwrap
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import FrameType
from typing import IO, Any, NoReturn, TypeVar
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from warphoto import __version__, _build, formats, io
from warphoto._atomic import atomic_write_bytes
from warphoto._sourcemap import SourceMap, escape_token
from warphoto.batch import Failure, Outcome, default_jobs, map_files
from warphoto.errors import FormatError, ReadError, ValidationError, WarphotoError, WriteError
from warphoto.model.graph import standalone_records
from warphoto.validation import Issue, iter_issues

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

T = TypeVar("T")


class UsageError(Exception):
    """The command line asks for something that cannot be done; exit 2 with the message."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM, turned into an exception so that a run stops the same way as on Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# --------------------------------------------------------------------------- small helpers


def _err(message: str) -> None:
    print(f"warphoto: {message}", file=sys.stderr)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _readable_formats() -> list[formats.Format]:
    return [f for f in formats.all_formats() if f.can_read]


def _needs_image(fmt: formats.Format) -> bool:
    """A format written into an existing image (JPEG): `convert` cannot make one from a record alone."""
    return fmt.media_type.startswith("image/")


_JSON_LINES_EXTENSIONS = (".jsonl", ".ndjson", ".jsonlines")


def _is_json_text(fmt: formats.Format) -> tuple[bool, bool]:
    """(is JSON text, is JSON Lines) for a format, from its extensions and media type."""
    lines = any(ext in _JSON_LINES_EXTENSIONS for ext in fmt.extensions)
    return (lines or "json" in fmt.media_type.lower(), lines)


def _format_for(path: str, name: str | None) -> formats.Format:
    return formats.get(name) if name else formats.for_path(path)


class Progress:
    """A one-line progress bar on stderr: counts, percent and rate; only on a terminal, never in CI."""

    def __init__(self, total: int, label: str, *, enabled: bool | None = None) -> None:
        if enabled is None:
            enabled = sys.stderr.isatty() and not os.environ.get("CI")
        self.enabled = enabled and total > 1
        self.total = total
        self.label = label
        self.done = 0
        self.start = time.monotonic()
        self._last = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.enabled and (now - self._last >= 0.1 or self.done == self.total):
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.start, 1e-6)
        rate = self.done / elapsed
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        percent = 100 * self.done // self.total if self.total else 100
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        sys.stderr.write(
            f"\r{self.label} [{bar}] {self.done}/{self.total} files {percent:3d}% "
            f"{rate:,.0f} files/s eta {eta:,.0f}s\x1b[K"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _run_batch(
    func: Callable[[str], T],
    paths: Sequence[str],
    jobs: int | None,
    label: str,
    progress: bool,
    cleanup: Callable[[], None] | None = None,
) -> list[Outcome[T]]:
    """map_files with a progress bar; on Ctrl-C stop the workers, clean up, say how far it got, re-raise."""
    bar = Progress(len(paths), label, enabled=None if progress else False)
    outcomes: list[Outcome[T]] = []
    results = map_files(func, paths, jobs=jobs)
    try:
        for outcome in results:
            outcomes.append(outcome)
            bar.advance()
    except KeyboardInterrupt:
        results.close()  # stops the workers; each removes the temporary file of a write it was in
        if cleanup is not None:
            cleanup()
        bar.close()
        print(
            f"warphoto: interrupted: {bar.done} of {len(paths)} files done; no partial files left",
            file=sys.stderr,
        )
        raise
    bar.close()
    return outcomes


# --------------------------------------------------------------------------- finding input files


def _has_magic(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def _walk(folder: str) -> Iterator[str]:
    """Files under ``folder`` (recursively, sorted, hidden ones skipped) that a format can read."""
    readable = _readable_formats()
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.normpath(os.path.join(root, name))  # ./a/b.jsonld -> a/b.jsonld
            try:
                formats.for_path(path, candidates=readable)
            except FormatError:
                continue
            yield path


@dataclass
class Inputs:
    """The files named by the command line, and the folders they were found in."""

    files: list[str] = field(default_factory=list)
    #: folder arguments (and folders a pattern matched), in order: convert keeps sub-folders under them
    folders: list[str] = field(default_factory=list)
    #: arguments that named nothing: (argument, message)
    missing: list[tuple[str, str]] = field(default_factory=list)


def expand_inputs(arguments: Iterable[str]) -> Inputs:
    """Files, folders (recursively: every file a format can read) and glob patterns, in order, once each."""
    found = Inputs()
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normpath(path)
        if key in seen:
            return
        seen.add(key)
        found.files.append(path)

    def add_folder(folder: str) -> None:
        if folder not in found.folders:
            found.folders.append(folder)
        for path in _walk(folder):
            add(path)

    for argument in arguments:
        if os.path.isdir(argument):
            add_folder(argument)
        elif os.path.exists(argument):
            add(argument)
        elif _has_magic(argument):
            matches = sorted(glob.glob(argument, recursive=True))
            if not matches:
                found.missing.append((argument, "no file matches this pattern"))
            for match in matches:
                if os.path.isdir(match):
                    add_folder(match)
                else:
                    add(match)
        else:
            found.missing.append((argument, "no such file or folder"))
    return found


# --------------------------------------------------------------------------- reading one file


@dataclass(frozen=True)
class Problem:
    """Why a file could not be read (or written): message and, when known, where."""

    message: str
    line: int | None = None
    column: int | None = None
    kind: str = "ReadError"

    def where(self, path: str) -> str:
        text = path
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


def _problem(error: BaseException) -> Problem:
    if isinstance(error, ReadError):
        return Problem(error.message, error.line, error.column, type(error).__name__)
    if isinstance(error, OSError):
        return Problem(f"cannot read file: {error.strerror or error}", kind="OSError")
    return Problem(str(error), kind=type(error).__name__)


def _load(path: str, format_name: str | None) -> tuple[formats.Format, bytes, dict[str, Any]]:
    """Read one file in its format, without validating; raises ReadError, FormatError or OSError."""
    fmt = _format_for(path, format_name)
    if not fmt.can_read:
        raise ReadError(f"warphoto can write {fmt.name} but not read it", source=path)
    size = os.path.getsize(path)
    if size > io.MAX_INPUT_BYTES:
        raise ReadError(f"file is {size} bytes, more than the limit of {io.MAX_INPUT_BYTES}", source=path)
    with open(path, "rb") as handle:
        data = handle.read()
    return fmt, data, io.loads(data, fmt.name, source=path, validate=False)


_UNKNOWN_KEY = re.compile(r"""unknown key ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def _unknown_key(issue: Issue) -> str | None:
    """For an unknown-key issue (reported on its object), the first key it names: the line to point at."""
    keys = issue.extra.get("keys") if isinstance(issue.extra, dict) else None
    if isinstance(keys, (list, tuple)) and keys and isinstance(keys[0], str):
        return keys[0]
    if issue.rule != "schema:additionalProperties":
        return None
    match = _UNKNOWN_KEY.search(issue.message)
    if match is None:
        return None
    key = ast.literal_eval(match.group(1))  # the message shows the key as a Python repr
    return key if isinstance(key, str) else None


def _located_issues(path: str, fmt: formats.Format, data: bytes, document: dict[str, Any]) -> list[Issue]:
    """Every issue of the document, with the file name and (for JSON text) the line and column."""
    issues = list(iter_issues(document))
    if not issues:
        return []
    is_json, is_lines = _is_json_text(fmt)
    source_map = SourceMap.from_bytes(data, lines=is_lines) if is_json else None
    located = []
    for issue in issues:
        position = None
        if source_map is not None:
            key = _unknown_key(issue)
            offset = source_map.key_offset(f"{issue.pointer}/{escape_token(key)}", document) if key else None
            if offset is None:
                offset = source_map.offset(issue.pointer, document)
            position = source_map.line_column(offset) if offset is not None else None
        line, column = position if position else (None, None)
        located.append(replace(issue, source=path, line=line, column=column, extra={}))
    located.sort(key=lambda i: (i.line is None, i.line or 0, i.column or 0))
    return located


def _count_records(document: dict[str, Any]) -> int:
    graph = document.get("@graph")
    return len(graph) if isinstance(graph, list) else 1


# --------------------------------------------------------------------------- validate


@dataclass(frozen=True)
class FileReport:
    """What `validate` found in one file."""

    path: str
    format: str | None = None
    records: int = 0
    issues: tuple[Issue, ...] = ()
    problem: Problem | None = None
    seconds: float = 0.0

    @property
    def status(self) -> str:
        if self.problem is not None:
            return "unreadable"
        return "invalid" if self.issues else "valid"


def validate_file(path: str, format_name: str | None = None) -> FileReport:
    """Read and check one file; never raises for bad input (the report says what is wrong)."""
    start = time.perf_counter()
    try:
        fmt, data, document = _load(path, format_name)
    except (WarphotoError, OSError) as error:
        try:
            name: str | None = _format_for(path, format_name).name
        except FormatError:
            name = None
        return FileReport(path, name, problem=_problem(error), seconds=time.perf_counter() - start)
    issues = _located_issues(path, fmt, data, document)
    return FileReport(
        path, fmt.name, _count_records(document), tuple(issues), None, time.perf_counter() - start
    )


def _report_from_outcome(outcome: Outcome[FileReport]) -> FileReport:
    if outcome.value is not None:
        return outcome.value
    failure = outcome.failure or Failure("Error", "unknown failure", False)
    message = failure.message if failure.expected else f"internal error ({failure.kind}): {failure.message}"
    return FileReport(outcome.path, problem=Problem(message, kind=failure.kind))


def _summary(reports: Sequence[FileReport]) -> dict[str, int]:
    counts = Counter(r.status for r in reports)
    return {
        "files": len(reports),
        "records": sum(r.records for r in reports),
        "valid": counts["valid"],
        "invalid": counts["invalid"],
        "unreadable": counts["unreadable"],
        "issues": sum(len(r.issues) for r in reports),
    }


def _summary_line(summary: dict[str, int]) -> str:
    text = (
        f"{_plural(summary['files'], 'file')} checked ({_plural(summary['records'], 'record')}): "
        f"{summary['valid']} valid, {summary['invalid']} invalid"
    )
    if summary["issues"]:
        text += f" ({_plural(summary['issues'], 'issue')})"
    return text + f", {summary['unreadable']} unreadable"


def render_text(reports: Sequence[FileReport], out: IO[str]) -> None:
    """One line per issue: ``file:line:column: [record] $.path: message (rule)``, then a summary."""
    for report in reports:
        if report.problem is not None:
            out.write(f"{report.problem.where(report.path)}: error: {report.problem.message}\n")
        for issue in report.issues:
            out.write(f"{issue}\n")
    out.write(_summary_line(_summary(reports)) + "\n")


def render_json(reports: Sequence[FileReport], out: IO[str]) -> None:
    """One JSON document: a summary and, for every file, its status and issues."""
    summary = _summary(reports)
    document = {
        "warphoto": __version__,
        "valid": summary["invalid"] == 0 and summary["unreadable"] == 0,
        "summary": summary,
        "files": [
            {
                "path": r.path,
                "format": r.format,
                "status": r.status,
                "records": r.records,
                "issues": [i.to_dict() for i in r.issues],
                "error": None
                if r.problem is None
                else {"message": r.problem.message, "line": r.problem.line, "column": r.problem.column},
            }
            for r in reports
        ],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _xml_text(text: str) -> str:
    """Text safe in XML 1.0: characters XML cannot hold become U+FFFD."""
    return "".join(
        c
        if c in "\t\n\r" or 0x20 <= ord(c) <= 0xD7FF or 0xE000 <= ord(c) <= 0xFFFD or ord(c) > 0xFFFF
        else "\ufffd"
        for c in text
    )


def render_junit(reports: Sequence[FileReport], out: IO[str]) -> None:
    """JUnit XML (Jenkins / Maven Surefire flavour): one test case per file; issues are failures."""
    summary = _summary(reports)
    seconds = sum(r.seconds for r in reports)
    stamp = datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat()
    counts = (
        f'tests="{summary["files"]}" failures="{summary["invalid"]}" errors="{summary["unreadable"]}" '
        f'skipped="0" time="{seconds:.3f}"'
    )

    def attr(value: str) -> str:
        return quoteattr(_xml_text(value))

    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="warphoto validate" {counts}>\n')
    out.write(
        f'  <testsuite name="warphoto validate" {counts} timestamp="{stamp}" '
        f"hostname={attr(socket.gethostname() or 'localhost')}>\n"
    )
    for report in reports:
        out.write(
            f'    <testcase name={attr(report.path)} classname="warphoto.validate" '
            f'file={attr(report.path)} time="{report.seconds:.3f}"'
        )
        if report.problem is not None:
            message = f"{report.problem.where(report.path)}: {report.problem.message}"
            out.write(">\n")
            out.write(
                f"      <error message={attr(report.problem.message)} type={attr(report.problem.kind)}>"
                f"{xml_escape(_xml_text(message))}</error>\n"
            )
            out.write("    </testcase>\n")
        elif report.issues:
            body = "\n".join(str(i) for i in report.issues)
            out.write(">\n")
            out.write(
                f"      <failure message={attr(_plural(len(report.issues), 'validation issue'))} "
                f'type="warphoto.ValidationError">{xml_escape(_xml_text(body))}</failure>\n'
            )
            out.write("    </testcase>\n")
        else:
            out.write("/>\n")
    out.write("  </testsuite>\n</testsuites>\n")


def github_escape_data(text: str) -> str:
    """Escape a workflow command's message: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    """Escape a workflow command's property value: as data, plus ``:`` and ``,``."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github_command(command: str, message: str, **properties: object) -> str:
    props = ",".join(
        f"{key}={github_escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return (
        f"::{command} {props}::{github_escape_data(message)}"
        if props
        else f"::{command}::{github_escape_data(message)}"
    )


def render_github(reports: Sequence[FileReport], out: IO[str]) -> None:
    """GitHub Actions workflow commands: one ``::error file=...,line=...,col=...::message`` per issue."""
    for report in reports:
        if report.problem is not None:
            out.write(
                _github_command(
                    "error",
                    report.problem.message,
                    file=report.path,
                    line=report.problem.line,
                    col=report.problem.column,
                    title="warphoto: unreadable file",
                )
                + "\n"
            )
        for issue in report.issues:
            record = f"[{issue.record_id}] " if issue.record_id else ""
            out.write(
                _github_command(
                    "error",
                    f"{record}{issue.path}: {issue.message}",
                    file=report.path,
                    line=issue.line,
                    col=issue.column,
                    title=f"warphoto {issue.rule}",
                )
                + "\n"
            )
    out.write(_summary_line(_summary(reports)) + "\n")


RENDERERS: dict[str, Callable[[Sequence[FileReport], IO[str]], None]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
}


def _report_bugs(outcomes: Sequence[Outcome[Any]], debug: bool) -> None:
    """Unexpected exceptions (bugs, not bad input): a hint on stderr, or their tracebacks with --debug."""
    bugs = [o for o in outcomes if o.failure is not None and not o.failure.expected]
    if not bugs:
        return
    if debug:
        for outcome in bugs:
            assert outcome.failure is not None
            sys.stderr.write(f"{outcome.path}:\n{outcome.failure.traceback}")
    else:
        _err(
            f"{_plural(len(bugs), 'file')} hit an internal error (a bug in warphoto or a format module); "
            "run with --debug for the traceback"
        )


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every record file named; report every issue; exit 2/1/0."""
    if args.input_format:
        formats.get(args.input_format)  # an unknown name is a usage error before any work
    inputs = expand_inputs(args.paths)
    if not inputs.files and not inputs.missing:
        raise UsageError("no record files found in " + ", ".join(args.paths))
    func = functools.partial(validate_file, format_name=args.input_format)
    reports = [
        FileReport(path, problem=Problem(message, kind="FileNotFoundError"))
        for path, message in inputs.missing
    ]
    outcomes = _run_batch(func, inputs.files, args.jobs, "validate", args.progress)
    reports += [_report_from_outcome(o) for o in outcomes]
    _report_bugs(outcomes, args.debug)
    RENDERERS[args.format](reports, sys.stdout)
    sys.stdout.flush()
    summary = _summary(reports)
    if summary["unreadable"]:
        return EXIT_USAGE
    return EXIT_INVALID if summary["invalid"] else EXIT_OK


# --------------------------------------------------------------------------- convert


@dataclass(frozen=True)
class ConvertPlan:
    """Everything a worker needs to convert one input: the same for every file of a run."""

    formats: tuple[str, ...]
    out_dir: str | None
    output: str | None
    input_format: str | None
    force: bool
    validate: bool
    #: folder arguments: an input inside one keeps its sub-folders under out_dir
    folders: tuple[str, ...] = ()
    #: writer options from -O NAME=VALUE; each format gets those it declares
    options: dict[str, Any] = field(default_factory=dict)

    def root_of(self, path: str) -> str | None:
        """The first folder argument that holds ``path``, if any."""
        for folder in self.folders:
            relative = os.path.relpath(path, folder)
            if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
                return folder
        return None

    def options_for(self, name: str) -> dict[str, Any]:
        declared = formats.get(name).options
        return {key: value for key, value in self.options.items() if key in declared}


def _stem(path: str, fmt: formats.Format | None) -> str:
    """The file name without the extension its format claims (``a.edm.xml`` -> ``a``)."""
    name = os.path.basename(path)
    if fmt is not None:
        for ext in sorted(fmt.extensions, key=len, reverse=True):
            if name.lower().endswith(ext) and len(name) > len(ext):
                return name[: -len(ext)]
    return os.path.splitext(name)[0]


def targets_for(path: str, plan: ConvertPlan) -> list[tuple[str, str]]:
    """(format, output path) for each output of one input."""
    if plan.output is not None:
        return [(plan.formats[0], plan.output)]
    assert plan.out_dir is not None
    try:
        source_format: formats.Format | None = _format_for(path, plan.input_format)
    except FormatError:
        source_format = None
    stem = _stem(path, source_format)
    root = plan.root_of(path)
    sub = os.path.relpath(os.path.dirname(path), root) if root is not None else "."
    folder = os.path.normpath(os.path.join(plan.out_dir, sub))
    return [(name, os.path.join(folder, stem + formats.get(name).extensions[0])) for name in plan.formats]


@dataclass(frozen=True)
class ConvertReport:
    """What `convert` did with one input."""

    path: str
    written: tuple[str, ...] = ()
    issues: tuple[Issue, ...] = ()
    problem: Problem | None = None
    #: (output path, message) for outputs that could not be written
    write_errors: tuple[tuple[str, str], ...] = ()


def _zip_name(target: str, format_name: str, raw: bytes) -> str:
    """A writer that made a ZIP (EDM writes a collection as one) gets the format's ``.zip`` extension."""
    if not raw.startswith(b"PK\x03\x04"):
        return target
    extensions = formats.get(format_name).extensions
    archive = next((ext for ext in extensions if ext.endswith(".zip")), None)
    first = extensions[0]
    if archive is None or not target.endswith(first) or first == archive:
        return target
    return target[: -len(first)] + archive


def _photographs(document: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return list(enumerate(standalone_records(document), 1))


def _photo_target(target: str, record: dict[str, Any], number: int) -> str:
    """``out/gallery.xmp`` -> ``out/gallery.photo-01.xmp``: the last part of the photograph's @id."""
    tail = re.sub(r"[^A-Za-z0-9._-]+", "-", str(record.get("@id", "")).rstrip("/#").rsplit("/", 1)[-1]).strip(
        "-."
    )
    folder, name = os.path.split(target)
    stem, dot, extension = name.partition(".")
    return os.path.join(folder, f"{stem}.{tail or f'photo-{number:02d}'}{dot}{extension}")


def convert_file(path: str, plan: ConvertPlan) -> ConvertReport:
    """Read one input, check it, write it in each asked format (each file atomically)."""
    try:
        fmt, data, document = _load(path, plan.input_format)
    except (WarphotoError, OSError) as error:
        return ConvertReport(path, problem=_problem(error))
    if plan.validate:
        issues = _located_issues(path, fmt, data, document)
        if issues:
            return ConvertReport(path, issues=tuple(issues))
    written: list[str] = []
    failed: list[tuple[str, str]] = []
    jobs: list[tuple[str, str, dict[str, Any]]] = []
    for name, target in targets_for(path, plan):
        if formats.get(name).per_photograph and plan.output is None and "@graph" in document:
            jobs.extend(
                (name, _photo_target(target, record, n), record) for n, record in _photographs(document)
            )
        else:
            jobs.append((name, target, document))
    for name, target, content in jobs:
        try:
            payload = io.dumps(content, name, **plan.options_for(name))
            raw = payload.encode("utf-8") if isinstance(payload, str) else payload
            if plan.output is None:
                target = _zip_name(target, name, raw)
            if target == "-":
                sys.stdout.buffer.write(raw)
                sys.stdout.buffer.flush()
            else:
                os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
                atomic_write_bytes(target, raw, overwrite=plan.force)
        except FileExistsError:
            failed.append((target, "file exists; pass --force to replace it"))
        except (WarphotoError, OSError) as error:
            failed.append((target, str(error)))
        else:
            written.append(target)
    return ConvertReport(path, tuple(written), (), None, tuple(failed))


def _convert_formats(names: Sequence[str], output: str | None) -> tuple[str, ...]:
    if not names:
        if output is None or output == "-":
            raise UsageError("say which format to write: --to FORMAT (see `warphoto formats`)")
        return (formats.for_path(output).name,)
    chosen: list[str] = []
    for entry in names:
        for name in (n.strip() for n in entry.split(",")):
            if not name:
                continue
            if name == "all":
                chosen += [f.name for f in formats.all_formats() if f.can_write and not _needs_image(f)]
                continue
            fmt = formats.get(name)
            if not fmt.can_write:
                raise UsageError(f"warphoto can read {fmt.name} but not write it")
            if _needs_image(fmt):
                raise UsageError(f"{fmt.name} goes into an existing image: use `warphoto embed IMAGE RECORD`")
            chosen.append(fmt.name)
    return tuple(dict.fromkeys(chosen))


def _remove_temporary_files(targets: Sequence[str]) -> None:
    """Remove the temporary files of atomic writes to ``targets`` that a stopped worker left behind.

    Workers clean up after themselves when stopped; this also covers a worker that was killed
    outright. The names are those of :func:`warphoto._atomic.atomic_write_bytes`: ``.NAME.XXXX.tmp``.
    """
    by_folder: dict[str, set[str]] = {}
    for target in targets:
        by_folder.setdefault(os.path.dirname(target), set()).add(os.path.basename(target))
    for folder, names in by_folder.items():
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            if entry.startswith(".") and entry.endswith(".tmp") and entry[1:-4].rsplit(".", 1)[0] in names:
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, entry))


def _writer_options(pairs: Sequence[str], names: Sequence[str]) -> dict[str, Any]:
    """-O NAME=VALUE pairs; VALUE is read as JSON when it is JSON (4, true, null), else as text."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"-O takes NAME=VALUE, not {pair!r}")
        if not any(key in formats.get(name).options for name in names):
            known = sorted({option for name in names for option in formats.get(name).options})
            raise UsageError(
                f"no format written here takes the option {key!r}; options: {', '.join(known) or 'none'}"
            )
        try:
            options[key] = json.loads(text)
        except ValueError:
            options[key] = text
    return options


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert record files to other formats, side by side in a folder or to one file."""
    if (args.output is None) == (args.out_dir is None):
        raise UsageError("give exactly one of -o FILE and --out-dir DIR")
    if args.input_format:
        formats.get(args.input_format)
    names = _convert_formats(args.to, args.output)
    inputs = expand_inputs(args.inputs)
    for argument, message in inputs.missing:
        raise UsageError(f"{argument}: {message}")
    if not inputs.files:
        raise UsageError("no record files found in " + ", ".join(args.inputs))
    if args.output is not None and (len(inputs.files) != 1 or len(names) != 1):
        raise UsageError("-o FILE takes one input and one format; use --out-dir DIR for more")
    plan = ConvertPlan(
        names,
        args.out_dir,
        args.output,
        args.input_format,
        args.force,
        not args.no_validate,
        tuple(inputs.folders),
        _writer_options(args.option, names),
    )
    # refuse before writing anything: outputs that exist, or two inputs writing the same output
    owners: dict[str, str] = {}
    existing: list[str] = []
    planned: list[str] = []  # every file this run may write, for the clean-up after an interruption
    for path in inputs.files:
        for name, target in targets_for(path, plan):
            if target == "-":
                continue
            planned += [target, _zip_name(target, name, b"PK\x03\x04")]
            key = os.path.normcase(os.path.abspath(target))
            if key in owners:
                raise UsageError(f"{owners[key]} and {path} would both be written to {target}")
            owners[key] = path
            if not args.force and os.path.exists(target):
                existing.append(target)
    if existing:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise UsageError(f"{existing[0]} exists{more}; refusing to overwrite: pass --force to replace")
    func = functools.partial(convert_file, plan=plan)
    reports: list[ConvertReport] = []
    sweep = functools.partial(_remove_temporary_files, planned)
    progress = args.progress and args.output != "-"
    outcomes = _run_batch(func, inputs.files, args.jobs, "convert", progress, cleanup=sweep)
    for outcome in outcomes:
        if outcome.value is not None:
            reports.append(outcome.value)
        else:
            failure = outcome.failure or Failure("Error", "unknown failure", False)
            message = (
                failure.message if failure.expected else f"internal error ({failure.kind}): {failure.message}"
            )
            reports.append(ConvertReport(outcome.path, problem=Problem(message, kind=failure.kind)))
    _report_bugs(outcomes, args.debug)
    status = EXIT_OK
    for report in reports:
        if report.problem is not None:
            _err(f"{report.problem.where(report.path)}: error: {report.problem.message}")
            status = EXIT_USAGE
        for issue in report.issues:
            print(f"warphoto: {issue}", file=sys.stderr)
        if report.issues:
            _err(f"{report.path}: not converted: {_plural(len(report.issues), 'validation issue')}")
            status = max(status, EXIT_INVALID)
        for target, message in report.write_errors:
            _err(f"{target}: not written: {message}")
            status = max(status, EXIT_INVALID)
    if args.output != "-":
        written = sum(len(r.written) for r in reports)
        converted = sum(1 for r in reports if r.written)
        where = args.output if args.output is not None else args.out_dir
        line = (
            f"converted {converted} of {_plural(len(reports), 'file')} to {', '.join(names)}: "
            f"{_plural(written, 'file')} written to {where}"
        )
        print(line)
        if args.verbose:
            for report in reports:
                for target in report.written:
                    print(f"  {report.path} -> {target}")
    return status


# --------------------------------------------------------------------------- inspect


def _text(value: Any) -> str | None:
    """A readable string for a plain or language-mapped value (English first)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "@value" in value:
            return str(value["@value"])
        for key in ("en", "x-default", *value):
            if key in value:
                return _text(value[key])
    if isinstance(value, list) and value:
        return ", ".join(t for t in (_text(v) for v in value) if t)
    return None


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type", [])
    return [kind] if isinstance(kind, str) else [str(k) for k in kind]


def _short(text: str, width: int = 72) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def summarize(document: dict[str, Any]) -> str:
    """A few readable lines about a record or collection: what it holds, and each photograph."""
    nodes = document["@graph"] if isinstance(document.get("@graph"), list) else [document]
    by_id = {n["@id"]: n for n in nodes if isinstance(n, dict) and isinstance(n.get("@id"), str)}

    def name_of(ref: Any) -> str | None:
        if isinstance(ref, list):
            names = [n for n in (name_of(r) for r in ref) if n]
            return ", ".join(names) if names else None
        node = by_id.get(ref) if isinstance(ref, str) else ref
        if isinstance(node, dict):
            return _text(node.get("name")) or _text(node.get("headline")) or node.get("@id")
        return ref if isinstance(ref, str) else None

    counts = Counter(" / ".join(_types(n)) or "(untyped)" for n in nodes if isinstance(n, dict))
    lines = [
        ("collection of " if "@graph" in document else "one record: ")
        + ", ".join(f"{count} {kind}" for kind, count in counts.most_common())
    ]
    fields = (
        ("headline", "headline"),
        ("title", "title"),
        ("caption", "caption"), ("name", "name"), ("date", "dateCreated"), ("published", "datePublished"),
        ("creator", "creator"), ("author", "author"), ("credit", "creditText"), ("shows", "contentLocation"),
        ("event", "recordedAt"), ("position", "position"), ("warning", "contentWarning"),
    )  # fmt: skip
    for node in nodes:
        if not isinstance(node, dict):
            continue
        kinds = _types(node)
        if not {"Photograph", "ImageGallery", "ImageObject"}.intersection(kinds) or (
            kinds == ["ImageObject"] and "contentUrl" in node
        ):
            continue
        lines.append("")
        lines.append(f"{' / '.join(kinds)}  {node.get('@id', '(no @id)')}")
        for label, key in fields:
            if key not in node:
                continue
            value = node[key]
            shown = (
                name_of(value)
                if key in ("creator", "author", "contentLocation", "recordedAt")
                else _text(value)
                if not isinstance(value, (int, float))
                else str(value)
            )
            if key == "contentWarning":
                warnings = value if isinstance(value, list) else [value]
                shown = ", ".join(str(w).rsplit("/", 1)[-1] for w in warnings)
            if shown:
                lines.append(f"  {label + ':':<10} {_short(shown)}")
        people = node.get("personShown")
        if isinstance(people, list) and people:
            names = [name_of(p.get("person")) if isinstance(p, dict) else None for p in people]
            lines.append(f"  {'people:':<10} {_short(', '.join(n for n in names if n))}")
        files = node.get("associatedMedia")
        if isinstance(files, list) and files:
            lines.append(f"  {'files:':<10} {len(files)}")
    return "\n".join(lines)


def cmd_inspect(args: argparse.Namespace) -> int:
    """Print the record a file holds, as JSON or as a summary."""
    fmt, _data, document = _load(args.file, args.input_format)
    if args.summary:
        print(f"{args.file} ({fmt.name})")
        print(summarize(document))
    else:
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return EXIT_OK


# --------------------------------------------------------------------------- embed / extract


def _image_format() -> formats.Format:
    candidates = [f for f in formats.all_formats() if _needs_image(f) and f.can_read]
    for fmt in candidates:
        if "jpeg" in fmt.name or "jpg" in fmt.name:
            return fmt
    if candidates:
        return candidates[0]
    raise UsageError("this installation of warphoto has no JPEG format")


def _embed_bytes(image: bytes, document: dict[str, Any], fmt: formats.Format, record_id: str | None) -> bytes:
    """The image with the record's XMP embedded (its pixel data untouched)."""
    if fmt.dumps is None:
        raise UsageError(f"the {fmt.name} format cannot embed records")
    options: dict[str, Any] = {"image": image}
    if record_id:
        options["id"] = record_id
    result = fmt.dumps(document, **options)
    if not isinstance(result, bytes):
        raise WriteError(f"the {fmt.name} format returned {type(result).__name__}, not the image bytes")
    return result


def cmd_embed(args: argparse.Namespace) -> int:
    """Write a record into a JPEG as XMP: in place, or to -o FILE."""
    fmt = _image_format()
    record = io.read(args.record, args.input_format)  # validated: embed only what is valid
    with open(args.image, "rb") as handle:
        image = handle.read()
    result = _embed_bytes(image, record, fmt, args.id)
    target = args.output or args.image
    if args.output and args.output != args.image and os.path.exists(args.output) and not args.force:
        raise UsageError(f"{args.output} exists; refusing to overwrite: pass --force to replace")
    atomic_write_bytes(target, result, overwrite=True)
    print(f"embedded {args.record} into {target}")
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    """Read the XMP of a JPEG and write it as a sidecar (or any format) to stdout or -o FILE."""
    fmt = _image_format()
    _fmt, _data, document = _load(args.image, fmt.name)
    if args.to:
        out_format = formats.get(args.to)
    elif args.output and args.output != "-":
        out_format = formats.for_path(args.output)
    else:
        out_format = formats.get("xmp")
    if not out_format.can_write or _needs_image(out_format):
        raise UsageError(f"cannot extract to {out_format.name}; choose another format with --to")
    payload = io.dumps(document, out_format.name)
    raw = payload.encode("utf-8") if isinstance(payload, str) else payload
    if not args.output or args.output == "-":
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return EXIT_OK
    if os.path.exists(args.output) and not args.force:
        raise UsageError(f"{args.output} exists; refusing to overwrite: pass --force to replace")
    atomic_write_bytes(args.output, raw, overwrite=True)
    print(f"extracted {args.image} to {args.output} ({out_format.name})")
    return EXIT_OK


# --------------------------------------------------------------------------- formats


def cmd_formats(args: argparse.Namespace) -> int:
    """List the formats: name, file extensions, read/write, and what each cannot carry."""
    rows = formats.all_formats()
    if args.format == "json":
        listing = [
            {
                "name": f.name,
                "title": f.title,
                "extensions": list(f.extensions),
                "media_type": f.media_type,
                "read": f.can_read,
                "write": f.can_write,
                "binary": f.binary,
                "aliases": list(f.aliases),
                "cannot_carry": list(f.cannot_carry),
                "options": dict(f.options),
            }
            for f in rows
        ]
        json.dump(listing, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    table = [("FORMAT", "EXTENSIONS", "READ", "WRITE", "CANNOT CARRY")]
    for f in rows:
        table.append(
            (
                f.name,
                " ".join(f.extensions),
                "yes" if f.can_read else "no",
                "yes" if f.can_write else "no",
                ", ".join(f.cannot_carry) if f.cannot_carry else "-",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    indent = sum(widths) + 2 * len(widths)
    room = max(40, shutil.get_terminal_size((120, 24)).columns - indent)
    for row in table:
        head = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  "
        lines = textwrap.wrap(row[4], room, break_on_hyphens=False) or [""]
        print(head + lines[0])
        for more in lines[1:]:
            print(" " * indent + more)
    return EXIT_OK


# --------------------------------------------------------------------------- argument parsing


class _Version(argparse.Action):
    """``--version``: the build is looked up only when asked for (it imports the XMP module)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> NoReturn:
        print(f"warphoto {__version__} ({_build.describe()})")
        parser.exit()


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Wraps descriptions to the terminal; keeps indented lines (the examples) as they are."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for paragraph in text.splitlines():
            if not paragraph or paragraph.startswith(" "):
                lines.append(indent + paragraph)
            else:
                lines.append(textwrap.fill(paragraph, width, initial_indent=indent, subsequent_indent=indent))
        return "\n".join(lines)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (each with --help and an example)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback for every error"
    )
    batch = argparse.ArgumentParser(add_help=False)
    batch.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help=f"worker processes (default: the number of cores, here {default_jobs()})",
    )
    batch.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="no progress bar (it only shows on a terminal, and never when CI is set)",
    )
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--from",
        dest="input_format",
        metavar="FORMAT",
        help="read inputs as FORMAT instead of telling it from the file name",
    )

    parser = argparse.ArgumentParser(
        prog="warphoto",
        formatter_class=_Formatter,
        description="Metadata of documentary and war photographs as Linked Data: check records, "
        "convert them between JSON-LD, RDF, XMP, NewsML-G2 and EDM, and embed them in JPEGs.",
        epilog="exit status: 0 all good, 1 a record is invalid, 2 usage error or unreadable input, "
        "130/143 interrupted (Ctrl-C/SIGTERM)\n\nexample:\n  warphoto validate records/ --format github\n\n"
        "`warphoto COMMAND --help` explains each command.",
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help="show the version and the build, and exit"
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback for every error")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = commands.add_parser(
        "validate",
        parents=[common, batch, reading],
        formatter_class=_Formatter,
        help="check record files against the schemas and rules",
        description="Check record files (JSON-LD, JSON Lines, and every format warphoto reads) against "
        "the schemas and the semantic rules, and report every issue with its file, line and column, "
        "record and JSON path. Folders are searched recursively for files a format can read; glob "
        "patterns (quoted, `**` for any depth) are expanded.",
        epilog="exit status: 2 if any input cannot be read (or the command line is wrong), else 1 if any "
        "record is invalid, else 0\n\nexamples:\n  warphoto validate docs/examples/kharkiv-2022.jsonld\n"
        "  warphoto validate records/ 'more/**/*.jsonl' --format junit > report.xml\n"
        "  warphoto validate records/ --format github   # annotations in GitHub Actions",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or glob patterns")
    p.add_argument(
        "--format",
        choices=sorted(RENDERERS),
        default="text",
        help="report as text (default), json, junit (JUnit XML) or github (workflow annotations)",
    )
    p.set_defaults(handler=cmd_validate)

    p = commands.add_parser(
        "convert",
        parents=[common, batch, reading],
        formatter_class=_Formatter,
        help="write records in other formats",
        description="Read record files and write them in another format (or several, or all): to one "
        "file with -o, or side by side in a folder with --out-dir (file name = input name with the "
        "format's extension; inputs found in a folder keep their sub-folders). Inputs are checked "
        "first and an invalid one is not converted (--no-validate skips the check). Every file is "
        "written atomically; existing files are never replaced without --force.",
        epilog="exit status: 2 usage error, unreadable input or an output that exists, else 1 if an "
        "input is invalid or a format cannot hold it, else 0\n\nexamples:\n"
        "  warphoto convert docs/examples/kharkiv-2022.jsonld --to turtle -o kharkiv.ttl\n"
        "  warphoto convert records/ --to all --out-dir exported/ -j 4 \\\n"
        "      -O provider='Example Aggregator' -O data_provider='Example Archive' \\\n"
        "      -O rights=http://rightsstatements.org/vocab/InC/1.0/",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or glob patterns")
    p.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="FORMAT",
        help="format to write (repeat or comma-separate for several; `all` for every writable "
        "format; default with -o: from the file name)",
    )
    target = p.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", metavar="FILE", help="write to FILE (`-` for stdout)")
    target.add_argument("--out-dir", metavar="DIR", help="write into DIR (created if missing)")
    p.add_argument(
        "-O",
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a writer option, given to each format that takes it (see `warphoto formats --format json`); "
        "EDM needs provider, data_provider and rights",
    )
    p.add_argument("--force", action="store_true", help="replace files that exist")
    p.add_argument("--no-validate", action="store_true", help="convert without checking the records first")
    p.add_argument("-v", "--verbose", action="store_true", help="list every file written")
    p.set_defaults(handler=cmd_convert)

    p = commands.add_parser(
        "inspect",
        parents=[common, reading],
        formatter_class=_Formatter,
        help="print the record a file holds",
        description="Read any supported file (a JPEG too) and print its record as JSON-LD (the record "
        "form), or a readable summary with --summary. The record is not validated: use `validate`.",
        epilog="examples:\n  warphoto inspect photo.jpg\n"
        "  warphoto inspect docs/examples/kharkiv-2022.jsonld --summary",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--summary", action="store_true", help="a readable summary instead of JSON")
    p.set_defaults(handler=cmd_inspect)

    p = commands.add_parser(
        "embed",
        parents=[common, reading],
        formatter_class=_Formatter,
        help="write a record into a JPEG as XMP",
        description="Embed a record in a JPEG as XMP. The image is rewritten atomically, its pixel data "
        "untouched; with -o the result goes to a new file instead. The record must be valid.",
        epilog="example:\n  warphoto embed photo.jpg photo.jsonld\n"
        "  warphoto embed photo.jpg photo.xmp -o tagged/photo.jpg\n"
        "  warphoto embed photo.jpg gallery.jsonld --id https://example.org/photos/7",
    )
    p.add_argument("image", metavar="IMAGE", help="the JPEG")
    p.add_argument("record", metavar="RECORD", help="the record, in any format warphoto reads")
    p.add_argument("--id", metavar="IRI", help="the photograph to embed, when RECORD is a collection")
    p.add_argument("-o", "--output", metavar="FILE", help="write the tagged image here, not over IMAGE")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(handler=cmd_embed)

    p = commands.add_parser(
        "extract",
        parents=[common],
        formatter_class=_Formatter,
        help="read the XMP of a JPEG as a sidecar or any format",
        description="Read the record embedded in a JPEG and write it as an XMP sidecar (default), or in "
        "the format of -o FILE's name or --to FORMAT; to stdout without -o.",
        epilog="examples:\n  warphoto extract photo.jpg -o photo.xmp\n"
        "  warphoto extract photo.jpg --to jsonld",
    )
    p.add_argument("image", metavar="IMAGE")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (format from its name), not to stdout")
    p.add_argument("--to", metavar="FORMAT", help="format to write (default: xmp, or from -o's name)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(handler=cmd_extract)

    p = commands.add_parser(
        "formats",
        parents=[common],
        formatter_class=_Formatter,
        help="list formats: extensions, read/write, what each cannot carry",
        description="List every format this installation reads or writes, its file extensions, and "
        "the record fields it cannot carry (see docs/loss-table.md).",
        epilog="example:\n  warphoto formats --format json",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="a table (default) or JSON")
    p.set_defaults(handler=cmd_formats)
    return parser


# --------------------------------------------------------------------------- main


def _on_sigterm(signum: int, frame: FrameType | None) -> NoReturn:
    raise Interrupted(signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except KeyboardInterrupt as interrupt:
        if args.command not in ("validate", "convert"):
            _err("interrupted; no partial files left")
        return 128 + interrupt.signum if isinstance(interrupt, Interrupted) else EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader of our output went away (`| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_INVALID
    except ValidationError as error:
        if args.debug:
            traceback.print_exc()
        _err(f"error: {error}")
        return EXIT_INVALID
    except (WarphotoError, OSError, UsageError) as error:
        if args.debug:
            traceback.print_exc()
        message = str(error)
        if isinstance(error, OSError) and error.strerror:
            message = f"{error.filename}: {error.strerror}" if error.filename else error.strerror
        _err(f"error: {message}")
        return EXIT_USAGE
    except Exception as error:  # a bug: say so in one line, the traceback with --debug
        if args.debug:
            traceback.print_exc()
        else:
            _err(
                f"internal error ({type(error).__name__}): {error}; this is a bug in warphoto or a format "
                "module: run with --debug for the traceback"
            )
        return EXIT_USAGE
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
