"""Checking JSON Lines record by record, in constant memory, with the line and column of each issue.

:class:`LinesChecker` takes one line at a time (``check(raw, number)``) and says what is wrong
with it; ``finish()`` adds what only the whole file can show. :func:`check_lines` runs it over
a file or a binary stream. Nothing is held between lines but what the collection rules need
across them (below), so a file of any size is checked in the memory of its largest line.

Each line is read, checked and reported on its own:

* the size bound applies to a line (``max_record_bytes``, by default
  :data:`warphoto.io.MAX_INPUT_BYTES`), never to the file;
* strict JSON (:func:`warphoto._json.parse_json`), a line that is not JSON is an issue at its
  line and column (rule ``json:syntax``), and the next line is checked as usual;
* the context: a line naming exactly our context once (and no ``\\u`` escape) is taken as it
  is (a byte count and one comparison); any other is read as
  :func:`warphoto.formats.jsonld.from_jsonld` reads it (remote contexts refused, rule
  ``json:context``); no ``@context`` at all is a warning
  (:data:`warphoto.validation.MISSING_CONTEXT`);
* the schema and the semantic rules, as :func:`warphoto.iter_issues` checks one record; paths
  are the record's own (``$.creator[0]``), the line says which record.

Across lines, as in the collection the file stands for:

* a record's ``@id`` is described on one line only (rule ``semantic:duplicate-id``); the
  checker keeps an 8-byte digest and a line number per record (16 bytes each, in sorted
  arrays; ``unique_ids=False`` turns this off for a memory bound independent of the count);
  two different ids share a digest with odds below n**2 / 2**65;
* a blank-node reference (``_:x``) resolves when any line describes that node, before or
  after it; the checker keeps the blank-node labels the file describes (shared entities: few).

Not checked across lines (each line is checked with what it holds): two lines describing
the same embedded entity differently, provenance steps and galleries named by @id on
another line (their dates' order).
"""

from __future__ import annotations

import hashlib
import heapq
import os
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import IO, Any

import orjson

from warphoto import _quickcheck, _resources
from warphoto._json import parse_json, parse_json_written
from warphoto._sourcemap import SourceMap, _resolve, escape_token, parse_pointer
from warphoto.errors import ReadError
from warphoto.validation import Issue, _Objects, document_issues, iter_warnings

__all__ = ["CheckedLine", "LinesChecker", "LinesReport", "check_lines", "checked_lines", "read_records"]

