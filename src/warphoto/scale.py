"""Partition functions: what one partition of a Dask or Spark job computes from its records.

Each function takes an iterable of records (dicts or model objects; a collection is split
into its nodes) and yields the output of that partition, one line at a time, without the
line end (Spark's ``saveAsTextFile`` and Dask's ``to_textfiles`` add it). They use the same
writers as ``warphoto convert`` and the same checks as ``warphoto validate``:

* :func:`ntriples_lines`, :func:`nquads_lines`: N-Triples and N-Quads;
* :func:`jsonl_lines`: JSON Lines;
* :func:`issue_dicts`: every issue of every record, as ``validate --format json`` lists them;
* :func:`records_from`: the records of input files (JSON Lines lazily), for a partition of paths;
* :func:`file_reports`: the per-file entries of ``validate --format json`` for a partition of paths;
* :func:`ingested_records`: the Photograph record of each image, as ``warphoto ingest`` reads it.

Blank nodes without an ``@id`` are numbered by the writer (``_:wpb1``, ...) from 1 in every
partition; pass ``partition=`` (the partition's index) to keep them apart when partitions'
outputs are concatenated (``_:wpb<partition>p<n>``). Labelled blank nodes (``_:izium``) keep
their label: as in one document, the same label is the same node. See docs/scale.md.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

from warphoto import streaming
from warphoto._iri import is_iri
from warphoto.errors import WriteError
from warphoto.formats._rdf_text import nt_iri
from warphoto.formats.jsonl import iter_lines
from warphoto.formats.rdf import iter_ntriples
from warphoto.streaming import _as_record, _split  # what write_stream and iter_read do
from warphoto.validation import iter_issues

__all__ = [
    "file_reports",
    "ingested_records",
    "issue_dicts",
    "jsonl_lines",
    "nquads_lines",
    "ntriples_lines",
    "records_from",
]

_ANON_SUBJECT = re.compile(r"^_:wpb(\d+) ", re.M)
_ANON_OBJECT = re.compile(r" _:wpb(\d+) \.$", re.M)
_TAG = re.compile(r"[A-Za-z0-9]+")


def _records(items: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Record dicts: model objects turned into dicts, a collection split into its nodes."""
    for item in items:
        yield from _split(_as_record(item))


def _tag(partition: int | str | None) -> str | None:
    if partition is None:
        return None
    tag = str(partition)
    if not _TAG.fullmatch(tag):
        raise WriteError(f"partition must be a whole number or letters and digits, not {partition!r}")
    return tag


def _relabel(chunk: str, tag: str | None) -> str:
    """The writer's anonymous blank nodes (``_:wpbN``) as ``_:wpb<tag>pN``: apart from other partitions'."""
    if tag is None or "_:wpb" not in chunk:
        return chunk
    chunk = _ANON_SUBJECT.sub(lambda m: f"_:wpb{tag}p{m.group(1)} ", chunk)
    return _ANON_OBJECT.sub(lambda m: f" _:wpb{tag}p{m.group(1)} .", chunk)


def _ntriples_chunks(records: Iterable[Any], tag: str | None) -> Iterator[str]:
    for chunk in iter_ntriples(_records(records)):
        yield _relabel(chunk, tag)


def ntriples_lines(records: Iterable[Any], *, partition: int | str | None = None) -> Iterator[str]:
    """N-Triples of the records, one triple a line (``convert --to ntriples`` writes the same)."""
    for chunk in _ntriples_chunks(records, _tag(partition)):
        yield from chunk.split("\n")[:-1]  # not splitlines(): a literal may hold U+2028 as it is


def nquads_lines(
    records: Iterable[Any], *, graph: str | None = None, partition: int | str | None = None
) -> Iterator[str]:
    """N-Quads: each record's triples in the graph named by its ``@id`` (all in ``graph`` when given).

    A record's graph label is its subject: its IRI, or its blank node when it has no IRI.
    """
    if graph is not None and not is_iri(graph):
        raise WriteError(f"graph must be an absolute IRI, not {graph!r}")
    fixed = f" {nt_iri(graph)} ." if graph is not None else None
    for chunk in _ntriples_chunks(records, _tag(partition)):
        if not chunk:
            continue
        label = fixed or f" {chunk[: chunk.index(' ')]} ."
        for line in chunk.split("\n")[:-1]:
            yield line[:-2] + label  # "S P O ." -> "S P O G ."


def jsonl_lines(records: Iterable[Any]) -> Iterator[str]:
    """JSON Lines: one record a line, as ``convert --to jsonl`` writes it."""
    for line in iter_lines(_records(records)):
        yield line[:-1]


def issue_dicts(records: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Every issue of every record (``Issue.to_dict()``: record_id, path, pointer, message, rule, ...)."""
    for record in _records(records):
        for issue in iter_issues(record):
            yield issue.to_dict()


def records_from(
    paths: Iterable[str | os.PathLike[str]], format: str | None = None
) -> Iterator[dict[str, Any]]:
    """The records of each file in turn (JSON Lines read lazily; other formats whole, then split)."""
    for path in paths:
        yield from streaming.iter_read(path, format)


def file_reports(paths: Iterable[str], format: str | None = None) -> Iterator[dict[str, Any]]:
    """For each file, its entry in ``warphoto validate --format json`` (path, status, issues with lines)."""
    from warphoto.cli.reports import render_json
    from warphoto.cli.validate import validate_file

    for path in paths:
        out = io.StringIO()
        render_json([validate_file(path, format)], out)
        entry: dict[str, Any] = json.loads(out.getvalue())["files"][0]
        yield entry


def ingested_records(paths: Iterable[str | os.PathLike[str]]) -> Iterator[dict[str, Any]]:
    """The Photograph record of each image in turn, as ``warphoto ingest`` makes it.

    An image that cannot be read raises its error (a :class:`~warphoto.errors.WarphotoError`
    or ``OSError``). ``warphoto ingest`` gives an image whose record has the ``@id`` of an
    earlier one an id of its own; a partition sees only its own images, so that is left to the caller.
    """
    from warphoto.imagefile.record import ingest

    for path in paths:
        yield ingest(os.fspath(path))
