"""Turtle and RDF/XML text straight from the record dict: the writers that group each
subject's statements in one block (``;`` and ``,`` in Turtle, one ``rdf:Description`` in
RDF/XML). They share the compiled handlers, caches and slow paths of ``_rdf_text``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any, ClassVar

from warphoto.errors import WriteError
from warphoto.formats._rdf_text import (
    _LANG_MAP,
    _NT_NEEDS,
    _PLAIN,
    _REF,
    _TYPE,
    _TYPED,
    _XML_TEXT_NEEDS,
    _compile,
    _nt_escape,
    _Tables,
    _TextWriter,
    _xml_clean,
    nt_iri,
    rdf_prefixes,
    xml_attr,
    xml_text,
)
from warphoto.formats._terms import XSD_STRING

__all__ = ["RdfXmlWriter", "TurtleWriter", "turtle_name"]


# ------------------------------------------------------------------------------ Turtle

_PN_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_MORE = " ,\n        "  # the next object of the same predicate


def turtle_name(iri: str) -> str:
    """A prefixed name (``schema:name``) when a declared prefix fits, else ``<iri>``."""
    best: tuple[int, str] | None = None
    for prefix, ns in rdf_prefixes().items():
        if iri.startswith(ns) and (best is None or len(ns) > best[0]):
            best = (len(ns), prefix)
    if best is not None and _PN_LOCAL.fullmatch(iri[best[0] :]):
        return f"{best[1]}:{iri[best[0] :]}"
    return nt_iri(iri)


@cache
def _turtle_tables() -> _Tables:
    return _compile(
        turtle_name,
        lambda p: f" ;\n    {p} ",
        lambda p, datatype: f'"^^{turtle_name(datatype)}',
        lambda iri: f'"^^{turtle_name(iri)}',
    )


class _BlockWriter(_TextWriter):
    """A writer that collects each subject's statements in a block (Turtle, RDF/XML)."""

    __slots__ = ("_blocks",)

    def __init__(self, tables: _Tables) -> None:
        super().__init__(tables)
        #: subject token -> its statements, in the order subjects are met
        self._blocks: dict[str, list[str]] = {}

    def _drain(self, todo: list[tuple[Mapping[str, Any], str]]) -> None:
        for node, s in todo:  # todo grows as embedded nodes are met
            out = self._blocks.get(s)
            if out is None:
                out = self._blocks[s] = []
            self._statements(node, s, out, todo)

    def _statements(
        self, node: Mapping[str, Any], s: str, out: list[str], todo: list[tuple[Mapping[str, Any], str]]
    ) -> None:
        """Append ``node``'s statements to its block ``out``; embedded nodes join ``todo``."""
        raise NotImplementedError


