"""N-Triples text straight from the record dict, and what every RDF text writer shares.

The text writers (:class:`NTriplesWriter` here, ``TurtleWriter`` and ``RdfXmlWriter`` in
``_rdf_blocks``) write finished text (the hot path of ``warphoto.dumps``). Each compiles, once
per process, a handler for every term of the context: how its values are written (language
map, reference, fixed datatype, plain) and its predicate already in the syntax's form
(``<https://schema.org/name>``, ``schema:name``, ``<schema:name`` … ``</schema:name>``).
Walking a record is then one dict lookup per key and one f-string per triple, collected in one
list and joined once. IRIs, language tags and classes are rendered once and cached; literals
are escaped only when a precompiled search finds a character that needs it. Value shapes the
records rarely use (value objects with a language, numbers in untyped fields, extension keys)
go through one shared slow path, :meth:`_TextWriter._plain`, that renders through a few
per-syntax hooks. The walk and its values are those of :mod:`warphoto.formats._triples`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any, ClassVar

import orjson

from warphoto.dates import DATATYPES as _DATATYPES
from warphoto.errors import WriteError
from warphoto.formats._terms import (
    ID,
    LANG,
    RDF,
    RDF_TYPE,
    TYPED,
    XSD_INTEGER,
    XSD_STRING,
    encode_bnode_label,
    terms,
)
from warphoto.formats._triples import (
    _expand,
    _literal,
    _top_nodes,
    check_language,
    described_before,
)

__all__ = ["NTriplesWriter", "nt_iri", "rdf_prefixes", "xml_attr", "xml_text"]


# ------------------------------------------------------------------------------ escaping

# N-Triples and Turtle: '"', '\' and line ends must be escaped; we escape every control
# character; lone surrogates are no characters at all (UTF-8 cannot carry them)
_NT_NEEDS = re.compile('[\x00-\x1f"\\\\\\ud800-\\udfff]').search
_SURROGATE = re.compile("[\\ud800-\\udfff]")
_NT_ESCAPES = {i: f"\\u{i:04X}" for i in range(0x20)}
_NT_ESCAPES.update(
    {0x5C: "\\\\", 0x22: '\\"', 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x08: "\\b", 0x0C: "\\f"}
)
# characters an IRIREF cannot hold as they are: written as \u escapes
_IRI_NEEDS = re.compile('[\x00-\x20<>"{}|^`\\\\\\ud800-\\udfff]').search
_IRI_BAD = re.compile('[\x00-\x20<>"{}|^`\\\\]')


def _no_surrogates(text: str) -> None:
    if _SURROGATE.search(text):
        raise WriteError(f"{text[:40]!r} holds a lone surrogate, which UTF-8 cannot carry")


def _nt_escape(text: str) -> str:
    _no_surrogates(text)
    return text.translate(_NT_ESCAPES)


def nt_iri(iri: str) -> str:
    """``<iri>`` for N-Triples and Turtle (characters an IRIREF cannot hold as \\u escapes)."""
    if _IRI_NEEDS(iri) is None:
        return f"<{iri}>"
    _no_surrogates(iri)
    return "<" + "".join(f"\\u{ord(c):04X}" if _IRI_BAD.match(c) else c for c in iri) + ">"


# XML 1.0 cannot carry these at all
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\\ud800-\\udfff]")
_XML_TEXT_NEEDS = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\\ud800-\\udfff]").search
_XML_ATTR_NEEDS = re.compile('[&<>"\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\\ud800-\\udfff]').search
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}
)


def _xml_escape(text: str, table: dict[int, str]) -> str:
    if _XML_BAD.search(text):
        raise WriteError(f"{text[:40]!r} holds a control character that XML 1.0 cannot carry")
    return text.translate(table)


def xml_text(text: str) -> str:
    """``text`` as XML character data."""
    return text if _XML_TEXT_NEEDS(text) is None else _xml_escape(text, _TEXT_ESCAPES)


def xml_attr(text: str) -> str:
    """``text`` as the content of a double-quoted XML attribute."""
    return text if _XML_ATTR_NEEDS(text) is None else _xml_escape(text, _ATTR_ESCAPES)


# ------------------------------------------------------------------------------ text writers

# kinds of handler, compared by identity (an ``is`` costs less than an int ``==`` whose
# branch is too long for CPython to specialise)
_LANG_MAP = "language map"
_REF = "reference"
_PLAIN = "plain"
_TYPE = "@type"
_TYPED = "typed"
_SKIP = "skip"

_CACHE_LIMIT = 50_000  # the shared caches are cleared when they grow past this (streams)


class Handler:
    """How the hot loops write one term: its kind, the predicate as the loop writes it (``hot``)
    and as the slow path takes it (``pred``); for a term with a fixed datatype, the rendered
    datatype (``piece``), whether it is xsd:integer, and its IRI."""

    __slots__ = ("datatype", "hot", "integer", "kind", "piece", "pred")

    def __init__(
        self,
        kind: str,
        hot: str = "",
        pred: Any = None,
        piece: str = "",
        integer: bool = False,
        datatype: str = "",
    ) -> None:
        self.kind = kind
        self.hot = hot
        self.pred = pred
        self.piece = piece
        self.integer = integer
        self.datatype = datatype


def _json_or_none(node: Mapping[str, Any]) -> bytes | None:
    try:
        return orjson.dumps(node)
    except TypeError:  # orjson.JSONEncodeError too: lone surrogates, odd keys or values
        return None


def _nt_clean(node: Mapping[str, Any]) -> bool:
    """True when no string in ``node`` needs escaping in N-Triples or Turtle.

    One scan in C instead of one per literal: JSON escapes exactly what N-Triples must
    (``"``, ``\\`` and U+0000 to U+001F), so orjson's text holds a backslash exactly when some
    string needs it; it refuses lone surrogates. When this is False, every literal is checked.
    """
    raw = _json_or_none(node)
    return raw is not None and b"\\" not in raw


def _xml_clean(node: Mapping[str, Any]) -> bool:
    """True when no string in ``node`` needs escaping (or refusing) in XML character data.

    As :func:`_nt_clean`, plus ``&``, ``<``, ``>`` and the lead byte of U+FFFE and U+FFFF
    (which also starts a few rare characters: those records are checked literal by literal).
    """
    raw = _json_or_none(node)
    return (
        raw is not None
        and b"\\" not in raw
        and b"&" not in raw
        and b"<" not in raw
        and b">" not in raw
        and b"\xef" not in raw
    )


@cache
def rdf_prefixes() -> dict[str, str]:
    """The prefixes the Turtle and RDF/XML writers declare: rdf, then the context's."""
    return {"rdf": RDF, **terms().prefixes}


class _Tables:
    """One syntax's compiled handlers and its caches (shared by every writer of that syntax).

    The caches map what records write to rendered text; they hold no per-document state.
    """

    __slots__ = ("datatypes", "dates", "handlers", "langs", "numbers", "preds", "refs", "types")

    def __init__(self, handlers: dict[str, Handler], dates: dict[str, str]) -> None:
        self.handlers = handlers
        #: the date datatypes a value object names (``xsd:gYearMonth``) -> rendered piece
        self.dates = dates
        #: language tag (or ``@none``) -> rendered piece
        self.langs: dict[Any, str] = {}
        #: reference as the record writes it (``_:izium``, ``schema:x``, an IRI) -> object token
        self.refs: dict[str, str] = {}
        #: @type value -> rendered piece
        self.types: dict[str, str] = {}
        #: extension key -> predicate
        self.preds: dict[str, Any] = {}
        #: datatype IRI -> rendered piece
        self.datatypes: dict[str, str] = {}
        #: float (in a field without a datatype) -> rendered literal
        self.numbers: dict[float, str] = {}


def _compile(predicate: Any, hot: Any, typed: Any, date: Any) -> _Tables:
    """Handlers for every term, ``(kind, hot form of the predicate, predicate, ...)``.

    ``predicate(iri)`` is the syntax's predicate, ``hot(p)`` its form in the hot loop,
    ``typed(p, datatype)`` the rendered datatype of a term with a fixed one and ``date(iri)``
    the rendered piece of a date datatype. A typed term's handler continues with that
    piece, whether the datatype is xsd:integer, and the datatype IRI.
    """
    table = terms()
    handlers: dict[str, Handler] = {}
    for name, term in table.by_name.items():
        p = predicate(term.iri)
        if term.kind == LANG:
            handlers[name] = Handler(_LANG_MAP, hot(p), p)
        elif term.kind == ID:
            handlers[name] = Handler(_REF, hot(p), p)
        elif term.kind == TYPED:
            assert term.datatype is not None
            datatype = term.datatype
            handlers[name] = Handler(_TYPED, hot(p), p, typed(p, datatype), datatype == XSD_INTEGER, datatype)
        else:
            handlers[name] = Handler(_PLAIN, hot(p), p)
    handlers["@type"] = Handler(_TYPE)
    handlers["@id"] = handlers["@context"] = Handler(_SKIP)
    return _Tables(handlers, {compact: date(iri) for compact, iri in _DATATYPES.items()})


class _TextWriter:
    """What the text writers share: blank node numbering, checks, and the rare value shapes.

    A writer is one document: blank nodes without an ``@id`` are numbered across every call
    of ``write``. ``_drain`` (per syntax) is the hot loop; what it does not handle inline comes
    here and is rendered through the ``_emit_*`` hooks. ``out`` is where the subject's
    statements go (the document's lines for N-Triples, the subject's block otherwise). Terms
    are N-Triples' by default (Turtle writes them the same way); RDF/XML overrides them.
    """

    __slots__ = (
        "_anon",
        "_clean",
        "_datatypes",
        "_dates",
        "_handlers",
        "_langs",
        "_numbers",
        "_preds",
        "_prefixes",
        "_refs",
        "_seen",
        "_types",
    )

    def __init__(self, tables: _Tables) -> None:
        self._prefixes = terms().prefixes
        self._anon = 0
        self._seen: dict[str, Mapping[str, Any]] = {}
        self._clean = False
        self._handlers = tables.handlers
        self._dates = tables.dates
        self._langs = tables.langs
        self._refs = tables.refs
        self._types = tables.types
        self._preds = tables.preds
        self._datatypes = tables.datatypes
        self._numbers = tables.numbers

    # -- per syntax

    #: a blank node's token is these around its number
    _ANON: ClassVar[tuple[str, str]]

    def _drain(self, todo: list[tuple[Mapping[str, Any], str]]) -> None:
        """Write each ``(node, token)`` of ``todo``, and the nodes they embed (which join it)."""
        raise NotImplementedError

    def _scan(self, node: Mapping[str, Any]) -> bool:
        """True when no string in the top-level ``node`` needs escaping."""
        return _nt_clean(node)

    def _iri_token(self, iri: str) -> str:
        return nt_iri(iri)

    def _bnode_token(self, label: str) -> str:
        return "_:" + label

    def _predicate(self, iri: str) -> Any:
        raise NotImplementedError

    def _type_piece(self, iri: str) -> str:
        raise NotImplementedError

    def _lang_piece(self, lang: str | None) -> str:
        raise NotImplementedError

    def _datatype_piece(self, iri: str) -> str:
        raise NotImplementedError

    def _emit_ref(self, s: str, p: Any, token: str, out: list[str]) -> None:
        raise NotImplementedError

    def _emit_literal(self, s: str, p: Any, lexical: str, piece: str, out: list[str]) -> None:
        """A literal: ``piece`` is the rendered language tag or datatype."""
        raise NotImplementedError

    # -- shared

    def _walk(self, document: Mapping[str, Any]) -> None:
        for node in (document,) if "@graph" not in document else _top_nodes(document):
            # a record may embed one entity in several places (identical descriptions, as
            # standalone_records writes them): its triples are written once per record
            self._seen = {}
            self._clean = self._scan(node)
            self.node(node)

    def node(self, node: Mapping[str, Any]) -> str:
        """Write ``node`` and the nodes it embeds; return its object token."""
        todo: list[tuple[Mapping[str, Any], str]] = []
        token = self._enter(node, todo)
        self._drain(todo)
        return token

    def _enter(self, node: Mapping[str, Any], todo: list[tuple[Mapping[str, Any], str]]) -> str:
        """The object token of an embedded node, which joins ``todo`` unless already written."""
        node_id = node.get("@id")
        if node_id is None:
            self._anon += 1
            token = f"{self._ANON[0]}{self._anon}{self._ANON[1]}"
            todo.append((node, token))
            return token
        if type(node_id) is not str:
            raise WriteError(f"@id must be a string, not {node_id!r}")
        token = self._refs.get(node_id) or self._ref(node_id)
        if len(node) > 1 and not described_before(self._seen, node_id, node):
            todo.append((node, token))
        return token

    def _ref(self, value: Any) -> str:
        """The object token of a reference (``_:name`` or an IRI); cached."""
        if type(value) is not str:
            raise WriteError(f"a reference is a string, not {value!r}")
        if value.startswith("_:"):
            token = self._bnode_token(encode_bnode_label(value[2:]))
        else:
            token = self._iri_token(_expand(value, self._prefixes))
        refs = self._refs
        if len(refs) >= _CACHE_LIMIT:
            refs.clear()
        refs[value] = token
        return token

    def _type(self, value: Any) -> str:
        """The rendered piece of one @type value; cached."""
        if type(value) is not str:
            raise WriteError(f"@type holds class names or IRIs, not {value!r}")
        iri = terms().classes.get(value) or _expand(value, self._prefixes)
        piece = self._type_piece(iri)
        types = self._types
        if len(types) >= _CACHE_LIMIT:
            types.clear()
        types[value] = piece
        return piece

    def _language(self, lang: Any) -> str:
        """The rendered piece of a language map's key (``@none``: text without a language)."""
        piece = self._langs.get(lang)
        if piece is None:
            piece = self._lang_piece(None if lang == "@none" else check_language(lang))
            if len(self._langs) >= _CACHE_LIMIT:
                self._langs.clear()
            self._langs[lang] = piece
        return piece

    def _datatype(self, iri: str) -> str:
        piece = self._datatypes.get(iri)
        if piece is None:
            piece = self._datatype_piece(iri)
            if len(self._datatypes) >= _CACHE_LIMIT:
                self._datatypes.clear()
            self._datatypes[iri] = piece
        return piece

    def _other(self, s: str, key: Any, value: Any, out: list[str]) -> None:
        """A key without a handler: an extension key (a compact or absolute IRI), or an error."""
        if type(key) is not str:
            raise WriteError(f"field names are strings, not {key!r}")
        if key in ("@list", "@set"):
            raise WriteError("JSON-LD lists are not part of the record form")
        if key.startswith("@"):
            raise WriteError(f"the keyword {key} is not part of the record form")
        if ":" not in key:
            raise WriteError(f"unknown field {key!r}: not a term of the warphoto context")
        p = self._preds.get(key)
        if p is None:
            p = self._predicate(_expand(key, self._prefixes))
            if len(self._preds) >= _CACHE_LIMIT:
                self._preds.clear()
            self._preds[key] = p
        self._plain(s, p, value, out)

    def _lang_map(self, s: str, p: Any, key: str, value: Any, out: list[str]) -> None:
        if not isinstance(value, Mapping):
            raise WriteError(f"{key} must be a language map, not {type(value).__name__}")
        for lang, text in value.items():
            self._lang_value(s, p, lang, text, out)

    def _lang_value(self, s: str, p: Any, lang: Any, text: Any, out: list[str]) -> None:
        """One entry of a language map (null is no value; a list is several)."""
        if text is None:
            return
        if type(text) is list:
            for item in text:
                self._lang_value(s, p, lang, item, out)
            return
        if type(text) is not str:
            raise WriteError(f"a language map holds text, not {type(text).__name__}")
        self._emit_literal(s, p, text, self._language(lang), out)

    def _typed(self, s: str, p: Any, datatype: str, value: Any, out: list[str]) -> None:
        """A value of a term with a fixed datatype, in a shape the hot loop leaves to us."""
        for item in value if type(value) is list else (value,):
            if type(item) is dict or isinstance(item, Mapping):
                self._plain(s, p, item, out)
            else:
                lexical, _kind, dt = _literal(item, datatype)
                self._emit_literal(s, p, lexical, self._datatype(dt), out)

    def _plain(self, s: str, p: Any, value: Any, out: list[str]) -> None:
        """A value without coercion: string, number, boolean, value object or node."""
        if type(value) is list:
            for item in value:
                self._plain(s, p, item, out)
            return
        if type(value) is str:
            self._emit_literal(s, p, value, self._datatype(XSD_STRING), out)
        elif type(value) is dict or isinstance(value, Mapping):
            if "@value" in value:
                literal = value["@value"]
                if literal is None:
                    return
                if "@language" in value:
                    language = self._language(check_language(value["@language"]))
                    self._emit_literal(s, p, str(literal), language, out)
                    return
                datatype = value.get("@type")
                if datatype is not None:
                    expanded = _DATATYPES.get(datatype) if type(datatype) is str else None
                    datatype = expanded if expanded is not None else _expand(datatype, self._prefixes)
                lexical, _kind, datatype = _literal(literal, datatype)
                self._emit_literal(s, p, lexical, self._datatype(datatype), out)
            elif "@list" in value or "@set" in value:
                raise WriteError("JSON-LD lists are not part of the record form")
            else:
                self._emit_ref(s, p, self.node(value), out)
        elif isinstance(value, (bool, int, float)):
            lexical, _kind, datatype = _literal(value, None)
            self._emit_literal(s, p, lexical, self._datatype(datatype), out)
        else:
            raise WriteError(f"cannot write a {type(value).__name__} value")


# ------------------------------------------------------------------------------ N-Triples


@cache
def _nt_tables() -> _Tables:
    return _compile(
        nt_iri,
        lambda p: f" {p} ",
        lambda p, datatype: f'"^^{nt_iri(datatype)} .\n',
        lambda iri: f'"^^{nt_iri(iri)} .\n',
    )


_NT_TYPE = " " + nt_iri(RDF_TYPE) + " "


class NTriplesWriter(_TextWriter):
    """N-Triples, one line per triple. :meth:`write` gives one document's (or record's) lines."""

    __slots__ = ("_out",)

    _ANON = ("_:wpb", "")

    def __init__(self) -> None:
        super().__init__(_nt_tables())
        self._out: list[str] = []

    def write(self, document: Mapping[str, Any]) -> str:
        out = self._out = []
        self._walk(document)
        return "".join(out)

    def _predicate(self, iri: str) -> str:
        return nt_iri(iri)

    def _type_piece(self, iri: str) -> str:
        return f"{_NT_TYPE}{nt_iri(iri)} .\n"

    def _lang_piece(self, lang: str | None) -> str:
        return '" .\n' if lang is None else f'"@{lang} .\n'

    def _datatype_piece(self, iri: str) -> str:
        return '" .\n' if iri == XSD_STRING else f'"^^{nt_iri(iri)} .\n'

    def _emit_ref(self, s: str, p: Any, token: str, out: list[str]) -> None:
        out.append(f"{s} {p} {token} .\n")

    def _emit_literal(self, s: str, p: Any, lexical: str, piece: str, out: list[str]) -> None:
        if _NT_NEEDS(lexical) is not None:
            lexical = _nt_escape(lexical)
        out.append(f'{s} {p} "{lexical}{piece}')

    def _number(self, value: float) -> str:
        """The rendered literal of a float in a field without a datatype; cached."""
        lexical, _kind, datatype = _literal(value, None)
        piece = f'"{lexical}{self._datatype(datatype)}'
        if len(self._numbers) >= _CACHE_LIMIT:
            self._numbers.clear()
        self._numbers[value] = piece
        return piece

    def _drain(self, todo: list[tuple[Mapping[str, Any], str]]) -> None:
        out = self._out
        append = out.append
        handlers = self._handlers
        refs = self._refs
        langs = self._langs
        types = self._types
        clean = self._clean
        for node, s in todo:  # todo grows as embedded nodes are met
            for key, value in node.items():
                if value is None:
                    continue
                try:
                    handler = handlers[key]
                except KeyError:
                    self._other(s, key, value, out)
                    continue
                kind = handler.kind
                # a KeyError from a cache (a reference, language or class not met before) is
                # raised before anything is appended: the slow path renders and caches it
                if kind is _LANG_MAP:
                    if type(value) is not dict:
                        self._lang_map(s, handler.pred, key, value, out)
                        continue
                    sp = s + handler.hot
                    for lang, text in value.items():
                        if type(text) is str and (clean or _NT_NEEDS(text) is None):
                            try:
                                append(f'{sp}"{text}{langs[lang]}')
                            except KeyError:
                                self._lang_value(s, handler.pred, lang, text, out)
                        elif type(text) is list:
                            for item in text:
                                if type(item) is str and (clean or _NT_NEEDS(item) is None):
                                    try:
                                        append(f'{sp}"{item}{langs[lang]}')
                                        continue
                                    except KeyError:
                                        pass
                                self._lang_value(s, handler.pred, lang, item, out)
                        else:
                            self._lang_value(s, handler.pred, lang, text, out)
                elif kind is _REF:
                    if type(value) is str:
                        try:
                            append(f"{s}{handler.hot}{refs[value]} .\n")
                        except KeyError:
                            append(f"{s}{handler.hot}{self._ref(value)} .\n")
                        continue
                    sp = s + handler.hot
                    for item in value if type(value) is list else (value,):
                        if type(item) is str:
                            try:
                                append(f"{sp}{refs[item]} .\n")
                            except KeyError:
                                append(f"{sp}{self._ref(item)} .\n")
                        elif type(item) is dict and "@value" not in item:
                            append(f"{sp}{self._enter(item, todo)} .\n")
                        else:
                            self._plain(s, handler.pred, item, out)
                elif kind is _PLAIN:
                    if type(value) is str and (clean or _NT_NEEDS(value) is None):
                        append(f'{s}{handler.hot}"{value}" .\n')
                    elif type(value) is dict and "@value" not in value:
                        append(f"{s}{handler.hot}{self._enter(value, todo)} .\n")
                    elif type(value) is float:
                        try:
                            append(f"{s}{handler.hot}{self._numbers[value]}")
                        except KeyError:
                            append(f"{s}{handler.hot}{self._number(value)}")
                    elif type(value) is dict and len(value) == 2:
                        lexical = value["@value"]
                        datatype = value.get("@type")
                        tail = self._dates.get(datatype) if type(datatype) is str else None
                        if (
                            tail is not None
                            and type(lexical) is str
                            and (clean or _NT_NEEDS(lexical) is None)
                        ):
                            append(f'{s}{handler.hot}"{lexical}{tail}')
                        else:
                            self._plain(s, handler.pred, value, out)
                    elif type(value) is list:
                        sp = s + handler.hot
                        for item in value:
                            if type(item) is dict and "@value" not in item:
                                append(f"{sp}{self._enter(item, todo)} .\n")
                            else:
                                self._plain(s, handler.pred, item, out)
                    else:
                        self._plain(s, handler.pred, value, out)
                elif kind is _TYPE:
                    for t in value if type(value) is list else (value,):
                        try:
                            append(s + types[t])
                        except (KeyError, TypeError):  # TypeError: not a string
                            append(s + self._type(t))
                elif kind is _TYPED:
                    if (type(value) is int and handler.integer) or (
                        type(value) is str and (clean or _NT_NEEDS(value) is None)
                    ):
                        append(f'{s}{handler.hot}"{value}{handler.piece}')
                    else:
                        self._typed(s, handler.pred, handler.datatype, value, out)
