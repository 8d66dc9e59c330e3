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

import contextlib
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any
from urllib.parse import quote

import orjson

from warphoto import _resources
from warphoto._crosswalk import load_table
from warphoto._json import MAX_JSON_DEPTH, depth_exceeded, parse_json
from warphoto._xml import parse_xml
from warphoto.errors import ReadError, WriteError
from warphoto.formats import Format, _xmp_ld, register
from warphoto.formats._xmp_values import Alt, Bag, Lang, Qualified, Ref, Seq, Struct, Typed, normal
from warphoto.formats.jsonld import check_contexts
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
    "properties",
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
# writing: record -> XMP values, per kind


def _w_id(value: Any, row: Row) -> Any:
    return value if isinstance(value, str) else None


def _w_text(value: Any, row: Row) -> Any:
    return value if isinstance(value, str) else None


def _w_integer(value: Any, row: Row) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _w_number(value: Any, row: Row) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return str(value) if isinstance(value, int) else repr(value)


def _w_langmap(value: Any, row: Row) -> Any:
    return _alt(value) if isinstance(value, dict) and value else None


def _w_langmap_one(value: Any, row: Row) -> Any:
    return _first(value)


def _w_langmaplist(value: Any, row: Row) -> Any:
    if not isinstance(value, dict):
        return None
    out = Bag()
    for texts in value.values():
        out.extend(texts if isinstance(texts, list) else [texts])
    return out or None


def _w_date(value: Any, row: Row) -> Any:
    if isinstance(value, dict) and value.get("@type") != "edtf:EDTF":
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
    if isinstance(label, dict) and label:
        struct[_EXT + "CvTermName"] = _alt(label)
    return struct


def _w_concepts(value: Any, row: Row) -> Any:
    out = Bag(s for s in (_concept_struct(c) for c in value or ()) if s)
    return out or None


def _concept_id(concept: Any) -> Any:
    return concept if isinstance(concept, str) else concept.get("@id") if isinstance(concept, dict) else None


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
    "ImageSupplier": (_PLUS + "ImageSupplierID", _PLUS + "ImageSupplierName", "Organization"),
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
    if row.kind_arg == "ImageCreator" and not any(id_key in struct for struct in out):
        return None  # names alone: dc:creator says them already
    return out or None


def _w_agent_jobtitle(value: Any, row: Row) -> Any:
    for agent in value or ():  # the job title of the first creator dc:creator names
        if _name(agent):
            return _first(agent.get("jobTitle"))
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
_SUBLOCATION = _EXT + "Sublocation"
_COUNTRY_CODE = _EXT + "CountryCode"
_LOCATION_ID = _EXT + "LocationId"
_LOCATION_NAME = _EXT + "LocationName"
_GPS_LATITUDE = _EXIF + "GPSLatitude"
_GPS_LONGITUDE = _EXIF + "GPSLongitude"
_GPS_ALTITUDE = _EXIF + "GPSAltitude"
_GPS_ALTITUDE_REF = _EXIF + "GPSAltitudeRef"


def _chain(place: Any) -> list[Mapping[str, Any]]:
    chain: list[Mapping[str, Any]] = []
    node = place
    while isinstance(node, dict) and len(chain) < 64:
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
        struct[_LOCATION_ID] = Bag(ids)
    if not isinstance(place, dict):
        return struct
    name = place.get("name")
    if isinstance(name, dict) and name:
        struct[_LOCATION_NAME] = _alt(name)
    for node in _chain(place):
        level = node.get("@type", "")
        level_name = _name(node)
        if level == "Place":
            # a Place is a sublocation only inside something; the one nearest the city wins
            if level_name and isinstance(node.get("containedInPlace"), dict):
                struct[_SUBLOCATION] = level_name
        elif level_name:
            key = _LEVEL_KEY.get(level)
            if key and key not in struct:
                struct[key] = level_name
        code = node.get("countryCode")
        if isinstance(code, str) and _COUNTRY_CODE not in struct:
            struct[_COUNTRY_CODE] = code
    if _SUBLOCATION not in struct and place.get("@type") == "Place":
        # a Place inside nothing is a sublocation too when it is the location itself: the
        # reader turns a lone Sublocation into such a Place, and it must write back the same
        own_name = _name(place)
        if own_name:
            struct[_SUBLOCATION] = own_name
    geo = place.get("geo")
    if isinstance(geo, dict):
        lat, lon = geo.get("latitude"), geo.get("longitude")
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
            struct[_GPS_LATITUDE] = _gps(float(lat), "N", "S")
            struct[_GPS_LONGITUDE] = _gps(float(lon), "E", "W")
        elevation = geo.get("elevation")
        if isinstance(elevation, (int, float)):
            struct[_GPS_ALTITUDE] = f"{round(abs(elevation) * 1000)}/1000"
            struct[_GPS_ALTITUDE_REF] = "1" if elevation < 0 else "0"
    return struct


def _w_places(value: Any, row: Row) -> Any:
    items = list(value or ())
    out = Bag(s for s in map(_place_struct, items) if s)
    return out or None


def _w_place(value: Any, row: Row) -> Any:
    struct = _place_struct(value) if value is not None else None
    return Bag([struct]) if struct else None


_PERSON_ID, _PERSON_NAME = _EXT + "PersonId", _EXT + "PersonName"
_PERSON_DESCRIPTION = _EXT + "PersonDescription"


