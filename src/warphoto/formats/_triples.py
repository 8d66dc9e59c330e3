"""Triples straight from the record dict, using the term table compiled from the context.

:class:`TripleEmitter` walks a record (or each node of a collection) and appends triples
``(subject, predicate, object, kind, extra)`` to a list:

* ``subject``: an absolute IRI, or ``_:label`` for a blank node;
* ``kind`` :data:`IRI` (object is an IRI), :data:`BNODE` (object is a blank node label without
  ``_:``), :data:`LANG` (a literal, ``extra`` is its language tag) or :data:`TYPED` (a literal,
  ``extra`` is its datatype IRI; plain strings are ``xsd:string``).

The result is the same RDF a JSON-LD processor produces from the record under our context
(the tests check isomorphism with pyld and rdflib), without running one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from warphoto.dates import DATATYPES as _DATATYPES
from warphoto.errors import WriteError
from warphoto.formats._terms import (
    ID,
    LANG,
    RDF_TYPE,
    TYPED,
    XSD_BOOLEAN,
    XSD_DOUBLE,
    XSD_INTEGER,
    XSD_STRING,
    encode_bnode_label,
    terms,
)

__all__ = [
    "BNODE",
    "IRI",
    "LANG_LITERAL",
    "TYPED_LITERAL",
    "Triple",
    "TripleEmitter",
    "canonical_double",
    "nodes_of",
]

IRI = 0
BNODE = 1
LANG_LITERAL = 2
TYPED_LITERAL = 3

Triple = tuple[str, str, str, int, str | None]


_DOUBLE_EXP = re.compile(r"(\d)0*E\+?(-)?0*(\d)")


def canonical_double(value: float) -> str:
    """The canonical xsd:double form JSON-LD processors write (``4.92083E1``)."""
    return _DOUBLE_EXP.sub(r"\1E\2\3", f"{value:1.15E}")


def nodes_of(document: Mapping[str, Any]) -> Iterable[Any]:
    """The top-level nodes of a record or collection document."""
    graph = document.get("@graph")
    if graph is None:
        return (document,)
    if isinstance(graph, list):
        return graph
    return (graph,)


class TripleEmitter:
    """Turns records into triples. One emitter is one document: blank node labels are shared."""

    __slots__ = ("_anon", "_labels", "_refs", "_seen", "_table")

    def __init__(self) -> None:
        self._table = terms()
        self._labels: dict[str, str] = {}
        self._anon = 0
        self._seen: set[str] = set()
        self._refs: dict[str, tuple[str, int]] = {}

    def label(self, node_id: str) -> str:
        """Our RDF label for the record's ``_:name`` (without ``_:``)."""
        label = self._labels.get(node_id)
        if label is None:
            label = self._labels[node_id] = encode_bnode_label(node_id[2:])
        return label

    def document(self, document: Mapping[str, Any], out: list[Triple]) -> list[Triple]:
        for node in nodes_of(document):
            if not isinstance(node, Mapping):
                raise WriteError(f"a collection's @graph holds objects, not {type(node).__name__}")
            # a record may embed one entity in several places (identical descriptions, as
            # standalone_records writes them): its triples are written once per record
            self._seen = set()
            self.node(node, out)
        return out

    def _iri(self, value: str) -> str:
        prefix, sep, rest = value.partition(":")
        if sep:
            ns = self._table.prefixes.get(prefix)
            if ns is not None and not rest.startswith("//"):
                return ns + rest
            return value
        raise WriteError(f"{value!r} is not an absolute IRI; references must be absolute IRIs or _:name")

    def _ref(self, value: str) -> tuple[str, int]:
        ref = self._refs.get(value)
        if ref is None:
            ref = (self.label(value), BNODE) if value.startswith("_:") else (self._iri(value), IRI)
            if len(self._refs) > 50_000:  # bounded: streams see endless distinct IRIs
                self._refs.clear()
            self._refs[value] = ref
        return ref

    def node(self, node: Mapping[str, Any], out: list[Triple]) -> tuple[str, int]:
        """Append the triples of ``node`` (and nested nodes); return its (object, kind)."""
        node_id = node.get("@id")
        if node_id is None:
            self._anon += 1
            obj, okind = f"wpb{self._anon}", BNODE
        elif type(node_id) is str:
            obj, okind = self._ref(node_id)
            if len(node) > 1:
                if node_id in self._seen:
                    return obj, okind
                self._seen.add(node_id)
        else:
            raise WriteError(f"@id must be a string, not {node_id!r}")
        s = "_:" + obj if okind == BNODE else obj
        table = self._table
        by_name = table.by_name
        append = out.append
        for key, value in node.items():
            if value is None:
                continue
            if key[0] == "@":
                if key == "@type":
                    classes = table.classes
                    for t in value if type(value) is list else (value,):
                        cls = classes.get(t)
                        append((s, RDF_TYPE, cls if cls is not None else self._iri(t), IRI, None))
                elif key not in ("@id", "@context"):
                    raise WriteError(f"the keyword {key} is not part of the record form")
                continue
            term = by_name.get(key)
            if term is None:
                if ":" not in key:
                    raise WriteError(f"unknown field {key!r}: not a term of the warphoto context")
                self._plain(s, self._iri(key), value, out)
                continue
            kind = term.kind
            p = term.iri
            if kind == LANG:
                if type(value) is not dict and not isinstance(value, Mapping):
                    raise WriteError(f"{key} must be a language map, not {type(value).__name__}")
                for lang, text in value.items():
                    if type(text) is list:
                        for item in text:
                            append((s, p, item, LANG_LITERAL, lang))
                    else:
                        append((s, p, text, LANG_LITERAL, lang))
            elif kind == ID:
                refs = self._refs
                for item in value if type(value) is list else (value,):
                    if type(item) is str:
                        ref = refs.get(item)
                        if ref is None:
                            ref = self._ref(item)
                        append((s, p, ref[0], ref[1], None))
                    else:
                        self._plain(s, p, item, out)
            elif kind == TYPED:
                datatype = term.datatype
                for item in value if type(value) is list else (value,):
                    if type(item) is int and datatype == XSD_INTEGER:
                        append((s, p, str(item), TYPED_LITERAL, datatype))
                    elif type(item) is dict or isinstance(item, Mapping):
                        self._plain(s, p, item, out)
                    else:
                        append((s, p, *_literal(item, datatype)))
            elif type(value) is str:  # PLAIN, the common cases inline
                append((s, p, value, TYPED_LITERAL, XSD_STRING))
            elif type(value) is dict and type(value.get("@value")) is str and len(value) == 2:
                datatype = _DATATYPES.get(value.get("@type"))  # type: ignore[arg-type]
                if datatype is not None:
                    append((s, p, value["@value"], TYPED_LITERAL, datatype))
                else:
                    self._plain(s, p, value, out)
            else:
                self._plain(s, p, value, out)
        return obj, okind

    def _plain(self, s: str, p: str, value: Any, out: list[Triple]) -> None:
        """A value without coercion: string, number, boolean, value object or node."""
        if type(value) is list:
            for item in value:
                self._plain(s, p, item, out)
            return
        if type(value) is str:
            out.append((s, p, value, TYPED_LITERAL, XSD_STRING))
        elif type(value) is dict or isinstance(value, Mapping):
            if "@value" in value:
                literal = value["@value"]
                if literal is None:
                    return
                if "@language" in value:
                    out.append((s, p, str(literal), LANG_LITERAL, str(value["@language"])))
                else:
                    datatype = value.get("@type")
                    if datatype is not None:
                        expanded = _DATATYPES.get(datatype)
                        if expanded is None:
                            expanded = self._iri(datatype)
                        datatype = expanded
                    if type(literal) is str:
                        out.append((s, p, literal, TYPED_LITERAL, datatype or XSD_STRING))
                    else:
                        out.append((s, p, *_literal(literal, datatype)))
            elif "@list" in value or "@set" in value:
                raise WriteError("JSON-LD lists are not part of the record form")
            else:
                o, k = self.node(value, out)
                out.append((s, p, o, k, None))
        elif isinstance(value, (bool, int, float)):
            out.append((s, p, *_literal(value, None)))
        else:
            raise WriteError(f"cannot write a {type(value).__name__} value")


def _literal(value: Any, datatype: str | None) -> tuple[str, int, str]:
    if type(value) is str:
        return value, TYPED_LITERAL, datatype or XSD_STRING
    if type(value) is bool:
        return ("true" if value else "false"), TYPED_LITERAL, datatype or XSD_BOOLEAN
    if type(value) is int:
        if abs(value) >= 10**21:
            return canonical_double(float(value)), TYPED_LITERAL, datatype or XSD_DOUBLE
        return str(value), TYPED_LITERAL, datatype or XSD_INTEGER
    if type(value) is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise WriteError(f"{value} is not a number JSON-LD can carry")
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value)), TYPED_LITERAL, datatype or XSD_INTEGER
        return canonical_double(value), TYPED_LITERAL, datatype or XSD_DOUBLE
    raise WriteError(f"cannot write a {type(value).__name__} value as a literal")
