"""`warphoto load`: records into the embedded store, one graph per file, replaced on reload."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_GALLERY, need_module
from tests.test_cli import COMMAND, photo, run, write_json

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def ntriples_of(path: Path) -> set[str]:
    """The distinct lines `warphoto convert --to ntriples` writes for the file."""
    done = run("convert", path, "--to", "ntriples", "-o", "-")
    assert done.returncode == 0, done.stderr
    return set(done.stdout.splitlines()) - {""}


def count(store: Path, query: str = COUNT) -> int:
    done = run("query", "--store", store, query, "--format", "json")
    assert done.returncode == 0, done.stderr
    return int(json.loads(done.stdout)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(autouse=True)
def _pyoxigraph() -> None:
    need_module("pyoxigraph")


def test_the_gallery_loads_as_its_ntriples_and_reloading_replaces_it(tmp_path: Path) -> None:
    store = tmp_path / "photos.db"
    expected = len(ntriples_of(EXAMPLE_GALLERY))
    done = run("load", EXAMPLE_GALLERY, "--store", store)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"loaded 1 file ({expected} triples) into {store}\n"
    assert count(store) == expected
    assert run("load", EXAMPLE_GALLERY, "--store", store).returncode == 0
    assert count(store) == expected


def test_each_file_is_the_graph_of_its_file_uri(tmp_path: Path) -> None:
    one = write_json(tmp_path / "in" / "one.jsonld", photo("https://example.org/p/1", caption={"en": "A"}))
    two = write_json(tmp_path / "in" / "two.jsonld", photo("https://example.org/p/2", caption={"en": "B"}))
    store = tmp_path / "s"
    done = run("load", tmp_path / "in", "--store", store, "-v")
    assert done.returncode == 0, done.stderr
    assert f"into graph <{one.resolve().as_uri()}>" in done.stdout
    listed = run("query", "--store", store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    assert listed.stdout.splitlines()[2:] == [one.resolve().as_uri(), two.resolve().as_uri(), "(2 rows)"]
    # a changed file replaces its graph: the old caption is gone
    write_json(two, photo("https://example.org/p/2", caption={"en": "C"}))
    assert run("load", two, "--store", store).returncode == 0
    captions = run(
        "query", "--store", store, "SELECT ?c WHERE { ?p <https://schema.org/caption> ?c } ORDER BY ?c"
    )
    assert captions.stdout.splitlines()[2:] == ["A", "C", "(2 rows)"]


def test_a_turtle_file_loads_the_same_triples(tmp_path: Path) -> None:
    turtle = tmp_path / "gallery.ttl"
    assert run("convert", EXAMPLE_GALLERY, "--to", "turtle", "-o", turtle).returncode == 0
    store = tmp_path / "s"
    assert run("load", turtle, "--store", store).returncode == 0
    assert count(store) == len(ntriples_of(turtle))


def test_an_invalid_input_loads_nothing(tmp_path: Path) -> None:
    good = write_json(tmp_path / "good.jsonld", photo("https://example.org/p/1"))
    bad = write_json(tmp_path / "bad.jsonld", photo("https://example.org/p/2", position="three"))
    store = tmp_path / "s"
    done = run("load", good, bad, "--store", store)
    assert done.returncode == 1
    assert f"{bad}:" in done.stderr and "$.position" in done.stderr
    assert "nothing loaded: 1 input of 2 failed" in done.stderr
    assert not store.exists()


def test_an_unreadable_input_exits_2_and_loads_nothing(tmp_path: Path) -> None:
    good = write_json(tmp_path / "good.jsonld", photo("https://example.org/p/1"))
    broken = tmp_path / "broken.jsonld"
    broken.write_text('{"@id": ', encoding="utf-8")
    store = tmp_path / "s"
    done = run("load", good, broken, tmp_path / "missing.jsonld", "--store", store)
    assert done.returncode == 2
    assert "missing.jsonld: error: no such file or folder" in done.stderr
    assert f"{broken}:1:" in done.stderr
    assert not store.exists()


def test_usage_errors(tmp_path: Path) -> None:
    assert run("load", EXAMPLE_GALLERY).returncode == 2  # neither --store nor --endpoint
    both = run("load", EXAMPLE_GALLERY, "--store", tmp_path / "s", "--endpoint", "http://127.0.0.1:1/store")
    assert both.returncode == 2 and "not allowed with" in both.stderr
    stdin = run("load", "-", "--store", tmp_path / "s")
    assert stdin.returncode == 2 and "not standard input" in stdin.stderr
    scheme = run("load", EXAMPLE_GALLERY, "--endpoint", "ftp://example.org/store")
    assert scheme.returncode == 2 and "http:// or https://" in scheme.stderr


def test_bulk_loads_the_same_triples_into_the_store_only(tmp_path: Path) -> None:
    store = tmp_path / "s"
    done = run("load", EXAMPLE_GALLERY, "--store", store, "--bulk")
    assert done.returncode == 0, done.stderr
    assert count(store) == len(ntriples_of(EXAMPLE_GALLERY))
    endpoint = run("load", EXAMPLE_GALLERY, "--endpoint", "http://127.0.0.1:1/store", "--bulk")
    assert endpoint.returncode == 2 and "--bulk is for the embedded store" in endpoint.stderr


@pytest.mark.enable_socket
def test_an_interrupted_load_says_how_far_it_got(tmp_path: Path) -> None:
    """SIGTERM while an endpoint keeps the request waiting: exit 143, and what was loaded."""
    accepted = threading.Event()
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        held: list[socket.socket] = []

        def hold() -> None:  # accept, read nothing, answer nothing
            connection, _ = server.accept()
            held.append(connection)
            accepted.set()

        threading.Thread(target=hold, daemon=True).start()
        assert COMMAND is not None
        process = subprocess.Popen(
            [COMMAND, "load", str(EXAMPLE_GALLERY), "--endpoint", f"http://127.0.0.1:{port}/store"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert accepted.wait(60), "the load never reached the endpoint"
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            for connection in held:
                connection.close()
    assert process.returncode == 143
    assert "interrupted: 0 files of 1 loaded into http://127.0.0.1:" in stderr
    assert "no partial files left" not in stderr