def _w_persons_shown(value: Any, row: Row) -> Any:
    out = Bag()
    for shown in value or ():
        if not isinstance(shown, dict):
            continue
        person = shown.get("person")
        struct = Struct()
        ids = _ids(person)
        if ids:
            struct[_PERSON_ID] = Bag(ids)
        if isinstance(person, dict) and isinstance(person.get("name"), dict) and person["name"]:
            struct[_PERSON_NAME] = _alt(person["name"])
        description = shown.get("description")
        if isinstance(description, dict) and description:
            struct[_PERSON_DESCRIPTION] = _alt(description)
        if struct:
            out.append(struct)
    return out or None


def _w_person_names(value: Any, row: Row) -> Any:
    out = Bag()
    for shown in value or ():
        name = _name(shown.get("person")) if isinstance(shown, dict) else None
        if name:
            out.append(name)
    return out or None


def _w_event_name(value: Any, row: Row) -> Any:
    for event in value or ():
        if isinstance(event, dict) and isinstance(event.get("name"), dict) and event["name"]:
            return _alt(event["name"])
    return None


def _w_event_ids(value: Any, row: Row) -> Any:
    out = Bag()
    for event in value or ():
        out.extend(i for i in _ids(event) if i not in out)
    return out or None


_WRITERS: dict[str, Callable[[Any, Row], Any]] = {
    "id": _w_id,
    "text": _w_text,
    "integer": _w_integer,
    "number": _w_number,
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
    "persons-shown": _w_persons_shown,
    "person-names": _w_person_names,
    "event-name": _w_event_name,
    "event-ids": _w_event_ids,
}


# --------------------------------------------------------------------------------------------
# serialising XMP values
#
# The packet is a list of strings joined once; text goes through _escape, whose common case
# (printable text without & < >) is two C-level scans that return the text itself.

_SURROGATE = re.compile("[\\ud800-\\udfff]")


