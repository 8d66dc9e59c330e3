"""JSON-LD: compact under our context ("jsonld") and expanded ("jsonld-expanded").

The record form *is* compact JSON-LD under our context, so writing it is ``json.dumps`` and
reading it is ``json.loads`` plus a check of every ``@context``. Anything else (an inline
context, expanded JSON-LD) goes through pyld with :func:`document_loader`, which serves our
bundled context and refuses every other IRI: nothing is ever fetched.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from warphoto import _json, _resources
from warphoto.errors import ReadError, UnsafeInputError, WriteError
from warphoto.formats import Format, register
from warphoto.formats._terms import ID, LANG, RDF_TYPE, TYPED, Term, encode_bnode_label, terms
from warphoto.formats._triples import (
    BNODE,
    IRI,
    LANG_LITERAL,
    Triple,
    _literal,
    described_before,
    is_language_tag,
    nodes_of,
)

__all__ = [
    "check_contexts",
    "compact",
    "document_loader",
    "expand",
    "from_jsonld",
    "parse_json",
    "to_jsonld",
]

Document = dict[str, Any]

_ALIASES_OF_OURS = frozenset({_resources.CONTEXT_IRI})


def document_loader(url: str, options: Any = None) -> dict[str, Any]:
    """A pyld document loader that serves only warphoto's bundled context."""
    if url in _ALIASES_OF_OURS:
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": copy.deepcopy(_resources.context_document()),
        }
    raise UnsafeInputError(
        f"the JSON-LD context {url!r} is not warphoto's; warphoto never fetches contexts "
        f"(use {_resources.CONTEXT_IRI}, or read schema.org markup with format='schemaorg')"
    )


def _our_context_object() -> Any:
    return _resources.context_document()["@context"]


def _is_ours(value: Any) -> bool:
    return bool(value == _resources.CONTEXT_IRI or value == _our_context_object())


def _context_refs(value: Any) -> Iterator[str]:
    """Every IRI an @context value would load (strings, @import, nested scoped contexts)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _context_refs(item)
    elif isinstance(value, Mapping):
        if value == _our_context_object():
            return
        imported = value.get("@import")
        if imported is not None:
            yield str(imported)
        for definition in value.values():
            if isinstance(definition, Mapping) and "@context" in definition:
                yield from _context_refs(definition["@context"])


def check_contexts(document: Any, *, source: str | None = None) -> bool:
    """Refuse a document whose contexts name anything but ours; True when all contexts are ours."""
    only_ours = True
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, Mapping):
            for key, item in value.items():
                if key == "@context":
                    for ref in _context_refs(item):
                        if ref != _resources.CONTEXT_IRI:
                            hint = (
                                " (read schema.org markup with format='schemaorg')"
                                if "schema.org" in ref
                                else ""
                            )
                            raise UnsafeInputError(
                                f"the document names the JSON-LD context {ref!r}; warphoto reads only its "
                                f"own context {_resources.CONTEXT_IRI} and never fetches another{hint}",
                                source=source,
                            )
                    if not _is_ours(item):
                        only_ours = False
                    if value is not document:
                        only_ours = False
                else:
                    stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
    return only_ours


def parse_json(data: str | bytes, *, source: str | None = None) -> Any:
    """JSON text to Python, with a ReadError naming line and column on bad or hostile JSON."""
    return _json.parse_json(data, source=source)


# ------------------------------------------------------------------------------ pyld paths


def _pyld_options() -> dict[str, Any]:
    return {"documentLoader": document_loader}


def _pyld_call(function: str, *args: Any, source: str | None = None) -> Any:
    from pyld import jsonld

    try:
        return getattr(jsonld, function)(*args)
    except jsonld.JsonLdError as error:
        cause: Any = error
        while cause is not None:
            if isinstance(cause, UnsafeInputError):
                raise UnsafeInputError(cause.message, source=source) from None
            cause = getattr(cause, "cause", None) or cause.__cause__ or cause.__context__
        raise ReadError(f"not valid JSON-LD: {str(error).splitlines()[0]}", source=source) from None
    except RecursionError:
        raise ReadError("JSON-LD nested too deeply", source=source) from None


def expand(document: Any, *, source: str | None = None) -> Any:
    """Expanded JSON-LD (a list of node objects), through pyld with the safe loader."""
    check_contexts(document, source=source)
    return _pyld_call("expand", document, _pyld_options(), source=source)


def _unprefix_ids(value: Any, key: str | None = None) -> Any:
    """Undo pyld's compaction of absolute IRIs in @id positions into ``prefix:rest``."""
    table = terms()
    if isinstance(value, list):
        return [_unprefix_ids(item, key) for item in value]
    if isinstance(value, dict):
        out = {}
        for k, item in value.items():
            if k == "@id" and isinstance(item, str):
                out[k] = _expand_prefixed(item)
            elif k == "@context":
                out[k] = item
            else:
                out[k] = _unprefix_ids(item, k)
        return out
    if isinstance(value, str) and key is not None:
        term = table.by_name.get(key)
        if term is not None and term.kind == ID:
            return _expand_prefixed(value)
    return value