_CONTEXT = _resources.CONTEXT_IRI
_CONTEXT_KEY = b'"@context"'
_UNRESOLVED = "semantic:unresolved-reference"
_UNKNOWN_KEY = re.compile(r"""unknown key ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")
_BARE = re.compile(rb'\{"@id":"(_:' + _quickcheck._BODY + rb')"\}')


@dataclass(frozen=True, slots=True)
class CheckedLine:
    """One line's outcome: its record (None when the line holds none) and its issues and warnings."""

    line: int
    record: dict[str, Any] | None
    issues: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()


@dataclass(slots=True)
class LinesReport:
    """What :func:`check_lines` found in one file."""

    records: int = 0
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.issues


def _first_key(issue: Issue) -> str | None:
    """For an unknown-key issue (reported on its object), the first key it names: the place to point at."""
    if issue.rule != "schema:additionalProperties":
        return None
    match = _UNKNOWN_KEY.search(issue.message)
    if match is None:
        return None
    import ast

    key = ast.literal_eval(match.group(1))
    return key if isinstance(key, str) else None


def _described_blanks(record: dict[str, Any], text: bytes) -> set[str]:
    """The blank-node labels ``record`` describes (an object with more than its @id)."""
    ids, extension = _quickcheck.look(text)
    if extension:  # ids inside extension values are not descriptions
        return {key for key in _Objects(record).first if key.startswith("_:")}
    found = [m for m in ids if m.startswith(b"_:")]
    if not found:
        return set()
    bare = _BARE.findall(text)
    counts: dict[bytes, int] = {}
    for label in found:
        counts[label] = counts.get(label, 0) + 1
    for label in bare:
        counts[label] -= 1
    return {
        orjson.loads(b'"' + label + b'"') if b"\\" in label else label.decode("utf-8")
        for label, count in counts.items()
        if count > 0
    }


class _SeenIds:
    """8-byte digests of the record ids seen so far, each with the line that first had it.

    The latest ones sit in a dict; every ``batch`` of them moves into sorted arrays of 16
    bytes an id (digest and line), merged like a log-structured tree (a level is merged into
    the one above when it is as large), so that memory grows by about 16 bytes a record,
    not the hundred a dict entry costs, and a look-up is a few binary searches.
    """

    def __init__(self, batch: int = 1 << 16) -> None:
        self.batch = batch
        self.recent: dict[int, int] = {}
        self.levels: list[tuple[array[int], array[int]]] = []  # (sorted digests, their lines)

    def first_line(self, digest: int, line: int) -> int:
        """The line that first had ``digest`` (``line`` itself when none did; it is recorded)."""
        for digests, lines in self.levels:
            at = bisect_left(digests, digest)
            if at < len(digests) and digests[at] == digest:
                return lines[at]
        first = self.recent.setdefault(digest, line)
        if len(self.recent) >= self.batch:
            self._flush()
        return first

    def _flush(self) -> None:
        items = sorted(self.recent.items())
        level = (array("Q", (d for d, _ in items)), array("Q", (n for _, n in items)))
        self.recent.clear()
        while self.levels and len(self.levels[-1][0]) <= len(level[0]):
            level = _merge(self.levels.pop(), level)
        self.levels.append(level)


def _merge(
    a: tuple[array[int], array[int]], b: tuple[array[int], array[int]]
) -> tuple[array[int], array[int]]:
    digests, lines = array("Q"), array("Q")
    for digest, line in heapq.merge(zip(*a, strict=True), zip(*b, strict=True)):
        digests.append(digest)
        lines.append(line)
    return digests, lines


class LinesChecker:
    """Checks JSON Lines one line at a time; see the module's documentation for what it checks."""

    def __init__(
        self, source: str | None = None, *, max_record_bytes: int | None = None, unique_ids: bool = True
    ) -> None:
        from warphoto.io import MAX_INPUT_BYTES

        self.source = source
        self.max_record_bytes = MAX_INPUT_BYTES if max_record_bytes is None else max_record_bytes
        self.records = 0
        self._ids: _SeenIds | None = _SeenIds() if unique_ids else None
        self._blanks: set[str] = set()
        self._pending: list[tuple[str, Issue]] = []  # blank references no line has described yet

    def _at(self, issue: Issue, number: int, source_map: SourceMap, record: Any) -> Issue:
        column = None
        if issue.pointer is not None:
            key = _first_key(issue)
            offset = source_map.key_offset(f"{issue.pointer}/{escape_token(key)}", record) if key else None
            if offset is None:
                offset = source_map.offset(issue.pointer, record)
            if offset is not None:
                column = source_map.line_column(offset)[1]
        return replace(issue, source=self.source, line=number, column=column, extra={})

    def _refused(self, number: int, message: str, rule: str, column: int | None = None) -> CheckedLine:
        issue = Issue(None, "$", message, rule, "", source=self.source, line=number, column=column)
        return CheckedLine(number, None, (issue,))

    def too_long(self, number: int, size: int) -> CheckedLine:
        """The outcome for a line longer than ``max_record_bytes`` (which need not be read whole)."""
        self.records += 1
        return self._refused(
            number,
            f"the record is {size} bytes, more than the limit of {self.max_record_bytes} for one "
            "record; raise max_record_bytes to read it",
            "json:size",
        )

    def check(self, raw: bytes | str, number: int) -> CheckedLine | None:
        """Check one line (``number`` counts from 1); None for a blank line."""
        data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
        data = data.rstrip(b"\r\n")
        if not data or data.isspace():
            return None
        if len(data) > self.max_record_bytes:
            return self.too_long(number, len(data))
        self.records += 1
        try:
            value, written = parse_json_written(data, source=self.source, line=number)
        except ReadError as error:
            return self._refused(number, error.message, "json:syntax", error.column)
        if not isinstance(value, (dict, list)):
            return self._refused(
                number, f"a JSON Lines record is a JSON object, not {type(value).__name__}", "schema:type"
            )
        warnings = tuple(replace(w, source=self.source, line=number, column=1) for w in iter_warnings(value))
        try:
            record: Any = record_of(value, data, self.source)
        except ReadError as error:
            return self._refused(number, error.message, "json:context")
        if not isinstance(record, dict):  # pragma: no cover - from_jsonld returns a dict
            return self._refused(number, "not a JSON-LD record", "schema:type")
        issues: list[Issue] = []
        text: bytes | None = written if record is value else None
        if text is None:
            try:
                text = orjson.dumps(record)
            except (TypeError, orjson.JSONEncodeError):
                text = None
        if text is not None and b'"_:' in text:
            self._blanks |= _described_blanks(record, text)
        source_map: SourceMap | None = None
        for issue in document_issues(record, text):
            if issue.rule == _UNRESOLVED:
                reference = _reference_at(record, issue.pointer)
                if reference is not None:
                    source_map = source_map or SourceMap(data.decode("utf-8", "replace"))
                    self._pending.append((reference, self._at(issue, number, source_map, record)))
                    continue
            issues.append(issue)
        record_id = record.get("@id")
        if self._ids is not None and isinstance(record_id, str) and len(record) > 1:
            digest = int.from_bytes(
                hashlib.blake2b(record_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
            )
            first = self._ids.first_line(digest, number)
            if first != number:
                issues.append(
                    Issue(
                        record_id,
                        "$.@id",
                        f"{record_id!r} is described on line {first} already; write each record once "
                        "and refer to it by @id",
                        "semantic:duplicate-id",
                        "/@id",
                    )
                )
        if issues:
            source_map = source_map or SourceMap(data.decode("utf-8", "replace"))
            located = [self._at(issue, number, source_map, record) for issue in issues]
            located.sort(key=lambda i: i.column or 0)
            return CheckedLine(number, record, tuple(located), warnings)
        return CheckedLine(number, record, (), warnings)

    def finish(self) -> list[Issue]:
        """Issues only the whole file shows: blank-node references no line describes."""
        unresolved = [issue for reference, issue in self._pending if reference not in self._blanks]
        self._pending.clear()
        return unresolved


def _reference_at(record: Any, pointer: str) -> str | None:
    """The blank-node label at ``pointer`` in ``record``, if that is what is there."""
    node = _resolve(record, parse_pointer(pointer))
    return node if isinstance(node, str) and node.startswith("_:") else None


_CHUNK = 1 << 20


def _lines_of(handle: IO[bytes], limit: int) -> Iterator[bytes | int]:
    """Each line of ``handle`` (only "\\n" ends one), or the size of a line longer than ``limit``,
    which is skipped in chunks: memory holds one line of at most ``limit`` bytes."""
    while True:
        line = handle.readline(limit + 2)
        if not line:
            return
        if len(line) <= limit + 1 or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = handle.readline(_CHUNK)
            if not line:
                break
            size += len(line)
        yield size - (1 if line.endswith(b"\n") else 0)


def iter_checked(
    lines: Iterable[bytes | str],
    *,
    source: str | None = None,
    max_record_bytes: int | None = None,
    unique_ids: bool = True,
) -> Iterator[CheckedLine]:
    """Check lines as they come; the last item holds the file-wide issues (``record`` None, line 0)
    when there are any."""
    checker = LinesChecker(source, max_record_bytes=max_record_bytes, unique_ids=unique_ids)
    for number, raw in enumerate(lines, 1):
        checked = checker.check(raw, number)
        if checked is not None:
            yield checked
    late = checker.finish()
    if late:
        yield CheckedLine(0, None, tuple(late))


def checked_lines(handle: IO[bytes], checker: LinesChecker) -> Iterator[CheckedLine]:
    """Each line of a binary stream checked by ``checker`` as it is read, then (``line`` 0, no
    record) the issues only the whole file shows, if any. An OSError of the stream propagates."""
    for number, raw in enumerate(_lines_of(handle, checker.max_record_bytes), 1):
        checked = checker.too_long(number, raw) if isinstance(raw, int) else checker.check(raw, number)
        if checked is not None:
            yield checked
    late = checker.finish()
    if late:
        yield CheckedLine(0, None, tuple(late))


def record_of(value: Any, data: bytes, source: str | None) -> Any:
    """The record a parsed line holds, as the JSON Lines reader reads it
    (:func:`warphoto.formats.jsonld.from_jsonld`), but without its walk for other contexts
    when the line names exactly our context, once, and holds no ``\\u`` escape (that could
    spell another "@context"): a byte count and one comparison."""
    if (
        isinstance(value, dict)
        and value.get("@context") == _CONTEXT
        and data.count(_CONTEXT_KEY) == 1
        and b"\\u" not in data
    ):
        return value
    from warphoto.formats.jsonld import from_jsonld

    return from_jsonld(value, source=source)


def read_records(
    handle: IO[bytes], *, source: str | None = None, max_record_bytes: int | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, record) for each record of a JSON Lines stream, unchecked (as the JSON Lines reader
    reads them), a line at a time: the first line that cannot be read raises its ReadError."""
    from warphoto.io import MAX_INPUT_BYTES

    limit = MAX_INPUT_BYTES if max_record_bytes is None else max_record_bytes
    for number, raw in enumerate(_lines_of(handle, limit), 1):
        if isinstance(raw, int):
            raise ReadError(
                f"the record is {raw} bytes, more than the limit of {limit} for one record",
                source=source,
                line=number,
            )
        data = raw.rstrip(b"\r\n")
        if not data or data.isspace():
            continue
        value = parse_json(data, source=source, line=number)
        try:
            record = record_of(value, data, source)
        except ReadError as error:
            raise ReadError(error.message, source=source, line=number) from None
        yield number, record


def check_lines(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    max_record_bytes: int | None = None,
    unique_ids: bool = True,
    name: str | None = None,
) -> LinesReport:
    """Check a JSON Lines file (a path or a binary stream) record by record; never reads it whole.

    ``name`` is the file's name in issues (by default the path, or the stream's ``name``).
    Raises :class:`~warphoto.errors.ReadError` only when the file cannot be opened or read.
    """
    report = LinesReport()
    if name is None:
        given = os.fspath(source) if isinstance(source, (str, os.PathLike)) else getattr(source, "name", None)
        name = str(given) if given is not None else None
    checker = LinesChecker(name, max_record_bytes=max_record_bytes, unique_ids=unique_ids)
    try:
        handle = open(source, "rb") if isinstance(source, (str, os.PathLike)) else source  # noqa: SIM115
    except OSError as error:
        raise ReadError(f"cannot read file: {error.strerror or error}", source=checker.source) from error
    try:
        for checked in checked_lines(handle, checker):
            report.issues.extend(checked.issues)
            report.warnings.extend(checked.warnings)
    except OSError as error:
        raise ReadError(f"cannot read file: {error.strerror or error}", source=checker.source) from error
    finally:
        if handle is not source:
            handle.close()
    report.records = checker.records
    report.issues.sort(key=lambda i: (i.line or 0, i.column or 0))
    return report
