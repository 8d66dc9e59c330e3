"""JSON-LD values <-> XMP values, by the IRI of each key: XMP is RDF, and so is a record.

What IPTC has no property for is written under the namespace of its own IRI (schema.org,
PROV-O, warphoto's terms, or the IRI of an extension key), as XMP text, arrays, language
alternatives and structures; a property read from a packet that the crosswalk does not map comes
back as the record key of its IRI. The rules, both ways:

=========================================  ==============================================
JSON-LD                                    XMP
=========================================  ==============================================
string                                     text
a language map (``@container: @language``)  ``rdf:Alt`` (``x-default`` first in the standard
                                           XMP namespaces, where other tools look for it)
a language map of lists                    ``rdf:Bag`` of items with ``xml:lang``
array                                      ``rdf:Bag``
``{"@list": [...]}``                       ``rdf:Seq``
``{"@value": v, "@language": l}``          text with ``xml:lang`` (a list of them with an
                                           ``x-default`` one is an ``rdf:Alt``)
``{"@value": v, "@type": t}``              text with ``rdf:datatype``
integer, float, boolean                    text with ``rdf:datatype`` (xsd:integer, xsd:double,
                                           xsd:boolean) unless the term's ``@type`` says it
``{"@id": iri}`` (no other key)            ``rdf:resource``
a node                                     a structure; ``@id`` and ``@type`` are its members
                                           ``warphoto:id`` and ``warphoto:type``
the same node again (same ``@id``, same        a structure holding only ``warphoto:nodeRef``: the
description) in one packet                 ``@id`` of the node described in full elsewhere in
                                           the packet (see :func:`resolve_node_refs`)
=========================================  ==============================================
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from warphoto import _resources
from warphoto._crosswalk import load_table
from warphoto.errors import ReadError, WriteError
from warphoto.formats._xmp_values import Alt, Bag, Lang, Qualified, Ref, Seq, Struct, Typed

__all__ = [
    "Term",
    "clark_of_key",
    "from_xmp",
    "key_of_clark",
    "namespaces",
    "plain",
    "prefix_of",
    "resolve_node_refs",
    "term_of_clark",
    "terms",
    "to_xmp",
]

WARPHOTO_XMP_NS = "https://w3id.org/warphoto/xmp/1.0/"
NODE_ID = "{" + WARPHOTO_XMP_NS + "}id"
NODE_TYPE = "{" + WARPHOTO_XMP_NS + "}type"
#: a structure that stands for a node described in full elsewhere in the packet
NODE_REF = "{" + WARPHOTO_XMP_NS + "}nodeRef"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = XSD + "integer"
XSD_DOUBLE = XSD + "double"
XSD_BOOLEAN = XSD + "boolean"
RDF_VALUE = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}value"

#: an XML name without a colon, the local part of an XMP property
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._\-]*\Z")
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9._\-]*\Z")
_INTEGER = re.compile(r"[+-]?\d+\Z")


@dataclass(frozen=True)
class Term:
    """A term of warphoto's context, as far as XMP needs it."""

    name: str
    iri: str
    clark: str
    language: bool  #: ``@container`` holds ``@language``: a language map
    set: bool  #: ``@container`` holds ``@set``
    datatype: str | None  #: ``@type``: an expanded datatype IRI, or ``@id``


@cache
def prefixes() -> dict[str, str]:
    """The prefixes of warphoto's context: name -> namespace IRI."""
    out = {}
    for name, definition in _resources.context_document()["@context"].items():
        if isinstance(definition, str) and not name.startswith("@") and definition[-1:] in ("/", "#"):
            out[name] = definition
    return out


def expand(key: str) -> str:
    """The IRI of a compact IRI (``prefix:local`` with a prefix of our context) or an absolute one."""
    prefix, colon, local = key.partition(":")
    if colon and not local.startswith("//"):
        namespace = prefixes().get(prefix)
        if namespace is not None:
            return namespace + local
    return key


def compact(iri: str) -> str:
    """``prefix:local`` for an IRI in one of our context's namespaces; otherwise the IRI itself."""
    return _compacts().get(iri) or _compact(iri)


@cache
def _compacts() -> dict[str, str]:
    return {}


def _compact(iri: str) -> str:
    best = ""
    for name, namespace in prefixes().items():
        if iri.startswith(namespace) and len(namespace) > len(best) and _LOCAL.match(iri[len(namespace) :]):
            best = namespace
            found = name + ":" + iri[len(namespace) :]
    out = found if best else iri
    if len(_compacts()) < 4096:
        _compacts()[iri] = out
    return out


