"""Triples straight from the record dict, using the term table compiled from the context.

:class:`TripleEmitter` walks a record (or each node of a collection) and appends triples as
tuples ``(subject, predicate, object, kind, extra)``, for code that wants RDF terms rather than
text (:func:`warphoto.formats.rdf.to_graph`):

* ``subject``: an absolute IRI, or ``_:label`` for a blank node;
* ``kind`` :data:`IRI` (object is an IRI), :data:`BNODE` (object is a blank node label without
  ``_:``), :data:`LANG_LITERAL` (a literal, ``extra`` is its language tag) or
  :data:`TYPED_LITERAL` (a literal, ``extra`` is its datatype IRI; plain strings are
  ``xsd:string``).

The helpers here (numbers as JSON-LD writes them, language tags, IRI expansion, the top-level
nodes of a document) are shared with the text writers, which write the same walk as finished
text: ``_rdf_text`` (escaping, the compiled per-term handlers, their base class and
N-Triples) and ``_rdf_blocks`` (Turtle and RDF/XML). All three modules are compiled together
by the compiled build (``pyproject.toml``, :data:`warphoto._build.COMPILABLE`).

The emitter and the text writers give the RDF a JSON-LD processor produces from the record
under our context (the tests check isomorphism with pyld and rdflib, and of the writers with
:class:`TripleEmitter`), without running one.
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
    "check_language",
    "described_before",
    "is_language_tag",
    "nodes_of",
]

IRI = 0
BNODE = 1
LANG_LITERAL = 2
TYPED_LITERAL = 3

Triple = tuple[str, str, str, int, str | None]


_DOUBLES: dict[float, str] = {}  # coordinates repeat: places recur across records


def canonical_double(value: float) -> str:
    """The canonical xsd:double form JSON-LD processors write (``4.92083E1``).

    That is ``%1.15E`` without the mantissa's trailing zeros (one digit stays after the
    point) and without the exponent's sign ``+`` and leading zeros.
    """
    text = _DOUBLES.get(value) if value else None  # 0.0 and -0.0 are one key
    if text is None:
        mantissa, _e, exponent = f"{value:1.15E}".partition("E")
        mantissa = mantissa.rstrip("0")
        if mantissa[-1] == ".":
            mantissa += "0"
        text = f"{mantissa}E{int(exponent)}"
        if len(_DOUBLES) >= 10_000:
            _DOUBLES.clear()
        _DOUBLES[value] = text
    return text


def nodes_of(document: Mapping[str, Any]) -> Iterable[Any]:
    """The top-level nodes of a record or collection document."""
    graph = document.get("@graph")
    if graph is None:
        return (document,)
    if isinstance(graph, list):
        return graph
    return (graph,)


def described_before(seen: dict[str, Mapping[str, Any]], node_id: str, node: Mapping[str, Any]) -> bool:
    """True when this record already described ``node_id`` exactly as ``node`` does; notes the
    first description. A different one is written too (validation refuses such a record, but a
    writer does not drop what it is given)."""
    first = seen.get(node_id)
    if first is None:
        seen[node_id] = node
        return False
    return first is node or first == node


def _top_nodes(document: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    for node in nodes_of(document):
        if not isinstance(node, Mapping):
            raise WriteError(f"a collection's @graph holds objects, not {type(node).__name__}")
        yield node


_LANGTAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")


def is_language_tag(tag: Any) -> bool:
    """True for a well-formed language tag, as N-Triples, Turtle and rdflib take one."""
    return type(tag) is str and _LANGTAG.fullmatch(tag) is not None


def check_language(tag: Any) -> str:
    """``tag`` when it is a well-formed language tag (as N-Triples and Turtle define one)."""
    if is_language_tag(tag):
        return str(tag)
    raise WriteError(
        f"{tag!r} is not a language tag: write letters, then '-' and letters or digits (en, uk, sr-Latn)"
    )


def _expand(value: Any, prefixes: Mapping[str, str]) -> str:
    """An absolute IRI for a reference, class, datatype or extension key (``prefix:rest`` expanded)."""
    if type(value) is not str:
        raise WriteError(f"an IRI is a string, not {value!r}")
    prefix, sep, rest = value.partition(":")
    if sep:
        ns = prefixes.get(prefix)
        if ns is not None and not rest.startswith("//"):
            return ns + rest
        return value
    raise WriteError(f"{value!r} is not an absolute IRI; references must be absolute IRIs or _:name")


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


# ------------------------------------------------------------------------------ tuples


class TripleEmitter:
    """Turns records into triples. One emitter is one document: blank node labels are shared."""

    __slots__ = ("_anon", "_labels", "_refs", "_seen", "_table")

    def __init__(self) -> None:
        self._table = terms()
        self._labels: dict[str, str] = {}
        self._anon = 0
        self._seen: dict[str, Mapping[str, Any]] = {}
        self._refs: dict[str, tuple[str, int]] = {}

    def label(self, node_id: str) -> str:
        """Our RDF label for the record's ``_:name`` (without ``_:``)."""
        label = self._labels.get(node_id)
        if label is None:
            label = self._labels[node_id] = encode_bnode_label(node_id[2:])
        return label

    def document(self, document: Mapping[str, Any], out: list[Triple]) -> list[Triple]:
        for node in _top_nodes(document):
            # a record may embed one entity in several places (identical descriptions, as
            # standalone_records writes them): its triples are written once per record
            self._seen = {}
            self.node(node, out)
        return out

    def _iri(self, value: Any) -> str:
        return _expand(value, self._table.prefixes)

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
            if len(node) > 1 and described_before(self._seen, node_id, node):
                return obj, okind
        else:
            raise WriteError(f"@id must be a string, not {node_id!r}")
        s = "_:" + obj if okind == BNODE else obj
        table = self._table
        by_name = table.by_name
        append = out.append
        for key, value in node.items():
            if value is None:
                continue
            if type(key) is not str:
                raise WriteError(f"field names are strings, not {key!r}")
            if key[:1] == "@":
                if key == "@type":
                    classes = table.classes
                    for t in value if type(value) is list else (value,):
                        cls = classes.get(t) if type(t) is str else None
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
                    for item in text if type(text) is list else (text,):
                        if item is None:
                            continue
                        if type(item) is not str:
                            raise WriteError(f"{key} is a language map of text, not of {type(item).__name__}")
                        if lang == "@none":
                            append((s, p, item, TYPED_LITERAL, XSD_STRING))
                        else:
                            append((s, p, item, LANG_LITERAL, check_language(lang)))
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
                datatype = value.get("@type")
                expanded = _DATATYPES.get(datatype) if type(datatype) is str else None
                if expanded is not None:
                    append((s, p, value["@value"], TYPED_LITERAL, expanded))
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
                    out.append((s, p, str(literal), LANG_LITERAL, check_language(value["@language"])))
                else:
                    datatype = value.get("@type")
                    if datatype is not None:
                        expanded = _DATATYPES.get(datatype) if type(datatype) is str else None
                        datatype = expanded if expanded is not None else self._iri(datatype)
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