def _escape(text: str) -> str:
    """``text`` as XML character data: ``&``, ``<`` and ``>`` escaped, a carriage return as
    ``&#13;`` (so that it survives XML's line-end normalisation).

    WriteError for what XML cannot carry: control characters, U+FFFE, U+FFFF, lone surrogates.
    """
    if text.isprintable():  # no control character, no surrogate, no noncharacter: the usual case
        if "&" in text or "<" in text or ">" in text:
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return text
    bad = _BAD_XML_CHAR.search(text)
    if bad is not None:
        raise WriteError(
            f"the record holds the character U+{ord(bad.group()):04X} in {text[:60]!r}, "
            "which XML (and so XMP) "
            "cannot carry; remove it from the text"
        )
    if _SURROGATE.search(text) is not None:
        _refuse_invalid_unicode(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")


def _refuse_invalid_unicode(text: str) -> None:
    """Raise the WriteError for text that UTF-8 cannot encode (a lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise WriteError(
            f"the record holds text that is not valid Unicode ({error.reason} at "
            f"{error.object[error.start : error.end]!r}); "
            "XML (and so XMP) cannot carry it"
        ) from None


#: xml:lang values as attribute text (language tags are few; bounded all the same)
_LANG_ATTRIBUTES: dict[str, str] = {}


def _lang_attribute(lang: str) -> str:
    """``lang`` as the value of a double-quoted attribute."""
    escaped = _LANG_ATTRIBUTES.get(lang)
    if escaped is None:
        escaped = _escape(lang).replace('"', "&quot;")
        if len(_LANG_ATTRIBUTES) >= 1024:
            _LANG_ATTRIBUTES.clear()
        _LANG_ATTRIBUTES[lang] = escaped
    return escaped


#: the markup around a property's value, by (property name, indent): it depends on nothing else
_FRAMES: dict[tuple[str, str], tuple[str, ...]] = {}


def _frames(qname: str, indent: str) -> tuple[str, ...]:
    frames = _FRAMES.get((qname, indent))
    if frames is None:
        inner = indent + "  "
        frames = _FRAMES[qname, indent] = (
            f"{indent}<{qname}>",  # 0, 1: text
            f"</{qname}>\n",
            f"{indent}<{qname}>\n{indent} <rdf:Alt>\n",  # 2, 3: rdf:Alt
            f"{indent} </rdf:Alt>\n{indent}</{qname}>\n",
            f"{indent}<{qname}>\n{indent} <rdf:Bag>\n",  # 4, 5: rdf:Bag
            f"{indent} </rdf:Bag>\n{indent}</{qname}>\n",
            f"{indent}<{qname}>\n{indent} <rdf:Seq>\n",  # 6, 7: rdf:Seq
            f"{indent} </rdf:Seq>\n{indent}</{qname}>\n",
            f'{indent}<{qname} rdf:parseType="Resource">\n',  # 8, 9: a structure
            f"{indent}</{qname}>\n",
            f'{inner}<rdf:li xml:lang="',  # 10: a language alternative
            f"{inner}<rdf:li>",  # 11: an item
            inner,  # 12: the indent of items
        )
    return frames


def _emit(out: list[str], qname: str, value: Any, indent: str) -> None:
    """Append the XMP of property ``qname`` with ``value`` (an XMP value) to ``out``."""
    _emit_framed(out, value, _FRAMES.get((qname, indent)) or _frames(qname, indent), indent)


def _emit_framed(out: list[str], value: Any, frames: tuple[str, ...], indent: str) -> None:
    kind = type(value)
    if kind is str:
        out.append(f"{frames[0]}{_escape(value)}{frames[1]}")
    elif kind is Alt:
        out.append(frames[2])
        li = frames[10]
        for lang, text in value.items():
            attribute = _LANG_ATTRIBUTES.get(lang) or _lang_attribute(lang)
            out.append(f'{li}{attribute}">{_escape(text)}</rdf:li>\n')
        out.append(frames[3])
    elif kind is Struct or kind is Qualified:
        out.append(frames[8])
        inner = indent + " "
        for member, item in value.items():
            name = _QNAMES.get(member) or _qname(member)
            if type(item) is str:
                out.append(f"{inner}<{name}>{_escape(item)}</{name}>\n")
            else:
                _emit(out, name, item, inner)
        out.append(frames[9])
    elif kind is Bag or kind is Seq:
        bag = kind is Bag
        out.append(frames[4] if bag else frames[6])
        li = frames[11]
        for item in value:
            if type(item) is str:
                out.append(f"{li}{_escape(item)}</rdf:li>\n")
            else:
                _emit(out, "rdf:li", item, frames[12])
        out.append(frames[5] if bag else frames[7])
    elif kind is Lang:
        attribute = _LANG_ATTRIBUTES.get(value.lang) or _lang_attribute(value.lang)
        out.append(f'{frames[0][:-1]} xml:lang="{attribute}">{_escape(value)}{frames[1]}')
    elif kind is Typed:
        datatype = _escape(value.datatype).replace('"', "&quot;")
        out.append(f'{frames[0][:-1]} rdf:datatype="{datatype}">{_escape(value)}{frames[1]}')
    elif kind is Ref:
        resource = _escape(value).replace('"', "&quot;")
        out.append(f'{frames[0][:-1]} rdf:resource="{resource}"/>\n')
    else:  # pragma: no cover - the writers only produce the shapes above
        raise WriteError(f"cannot write {type(value).__name__} as XMP")


_QNAMES: dict[str, str] = {}


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


_RowPlan = tuple[tuple[Callable[[Any, Row], Any], Row, tuple[str, ...]], ...]


@cache
def _row_plan() -> tuple[tuple[str, _RowPlan, bool], ...]:
    """Per record field: its rows (writer, row, markup) and whether its XMP form must be checked
    for what it would lose."""
    return tuple(
        (
            name,
            tuple((_WRITERS[row.kind], row, _frames(row.prop, "   ")) for row in rows),
            any(row.lossless != "yes" for row in rows),
        )
        for name, rows in _fields_in_order()
    )


@cache
def _standard_namespaces() -> frozenset[str]:
    return frozenset(uri for prefix, uri in namespaces().items() if prefix != "warphoto")


@cache
def _row_clarks() -> frozenset[str]:
    return frozenset(row.clark for row in crosswalk_rows())


def _field_form(name: str, value: Any, rows: tuple[Row, ...]) -> dict[str, Any]:
    """The XMP properties the crosswalk rows of one field give for ``value``."""
    out = {}
    for row in rows:
        xmp_value = _WRITERS[row.kind](value, row)
        if xmp_value is not None:
            out[row.clark] = xmp_value
    return out


def _comes_back(name: str, value: Any, form: Mapping[str, Any]) -> bool:
    """Does the IPTC form of a field give its record value back whole?

    Text fields answer by a rule of their kind; a field of nodes (places, persons, events,
    concepts, agents) is read back from its form and compared."""
    rows = _rows_of_field(name)
    if not form:
        return False
    if len(rows) == 1 and rows[0].kind in _QUICK_KINDS:
        return _QUICK_KINDS[rows[0].kind](value)
    return _read_back_equals(name, value, form)


def _read_back_equals(name: str, value: Any, form: Mapping[str, Any]) -> bool:
    """Does reading the XMP ``form`` of a field give ``value`` back?"""
    rows = _rows_of_field(name)
    present = {row.clark: (row, form[row.clark]) for row in rows if row.clark in form}
    reader = _Reader(language=DEFAULT_LANGUAGE, issues=[])
    again = _FIELD_READERS.get(name, _r_simple)(present, reader)
    if reader.lost:
        return False
    if again == value:
        return True
    if _keys_of(again) != _keys_of(value):  # the common "no": a key the form does not give back
        return False
    from warphoto.canonical import canonical

    return bool(canonical({name: again}) == canonical({name: value}))


def _keys_of(value: Any, out: set[str] | None = None) -> set[str]:
    """Every key of a JSON value, nested ones too."""
    out = set() if out is None else out
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(key)
            if isinstance(item, (dict, list)):
                _keys_of(item, out)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                _keys_of(item, out)
    return out


def _is_plain_langmap(value: Any) -> bool:
    if not isinstance(value, dict) or "x-default" in value:
        return False
    return all(type(v) is str for v in value.values())


def _is_und_only(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and DEFAULT_LANGUAGE in value


def _is_xmp_date(value: Any) -> bool:
    return isinstance(value, dict) and value.get("@type") != "edtf:EDTF"


#: the kinds of text rows whose form gives a value back by a rule (checked by the tests against
#: the precise read-back)
_QUICK_KINDS: dict[str, Callable[[Any], bool]] = {
    "langmap": _is_plain_langmap,
    "langmap-one": _is_und_only,
    "langmaplist": _is_und_only,
    "date": _is_xmp_date,
}


@cache
def _rows_of_field(name: str) -> tuple[Row, ...]:
    return dict(_fields_in_order()).get(name, ())


def properties(record: Mapping[str, Any]) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """The XMP properties of ``record`` (Clark name, XMP value): those of the crosswalk, and
    what IPTC has no property for or would lose, under the namespace of each key's IRI."""
    iptc: list[tuple[str, Any]] = []
    generic: list[tuple[str, Any]] = []
    kept: dict[str, Any] = {}
    mapped = _mapped_fields()
    row_clarks = _row_clarks()
    terms = _xmp_ld.terms()
    for key, value in record.items():
        if key in mapped or key == "@context" or key == _ABOUT_KEY:
            continue
        if key == "@type":
            if not isinstance(value, list) or sorted(value) != sorted(PHOTOGRAPH_TYPE):
                generic.append((_xmp_ld.NODE_TYPE, value if isinstance(value, str) else Bag(value)))
            continue
        clark = _xmp_ld.clark_of_key(key)
        xmp_value = _xmp_ld.to_xmp(value, terms.get(key), key, clark)
        if clark in row_clarks:
            kept[clark] = xmp_value
        elif clark[1 : clark.index("}")] in _standard_namespaces():
            iptc.append((clark, xmp_value))  # IPTC's and the standard XMP namespaces: the main packet
        else:
            generic.append((clark, xmp_value))
    _check_licensor(record)
    for name, plan, check in _row_plan():
        value = record.get(name)
        if value is None:
            continue
        if name == "@id" and (value == _implied_id(record) or _is_iri(value)):
            continue  # the IRI of the photograph is the packet's rdf:about
        form: dict[str, Any] = {}
        read_from_kept = False
        for write, row, _ in plan:
            xmp_value = write(value, row)
            if row.clark in kept:  # kept whole from another tool's packet: written as it was read
                xmp_value = kept.pop(row.clark)
                read_from_kept = True
            if xmp_value is not None:
                form[row.clark] = xmp_value
                iptc.append((row.clark, xmp_value))
        # a field read from properties kept whole is what they say: they are its whole form
        if check and not read_from_kept and not _comes_back(name, value, form):
            term = terms.get(name)
            if term is None or term.clark in form:
                raise WriteError(f"{name}: the XMP form of this value would lose part of it")
            generic.append((term.clark, _xmp_ld.to_xmp(value, term, name)))
    iptc.extend(kept.items())  # kept properties of fields the record does not have
    return iptc, generic


def _check_licensor(record: Mapping[str, Any]) -> None:
    """IPTC's Licensor URL of the first licensor is the record's acquireLicensePage: both are
    written as one property, so they must agree (nothing is dropped silently)."""
    page, licensors = record.get("acquireLicensePage"), record.get("licensor")
    if page is None or licensors is None:
        return
    first = licensors[0] if isinstance(licensors, list) and licensors else licensors
    url = first.get("licensorUrl") if isinstance(first, dict) else None
    if url != page:
        raise WriteError(
            f"acquireLicensePage {page!r} and the first licensor's licensorUrl {url!r} are one XMP "
            "property (plus:LicensorURL); give the first licensor that URL"
        )


def _implied_id(record: Mapping[str, Any]) -> str:
    """The @id the reader gives a packet without ``warphoto:id``: the Digital Image GUID or
    xmpMM:DocumentID when an IRI, else ``_:photograph`` (so the writer need not write it)."""
    identifier = record.get("identifier")
    if _is_iri(identifier):
        return str(identifier)
    document = record.get("xmpMM:DocumentID") or record.get(_XMPMM[1:-1] + "DocumentID")
    if _is_iri(document):
        return str(document)
    return "_:photograph"


def _emit_all(out: list[str], props: list[tuple[str, Any]]) -> None:
    for clark, xmp_value in props:
        _emit(out, _QNAMES.get(clark) or _qname(clark), xmp_value, "   ")


def _body(record: Mapping[str, Any]) -> tuple[str, str, str]:
    """The packet's opening (with the namespaces it uses), its crosswalk properties, and the rest."""
    iptc: list[str] = []
    rest: list[str] = []
    used: set[str] = set()
    _USED.namespaces = used
    try:
        iptc_props, rest_props = properties(record)
        _emit_all(iptc, iptc_props)
        _emit_all(rest, rest_props)
    finally:
        _USED.namespaces = None
    return _packet_head(frozenset(used), _about_of(record)), "".join(iptc), "".join(rest)


def _about_of(record: Mapping[str, Any]) -> str:
    """The packet's rdf:about: the photograph's IRI, unless the reader infers it anyway."""
    ident = record.get("@id")
    if _is_iri(ident) and ident != _implied_id(record):
        return str(ident)
    kept = record.get(_ABOUT_KEY)
    return kept if isinstance(kept, str) else ""


@lru_cache(maxsize=256)
def _packet_head(extra: frozenset[str] = frozenset(), about: str = "") -> str:
    head = _PACKET_BEGIN + _description_open()
    if about:
        head = head.replace(' rdf:about=""', f' rdf:about="{_escape(about).replace(chr(34), "&quot;")}"', 1)
    if extra:
        declared = "".join(f' xmlns:{_xmp_ld.prefix_of(uri)}="{_escape(uri)}"' for uri in sorted(extra))
        head = head[: -len(">\n")] + declared + ">\n"
    return head


_PACKET_TAIL = _DESCRIPTION_CLOSE + _PACKET_END


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # pragma: no cover - _escape refuses lone surrogates first
        _refuse_invalid_unicode(text)
        raise


def render(record: Mapping[str, Any], *, max_main_bytes: int | None = None) -> tuple[bytes, bytes | None]:
    """The XMP packet for one photograph record, as UTF-8 bytes, and an extended packet or None.

    With ``max_main_bytes`` (a JPEG's APP1 limit), a packet that does not fit keeps the IPTC
    properties and moves the rest into a second packet (the XMP specification's extended XMP),
    named in ``xmpNote:HasExtendedXMP``; when even the IPTC properties do not fit, WriteError.
    """
    if max_main_bytes is not None and _xmp_ld.key_of_clark(HAS_EXTENDED_XMP) in record:
        # a note read from a sidecar names an extended packet of some other file: a JPEG gets its own
        record = {k: v for k, v in record.items() if k != _xmp_ld.key_of_clark(HAS_EXTENDED_XMP)}
    head_text, iptc_text, rest_text = _body(record)
    head = _utf8(head_text)
    tail = _PACKET_TAIL.encode("utf-8")
    iptc = _utf8(iptc_text)
    rest = _utf8(rest_text)
    data = head + iptc + rest + tail
    if max_main_bytes is None or len(data) <= max_main_bytes:
        return data, None
    from warphoto._jpeg import extended_guid

    extended = head + rest + tail
    guid = extended_guid(extended)
    note = f"   <xmpNote:HasExtendedXMP>{guid}</xmpNote:HasExtendedXMP>\n".encode()
    main = head + iptc + note + tail
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
    head, iptc, rest = _body(_photograph_of(document, id))
    return head + iptc + rest + _PACKET_TAIL


# --------------------------------------------------------------------------------------------
# reading: XML -> XMP values


_RDF_DATATYPE = _R + "datatype"


def _struct_of(node: Any) -> Any:
    struct = Struct()
    for key, text in node.items():
        if key[:1] == "{" and not key.startswith(_R) and key != _XML_LANG:
            struct[key] = text
    for child in node:
        tag = child.tag
        if isinstance(tag, str) and tag[:1] == "{":
            struct[tag] = _value(child)
    if _RDF_VALUE in struct:  # a qualified value: rdf:value and its qualifiers
        return Qualified(struct)
    return struct


def _value(element: Any) -> Any:
    """The XMP value of a property element (or of an ``rdf:li``)."""
    if element.items():
        return _value_with_attributes(element)
    if not len(element):  # the common case: text without attributes or children
        return element.text or ""
    children = [c for c in element if isinstance(c.tag, str)]
    return _value_of_children(element, children) if children else element.text or ""


def _value_with_attributes(element: Any) -> Any:
    resource = element.get(_RDF_RESOURCE)
    if resource is not None:
        return Ref(resource)
    parse_type = element.get(_RDF_PARSETYPE)
    if parse_type == "Resource":
        return _struct_of(element)
    if parse_type is not None:
        raise ReadError(
            f"{_qname(element.tag)} has rdf:parseType={parse_type!r}: XMP values are text, arrays "
            "or structures (rdf:parseType='Resource'), not XML literals or RDF collections"
        )
    children = [c for c in element if isinstance(c.tag, str)]
    if not children:
        for key in element.attrib:
            if not key.startswith(_R) and key != _XML_LANG:
                return _struct_of(element)  # the attribute shorthand of a structure
        text = element.text or ""
        datatype = element.get(_RDF_DATATYPE)
        if datatype is not None and text:
            return Typed(text, datatype)
        lang = element.get(_XML_LANG)
        if lang and text:
            return Lang(text, lang)
        return text
    return _value_of_children(element, children)


def _value_of_children(element: Any, children: list[Any]) -> Any:
    first = children[0]
    tag = first.tag
    if tag == _ALT:
        alt = Alt()
        for li in first:
            if li.tag == _LI:
                attributes = li.items()
                if not len(li) and (
                    not attributes or (len(attributes) == 1 and attributes[0][0] == _XML_LANG)
                ):  # a plain language alternative: what _value(li) gives, without the call
                    lang = (attributes[0][1] if attributes else "") or "x-default"
                    text = li.text or ""
                else:
                    lang = li.get(_XML_LANG) or "x-default"
                    text = _value(li)
                if isinstance(text, str) and text and lang not in alt:
                    alt[lang] = str(text)
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


_RDF_RDF = _R + "RDF"


def _rdf_of(root: Any, source: str | None) -> Any:
    rdf = root if root.tag == _RDF_RDF else next(root.iter(_RDF_RDF), None)
    if rdf is None:
        raise ReadError("not an XMP packet: no rdf:RDF element", source=source)
    return rdf


def _find_lossless(rdfs: list[Any]) -> tuple[str | None, Any]:
    """The text of the first ``warphoto:lossless`` and its element (None for an attribute)."""
    for rdf in rdfs:
        for description in rdf:
            if not isinstance(description.tag, str):
                continue
            text = description.get(_LOSSLESS)
            if text is not None:
                return str(text), None
            for child in description.iterchildren(_LOSSLESS):
                return str(child.text or ""), child
    return None, None


def _collect(
    rdf: Any,
    props: dict[str, Any],
    issues: list[Issue],
    lossless: str | None = None,
    lossless_element: Any = None,
) -> None:
    """Add the properties of ``rdf``'s descriptions to ``props``. ``lossless`` is the text of an
    old packet's lossless copy already read (``lossless_element`` its element): met again, it is
    no duplicate."""
    for description in rdf:
        if not isinstance(description.tag, str):
            continue
        about = description.get(_ABOUT) or description.get("about")  # old packets: unqualified
        if about:
            _add(props, _ABOUT, about, issues)
        for key, text in description.items():
            if key.startswith(_R) or key == _XML_LANG or key[:1] != "{" or text == "":
                continue
            if key == _LOSSLESS and text == lossless:
                continue
            _add(props, key, text, issues)
        for child in description:
            tag = child.tag
            if child is not lossless_element and isinstance(tag, str) and tag[:1] == "{":
                value = _value(child)
                if not _is_empty(value) and not (tag == _LOSSLESS and value == lossless):
                    _add(props, tag, value, issues)


def _add(props: dict[str, Any], key: str, value: Any, issues: list[Issue]) -> None:
    """Add one property; the same property again with another value is a ReadError (which of
    the two is right cannot be told, and keeping either would drop the other silently)."""
    if key in props:
        if normal(props[key]) != normal(value):
            raise ReadError(
                f"conflicting values for {_qname(key)}: {_shown(props[key])} and {_shown(value)}; "
                "a packet gives a property once (fix the packet, or remove one of them)"
            )
        return
    props[key] = value


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _strip_packet(data: bytes | str) -> bytes:
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4]:
        return raw  # UTF-16 or UTF-32: leave it to the XML parser
    return raw.rstrip(b"\x00 \t\r\n")  # JPEG padding


