"""XMP writing, per crosswalk kind: a record field -> the XMP value of one IPTC property."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from warphoto.formats._xmp_table import (
    _EXIF,
    _EXT,
    _PLUS,
    Row,
    _alt,
    _first,
    _ids,
    _is_iri,
    _name,
)
from warphoto.formats._xmp_values import Bag, Seq, Struct

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


#: a local date-time (no UTC offset, whole seconds): XMP's Date without a time zone designator
_LOCAL_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\Z")


def xmp_date_text(value: Any) -> str | None:
    """The text of a dated value as an XMP Date, if XMP can carry it: every xsd date and time,
    and a local date-time (EDTF without an offset; XMP reads a Date without a zone as one)."""
    if not isinstance(value, dict):
        return None
    text = value.get("@value")
    if not isinstance(text, str):
        return None
    if value.get("@type") != "edtf:EDTF" or _LOCAL_DATE_TIME.match(text):
        return text
    return None


def _w_date(value: Any, row: Row) -> Any:
    return xmp_date_text(value)


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
