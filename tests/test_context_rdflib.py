"""The example gallery read by rdflib's JSON-LD parser, with the context loaded from the package."""

from __future__ import annotations

import copy
from typing import Any

import rdflib
from rdflib import XSD, Literal, URIRef

from warphoto import _resources

SCHEMA = "https://schema.org/"


def _graph(document: dict[str, Any]) -> rdflib.Graph:
    doc = copy.deepcopy(document)
    doc["@context"] = _resources.context_document()["@context"]
    return rdflib.Graph().parse(data=doc, format="json-ld")  # type: ignore[arg-type]


def test_key_fields_get_schema_org_iris(example_gallery: dict[str, Any]) -> None:
    graph = _graph(example_gallery)
    predicates = set(graph.predicates())
    for name in ("caption", "creator", "contentLocation", "dateCreated"):
        assert URIRef(SCHEMA + name) in predicates, name


def test_month_precision_date_is_a_gyearmonth_literal(example_gallery: dict[str, Any]) -> None:
    graph = _graph(example_gallery)
    dates = set(graph.objects(None, URIRef(SCHEMA + "dateCreated")))
    assert Literal("2022-09", datatype=XSD.gYearMonth) in dates
    assert all(isinstance(d, Literal) and d.datatype is not None for d in dates)


def test_every_precision_gets_its_xsd_type() -> None:
    expected = {
        "2022": XSD.gYear,
        "2022-09": XSD.gYearMonth,
        "2022-09-21": XSD.date,
        "2022-09-21T14:05:00+03:00": XSD.dateTime,
        "2022-09-10/2022-09-16": URIRef("http://id.loc.gov/datatypes/edtf/EDTF"),
    }
    from warphoto.dates import PartialDate

    for text, datatype in expected.items():
        record = {
            "@context": _resources.CONTEXT_IRI,
            "@id": "https://example.org/p",
            "@type": ["ImageObject", "Photograph"],
            "dateCreated": PartialDate.parse(text).to_dict(),
        }
        (literal,) = _graph(record).objects(None, URIRef(SCHEMA + "dateCreated"))
        assert isinstance(literal, Literal)
        assert (str(literal), literal.datatype) == (text, datatype)


def test_language_tags_survive(example_gallery: dict[str, Any]) -> None:
    graph = _graph(example_gallery)
    names = {
        (str(o), o.language) for o in graph.objects(None, URIRef(SCHEMA + "name")) if isinstance(o, Literal)
    }
    assert ("Ізюм", "uk") in names
