"""RDF/XML, Turtle and N-Triples: round trips, agreement with pyld and rdflib, rapper, bad input."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

import warphoto
from tests.conftest import need_tool
from tests.formats.common import described_twice
from tests.formats.common import load_json as _load
from tests.formats.common import plain_values as _plain_values
from tests.strategies import photograph_lists, records, with_awkward_text
from warphoto import ReadError, UnsafeInputError, ValidationError, canonical
from warphoto._resources import CONTEXT_IRI, context_document
from warphoto.formats.jsonld import document_loader
from warphoto.formats.rdf import graph_to_document, to_graph

REPO = Path(__file__).resolve().parents[2]
VALID = sorted((REPO / "tests" / "data" / "valid").glob("*.json"))
EXAMPLE = REPO / "docs" / "examples" / "kharkiv-2022.jsonld"
CORPUS = [*VALID, EXAMPLE] if EXAMPLE.exists() else VALID
RDF_FORMATS = ("ntriples", "turtle", "rdfxml")
RDFLIB_NAMES = {"ntriples": "nt", "turtle": "turtle", "rdfxml": "xml"}
XSD = "http://www.w3.org/2001/XMLSchema#"


def _same(a: Graph, b: Graph) -> bool:
    """Isomorphic, with language tags compared case-insensitively (RDF 1.1; pyld lowercases them)."""

    def lowered(graph: Graph) -> Graph:
        out = Graph()
        for s, p, o in graph:
            if isinstance(o, Literal) and o.language:
                o = Literal(str(o), lang=o.language.lower())
            out.add((s, p, o))
        return out

    return isomorphic(lowered(a), lowered(b))


def _pyld_graph(document: dict[str, Any]) -> Graph:
    from pyld import jsonld

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": document_loader})
    return Graph().parse(data=nquads, format="nt")


def _rdflib_jsonld_graph(document: dict[str, Any]) -> Graph:
    inline = copy.deepcopy(document)
    inline["@context"] = context_document()["@context"]
    if "@graph" in inline:
        inline["@graph"] = [{k: v for k, v in n.items() if k != "@context"} for n in inline["@graph"]]
    return Graph().parse(data=json.dumps(inline), format="json-ld")


def _our_graph(document: dict[str, Any], fmt: str) -> Graph:
    return Graph().parse(data=warphoto.dumps(document, fmt), format=RDFLIB_NAMES[fmt])


# ------------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("fmt", RDF_FORMATS)
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_round_trip_corpus(path: Path, fmt: str) -> None:
    record = _load(path)
    back = warphoto.loads(warphoto.dumps(record, fmt), fmt, validate=False)
    assert canonical(back) == canonical(_plain_values(record))


@pytest.mark.skipif(not EXAMPLE.exists(), reason="example gallery not written yet")
@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_round_trip_example_standalone_photographs(fmt: str) -> None:
    from warphoto.model import standalone_records

    for record in standalone_records(_load(EXAMPLE)):
        text = warphoto.dumps(record, fmt)
        back = warphoto.loads(text, fmt, embed="everywhere")
        assert canonical(back) == canonical(record), record["@id"]


@given(records(extensions=True))
def test_round_trip_generated(record: dict[str, Any]) -> None:
    for fmt in RDF_FORMATS:
        back = warphoto.loads(warphoto.dumps(record, fmt), fmt)
        assert canonical(back) == canonical(record), fmt


@given(photograph_lists(min_size=2, max_size=4))
def test_round_trip_generated_collections(photos: list[dict[str, Any]]) -> None:
    # several records frame into a collection shaped as warphoto.collect() shapes one:
    # every entity with an id once at the top, nodes without one embedded where used
    collection = warphoto.collect(photos)
    for fmt in RDF_FORMATS:
        back = warphoto.loads(warphoto.dumps(photos, fmt), fmt)
        assert canonical(back) == canonical(collection), fmt


# ------------------------------------------------------------------------------ agreement with pyld / rdflib


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_isomorphic_to_pyld_and_rdflib_corpus(path: Path) -> None:
    record = _load(path)
    reference = _pyld_graph(record)
    for fmt in RDF_FORMATS:
        assert _same(_our_graph(record, fmt), reference), fmt
    assert _same(to_graph(record), reference)
    assert _same(_rdflib_jsonld_graph(record), reference)


def _integral_floats(value: Any) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, list):
        return any(_integral_floats(v) for v in value)
    if isinstance(value, dict):
        return any(_integral_floats(v) for v in value.values())
    return False


@given(records(extensions=True))
def test_isomorphic_to_pyld_generated(record: dict[str, Any]) -> None:
    reference = _pyld_graph(record)
    for fmt in RDF_FORMATS:
        assert _same(_our_graph(record, fmt), reference), fmt
    assert _same(to_graph(record), reference)
    if not _integral_floats(record):
        # rdflib writes a JSON number like 50.0 as xsd:double; JSON-LD 1.1 (and pyld, and
        # warphoto) make it xsd:integer 50. Elsewhere the three agree.
        assert _same(to_graph(record), _rdflib_jsonld_graph(record))


def test_dates_get_their_xsd_and_edtf_datatypes() -> None:
    def photo(value: str, kind: str) -> dict[str, Any]:
        return {
            "@context": CONTEXT_IRI,
            "@id": "https://example.org/p",
            "@type": ["ImageObject", "Photograph"],
            "dateCreated": {"@value": value, "@type": kind},
        }

    cases = {
        ("2022", "xsd:gYear"): XSD + "gYear",
        ("2022-09", "xsd:gYearMonth"): XSD + "gYearMonth",
        ("2022-09-21", "xsd:date"): XSD + "date",
        ("2022-09-21T14:05:00+03:00", "xsd:dateTime"): XSD + "dateTime",
        ("2022-09-10/2022-09-16", "edtf:EDTF"): "http://id.loc.gov/datatypes/edtf/EDTF",
    }
    for (value, kind), datatype in cases.items():
        graph = to_graph(photo(value, kind))
        (literal,) = graph.objects(URIRef("https://example.org/p"), URIRef("https://schema.org/dateCreated"))
        assert isinstance(literal, Literal)
        assert str(literal.datatype) == datatype
        for fmt in RDF_FORMATS:
            text = str(warphoto.dumps(photo(value, kind), fmt))
            assert datatype in text or kind.split(":")[1] in text
            back = warphoto.loads(text, fmt)
            assert back["dateCreated"] == {"@value": value, "@type": kind}


def test_language_tags_are_kept() -> None:
    record = {
        "@context": CONTEXT_IRI,
        "@id": "https://example.org/c",
        "@type": "Concept",
        "prefLabel": {"en-GB": "war", "uk": "війна", "sr-Latn": "rat", "zh-Hant-TW": "戰爭"},
    }
    for fmt in RDF_FORMATS:
        text = str(warphoto.dumps(record, fmt))
        assert "sr-Latn" in text
        assert warphoto.loads(text, fmt)["prefLabel"] == record["prefLabel"]
    xml = str(warphoto.dumps(record, "rdfxml"))
    assert 'xml:lang="uk">війна<' in xml


@pytest.mark.skipif(not EXAMPLE.exists(), reason="example gallery not written yet")
@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_collection_writes_each_shared_entity_once(fmt: str) -> None:
    collection = _load(EXAMPLE)
    text = str(warphoto.dumps(collection, fmt))
    graph = Graph().parse(data=text, format=RDFLIB_NAMES[fmt])
    if fmt == "rdfxml":
        assert text.count('rdf:nodeID="ukraine">') == 1
    else:
        assert text.count("_:ukraine <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>") <= 1
    name = URIRef("https://schema.org/name")
    ukraine = [s for s, o in graph.subject_objects(name) if str(o) == "Україна"]
    assert len(set(ukraine)) == 1
    assert len(list(graph.triples((ukraine[0], name, None)))) == 2


# ------------------------------------------------------------------------------ rapper


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["rdfxml", "turtle", "ntriples"])
def test_rapper_counts_the_same_triples(fmt: str, tmp_path: Path) -> None:
    rapper = need_tool("rapper")
    docs = [_load(p) for p in CORPUS]
    for index, doc in enumerate(docs):
        text = str(warphoto.dumps(doc, fmt))
        path = tmp_path / f"doc{index}.{fmt}"
        path.write_text(text, encoding="utf-8")
        syntax = {"rdfxml": "rdfxml", "turtle": "turtle", "ntriples": "ntriples"}[fmt]
        result = subprocess.run(
            [rapper, "-c", "-i", syntax, str(path), "https://example.org/base"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "rapper: Error" not in result.stderr and "Warning" not in result.stderr, result.stderr
        found = re.search(r"returned (\d+) triple", result.stderr)
        assert found, result.stderr
        count = int(found.group(1))
        assert count == len(Graph().parse(data=text, format=RDFLIB_NAMES[fmt])), CORPUS[index].name


# ------------------------------------------------------------------------------ bad input


def test_malformed_turtle_gives_the_line() -> None:
    text = (
        '@prefix s: <https://schema.org/> .\n<https://e/x> s:name "ok"@en .\n<https://e/y> s:name "broken .\n'
    )
    with pytest.raises(ReadError) as info:
        warphoto.loads(text, "turtle", source="bad.ttl")
    assert info.value.line == 3
    assert "bad.ttl:3" in str(info.value)


def test_malformed_rdfxml_gives_the_line() -> None:
    text = (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="https://e/x">\n  </rdf:Descriptio>\n</rdf:RDF>\n'
    )
    with pytest.raises(ReadError) as info:
        warphoto.loads(text, "rdfxml", source="bad.rdf")
    assert info.value.line == 4


def test_malformed_ntriples_gives_the_line() -> None:
    text = '<https://e/x> <https://schema.org/name> "a" .\n<https://e/x> <https://schema.org/name> oops .\n'
    with pytest.raises(ReadError) as info:
        warphoto.loads(text, "ntriples", source="bad.nt")
    assert info.value.line == 2


def test_rdfxml_entities_are_refused() -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    )
    with pytest.raises(UnsafeInputError) as info:
        warphoto.loads(text, "rdfxml")
    assert info.value.line == 2


def test_graph_that_is_no_valid_record_gives_validation_issues() -> None:
    text = (
        "<https://e/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Photograph> .\n"
        '<https://e/p> <https://schema.org/position> "first" .\n'
        '<https://e/p> <https://schema.org/license> "not an iri" .\n'
    )
    with pytest.raises(ValidationError) as info:
        warphoto.loads(text, "ntriples", source="odd.nt")
    assert info.value.issues
    document = warphoto.loads(text, "ntriples", validate=False)
    assert document["@id"] == "https://e/p"


def test_unknown_properties_become_extension_keys() -> None:
    text = (
        "<https://e/c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://www.w3.org/2004/02/skos/core#Concept> .\n"
        '<https://e/c> <http://purl.org/dc/terms/rights> "CC0" .\n'
        '<https://e/c> <https://other.example/ns#flag> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n'
    )
    record = warphoto.loads(text, "ntriples")
    assert record["dcterms:rights"] == "CC0"
    assert record["https://other.example/ns#flag"] is True


def test_empty_graph_is_an_empty_collection() -> None:
    assert warphoto.loads("", "ntriples") == {"@context": CONTEXT_IRI, "@graph": []}


def test_third_party_blank_nodes_frame_into_records() -> None:
    text = """@prefix schema: <https://schema.org/> .
