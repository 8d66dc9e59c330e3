"""IPTC NewsML-G2 (2.35, Power conformance): writer and reader.

* one photograph -> a ``newsItem`` of item class ``ninat:picture``;
* one gallery -> a ``packageItem`` (``ninat:composite``) whose ``groupSet`` references the
  photographs in order;
* one event -> a ``conceptItem`` (``cinat:concept``, concept type ``cpnat:event``);
* a collection -> a ``newsMessage`` whose ``itemSet`` holds a packageItem per gallery, a
  newsItem per photograph (shared entities embedded) and a conceptItem per top-level event.

Every scheme alias used is declared in an inline ``<catalog>`` of the item. Entities
(places, persons, organisations, events, concepts) are referenced where the item uses them
(``subject``, ``located``, ``creator``, ``copyrightHolder``, ...) by ``uri`` (an IRI) or
``literal`` (a blank node label) with their name; their full description is an ``<assert>``
in the same item. The mapping is the table ``vocab/crosswalk/newsml.csv``; docs/newsml-edm.md
explains it and docs/loss-table.md lists what NewsML-G2 cannot carry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeGuard

from lxml import etree

from warphoto import _crosswalk, _resources
from warphoto._xml import MAX_XML_BYTES, parse_xml
from warphoto.errors import LossError, ReadError, WriteError
from warphoto.formats import Format, register
from warphoto.formats._values import as_list as _as_list
from warphoto.formats._values import lang_texts as _texts

__all__ = [
    "NS",
    "SCHEMES",
    "carried_fields",
    "dumps",
    "kind_of",
    "loads",
    "loss_table_markdown",
    "lost_fields",
    "project",
]

NS = "http://iptc.org/std/nar/2006-10-01/"
XS = "http://www.w3.org/2001/XMLSchema"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_N = "{" + NS + "}"
WPX = "https://w3id.org/warphoto/newsml/"
ANON = "_:wp-anon-"

#: scheme alias -> scheme URI for every alias this module writes (declared in each item's catalog)
SCHEMES: dict[str, str] = {
    "ninat": "http://cv.iptc.org/newscodes/ninature/",
    "cinat": "http://cv.iptc.org/newscodes/cinature/",
    "stat": "http://cv.iptc.org/newscodes/pubstatusg2/",
    "cpnat": "http://cv.iptc.org/newscodes/cpnature/",
    "cpnatexp": "http://cv.iptc.org/newscodes/cpnatureexperimental/",
    "cwarn": "http://cv.iptc.org/newscodes/contentwarning/",
    "drol": "http://cv.iptc.org/newscodes/descriptionrole/",
    "nrol": "http://cv.iptc.org/newscodes/namerole/",
    "crol": "http://cv.iptc.org/newscodes/creatorrole/",
    "medtop": "http://cv.iptc.org/newscodes/mediatopic/",
    "subj": "http://cv.iptc.org/newscodes/subjectcode/",
    "genre": "http://cv.iptc.org/newscodes/genre/",
    "scn": "http://cv.iptc.org/newscodes/scene/",
    "digsrctype": "http://cv.iptc.org/newscodes/digitalsourcetype/",
    "hashtype": "http://cv.iptc.org/newscodes/hashtype/",
    "iso3166-1a2": "http://cvx.iptc.org/iso3166-1a2/",
    "wpx": WPX,
    "wpbn": WPX + "blank/",
}
#: IRIs under these schemes are written as QCodes (others as uri=)
_QCODE_SCHEMES = ("cwarn", "medtop", "subj", "genre", "scn", "digsrctype")

#: aliases of the IPTC catalog the reader knows even when an item only has a catalogRef
_KNOWN_ALIASES: dict[str, str] = {
    **SCHEMES,
    "iso3166-1a3": "http://cvx.iptc.org/iso3166-1a3/",
    "nprov": "http://cv.iptc.org/newscodes/newsprovider/",
    "rnd": "http://cv.iptc.org/newscodes/rendition/",
    "ctrol": "http://cv.iptc.org/newscodes/contributorrole/",
    "wikidata": "http://www.wikidata.org/entity/",
    "geonames": "http://sws.geonames.org/",
}

_PLACE_LEVELS = {
    "Place": "cpnatexp:geoAreaSublocation",
    "City": "cpnatexp:geoAreaCity",
    "State": "cpnatexp:geoAreaProvState",
    "Country": "cpnatexp:geoAreaCountry",
    "Continent": "cpnatexp:geoAreaWorldRegion",
    "AdministrativeArea": "cpnat:geoArea",
}
_LEVEL_TYPES = {v: k for k, v in _PLACE_LEVELS.items()}
_ENTITY_TYPES = {
    "Person": "cpnat:person",
    "Organization": "cpnat:organisation",
    "Event": "cpnat:event",
    "Concept": "cpnat:abstract",
}
_TYPE_ENTITIES = {v: k for k, v in _ENTITY_TYPES.items()}
_SHA256 = "hashtype:SHA-256"
_MEDIA_TYPE = "application/vnd.iptc.g2.newsitem+xml"


# --------------------------------------------------------------------------- crosswalk, loss table


_PLACE_KINDS = frozenset(_PLACE_LEVELS)


def kind_of(node: Mapping[str, Any], parent_key: str | None = None) -> str | None:
    """The crosswalk entity of a record node: Photograph, Gallery, MediaFile, Place, Person, ..."""
    value = node.get("@type")
    types = [value] if isinstance(value, str) else [t for t in value or [] if isinstance(t, str)]
    if "Photograph" in types:
        return "Photograph"
    if "ImageGallery" in types:
        return "Gallery"
    if "ImageObject" in types:
        return "MediaFile"
    for name in types:
        if name in _PLACE_KINDS:
            return "Place"
        if name in (
            "Person",
            "Organization",
            "Event",
            "Concept",
            "Activity",
            "Association",
            "PersonShown",
            "GeoCoordinates",
        ):
            return name
    if "@value" in node:
        return None
    return {"personShown": "PersonShown", "geo": "GeoCoordinates", "qualifiedAssociation": "Association"}.get(
        parent_key or ""
    )


@cache
def carried_fields(table: str) -> frozenset[tuple[str, str]]:
    """(entity, field) pairs the crosswalk ``table`` marks as carried."""
    return frozenset(
        (row["entity"], row["field"]) for row in _crosswalk.load_table(table) if row["carried"] == "yes"
    )


def _walk_values(
    value: Any, key: str, path: str, carried: frozenset[tuple[str, str]], lost: list[str] | None
) -> Any:
    if isinstance(value, list):
        return [_walk_values(item, key, path, carried, lost) for item in value]
    if isinstance(value, dict) and "@value" not in value and not _is_langmap(key):
        return _project_node(value, key, path, carried, lost)
    return value


def _is_langmap(key: str) -> bool:
    return key in {
        "headline",
        "title",
        "caption",
        "altText",
        "description",
        "keywords",
        "copyrightNotice",
        "usageTerms",
        "name",
        "alternateName",
        "jobTitle",
        "prefLabel",
    }


_IMPLIED_TYPES = frozenset({"PersonShown", "GeoCoordinates", "Association"})


def _project_node(
    node: Mapping[str, Any],
    parent_key: str | None,
    path: str,
    carried: frozenset[tuple[str, str]],
    lost: list[str] | None,
) -> dict[str, Any]:
    kind = kind_of(node, parent_key)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@type" and kind in _IMPLIED_TYPES:
            continue  # implied by where the node sits; readers leave it out
        if key in ("@context", "@type") or kind is None:
            out[key] = value
            continue
        field = "extension" if ":" in key else key
        here = f"{path}.{key}" if path else key
        if (kind, field) not in carried:
            if lost is not None and here not in lost:
                lost.append(here)
            continue
        out[key] = _walk_values(value, key, here, carried, lost)
    return out


def project(record: Mapping[str, Any], table: str) -> dict[str, Any]:
    """``record`` restricted to the fields the crosswalk ``table`` says the format carries."""
    return _project_node(record, None, "", carried_fields(table), None)


def lost_fields(record: Mapping[str, Any], table: str) -> list[str]:
    """Dotted paths of the record's fields the format would drop (e.g. ``provenance``, ``creator.url``)."""
    lost: list[str] = []
    _project_node(record, None, "", carried_fields(table), lost)
    return lost