class TurtleWriter(_BlockWriter):
    """Turtle: each subject's statements in one block, ``;`` between predicates, ``,`` between
    objects of one predicate. :meth:`write` gives one document's blocks; :meth:`header` has
    the prefix lines."""

    _ANON = ("_:wpb", "")

    def __init__(self) -> None:
        super().__init__(_turtle_tables())

    @staticmethod
    def header() -> str:
        return "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in rdf_prefixes().items())

    def write(self, document: Mapping[str, Any]) -> str:
        blocks = self._blocks = {}
        self._walk(document)
        # every statement starts " ;\n    " (or continues the one before with " ,\n"): the
        # first of a block loses its " ;"
        return "".join(f"\n{s}{''.join(parts)[2:]} .\n" for s, parts in blocks.items() if parts)

    def _predicate(self, iri: str) -> str:
        return turtle_name(iri)

    def _type_piece(self, iri: str) -> str:
        return turtle_name(iri)

    def _lang_piece(self, lang: str | None) -> str:
        return '"' if lang is None else f'"@{lang}'

    def _datatype_piece(self, iri: str) -> str:
        return '"' if iri == XSD_STRING else f'"^^{turtle_name(iri)}'

    def _emit_ref(self, s: str, p: Any, token: str, out: list[str]) -> None:
        out.append(f" ;\n    {p} {token}")

    def _emit_literal(self, s: str, p: Any, lexical: str, piece: str, out: list[str]) -> None:
        if _NT_NEEDS(lexical) is not None:
            lexical = _nt_escape(lexical)
        out.append(f' ;\n    {p} "{lexical}{piece}')

    def _statements(
        self, node: Mapping[str, Any], s: str, out: list[str], todo: list[tuple[Mapping[str, Any], str]]
    ) -> None:
        append = out.append
        handlers = self._handlers
        refs = self._refs
        langs = self._langs
        clean = self._clean
        # sp opens a statement; once it has an object, the next objects continue it (_MORE).
        # The slow paths write whole statements, so the text stays valid whatever they add.
        for key, value in node.items():
            if value is None:
                continue
            handler = handlers.get(key)
            if handler is None:
                self._other(s, key, value, out)
                continue
            kind = handler.kind
            if kind is _LANG_MAP:
                if type(value) is not dict:
                    self._lang_map(s, handler.pred, key, value, out)
                    continue
                sp = handler.hot
                for lang, text in value.items():
                    # rendered (and checked) here when not cached: the text must not depend on
                    # what earlier records left in the cache
                    tail = langs.get(lang) or self._language(lang)
                    if type(text) is str and (clean or _NT_NEEDS(text) is None):
                        append(f'{sp}"{text}{tail}')
                        sp = _MORE
                    elif type(text) is list:
                        for item in text:
                            if type(item) is str and (clean or _NT_NEEDS(item) is None):
                                append(f'{sp}"{item}{tail}')
                                sp = _MORE
                            else:
                                self._lang_value(s, handler.pred, lang, item, out)
                    else:
                        self._lang_value(s, handler.pred, lang, text, out)
            elif kind is _REF:
                sp = handler.hot
                for item in value if type(value) is list else (value,):
                    if type(item) is str:
                        o = refs.get(item)
                        append(sp + (o if o is not None else self._ref(item)))
                        sp = _MORE
                    elif type(item) is dict and "@value" not in item:
                        append(sp + self._enter(item, todo))
                        sp = _MORE
                    else:
                        self._plain(s, handler.pred, item, out)
            elif kind is _PLAIN:
                if type(value) is str and (clean or _NT_NEEDS(value) is None):
                    append(f'{handler.hot}"{value}"')
                elif type(value) is dict and "@value" not in value:
                    append(handler.hot + self._enter(value, todo))
                elif type(value) is dict and len(value) == 2:
                    lexical = value["@value"]
                    datatype = value.get("@type")
                    date_tail = self._dates.get(datatype) if type(datatype) is str else None
                    if (
                        date_tail is not None
                        and type(lexical) is str
                        and (clean or _NT_NEEDS(lexical) is None)
                    ):
                        append(f'{handler.hot}"{lexical}{date_tail}')
                    else:
                        self._plain(s, handler.pred, value, out)
                else:
                    self._plain(s, handler.pred, value, out)
            elif kind is _TYPE:
                types = self._types
                sp = " ;\n    a "
                for t in value if type(value) is list else (value,):
                    piece = types.get(t) if type(t) is str else None
                    append(sp + (piece if piece is not None else self._type(t)))
                    sp = _MORE
            elif kind is _TYPED:
                if (type(value) is int and handler.integer) or (
                    type(value) is str and (clean or _NT_NEEDS(value) is None)
                ):
                    append(f'{handler.hot}"{value}{handler.piece}')
                else:
                    self._typed(s, handler.pred, handler.datatype, value, out)


# ------------------------------------------------------------------------------ RDF/XML

_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def _xml_predicate(iri: str) -> tuple[str, str]:
    """The opening (``    <schema:name``, with a namespace declaration when no prefix fits)
    and closing (``</schema:name>`` and a newline) of a property element."""
    best: tuple[int, str] | None = None
    for prefix, ns in rdf_prefixes().items():
        if iri.startswith(ns) and (best is None or len(ns) > best[0]):
            best = (len(ns), prefix)
    if best is not None and _NCNAME.fullmatch(iri[best[0] :]):
        qname = f"{best[1]}:{iri[best[0] :]}"
        return f"    <{qname}", f"</{qname}>\n"
    cut = max(iri.rfind("#"), iri.rfind("/"), iri.rfind(":")) + 1
    local = iri[cut:]
    if not local or not _NCNAME.fullmatch(local):
        raise WriteError(
            f"the property {iri} cannot be written in RDF/XML: its IRI does not end in an XML name"
        )
    return f'    <ns0:{local} xmlns:ns0="{xml_attr(iri[:cut])}"', f"</ns0:{local}>\n"


def _xml_datatype(iri: str) -> str:
    return ">" if iri == XSD_STRING else f' rdf:datatype="{xml_attr(iri)}">'


@cache
def _rdfxml_tables() -> _Tables:
    return _compile(
        _xml_predicate,
        lambda p: p[0],
        lambda p, datatype: _xml_datatype(datatype),
        _xml_datatype,
    )