@cache
def terms() -> dict[str, Term]:
    """Every property term of the context, by name."""
    out = {}
    for name, definition in _resources.context_document()["@context"].items():
        if name.startswith("@") or name in prefixes():
            continue
        if isinstance(definition, str):
            definition = {"@id": definition}
        iri = expand(definition["@id"])
        if name[:1].isupper():  # a class name, not a property
            continue
        container = definition.get("@container", [])
        containers = container if isinstance(container, list) else [container]
        datatype = definition.get("@type")
        out[name] = Term(
            name=name,
            iri=iri,
            clark=_clark_of_iri(iri, name),
            language="@language" in containers,
            set="@set" in containers,
            datatype=None if datatype is None else datatype if datatype == "@id" else expand(datatype),
        )
    return out


@cache
def _terms_by_clark() -> dict[str, Term]:
    return {term.clark: term for term in terms().values()}


def term_of_clark(clark: str) -> Term | None:
    """The context term whose IRI is that of the XMP property ``clark``, if there is one."""
    return _terms_by_clark().get(clark)


def _clark_of_iri(iri: str, key: str) -> str:
    for cut in range(len(iri) - 1, 0, -1):
        if iri[cut] in "/#:" and _NCNAME.match(iri, cut + 1):
            return "{" + iri[: cut + 1] + "}" + iri[cut + 1 :]
    raise WriteError(
        f"the key {key!r} (IRI {iri!r}) cannot name an XMP property: its IRI does not end in "
        "an XML name (letters, digits, '_', '-', '.'); use an IRI that does"
    )


_CLARKS: dict[str, str] = {}


def clark_of_key(key: str) -> str:
    """The XMP property (Clark name) of a record key: a term, a compact IRI or an absolute IRI."""
    clark = _CLARKS.get(key)
    if clark is None:
        term = terms().get(key)
        clark = term.clark if term is not None else _clark_of_iri(expand(key), key)
        if len(_CLARKS) < 4096:
            _CLARKS[key] = clark
    return clark


def key_of_clark(clark: str) -> str:
    """The record key of an XMP property: its term, or its IRI (compacted with our prefixes)."""
    term = term_of_clark(clark)
    if term is not None:
        return term.name
    namespace, _, local = clark[1:].partition("}")
    return compact(namespace + local)


# ------------------------------------------------------------------------------------------ prefixes


@cache
def _known_prefixes() -> dict[str, str]:
    """namespace -> prefix: the XMP namespaces other tools use (their usual prefixes), then ours."""
    out: dict[str, str] = {}
    for prefix, namespace in namespaces().items():
        out.setdefault(namespace, prefix)
    for row in load_table("xmp-prefixes.csv"):
        out.setdefault(row["namespace"], row["prefix"])
    for name, namespace in prefixes().items():
        out.setdefault(namespace, name)
    return out


_DERIVED: dict[str, str] = {}
_SEGMENT = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def prefix_of(namespace: str) -> str:
    """An XML prefix for a namespace: the one other tools use for it, else one made from the IRI."""
    prefix = _known_prefixes().get(namespace) or _DERIVED.get(namespace)
    if prefix is None:
        words = [w for w in _SEGMENT.findall(namespace) if w not in ("http", "https", "www", "ns", "xmp")]
        base = (words[-1] if words else "ns")[:24]
        taken = set(_known_prefixes().values()) | set(_DERIVED.values())
        prefix = (
            base
            if base not in taken and base.lower() not in ("xml", "xmlns")
            else (f"{base}{zlib.crc32(namespace.encode()) & 0xFFFF:04x}")
        )
        if len(_DERIVED) < 4096:
            _DERIVED[namespace] = prefix
    return prefix


# ------------------------------------------------------------------------------------------ writing


def _iptc_properties(column: str, value: str) -> frozenset[str]:
    """The IPTC properties (Clark names) whose ``column`` in vocab/crosswalk/iptc.csv is ``value``."""
    out = set()
    for row in load_table("iptc.csv"):
        if row[column] == value:
            prefix, _, local = row["xmp"].partition(":")
            out.add("{" + namespaces()[prefix] + "}" + local)
    return frozenset(out)


@cache
def seq_properties() -> frozenset[str]:
    """The IPTC properties whose XMP array is an rdf:Seq."""
    return _iptc_properties("array", "Seq")


@cache
def real_properties() -> frozenset[str]:
    """The IPTC properties whose value is a Real (a number written as plain text)."""
    return _iptc_properties("value", "Real")


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")


def _real(text: str) -> int | float | None:
    """A Real's text as a number: an int when written without a point or exponent."""
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    if _INTEGER.match(text):
        return int(text)
    return float(text)