# --------------------------------------------------------------------------- small helpers


def _el(parent: Any, _tag: str, text: str | None = None, **attrs: Any) -> Any:
    element = etree.SubElement(parent, _N + _tag)
    for key, value in attrs.items():
        if value is None:
            continue
        name = XML_LANG if key == "lang" else key
        element.set(name, str(value))
    if text is not None:
        element.text = text
    return element


def _is_simple_date(value: Any) -> TypeGuard[Mapping[str, Any]]:
    return isinstance(value, Mapping) and value.get("@type") in (
        "xsd:gYear",
        "xsd:gYearMonth",
        "xsd:date",
        "xsd:dateTime",
    )


class _Writer:
    """State for one item: the aliases it uses and the entities it must assert."""

    def __init__(self) -> None:
        self.aliases: set[str] = set()
        self.asserts: dict[str, dict[str, Any]] = {}
        self.anon = 0

    def qcode(self, alias: str, code: str) -> str:
        self.aliases.add(alias)
        return f"{alias}:{code}"

    def q(self, qcode: str) -> str:
        """Note the alias of a QCode written literally (``"ninat:picture"``)."""
        self.aliases.add(qcode.split(":", 1)[0])
        return qcode

    def concept_attrs(self, iri: str) -> dict[str, Any]:
        for alias in _QCODE_SCHEMES:
            base = SCHEMES[alias]
            if iri.startswith(base) and re.fullmatch(r"[A-Za-z0-9_.\-]+", iri[len(base) :]):
                return {"qcode": self.qcode(alias, iri[len(base) :])}
        return {"uri": iri}

    def node_id(self, node: Mapping[str, Any] | str) -> str:
        if isinstance(node, str):
            return node
        ident = node.get("@id")
        if isinstance(ident, str):
            return ident
        self.anon += 1
        return f"{ANON}{self.anon}"

    def id_attrs(self, ident: str) -> dict[str, str]:
        if ident.startswith("_:"):
            return {"literal": ident}
        return {"uri": ident}

    def ref(
        self,
        parent: Any,
        tag: str,
        node: Mapping[str, Any] | str,
        *,
        type_qcode: str | None = None,
        assert_it: bool = True,
        **attrs: Any,
    ) -> Any:
        """A reference element to an entity (uri/literal + type + names); the entity goes to an assert."""
        ident = self.node_id(node)
        if not isinstance(node, Mapping):
            node = {"@id": ident}
        kind = kind_of(node)
        if type_qcode is None and kind is not None:
            type_qcode = _place_type(node) if kind == "Place" else _ENTITY_TYPES.get(kind)
        if "qcode" not in attrs and "uri" not in attrs:
            attrs.update(self.id_attrs(ident))
        element = _el(parent, tag, **attrs)
        if type_qcode:
            element.set("type", self.q(type_qcode))
        for lang, text in _texts(node.get("name") or node.get("prefLabel")):
            _el(element, "name", text, lang=lang)
        if assert_it and len(node) > 1:
            stored = self.asserts.setdefault(ident, dict(node))
            if len(node) > len(stored):
                self.asserts[ident] = dict(node)
        return element


def _place_type(node: Mapping[str, Any]) -> str:
    value = node.get("@type")
    return _PLACE_LEVELS.get(value if isinstance(value, str) else "Place", "cpnat:geoArea")


# --------------------------------------------------------------------------- writer


def _catalog(root: Any, writer: _Writer) -> None:
    catalog = root.find(_N + "catalog")
    for alias in sorted(writer.aliases):
        if alias in SCHEMES:
            _el(catalog, "scheme", alias=alias, uri=SCHEMES[alias])


def _root(tag: str, ident: str) -> Any:
    root = etree.Element(_N + tag, nsmap={None: NS, "xs": XS})
    root.set("guid", ident)
    root.set("version", "1")
    root.set("standard", "NewsML-G2")
    root.set("standardversion", "2.35")
    root.set("conformance", "power")
    _el(root, "catalog")
    return root


def _item_meta(root: Any, writer: _Writer, item_class: str, options: Mapping[str, Any]) -> Any:
    meta = _el(root, "itemMeta")
    _el(meta, "itemClass", qcode=writer.q(item_class))
    provider = str(options.get("provider") or "warphoto")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", provider) or provider.startswith("urn:"):
        _el(meta, "provider", uri=provider)
    else:
        _el(meta, "provider", literal=provider)
    created = options.get("version_created")
    if created is None:
        created = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    _el(meta, "versionCreated", str(created))
    _el(meta, "pubStatus", qcode=writer.q(str(options.get("pub_status") or "stat:usable")))
    # names the tool: the reader keeps the text of warphoto's own items exactly
    _el(meta, "generator", GENERATOR, versioninfo=_warphoto_version())
    return meta


#: the itemMeta/generator text of the items warphoto writes
GENERATOR = "warphoto"


def _warphoto_version() -> str:
    from warphoto import __version__

    return __version__


