"""IPTC photo metadata in XMP (IPTC Photo Metadata Standard 2025.1): sidecar packets, written and read.

XMP is RDF, and a record is a JSON-LD graph: the writer emits the IPTC form of every field the
crosswalk (``vocab/crosswalk/xmp.csv``, docs/xmp.md) maps, and everything else as XMP under the
namespace of its key's IRI; nothing hides in a string. This module reads: XMP values -> the
record, where what the packet's properties say wins. The other parts: ``_xmp_table`` (the
crosswalk, namespaces, shared helpers), ``_xmp_kinds`` (a field -> the XMP value of one property),
``_xmp_writer`` (a record -> the packet), ``_xmp_parser`` (the packet's XML -> XMP values),
``_xmp_ld`` (JSON-LD <-> XMP by IRI) and ``_xmp_values`` (the XMP values in memory).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote

from warphoto import _resources
from warphoto.errors import ReadError, WriteError
from warphoto.formats import Format, _xmp_ld, register
from warphoto.formats._xmp_kinds import (
    _AGENT_MEMBERS,
    _LEVELS,
    _WRITERS,
)
from warphoto.formats._xmp_parser import (
    _is_empty,
    _lossless_copy,
    _parse_props,
)
from warphoto.formats._xmp_table import (
    _ABOUT,
    _DIGITAL_SOURCE_TYPE,
    _EXIF,
    _EXT,
    _LOSSLESS,
    _PLUS,
    _XMPMM,
    DEFAULT_LANGUAGE,
    HAS_EXTENDED_XMP,
    MAX_PACKET_BYTES,
    PHOTOGRAPH_TYPE,
    Row,
    _fields_in_order,
    _first,
    _iri_of,
    _is_iri,
    _mapped_fields,
    _name,
    _qname,
    _valid_country_codes,
)
from warphoto.formats._xmp_table import RDF as RDF
from warphoto.formats._xmp_table import WARPHOTO_XMP_NS as WARPHOTO_XMP_NS
from warphoto.formats._xmp_table import crosswalk_rows as crosswalk_rows
from warphoto.formats._xmp_table import namespaces as namespaces
from warphoto.formats._xmp_values import Alt, Struct, same
from warphoto.formats._xmp_writer import _QUICK_KINDS as _QUICK_KINDS
from warphoto.formats._xmp_writer import (
    _field_form,
    _rows_of_field,
    dumps,
)
from warphoto.formats._xmp_writer import _photograph_of as _photograph_of
from warphoto.formats._xmp_writer import _read_back_equals as _read_back_equals
from warphoto.formats._xmp_writer import properties as properties
from warphoto.formats._xmp_writer import render as render
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
            _identify(person, struct.get(_EXT + "PersonId"), reader, row.clark, "person")
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


def _identify(node: dict[str, Any], identifiers: Any, reader: _Reader, clark: str, what: str) -> None:
    """The node's @id (the first IRI) and sameAs (the others) from XMP identifiers; those that
    are not IRIs are reported."""
    ids = [i for i in _as_list(identifiers) if isinstance(i, str)]
    iris = [i for i in ids if _is_iri(i)]
    if len(iris) != len(ids):
        reader.report(clark, f"{what} identifiers that are not IRIs cannot be held by the record")
    if iris:
        node["@id"] = iris[0]
        if iris[1:]:
            node["sameAs"] = iris[1:]


def _r_events(rows: dict[str, tuple[Row, Any]], reader: _Reader) -> Any:
    event: dict[str, Any] = {"@type": "Event"}
    for row, value in rows.values():
        if row.kind == "event-name":
            name = reader.langmap(value)
            if name:
                event["name"] = name
        elif row.kind == "event-ids":
            _identify(event, value, reader, row.clark, "event")
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


#: a field of the record: its name, its properties, its crosswalk rows and its reader
_PlanEntry = tuple[str, tuple[str, ...], tuple[Row, ...], _FieldReader]


@cache
def _field_plan() -> tuple[_PlanEntry, ...]:
    """Per record field, in crosswalk order: its properties, its rows and its reader."""
    return tuple(
        (name, tuple(row.clark for row in rows), rows, _FIELD_READERS.get(name, _r_simple))
        for name, rows in _fields_in_order()
    )


@cache
def _field_index() -> tuple[dict[str, tuple[int, ...]], dict[str, int]]:
    """Where in :func:`_field_plan` the fields are: per XMP property (Clark name), the positions
    of the fields that read it (as one of their IPTC properties, or as the field written whole
    under its own IRI); and per field name, its position."""
    terms = _xmp_ld.terms()
    by_clark: dict[str, list[int]] = {}
    for position, (name, clarks, _, _) in enumerate(_field_plan()):
        term = terms.get(name)
        whole = (term.clark,) if term is not None and term.clark not in clarks else ()
        for clark in (*clarks, *whole):
            by_clark.setdefault(clark, []).append(position)
    positions = {entry[0]: position for position, entry in enumerate(_field_plan())}
    return {clark: tuple(found) for clark, found in by_clark.items()}, positions


def _fields_to_read(props: dict[str, Any], lossless: dict[str, Any]) -> list[_PlanEntry]:
    """The entries of :func:`_field_plan`, in its order, of the fields a packet may give: those
    with a property in ``props`` or a value in the ``lossless`` copy. The others read nothing
    (no property of theirs is present), so :func:`to_photograph` need not visit them."""
    by_clark, by_name = _field_index()
    found: set[int] = set()
    for clark in props:
        positions = by_clark.get(clark)
        if positions is not None:
            found.update(positions)
    for name in lossless:
        position = by_name.get(name)
        if position is not None:
            found.add(position)
    plan = _field_plan()
    return [plan[position] for position in sorted(found)]


def _field_from_full_form(name: str, full: Any, present: dict[str, tuple[Row, Any]], reader: _Reader) -> bool:
    """Is ``full`` (the field written whole under its own IRI, or an old packet's lossless copy of
    it) still what the field's IPTC properties say? When another tool changed, added or removed
    one of them, the IPTC properties win and the whole form is set aside (reported)."""
    try:
        form = _field_form(name, full, _rows_of_field(name))
    except (WriteError, TypeError, AttributeError, KeyError, ValueError):
        form = None
    if (
        form is not None
        and form.keys() == present.keys()
        and all(same(value, present[clark][1]) for clark, value in form.items())
    ):
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
        if again is None or not same(again, original):
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
    for name, clarks, rows, read in _fields_to_read(props, lossless):
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
