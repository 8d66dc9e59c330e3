"""The context compiled once into a term table, used by every Linked Data reader and writer.

``terms()`` reads ``vocab/context.jsonld`` (through :mod:`warphoto._resources`) and returns a
:class:`TermTable`: for each term its IRI, container and coercion, the reverse map from IRI to
term, the prefixes, and the class names. Nothing here is hand-listed: a new term in the
context is a new field for JSON-LD, RDF/XML, Turtle and N-Triples at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from warphoto import _resources

__all__ = [
    "RDF_TYPE",
    "XSD",
    "Term",
    "TermTable",
    "decode_bnode_label",
    "encode_bnode_label",
    "terms",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"
XSD_DOUBLE = XSD + "double"
XSD_BOOLEAN = XSD + "boolean"

#: kinds of term, by how a value is written
LANG = "lang"  # language map (of strings, or of lists when the container is also @set)
ID = "id"  # values are IRIs / blank node ids, or embedded nodes
TYPED = "typed"  # values are literals of a fixed datatype
PLAIN = "plain"  # no coercion: strings, numbers, value objects, embedded nodes


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    iri: str
    kind: str
    is_set: bool
    datatype: str | None = None  # full IRI, for TYPED terms


@dataclass(frozen=True)
class TermTable:
    context: dict[str, Any]
    prefixes: dict[str, str]
    by_name: dict[str, Term]
    by_iri: dict[str, Term]
    classes: dict[str, str]  # class term -> IRI
    class_names: dict[str, str]  # IRI -> class term
    #: keys whose value is only ever a reference (never an embedded node)
    reference_only: frozenset[str] = field(default_factory=frozenset)
    #: term name -> position in the context (for a stable field order)
    order: dict[str, int] = field(default_factory=dict)

    def expand(self, value: str) -> str:
        """Expand a compact IRI (``xsd:gYear``) or a class / term name; absolute IRIs stay."""
        cls = self.classes.get(value)
        if cls is not None:
            return cls
        prefix, sep, rest = value.partition(":")
        if sep and not rest.startswith("//"):
            ns = self.prefixes.get(prefix)
            if ns is not None:
                return ns + rest
        return value

    def compact(self, iri: str) -> str:
        """A compact IRI (``schema:foo``) for ``iri`` when a prefix fits, else ``iri`` itself."""
        best: tuple[int, str] | None = None
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and len(iri) > len(ns) and (best is None or len(ns) > best[0]):
                best = (len(ns), prefix)
        if best is None:
            return iri
        return f"{best[1]}:{iri[best[0] :]}"

    def compact_class(self, iri: str) -> str:
        return self.class_names.get(iri) or self.compact(iri)


def _containers(definition: dict[str, Any]) -> list[str]:
    container = definition.get("@container")
    if container is None:
        return []
    return list(container) if isinstance(container, list) else [container]


def _reference_only_keys() -> frozenset[str]:
    node_ref = "common.schema.json#/$defs/nodeRef"
    keys: set[str] = set()
    embeddable: set[str] = set()
    for name in _resources.schema_names():
        doc = _resources.schema(name)
        maps = [doc.get("properties", {})] + [d.get("properties", {}) for d in doc.get("$defs", {}).values()]
        for props in maps:
            for key, prop in props.items():
                if isinstance(prop, dict) and prop.get("$ref") == node_ref:
                    keys.add(key)
                elif isinstance(prop, dict) and ("else" in prop or "else" in prop.get("items", {})):
                    embeddable.add(key)
    return frozenset(keys - embeddable)


@cache
def terms() -> TermTable:
    context: dict[str, Any] = _resources.context_document()["@context"]
    prefixes: dict[str, str] = {}
    classes: dict[str, str] = {}
    raw: dict[str, dict[str, Any]] = {}
    for name, definition in context.items():
        if name.startswith("@"):
            continue
        if isinstance(definition, str):
            if definition.endswith(("/", "#")) and ":" in definition and "//" in definition:
                prefixes[name] = definition
            elif name[:1].isupper():
                raw[name] = {"@id": definition, "_class": True}
            else:
                raw[name] = {"@id": definition}
        elif isinstance(definition, dict):
            raw[name] = definition

    def expand(value: str) -> str:
        prefix, sep, rest = value.partition(":")
        if sep and prefix in prefixes:
            return prefixes[prefix] + rest
        return value

    by_name: dict[str, Term] = {}
    order: dict[str, int] = {}
    for position, (name, definition) in enumerate(raw.items()):
        iri = expand(str(definition["@id"]))
        if definition.get("_class"):
            classes[name] = iri
            continue
        containers = _containers(definition)
        coercion = definition.get("@type")
        if "@language" in containers:
            kind = LANG
        elif coercion == "@id":
            kind = ID
        elif isinstance(coercion, str):
            kind = TYPED
        else:
            kind = PLAIN
        datatype = expand(coercion) if kind == TYPED and isinstance(coercion, str) else None
        by_name[name] = Term(name, iri, kind, "@set" in containers, datatype)
        order[name] = position
    by_iri: dict[str, Term] = {}
    for term in by_name.values():
        if term.iri in by_iri:
            raise RuntimeError(f"the context maps two terms to {term.iri}")  # pragma: no cover
        by_iri[term.iri] = term
    return TermTable(
        context=context,
        prefixes=prefixes,
        by_name=by_name,
        by_iri=by_iri,
        classes=classes,
        class_names={iri: name for name, iri in classes.items()},
        reference_only=_reference_only_keys(),
        order=order,
    )


# ------------------------------------------------------------------------------ blank node labels
#
# Blank node labels are not part of RDF's meaning, but a record's ``_:izium`` should come
# back as ``_:izium``. Our writers keep a label when it is a plain name (a letter, then
# letters, digits, ``_`` and ``-``) and does not start with ``wp``; any other label is
# written as ``wpx`` followed by the label with every other character escaped as ``_hh``.
# Nodes without an ``@id`` get ``wpb<n>``; readers drop those labels again.

_PLAIN_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_ESCAPED = re.compile(r"_([0-9a-f]{2})")
_RDFLIB_FRESH = re.compile(r"^(?:N[0-9a-f]{32}|n[0-9a-f]{32}b\d+|ub\d+bL\d+C\d+)$")
_NODE_LABEL = re.compile(r"^[A-Za-z0-9_.-]+$")


def encode_bnode_label(label: str) -> str:
    """The label our RDF writers use for the record's blank node id ``_:label``."""
    if _PLAIN_LABEL.fullmatch(label) and not label.startswith("wp"):
        return label
    return "wpx" + "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):02x}" for c in label)


def decode_bnode_label(label: str) -> str | None:
    """The record's label for an RDF blank node label, or None for an anonymous node."""
    if label.startswith("wpb") or _RDFLIB_FRESH.match(label):
        return None
    if label.startswith("wpx"):
        return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), label[3:])
    if _NODE_LABEL.match(label):
        return label
    return None