def _assert_entity(root: Any, writer: _Writer, ident: str, node: Mapping[str, Any]) -> None:
    element = _el(root, "assert", **writer.id_attrs(ident))
    kind = kind_of(node)
    if kind == "Place":
        _el(element, "type", qcode=writer.q(_place_type(node)))
    elif kind in _ENTITY_TYPES:
        _el(element, "type", qcode=writer.q(_ENTITY_TYPES[kind]))
    for lang, text in _texts(node.get("name") or node.get("prefLabel")):
        _el(element, "name", text, lang=lang)
    for lang, text in _texts(node.get("alternateName")):
        _el(element, "name", text, lang=lang, role=writer.q("nrol:alternate"))
    for lang, text in _texts(node.get("description")):
        _el(element, "definition", text, lang=lang)
    for iri in _as_list(node.get("sameAs")):
        _el(element, "sameAs", uri=iri)
    if node.get("countryCode"):
        _el(element, "sameAs", qcode=writer.qcode("iso3166-1a2", str(node["countryCode"])))
    parent = node.get("containedInPlace")
    if parent is not None:
        writer.ref(element, "broader", parent)
    if node.get("inScheme"):
        _el(element, "related", rel=writer.q("wpx:inScheme"), uri=node["inScheme"])
    for lang, text in _texts(node.get("jobTitle")):
        related = _el(element, "related", rel=writer.q("wpx:jobTitle"), literal="jobTitle")
        _el(related, "name", text, lang=lang)
    if kind == "Event":
        _event_details(element, writer, node)
    geo = node.get("geo")
    if isinstance(geo, Mapping):
        details = _el(element, "geoAreaDetails")
        elevation = geo.get("elevation")
        whole = isinstance(elevation, int) and not isinstance(elevation, bool)
        _el(
            details,
            "position",
            latitude=_num(geo.get("latitude")),
            longitude=_num(geo.get("longitude")),
            altitude=_num(elevation) if whole else None,
        )
        if elevation is not None and not whole:  # position/@altitude is an xs:integer
            _el(
                element,
                "related",
                rel=writer.q("wpx:elevation"),
                literal="elevation",
                value=_num(elevation),
                valuedatatype="xs:double",
            )


def _num(value: Any) -> str | None:
    if value is None:
        return None
    return repr(value) if isinstance(value, float) else str(value)


def _partial_event_dates(element: Any, writer: _Writer, event: Mapping[str, Any]) -> None:
    """Event dates NewsML-G2's dates element cannot hold (intervals, ...) as extension properties."""
    for key in ("startDate", "endDate"):
        value = event.get(key)
        if value is not None and not _is_simple_date(value):
            _el(
                element,
                "conceptExtProperty",
                type=writer.q(f"wpx:{key}"),
                value=value["@value"],
                valuedatatype="xs:string",
            )


def _event_details(element: Any, writer: _Writer, node: Mapping[str, Any]) -> None:
    """An event's place and dates, in the order a concept takes them: relations, details, extensions."""
    start, end = node.get("startDate"), node.get("endDate")
    location = node.get("location")
    if location is not None and not _is_simple_date(start):
        writer.ref(element, "related", location, rel=writer.q("wpx:location"))
    if _is_simple_date(start):
        details = _el(element, "eventDetails")
        dates = _el(details, "dates")
        _el(dates, "start", start["@value"])
        if _is_simple_date(end):
            _el(dates, "end", end["@value"])
        if location is not None:
            writer.ref(details, "location", location)
    _partial_event_dates(element, writer, node)


def _write_asserts(root: Any, writer: _Writer) -> None:
    done: set[str] = set()
    while True:
        pending = [k for k in writer.asserts if k not in done]
        if not pending:
            return
        for ident in pending:
            done.add(ident)
            _assert_entity(root, writer, ident, writer.asserts[ident])


def _rights(root: Any, writer: _Writer, record: Mapping[str, Any]) -> None:
    holders = _as_list(record.get("copyrightHolder"))
    notices = list(_texts(record.get("copyrightNotice")))
    terms = list(_texts(record.get("usageTerms")))
    links = [(k, record[k]) for k in ("license", "acquireLicensePage") if record.get(k)]
    if not (holders or notices or terms or links):
        return
    rights = _el(root, "rightsInfo")
    if holders:
        writer.ref(rights, "copyrightHolder", holders[0])
    for lang, text in notices:
        _el(rights, "copyrightNotice", text, lang=lang)
    for lang, text in terms:
        _el(rights, "usageTerms", text, lang=lang)
    for key, href in links:
        _el(rights, "link", rel=writer.q(f"wpx:{key}"), href=href)
    for holder in holders[1:]:
        writer.ref(_el(root, "rightsInfo"), "copyrightHolder", holder)


def _date_ext(parent: Any, writer: _Writer, key: str, value: Any) -> None:
    _el(
        parent,
        "contentMetaExtProperty",
        type=writer.q(f"wpx:{key}"),
        value=value["@value"],
        valuedatatype="xs:string",
    )


def _check_loss(record: Mapping[str, Any], options: Mapping[str, Any]) -> None:
    if options.get("refuse_loss"):
        lost = lost_fields(record, "newsml.csv")
        if lost:
            ident = record.get("@id")
            raise LossError("NewsML-G2", ident if isinstance(ident, str) else None, lost)


def news_item(record: Mapping[str, Any], **options: Any) -> Any:
    """The ``newsItem`` element for one photograph record (shared entities embedded)."""
    _check_loss(record, options)
    ident = record.get("@id")
    if not isinstance(ident, str):
        raise WriteError("a photograph needs an @id to become a NewsML-G2 newsItem (its guid)")
    writer = _Writer()
    root = _root("newsItem", ident)
    _rights(root, writer, record)
    meta = _item_meta(root, writer, "ninat:picture", options)
    for lang, text in _texts(record.get("title")):
        _el(meta, "title", text, lang=lang)
    if record.get("instructions"):
        _el(meta, "edNote", record["instructions"])
    for iri in _as_list(record.get("contentWarning")):
        _el(meta, "signal", **writer.concept_attrs(iri))
    if record.get("isPartOf") or record.get("position") is not None:
        _el(
            meta,
            "link",
            rel=writer.q("wpx:isPartOf"),
            residref=record.get("isPartOf"),
            rank=record.get("position"),
        )
    if record.get("url"):
        _el(meta, "link", rel=writer.q("wpx:url"), href=record["url"])

    content = _el(root, "contentMeta")
    created = record.get("dateCreated")
    if _is_simple_date(created):
        _el(content, "contentCreated", created["@value"])
    if record.get("digitalSourceType"):
        _el(content, "digitalSourceType", **writer.concept_attrs(record["digitalSourceType"]))
    located = record.get("locationCreated")
    if located is not None:
        writer.ref(content, "located", located)
    for creator in _as_list(record.get("creator")):
        writer.ref(content, "creator", creator, role=writer.q("crol:photographer"))
    if record.get("identifier"):
        _el(content, "altId", record["identifier"], type=writer.q("wpx:identifier"))
    for genre in _as_list(record.get("genre")):
        writer.ref(content, "genre", genre, type_qcode="", **writer.concept_attrs(writer.node_id(genre)))
    for lang, text in _texts(record.get("keywords")):
        _el(content, "keyword", text, lang=lang)
    for concept in _as_list(record.get("about")):
        writer.ref(
            content,
            "subject",
            concept,
            type_qcode="cpnat:abstract",
            **writer.concept_attrs(writer.node_id(concept)),
        )
    for place in _as_list(record.get("contentLocation")):
        writer.ref(content, "subject", place, type_qcode="cpnat:geoArea")
    for shown in _as_list(record.get("personShown")):
        person = shown.get("person")
        subject = writer.ref(content, "subject", person, type_qcode="cpnat:person")
        for lang, text in _texts(shown.get("description")):
            _el(subject, "note", text, lang=lang)
        if shown.get("age") is not None:
            _el(
                subject,
                "related",
                rel=writer.q("wpx:age"),
                literal="age",
                value=shown["age"],
                valuedatatype="xs:nonNegativeInteger",
            )
    for event in _as_list(record.get("recordedAt")):
        writer.ref(content, "subject", event, type_qcode="cpnat:event")
    for lang, text in _texts(record.get("headline")):
        _el(content, "headline", text, lang=lang)
    dateline = _dateline(located)
    if dateline:
        _el(content, "dateline", dateline)
    if record.get("creditText"):
        _el(content, "creditline", record["creditText"])
    for lang, text in _texts(record.get("caption")):
        _el(content, "description", text, lang=lang, role=writer.q("drol:caption"))
    for lang, text in _texts(record.get("altText")):
        _el(content, "description", text, lang=lang, role=writer.q("drol:alternativeText"))
    if created is not None and not _is_simple_date(created):
        _date_ext(content, writer, "dateCreated", created)

    _write_asserts(root, writer)
    files = [f for f in _as_list(record.get("associatedMedia")) if isinstance(f, Mapping)]
    if files:
        content_set = _el(root, "contentSet")
        for media in files:
            remote = _el(
                content_set,
                "remoteContent",
                residref=media.get("@id"),
                href=media.get("contentUrl"),
                rendition=writer.q(f"wpx:{media['fileRole']}") if media.get("fileRole") else None,
                size=media.get("contentSize"),
                contenttype=media.get("encodingFormat"),
                width=media.get("width"),
                height=media.get("height"),
            )
            if media.get("sha256"):
                _el(remote, "hash", media["sha256"], hashtype=writer.q(_SHA256))
    _catalog(root, writer)
    return root


