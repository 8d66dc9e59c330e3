"""Streaming: write N-Triples, RDF/XML or JSON Lines from an iterator of records in constant
memory, and read JSON Lines lazily.

``write_stream(records, target, format)`` takes any iterable of records (dicts or model
objects) and a path or a binary/text file object. A path is written atomically: the data
goes to a temporary file beside it, renamed over the target at the end.
``iter_read(source, format)`` yields records one at a time.
``check_lines(path)`` validates a JSON Lines file record by record in constant memory, and
``iter_checked(lines)`` yields each line's record with its issues (line and column set), for
a command that validates and converts in one pass (:mod:`warphoto._lines`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from warphoto import formats
from warphoto._atomic import mode_for
from warphoto._lines import CheckedLine, LinesChecker, LinesReport, check_lines, iter_checked
from warphoto.errors import FormatError, ReadError, WriteError
from warphoto.formats._triples import nodes_of

__all__ = [
    "STREAMING_FORMATS",
    "CheckedLine",
    "LinesChecker",
    "LinesReport",
    "check_lines",
    "iter_checked",
    "iter_read",
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


def _format_chunks(dicts: Iterator[dict[str, Any]], name: str) -> Iterator[str]:
    if name == "jsonl":
        from warphoto.formats.jsonl import iter_lines

        return iter_lines(dicts)
    if name == "ntriples":
        from warphoto.formats.rdf import iter_ntriples

        return iter_ntriples(dicts)
    if name == "rdfxml":
        from warphoto.formats.rdf import iter_rdfxml

        return iter_rdfxml(dicts)
    raise FormatError(f"{name} cannot be streamed; streaming formats: {', '.join(STREAMING_FORMATS)}")


def _write_chunks(chunks: Iterator[str], handle: IO[Any], binary: bool) -> int:
    count = 0
    batch: list[str] = []
    for chunk in chunks:
        batch.append(chunk)
        count += 1
        if len(batch) >= _BATCH:
            text = "".join(batch)
            handle.write(text.encode("utf-8") if binary else text)
            batch.clear()
    if batch:
        text = "".join(batch)
        handle.write(text.encode("utf-8") if binary else text)
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
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
        try:
            os.fchmod(fd, mode_for(path))
            with os.fdopen(fd, "wb") as handle:
                count = _write_chunks(_chunks(records, fmt.name), handle, binary=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return count
    if format is None:
        raise WriteError("pass format=... when writing to a file object")
    fmt = formats.get(format)
    binary = "b" in getattr(target, "mode", "") or not hasattr(target, "encoding")
    return _write_chunks(_chunks(records, fmt.name), target, binary=binary)


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
    from warphoto.formats.jsonl import parse_lines

    try:
        yield from parse_lines(handle, source=str(name) if name else None)
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