def _parse_props(
    packets: Iterable[bytes | str], *, source: str | None, max_bytes: int, issues: list[Issue]
) -> dict[str, Any]:
    rdfs = []
    for packet in packets:
        raw = _strip_packet(packet)
        if len(raw) > max_bytes:
            raise ReadError(
                f"the XMP packet is {len(raw)} bytes, more than the limit of {max_bytes}; "
                "raise max_bytes to read it",
                source=source,
            )
        if raw.strip():
            rdfs.append(_rdf_of(parse_xml(raw, source=source, max_bytes=max_bytes), source))
    if not rdfs:
        raise ReadError("the XMP packet is empty", source=source)
    props: dict[str, Any] = {}
    text, element = _find_lossless(rdfs)
    if text is not None:  # an old packet's copy of what its IPTC properties could not hold
        props[_LOSSLESS] = _lossless_copy(text, source)
    for rdf in rdfs:
        _collect(rdf, props, issues, text, element)
    return props


#: digits map to "0", everything else to " ": a run of 19 zeros is an integer orjson would
#: read as a float (beyond 64 bits)
_DIGIT_RUNS = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
_LONG_NUMBER = b"0" * 19


def _lossless_copy(text: str, source: str | None) -> dict[str, Any]:
    """The record fields of a ``warphoto:lossless`` copy: a JSON object, bounded in depth, whose
    only JSON-LD context (if any) is ours. Anything else is a ReadError: the copy is written
    by warphoto alone, so a broken one means the packet was damaged or forged."""
    lossless: Any = None
    # orjson reads the copy warphoto wrote as parse_json would, faster; anything it refuses
    # (NaN, lone surrogates, nesting past 1,024), an integer it would read as a float (a run of
    # 19 digits), a copy nested too deep (brackets bound the depth from above, so the walk is
    # rare) and null go to parse_json, which refuses them with a message. One rule is not
    # checked on this path: a key given twice in one object keeps its last value.
    if _LONG_NUMBER not in text.encode("utf-8", "surrogatepass").translate(_DIGIT_RUNS):
        with contextlib.suppress(orjson.JSONDecodeError):
            lossless = orjson.loads(text)
    deep = text.count("[") + text.count("{") > MAX_JSON_DEPTH
    if lossless is None or (deep and depth_exceeded(lossless)):
        try:
            lossless = parse_json(text)
        except ReadError as error:
            raise ReadError(
                f"warphoto:lossless (warphoto's copy of the fields IPTC cannot hold): {error.message}",
                source=source,
            ) from None
    if not isinstance(lossless, dict):
        raise ReadError(
            f"warphoto:lossless holds a JSON {type(lossless).__name__}, not the object of record "
            "fields warphoto writes there",
            source=source,
        )
    if "@context" in text:
        check_contexts(lossless, source=source)
    return lossless


