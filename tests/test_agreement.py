"""The schemas, the context, the model, the vocabulary file and the docs agree, key for key."""

from __future__ import annotations

import dataclasses

import rdflib
from rdflib.namespace import RDF, RDFS

from tests.conftest import REPO
from warphoto import _resources, model
from warphoto._shape import schema_fields
from warphoto._vocabdoc import field_rows, render_vocabulary
from warphoto.model._base import Node

WP = "https://w3id.org/warphoto/ns#"
_PREFIXES = {
    "schema",
    "dcterms",
    "prov",
    "skos",
    "xsd",
    "edtf",
    "foaf",
    "Iptc4xmpCore",
    "photoshop",
    "xmpRights",
    "Iptc4xmpExt",
    "plus",
    "xmp",
    "dc",
    "exif",
    "wp",
}


def _context_terms() -> dict[str, object]:
    terms = _resources.context_document()["@context"]
    return {k: v for k, v in terms.items() if not k.startswith("@") and k not in _PREFIXES}


def _context_properties() -> set[str]:
    return {k for k in _context_terms() if k[0].islower()}


def _context_classes() -> set[str]:
    return {k for k in _context_terms() if k[0].isupper()}


def _model_keys() -> set[str]:
    keys = set()
    for name in model.__all__:
        cls = getattr(model, name)
        if isinstance(cls, type) and issubclass(cls, Node) and cls is not Node:
            for _field, key, _codec in cls._fields():
                if not key.startswith("@"):
                    keys.add(key)
            assert dataclasses.is_dataclass(cls)
    return keys


def test_every_schema_field_has_a_context_term_and_back() -> None:
    assert schema_fields() == _context_properties()


def test_every_schema_field_has_a_model_field_and_back() -> None:
    assert schema_fields() == _model_keys()


def _schema_type_names() -> set[str]:
    names: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@type" and isinstance(value, dict):
                    names.update(v for v in value.get("enum", []) if isinstance(v, str))
                    if isinstance(value.get("const"), str):
                        names.add(value["const"])
                    for part in value.get("allOf", []):
                        names.add(part["contains"]["const"])
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for name in _resources.schema_names():
        walk(_resources.schema(name))
    return {name for name in names if ":" not in name}  # xsd:/edtf: names are datatypes


def test_every_type_the_schemas_allow_is_a_context_term_and_back() -> None:
    assert _schema_type_names() == _context_classes()


def test_warphoto_terms_in_context_are_defined_in_the_vocabulary_file() -> None:
    graph = rdflib.Graph().parse(REPO / "vocab" / "warphoto.ttl")
    defined = {str(s) for s in graph.subjects(RDFS.label, None) if str(s).startswith(WP)}
    used = set()
    for definition in _context_terms().values():
        iri = definition if isinstance(definition, str) else definition["@id"]  # type: ignore[index]
        if iri.startswith("wp:"):
            used.add(WP + iri[3:])
    assert used == defined
    for term in defined:
        subject = rdflib.URIRef(term)
        assert graph.value(subject, RDFS.comment) is not None, term
        is_class = (subject, RDF.type, RDFS.Class) in graph
        if not is_class:
            assert graph.value(subject, RDFS.domain) is not None, term
            assert graph.value(subject, RDFS.range) is not None, term
        related = {RDFS.subPropertyOf, RDFS.subClassOf, RDFS.seeAlso}
        assert any(graph.value(subject, p) is not None for p in related), (
            f"{term} names no nearest standard term"
        )


def test_vocabulary_docs_are_generated_from_the_schemas() -> None:
    committed = (REPO / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    assert committed == render_vocabulary(), "run: python -m warphoto._vocabdoc > docs/vocabulary.md"


def test_every_field_in_the_docs_has_an_iri_a_rule_and_an_example() -> None:
    rows = field_rows()
    assert {row["key"] for row in rows} == schema_fields()
    for row in rows:
        assert row["iri"].startswith(("http://", "https://")), row
        assert row["rule"] and row["rule"] != "any JSON value", row
        assert row["example"], (
            f"no example for {row['entity']}.{row['key']}: add one to the gallery or the schema"
        )


def test_schema_examples_are_valid_values() -> None:
    from jsonschema import Draft202012Validator

    from warphoto.validation import _format_checker, _registry

    checked = 0
    for name in _resources.schema_names():
        doc = _resources.schema(name)
        sections = [("#/properties", doc.get("properties", {}))]
        sections += [
            (f"#/$defs/{d}/properties", v.get("properties", {})) for d, v in doc.get("$defs", {}).items()
        ]
        for pointer, props in sections:
            for key, prop in props.items():
                for example in prop.get("examples", []):
                    ref = {"$ref": f"{doc['$id']}{pointer}/{key}"}
                    validator = Draft202012Validator(
                        ref, registry=_registry(), format_checker=_format_checker()
                    )
                    assert validator.is_valid(example), f"{name} {key}: {example!r}"
                    checked += 1
    assert checked >= 20