def _expand_prefixed(value: str) -> str:
    prefix, sep, rest = value.partition(":")
    if sep and prefix != "_" and not rest.startswith("//"):
        ns = terms().prefixes.get(prefix)
        if ns is not None:
            return ns + rest
    return value


def compact(document: Any, *, source: str | None = None) -> Document:
    """Any safe JSON-LD (expanded, or with an inline context) as a record or collection dict."""
    check_contexts(document, source=source)
    context = {"@context": copy.deepcopy(_our_context_object())}
    result = _pyld_call("compact", document, context, _pyld_options(), source=source)
    result.pop("@context", None)
    result = _unprefix_ids(result)
    if (
        "@graph" in result
        and len(result) == 1
        and isinstance(result["@graph"], list)
        and len(result["@graph"]) == 1
    ):
        result = result["@graph"][0]
    return {"@context": _resources.CONTEXT_IRI, **result}


# ------------------------------------------------------------------------------ writers


def _with_context(document: Mapping[str, Any], context: str) -> Document:
    if context not in ("reference", "embed"):
        raise WriteError(f"context must be 'reference' or 'embed', not {context!r}")
    body = {k: v for k, v in document.items() if k != "@context"}
    if "@graph" in body and isinstance(body["@graph"], list):
        body["@graph"] = [
            {k: v for k, v in node.items() if k != "@context"} if isinstance(node, Mapping) else node
            for node in body["@graph"]
        ]
    value: Any = _resources.CONTEXT_IRI if context == "reference" else _our_context_object()
    return {"@context": value, **body}


def to_jsonld(
    document: Mapping[str, Any], *, context: str = "reference", indent: int | None = 2, **_options: Any
) -> str:
    """Compact JSON-LD: our context referenced by its IRI (default) or embedded (``context="embed"``)."""
    if (
        "@context" in document
        and context == "reference"
        and (
            "@graph" not in document
            or not any(isinstance(n, Mapping) and "@context" in n for n in document["@graph"])
        )
    ):
        body: Any = document if _is_ours(document["@context"]) else _with_context(document, context)
        if body is document and document["@context"] != _resources.CONTEXT_IRI:
            body = _with_context(document, context)
    else:
        body = _with_context(document, context)
    return json_text(body, indent)


def json_text(value: Any, indent: int | None) -> str:
    """JSON text (UTF-8 characters kept), through orjson where it can, else the standard library.

    orjson writes the same text as ``json.dumps`` for records about ten times faster; integers
    beyond 64 bits and other indents go to the standard library.
    """
    if indent in (None, 2):
        try:
            raw = orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent == 2 else 0)
        except orjson.JSONEncodeError:
            pass
        else:
            return raw.decode("utf-8")
    try:
        if indent is None:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return json.dumps(value, ensure_ascii=False, indent=indent)
    except (TypeError, ValueError) as error:
        raise WriteError(f"cannot write as JSON: {error}") from None


