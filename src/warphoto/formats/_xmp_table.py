"""The XMP crosswalk table, namespaces and the small helpers the XMP writer and reader share."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from warphoto import _resources
from warphoto._crosswalk import load_table
from warphoto.formats import _xmp_ld
from warphoto.formats._xmp_ld import WARPHOTO_XMP_NS as WARPHOTO_XMP_NS
from warphoto.formats._xmp_ld import namespaces as namespaces
from warphoto.formats._xmp_values import Alt

#: the language given to text that other tools write without one (only ``x-default``)
DEFAULT_LANGUAGE = "und"
#: packets larger than this are refused unless the caller raises ``max_bytes``
MAX_PACKET_BYTES = 16 * 1024 * 1024

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML = "http://www.w3.org/XML/1998/namespace"
_R = "{" + RDF + "}"
_XML_LANG = "{" + XML + "}lang"
_RDF_RESOURCE = _R + "resource"
_RDF_PARSETYPE = _R + "parseType"
_RDF_VALUE = _R + "value"
_BAG, _SEQ, _ALT, _LI, _DESCRIPTION = _R + "Bag", _R + "Seq", _R + "Alt", _R + "li", _R + "Description"

_EXT = "{http://iptc.org/std/Iptc4xmpExt/2008-02-29/}"
_PLUS = "{http://ns.useplus.org/ldf/xmp/1.0/}"
_EXIF = "{http://ns.adobe.com/exif/1.0/}"
_XMP = "{http://ns.adobe.com/xap/1.0/}"
_XMPMM = "{http://ns.adobe.com/xap/1.0/mm/}"
_XMPNOTE = "{http://ns.adobe.com/xmp/note/}"
_WP = "{" + WARPHOTO_XMP_NS + "}"
_LOSSLESS = _WP + "lossless"
HAS_EXTENDED_XMP = _XMPNOTE + "HasExtendedXMP"
#: the packet's rdf:about: the IRI of what it describes (kept as the record's @id)
_ABOUT = _R + "about"
_ABOUT_KEY = RDF + "about"

PHOTOGRAPH_TYPE = ["ImageObject", "Photograph"]


# --------------------------------------------------------------------------------------------
# XMP values in memory: warphoto.formats._xmp_values


# --------------------------------------------------------------------------------------------
# the crosswalk table


@dataclass(frozen=True)
class Row:
    field: str
    prop: str
    namespace: str
    local: str
    clark: str
    iptc_id: str
    exiftool: str
    shape: str
    kind: str
    kind_arg: str
    direction: str
    lossless: str
    notes: str


#: the context's namespaces whose properties warphoto's own structures use: declared in every
#: packet too (beside those of xmp-namespaces.csv), so that writing a name in them costs a lookup
_CONTEXT_PREFIXES = ("schema", "dcterms", "prov", "skos", "foaf", "wp")


@cache
def declared_namespaces() -> dict[str, str]:
    """prefix -> namespace URI of every namespace a warphoto packet declares in its head."""
    out = dict(namespaces())
    taken = set(out.values())
    for prefix in _CONTEXT_PREFIXES:
        uri = _xmp_ld.prefixes()[prefix]
        if uri not in taken and prefix not in out:
            out[prefix] = uri
    return out


@cache
def _prefix_of() -> dict[str, str]:
    return {uri: prefix for prefix, uri in declared_namespaces().items()}


@cache
def _row_clarks() -> frozenset[str]:
    """The properties of the crosswalk rows (IPTC's and the others warphoto maps)."""
    return frozenset(row.clark for row in crosswalk_rows())


@cache
def crosswalk_rows() -> tuple[Row, ...]:
    """The rows of ``vocab/crosswalk/xmp.csv``, checked against the namespace table."""
    rows = []
    known = namespaces()
    for raw in load_table("xmp.csv"):
        prefix, _, local = raw["property"].partition(":")
        if known.get(prefix) != raw["namespace"]:
            raise RuntimeError(
                f"xmp.csv: {raw['property']} has namespace {raw['namespace']}, expected {known.get(prefix)}"
            )
        kind, _, kind_arg = raw["kind"].partition(":")
        rows.append(
            Row(
                field=raw["field"],
                prop=raw["property"],
                namespace=raw["namespace"],
                local=local,
                clark="{" + raw["namespace"] + "}" + local,
                iptc_id=raw["iptc_id"],
                exiftool=raw["exiftool"],
                shape=raw["shape"],
                kind=kind,
                kind_arg=kind_arg,
                direction=raw["direction"],
                lossless=raw["lossless"],
                notes=raw["notes"],
            )
        )
    return tuple(rows)


@cache
def _fields_in_order() -> tuple[tuple[str, tuple[Row, ...]], ...]:
    groups: dict[str, list[Row]] = {}
    for row in crosswalk_rows():
        groups.setdefault(row.field, []).append(row)
    return tuple((name, tuple(rows)) for name, rows in groups.items())


@cache
def _field_of_clark() -> dict[str, str]:
    out: dict[str, str] = {}
    for row in crosswalk_rows():
        if row.clark != _LOSSLESS:
            out.setdefault(row.clark, row.field)
    return out


@cache
def _mapped_fields() -> frozenset[str]:
    return frozenset(row.field for row in crosswalk_rows())


@cache
def _valid_country_codes() -> frozenset[str]:
    return frozenset(_resources.schema("common")["$defs"]["countryCode"]["enum"])


# --------------------------------------------------------------------------------------------
# small helpers

_DIGITAL_SOURCE_TYPE = re.compile(r"^https?://cv\.iptc\.org/newscodes/digitalsourcetype/[A-Za-z]+$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
_BAD_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _is_iri(text: Any) -> bool:
    return isinstance(text, str) and not text.startswith("_:") and _IRI.match(text) is not None


def _first(langmap: Any) -> str | None:
    if isinstance(langmap, dict):
        for value in langmap.values():
            if isinstance(value, str):
                return value
            if isinstance(value, list) and value:
                return str(value[0])
    return None


def _alt(langmap: Mapping[str, str]) -> Alt:
    if len(langmap) == 1 and DEFAULT_LANGUAGE in langmap:  # text in no stated language
        return Alt({"x-default": langmap[DEFAULT_LANGUAGE]})
    if "x-default" in langmap:
        alt = Alt({"x-default": langmap["x-default"]})
    else:
        alt = Alt()
        for value in langmap.values():
            alt["x-default"] = value
            break
    alt.update(langmap)
    return alt


def _ids(node: Any) -> list[str]:
    """The IRIs naming a node: its @id (when an IRI, not a blank node) and its sameAs."""
    if isinstance(node, str):
        return [node] if _is_iri(node) else []
    if not isinstance(node, dict):
        return []
    out = [node["@id"]] if _is_iri(node.get("@id")) else []
    same = node.get("sameAs", ())
    if same:
        out.extend(s for s in same if isinstance(s, str) and s not in out)
    return out


def _name(node: Any) -> str | None:
    return _first(node.get("name")) if isinstance(node, dict) else None


_QNAMES: dict[str, str] = {}

#: the namespaces a packet being written uses beyond those every packet declares
_USED = threading.local()
#: qualified names in those namespaces (not in _QNAMES: using one must declare its namespace)
_OTHER_QNAMES: dict[str, str] = {}


def _qname(clark: str) -> str:
    """prefix:Local for a Clark name: the packet's own prefixes, else the usual prefix of the
    namespace (which the packet being written then declares)."""
    if clark.startswith("{"):
        namespace, _, local = clark[1:].partition("}")
        prefix = _prefix_of().get(namespace)
        if prefix:
            name = _QNAMES[clark] = f"{prefix}:{local}"
            return name
        used = getattr(_USED, "namespaces", None)
        if used is not None:
            used.add(namespace)
        other = _OTHER_QNAMES.get(clark)
        if other is None:
            other = f"{_xmp_ld.prefix_of(namespace)}:{local}"
            if len(_OTHER_QNAMES) < 4096:
                _OTHER_QNAMES[clark] = other
        return other
    return clark


def _iri_of(clark: str) -> str:
    namespace, _, local = clark[1:].partition("}")
    return namespace + local


# --------------------------------------------------------------------------------------------