def _dateline(place: Any) -> str | None:
    """A dateline from the place the photograph was taken: its city, or its own name."""
    node = place
    while isinstance(node, Mapping):
        if node.get("@type") in ("City", "Place") and isinstance(node.get("name"), Mapping):
            names = list(node["name"].values())
            if names:
                return str(names[0]).upper()
        node = node.get("containedInPlace")
    return None


def package_item(
    gallery: Mapping[str, Any], photographs: Iterable[Mapping[str, Any]] = (), **options: Any
) -> Any:
    """The ``packageItem`` for a gallery: its photographs in order (by ``position``)."""
    _check_loss(gallery, options)
    ident = gallery["@id"]
    writer = _Writer()
    root = _root("packageItem", ident)
    meta = _item_meta(root, writer, "ninat:composite", options)
    for iri in _as_list(gallery.get("contentWarning")):
        _el(meta, "signal", **writer.concept_attrs(iri))
    if gallery.get("url"):
        _el(meta, "link", rel=writer.q("wpx:url"), href=gallery["url"])
    content = _el(root, "contentMeta")
    for author in _as_list(gallery.get("author")):
        writer.ref(content, "creator", author, role=writer.q("crol:author"))
    if gallery.get("publisher") is not None:
        writer.ref(content, "infoSource", gallery["publisher"], role=writer.q("wpx:publisher"))
    if gallery.get("inLanguage"):
        _el(content, "language", tag=gallery["inLanguage"])
    for lang, text in _texts(gallery.get("headline")):
        _el(content, "headline", text, lang=lang)
    for lang, text in _texts(gallery.get("description")):
        _el(content, "description", text, lang=lang, role=writer.q("drol:summary"))
    if gallery.get("datePublished") is not None:
        _date_ext(content, writer, "datePublished", gallery["datePublished"])
    _write_asserts(root, writer)
    titles = {p.get("@id"): p for p in photographs}
    parts = [p if isinstance(p, str) else p.get("@id") for p in _as_list(gallery.get("hasPart"))]
    group_set = _el(root, "groupSet", root="G1")
    group = _el(group_set, "group", id="G1", role=writer.q("wpx:gallery"))
    for part in parts:
        if not isinstance(part, str):
            continue
        ref = _el(group, "itemRef", residref=part, contenttype=_MEDIA_TYPE)
        _el(ref, "itemClass", qcode=writer.q("ninat:picture"))
        photo = titles.get(part)
        if photo is not None:
            for lang, text in _texts(photo.get("headline")):
                _el(ref, "title", text, lang=lang)
    _catalog(root, writer)
    return root


def concept_item(event: Mapping[str, Any], **options: Any) -> Any:
    """The ``conceptItem`` for an event: its names, description, dates and place."""
    _check_loss(event, options)
    writer = _Writer()
    ident = writer.node_id(event)
    root = _root("conceptItem", ident)
    _item_meta(root, writer, "cinat:concept", options)
    concept = _el(root, "concept")
    if ident.startswith("_:"):
        _el(concept, "conceptId", qcode=writer.qcode("wpbn", ident[2:]))
    else:
        _el(concept, "conceptId", uri=ident)
    _el(concept, "type", qcode=writer.q("cpnat:event"))
    names = list(_texts(event.get("name")))
    if not names:
        names = [("", "(unnamed event)")]  # a concept must have a name
        _el(concept, "name", names[0][1], role=writer.q("wpx:placeholder"))
    else:
        for lang, text in names:
            _el(concept, "name", text, lang=lang)
    for lang, text in _texts(event.get("description")):
        _el(concept, "definition", text, lang=lang)
    for iri in _as_list(event.get("sameAs")):
        _el(concept, "sameAs", uri=iri)
    _event_details(concept, writer, event)
    _write_asserts(root, writer)
    # asserts must come before the concept
    for element in root.findall(_N + "assert"):
        concept.addprevious(element)
    _catalog(root, writer)
    return root


def news_message(collection: Mapping[str, Any], **options: Any) -> Any:
    """A ``newsMessage`` for a collection: packageItems, newsItems and conceptItems."""
    from warphoto.model import standalone_records

    graph = [n for n in collection.get("@graph", []) if isinstance(n, Mapping)]
    photos = standalone_records(collection)
    galleries = standalone_records(collection, types=("ImageGallery",))
    events = standalone_records(collection, types=("Event",))
    if options.get("refuse_loss"):
        for node in [*photos, *galleries, *events]:
            _check_loss(node, options)
        handled = {"Photograph", "Gallery", "Event"}
        for top in graph:
            kind = kind_of(top)
            if kind not in handled and kind not in ("Place", "Person", "Organization", "Concept"):
                raise LossError("NewsML-G2", top.get("@id"), [f"@graph node of type {kind}"])
    root = etree.Element(_N + "newsMessage", nsmap={None: NS})
    header = _el(root, "header")
    sent = options.get("version_created") or datetime.now(UTC).replace(microsecond=0).isoformat()
    _el(header, "sent", str(sent))
    item_set = _el(root, "itemSet")
    for gallery in galleries:
        parts = gallery.get("hasPart") or []
        if not parts:  # galleries are written from hasPart, or from the photographs' position
            members = sorted(
                (p for p in photos if p.get("isPartOf") == gallery["@id"]),
                key=lambda p: p.get("position") or 0,
            )
            gallery = {**gallery, "hasPart": [p["@id"] for p in members]}
        item_set.append(package_item(gallery, photos, **options))
    for photo in photos:
        item_set.append(news_item(photo, **options))
    for event in events:
        item_set.append(concept_item(event, **options))
    return root


