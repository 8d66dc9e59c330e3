"""JSON Lines in `validate` and `convert`: read a record at a time, so the size bound is per record.

* `validate` checks a JSON Lines input with :func:`warphoto.streaming.check_lines`: constant
  memory, each issue at its line and column.
* `convert` streams a JSON Lines input when every format asked for is written a record at a
  time (:data:`warphoto.streaming.RECORD_FORMATS`, without writer options): each output is
  written record by record to a temporary file that gets its name only when the whole input
  was read and checked, so an invalid or unreadable input writes nothing. For the other
  formats (Turtle, XMP, EDM, NewsML-G2, ...) the records are read and checked a line at a
  time, then written from one collection held in memory.

A line that cannot be read (not JSON, over the per-record bound, a refused context) makes
the input unreadable (exit 2), as a malformed file does; the other lines are still checked.
"""

from __future__ import annotations

import io as _io
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from warphoto import _resources
from warphoto._atomic import AtomicStream
from warphoto._lines import LinesChecker, check_lines, checked_lines, read_records
from warphoto.cli._common import STDIO, Loaded, Problem, cli_message, display_name, input_format
from warphoto.cli.reports import FileReport
from warphoto.errors import FormatError, ReadError, WarphotoError
from warphoto.streaming import RECORD_FORMATS, RecordWriter, record_writer
from warphoto.validation import Issue

if TYPE_CHECKING:
    from warphoto.cli.convert import ConvertPlan, ConvertReport

LINES_FORMAT = "jsonl"


def is_lines(path: str, format_name: str | None) -> bool:
    """Whether ``path`` is read as JSON Lines (its name, or ``--from``)."""
    try:
        return input_format(path, format_name).name == LINES_FORMAT
    except FormatError:
        return False


def _open(path: str, stdin: bytes | None) -> IO[bytes]:
    """The input as a binary stream (standard input: the bytes read once, at the start)."""
    if path == STDIO:
        return _io.BytesIO(stdin or b"")
    return open(path, "rb")


def _split_unreadable(issues: list[Issue]) -> tuple[Problem | None, list[Issue]]:
    """The first line that could not be read (a ``json:`` rule) as the input's problem, and the rest."""
    for index, issue in enumerate(issues):
        if issue.rule.startswith("json:"):
            problem = Problem(issue.message, issue.line, issue.column)
            return problem, issues[:index] + issues[index + 1 :]
    return None, issues


def validate_lines(path: str, stdin: bytes | None = None) -> FileReport:
    """`validate` of one JSON Lines input, record by record."""
    start = time.perf_counter()
    shown = display_name(path)
    try:
        with _open(path, stdin) as handle:
            report = check_lines(handle, name=shown)
    except (ReadError, OSError) as error:
        return FileReport(shown, LINES_FORMAT, problem=Problem.of(error), seconds=time.perf_counter() - start)
    problem, issues = _split_unreadable(report.issues)
    return FileReport(
        shown,
        LINES_FORMAT,
        report.records,
        tuple(issues),
        problem,
        time.perf_counter() - start,
        tuple(report.warnings),
    )


def _records(handle: IO[bytes], shown: str, validate: bool, issues: list[Issue]) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines stream; checked (issues go to ``issues``) unless ``validate`` is false.

    Once an issue is found, later records are still checked but no longer yielded.
    Unchecked, a line that cannot be read raises its ReadError.
    """
    if not validate:
        for _line, record in read_records(handle, source=shown):
            yield record
        return
    for checked in checked_lines(handle, LinesChecker(shown)):
        issues.extend(checked.issues)
        if checked.record is not None and not issues:
            yield checked.record


def _redacted(records: Iterator[dict[str, Any]], plan: ConvertPlan) -> Iterator[dict[str, Any]]:
    """Each record redacted with the plan's profile (all dated alike), or as it is without one."""
    if plan.profile is None:
        yield from records
        return
    from warphoto.safety import redact

    for record in records:
        yield redact(record, plan.profile, now=plan.redacted_at)


def _outcome(path: str, issues: list[Issue]) -> ConvertReport | None:
    """The report of an input whose lines had issues (None when they had none)."""
    from warphoto.cli.convert import ConvertReport

    if not issues:
        return None
    issues.sort(key=lambda i: (i.line or 0, i.column or 0))
    problem, rest = _split_unreadable(issues)
    return ConvertReport(path, issues=tuple(rest), problem=problem)


