"""The NewsML-G2 reader: a newsItem, packageItem, conceptItem or newsMessage into a record.

``warphoto.formats.newsml`` registers it; the mapping is the table
``vocab/crosswalk/newsml.csv`` (see that module and docs/newsml-edm.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from typing import Any
from urllib.parse import unquote

from lxml import etree

from warphoto import _resources
from warphoto._crosswalk import PLACE_TYPES
from warphoto._xml import MAX_XML_BYTES, parse_xml
from warphoto.errors import ReadError
from warphoto.formats import report_unmapped, reporting_unmapped
from warphoto.formats._newsml_names import (
    _N,
    ANON,
    GENERATOR,
    KNOWN_ALIASES,
    LEVEL_TYPES,
    NS,
    SCHEMES,
    SHA256,
    TYPE_ENTITIES,
    WPX,
    XML_LANG,
)
from warphoto.formats._values import as_list as _as_list
from warphoto.formats._values import put as _put

__all__ = ["loads"]


class _Reader:
    def __init__(self, item: Any, source: str | None, aliases: Mapping[str, str]) -> None:
        self.item = item
        self.source = source
        self.aliases = dict(KNOWN_ALIASES)
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
            uri = str(uri).strip()
            if uri.startswith(SCHEMES["wpbn"]):  # a blank node label that is no QCode
                return "_:" + unquote(uri[len(SCHEMES["wpbn"]) :])
            return uri
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
        for table in (LEVEL_TYPES, TYPE_ENTITIES):
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
        _put(node, "alternateName", alternates)
        _put(node, "description", _langmap(element.findall(_N + "definition")))
        same, code = [], None
        for same_as in element.findall(_N + "sameAs"):
            qcode = same_as.get("qcode")
            if qcode and qcode.startswith("iso3166-1a2:"):
                code = qcode.split(":", 1)[1]
            elif self.ident(same_as):
                same.append(self.ident(same_as))
        _put(node, "sameAs", same)
        if code and kind in PLACE_TYPES:
            node["countryCode"] = code
        broader = element.find(_N + "broader")
        if broader is not None and kind in PLACE_TYPES:
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

    _put(record, "title", _langmap(meta.findall(_N + "title")))
    notes = [_text(n) for n in meta.findall(_N + "edNote") if _text(n)]
    if notes:
        record["instructions"] = "\n".join(notes)
    warnings = []
    for signal in meta.findall(_N + "signal"):
        ident = reader.ident(signal)
        if ident and ident.startswith(SCHEMES["cwarn"]):
            warnings.append(ident)
    _put(record, "contentWarning", warnings)
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
    _put(record, "copyrightHolder", holders)
    if _langmap(notices):
        record["copyrightNotice"] = _langmap(notices)
    if _langmap(terms):
        record["usageTerms"] = _langmap(terms)

    if content is not None:
        _read_content(reader, content, record)
        _report_unread(reader, content, record["@id"])
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
            if reader.is_code(digest.get("hashtype"), SHA256) and _text(digest):
                media["sha256"] = _text(digest).lower()
        rendition = remote.get("rendition")
        for role in ("master", "derivative"):
            if reader.is_code(rendition, f"wpx:{role}"):
                media["fileRole"] = role
        files.append(media)
    _put(record, "associatedMedia", files)
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
    _put(record, "creator", [reader.entity(c, "Person") for c in content.findall(_N + "creator")])
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
    _put(record, "keywords", keywords)
    about, places, shown, events = [], [], [], []
    for subject in content.findall(_N + "subject"):
        if reader.is_code(subject.get("type"), "cpnat:person"):
            entry: dict[str, Any] = {"person": reader.entity(subject, "Person")}
            _put(entry, "description", _langmap(subject.findall(_N + "note")))
            for related in subject.findall(_N + "related"):
                if reader.is_code(related.get("rel"), "wpx:age") and related.get("value"):
                    entry["age"] = int(related.get("value"))
            shown.append(entry)
            continue
        if reader.ident(subject) is None and not subject.findall(_N + "name"):
            continue
        kind = reader.type_name(subject.get("type") or "") or "Concept"
        node = reader.entity(subject, kind)
        if kind in PLACE_TYPES or (isinstance(node, dict) and node.get("@type") in PLACE_TYPES):
            places.append(node)
        elif kind == "Event":
            events.append(node)
        elif kind == "Concept" and reader.ident(subject):
            about.append(_concept(node))
    _put(record, "about", about)
    _put(record, "contentLocation", places)
    _put(record, "personShown", shown)
    _put(record, "recordedAt", events)
    for key, tag in (("headline", "headline"),):
        _put(record, key, _langmap(content.findall(_N + tag)))
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


#: the children of a newsItem's contentMeta the reader maps (``dateline`` is made from a place)
_CONTENT_READ = frozenset(
    {
        "contentCreated", "contentMetaExtProperty", "digitalSourceType", "located", "creator", "altId",
        "genre", "keyword", "subject", "headline", "dateline", "creditline", "description",
    }
)  # fmt: skip
#: the ``type`` each of these children must have to be mapped (others are left out)
_TYPED_READ = {"contentMetaExtProperty": "wpx:dateCreated", "altId": "wpx:identifier"}


def _report_unread(reader: _Reader, content: Any, record_id: str) -> None:
    """Report the children of contentMeta the reader left out (the issues= channel)."""
    if not reporting_unmapped():
        return
    for child in content:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        typed = _TYPED_READ.get(name)
        if etree.QName(child).namespace == NS and name in _CONTENT_READ:
            if typed is None or reader.is_code(child.get("type"), typed):
                continue
            what = f"<{name} type={child.get('type')!r}>"
        else:
            what = f"<{name}>"
        report_unmapped(
            "newsml",
            record_id,
            f"contentMeta/{name}",
            what,
            source=reader.source,
            line=child.sourceline,
        )


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
    _put(gallery, "contentWarning", [w for w in warnings if w and w.startswith(SCHEMES["cwarn"])])
    for link in meta.findall(_N + "link"):
        if reader.is_code(link.get("rel"), "wpx:url") and link.get("href"):
            gallery["url"] = link.get("href")
    content = item.find(_N + "contentMeta")
    if content is not None:
        _put(gallery, "author", [reader.entity(c, "Person") for c in content.findall(_N + "creator")])
        source_el = content.find(_N + "infoSource")
        if source_el is not None:
            gallery["publisher"] = reader.entity(source_el, "Organization")
        language = content.find(_N + "language")
        if language is not None and language.get("tag"):
            gallery["inLanguage"] = language.get("tag")
        _put(gallery, "headline", _langmap(content.findall(_N + "headline")))
        _put(gallery, "description", _langmap(content.findall(_N + "description")))
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
    _put(gallery, "hasPart", parts)
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
    _put(event, "@id", reader.ident(concept_id))
    reader.describe(event, concept)
    return event


def _read_event_concept(reader: _Reader, concept: Any) -> dict[str, Any]:
    concept_id = _required(reader, concept, "conceptId")
    event: dict[str, Any] = {"@type": "Event"}
    _put(event, "@id", reader.ident(concept_id))
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
    """Read a newsItem, packageItem, conceptItem or newsMessage into a record or collection dict.

    What a newsItem's contentMeta holds that the record has no field for is reported through
    ``issues=`` (rule ``newsml-unmapped``; see :mod:`warphoto.formats`).
    """
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