def _expand_value(value: Any, term: Term | None, seen: dict[str, Mapping[str, Any]]) -> list[Any]:
    table = terms()
    items = value if isinstance(value, list) else [value]
    out: list[Any] = []
    for item in items:
        if item is None:
            continue
        if term is not None and term.kind == LANG:
            for lang, text in item.items():
                for t in text if isinstance(text, list) else [text]:
                    out.append({"@value": t, "@language": lang})
        elif isinstance(item, Mapping):
            if "@value" in item:
                expanded = dict(item)
                if isinstance(expanded.get("@type"), str):
                    expanded["@type"] = table.expand(expanded["@type"])
                out.append(expanded)
            else:
                out.append(_expand_node(item, seen))
        elif isinstance(item, str) and term is not None and term.kind == ID:
            out.append({"@id": item if item.startswith("_:") else table.expand(item)})
        elif term is not None and term.kind == TYPED:
            out.append({"@value": item, "@type": term.datatype})
        else:
            out.append({"@value": item})
    return out


def _expand_node(node: Mapping[str, Any], seen: dict[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One node object; an entity this record already described the same way (``seen``) is a
    reference, so that the graph is the one the RDF writers write (a second description would
    give the blank nodes inside it, such as a place's geo, a second time)."""
    table = terms()
    out: dict[str, Any] = {}
    node_id = node.get("@id")
    if isinstance(node_id, str):
        out["@id"] = node_id if node_id.startswith("_:") else table.expand(node_id)
        if len(node) > 1 and described_before(seen, node_id, node):
            return out
    types = node.get("@type")
    if types is not None:
        out["@type"] = [table.expand(t) for t in (types if isinstance(types, list) else [types])]
    for key, value in node.items():
        if key.startswith("@"):
            continue
        term = table.by_name.get(key)
        if term is None and ":" not in key:
            raise WriteError(f"unknown field {key!r}: not a term of the warphoto context")
        iri = term.iri if term is not None else table.expand(key)
        values = _expand_value(value, term, seen)
        if values:
            out.setdefault(iri, []).extend(values)
    return out


def to_expanded(document: Mapping[str, Any], *, indent: int | None = 2, **_options: Any) -> str:
    """Expanded JSON-LD (no context; full IRIs; language tags as written), one node object per record."""
    expanded = [_expand_node(node, {}) for node in nodes_of(document)]
    return json.dumps(expanded, ensure_ascii=False, indent=indent)


def _expanded_triples(value: Any, source: str | None) -> list[Triple]:
    """Triples of an expanded JSON-LD document (node objects with full IRIs)."""
    out: list[Triple] = []
    anon = [0]

    def subject(node: Mapping[str, Any]) -> tuple[str, int]:
        node_id = node.get("@id")
        if node_id is None:
            anon[0] += 1
            return f"wpb{anon[0]}", BNODE
        if not isinstance(node_id, str):
            raise ReadError(f"@id must be a string, not {node_id!r}", source=source)
        if node_id.startswith("_:"):
            return encode_bnode_label(node_id[2:]), BNODE
        return node_id, IRI

    seen: dict[str, Mapping[str, Any]] = {}

    def walk(node: Any) -> tuple[str, int]:
        if not isinstance(node, Mapping):
            raise ReadError(f"expected a node object, found {type(node).__name__}", source=source)
        obj, kind = subject(node)
        node_id = node.get("@id")
        # a record may embed one entity in several places (as standalone_records writes them):
        # the same description again is read once per record, as the writers write it once
        # (read twice, the blank nodes inside it, a place's geo, would become two); a
        # different one is read too, and merges as JSON-LD merges it
        if node_id is not None and len(node) > 1 and described_before(seen, node_id, node):
            return obj, kind
        s = "_:" + obj if kind == BNODE else obj
        for key, values in node.items():
            if key == "@type":
                for t in values if isinstance(values, list) else [values]:
                    out.append((s, RDF_TYPE, str(t), IRI, None))
                continue
            if key.startswith("@"):
                if key in ("@id", "@index"):
                    continue
                raise ReadError(f"{key} is not supported in expanded JSON-LD input", source=source)
            for item in values if isinstance(values, list) else [values]:
                if isinstance(item, Mapping) and "@value" in item:
                    literal = item["@value"]
                    if "@language" in item:
                        language = item["@language"]
                        if not is_language_tag(language):  # rdflib raises ValueError for any other
                            raise ReadError(
                                f"@language must be a language tag such as 'en' or 'uk', not {language!r}",
                                source=source,
                            )
                        out.append((s, key, str(literal), LANG_LITERAL, language))
                    else:
                        datatype = item.get("@type")
                        lexical, kind_, dt = _literal(literal, str(datatype) if datatype else None)
                        out.append((s, key, lexical, kind_, dt))
                elif isinstance(item, Mapping) and ("@list" in item or "@set" in item):
                    raise ReadError("JSON-LD lists are not part of the record form", source=source)
                else:
                    o, k = walk(item)
                    out.append((s, key, o, k, None))
        return obj, kind

    nodes = value.get("@graph", [value]) if isinstance(value, Mapping) else value
    for node in nodes if isinstance(nodes, list) else [nodes]:
        seen.clear()
        walk(node)
    return out


# ------------------------------------------------------------------------------ readers


def from_jsonld(value: Any, *, source: str | None = None) -> Document:
    """A record or collection dict from parsed JSON-LD (compact under our context, or anything safe)."""
    if isinstance(value, list):
        return compact(value, source=source)
    if not isinstance(value, dict):
        raise ReadError(
            f"a JSON-LD document is an object or an array, not {type(value).__name__}", source=source
        )
    if "@context" not in value:
        # no context: the record form without its @context line, or expanded JSON-LD
        if any(":" in k and not k.startswith("@") and "//" in k for k in value):
            return compact(value, source=source)
        return value
    if check_contexts(value, source=source):
        if value["@context"] != _resources.CONTEXT_IRI:
            value = {
                "@context": _resources.CONTEXT_IRI,
                **{k: v for k, v in value.items() if k != "@context"},
            }
        document: Document = value
        return document
    return compact(value, source=source)


def loads_jsonld(data: str | bytes, *, source: str | None = None, **_options: Any) -> Document:
    return from_jsonld(parse_json(data, source=source), source=source)


def loads_expanded(
    data: str | bytes,
    *,
    source: str | None = None,
    as_collection: bool | None = None,
    embed: str = "first",
    **_options: Any,
) -> Document:
    """Expanded JSON-LD to a record (read as RDF and framed, so language tags keep their case).

    ``as_collection`` and ``embed`` are :func:`warphoto.formats.rdf.graph_to_document`'s.
    """
    from rdflib import Graph

    from warphoto.formats._rdf_graph import _literals_as_written, _rdflib_triples, graph_to_document

    value = parse_json(data, source=source)
    if isinstance(value, dict) and "@context" in value:
        return from_jsonld(value, source=source)
    graph = Graph()
    with _literals_as_written():
        for triple in _rdflib_triples(_expanded_triples(value, source)):
            graph.add(triple)
    return graph_to_document(graph, as_collection=as_collection, embed=embed)


#: the reader options of every format read as RDF and framed into records
FRAMING_OPTIONS = {
    "embed": "'first' (default) embeds a node used twice where it is first used; "
    "'everywhere' embeds it at every use, as standalone_records does",
    "as_collection": "force a collection (true) or one record (false)",
}

register(
    Format(
        name="jsonld",
        title="JSON-LD (compact, warphoto context)",
        extensions=(".jsonld", ".json"),
        media_type="application/ld+json",
        dumps=to_jsonld,
        loads=loads_jsonld,
        aliases=("json-ld", "json"),
        notes="the record form itself; options: context='reference'|'embed', indent=2|None",
        options={
            "context": "'reference' (the context IRI, default) or 'embed' (the context object inline)",
            "indent": "spaces of indentation (default 2); None writes one line",
        },
    )
)
register(
    Format(
        name="jsonld-expanded",
        title="JSON-LD (expanded)",
        extensions=(".expanded.jsonld",),
        media_type="application/ld+json",
        dumps=to_expanded,
        loads=loads_expanded,
        aliases=("expanded",),
        notes="no context, full IRIs; written from the context's term table, read as RDF and framed",
        options={"indent": "spaces of indentation (default 2); None writes one line"},
        read_options=FRAMING_OPTIONS,
    )
)