class RdfXmlWriter(_BlockWriter):
    """RDF/XML: one ``rdf:Description`` per subject. :meth:`write` gives one document's
    descriptions; :meth:`header` and :data:`FOOTER` open and close the file."""

    FOOTER: ClassVar[str] = "</rdf:RDF>\n"
    _ANON = (' rdf:nodeID="wpb', '"')

    def __init__(self) -> None:
        super().__init__(_rdfxml_tables())

    @staticmethod
    def header() -> str:
        decls = "".join(f'\n    xmlns:{prefix}="{ns}"' for prefix, ns in rdf_prefixes().items())
        return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{decls}>\n'

    def write(self, document: Mapping[str, Any]) -> str:
        blocks = self._blocks = {}
        self._walk(document)
        out: list[str] = []
        for token, parts in blocks.items():
            if parts:
                # the subject's token is its object form: rdf:resource="..." or rdf:nodeID="..."
                about = " rdf:about" + token[13:] if token.startswith(" rdf:resource=") else token
                out.append(f"  <rdf:Description{about}>\n")
                out.extend(parts)
                out.append("  </rdf:Description>\n")
        return "".join(out)

    def _scan(self, node: Mapping[str, Any]) -> bool:
        return _xml_clean(node)

    def _iri_token(self, iri: str) -> str:
        return f' rdf:resource="{xml_attr(iri)}"'

    def _bnode_token(self, label: str) -> str:
        return f' rdf:nodeID="{label}"'

    def _predicate(self, iri: str) -> tuple[str, str]:
        return _xml_predicate(iri)

    def _type_piece(self, iri: str) -> str:
        return f'    <rdf:type rdf:resource="{xml_attr(iri)}"/>\n'

    def _lang_piece(self, lang: str | None) -> str:
        return ">" if lang is None else f' xml:lang="{lang}">'

    def _datatype_piece(self, iri: str) -> str:
        return _xml_datatype(iri)

    def _emit_ref(self, s: str, p: Any, token: str, out: list[str]) -> None:
        out.append(f"{p[0]}{token}/>\n")

    def _emit_literal(self, s: str, p: Any, lexical: str, piece: str, out: list[str]) -> None:
        out.append(f"{p[0]}{piece}{xml_text(lexical)}{p[1]}")

    def _statements(
        self, node: Mapping[str, Any], s: str, out: list[str], todo: list[tuple[Mapping[str, Any], str]]
    ) -> None:
        append = out.append
        handlers = self._handlers
        refs = self._refs
        langs = self._langs
        clean = self._clean
        for key, value in node.items():
            if value is None:
                continue
            handler = handlers.get(key)
            if handler is None:
                self._other(s, key, value, out)
                continue
            kind = handler.kind
            if kind is _LANG_MAP:
                if type(value) is not dict:
                    self._lang_map(s, handler.pred, key, value, out)
                    continue
                start = handler.hot
                end = handler.pred[1]
                for lang, text in value.items():
                    head = langs.get(lang)
                    if head is not None and type(text) is str and (clean or _XML_TEXT_NEEDS(text) is None):
                        append(f"{start}{head}{text}{end}")
                    elif head is not None and type(text) is list:
                        for item in text:
                            if type(item) is str and (clean or _XML_TEXT_NEEDS(item) is None):
                                append(f"{start}{head}{item}{end}")
                            else:
                                self._lang_value(s, handler.pred, lang, item, out)
                    else:
                        self._lang_value(s, handler.pred, lang, text, out)
            elif kind is _REF:
                start = handler.hot
                for item in value if type(value) is list else (value,):
                    if type(item) is str:
                        o = refs.get(item)
                        append(f"{start}{o if o is not None else self._ref(item)}/>\n")
                    elif type(item) is dict and "@value" not in item:
                        append(f"{start}{self._enter(item, todo)}/>\n")
                    else:
                        self._plain(s, handler.pred, item, out)
            elif kind is _PLAIN:
                if type(value) is str and (clean or _XML_TEXT_NEEDS(value) is None):
                    append(f"{handler.hot}>{value}{handler.pred[1]}")
                elif type(value) is dict and "@value" not in value:
                    append(f"{handler.hot}{self._enter(value, todo)}/>\n")
                elif type(value) is dict and len(value) == 2:
                    lexical = value["@value"]
                    datatype = value.get("@type")
                    head = self._dates.get(datatype) if type(datatype) is str else None
                    if (
                        head is not None
                        and type(lexical) is str
                        and (clean or _XML_TEXT_NEEDS(lexical) is None)
                    ):
                        append(f"{handler.hot}{head}{lexical}{handler.pred[1]}")
                    else:
                        self._plain(s, handler.pred, value, out)
                else:
                    self._plain(s, handler.pred, value, out)
            elif kind is _TYPE:
                types = self._types
                for t in value if type(value) is list else (value,):
                    piece = types.get(t) if type(t) is str else None
                    append(piece if piece is not None else self._type(t))
            elif kind is _TYPED:
                if (type(value) is int and handler.integer) or (
                    type(value) is str and (clean or _XML_TEXT_NEEDS(value) is None)
                ):
                    append(f"{handler.hot}{handler.piece}{value}{handler.pred[1]}")
                else:
                    self._typed(s, handler.pred, handler.datatype, value, out)
