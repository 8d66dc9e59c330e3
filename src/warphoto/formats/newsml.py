"""IPTC NewsML-G2 (2.35, Power conformance): the writer, and the format's registration.

The reader is ``_newsml_reader``; the names both use (namespaces, scheme aliases, concept
types) are in ``_newsml_names``.

* one photograph -> a ``newsItem`` of item class ``ninat:picture``;
* one gallery -> a ``packageItem`` (``ninat:composite``) whose ``groupSet`` references the
  photographs in order;
* one event -> a ``conceptItem`` (``cinat:concept``, concept type ``cpnat:event``);
* a collection -> a ``newsMessage`` whose ``itemSet`` holds a packageItem per gallery, a
  newsItem per photograph (shared entities embedded) and a conceptItem per top-level event.

Every scheme alias used is declared in an inline ``<catalog>`` of the item. Entities
(places, persons, organisations, events, concepts) are referenced where the item uses them
(``subject``, ``located``, ``creator``, ``copyrightHolder``, ...) by ``uri`` (an IRI) or a
QCode of warphoto's blank-node scheme (``wpbn:``, a node without an IRI, under the opaque id
``_blank`` makes from its content, never its label) with their name; their
full description is an ``<assert>`` in the same item. The mapping is the table
``vocab/crosswalk/newsml.csv``; docs/newsml-edm.md explains it and docs/loss-table.md lists what
NewsML-G2 cannot carry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeGuard
from urllib.parse import quote

from lxml import etree

from warphoto import _crosswalk
from warphoto._blank import opaque_ids
from warphoto._crosswalk import kind_of, lost_fields
from warphoto.errors import LossError, WriteError
from warphoto.formats import Format, register
from warphoto.formats._newsml_names import (
    _N,
    ANON,
    ENTITY_TYPES,
    GENERATOR,
    MEDIA_TYPE,
    NS,
    PLACE_LEVELS,
    QCODE_SCHEMES,
    SCHEMES,
    SHA256,
    XML_LANG,
    XS,
)
from warphoto.formats._newsml_reader import loads
from warphoto.formats._values import as_list as _as_list
from warphoto.formats._values import lang_texts as _texts

__all__ = ["NS", "SCHEMES", "dumps", "loads"]

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
        for alias in QCODE_SCHEMES:
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
        """A node's identity: its IRI as ``uri``; a blank node as a QCode of warphoto's blank-node
        scheme (``wpbn:``), never as a ``literal``, which NewsML-G2 keeps for plain values.
        :func:`dumps` has given every blank node an opaque id (``_blank``) by then."""
        if ident.startswith("_:"):
            if re.fullmatch(r"[A-Za-z0-9_.\-]+", ident[2:]):
                return {"qcode": self.qcode("wpbn", ident[2:])}
            return {"uri": SCHEMES["wpbn"] + quote(ident[2:], safe="")}
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
            type_qcode = _place_type(node) if kind == "Place" else ENTITY_TYPES.get(kind)
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
    return PLACE_LEVELS.get(value if isinstance(value, str) else "Place", "cpnat:geoArea")


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


def _warphoto_version() -> str:
    from warphoto import __version__

    return __version__


def _assert_entity(root: Any, writer: _Writer, ident: str, node: Mapping[str, Any]) -> None:
    element = _el(root, "assert", **writer.id_attrs(ident))
    kind = kind_of(node)
    if kind == "Place":
        _el(element, "type", qcode=writer.q(_place_type(node)))
    elif kind in ENTITY_TYPES:
        _el(element, "type", qcode=writer.q(ENTITY_TYPES[kind]))
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
            _date_ext(element, writer, key, value, "conceptExtProperty")


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


def _date_ext(
    parent: Any, writer: _Writer, key: str, value: Any, tag: str = "contentMetaExtProperty"
) -> None:
    """A date as an extension property (``wpx:KEY``) holding its text."""
    _el(
        parent,
        tag,
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
                _el(remote, "hash", media["sha256"], hashtype=writer.q(SHA256))
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
        ref = _el(group, "itemRef", residref=part, contenttype=MEDIA_TYPE)
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
    document = opaque_ids(document)  # no blank-node label becomes a public QCode
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