# --------------------------------------------------------------------------------------------
# reading: XMP values -> record fields


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return str(value) or None
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


_EXIF_DATE = re.compile(r"^\d{4}:\d{2}:\d{2}")
_SHORT_TIME = re.compile(r"T(\d{2}:\d{2})(?=Z|[+-]\d{2}:\d{2}|$)")
_LOCAL_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d+)?$")


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
        if default and len(out) > 1 and next(iter(out.values())) != default:
            # the language whose text is the x-default one goes first: it is written as x-default again
            first = next(k for k, v in out.items() if v == default)
            out = {first: out[first], **{k: v for k, v in out.items() if k != first}}
        return out or None

    def date(self, value: Any, clark: str) -> dict[str, str] | None:
        from warphoto.dates import classify

        text = _as_text(value)
        if text is None:
            return None
        text = text.strip()
        if _EXIF_DATE.match(text):  # EXIF style 2022:09:21 14:05:00
            text = text[:4] + "-" + text[5:7] + "-" + text[8:10] + text[10:].replace(" ", "T", 1)
        if "T" in text:
            text = _SHORT_TIME.sub(r"T\1:00", text)
        datatype = classify(text)
        if datatype is not None:
            return {"@value": text, "@type": datatype}
        match = _LOCAL_TIME.match(text)
        if match and classify(match.group(1)):
            self.report(clark, f"the time {text!r} has no UTC offset; the record keeps only the date")
            return {"@value": match.group(1), "@type": "xsd:date"}
        self.report(clark, f"{text!r} is not a date the record can hold")
        return None


