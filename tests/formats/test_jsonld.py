"""JSON-LD: compact (context referenced or embedded) and expanded; offline context handling."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import warphoto
from tests.formats.common import described_twice
from tests.formats.common import load_json as _load
from tests.formats.common import plain_values as _plain_values
from tests.hostile import Recorder
from tests.strategies import records
from warphoto import ReadError, UnsafeInputError, canonical
from warphoto._resources import CONTEXT_IRI, context_document
from warphoto.formats.jsonld import document_loader

REPO = Path(__file__).resolve().parents[2]
VALID = sorted((REPO / "tests" / "data" / "valid").glob("*.json"))
EXAMPLE = REPO / "docs" / "examples" / "kharkiv-2022.jsonld"
CORPUS = [*VALID, EXAMPLE] if EXAMPLE.exists() else VALID


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
@pytest.mark.parametrize("context", ["reference", "embed"])
def test_compact_round_trip_corpus(path: Path, context: str) -> None:
    record = _load(path)
    text = warphoto.dumps(record, "jsonld", context=context)
    assert isinstance(text, str)
    written = json.loads(text)
    if context == "embed":
        assert written["@context"] == context_document()["@context"]
    else:
        assert written["@context"] == CONTEXT_IRI
    back = warphoto.loads(text, "jsonld", validate=False)
    assert canonical(back) == canonical(record)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_expanded_round_trip_corpus(path: Path) -> None:
    record = _load(path)
    text = warphoto.dumps(record, "jsonld-expanded")
    assert isinstance(text, str)
    assert "@context" not in text
    back = warphoto.loads(text, "jsonld-expanded", validate=False)
    assert canonical(back) == canonical(_plain_values(record))


def test_expanded_matches_pyld_expansion() -> None:
    from pyld import jsonld

    record = _load(EXAMPLE if EXAMPLE.exists() else VALID[0])
    ours = json.loads(str(warphoto.dumps(record, "jsonld-expanded")))
    reference = jsonld.expand(record, {"documentLoader": document_loader})
    # pyld lowercases language tags; compare as RDF through pyld itself
    options = {"format": "application/n-quads", "documentLoader": document_loader}
    assert sorted(jsonld.to_rdf(ours, options).lower().splitlines()) == sorted(
        jsonld.to_rdf(reference, options).lower().splitlines()
    ) or _isomorphic(jsonld.to_rdf(ours, options), jsonld.to_rdf(reference, options))


def _isomorphic(a: str, b: str) -> bool:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    return isomorphic(Graph().parse(data=a, format="nt"), Graph().parse(data=b, format="nt"))


@given(records(extensions=True))
def test_compact_round_trip_generated(record: dict[str, Any]) -> None:
    for context in ("reference", "embed"):
        back = warphoto.loads(warphoto.dumps(record, "jsonld", context=context), "jsonld")
        assert canonical(back) == canonical(record)


@given(records(extensions=True))
def test_expanded_round_trip_generated(record: dict[str, Any]) -> None:
    back = warphoto.loads(warphoto.dumps(record, "jsonld-expanded"), "jsonld-expanded")
    assert canonical(back) == canonical(record)


def test_one_line_output() -> None:
    record = _load(VALID[0])
    text = str(warphoto.dumps(record, "jsonld", indent=None))
    assert "\n" not in text


def test_iterable_of_records_becomes_a_collection() -> None:
    a = {"@context": CONTEXT_IRI, "@id": "https://example.org/a", "@type": "Concept"}
    b = {"@context": CONTEXT_IRI, "@id": "https://example.org/b", "@type": "Concept"}
    doc = json.loads(str(warphoto.dumps([a, b], "jsonld")))
    assert doc["@context"] == CONTEXT_IRI
    assert [n["@id"] for n in doc["@graph"]] == ["https://example.org/a", "https://example.org/b"]
    assert all("@context" not in n for n in doc["@graph"])


def test_inline_context_is_compacted_into_the_record_form() -> None:
    doc = {
        "@context": {
            "s": "https://schema.org/",
            "label": {"@id": "http://www.w3.org/2004/02/skos/core#prefLabel", "@language": "en"},
        },
        "@id": "https://example.org/c",
        "@type": "http://www.w3.org/2004/02/skos/core#Concept",
        "label": "war",
    }
    record = warphoto.loads(json.dumps(doc), "jsonld")
    assert record == {
        "@context": CONTEXT_IRI,
        "@id": "https://example.org/c",
        "@type": "Concept",
        "prefLabel": {"en": "war"},
    }


# ------------------------------------------------------------------------------ bad input


def test_malformed_json_names_line_and_column() -> None:
    with pytest.raises(ReadError) as info:
        warphoto.loads('{\n  "@context": "x",\n  "@id": \n}', "jsonld", source="bad.jsonld")
    assert info.value.line == 4
    assert info.value.column == 1
    assert str(info.value).startswith("bad.jsonld:4:1")


FOREIGN_CONTEXTS = [
    "https://evil.example/context.jsonld",
    "http://evil.example/context.jsonld",
    "file:///etc/passwd",
    "https://schema.org",
    [CONTEXT_IRI, "https://evil.example/more.jsonld"],
    {"@import": "https://evil.example/base.jsonld"},
    {"t": {"@id": "https://example.org/t", "@context": "file:///etc/hosts"}},
    "http://w3id.org/warphoto/context.jsonld",
]


@pytest.mark.parametrize("context", FOREIGN_CONTEXTS, ids=range(len(FOREIGN_CONTEXTS)))
def test_foreign_contexts_are_refused_offline(context: Any) -> None:
    doc = {"@context": context, "@id": "https://example.org/c", "@type": "Concept"}
    for fmt in ("jsonld", "jsonld-expanded", "jsonl"):
        text = json.dumps(doc)
        with pytest.raises(UnsafeInputError) as info:
            warphoto.loads(text, fmt, source="in.jsonld")
        assert "never fetches" in str(info.value)


def test_nested_context_in_a_node_is_refused() -> None:
    doc = {
        "@context": CONTEXT_IRI,
        "@id": "https://example.org/c",
        "@type": "Concept",
        "prefLabel": {"en": "x"},
        "dcterms:x": {"@context": "https://evil.example/c", "@id": "https://e/x"},
    }
    with pytest.raises(UnsafeInputError):
        warphoto.loads(json.dumps(doc), "jsonld")


def test_document_loader_serves_only_our_context() -> None:
    assert document_loader(CONTEXT_IRI)["document"] == context_document()
    for url in ("https://example.org/c", "file:///etc/passwd", "http://127.0.0.1/x"):
        with pytest.raises(UnsafeInputError):
            document_loader(url)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    try:
        yield server
    finally:
        server.close()


@pytest.mark.enable_socket
def test_remote_contexts_are_never_fetched(recorder: Recorder) -> None:
    from pyld import jsonld

    url = f"http://127.0.0.1:{recorder.port}/context.jsonld"
    # the recorder works: a real connection is counted
    with socket.create_connection(("127.0.0.1", recorder.port), timeout=2):
        pass
    for _ in range(50):
        if recorder.connections:
            break
        threading.Event().wait(0.02)
    assert recorder.connections == 1
    docs: list[Any] = [
        {"@context": url, "@id": "https://example.org/c", "@type": "Concept"},
        {"@context": [CONTEXT_IRI, url], "@id": "https://example.org/c"},
        {"@context": {"@import": url}, "@id": "https://example.org/c"},
    ]
    for doc in docs:
        for fmt in ("jsonld", "jsonld-expanded"):
            with pytest.raises(UnsafeInputError):
                warphoto.loads(json.dumps(doc), fmt)
        # even pyld itself, given our loader, refuses
        with pytest.raises(jsonld.JsonLdError):
            jsonld.expand(doc, {"documentLoader": document_loader})
    threading.Event().wait(0.3)
    assert recorder.connections == 1


def test_expanded_standalone_photographs_round_trip(example_photographs: list[dict[str, Any]]) -> None:
    # standalone records embed a shared place (with its anonymous geo) in several places: read
    # once per record, as the writers write it, the place keeps one geo
    for record in example_photographs:
        text = warphoto.dumps(record, "jsonld-expanded")
        back = warphoto.loads(text, "jsonld-expanded", embed="everywhere")
        assert canonical(back) == canonical(record), record["@id"]
        assert canonical(warphoto.loads(text, "jsonld-expanded")) == canonical(
            warphoto.loads(warphoto.dumps(record, "turtle"), "turtle")
        ), record["@id"]


def test_expanded_standalone_photographs_are_the_graph_of_our_rdf(
    example_photographs: list[dict[str, Any]],
) -> None:
    # a JSON-LD processor reading our expanded output gets the graph our N-Triples hold: an
    # entity embedded twice in a record is described once, so its blank nodes are not doubled
    from pyld import jsonld
    from rdflib import Graph
    from rdflib.compare import isomorphic

    for record in example_photographs[:6]:
        expanded = json.loads(str(warphoto.dumps(record, "jsonld-expanded")))
        nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads", "documentLoader": document_loader})
        theirs = Graph().parse(data=_lower_language_tags(nquads), format="nt")
        ours = Graph().parse(data=_lower_language_tags(str(warphoto.dumps(record, "ntriples"))), format="nt")
        assert isomorphic(theirs, ours), record["@id"]


def _lower_language_tags(ntriples: str) -> str:
    """pyld lowercases language tags (en-GB -> en-gb); we keep them as written."""
    return re.sub(
        r'"@([A-Za-z0-9-]+) \.$', lambda m: f'"@{m.group(1).lower()} .', ntriples, flags=re.MULTILINE
    )


def test_expanded_reader_merges_two_different_descriptions_of_one_entity() -> None:
    # identical copies are read once; a differing second description is not dropped
    name = "https://schema.org/name"
    place = {"@id": "_:izium", "@type": ["https://schema.org/City"], name: [{"@value": "Izium"}]}
    other = {"@id": "_:izium", "https://schema.org/alternateName": [{"@value": "Izyum"}]}
    photo = {
        "@id": "https://example.org/p",
        "@type": ["https://schema.org/ImageObject", "https://schema.org/Photograph"],
        "https://schema.org/contentLocation": [place],
        "https://schema.org/locationCreated": [other],
    }
    back = warphoto.loads(json.dumps([photo]), "jsonld-expanded", validate=False)
    izium = back["contentLocation"][0]
    assert izium["name"] == {"@none": "Izium"}
    assert izium["alternateName"] == {"@none": ["Izyum"]}
    assert back["locationCreated"] == "_:izium"


def test_expanded_writer_writes_a_second_different_description_too() -> None:
    text = str(warphoto.dumps(described_twice(), "jsonld-expanded"))
    assert "Izium" in text and "Ізюм" in text
