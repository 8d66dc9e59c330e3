"""IPTC photo metadata in XMP (IPTC Photo Metadata Standard 2025.1): sidecar packets, written and read.

Writer and reader run from one table, ``vocab/crosswalk/xmp.csv`` (see docs/xmp.md). The writer
emits the IPTC-native form of every field it can (IPTC Core, IPTC Extension, PLUS, Dublin Core,
Photoshop, XMP Rights) and puts what IPTC cannot hold, or holds only in part, into warphoto's own
XMP namespace (``https://w3id.org/warphoto/xmp/1.0/``): simple properties for the gallery and
content warnings, and ``warphoto:lossless``, a compact JSON copy of the fields whose IPTC form
would lose something. The reader prefers that copy when present and falls back to the IPTC
properties, so it also reads packets written by other tools: namespace URIs matter, prefixes do
not; properties may be attributes or elements; a packet may hold several ``rdf:Description``
nodes. What a packet says that the record cannot hold is reported (``issues``) and kept as
extension keys named by the property's IRI.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote

from warphoto import _resources
from warphoto._crosswalk import load_table
from warphoto._xml import parse_xml
from warphoto.errors import ReadError, WriteError
from warphoto.formats import Format, register
from warphoto.validation import Issue

__all__ = [
    "DEFAULT_LANGUAGE",
    "MAX_PACKET_BYTES",
    "WARPHOTO_XMP_NS",
    "XmpReading",
    "crosswalk_rows",
    "dumps",
    "loads",
    "namespaces",
    "read_packet",
    "read_packets",
    "render",
    "to_photograph",
]

WARPHOTO_XMP_NS = "https://w3id.org/warphoto/xmp/1.0/"
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

PHOTOGRAPH_TYPE = ["ImageObject", "Photograph"]


# --------------------------------------------------------------------------------------------
# XMP values in memory: plain strings, and these four containers


class Bag(list[Any]):
    """rdf:Bag: an unordered array."""


class Seq(list[Any]):
    """rdf:Seq: an ordered array."""


class Alt(dict[str, str]):
    """rdf:Alt of language alternatives: xml:lang -> text, x-default first."""


class Struct(dict[str, Any]):
    """A structure: member (Clark name ``{namespace}Local``) -> value."""


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


@cache
def namespaces() -> dict[str, str]:
    """prefix -> namespace URI of every namespace the writer uses."""
    return {row["prefix"]: row["namespace"] for row in load_table("xmp-namespaces.csv")}


@cache
def _prefix_of() -> dict[str, str]:
    return {uri: prefix for prefix, uri in namespaces().items()}


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
def _mapped_fields() -> frozenset[str]:
    return frozenset(row.field for row in crosswalk_rows())


@cache
def _valid_country_codes() -> frozenset[str]:
    return frozenset(_resources.schema("common")["$defs"]["countryCode"]["enum"])


# --------------------------------------------------------------------------------------------
# small helpers

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
_BAD_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _is_iri(text: Any) -> bool:
    return isinstance(text, str) and not text.startswith("_:") and _IRI.match(text) is not None


def _first(langmap: Any) -> str | None:
    if isinstance(langmap, Mapping):
        for value in langmap.values():
            if isinstance(value, str):
                return value
            if isinstance(value, list) and value:
                return str(value[0])
    return None


def _alt(langmap: Mapping[str, str]) -> Alt:
    alt = Alt()
    if "x-default" in langmap:
        alt["x-default"] = langmap["x-default"]
    else:
        for value in langmap.values():
            alt["x-default"] = value
            break
    alt.update(langmap)
    return alt


def _ids(node: Any) -> list[str]:
    """The IRIs naming a node: its @id (when an IRI, not a blank node) and its sameAs."""
    if isinstance(node, str):
        return [node] if _is_iri(node) else []
    if not isinstance(node, Mapping):
        return []
    out = [node["@id"]] if _is_iri(node.get("@id")) else []
    out.extend(s for s in node.get("sameAs", ()) if isinstance(s, str) and s not in out)
    return out


def _name(node: Any) -> str | None:
    return _first(node.get("name")) if isinstance(node, Mapping) else None


def _qname(clark: str) -> str:
    """prefix:Local for a Clark name (our prefixes; the full IRI for unknown namespaces)."""
    if clark.startswith("{"):
        namespace, _, local = clark[1:].partition("}")
        prefix = _prefix_of().get(namespace)
        return f"{prefix}:{local}" if prefix else namespace + local
    return clark


def _iri_of(clark: str) -> str:
    namespace, _, local = clark[1:].partition("}")
    return namespace + local


# --------------------------------------------------------------------------------------------
# writing: record -> XMP values, per kind


def _w_id(value: Any, row: Row) -> Any:
    return value if isinstance(value, str) else None


def _w_text(value: Any, row: Row) -> Any:
    return value if isinstance(value, str) else None


def _w_integer(value: Any, row: Row) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _w_langmap(value: Any, row: Row) -> Any:
    return _alt(value) if isinstance(value, Mapping) and value else None


def _w_langmap_one(value: Any, row: Row) -> Any:
    return _first(value)


def _w_langmaplist(value: Any, row: Row) -> Any:
    if not isinstance(value, Mapping):
        return None
    out = Bag()
    for texts in value.values():
        out.extend(texts if isinstance(texts, list) else [texts])
    return out or None


def _w_date(value: Any, row: Row) -> Any:
    if isinstance(value, Mapping) and value.get("@type") != "edtf:EDTF":
        text = value.get("@value")
        return text if isinstance(text, str) else None
    return None


def _concept_struct(concept: Any) -> Struct:
    struct = Struct()
    if isinstance(concept, str):
        if _is_iri(concept):
            struct[_EXT + "CvTermId"] = concept
        return struct
    if _is_iri(concept.get("inScheme")):
        struct[_EXT + "CvId"] = concept["inScheme"]
    if _is_iri(concept.get("@id")):
        struct[_EXT + "CvTermId"] = concept["@id"]
    label = concept.get("prefLabel")
    if isinstance(label, Mapping) and label:
        struct[_EXT + "CvTermName"] = _alt(label)
    return struct


def _w_concepts(value: Any, row: Row) -> Any:
    out = Bag(s for s in (_concept_struct(c) for c in value or ()) if s)
    return out or None


def _concept_id(concept: Any) -> Any:
    return (
        concept if isinstance(concept, str) else concept.get("@id") if isinstance(concept, Mapping) else None
    )


def _w_concept_codes(value: Any, row: Row) -> Any:
    base = row.kind_arg
    out = Bag()
    for concept in value or ():
        cid = _concept_id(concept)
        if isinstance(cid, str) and cid.startswith(base) and len(cid) > len(base):
            out.append(cid[len(base) :])
    return out or None


def _w_concept_code(value: Any, row: Row) -> Any:
    codes = _w_concept_codes(value, row)
    return codes[0] if codes else None


def _w_agent_names(value: Any, row: Row) -> Any:
    out = Seq(n for n in (_name(a) for a in value or ()) if n)
    return out or None


_AGENT_MEMBERS = {
    "ImageCreator": (_PLUS + "ImageCreatorID", _PLUS + "ImageCreatorName", "Person"),
    "CopyrightOwner": (_PLUS + "CopyrightOwnerID", _PLUS + "CopyrightOwnerName", "Organization"),
}


def _w_agents(value: Any, row: Row) -> Any:
    id_key, name_key, _ = _AGENT_MEMBERS[row.kind_arg]
    out = Seq()
    for agent in value or ():
        struct = Struct()
        ids = _ids(agent)
        if ids:
            struct[id_key] = ids[0]
        name = _name(agent)
        if name:
            struct[name_key] = name
        if struct:
            out.append(struct)
    return out or None


def _w_agent_jobtitle(value: Any, row: Row) -> Any:
    if value and isinstance(value[0], Mapping):
        return _first(value[0].get("jobTitle"))
    return None


def _w_licensor_url(value: Any, row: Row) -> Any:
    return Seq([Struct({_PLUS + "LicensorURL": value})]) if isinstance(value, str) else None


def _w_uris(value: Any, row: Row) -> Any:
    out = Bag(v for v in value or () if isinstance(v, str))
    return out or None


_LEVELS = (
    ("Place", _EXT + "Sublocation"),
    ("City", _EXT + "City"),
    ("State", _EXT + "ProvinceState"),
    ("Country", _EXT + "CountryName"),
    ("Continent", _EXT + "WorldRegion"),
)
_LEVEL_KEY = dict(_LEVELS)


def _chain(place: Any) -> list[Mapping[str, Any]]:
    chain: list[Mapping[str, Any]] = []
    node = place
    while isinstance(node, Mapping) and len(chain) < 64:
        chain.append(node)
        node = node.get("containedInPlace")
    return chain


def _gps(value: float, positive: str, negative: str) -> str:
    hemisphere = positive if value >= 0 else negative
    value = abs(value)
    degrees = int(value)
    minutes = f"{(value - degrees) * 60:.8f}".rstrip("0").rstrip(".")
    return f"{degrees},{minutes or '0'}{hemisphere}"


def _place_struct(place: Any) -> Struct:
    struct = Struct()
    ids = _ids(place)
    if ids:
        struct[_EXT + "LocationId"] = Bag(ids)
    if not isinstance(place, Mapping):
        return struct
    name = place.get("name")
    if isinstance(name, Mapping) and name:
        struct[_EXT + "LocationName"] = _alt(name)
    for node in _chain(place):
        key = _LEVEL_KEY.get(node.get("@type", ""))
        level_name = _name(node)
        if key and level_name and key not in struct:
            struct[key] = level_name
        code = node.get("countryCode")
        if isinstance(code, str) and _EXT + "CountryCode" not in struct:
            struct[_EXT + "CountryCode"] = code
    geo = place.get("geo")
    if isinstance(geo, Mapping):
        lat, lon = geo.get("latitude"), geo.get("longitude")
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
            struct[_EXIF + "GPSLatitude"] = _gps(float(lat), "N", "S")
            struct[_EXIF + "GPSLongitude"] = _gps(float(lon), "E", "W")
        elevation = geo.get("elevation")
        if isinstance(elevation, (int, float)):
            struct[_EXIF + "GPSAltitude"] = f"{round(abs(elevation) * 1000)}/1000"
            struct[_EXIF + "GPSAltitudeRef"] = "1" if elevation < 0 else "0"
    return struct


def _w_places(value: Any, row: Row) -> Any:
    out = Bag(s for s in (_place_struct(p) for p in value or ()) if s)
    return out or None


def _w_place(value: Any, row: Row) -> Any:
    struct = _place_struct(value) if value is not None else None
    return Bag([struct]) if struct else None


def _w_legacy_location(value: Any, row: Row) -> Any:
    if not value:
        return None
    chain = _chain(value[0])
    if row.kind_arg == "countryCode":
        for node in chain:
            if isinstance(node.get("countryCode"), str):
                return node["countryCode"]
        return None
    for node in chain:
        if node.get("@type") == row.kind_arg:
            return _name(node)
    return None


def _w_persons_shown(value: Any, row: Row) -> Any:
    out = Bag()
    for shown in value or ():
        if not isinstance(shown, Mapping):
            continue
        person = shown.get("person")
        struct = Struct()
        ids = _ids(person)
        if ids:
            struct[_EXT + "PersonId"] = Bag(ids)
        if isinstance(person, Mapping) and isinstance(person.get("name"), Mapping) and person["name"]:
            struct[_EXT + "PersonName"] = _alt(person["name"])
        description = shown.get("description")
        if isinstance(description, Mapping) and description:
            struct[_EXT + "PersonDescription"] = _alt(description)
        if struct:
            out.append(struct)
    return out or None


def _w_person_names(value: Any, row: Row) -> Any:
    out = Bag()
    for shown in value or ():
        name = _name(shown.get("person")) if isinstance(shown, Mapping) else None
        if name:
            out.append(name)
    return out or None


def _w_event_name(value: Any, row: Row) -> Any:
    for event in value or ():
        if isinstance(event, Mapping) and isinstance(event.get("name"), Mapping) and event["name"]:
            return _alt(event["name"])
    return None


def _w_event_ids(value: Any, row: Row) -> Any:
    out = Bag()
    for event in value or ():
        out.extend(i for i in _ids(event) if i not in out)
    return out or None


def _w_none(value: Any, row: Row) -> Any:
    return None


_WRITERS: dict[str, Callable[[Any, Row], Any]] = {
    "id": _w_id,
    "text": _w_text,
    "integer": _w_integer,
    "langmap": _w_langmap,
    "langmap-one": _w_langmap_one,
    "langmaplist": _w_langmaplist,
    "date": _w_date,
    "concepts": _w_concepts,
    "concept-codes": _w_concept_codes,
    "concept-code": _w_concept_code,
    "agent-names": _w_agent_names,
    "agents": _w_agents,
    "agent-jobtitle": _w_agent_jobtitle,
    "licensor-url": _w_licensor_url,
    "uris": _w_uris,
    "places": _w_places,
    "place": _w_place,
    "legacy-location": _w_legacy_location,
    "persons-shown": _w_persons_shown,
    "person-names": _w_person_names,
    "event-name": _w_event_name,
    "event-ids": _w_event_ids,
    "json": _w_none,
    "lossless": _w_none,
}


def _comes_back(value: Any, row: Row) -> bool:
    """For ``lossless=check`` rows: does the XMP form give ``value`` back exactly?"""
    kind = row.kind
    if kind == "langmap":
        return isinstance(value, Mapping) and "x-default" not in value
    if kind in ("langmap-one", "langmaplist"):
        return isinstance(value, Mapping) and len(value) == 1 and DEFAULT_LANGUAGE in value
    if kind == "date":
        return isinstance(value, Mapping) and value.get("@type") != "edtf:EDTF"
    return False


# --------------------------------------------------------------------------------------------
# serialising XMP values


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _emit(out: list[str], qname: str, value: Any, indent: str) -> None:
    if isinstance(value, str):
        out.append(f"{indent}<{qname}>{_escape(value)}</{qname}>\n")
    elif isinstance(value, Alt):
        out.append(f"{indent}<{qname}>\n{indent} <rdf:Alt>\n")
        for lang, text in value.items():
            out.append(f'{indent}  <rdf:li xml:lang="{_escape(lang)}">{_escape(text)}</rdf:li>\n')
        out.append(f"{indent} </rdf:Alt>\n{indent}</{qname}>\n")
    elif isinstance(value, Struct):
        out.append(f'{indent}<{qname} rdf:parseType="Resource">\n')
        for member, item in value.items():
            _emit(out, _qname(member), item, indent + " ")
        out.append(f"{indent}</{qname}>\n")
    elif isinstance(value, (Bag, Seq)):
        container = "rdf:Seq" if isinstance(value, Seq) else "rdf:Bag"
        out.append(f"{indent}<{qname}>\n{indent} <{container}>\n")
        for item in value:
            _emit(out, "rdf:li", item, indent + "  ")
        out.append(f"{indent} </{container}>\n{indent}</{qname}>\n")
    else:  # pragma: no cover - the writers only produce the shapes above
        raise WriteError(f"cannot write {type(value).__name__} as XMP")


_PACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_PACKET_END = '<?xpacket end="w"?>'


@cache
def _description_open() -> str:
    declared = " ".join(
        f'xmlns:{prefix}="{uri}"' for prefix, uri in namespaces().items() if prefix not in ("x", "rdf")
    )
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="warphoto">\n'
        f' <rdf:RDF xmlns:rdf="{RDF}">\n'
        f'  <rdf:Description rdf:about="" {declared}>\n'
    )


_DESCRIPTION_CLOSE = "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"


def _wrap(body: list[str]) -> str:
    return _PACKET_BEGIN + _description_open() + "".join(body) + _DESCRIPTION_CLOSE + _PACKET_END


def _photograph_of(document: Mapping[str, Any], record_id: str | None = None) -> dict[str, Any]:
    if "@graph" not in document:
        return dict(document)
    from warphoto.model.graph import standalone_records

    records = standalone_records(document)
    if record_id is not None:
        records = [r for r in records if r.get("@id") == record_id]
    if len(records) != 1:
        raise WriteError(
            f"an XMP packet describes one photograph but this collection holds {len(records)}"
            + ("" if record_id else "; pass id=... to pick one, or write each photograph on its own")
        )
    return records[0]


def _properties(record: Mapping[str, Any]) -> tuple[list[tuple[Row, Any]], dict[str, Any]]:
    """The XMP properties for ``record`` and the lossless copy (fields whose XMP form loses something)."""
    props: list[tuple[Row, Any]] = []
    lossless: dict[str, Any] = {}
    for row in crosswalk_rows():
        value = record.get(row.field)
        if value is None:
            continue
        xmp_value = _WRITERS[row.kind](value, row)
        if xmp_value is not None:
            props.append((row, xmp_value))
        if row.lossless == "no" or (row.lossless == "check" and not _comes_back(value, row)):
            if row.field != "*":
                lossless[row.field] = value
    mapped = _mapped_fields()
    for key, value in record.items():
        if key == "@type":
            if value != PHOTOGRAPH_TYPE:
                lossless["@type"] = value
        elif key != "@context" and key not in mapped:
            lossless[key] = value
    return props, lossless


def _check_text(packet: str) -> None:
    bad = _BAD_XML_CHAR.search(packet)
    if bad:
        context = packet[max(0, bad.start() - 40) : bad.start()].rsplit("<", 1)[-1]
        raise WriteError(
            f"the record holds the character U+{ord(bad.group()):04X}, which XML (and so XMP) cannot carry "
            f"(near {context!r}); remove it from the text"
        )


def _lossless_text(lossless: Mapping[str, Any]) -> str:
    return json.dumps(lossless, ensure_ascii=False, separators=(",", ":"))


def render(record: Mapping[str, Any], *, max_main_bytes: int | None = None) -> tuple[bytes, bytes | None]:
    """The XMP packet for one photograph record, as UTF-8 bytes, and an extended packet or None.

    With ``max_main_bytes`` (a JPEG's APP1 limit), a packet that does not fit moves the
    lossless copy into a second packet (the XMP specification's extended XMP) and names it
    in ``xmpNote:HasExtendedXMP``; when even that does not fit, WriteError.
    """
    props, lossless = _properties(record)
    body: list[str] = []
    for row, value in props:
        _emit(body, row.prop, value, "   ")
    blob = ""
    if lossless:
        blob = f"   <warphoto:lossless>{_escape(_lossless_text(lossless))}</warphoto:lossless>\n"
    packet = _wrap([*body, blob])
    _check_text(packet)
    try:
        data = packet.encode("utf-8")
    except UnicodeEncodeError as error:  # pragma: no cover - lone surrogates are caught above
        raise WriteError(f"the record holds text that is not valid Unicode: {error}") from None
    if max_main_bytes is None or len(data) <= max_main_bytes:
        return data, None
    from warphoto._jpeg import extended_guid

    extended = _wrap([blob]).encode("utf-8")
    guid = extended_guid(extended)
    main = _wrap([*body, f"   <xmpNote:HasExtendedXMP>{guid}</xmpNote:HasExtendedXMP>\n"]).encode("utf-8")
    if len(main) > max_main_bytes:
        raise WriteError(
            f"the IPTC properties of this record need {len(main)} bytes of XMP, more than the "
            f"{max_main_bytes} one JPEG APP1 segment holds; shorten the longest texts"
        )
    return main, extended


def dumps(document: Mapping[str, Any], *, id: str | None = None, **options: Any) -> str:
    """An XMP sidecar packet (text) for one photograph (a record, or a collection and ``id``)."""
    if options:
        raise WriteError(f"unknown options for XMP: {', '.join(sorted(options))}")
    data, _ = render(_photograph_of(document, id))
    return data.decode("utf-8")


# --------------------------------------------------------------------------------------------
# reading: XML -> XMP values


def _struct_of(node: Any) -> Any:
    struct = Struct()
    for key, text in node.attrib.items():
        if not key.startswith(_R) and key != _XML_LANG and key[:1] == "{":
            struct[key] = text
    for child in node:
        tag = child.tag
        if isinstance(tag, str) and tag[:1] == "{":
            struct[tag] = _value(child)
    if _RDF_VALUE in struct:  # a qualified value: keep the value, drop the qualifiers
        return struct[_RDF_VALUE]
    return struct


def _value(element: Any) -> Any:
    resource = element.get(_RDF_RESOURCE)
    if resource is not None:
        return resource
    if element.get(_RDF_PARSETYPE) == "Resource":
        return _struct_of(element)
    children = [c for c in element if isinstance(c.tag, str)]
    if not children:
        for key in element.attrib:
            if not key.startswith(_R) and key != _XML_LANG:
                return _struct_of(element)  # the attribute shorthand of a structure
        return element.text or ""
    first = children[0]
    tag = first.tag
    if tag == _ALT:
        alt = Alt()
        for li in first:
            if li.tag == _LI:
                lang = li.get(_XML_LANG) or "x-default"
                text = _value(li)
                if isinstance(text, str) and text and lang not in alt:
                    alt[lang] = text
        return alt
    if tag in (_BAG, _SEQ):
        items = [_value(li) for li in first if li.tag == _LI]
        items = [i for i in items if i not in ("", None) and not (isinstance(i, (dict, list)) and not i)]
        return Seq(items) if tag == _SEQ else Bag(items)
    if tag == _DESCRIPTION:
        return _struct_of(first)
    return _struct_of(element)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, (dict, list)) and not value)


def _collect(root: Any, props: dict[str, Any], issues: list[Issue], source: str | None) -> None:
    rdf = root if root.tag == _R + "RDF" else next(root.iter(_R + "RDF"), None)
    if rdf is None:
        raise ReadError("not an XMP packet: no rdf:RDF element", source=source)
    for description in rdf:
        if not isinstance(description.tag, str):
            continue
        for key, text in description.attrib.items():
            if key.startswith(_R) or key == _XML_LANG or key[:1] != "{" or text == "":
                continue
            _add(props, key, text, issues)
        for child in description:
            tag = child.tag
            if isinstance(tag, str) and tag[:1] == "{":
                value = _value(child)
                if not _is_empty(value):
                    _add(props, tag, value, issues)


def _add(props: dict[str, Any], key: str, value: Any, issues: list[Issue]) -> None:
    if key in props:
        if props[key] != value:
            issues.append(
                Issue(
                    None,
                    _qname(key),
                    "the packet gives this property twice; the first value is used",
                    "xmp-duplicate",
                )
            )
        return
    props[key] = value


def _strip_packet(data: bytes | str) -> bytes:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return raw.rstrip(b"\x00 \t\r\n")


def _parse_props(
    packets: Iterable[bytes | str], *, source: str | None, max_bytes: int, issues: list[Issue]
) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for packet in packets:
        raw = _strip_packet(packet)
        if len(raw) > max_bytes:
            raise ReadError(
                f"the XMP packet is {len(raw)} bytes, more than the limit of {max_bytes}; raise max_bytes to read it",
                source=source,
            )
        if not raw.strip():
            continue
        _collect(parse_xml(raw, source=source, max_bytes=max_bytes), props, issues, source)
    return props


# --------------------------------------------------------------------------------------------
# reading: XMP values -> record fields


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, Alt):
        return value.get("x-default") or next(iter(value.values()), None)
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0]
    return None


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return list(value)
    return [] if _is_empty(value) else [value]


def _as_alt(value: Any) -> Alt | None:
    if isinstance(value, Alt):
        return value or None
    if isinstance(value, str) and value:
        return Alt({"x-default": value})
    return None


@dataclass
class _Reader:
    language: str
    issues: list[Issue]
    lost: set[str] = field(default_factory=set)

    def report(self, clark: str, message: str) -> None:
        self.lost.add(clark)
        self.issues.append(Issue(None, _qname(clark), message, "xmp-not-carried"))

    def langmap(self, value: Any) -> dict[str, str] | None:
        alt = _as_alt(value)
        if alt is None:
            return None
        out = {k.replace("_", "-"): v for k, v in alt.items() if k != "x-default" and v}
        default = alt.get("x-default")
        if default and default not in out.values():
            out[self.language if self.language not in out else "x-default"] = default
        return out or None

    def date(self, value: Any, clark: str) -> dict[str, str] | None:
        from warphoto.dates import classify

        text = _as_text(value)
        if text is None:
            return None
        text = text.strip()
        if re.match(r"^\d{4}:\d{2}:\d{2}", text):  # EXIF style 2022:09:21 14:05:00
            text = text[:4] + "-" + text[5:7] + "-" + text[8:10] + text[10:].replace(" ", "T", 1)
        text = re.sub(r"T(\d{2}:\d{2})(?=Z|[+-]\d{2}:\d{2}|$)", r"T\1:00", text)
        datatype = classify(text)
        if datatype is not None:
            return {"@value": text, "@type": datatype}
        match = re.match(r"^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d+)?$", text)
        if match and classify(match.group(1)):
            self.report(clark, f"the time {text!r} has no UTC offset; the record keeps only the date")
            return {"@value": match.group(1), "@type": "xsd:date"}
        self.report(clark, f"{text!r} is not a date the record can hold")
        return None


def _concept_from(struct: Any, reader: _Reader, clark: str) -> dict[str, Any] | None:
    if isinstance(struct, str):
        struct = Struct({_EXT + "CvTermId": struct})
    if not isinstance(struct, Mapping):
        return None
    term = struct.get(_EXT + "CvTermId")
    if not _is_iri(term):
        reader.report(clark, "a CV term without an IRI (CvTermId) cannot be a concept of the record")
        return None
    concept: dict[str, Any] = {"@id": term, "@type": "Concept"}
    label = reader.langmap(struct.get(_EXT + "CvTermName"))
    if label:
        concept["prefLabel"] = label
    if _is_iri(struct.get(_EXT + "CvId")):
        concept["inScheme"] = struct[_EXT + "CvId"]
    extra = set(struct) - {_EXT + "CvTermId", _EXT + "CvTermName", _EXT + "CvId"}
    if extra:
        reader.report(
            clark, f"the record does not carry {', '.join(sorted(_qname(e) for e in extra))} of a CV term"
        )
    return concept


def _merge_concepts(*lists: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for items in lists:
        for concept in items:
            seen.setdefault(concept["@id"], concept)
    return list(seen.values())


def _r_concepts(rows: dict[str, tuple[Row, Any]], reader: _Reader) -> Any:
    lists = []
    for row, value in rows.values():
        if row.kind == "concepts":
            lists.append([c for c in (_concept_from(s, reader, row.clark) for s in _as_list(value)) if c])
        elif row.kind in ("concept-codes", "concept-code"):
            base = row.kind_arg
            lists.append(
                [
                    {"@id": base + quote(code.strip(), safe=""), "@type": "Concept", "inScheme": base}
                    for code in _as_list(value)
                    if isinstance(code, str) and code.strip()
                ]
            )
    return _merge_concepts(*lists) or None


def _agent(agent_type: str, name: str | None, ident: Any, reader: _Reader, clark: str) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": agent_type}
    if ident is not None:
        if _is_iri(ident):
            node["@id"] = ident
        else:
            reader.report(clark, f"the identifier {ident!r} is not an IRI; the record cannot hold it")
    if name:
        node["name"] = {reader.language: name}
    return node


def _r_agents(rows: dict[str, tuple[Row, Any]], reader: _Reader) -> Any:
    nodes: list[dict[str, Any]] = []
    jobtitle = None
    for row, value in rows.values():
        if row.kind == "agent-names":
            for name in _as_list(value):
                if isinstance(name, str):
                    nodes.append(_agent("Person", name, None, reader, row.clark))
        elif row.kind == "agent-jobtitle":
            jobtitle = (row, _as_text(value))
    for row, value in rows.values():
        if row.kind != "agents":
            continue
        id_key, name_key, agent_type = _AGENT_MEMBERS[row.kind_arg]
        for struct in _as_list(value):
            if not isinstance(struct, Mapping):
                continue
            name = _as_text(struct.get(name_key))
            ident = _as_text(struct.get(id_key))
            extra = set(struct) - {id_key, name_key}
            if extra:
                reader.report(row.clark, f"the record does not carry {', '.join(sorted(map(_qname, extra)))}")
            same = next((n for n in nodes if name and _name(n) == name and "@id" not in n), None)
            if same is not None:
                if ident is not None:
                    same.update(
                        {
                            k: v
                            for k, v in _agent(agent_type, None, ident, reader, row.clark).items()
                            if k == "@id"
                        }
                    )
            else:
                nodes.append(_agent(agent_type, name, ident, reader, row.clark))
    if jobtitle is not None and jobtitle[1]:
        if nodes and nodes[0]["@type"] == "Person":
            nodes[0]["jobTitle"] = {reader.language: jobtitle[1]}
        else:
            reader.report(jobtitle[0].clark, "a job title without a creator who is a person")
    return [n for n in nodes if len(n) > 1] or None


def _r_copyright_holder(rows: dict[str, tuple[Row, Any]], reader: _Reader) -> Any:
    return _r_agents(rows, reader)


def _gps_number(text: Any) -> float | None:
    if not isinstance(text, str):
        return None
    match = re.match(r"^\s*(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?(?:,(\d+(?:\.\d+)?))?\s*([NSEW])\s*$", text)
    if match:
        degrees, minutes, seconds, hemisphere = match.groups()
        number = float(degrees) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
        return round(-number if hemisphere in "SW" else number, 8)
    try:
        return float(text)
    except ValueError:
        return None


def _rational(text: Any) -> float | None:
    if not isinstance(text, str):
        return None
    top, _, bottom = text.partition("/")
    try:
        return float(top) / float(bottom) if bottom else float(top)
    except (ValueError, ZeroDivisionError):
        return None


_PLACE_MEMBERS = frozenset(
    {
        _EXT + "LocationId",
        _EXT + "LocationName",
        _EXT + "CountryCode",
        _EXIF + "GPSLatitude",
        _EXIF + "GPSLongitude",
        _EXIF + "GPSAltitude",
        _EXIF + "GPSAltitudeRef",
        _EXT + "GPSAltitudeRef",  # ExifTool writes it in the IPTC namespace
        *(key for _, key in _LEVELS),
    }
)


def _place_from(struct: Any, reader: _Reader, clark: str) -> dict[str, Any] | None:
    if not isinstance(struct, Mapping):
        return None
    parent: dict[str, Any] | None = None
    code = _as_text(struct.get(_EXT + "CountryCode"))
    if code is not None and code not in _valid_country_codes():
        reader.report(
            clark, f"the country code {code!r} is not an ISO 3166-1 alpha-2 code; the record cannot hold it"
        )
        code = None
    for level, key in reversed(_LEVELS):
        text = _as_text(struct.get(key))
        if text is None and not (level == "Country" and code):
            continue
        node: dict[str, Any] = {"@type": level}
        if text is not None:
            node["name"] = {reader.language: text}
        if level == "Country" and code:
            node["countryCode"] = code
        if parent is not None:
            node["containedInPlace"] = parent
        parent = node
    names = reader.langmap(struct.get(_EXT + "LocationName"))
    place: dict[str, Any] | None = parent
    if names and (parent is None or _first(names) != _name(parent)):
        place = {"@type": "Place", "name": names}
        if parent is not None:
            place["containedInPlace"] = parent
    elif names and place is not None:
        place["name"] = names
    ids = [i for i in _as_list(struct.get(_EXT + "LocationId")) if isinstance(i, str)]
    iris = [i for i in ids if _is_iri(i)]
    if len(iris) != len(ids):
        reader.report(clark, "location identifiers that are not IRIs cannot be held by the record")
    lat, lon = _gps_number(struct.get(_EXIF + "GPSLatitude")), _gps_number(struct.get(_EXIF + "GPSLongitude"))
    if place is None and (iris or lat is not None):
        place = {"@type": "Place"}
    if place is None:
        return None
    if iris:
        place["@id"] = iris[0]
        if iris[1:]:
            place["sameAs"] = iris[1:]
    if lat is not None and lon is not None:
        geo: dict[str, Any] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
        altitude = _rational(struct.get(_EXIF + "GPSAltitude"))
        if altitude is not None:
            geo["elevation"] = (
                -altitude if _as_text(struct.get(_EXIF + "GPSAltitudeRef")) == "1" else altitude
            )
        place["geo"] = geo
    extra = set(struct) - _PLACE_MEMBERS
    if extra:
        reader.report(
            clark, f"the record does not carry {', '.join(sorted(map(_qname, extra)))} of a location"
        )
    return place


def _r_places(rows: dict[str, tuple[Row, Any]], reader: _Reader) -> Any:
    places: list[dict[str, Any]] = []
    legacy = Struct()
    legacy_rows = []
    for row, value in rows.values():
        if row.kind == "places":
            places.extend(p for p in (_place_from(s, reader, row.clark) for s in _as_list(value)) if p)
        elif row.kind == "legacy-location":
            key = _EXT + "CountryCode" if row.kind_arg == "countryCode" else _LEVEL_KEY[row.kind_arg]
            text = _as_text(value)
            if text:
                legacy[key] = text
                legacy_rows.append(row)
    if legacy:
        if not places:
            place = _place_from(legacy, reader, legacy_rows[0].clark)
            if place:
                places.append(place)
        else:
            written = _place_struct(places[0])
            for row in legacy_rows:
                key = _EXT + "CountryCode" if row.kind_arg == "countryCode" else _LEVEL_KEY[row.kind_arg]
                if written.get(key) != legacy[key]:
                    reader.report(
                        row.clark, "this legacy location field disagrees with the first location shown"
                    )
    return places or None


def _r_place(rows: dict[str, tuple[Row, Any]], reader: _Reader) -> Any:
    for row, value in rows.values():
        items = _as_list(value)
        if len(items) > 1:
            reader.report(row.clark, "the record holds one location created; the others are kept aside")
        for struct in items:
            place = _place_from(struct, reader, row.clark)
            if place:
                return place
    return None


def _r_persons(rows: dict[str, tuple[Row, Any]], reader: _Reader) -> Any:
    shown: list[dict[str, Any]] = []
    names_row = None
    for row, value in rows.values():
        if row.kind == "person-names":
            names_row = (row, value)
            continue
        for struct in _as_list(value):
            if not isinstance(struct, Mapping):
                continue
            person: dict[str, Any] = {"@type": "Person"}
            name = reader.langmap(struct.get(_EXT + "PersonName"))
            if name:
                person["name"] = name
            ids = [i for i in _as_list(struct.get(_EXT + "PersonId")) if isinstance(i, str)]
            iris = [i for i in ids if _is_iri(i)]
            if len(iris) != len(ids):
                reader.report(row.clark, "person identifiers that are not IRIs cannot be held by the record")
            if iris:
                person["@id"] = iris[0]
                if iris[1:]:
                    person["sameAs"] = iris[1:]
            entry: dict[str, Any] = {"person": person}
            description = reader.langmap(struct.get(_EXT + "PersonDescription"))
            if description:
                entry["description"] = description
            extra = set(struct) - {_EXT + "PersonName", _EXT + "PersonId", _EXT + "PersonDescription"}
            if extra:
                reader.report(row.clark, f"the record does not carry {', '.join(sorted(map(_qname, extra)))}")
            if len(person) > 1 or len(entry) > 1:
                shown.append(entry)
    if names_row is not None:
        known = {_first(e["person"].get("name")) for e in shown}
        for name in _as_list(names_row[1]):
            if isinstance(name, str) and name not in known:
                shown.append({"person": {"@type": "Person", "name": {reader.language: name}}})
    return shown or None


def _r_events(rows: dict[str, tuple[Row, Any]], reader: _Reader) -> Any:
    event: dict[str, Any] = {"@type": "Event"}
    for row, value in rows.values():
        if row.kind == "event-name":
            name = reader.langmap(value)
            if name:
                event["name"] = name
        elif row.kind == "event-ids":
            ids = [i for i in _as_list(value) if isinstance(i, str)]
            iris = [i for i in ids if _is_iri(i)]
            if len(iris) != len(ids):
                reader.report(row.clark, "event identifiers that are not IRIs cannot be held by the record")
            if iris:
                event["@id"] = iris[0]
                if iris[1:]:
                    event["sameAs"] = iris[1:]
    return [event] if len(event) > 1 else None


def _r_simple(rows: dict[str, tuple[Row, Any]], reader: _Reader) -> Any:
    for row, value in rows.values():
        kind = row.kind
        if kind in ("text", "id"):
            text = _as_text(value)
            if text is None:
                continue
            if row.shape == "URI" and not _is_iri(text) and not (kind == "id" and text.startswith("_:")):
                reader.report(row.clark, f"{text!r} is not an IRI; the record cannot hold it")
                continue
            return text
        if kind == "integer":
            text = _as_text(value)
            if text is not None and re.fullmatch(r"\s*\d+\s*", text):
                return int(text)
            reader.report(row.clark, f"{text!r} is not a whole number")
        elif kind == "langmap":
            return reader.langmap(value)
        elif kind == "langmap-one":
            text = _as_text(value)
            return {reader.language: text} if text else None
        elif kind == "langmaplist":
            texts = [t for t in _as_list(value) if isinstance(t, str) and t]
            return {reader.language: texts} if texts else None
        elif kind == "date":
            return reader.date(value, row.clark)
        elif kind == "uris":
            items = [i for i in _as_list(value) if isinstance(i, str)]
            return items or None
        elif kind == "licensor-url":
            for struct in _as_list(value):
                if isinstance(struct, Mapping):
                    extra = set(struct) - {_PLUS + "LicensorURL"}
                    if extra:
                        reader.report(
                            row.clark, "the record carries only the licensor's URL (acquireLicensePage)"
                        )
                    url = _as_text(struct.get(_PLUS + "LicensorURL"))
                    if url and _is_iri(url):
                        return url
    return None


_FIELD_READERS: dict[str, Callable[[dict[str, tuple[Row, Any]], _Reader], Any]] = {
    "about": _r_concepts,
    "genre": _r_concepts,
    "creator": _r_agents,
    "copyrightHolder": _r_copyright_holder,
    "contentLocation": _r_places,
    "locationCreated": _r_place,
    "personShown": _r_persons,
    "recordedAt": _r_events,
}


def _jsonld(value: Any) -> Any:
    """An XMP value as JSON-LD (for properties the record does not map): kept, not dropped."""
    if isinstance(value, str):
        return value
    if isinstance(value, Alt):
        return [{"@value": text, "@language": lang} for lang, text in value.items()]
    if isinstance(value, Seq):
        return {"@list": [_jsonld(v) for v in value]}
    if isinstance(value, list):
        return [_jsonld(v) for v in value]
    if isinstance(value, Mapping):
        return {_iri_of(k) if k.startswith("{") else k: _jsonld(v) for k, v in value.items()}
    return value  # pragma: no cover


@dataclass
class XmpReading:
    """What a packet says: the record, the properties it did not map, and the problems found."""

    record: dict[str, Any]
    #: properties the record model has no field for (and mapped ones it could hold only in part), by IRI
    unmapped: dict[str, Any]
    issues: list[Issue]


def to_photograph(
    props: dict[str, Any],
    *,
    language: str = DEFAULT_LANGUAGE,
    id: str | None = None,
    keep_unmapped: bool = True,
    issues: list[Issue] | None = None,
) -> XmpReading:
    """The photograph record for a dict of XMP properties (Clark name -> XMP value)."""
    issues = issues if issues is not None else []
    props = dict(props)
    reader = _Reader(language=language, issues=issues)
    lossless: dict[str, Any] = {}
    blob = props.pop(_LOSSLESS, None)
    if blob is not None:
        try:
            parsed = json.loads(_as_text(blob) or "")
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            lossless = parsed
        else:
            issues.append(Issue(None, "warphoto:lossless", "not a JSON object; ignored", "xmp-bad-lossless"))
            reader.lost.add(_LOSSLESS)
            props[_LOSSLESS] = blob
    props.pop(HAS_EXTENDED_XMP, None)
    record: dict[str, Any] = {"@context": _resources.CONTEXT_IRI}
    consumed: dict[str, Any] = {}
    for name, rows in _fields_in_order():
        present = {row.clark: (row, props.pop(row.clark)) for row in rows if row.clark in props}
        consumed.update({clark: value for clark, (_, value) in present.items()})
        if name in lossless or name == "*" or not present:
            continue
        value = _FIELD_READERS.get(name, _r_simple)(present, reader)
        if value is not None:
            record[name] = value
    for key, value in lossless.items():
        record[key] = value
    if "@type" not in record:
        record["@type"] = list(PHOTOGRAPH_TYPE)
    if "@id" not in record:
        if id is not None:
            record["@id"] = id
        elif _is_iri(record.get("identifier")):
            record["@id"] = record["identifier"]
        elif _is_iri(_as_text(props.get(_XMPMM + "DocumentID"))):
            record["@id"] = _as_text(props[_XMPMM + "DocumentID"])
        else:
            record["@id"] = "_:photograph"
    elif id is not None:
        record["@id"] = id
    record = {
        "@context": record.pop("@context"),
        "@id": record.pop("@id"),
        "@type": record.pop("@type"),
        **record,
    }
    unmapped: dict[str, Any] = {}
    for clark, value in props.items():
        unmapped[_iri_of(clark)] = _jsonld(value)
        issues.append(
            Issue(
                record["@id"],
                _qname(clark),
                "the record model has no field for this property; "
                + ("kept as an extension key" if keep_unmapped else "dropped"),
                "xmp-unmapped",
            )
        )
    for clark in reader.lost:
        if clark in consumed and _iri_of(clark) not in unmapped:
            unmapped[_iri_of(clark)] = _jsonld(consumed[clark])
    if keep_unmapped:
        for key, value in unmapped.items():
            record.setdefault(key, value)
    for index, issue in enumerate(issues):
        if issue.record_id is None:
            issues[index] = Issue(record["@id"], issue.path, issue.message, issue.rule)
    return XmpReading(record=record, unmapped=unmapped, issues=issues)


def read_packets(
    packets: Iterable[bytes | str],
    *,
    source: str | None = None,
    max_bytes: int = MAX_PACKET_BYTES,
    language: str = DEFAULT_LANGUAGE,
    id: str | None = None,
    keep_unmapped: bool = True,
) -> XmpReading:
    """Read one or more XMP packets (e.g. a JPEG's standard and extended XMP) as one photograph."""
    issues: list[Issue] = []
    props = _parse_props(packets, source=source, max_bytes=max_bytes, issues=issues)
    return to_photograph(props, language=language, id=id, keep_unmapped=keep_unmapped, issues=issues)


def read_packet(data: bytes | str, **options: Any) -> XmpReading:
    """Read one XMP packet (a sidecar's content) as a photograph; see :func:`read_packets`."""
    return read_packets([data], **options)


def loads(
    data: bytes | str,
    *,
    source: str | None = None,
    language: str = DEFAULT_LANGUAGE,
    id: str | None = None,
    keep_unmapped: bool = True,
    strict: bool = False,
    issues: list[Issue] | None = None,
    max_bytes: int = MAX_PACKET_BYTES,
) -> dict[str, Any]:
    """The photograph record in an XMP packet.

    ``language`` is given to text that has only an ``x-default`` version; ``issues`` (a list)
    receives what the packet says that the record cannot hold; with ``strict=True`` any such
    issue is a ReadError instead.
    """
    reading = read_packet(
        data, source=source, max_bytes=max_bytes, language=language, id=id, keep_unmapped=keep_unmapped
    )
    return _finish(reading, source=source, strict=strict, issues=issues)


def _finish(
    reading: XmpReading, *, source: str | None, strict: bool, issues: list[Issue] | None
) -> dict[str, Any]:
    if issues is not None:
        issues.extend(reading.issues)
    if strict and reading.issues:
        raise ReadError(
            "the XMP says what the record cannot hold:\n" + "\n".join(f"  {i}" for i in reading.issues[:20]),
            source=source,
        )
    return reading.record


register(
    Format(
        name="xmp",
        title="XMP sidecar (IPTC Photo Metadata 2025.1)",
        extensions=(".xmp",),
        media_type="application/rdf+xml",
        binary=False,
        dumps=dumps,
        loads=loads,
        cannot_carry=(),
        notes="one photograph per packet; what IPTC cannot hold goes to the warphoto XMP namespace",
        options={
            "id": "write: the photograph to write from a collection; read: the @id to give the record",
            "language": "read: the language of text given only as x-default (default 'und')",
            "keep_unmapped": "read: keep properties the record has no field for as extension keys (default true)",
            "strict": "read: a ReadError instead of issues when the packet says what the record cannot hold",
        },
    )
)
