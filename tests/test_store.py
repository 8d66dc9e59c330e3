"""warphoto.store: the embedded Oxigraph store and the endpoint client, against the N-Triples writer."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

import warphoto
from tests.conftest import EXAMPLE_GALLERY, need_module
from warphoto.store import EmbeddedStore, Endpoint, EndpointError, StoreError, graph_name

SCHEMA = "https://schema.org/"


@pytest.fixture(scope="module")
def gallery_ntriples() -> bytes:
    text = warphoto.dumps(warphoto.read(EXAMPLE_GALLERY), "ntriples")
    assert isinstance(text, str)
    return text.encode("utf-8")


def lowered_tags(ntriples: bytes) -> Graph:
    """The graph with language tags in lower case (Oxigraph keeps them so: tags are case-insensitive)."""
    graph = Graph()
    for s, p, o in Graph().parse(data=ntriples.decode("utf-8"), format="nt"):
        graph.add(
            (s, p, Literal(str(o), lang=o.language.lower()) if isinstance(o, Literal) and o.language else o)
        )
    return graph


def distinct_triples(ntriples: bytes) -> int:
    return len(set(ntriples.splitlines()) - {b""})


def photographs_in(document: dict[str, Any], city: str) -> set[str]:
    """The photographs whose contentLocation names the city (in English), read from the record dict."""
    nodes = {n.get("@id"): n for n in document["@graph"]}
    found = set()
    for node in document["@graph"]:
        places = node.get("contentLocation", [])
        for ref in places if isinstance(places, list) else [places]:
            place = nodes.get(ref) if isinstance(ref, str) else ref
            if isinstance(place, dict) and place.get("name", {}).get("en") == city:
                found.add(node["@id"])
    return found


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    need_module("pyoxigraph")
    return EmbeddedStore(tmp_path / "store")


def test_graph_name_is_the_absolute_file_uri(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert graph_name("a b/ä.jsonld") == (tmp_path / "a b" / "ä.jsonld").as_uri()
    assert graph_name("a b/ä.jsonld").startswith("file:///")


def test_the_store_holds_the_writers_triples_once(store: EmbeddedStore, gallery_ntriples: bytes) -> None:
    name = graph_name(EXAMPLE_GALLERY)
    store.replace_graph(name, gallery_ntriples)
    assert store.count(name) == distinct_triples(gallery_ntriples) > 500
    store.replace_graph(name, gallery_ntriples)
    assert store.count() == distinct_triples(gallery_ntriples)


def test_two_graphs_keep_their_blank_nodes_apart(store: EmbeddedStore, gallery_ntriples: bytes) -> None:
    store.replace_graph("file:///a.jsonld", gallery_ntriples)
    store.replace_graph("file:///b.jsonld", gallery_ntriples)
    answer = store.query("SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b ?p ?o FILTER isBlank(?b) }")
    per_graph = len(
        {line.split(b" ", 1)[0] for line in gallery_ntriples.splitlines() if line.startswith(b"_:")}
    )
    assert answer.kind == "bindings"
    assert int(answer.results()["results"]["bindings"][0]["n"]["value"]) == 2 * per_graph


def test_construct_of_a_graph_is_isomorphic_to_its_ntriples(
    store: EmbeddedStore, gallery_ntriples: bytes
) -> None:
    store.replace_graph("file:///g.jsonld", gallery_ntriples)
    answer = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <file:///g.jsonld> { ?s ?p ?o } }")
    assert answer.kind == "triples"
    assert b"@en-GB" in gallery_ntriples and b"@en-GB" not in answer.data  # Oxigraph lowers tags
    assert isomorphic(lowered_tags(gallery_ntriples), lowered_tags(answer.data))


def test_query_finds_every_photograph_shown_in_izium(store: EmbeddedStore, gallery_ntriples: bytes) -> None:
    store.replace_graph("file:///g.jsonld", gallery_ntriples)
    answer = store.query(
        f"SELECT ?photo WHERE {{ ?photo a <{SCHEMA}Photograph>; <{SCHEMA}contentLocation> ?place . "
        f'?place <{SCHEMA}name> "Izium"@en }}'
    )
    found = {row["photo"]["value"] for row in answer.results()["results"]["bindings"]}
    expected = photographs_in(json.loads(EXAMPLE_GALLERY.read_text(encoding="utf-8")), "Izium")
    assert found == expected and len(expected) >= 3


def test_ask_answers(store: EmbeddedStore, gallery_ntriples: bytes) -> None:
    assert store.query("ASK { ?s ?p ?o }").results()["boolean"] is False
    store.replace_graph("file:///g.jsonld", gallery_ntriples)
    answer = store.query(f"ASK {{ ?s a <{SCHEMA}ImageGallery> }}")
    assert answer.kind == "boolean" and answer.results()["boolean"] is True


def test_a_malformed_query_is_a_store_error(store: EmbeddedStore) -> None:
    with pytest.raises(StoreError, match="malformed SPARQL"):
        store.query("SELEC ?s")


def test_a_missing_store_is_not_created_for_reading(tmp_path: Path) -> None:
    need_module("pyoxigraph")
    with pytest.raises(StoreError, match="no store here"):
        EmbeddedStore(tmp_path / "nothing", read_only=True)
    assert not (tmp_path / "nothing").exists()


def test_bad_ntriples_leave_the_old_graph(store: EmbeddedStore, gallery_ntriples: bytes) -> None:
    store.replace_graph("file:///g.jsonld", gallery_ntriples)
    with pytest.raises(StoreError, match="refused the N-Triples"):
        store.replace_graph("file:///g.jsonld", b"<not an iri> <p> .\n")
    assert store.count() == distinct_triples(gallery_ntriples)


def test_missing_pyoxigraph_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyoxigraph", None)
    with pytest.raises(StoreError, match=r"pip install 'warphoto\[store\]'"):
        EmbeddedStore(tmp_path / "s")


def test_an_endpoint_is_an_http_url() -> None:
    with pytest.raises(StoreError, match="http:// or https://"):
        Endpoint("file:///etc/passwd")


def test_graph_store_urls_encode_the_graph_name() -> None:
    endpoint = Endpoint("http://127.0.0.1:1/store")
    assert (
        endpoint.graph_url("file:///a b.jsonld")
        == "http://127.0.0.1:1/store?graph=file%3A%2F%2F%2Fa+b.jsonld"
    )
    assert Endpoint("http://h/s?x=1").graph_url("file:///a").startswith("http://h/s?x=1&graph=")


@pytest.mark.enable_socket
def test_an_unreachable_endpoint_names_its_url() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/query"
    with pytest.raises(EndpointError, match="cannot reach") as caught:
        Endpoint(url, timeout=5).query("ASK {}")
    assert caught.value.url == url and caught.value.status is None


def test_the_bulk_loader_gives_the_same_graphs(tmp_path: Path, gallery_ntriples: bytes) -> None:
    need_module("pyoxigraph")
    bulk = EmbeddedStore(tmp_path / "bulk", bulk=True)
    plain = EmbeddedStore(tmp_path / "plain")
    for target in (bulk, plain):
        for _ in range(2):
            target.replace_graph("file:///a.jsonld", gallery_ntriples)
            target.replace_graph("file:///b.jsonld", gallery_ntriples)
    assert bulk.count() == plain.count() == 2 * distinct_triples(gallery_ntriples)
    blanks = "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b ?p ?o FILTER isBlank(?b) }"
    assert bulk.query(blanks).results() == plain.query(blanks).results()


def test_a_failed_bulk_load_says_the_graph_may_be_partial(tmp_path: Path) -> None:
    need_module("pyoxigraph")
    bulk = EmbeddedStore(tmp_path / "bulk", bulk=True)
    with pytest.raises(StoreError, match="may leave part of it"):
        bulk.replace_graph("file:///a.jsonld", b"<https://example.org/s> <https://example.org/p> .\n")
