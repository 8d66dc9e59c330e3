"""`warphoto query`: a SPARQL query against the embedded store or an endpoint, results printed.

SELECT results as an aligned table (default), or SPARQL 1.1 CSV or JSON results; ASK as
``true``/``false`` (JSON: the results document); CONSTRUCT and DESCRIBE as N-Triples.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from typing import Any

from warphoto.cli._common import EXIT_OK, STDIO, UsageError
from warphoto.cli.inputs import read_stdin
from warphoto.cli.load import open_target
from warphoto.store import Answer


def query_text(argument: str) -> str:
    """The query: the argument itself, ``-`` (standard input) or ``@FILE``."""
    if argument == STDIO:
        return read_stdin().decode("utf-8")
    if argument.startswith("@"):
        with open(argument[1:], encoding="utf-8") as handle:
            return handle.read()
    return argument


def term_text(term: dict[str, Any] | None) -> str:
    """A term of the JSON results as SPARQL 1.1 CSV writes it: IRI, lexical form, ``_:label``, or empty."""
    if term is None:
        return ""
    if term.get("type") == "bnode":
        return f"_:{term['value']}"
    return str(term.get("value", ""))


def rows_of(results: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """The variables and the rows (as text) of SPARQL JSON results."""
    names: list[str] = list(results.get("head", {}).get("vars", []))
    bindings = results.get("results", {}).get("bindings", [])
    return names, [[term_text(row.get(name)) for name in names] for row in bindings]


def to_csv(results: dict[str, Any]) -> str:
    """SPARQL 1.1 Query Results CSV: a header of variable names, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names, rows = rows_of(results)
    writer.writerow(names)
    writer.writerows(rows)
    return out.getvalue()


def to_table(results: dict[str, Any]) -> str:
    """An aligned text table: a header, a rule, one line per solution, and the row count."""
    names, rows = rows_of(results)
    widths = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    lines = [line(names), line(["-" * width for width in widths])] if names else []
    lines.extend(line(row) for row in rows)
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def render(answer: Answer, form: str) -> str:
    """The answer as the command prints it in ``form`` (table, csv, json)."""
    if answer.kind == "triples":
        return answer.data.decode("utf-8")
    if form == "json":
        return answer.data.decode("utf-8").rstrip("\n") + "\n"
    results = answer.results()
    if answer.kind == "boolean":
        return "true\n" if results.get("boolean") else "false\n"
    return to_csv(results) if form == "csv" else to_table(results)


def run(args: argparse.Namespace) -> int:
    """Run the query and print its results."""
    try:
        sparql = query_text(args.query)
    except OSError as error:
        raise UsageError(f"{args.query[1:]}: cannot read the query: {error.strerror or error}") from None
    answer = open_target(args, read_only=True).query(sparql)
    sys.stdout.write(render(answer, args.format))
    return EXIT_OK
