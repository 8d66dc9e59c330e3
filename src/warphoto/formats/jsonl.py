"""JSON Lines: one compact JSON-LD record a line (each line names our context).

Writing a collection writes each node of its ``@graph`` on its own line; reading gives one
record for a one-line file and a collection otherwise. :mod:`warphoto.streaming` writes and
reads this format lazily.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from warphoto import _resources
from warphoto._json import parse_json
from warphoto.errors import ReadError, WriteError
from warphoto.formats import Format, register
from warphoto.formats._triples import nodes_of
from warphoto.formats.jsonld import from_jsonld

__all__ = ["iter_lines", "parse_lines", "record_line"]

Document = dict[str, Any]

_CONTEXT = _resources.CONTEXT_IRI
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def record_line(record: Mapping[str, Any]) -> str:
    """One record as one line of JSON (with our context IRI first), newline included."""
    if record.get("@context") != _CONTEXT:
        record = {"@context": _CONTEXT, **{k: v for k, v in record.items() if k != "@context"}}
    try:
        return _dumps(record) + "\n"
    except (TypeError, ValueError) as error:
        raise WriteError(f"cannot write as JSON: {error}") from None


def iter_lines(records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """JSON Lines for records (a collection's @graph is split into one node a line)."""
    for record in records:
        if "@graph" in record:
            for node in nodes_of(record):
                yield record_line(node)
        else:
            yield record_line(record)


def to_jsonl(document: Mapping[str, Any], **_options: Any) -> str:
    return "".join(iter_lines((document,)))


def parse_lines(lines: Iterable[str | bytes], *, source: str | None = None) -> Iterator[Document]:
    """Records from JSON Lines, one at a time; blank lines are skipped."""
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        value = parse_json(raw, source=source, line=number)
        try:
            yield from_jsonld(value, source=source)
        except ReadError as error:
            raise type(error)(error.message, source=source, line=number) from None


def loads_jsonl(data: str | bytes, *, source: str | None = None, **_options: Any) -> Document:
    # only "\n" ends a line: str.splitlines() would also split inside text holding U+2028;
    # bytes are split before decoding, so a line that is not UTF-8 is named by its number
    lines: list[str] | list[bytes]
    if isinstance(data, bytes):
        lines = [line.removesuffix(b"\r") for line in data.split(b"\n")]
    else:
        lines = [line.removesuffix("\r") for line in data.split("\n")]
    records = list(parse_lines(lines, source=source))
    if len(records) == 1:
        return records[0]
    graph = [{k: v for k, v in r.items() if k != "@context"} for r in records]
    return {"@context": _CONTEXT, "@graph": graph}


register(
    Format(
        name="jsonl",
        title="JSON Lines (one compact JSON-LD record a line)",
        extensions=(".jsonl", ".ndjson"),
        media_type="application/jsonl",
        dumps=to_jsonl,
        loads=loads_jsonl,
        aliases=("ndjson", "jsonlines"),
        notes="streams both ways in constant memory (warphoto.streaming)",
    )
)
