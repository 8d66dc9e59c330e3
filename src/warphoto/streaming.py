"""Streaming: write N-Triples, RDF/XML or JSON Lines from an iterator of records in constant
memory, and read JSON Lines lazily.

``write_stream(records, target, format)`` takes any iterable of records (dicts or model
objects) and a path or a binary/text file object. A path is written atomically: the data
goes to a temporary file beside it, renamed over the target at the end.
``iter_read(source, format)`` yields records one at a time.
``check_lines(path)`` validates a JSON Lines file record by record in constant memory, and
``iter_checked(lines)`` (or ``checked_lines(stream, checker)``) yields each line's record with
its issues (line and column set), for a command that validates and converts in one pass, and
``read_records(stream)`` each line's record unchecked (:mod:`warphoto._lines`).
``record_writer(format)`` writes one streamed document a record at a time (what the
``convert`` command streams into its outputs).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warphoto import _resources, formats
from warphoto._atomic import AtomicStream
from warphoto._lines import (
    CheckedLine,
    LinesChecker,
    LinesReport,
    check_lines,
    checked_lines,
    iter_checked,
    read_records,
)
from warphoto.errors import FormatError, ReadError, WriteError
from warphoto.formats._triples import nodes_of

__all__ = [
    "RECORD_FORMATS",
    "STREAMING_FORMATS",
    "CheckedLine",
    "LinesChecker",
    "LinesReport",
    "RecordWriter",
    "check_lines",
    "checked_lines",
    "iter_checked",
    "iter_read",
    "read_records",
    "record_writer",
    "write_stream",
]

#: formats written record by record, in constant memory
STREAMING_FORMATS = ("ntriples", "rdfxml", "jsonl")

_BATCH = 256


def _as_record(obj: Any) -> dict[str, Any]:
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        obj = to_dict()
    if not isinstance(obj, dict):
        raise WriteError(f"cannot write a {type(obj).__name__}: pass record dicts or model objects")
    return obj


class _Latest:
    """The record a streaming writer took last (to name it when the writer trips on it)."""

    record: Any = None


def _tracked(records: Iterable[Any], latest: _Latest) -> Iterator[dict[str, Any]]:
    for item in records:  # an error from ``records`` itself comes with no record taken
        latest.record = record = _as_record(item)
        yield record
        latest.record = None


def _chunks(records: Iterable[Any], name: str) -> Iterator[str]:
    latest = _Latest()
    try:
        yield from _format_chunks(_tracked(records, latest), name)
    except Exception as error:
        if latest.record is None:  # the records' source failed, not a writer
            raise
        from warphoto.io import refuse_malformed

        refuse_malformed(name, latest.record, error)


@dataclass(frozen=True)
class RecordWriter:
    """One streamed document: ``header``, then ``write(record)`` for each record, then ``end()``.

    One writer per document: blank node labels are shared across its records.
    """

    header: str
    write: Callable[[Mapping[str, Any]], str]
    end: Callable[[], str] = str


#: formats :func:`record_writer` writes a record at a time (JSON-LD: as ``dumps`` writes the
#: collection, with its default options)
RECORD_FORMATS = (*STREAMING_FORMATS, "jsonld")


def record_writer(name: str) -> RecordWriter:
    """A fresh writer of ``name`` (one of :data:`RECORD_FORMATS`) a record at a time."""
    if name == "jsonl":
        from warphoto.formats.jsonl import iter_lines

        return RecordWriter("", lambda record: "".join(iter_lines((record,))))
    if name == "ntriples":
        from warphoto.formats._rdf_text import NTriplesWriter

        return RecordWriter("", NTriplesWriter().write)
    if name == "rdfxml":
        from warphoto.formats._rdf_blocks import RdfXmlWriter

        footer = RdfXmlWriter.FOOTER
        return RecordWriter(RdfXmlWriter.header(), RdfXmlWriter().write, lambda: footer)
    if name == "jsonld":
        document = _JsonLdDocument()
        return RecordWriter("", document.write, document.end)
    raise FormatError(f"{name} cannot be streamed; streaming formats: {', '.join(RECORD_FORMATS)}")


class _JsonLdDocument:
    """Compact JSON-LD a record at a time, the text ``dumps`` writes: a lone record as itself,
    more as one collection (``{"@context": ..., "@graph": [...]}``, indented by two)."""

    def __init__(self) -> None:
        self.count = 0
        self.first: Mapping[str, Any] | None = None

    @staticmethod
    def _node(record: Mapping[str, Any]) -> str:
        from warphoto.formats.jsonld import json_text

        text = json_text({k: v for k, v in record.items() if k != "@context"}, 2)
        return "    " + text.replace("\n", "\n    ")  # newlines in JSON text are only between tokens

    def write(self, record: Mapping[str, Any]) -> str:
        self.count += 1
        if self.count == 1:
            self.first = record  # a lone record is written as itself: wait for a second one
            return ""
        head = ""
        if self.first is not None:
            head = f'{{\n  "@context": "{_resources.CONTEXT_IRI}",\n  "@graph": [\n' + self._node(self.first)
            self.first = None
        return head + ",\n" + self._node(record)

    def end(self) -> str:
        if self.count > 1:
            return "\n  ]\n}"
        from warphoto.formats.jsonld import to_jsonld

        return to_jsonld(
            self.first if self.first is not None else {"@context": _resources.CONTEXT_IRI, "@graph": []}
        )


def _format_chunks(dicts: Iterator[dict[str, Any]], name: str) -> Iterator[str]:
    if name == "jsonl":  # a collection's @graph: one chunk (line) per node
        from warphoto.formats.jsonl import iter_lines

        return iter_lines(dicts)
    return _written(dicts, record_writer(name))


def _written(dicts: Iterator[dict[str, Any]], writer: RecordWriter) -> Iterator[str]:
    if writer.header:
        yield writer.header
    for record in dicts:
        yield writer.write(record)
    footer = writer.end()
    if footer:
        yield footer


def _write_chunks(chunks: Iterator[str], write: Callable[[Any], object], binary: bool) -> int:
    count = 0
    batch: list[str] = []
    for chunk in chunks:
        batch.append(chunk)
        count += 1
        if len(batch) >= _BATCH:
            text = "".join(batch)
            write(text.encode("utf-8") if binary else text)
            batch.clear()
    if batch:
        text = "".join(batch)
        write(text.encode("utf-8") if binary else text)
    return count


def write_stream(
    records: Iterable[Any], target: str | os.PathLike[str] | IO[Any], format: str | None = None
) -> int:
    """Write records to ``target`` as they come; returns the number of lines written.

    ``format`` is "ntriples", "rdfxml" or "jsonl" (from the file name when not given); for RDF/XML
    the count includes the header and footer blocks. Any other format
    is written whole (it needs the complete collection), through :func:`warphoto.write`.
    """
    if isinstance(target, (str, os.PathLike)):
        path = Path(target)
        fmt = formats.get(format) if format else formats.for_path(path)
        if fmt.name not in STREAMING_FORMATS:
            from warphoto.io import write

            write(list(records), path, fmt.name)
            return 0
        with AtomicStream(path) as stream:
            count = _write_chunks(_chunks(records, fmt.name), stream.write, binary=True)
            stream.commit()
        return count
    if format is None:
        raise WriteError("pass format=... when writing to a file object")
    fmt = formats.get(format)
    binary = "b" in getattr(target, "mode", "") or not hasattr(target, "encoding")
    return _write_chunks(_chunks(records, fmt.name), target.write, binary=binary)


def iter_read(
    source: str | os.PathLike[str] | IO[Any], format: str | None = None
) -> Iterator[dict[str, Any]]:
    """Records from ``source`` one at a time: lazily for JSON Lines, otherwise after reading whole.

    Records are not validated here; call :func:`warphoto.validate` on each as needed.
    """
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        fmt = formats.get(format) if format else formats.for_path(name)
        if fmt.name == "jsonl":
            try:
                handle = open(name, "rb")  # noqa: SIM115 - closed by the generator
            except OSError as error:
                raise ReadError(f"cannot read file: {error.strerror or error}", source=name) from error
            return _jsonl_from(handle, name, close=True)
        from warphoto.io import read

        return _split(read(name, fmt.name, validate=False))
    if format is None:
        raise ReadError("pass format=... when reading from a file object")
    fmt = formats.get(format)
    if fmt.name == "jsonl":
        return _jsonl_from(source, getattr(source, "name", None), close=False)
    from warphoto.io import loads

    return _split(loads(source.read(), fmt.name, validate=False))


def _jsonl_from(handle: IO[Any], name: str | None, *, close: bool) -> Iterator[dict[str, Any]]:
    source = str(name) if name else None
    try:
        if close or "b" in getattr(handle, "mode", ""):  # bytes: a line at a time, bounded per line
            for _line, record in read_records(handle, source=source):
                yield record
            return
        from warphoto.formats.jsonl import parse_lines

        yield from parse_lines(handle, source=source)
    finally:
        if close:
            handle.close()


def _split(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if "@graph" not in document:
        yield document
        return
    context = document.get("@context")
    for node in nodes_of(document):
        yield {"@context": context, **node} if context is not None else dict(node)
