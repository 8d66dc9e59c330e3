"""`warphoto query`: SELECT as a table, SPARQL CSV and JSON; ASK; CONSTRUCT as N-Triples."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_GALLERY, need_module
from tests.test_cli import photo, run, write_json
from warphoto.cli.query import to_csv

PEOPLE = (
    "SELECT ?person ?name WHERE { ?person a <https://schema.org/Person>; "
    '<https://schema.org/name> ?name FILTER(lang(?name) = "en") } ORDER BY ?name'
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_module("pyoxigraph")
    folder = tmp_path_factory.mktemp("query")
    write_json(
        folder / "two.jsonld",
        {
            "@context": "https://w3id.org/warphoto/context.jsonld",
            "@graph": [
                photo("https://example.org/p/1", caption={"en": 'A "quoted", comma'}),
                photo("https://example.org/p/2", caption={"en": "line\nbreak"}),
            ],
        },
    )
    location = folder / "store"
    done = run("load", EXAMPLE_GALLERY, folder / "two.jsonld", "--store", location)
    assert done.returncode == 0, done.stderr
    return location


def test_select_as_csv_is_sparql_csv(store: Path) -> None:
    done = run("query", "--store", store, "--format", "csv", PEOPLE)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout, newline="")))
    assert rows[0] == ["person", "name"]
    names = [row[1] for row in rows[1:]]
    gallery = json.loads(EXAMPLE_GALLERY.read_text(encoding="utf-8"))["@graph"]
    english = [n["name"]["en"] for n in gallery if n.get("@type") == "Person" and "en" in n.get("name", {})]
    assert names == sorted(english) and "Valeriy Balandiuk" in names
    assert all(row[0].startswith("_:") or row[0].startswith("http") for row in rows[1:])


def test_csv_quotes_what_needs_quoting(store: Path) -> None:
    query = (
        "SELECT ?c WHERE { ?p <https://schema.org/caption> ?c "
        "FILTER(STRSTARTS(STR(?p), 'https://example.org/p/')) } ORDER BY ?c"
    )
    done = run("query", "--store", store, "--format", "csv", query)
    assert list(csv.reader(io.StringIO(done.stdout, newline=""))) == [
        ["c"],
        ['A "quoted", comma'],
        ["line\nbreak"],
    ]


def test_csv_lines_end_in_crlf_and_unbound_is_empty() -> None:
    results = {
        "head": {"vars": ["a", "b"]},
        "results": {
            "bindings": [{"a": {"type": "bnode", "value": "x"}}, {"b": {"type": "uri", "value": "u:1"}}]
        },
    }
    assert to_csv(results) == "a,b\r\n_:x,\r\n,u:1\r\n"


def test_select_as_json_and_as_a_table_agree(store: Path) -> None:
    as_json = json.loads(run("query", "--store", store, "--format", "json", PEOPLE).stdout)
    assert as_json["head"]["vars"] == ["person", "name"]
    names = [row["name"]["value"] for row in as_json["results"]["bindings"]]
    table = run("query", "--store", store, PEOPLE).stdout.splitlines()
    assert table[0].split() == ["person", "name"] and set(table[1]) == {"-", " "}
    assert table[-1] == f"({len(names)} rows)"
    width = table[1].index(" -")  # the first column is as wide as its widest value
    assert [line[width:].strip() for line in table[2:-1]] == names


def test_ask_prints_true_or_false(store: Path) -> None:
    assert run("query", "--store", store, "ASK { ?s a <https://schema.org/ImageGallery> }").stdout == "true\n"
    assert run("query", "--store", store, "ASK { ?s a <https://schema.org/Nothing> }").stdout == "false\n"
    assert json.loads(run("query", "--store", store, "ASK {}", "--format", "json").stdout)["boolean"] is True


def test_construct_prints_ntriples(store: Path, tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("CONSTRUCT WHERE { <https://example.org/p/1> ?p ?o }", encoding="utf-8")
    done = run("query", "--store", store, f"@{query}")
    assert done.returncode == 0, done.stderr
    lines = sorted(done.stdout.splitlines())
    assert len(lines) == 3 and all(line.startswith("<https://example.org/p/1> ") for line in lines)


def test_errors_exit_2_in_one_line(store: Path, tmp_path: Path) -> None:
    malformed = run("query", "--store", store, "SELEC ?s")
    assert malformed.returncode == 2 and malformed.stderr.startswith(
        "warphoto: error: malformed SPARQL query"
    )
    missing = run("query", "--store", tmp_path / "none", "ASK {}")
    assert missing.returncode == 2 and "no store here" in missing.stderr
    no_file = run("query", "--store", store, f"@{tmp_path / 'none.rq'}")
    assert no_file.returncode == 2 and "cannot read the query" in no_file.stderr