def read_lines(path: str, plan: ConvertPlan) -> Loaded | ConvertReport:
    """A JSON Lines input read (and checked, unless the plan says not) a record at a time, as one document.

    The document is what :func:`warphoto.io.read` makes of the file: the record of a one-record
    file, else a collection.
    """
    from warphoto.cli.convert import ConvertReport

    issues: list[Issue] = []
    try:
        with _open(path, plan.stdin) as handle:
            records = list(_redacted(_records(handle, display_name(path), plan.validate, issues), plan))
    except (WarphotoError, OSError) as error:
        return ConvertReport(path, problem=Problem.of(error))
    refused = _outcome(path, issues)
    if refused is not None:
        return refused
    fmt = input_format(path, plan.input_format)
    if len(records) == 1:
        return Loaded(path, fmt, records[0])
    graph = [{k: v for k, v in r.items() if k != "@context"} for r in records]
    return Loaded(path, fmt, {"@context": _resources.CONTEXT_IRI, "@graph": graph})


def streams(path: str, plan: ConvertPlan) -> bool:
    """Whether converting ``path`` streams: JSON Lines in, every format written a record at a time
    (:data:`warphoto.streaming.RECORD_FORMATS`), no writer options."""
    return is_lines(path, plan.input_format) and all(
        name in RECORD_FORMATS and not plan.options_for(name) for name in plan.formats
    )


class _Spool:
    """Standard output, written only at the end (an invalid input must write nothing there either)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by discard

    def write(self, data: bytes) -> None:
        self._file.write(data)

    def commit(self) -> None:
        self._file.seek(0)
        shutil.copyfileobj(self._file, sys.stdout.buffer, 1 << 20)
        sys.stdout.buffer.flush()
        self.discard()

    def discard(self) -> None:
        self._file.close()


class _Output:
    """One output being streamed: its format's writer and where its bytes go until committed."""

    def __init__(self, name: str, target: str, force: bool) -> None:
        self.name = name
        self.target = target
        self.writer: RecordWriter = record_writer(name)
        if target != STDIO:  # the temporary file lives beside its target
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        self.sink: AtomicStream | _Spool = (
            _Spool() if target == STDIO else AtomicStream(target, overwrite=force)
        )
        self.pending: list[str] = [self.writer.header]

    def add(self, record: dict[str, Any]) -> None:
        try:
            self.pending.append(self.writer.write(record))
        except (WarphotoError, OSError):
            raise
        except Exception as error:  # a record not in the record form (--no-validate): name its issue
            from warphoto.io import refuse_malformed

            refuse_malformed(self.name, record, error)
        if len(self.pending) >= 256:
            self.flush()

    def flush(self) -> None:
        self.sink.write("".join(self.pending).encode("utf-8"))
        self.pending.clear()

    def finish(self) -> None:
        self.pending.append(self.writer.end())
        self.flush()
        self.sink.commit()


def _failure(error: BaseException, name: str) -> str:
    if isinstance(error, FileExistsError):
        return "file exists; pass --force to replace it"
    return cli_message(str(error), name)


def convert_lines(path: str, plan: ConvertPlan) -> ConvertReport:
    """Convert one JSON Lines input record by record to every (streaming) format of the plan."""
    from warphoto.cli.convert import ConvertReport, targets_for

    outputs: list[_Output] = []
    failed: list[tuple[str, str]] = []
    issues: list[Issue] = []
    try:
        handle = _open(path, plan.stdin)
    except OSError as error:
        return ConvertReport(path, problem=Problem.of(error))
    try:
        for name, target in targets_for(path, plan):
            try:
                outputs.append(_Output(name, target, plan.force))
            except OSError as error:
                failed.append((target, _failure(error, name)))
        try:
            for record in _redacted(_records(handle, display_name(path), plan.validate, issues), plan):
                for output in list(outputs):
                    try:
                        output.add(record)
                    except (WarphotoError, OSError) as error:
                        failed.append((output.target, _failure(error, output.name)))
                        output.sink.discard()
                        outputs.remove(output)
        except (WarphotoError, OSError) as error:  # unreadable, or a record that cannot be redacted
            return ConvertReport(path, problem=Problem.of(error))
        refused = _outcome(path, issues)
        if refused is not None:
            return refused
        written: list[str] = []
        for output in outputs:
            try:
                output.finish()
            except OSError as error:
                failed.append((output.target, _failure(error, output.name)))
            else:
                written.append(output.target)
        return ConvertReport(path, tuple(written), (), None, tuple(failed))
    finally:
        handle.close()
        for output in outputs:
            output.sink.discard()