<https://e/p> a schema:ImageObject, schema:Photograph ;
    schema:creator [ a schema:Person ; schema:name "Ann"@en ] ;
    schema:contentLocation [ a schema:City ; schema:name "Izium"@en ] .
"""
    record = warphoto.loads(text, "turtle")
    assert record["creator"] == [{"@type": "Person", "name": {"en": "Ann"}}]
    assert record["contentLocation"] == [{"@type": "City", "name": {"en": "Izium"}}]


def test_graph_to_document_can_force_a_collection() -> None:
    record = _load(VALID[0])
    doc = graph_to_document(
        Graph().parse(data=warphoto.dumps(record, "ntriples"), format="nt"), as_collection=True
    )
    assert "@graph" in doc


_NODES = ["<https://e/a>", "<https://e/b>", "_:x", "_:y", "_:wpb1"]
_PREDICATES = [
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
    "<https://schema.org/name>",
    "<https://schema.org/creator>",
    "<https://schema.org/isPartOf>",
    "<https://schema.org/containedInPlace>",
    "<https://schema.org/geo>",
    "<https://schema.org/position>",
    "<https://schema.org/dateCreated>",
    "<https://schema.org/keywords>",
    "<https://other.example/p>",
]
_OBJECTS = [
    *_NODES,
    "<https://schema.org/Photograph>",
    "<https://schema.org/ImageObject>",
    "<https://schema.org/City>",
    '"Izium"@en',
    '"Ізюм"@uk',
    '"plain"',
    '"7"^^<http://www.w3.org/2001/XMLSchema#integer>',
    '"x"^^<http://www.w3.org/2001/XMLSchema#integer>',
    '"2022-13"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>',
    '"1.5E0"^^<http://www.w3.org/2001/XMLSchema#double>',
]


@given(
    st.lists(
        st.tuples(st.sampled_from(_NODES), st.sampled_from(_PREDICATES), st.sampled_from(_OBJECTS)),
        max_size=25,
    )
)
def test_arbitrary_graphs_never_crash(triples: list[tuple[str, str, str]]) -> None:
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
    try:
        document = warphoto.loads(text, "ntriples")
    except (ValidationError, ReadError):
        return
    assert isinstance(document, dict)


@pytest.mark.parametrize("name", ["turtle", "rdfxml", "ntriples"])
def test_text_does_not_depend_on_what_the_caches_hold(name: str) -> None:
    # the writers cache rendered languages, references and classes across calls; a cold cache
    # and a warm one must give the same bytes (a CLI worker and a test compare files)
    from warphoto.formats import _rdf_blocks, _rdf_text

    document = _load(EXAMPLE)
    for tables in (_rdf_text._nt_tables(), _rdf_blocks._turtle_tables(), _rdf_blocks._rdfxml_tables()):
        for cache in (
            tables.langs,
            tables.refs,
            tables.types,
            tables.datatypes,
            tables.numbers,
            tables.preds,
        ):
            cache.clear()
    cold = warphoto.dumps(document, name)
    assert warphoto.dumps(document, name) == cold


@pytest.mark.parametrize("name", ["turtle", "rdfxml", "ntriples"])
def test_a_second_different_description_of_one_entity_is_written_too(name: str) -> None:
    # validation refuses such a record, but a writer given one drops nothing: the same
    # description again is written once, a different one is written as well
    record = described_twice()
    graph = Graph().parse(data=str(warphoto.dumps(record, name)), format={"rdfxml": "xml"}.get(name, name))
    names = {str(o) for o in graph.objects(None, URIRef("https://schema.org/name"))}
    alternates = {str(o) for o in graph.objects(None, URIRef("https://schema.org/alternateName"))}
    assert names == {"Izium"} and alternates == {"Ізюм"}
    assert isomorphic(graph, to_graph(record))


@given(record=records(extensions=True), data=st.data())
def test_awkward_text_is_escaped_in_every_syntax(record: dict[str, Any], data: st.DataObject) -> None:
    # the generated records' text never needs escaping: this puts quotes, backslashes, line
    # ends and markup in, so the writers' escaping paths meet pyld's graph too
    awkward = with_awkward_text(record, data.draw)
    reference = _pyld_graph(awkward)
    for fmt in RDF_FORMATS:
        assert _same(_our_graph(awkward, fmt), reference), fmt
    back = warphoto.loads(warphoto.dumps(awkward, "turtle"), "turtle", validate=False)
    assert canonical(back) == canonical(awkward)


def test_writing_rdf_does_not_load_rdflib() -> None:
    code = (
        "import sys, warphoto; record = {'@context': 'https://w3id.org/warphoto/context.jsonld', "
        "'@id': 'https://example.org/p/1', '@type': ['ImageObject', 'Photograph']}; "
        "[warphoto.dumps(record, f) for f in ('ntriples', 'turtle', 'rdfxml')]; "
        "print('rdflib' in sys.modules); warphoto.loads(warphoto.dumps(record, 'ntriples'), 'ntriples'); "
        "print('rdflib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]  # reading parses with rdflib