def _serialize(root: Any) -> str:
    text: str = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text


def dumps(document: Mapping[str, Any], **options: Any) -> str:
    """NewsML-G2 XML for a photograph, gallery, event or collection record.

    Options: ``provider`` (IRI or name of the item provider, default ``warphoto``),
    ``version_created`` (xs:dateTime, default now), ``refuse_loss`` (raise LossError rather
    than drop fields the format cannot carry).
    """
    document = dict(document)
    document.pop("@context", None)
    if "@graph" in document:
        return _serialize(news_message(document, **options))
    kind = kind_of(document)
    if kind == "Photograph":
        return _serialize(news_item(document, **options))
    if kind == "Gallery":
        return _serialize(package_item(document, **options))
    if kind == "Event":
        return _serialize(concept_item(document, **options))
    raise WriteError(
        f"NewsML-G2 writes photographs (newsItem), galleries (packageItem), events (conceptItem) and "
        f"collections (newsMessage), not a record of type {document.get('@type')!r}"
    )


# --------------------------------------------------------------------------- reader


class _Reader:
    def __init__(self, item: Any, source: str | None, aliases: Mapping[str, str]) -> None:
        self.item = item
        self.source = source
        self.aliases = dict(_KNOWN_ALIASES)
        self.aliases.update(aliases)
        for scheme in item.iter(_N + "scheme"):
            alias, uri = scheme.get("alias"), scheme.get("uri")
            if alias and uri:
                self.aliases[alias] = uri
        # warphoto's own items (its generator, or its wpx catalog entry) keep their text exactly
        meta = item.find(_N + "itemMeta")
        generators = meta.findall(_N + "generator") if meta is not None else []
        by_name = any((g.text or "").strip() == GENERATOR for g in generators)
        by_catalog = self.aliases.get("wpx") == WPX and any(
            s.get("alias") == "wpx" for s in item.iter(_N + "scheme")
        )
        _EXACT.set(by_name or by_catalog)
        self.asserts: dict[str, Any] = {}
        for element in item.findall(_N + "assert"):
            ident = self.ident(element)
            if ident:
                self.asserts[ident] = element
        self.building: set[str] = set()

    def fail(self, message: str, element: Any) -> ReadError:
        return ReadError(message, source=self.source, line=getattr(element, "sourceline", None))

    def expand(self, qcode: str) -> str:
        alias, _, code = qcode.partition(":")
        base = self.aliases.get(alias)
        return base + code if base else qcode

    def ident(self, element: Any) -> str | None:
        uri = element.get("uri")
        if uri:
            return str(uri).strip()
        qcode = element.get("qcode")
        if qcode:
            expanded = self.expand(str(qcode).strip())
            if expanded.startswith(SCHEMES["wpbn"]):
                return "_:" + expanded[len(SCHEMES["wpbn"]) :]
            return expanded
        literal = element.get("literal")
        if literal:
            literal = str(literal).strip()
            return literal if literal.startswith("_:") else f"_:{_label(literal)}"
        return None

    def is_code(self, value: str | None, qcode: str) -> bool:
        return value is not None and self.expand(value.strip()) == self.expand(qcode)

    def entity(self, element: Any, default_kind: str | None = None) -> dict[str, Any] | str:
        """The entity a reference element names, with the details of its assert."""
        ident = self.ident(element)
        source = self.asserts.get(ident) if ident else None
        if ident and ident in self.building:
            return ident
        if (
            ident
            and source is None
            and all(
                etree.QName(child).localname in ("note", "related")
                for child in element
                if isinstance(child.tag, str)
            )
        ):
            return ident  # a bare reference
        node: dict[str, Any] = {}
        if ident and not ident.startswith(ANON):
            node["@id"] = ident
        kind_type = None
        if source is not None:
            type_el = source.find(_N + "type")
            if type_el is not None and type_el.get("qcode"):
                kind_type = self.type_name(type_el.get("qcode"))
        if kind_type is None and element.get("type"):
            kind_type = self.type_name(element.get("type"))
        node["@type"] = kind_type or default_kind or "Place"
        if ident:
            self.building.add(ident)
        try:
            self.describe(node, source if source is not None else element)
        finally:
            if ident:
                self.building.discard(ident)
        return node

    def type_name(self, qcode: str) -> str | None:
        expanded = self.expand(qcode)
        for table in (_LEVEL_TYPES, _TYPE_ENTITIES):
            for code, name in table.items():
                if self.expand(code) == expanded:
                    return name
        if self.is_code(qcode, "cpnat:geoArea") or self.is_code(qcode, "cpnat:poi"):
            return "Place"
        return None

    def describe(self, node: dict[str, Any], element: Any) -> None:
        kind = node["@type"]
        names: dict[str, str] = {}
        alternates: dict[str, list[str]] = {}
        for name in element.findall(_N + "name"):
            text = _text(name)
            if not text:
                continue
            lang = _lang(name)
            role = name.get("role")
            if role and self.is_code(role, "nrol:alternate"):
                alternates.setdefault(lang, []).append(text)
            elif role and self.is_code(role, "wpx:placeholder"):
                continue
            else:
                names.setdefault(lang, text)
        if names:
            node["prefLabel" if kind == "Concept" else "name"] = names
        if alternates:
            node["alternateName"] = alternates
        definitions = _langmap(element.findall(_N + "definition"))
        if definitions:
            node["description"] = definitions
        same, code = [], None
        for same_as in element.findall(_N + "sameAs"):
            qcode = same_as.get("qcode")
            if qcode and qcode.startswith("iso3166-1a2:"):
                code = qcode.split(":", 1)[1]
            elif self.ident(same_as):
                same.append(self.ident(same_as))
        if same:
            node["sameAs"] = same
        if code and kind in _PLACE_KINDS:
            node["countryCode"] = code
        broader = element.find(_N + "broader")
        if broader is not None and kind in _PLACE_KINDS:
            node["containedInPlace"] = self.entity(broader, "Place")
        job: dict[str, str] = {}
        for related in element.findall(_N + "related"):
            rel = related.get("rel")
            if self.is_code(rel, "wpx:inScheme") and related.get("uri"):
                node["inScheme"] = related.get("uri")
            elif self.is_code(rel, "wpx:jobTitle"):
                job.update(_langmap(related.findall(_N + "name")))
            elif self.is_code(rel, "wpx:location"):
                node["location"] = self.entity(related, "Place")
        if job and kind == "Person":
            node["jobTitle"] = job
        details = element.find(_N + "eventDetails")
        if details is not None:
            start = details.find(f"{_N}dates/{_N}start")
            end = details.find(f"{_N}dates/{_N}end")
            if start is not None and _text(start):
                node["startDate"] = _date(_text(start))
            if end is not None and _text(end):
                node["endDate"] = _date(_text(end))
            location = details.find(_N + "location")
            if location is not None:
                node["location"] = self.entity(location, "Place")
        for ext in element.findall(_N + "conceptExtProperty"):
            for key in ("startDate", "endDate"):
                if self.is_code(ext.get("type"), f"wpx:{key}") and ext.get("value"):
                    node[key] = _date(ext.get("value"))
        position = element.find(f"{_N}geoAreaDetails/{_N}position")
        if position is None:
            position = element.find(f"{_N}POIDetails/{_N}position")
        if position is not None and position.get("latitude") and position.get("longitude"):
            geo: dict[str, Any] = {
                "latitude": _number(position.get("latitude")),
                "longitude": _number(position.get("longitude")),
            }
            if position.get("altitude"):
                geo["elevation"] = _number(position.get("altitude"))
            for related in element.findall(_N + "related"):
                if self.is_code(related.get("rel"), "wpx:elevation") and related.get("value"):
                    geo["elevation"] = float(related.get("value"))
            node["geo"] = geo