def _concept_from(struct: Any, reader: _Reader, clark: str) -> dict[str, Any] | None:
    if isinstance(struct, str):
        struct = Struct({_EXT + "CvTermId": struct})
    if not isinstance(struct, dict):
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
    names: list[str] = []
    jobtitle = None
    for row, value in rows.values():
        if row.kind == "agent-names":
            names = [name for name in _as_list(value) if isinstance(name, str)]
        elif row.kind == "agent-jobtitle":
            jobtitle = (row, _as_text(value))
    # the PLUS structures list every agent (with or without a name), in order; dc:creator the named ones
    for row, value in rows.values():
        if row.kind != "agents":
            continue
        id_key, name_key, agent_type = _AGENT_MEMBERS[row.kind_arg]
        for struct in _as_list(value):
            if not isinstance(struct, dict):
                continue
            extra = set(struct) - {id_key, name_key}
            if extra:
                reader.report(row.clark, f"the record does not carry {', '.join(sorted(map(_qname, extra)))}")
            name = _as_text(struct.get(name_key))
            node = _agent(agent_type, name, _as_text(struct.get(id_key)), reader, row.clark)
            if len(node) > 1:
                nodes.append(node)
    known = {_name(node) for node in nodes}
    for name in names:
        if name not in known:
            nodes.append(_agent("Person", name, None, reader, next(iter(rows))))
    if jobtitle is not None and jobtitle[1]:
        first = names[0] if names else None
        named = (n for n in nodes if first is not None and _name(n) == first)
        holder = next(named, nodes[0] if nodes else None)
        if holder is not None and holder["@type"] == "Person":
            holder["jobTitle"] = {reader.language: jobtitle[1]}
        else:
            reader.report(jobtitle[0].clark, "a job title without a creator who is a person")
    return nodes or None