@cache
def namespaces() -> dict[str, str]:
    """prefix -> namespace URI of every namespace an XMP packet of warphoto declares."""
    return {row["prefix"]: row["namespace"] for row in load_table("xmp-namespaces.csv")}


def to_xmp(
    value: Any, term: Term | None, key: str, clark: str | None = None, seen: dict[str, Any] | None = None
) -> Any:
    """The XMP value of a record value under ``key`` (whose term is ``term``, if it has one, and
    whose XMP property is ``clark``).

    ``seen`` (the nodes already written in full into one packet, by ``@id``) turns a node met
    again with the same description into a ``warphoto:nodeRef`` structure."""
    if term is not None and term.language and isinstance(value, dict) and not _is_keyword_dict(value):
        return _language_map(value, term, key, clark is None or _in_standard_namespace(clark))
    if isinstance(value, list):
        if clark is None and term is not None:
            clark = term.clark
        if all(type(item) is str for item in value):  # the common case: a list of texts
            return (Seq if clark in seq_properties() else Bag)(value)
        items = [to_xmp(item, term, key, None, seen) for item in value]
        if items and all(type(i) is Lang for i in items) and any(i.lang == "x-default" for i in items):
            return _alt_of(items)
        if clark in seq_properties():
            return Seq(i for i in items if i is not None)
        return Bag(i for i in items if i is not None)
    if isinstance(value, dict):
        if "@list" in value:
            return Seq(to_xmp(item, term, key, None, seen) for item in value["@list"])
        if "@value" in value:
            return _literal(value, key)
        if term is None and len(value) == 1 and "@id" in value:
            return Ref(str(value["@id"]))
        return _struct(value, key, seen)
    real = clark is not None and clark in real_properties()
    if real and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _scalar_text(value, key)
    return _scalar(value, term, key)


@cache
def standard_namespaces() -> frozenset[str]:
    """The namespaces of XMP and IPTC (every one the packet declares but warphoto's own)."""
    return frozenset(uri for uri in namespaces().values() if uri != WARPHOTO_XMP_NS)


def _in_standard_namespace(clark: str) -> bool:
    return clark[1 : clark.find("}")] in standard_namespaces()


def _is_keyword_dict(value: dict[str, Any]) -> bool:
    return any(k[:1] == "@" for k in value)


def _language_map(value: dict[str, Any], term: Term, key: str, x_default: bool) -> Any:
    """A language map as XMP; ``x_default``: the first language is also the ``x-default`` one (as
    XMP asks of the standard namespaces; warphoto's own structures do without the copy)."""
    if term.set:
        bag = Bag()
        for lang, texts in value.items():
            for text in texts if isinstance(texts, list) else [texts]:
                bag.append(Lang(_text(text, key), lang))
        return bag
    alt = Alt()
    if len(value) == 1 and "und" in value:  # text in no stated language
        alt["x-default"] = _text(value["und"], key)
        return alt
    for lang, text in value.items():
        if x_default and not alt:
            alt["x-default"] = _text(text, key)
        alt[lang] = _text(text, key)
    return alt


def _alt_of(items: list[Any]) -> Alt:
    alt = Alt()
    for item in sorted(items, key=lambda i: i.lang != "x-default"):
        alt.setdefault(item.lang, str(item))
    return alt


def _text(value: Any, key: str) -> str:
    if isinstance(value, str):
        return value
    raise WriteError(f"{key}: expected text, found {type(value).__name__} {value!r}")


def _literal(value: dict[str, Any], key: str) -> Any:
    text = value["@value"]
    if "@language" in value:
        return Lang(_text(text, key), str(value["@language"]))
    if "@type" in value:
        if not isinstance(text, str):
            text = _scalar_text(text, key)
        return Typed(text, expand(str(value["@type"])))
    return _scalar(text, None, key)