def _label(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text) or "x"


#: whether the item being read is warphoto's own (set by each _Reader; one value per thread)
_EXACT: ContextVar[bool] = ContextVar("warphoto_newsml_exact_text", default=False)


def _text(element: Any) -> str:
    """The element's text: exact in items warphoto wrote, whitespace-normalised in others."""
    text = "".join(element.itertext())
    if _EXACT.get():
        return text
    return " ".join(text.split())


def _lang(element: Any, default: str = "und") -> str:
    node = element
    while node is not None:
        lang = node.get(XML_LANG)
        if lang:
            return str(lang)
        node = node.getparent()
    return default


def _langmap(elements: Iterable[Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for element in elements:
        text = _text(element)
        if text:
            lang = _lang(element)
            out[lang] = f"{out[lang]}\n{text}" if lang in out else text
    return out


def _number(text: Any) -> int | float:
    value = float(str(text))
    return (
        int(value) if value.is_integer() and "." not in str(text) and "e" not in str(text).lower() else value
    )


def _date(text: str) -> dict[str, str]:
    from warphoto.dates import classify

    value = text.strip()
    datatype = classify(value)
    if datatype is None:
        raise ReadError(f"{value!r} is not a date warphoto understands")
    return {"@value": value, "@type": datatype}


def _required(reader: _Reader, parent: Any, name: str) -> Any:
    element = parent.find(_N + name)
    if element is None:
        raise reader.fail(f"<{etree.QName(parent).localname}> lacks the required element <{name}>", parent)
    return element


def _item_class(reader: _Reader, item: Any) -> str:
    meta = _required(reader, item, "itemMeta")
    element = _required(reader, meta, "itemClass")
    qcode = element.get("qcode") or ""
    return reader.expand(qcode) if qcode else str(element.get("uri") or "")


def _read_news_item(item: Any, source: str | None, aliases: Mapping[str, str]) -> dict[str, Any]:
    reader = _Reader(item, source, aliases)
    item_class = _item_class(reader, item)
    if item_class != SCHEMES["ninat"] + "picture":
        written = item.find(f"{_N}itemMeta/{_N}itemClass").get("qcode") or item_class
        raise reader.fail(
            f"<newsItem> has item class {written!r} ({item_class}); warphoto reads picture items "
            "(ninat:picture)",
            item.find(f"{_N}itemMeta/{_N}itemClass"),
        )
    guid = item.get("guid")
    if not guid:
        raise reader.fail("<newsItem> lacks its guid attribute", item)
    record: dict[str, Any] = {"@id": guid.strip(), "@type": ["ImageObject", "Photograph"]}
    meta = item.find(_N + "itemMeta")
    content = item.find(_N + "contentMeta")

    titles = _langmap(meta.findall(_N + "title"))
    if titles:
        record["title"] = titles
    notes = [_text(n) for n in meta.findall(_N + "edNote") if _text(n)]
    if notes:
        record["instructions"] = "\n".join(notes)
    warnings = []
    for signal in meta.findall(_N + "signal"):
        ident = reader.ident(signal)
        if ident and ident.startswith(SCHEMES["cwarn"]):
            warnings.append(ident)
    if warnings:
        record["contentWarning"] = warnings
    for link in meta.findall(_N + "link"):
        rel = link.get("rel")
        if reader.is_code(rel, "wpx:isPartOf"):
            if link.get("residref"):
                record["isPartOf"] = link.get("residref")
            if link.get("rank"):
                record["position"] = int(link.get("rank"))
        elif reader.is_code(rel, "wpx:url") and link.get("href"):
            record["url"] = link.get("href")

    holders: list[Any] = []
    notices: list[Any] = []
    terms: list[Any] = []
    for rights in item.findall(_N + "rightsInfo"):
        holder = rights.find(_N + "copyrightHolder")
        if holder is not None:
            holders.append(reader.entity(holder, "Organization"))
        notices.extend(rights.findall(_N + "copyrightNotice"))
        terms.extend(rights.findall(_N + "usageTerms"))
        for link in rights.findall(_N + "link"):
            for key in ("license", "acquireLicensePage"):
                if reader.is_code(link.get("rel"), f"wpx:{key}") and link.get("href"):
                    record[key] = link.get("href")
    if holders:
        record["copyrightHolder"] = holders
    if _langmap(notices):
        record["copyrightNotice"] = _langmap(notices)
    if _langmap(terms):
        record["usageTerms"] = _langmap(terms)

    if content is not None:
        _read_content(reader, content, record)
    files = []
    for remote in item.iterfind(f"{_N}contentSet/{_N}remoteContent"):
        media: dict[str, Any] = {"@type": "ImageObject"}
        if remote.get("residref"):
            media["@id"] = remote.get("residref")
        if remote.get("href"):
            media["contentUrl"] = remote.get("href").strip()
        if remote.get("contenttype"):
            media["encodingFormat"] = remote.get("contenttype")
        for attr, key in (("width", "width"), ("height", "height"), ("size", "contentSize")):
            if remote.get(attr):
                media[key] = int(remote.get(attr))
        for digest in remote.findall(_N + "hash"):
            if reader.is_code(digest.get("hashtype"), _SHA256) and _text(digest):
                media["sha256"] = _text(digest).lower()
        rendition = remote.get("rendition")
        for role in ("master", "derivative"):
            if reader.is_code(rendition, f"wpx:{role}"):
                media["fileRole"] = role
        files.append(media)
    if files:
        record["associatedMedia"] = files
    return record


def _read_content(reader: _Reader, content: Any, record: dict[str, Any]) -> None:
    created = content.find(_N + "contentCreated")
    if created is not None and _text(created):
        record["dateCreated"] = _date(_text(created))
    for ext in content.findall(_N + "contentMetaExtProperty"):
        if reader.is_code(ext.get("type"), "wpx:dateCreated") and ext.get("value"):
            record["dateCreated"] = _date(ext.get("value"))
    source_type = content.find(_N + "digitalSourceType")
    if source_type is not None and reader.ident(source_type):
        record["digitalSourceType"] = reader.ident(source_type)
    located = content.find(_N + "located")
    if located is not None:
        record["locationCreated"] = reader.entity(located, "Place")
    creators = [reader.entity(c, "Person") for c in content.findall(_N + "creator")]
    if creators:
        record["creator"] = creators
    for alt in content.findall(_N + "altId"):
        if reader.is_code(alt.get("type"), "wpx:identifier") and _text(alt):
            record["identifier"] = _text(alt)
    genres = [reader.entity(g, "Concept") for g in content.findall(_N + "genre")]
    if genres:
        record["genre"] = [_concept(g) for g in genres]
    keywords: dict[str, list[str]] = {}
    for keyword in content.findall(_N + "keyword"):
        if _text(keyword):
            keywords.setdefault(_lang(keyword), []).append(_text(keyword))
    if keywords:
        record["keywords"] = keywords
    about, places, shown, events = [], [], [], []
    for subject in content.findall(_N + "subject"):
        if reader.is_code(subject.get("type"), "cpnat:person"):
            entry: dict[str, Any] = {"person": reader.entity(subject, "Person")}
            notes = _langmap(subject.findall(_N + "note"))
            if notes:
                entry["description"] = notes
            for related in subject.findall(_N + "related"):
                if reader.is_code(related.get("rel"), "wpx:age") and related.get("value"):
                    entry["age"] = int(related.get("value"))
            shown.append(entry)
            continue
        if reader.ident(subject) is None and not subject.findall(_N + "name"):
            continue
        kind = reader.type_name(subject.get("type") or "") or "Concept"
        node = reader.entity(subject, kind)
        if kind in _PLACE_KINDS or (isinstance(node, dict) and node.get("@type") in _PLACE_KINDS):
            places.append(node)
        elif kind == "Event":
            events.append(node)
        elif kind == "Concept" and reader.ident(subject):
            about.append(_concept(node))
    if about:
        record["about"] = about
    if places:
        record["contentLocation"] = places
    if shown:
        record["personShown"] = shown
    if events:
        record["recordedAt"] = events
    for key, tag in (("headline", "headline"),):
        texts = _langmap(content.findall(_N + tag))
        if texts:
            record[key] = texts
    credit = content.find(_N + "creditline")
    if credit is not None and _text(credit):
        record["creditText"] = _text(credit)
    captions: list[Any] = []
    alts: list[Any] = []
    for description in content.findall(_N + "description"):
        role = description.get("role")
        if role and reader.is_code(role, "drol:alternativeText"):
            alts.append(description)
        elif not role or reader.is_code(role, "drol:caption"):
            captions.append(description)
    if _langmap(captions):
        record["caption"] = _langmap(captions)
    if _langmap(alts):
        record["altText"] = _langmap(alts)


def _concept(node: Any) -> Any:
    if isinstance(node, dict):
        node["@type"] = "Concept"
        if "@id" not in node:
            return None
        node.pop("name", None)
    return node


def _read_package(item: Any, source: str | None, aliases: Mapping[str, str]) -> dict[str, Any]:
    reader = _Reader(item, source, aliases)
    _item_class(reader, item)
    guid = item.get("guid")
    if not guid:
        raise reader.fail("<packageItem> lacks its guid attribute", item)
    gallery: dict[str, Any] = {"@id": guid.strip(), "@type": "ImageGallery"}
    meta = item.find(_N + "itemMeta")
    warnings = [reader.ident(s) for s in meta.findall(_N + "signal")]
    warnings = [w for w in warnings if w and w.startswith(SCHEMES["cwarn"])]
    if warnings:
        gallery["contentWarning"] = warnings
    for link in meta.findall(_N + "link"):
        if reader.is_code(link.get("rel"), "wpx:url") and link.get("href"):
            gallery["url"] = link.get("href")
    content = item.find(_N + "contentMeta")
    if content is not None:
        authors = [reader.entity(c, "Person") for c in content.findall(_N + "creator")]
        if authors:
            gallery["author"] = authors
        source_el = content.find(_N + "infoSource")
        if source_el is not None:
            gallery["publisher"] = reader.entity(source_el, "Organization")
        language = content.find(_N + "language")
        if language is not None and language.get("tag"):
            gallery["inLanguage"] = language.get("tag")
        headline = _langmap(content.findall(_N + "headline"))
        if headline:
            gallery["headline"] = headline
        description = _langmap(content.findall(_N + "description"))
        if description:
            gallery["description"] = description
        for ext in content.findall(_N + "contentMetaExtProperty"):
            if reader.is_code(ext.get("type"), "wpx:datePublished") and ext.get("value"):
                gallery["datePublished"] = _date(ext.get("value"))
    parts = []
    group_set = item.find(_N + "groupSet")
    if group_set is not None:
        for ref in group_set.iter(_N + "itemRef"):
            target = ref.get("residref") or ref.get("href")
            if target:
                parts.append(target.strip())
    if parts:
        gallery["hasPart"] = parts
    return gallery


def _read_concept_item(item: Any, source: str | None, aliases: Mapping[str, str]) -> dict[str, Any]:
    reader = _Reader(item, source, aliases)
    _item_class(reader, item)
    concept = _required(reader, item, "concept")
    concept_id = _required(reader, concept, "conceptId")
    type_el = concept.find(_N + "type")
    if (
        type_el is not None
        and type_el.get("qcode")
        and not reader.is_code(type_el.get("qcode"), "cpnat:event")
    ):
        raise reader.fail(
            f"<concept> of type {type_el.get('qcode')!r}; warphoto reads event concepts (cpnat:event)",
            type_el,
        )
    event: dict[str, Any] = {"@type": "Event"}
    ident = reader.ident(concept_id)
    if ident:
        event["@id"] = ident
    reader.describe(event, concept)
    return event


def _read_event_concept(reader: _Reader, concept: Any) -> dict[str, Any]:
    concept_id = _required(reader, concept, "conceptId")
    event: dict[str, Any] = {"@type": "Event"}
    ident = reader.ident(concept_id)
    if ident:
        event["@id"] = ident
    reader.describe(event, concept)
    return event


def _read_knowledge_item(item: Any, source: str | None, aliases: Mapping[str, str]) -> dict[str, Any]:
    """A knowledgeItem's event concepts, as a collection (other concepts are skipped)."""
    reader = _Reader(item, source, aliases)
    _item_class(reader, item)
    events = []
    for concept in item.iterfind(f"{_N}conceptSet/{_N}concept"):
        type_el = concept.find(_N + "type")
        is_event = concept.find(_N + "eventDetails") is not None or (
            type_el is not None and reader.is_code(type_el.get("qcode"), "cpnat:event")
        )
        if is_event:
            events.append(_read_event_concept(reader, concept))
    return {"@graph": events}


_READERS = {
    "newsItem": _read_news_item,
    "packageItem": _read_package,
    "conceptItem": _read_concept_item,
    "knowledgeItem": _read_knowledge_item,
}


def _read_item(item: Any, source: str | None, aliases: Mapping[str, str]) -> dict[str, Any]:
    local = etree.QName(item).localname
    reader = _READERS.get(local)
    if reader is None or etree.QName(item).namespace != NS:
        raise ReadError(
            f"<{local}> is not a NewsML-G2 item warphoto reads "
            "(newsItem, packageItem, conceptItem, newsMessage)",
            source=source,
            line=item.sourceline,
        )
    return reader(item, source, aliases)


def loads(
    data: str | bytes, *, source: str | None = None, max_bytes: int = MAX_XML_BYTES, **options: Any
) -> dict[str, Any]:
    """Read a newsItem, packageItem, conceptItem or newsMessage into a record or collection dict."""
    root = parse_xml(data, source=source, max_bytes=max_bytes)
    try:
        if etree.QName(root).localname == "newsMessage" and etree.QName(root).namespace == NS:
            aliases: dict[str, str] = {}
            for scheme in root.iterfind(f"{_N}header/{_N}catalog/{_N}scheme"):
                if scheme.get("alias") and scheme.get("uri"):
                    aliases[scheme.get("alias")] = scheme.get("uri")
            item_set = root.find(_N + "itemSet")
            if item_set is None:
                raise ReadError(
                    "<newsMessage> lacks the required element <itemSet>", source=source, line=root.sourceline
                )
            graph: list[dict[str, Any]] = []
            for item in item_set:
                if isinstance(item.tag, str):
                    read = _read_item(item, source, aliases)
                    graph.extend(read.get("@graph", [read]))
            _number_parts(graph)
            return {"@context": _resources.CONTEXT_IRI, "@graph": graph}
        record = _read_item(root, source, {})
    except (ValueError, TypeError, AttributeError) as error:
        raise ReadError(f"cannot read NewsML-G2: {error}", source=source) from None
    return {"@context": _resources.CONTEXT_IRI, **record}


def _number_parts(graph: list[dict[str, Any]]) -> None:
    """Photographs of a gallery in a message get isPartOf/position from the package, if they lack them."""
    photos = {n["@id"]: n for n in graph if "Photograph" in _as_list(n.get("@type"))}
    for node in graph:
        if node.get("@type") == "ImageGallery":
            for index, part in enumerate(node.get("hasPart", []), start=1):
                photo = photos.get(part)
                if photo is not None:
                    photo.setdefault("isPartOf", node["@id"])
                    photo.setdefault("position", index)


FORMAT = register(
    Format(
        name="newsml",
        title="IPTC NewsML-G2 2.35",
        extensions=(".newsml.xml", ".nml"),
        media_type="application/vnd.iptc.g2.newsitem+xml",
        dumps=dumps,
        loads=loads,
        cannot_carry=_crosswalk.fields_not_carried("newsml.csv"),
        aliases=("newsml-g2", "g2"),
        notes="photograph -> newsItem, gallery -> packageItem, event -> conceptItem, "
        "collection -> newsMessage",
        options={
            "provider": "IRI or name of the item provider (default: warphoto)",
            "version_created": "xs:dateTime of itemMeta/versionCreated (default: now, UTC)",
            "refuse_loss": "raise LossError instead of dropping fields NewsML-G2 cannot carry",
        },
    )
)


def loss_table_markdown(tables: Mapping[str, str] | None = None) -> str:
    """docs/loss-table.md: for each format, which record fields it carries (from the crosswalks).

    ``tables`` maps a column title to a crosswalk file with ``entity``, ``field``, ``carried``
    and ``notes`` columns (default: NewsML-G2 and EDM).
    """
    tables = dict(tables or {"NewsML-G2": "newsml.csv", "EDM": "edm.csv"})
    loaded = {title: _crosswalk.load_table(name) for title, name in tables.items()}
    order: list[tuple[str, str]] = []
    cells: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
    for title, table in loaded.items():
        for row in table:
            key = (row["entity"], row["field"])
            if key not in cells:
                order.append(key)
                cells[key] = {}
            cells[key][title] = (row["carried"], row.get("notes", ""))
    lines = [
        "# Loss table",
        "",
        "<!-- generated from vocab/crosswalk/*.csv by warphoto.formats.newsml.loss_table_markdown(); "
        "do not edit by hand -->",
        "",
        "Which record fields each format carries. **yes**: written and read back unchanged (a round trip "
        "returns it); **no**: the writer drops it, and `refuse_loss=True` makes the writer refuse the "
        "record instead, naming the fields (`warphoto.errors.LossError`). `extension` stands for any "
        "extension key (a key with `:`). Notes say where a field is carried only in part.",
        "",
        "| entity | field | " + " | ".join(loaded) + " |",
        "|---|---|" + "---|" * len(loaded),
    ]
    for entity, field in order:
        row_cells = []
        for title in loaded:
            carried, note = cells[(entity, field)].get(title, ("", ""))
            text = {"yes": "yes", "no": "**no**"}.get(carried, "n/a")
            if note and (carried == "no" or "only" in note or "dropped" in note or "not" in note):
                text += f" ({note})"
            row_cells.append(text.replace("|", "\\|"))
        lines.append(f"| {entity} | `{field}` | " + " | ".join(row_cells) + " |")
    lines += _registry_section()
    return "\n".join(lines) + "\n"


def _registry_section() -> list[str]:
    """Every registered format, with what its registry entry says it cannot carry."""
    from warphoto import formats

    lines = [
        "",
        "## Every format",
        "",
        "From the format registry (`warphoto formats` prints the same). A format with nothing listed",
        "carries every record field; its round trips are tested on the example gallery, the valid",
        "corpus and generated records.",
        "",
        "| format | extensions | cannot carry |",
        "|---|---|---|",
    ]
    for fmt in formats.all_formats():
        missing = ", ".join(f"`{name}`" for name in fmt.cannot_carry) or "nothing"
        lines.append(f"| {fmt.name} | {' '.join(fmt.extensions)} | {missing} |")
    lines += [
        "",
        "RDF (RDF/XML, Turtle, N-Triples) and expanded JSON-LD have one more, narrow loss: inside an",
        "extension key's value, a JSON-LD value object with neither `@type` nor `@language`",
        '(`{"@value": "x"}`) comes back as the plain string `"x"`, as JSON-LD defines.',
        "Text: EDM trims the whitespace around text and drops text made only of whitespace (XML",
        "exports are indented by other tools); the schema.org web profile drops language-tagged",
        "text made only of whitespace; NewsML-G2 keeps the text of warphoto's own items exactly",
        "(its `generator` says warphoto) and normalises whitespace in other producers' items.",
        "Every other format keeps text exactly, line ends and all.",
        "XMP and JPEG describe one photograph each: `warphoto convert --to xmp --out-dir` writes a",
        "collection as one sidecar per photograph; EDM writes a collection as a ZIP of one document",
        "per photograph.",
    ]
    return lines