def _r_organizations(rows: dict[str, tuple[Row, Any]], reader: _Reader) -> Any:
    return _r_agents(rows, reader)


def _number(text: str | None) -> int | float | None:
    """A decimal number as XMP writes one (a Real): an int when whole."""
    if text is None or not re.fullmatch(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*", text):
        return None
    number = float(text)
    return int(number) if number.is_integer() and "." not in text else number


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
    if not isinstance(struct, dict):
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
        # a location known only by its name has no IPTC level: it is not a sublocation (Place)
        place = {"@type": "AdministrativeArea", "name": names}
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
    for row, value in rows.values():
        places.extend(p for p in (_place_from(s, reader, row.clark) for s in _as_list(value)) if p)
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
            if not isinstance(struct, dict):
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
        for listed in _as_list(names_row[1]):
            if isinstance(listed, str) and listed not in known:
                shown.append({"person": {"@type": "Person", "name": {reader.language: listed}}})
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


#: row kinds whose XMP value is text (or a language alternative of text), never a structure
_TEXT_KINDS = frozenset(
    {"text", "id", "integer", "number", "langmap", "langmap-one", "langmaplist", "date", "uris"}
)


def _r_simple(rows: dict[str, tuple[Row, Any]], reader: _Reader) -> Any:
    for row, value in rows.values():
        kind = row.kind
        if type(value) is Struct and kind in _TEXT_KINDS:
            raise ReadError(
                f"{_qname(row.clark)} holds a structure where IPTC defines text; "
                "write the text itself as the property's value"
            )
        if kind in ("text", "id"):
            text = _as_text(value)
            if text is None:
                continue
            if row.shape == "URI" and not _is_iri(text) and not (kind == "id" and text.startswith("_:")):
                reader.report(row.clark, f"{text!r} is not an IRI; the record cannot hold it")
                continue
            if row.field == "digitalSourceType" and not _DIGITAL_SOURCE_TYPE.match(text):
                reader.report(row.clark, f"{text!r} is not a term of the IPTC Digital Source Type NewsCodes")
                continue
            return text
        if kind == "integer":
            text = _as_text(value)
            if text is not None and re.fullmatch(r"\s*\d+\s*", text):
                return int(text)
            reader.report(row.clark, f"{text!r} is not a whole number")
        elif kind == "number":
            text = _as_text(value)
            number = _number(text)
            if number is not None:
                return number
            reader.report(row.clark, f"{text!r} is not a number")
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
                if isinstance(struct, dict):
                    extra = set(struct) - {_PLUS + "LicensorURL"}
                    if extra:
                        reader.report(
                            row.clark, "the record carries only the licensor's URL (acquireLicensePage)"
                        )
                    url = _as_text(struct.get(_PLUS + "LicensorURL"))
                    if url and _is_iri(url):
                        return url
    return None


_FieldReader = Callable[[dict[str, tuple[Row, Any]], _Reader], Any]
_FIELD_READERS: dict[str, _FieldReader] = {
    "about": _r_concepts,
    "genre": _r_concepts,
    "creator": _r_agents,
    "copyrightHolder": _r_organizations,
    "provider": _r_organizations,
    "contentLocation": _r_places,
    "locationCreated": _r_place,
    "personShown": _r_persons,
    "recordedAt": _r_events,
}


@dataclass
class XmpReading:
    """What a packet says: the record, the properties it did not map, and the problems found."""

    record: dict[str, Any]
    #: properties the record model has no field for (and mapped ones it could hold only in part), by IRI
    unmapped: dict[str, Any]
    issues: list[Issue]


@cache
def _field_plan() -> tuple[tuple[str, tuple[str, ...], tuple[Row, ...], _FieldReader], ...]:
    """Per record field, in crosswalk order: its properties, its rows and its reader."""
    return tuple(
        (name, tuple(row.clark for row in rows), rows, _FIELD_READERS.get(name, _r_simple))
        for name, rows in _fields_in_order()
    )


def _field_from_full_form(
    name: str, full: Any, present: dict[str, tuple[Row, Any]], reader: _Reader
) -> bool:
    """Is ``full`` (the field written whole under its own IRI, or an old packet's lossless copy of
    it) still what the field's IPTC properties say? When another tool changed, added or removed
    one of them, the IPTC properties win and the whole form is set aside (reported)."""
    try:
        form = _field_form(name, full, _rows_of_field(name))
    except (WriteError, TypeError, AttributeError, KeyError, ValueError):
        form = None
    if form is not None and {c: normal(v) for c, v in form.items()} == {
        c: normal(v) for c, (_, v) in present.items()
    }:
        return True
    changed = sorted(_qname(c) for c in set(form or {}) | set(present))
    reader.issues.append(
        Issue(
            None,
            name,
            f"{', '.join(changed)} no longer say what warphoto wrote (another tool changed them); "
            "the field is read from them and its fuller form in the packet is set aside",
            "xmp-edited",
        )
    )
    return False


def _kept_whole(
    name: str, value: Any, present: dict[str, tuple[Row, Any]], reader: _Reader
) -> dict[str, Any]:
    """The properties of a field that its record value does not give back as they were (say
    an IPTC structure member the record has no key for): kept whole, to be written back."""
    kept = {}
    for clark, (row, original) in present.items():
        if clark in reader.lost:
            kept[clark] = original
            continue
        again = _WRITERS[row.kind](value, row) if value is not None else None
        if again is None or normal(again) != normal(original):
            kept[clark] = original
            reader.issues.append(
                Issue(
                    None,
                    _qname(clark),
                    f"the record's {name} does not say all this property says; the property is "
                    "also kept whole as an extension key",
                    "xmp-not-carried",
                )
            )
    return kept


def to_photograph(
    props: dict[str, Any],
    *,
    language: str = DEFAULT_LANGUAGE,
    id: str | None = None,
    keep_unmapped: bool = True,
    issues: list[Issue] | None = None,
) -> XmpReading:
    """The photograph record for a dict of XMP properties (Clark name -> XMP value).

    The IPTC properties of the crosswalk give their fields; a field also written whole under
    its own IRI is taken whole while its IPTC properties still say what that form says; every
    other property gives the record key of its IRI (its context term, or the IRI itself)."""
    issues = issues if issues is not None else []
    props = dict(props)
    reader = _Reader(language=language, issues=issues)
    lossless: dict[str, Any] = {}
    blob = props.pop(_LOSSLESS, None)
    if blob is not None:  # read_packets gives it parsed; otherwise as the packet holds it
        lossless = blob if type(blob) is dict else _lossless_copy(_as_text(blob) or "", None)
    about = props.pop(_ABOUT, None)
    if about is not None and not _is_iri(about):
        props[_ABOUT] = about  # not an IRI: kept as it is, an extension key
        about = None
    record: dict[str, Any] = {"@context": _resources.CONTEXT_IRI}
    kept: dict[str, Any] = {}
    terms = _xmp_ld.terms()
    for name, clarks, rows, read in _field_plan():
        present: dict[str, tuple[Row, Any]] = {}
        for row in rows:
            if row.clark in props:
                present[row.clark] = (row, props.pop(row.clark))
        term = terms.get(name)
        full: Any = None
        if term is not None and term.clark in props and term.clark not in clarks:
            full = _xmp_ld.from_xmp(props.pop(term.clark), term, language, term.clark)
        elif name in lossless:
            full = lossless.pop(name)
        if full is not None and _field_from_full_form(name, full, present, reader):
            record[name] = full
            continue
        if present:
            value = read({c: (r, _xmp_ld.plain(v)) for c, (r, v) in present.items()}, reader)
            if value is not None:
                record[name] = value
            kept.update(_kept_whole(name, value, present, reader))
    for key, value in lossless.items():  # an old packet's copy: what no property says
        record.setdefault(key, value)
    node_type = props.pop(_xmp_ld.NODE_TYPE, None)
    if node_type is not None and "@type" not in record:
        record["@type"] = str(node_type) if isinstance(node_type, str) else [str(t) for t in node_type]
    if "@type" not in record:
        record["@type"] = list(PHOTOGRAPH_TYPE)
    if "@id" not in record:
        if id is not None:
            record["@id"] = id
        elif about is not None:
            record["@id"] = about
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
        term = _xmp_ld.term_of_clark(clark)
        if term is not None and term.name not in _mapped_fields():
            record.setdefault(term.name, _xmp_ld.from_xmp(value, term, language, clark))
            continue
        unmapped[_xmp_ld.key_of_clark(clark)] = _xmp_ld.from_xmp(value, None, language, clark)
        issues.append(
            Issue(
                record["@id"],
                _qname(clark),
                "the record model has no field for this property; "
                + ("kept as an extension key" if keep_unmapped else "dropped"),
                "xmp-unmapped",
            )
        )
    for clark, value in kept.items():
        key = _xmp_ld.key_of_clark(clark)
        if key in _mapped_fields():  # the field's own term: the property kept whole is named by its IRI
            key = _xmp_ld.compact(_iri_of(clark))
        unmapped.setdefault(key, _xmp_ld.from_xmp(value, _xmp_ld.terms().get(key), language, clark))
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
    packets = list(packets)
    try:
        props = _parse_props(packets, source=source, max_bytes=max_bytes, issues=issues)
        if len(packets) > 1:  # the extended packet is read: the note naming it has done its job
            props.pop(HAS_EXTENDED_XMP, None)
        return to_photograph(props, language=language, id=id, keep_unmapped=keep_unmapped, issues=issues)
    except ReadError as error:
        if error.source is not None or source is None:
            raise
        # the value walkers do not know the file: the error gets its name here
        raise type(error)(
            error.message, source=source, line=error.line, column=error.column, offset=error.offset
        ) from None


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
        per_photograph=True,
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
            "keep_unmapped": "read: keep properties the record has no field for as extension keys "
            "(default true)",
            "strict": "read: a ReadError instead of issues when the packet says what the record cannot hold",
        },
    )
)
