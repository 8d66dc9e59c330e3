"""`load --endpoint` and `query --endpoint` against a real Oxigraph server, beside the embedded store."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_GALLERY, need, need_module
from tests.oxigraph_server import OxigraphServer, oxigraph_program
from tests.test_cli import photo, run, write_json

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
IZIUM = (
    "SELECT ?photo WHERE { ?photo a <https://schema.org/Photograph>; <https://schema.org/contentLocation> "
    '?place . ?place <https://schema.org/name> "Izium"@en } ORDER BY ?photo'
)

pytestmark = pytest.mark.enable_socket


@pytest.fixture
def server(tmp_path: Path) -> Iterator[OxigraphServer]:
    program = oxigraph_program()
    need(program is not None, "the program 'oxigraph' (pip install oxigraph)")
    assert program is not None
    running = OxigraphServer(program, tmp_path / "server")
    try:
        yield running
    finally:
        running.close()


def number(done: subprocess.CompletedProcess[str]) -> int:
    return int(json.loads(done.stdout)["results"]["bindings"][0]["n"]["value"])


def test_the_gallery_in_the_server_and_in_the_embedded_store_agree(
    server: OxigraphServer, tmp_path: Path
) -> None:
    need_module("pyoxigraph")
    loaded = run("load", EXAMPLE_GALLERY, "--endpoint", server.store_url)
    assert loaded.returncode == 0, loaded.stderr
    again = run("load", EXAMPLE_GALLERY, "--endpoint", server.store_url)
    assert again.returncode == 0 and again.stdout == loaded.stdout
    embedded = tmp_path / "embedded"
    assert run("load", EXAMPLE_GALLERY, "--store", embedded).returncode == 0

    converted = run("convert", EXAMPLE_GALLERY, "--to", "ntriples", "-o", "-")
    expected = len(set(converted.stdout.splitlines()) - {""})
    remote = run("query", "--endpoint", server.query_url, COUNT, "--format", "json")
    assert remote.returncode == 0, remote.stderr
    assert number(remote) == expected == number(run("query", "--store", embedded, COUNT, "--format", "json"))
    assert loaded.stdout == f"loaded 1 file ({expected} triples) into {server.store_url}\n"

    graphs = run(
        "query", "--endpoint", server.query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    assert graphs.stdout.splitlines()[2:] == [EXAMPLE_GALLERY.resolve().as_uri(), "(1 row)"]

    remote_csv = run("query", "--endpoint", server.query_url, IZIUM, "--format", "csv")
    local_csv = run("query", "--store", embedded, IZIUM, "--format", "csv")
    assert remote_csv.stdout == local_csv.stdout
    photos = [row[0] for row in csv.reader(io.StringIO(remote_csv.stdout))][1:]
    assert len(photos) >= 3 and all(
        p.startswith("https://example.org/warphoto/kharkiv-2022/photo-") for p in photos
    )


def test_ask_and_construct_through_the_endpoint(server: OxigraphServer, tmp_path: Path) -> None:
    record = write_json(tmp_path / "one.jsonld", photo("https://example.org/p/1", caption={"en": "A"}))
    assert run("load", record, "--endpoint", server.store_url).returncode == 0
    asked = run("query", "--endpoint", server.query_url, "ASK { ?s <https://schema.org/caption> ?c }")
    assert asked.returncode == 0 and asked.stdout == "true\n"
    built = run(
        "query", "--endpoint", server.query_url, "CONSTRUCT WHERE { <https://example.org/p/1> ?p ?o }"
    )
    converted = run("convert", record, "--to", "ntriples", "-o", "-")
    assert sorted(built.stdout.splitlines()) == sorted(converted.stdout.splitlines())


def test_endpoint_errors_name_the_url_and_the_status(server: OxigraphServer) -> None:
    bad = run("query", "--endpoint", server.query_url, "SELEC ?s")
    assert bad.returncode == 2
    assert bad.stderr.startswith(f"warphoto: error: {server.query_url}: HTTP 400: ")
    wrong = run("load", EXAMPLE_GALLERY, "--endpoint", f"{server.base}/nothing-here")
    assert wrong.returncode == 2 and f"{server.base}/nothing-here: HTTP 404" in wrong.stderr
    assert "0 files of 1 loaded into" in wrong.stderr