def _scalar_text(value: Any, key: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return value
    raise WriteError(f"{key}: XMP cannot hold {type(value).__name__} {value!r}")


def _scalar(value: Any, term: Term | None, key: str) -> Any:
    if isinstance(value, str):
        return value
    text = _scalar_text(value, key)
    if isinstance(value, bool):
        datatype = XSD_BOOLEAN
    else:
        datatype = XSD_INTEGER if isinstance(value, int) else XSD_DOUBLE
    if term is not None and term.datatype == datatype:
        return text
    return Typed(text, datatype)


def _struct(node: dict[str, Any], key: str, seen: dict[str, Any] | None = None) -> Struct:
    ident = node.get("@id")
    if seen is not None and type(ident) is str and len(node) > 1:
        first = seen.get(ident)
        if first is None:
            seen[ident] = node
        elif first is node or first == node:
            return Struct({NODE_REF: ident})
    struct = Struct()
    for member, item in node.items():
        if member[:1] == "@":
            if member == "@id":
                struct[NODE_ID] = _text(item, key + ".@id")
            elif member == "@type":
                types = item if isinstance(item, str) else Bag(_text(t, key + ".@type") for t in item)
                struct[NODE_TYPE] = types
            elif member == "@context":
                raise WriteError(f"{key}: a nested @context cannot be written as XMP")
            else:
                raise WriteError(f"{key}: the JSON-LD keyword {member} has no XMP form")
            continue
        clark, term, standard = _KEYS.get(member) or _key(member)
        if type(item) is str:  # text is text under any term
            struct[clark] = item
        elif term is not None and term.language and type(item) is dict and not _is_keyword_dict(item):
            struct[clark] = _language_map(item, term, f"{key}.{member}", standard)
        else:
            struct[clark] = to_xmp(item, term, f"{key}.{member}", clark, seen)
    return struct


#: per record key: its XMP property, its term, and whether the property is in a standard namespace
_KEYS: dict[str, tuple[str, Term | None, bool]] = {}


def _key(key: str) -> tuple[str, Term | None, bool]:
    clark = clark_of_key(key)
    found = (clark, terms().get(key), _in_standard_namespace(clark))
    if len(_KEYS) < 4096:
        _KEYS[key] = found
    return found


# ------------------------------------------------------------------------------------------ reading


def from_xmp(value: Any, term: Term | None, language: str = "und", clark: str | None = None) -> Any:
    """The record value of an XMP value read under ``term`` (None: an extension key) as the
    XMP property ``clark``."""
    if term is not None and term.language:
        langmap = _language_map_of(value, term, language)
        if langmap is not None:
            return langmap
    kind = type(value)
    if kind is Struct:  # the kinds are exclusive: the common structure is told first
        return _node(value, language)
    if kind is str:
        if term is not None and term.datatype == XSD_INTEGER and _INTEGER.match(value.strip()):
            return int(value)
        if clark is not None and clark in real_properties():
            number = _real(value)
            if number is not None:
                return number
        return value
    if kind is Typed:
        return _typed(value, term)
    if kind is Lang:
        return {"@value": str(value), "@language": value.lang}
    if kind is Ref:
        return str(value) if term is not None and term.datatype == "@id" else {"@id": str(value)}
    if kind is Alt:
        return [{"@value": text, "@language": lang} for lang, text in value.items()]
    if kind is Seq:
        items = [from_xmp(item, term, language, clark) for item in value]
        return items if term is not None and term.set else {"@list": items}
    if kind is Bag:
        return [from_xmp(item, term, language, clark) for item in value]
    if isinstance(value, dict):
        return _node(value, language)
    return value  # pragma: no cover - the parser gives only the kinds above


def _language_map_of(value: Any, term: Term, language: str) -> dict[str, Any] | None:
    if term.set and type(value) is Bag and all(type(i) in (Lang, str) for i in value):
        out: dict[str, list[str]] = {}
        for item in value:
            lang = item.lang if type(item) is Lang else language
            out.setdefault(lang, []).append(str(item))
        return out
    if type(value) is Alt:
        out_alt = {lang: text for lang, text in value.items() if lang != "x-default"}
        default = value.get("x-default")
        if default is not None and default not in out_alt.values():
            out_alt = {language if language not in out_alt else "x-default": default, **out_alt}
        elif default is not None:
            first = next(lang for lang, text in out_alt.items() if text == default)
            out_alt = {first: out_alt[first], **{k: v for k, v in out_alt.items() if k != first}}
        return out_alt or None
    if type(value) is str and value:
        return {language: [value]} if term.set else {language: value}
    return None


def _typed(value: Typed, term: Term | None) -> Any:
    datatype = value.datatype
    text = str(value)
    if datatype == XSD_INTEGER and _INTEGER.match(text):
        return int(text)
    if datatype == XSD_BOOLEAN and text in ("true", "false"):
        return text == "true"
    if datatype == XSD_DOUBLE:
        try:
            number = float(text)
        except ValueError:
            pass
        else:
            if repr(number) == text:
                return number
    return {"@value": text, "@type": compact(datatype)}


def _node(struct: dict[str, Any], language: str) -> dict[str, Any]:
    node: dict[str, Any] = {}
    ident = struct.get(NODE_ID)
    if isinstance(ident, str):
        node["@id"] = str(ident)
    types = struct.get(NODE_TYPE)
    if type(types) is str:
        node["@type"] = types
    elif type(types) is Bag and all(isinstance(t, str) for t in types):
        node["@type"] = [str(t) for t in types]
    for member, item in struct.items():
        if (member == NODE_ID and "@id" in node) or (member == NODE_TYPE and "@type" in node):
            continue
        key, term, as_is = _MEMBERS.get(member) or _member(member)
        node[key] = item if as_is and type(item) is str else from_xmp(item, term, language, member)
    return node


#: per XMP property read as a member of a node: its record key, its term, and whether plain text
#: under it is its own record value (no language map, integer or Real to read it as)
_MEMBERS: dict[str, tuple[str, Term | None, bool]] = {}


def _member(clark: str) -> tuple[str, Term | None, bool]:
    term = term_of_clark(clark)
    as_is = (term is None or (not term.language and term.datatype != XSD_INTEGER)) and (
        clark not in real_properties()
    )
    found = (key_of_clark(clark), term, as_is)
    if len(_MEMBERS) < 4096:
        _MEMBERS[clark] = found
    return found


def resolve_node_refs(props: dict[str, Any], skip: frozenset[str] = frozenset()) -> None:
    """Replace each ``warphoto:nodeRef`` structure in ``props`` (XMP values, changed in place) by
    the structure of the node it names: the first one with that ``warphoto:id`` described in
    full in the packet (the writer builds values in the order it writes them).

    A reference to a node the packet no longer describes (another tool removed it) becomes a
    reference by ``@id`` alone; a node that would contain itself through references is a
    ReadError. Properties in ``skip`` (IPTC's, where warphoto writes no reference) are not
    searched."""
    described: dict[str, Struct] = {}
    refs: list[tuple[Any, Any, str]] = []
    inside: dict[str, set[str]] = {}  # node id -> the ids its description names by reference
    for clark, value in props.items():
        if clark not in skip:
            _scan(props, clark, value, (), described, refs, inside)
    if inside:
        _refuse_cycles(inside)
    for container, place, ident in refs:
        container[place] = described.get(ident) or Struct({NODE_ID: ident})


def _scan(
    container: Any,
    place: Any,
    value: Any,
    owners: tuple[str, ...],
    described: dict[str, Struct],
    refs: list[tuple[Any, Any, str]],
    inside: dict[str, set[str]],
) -> None:
    """Note the nodes described in ``value`` (found at ``container[place]``, inside the nodes
    ``owners``) and the references."""
    kind = type(value)
    if kind is Struct or kind is Qualified:
        ident = value.get(NODE_ID)
        if type(ident) is str:
            if described.setdefault(ident, value) is value:  # the description references name
                owners = (*owners, ident)
        else:
            ref = value.get(NODE_REF)
            if type(ref) is str and len(value) == 1:
                refs.append((container, place, ref))
                for owner in owners:
                    inside.setdefault(owner, set()).add(ref)
                return
        for member, item in value.items():
            if type(item) is not str:
                _scan(value, member, item, owners, described, refs, inside)
    elif kind is Bag or kind is Seq:
        for index, item in enumerate(value):
            if type(item) is not str:
                _scan(value, index, item, owners, described, refs, inside)


def _refuse_cycles(inside: dict[str, set[str]]) -> None:
    """ReadError when a node's description names, through references, the node itself."""
    done: set[str] = set()
    for start in inside:
        path: list[str] = []
        stack: list[tuple[str, bool]] = [(start, True)]
        on_path: set[str] = set()
        while stack:
            ident, entering = stack.pop()
            if not entering:
                on_path.discard(ident)
                path.pop()
                done.add(ident)
                continue
            if ident in on_path:
                raise ReadError(
                    f"warphoto:nodeRef {ident!r}: the node's description contains itself through "
                    f"references ({' -> '.join([*path[path.index(ident) :], ident])}); a packet may "
                    "name a node again only outside its own description"
                )
            if ident in done:
                continue
            on_path.add(ident)
            path.append(ident)
            stack.append((ident, False))
            stack.extend((named, True) for named in inside.get(ident, ()))


def plain(value: Any) -> Any:
    """The value as the IPTC readers take it: a qualified value's ``rdf:value``, and annotated
    text (a language, a datatype, ``rdf:resource``) as plain text, inside arrays and structures."""
    kind = type(value)
    if kind is str:
        return value
    if kind is Lang or kind is Typed or kind is Ref:
        return str(value)
    if kind is Qualified:
        return plain(value.get(RDF_VALUE, ""))
    if kind is Bag or kind is Seq:
        return kind(plain(v) for v in value)
    if kind is Struct:
        return Struct((k, plain(v)) for k, v in value.items())
    return value
