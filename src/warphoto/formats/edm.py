"""Europeana Data Model (EDM, external profile): writer and reader.

Each photograph becomes one ``rdf:RDF`` document, as Europeana expects one record per
document: an ``edm:ProvidedCHO`` (``edm:type`` IMAGE), its ``ore:Aggregation``
(``edm:aggregatedCHO``, ``edm:dataProvider``, ``edm:isShownAt``/``edm:isShownBy``,
``edm:provider``, ``edm:rights``), an ``edm:WebResource`` per file with a ``contentUrl``, and
the contextual classes it refers to: ``edm:Agent`` (creators, copyright holders, persons
shown), ``edm:Place`` (places shown, with their ``dcterms:isPartOf`` hierarchy),
``edm:TimeSpan`` (the date created, with ``edm:begin``/``edm:end`` for its bounds, and
the events recorded) and ``skos:Concept`` (subjects, genres).

A collection is written as a ZIP archive with one EDM document per photograph (the
way Europeana harvests datasets); the gallery itself is referenced by each photograph's
``dcterms:isPartOf``.

Options ``provider``, ``data_provider`` and ``rights`` are required (the aggregation's
edm:provider, edm:dataProvider and edm:rights); every document is checked against
Europeana's Schematron rules (:mod:`warphoto._edm_rules`) before it is returned.
"""

from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

from lxml import etree

from warphoto import _crosswalk, _edm_rules, _resources
from warphoto._xml import MAX_XML_BYTES, parse_xml
from warphoto.dates import classify
from warphoto.errors import LossError, ReadError, UnsafeInputError, WriteError
from warphoto.formats import Format, register
from warphoto.formats._values import as_list as _as_list
from warphoto.formats._values import lang_texts as _texts
from warphoto.formats.newsml import kind_of, lost_fields
from warphoto.formats.newsml import project as _project

__all__ = ["dumps", "dumps_document", "loads", "project"]

TABLE = "edm.csv"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
EDM = "http://www.europeana.eu/schemas/edm/"
ORE = "http://www.openarchives.org/ore/terms/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
FOAF = "http://xmlns.com/foaf/0.1/"
RDAGR2 = "http://rdvocab.info/ElementsGr2/"
EBUCORE = "http://www.ebu.ch/metadata/ontologies/ebucore/ebucore#"
SCHEMA = "https://schema.org/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {
    "rdf": RDF,
    "edm": EDM,
    "ore": ORE,
    "dc": DC,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "owl": OWL,
    "wgs84_pos": WGS84,
    "foaf": FOAF,
    "rdaGr2": RDAGR2,
    "ebucore": EBUCORE,
    "schema": SCHEMA,
}
ABOUT = f"{{{RDF}}}about"
DATATYPE = f"{{{RDF}}}datatype"
XSD = "http://www.w3.org/2001/XMLSchema#"
RESOURCE = f"{{{RDF}}}resource"
CWARN = "http://cv.iptc.org/newscodes/contentwarning/"
DST_HTTP = "http://cv.iptc.org/newscodes/digitalsourcetype/"
DST_HTTPS = "https://cv.iptc.org/newscodes/digitalsourcetype/"
ANON = "_:wp-anon-"
#: blank node labels become IRIs under this prefix (EDM's rdf:about and rdf:resource must be IRIs)
BLANK = "urn:x-warphoto:blank:"


def _iri(ident: str) -> str:
    return BLANK + ident[2:] if ident.startswith("_:") else ident


def _unblank(iri: str) -> str:
    return "_:" + iri[len(BLANK) :] if iri.startswith(BLANK) else iri


MAX_ARCHIVE_MEMBERS = 100_000


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


# --------------------------------------------------------------------------- loss


def _media_ok(media: Any) -> bool:
    return isinstance(media, Mapping) and bool(media.get("contentUrl"))


def _normalise(node: Any, parent_key: str | None = None) -> Any:
    """Model what EDM keeps of values (not only of fields): see docs/newsml-edm.md."""
    if isinstance(node, list):
        return [_normalise(item, parent_key) for item in node]
    if not isinstance(node, dict) or "@value" in node:
        return node
    kind = kind_of(node, parent_key)
    out = {key: _normalise(value, key) for key, value in node.items()}
    if kind == "Place":
        out["@type"] = "Place"  # EDM has one class of place: the level is not carried
    if kind in ("Person", "Organization", "Place", "Event") and set(out) <= {"@id", "@type"} and "@id" in out:
        return out["@id"]  # an agent without properties is read back as a plain reference
    return out


def project(record: Mapping[str, Any]) -> dict[str, Any]:
    """``record`` restricted to what EDM carries (fields from the crosswalk, then value rules)."""
    out = _normalise(_project(record, TABLE))
    files = [m for m in out.get("associatedMedia", []) if _media_ok(m)]
    if files:
        out["associatedMedia"] = files
    else:
        out.pop("associatedMedia", None)
        out.pop("digitalSourceType", None)  # it lives on the edm:WebResource
    return dict(out)


def _place_levels(node: Any, path: str, found: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _place_levels(item, path, found)
    elif isinstance(node, Mapping) and "@value" not in node:
        if kind_of(node) == "Place" and node.get("@type") != "Place" and f"{path}.@type" not in found:
            found.append(f"{path}.@type (the place level)")
        for key, value in node.items():
            if not key.startswith("@"):
                _place_levels(value, f"{path}.{key}" if path else key, found)


def _value_losses(record: Mapping[str, Any]) -> list[str]:
    lost: list[str] = []
    _place_levels({k: v for k, v in record.items() if k == "contentLocation"}, "", lost)
    lost = list(dict.fromkeys(lost))
    files = [m for m in record.get("associatedMedia", []) or [] if isinstance(m, Mapping)]
    if any(not _media_ok(m) for m in files):
        lost.append("associatedMedia (a file without contentUrl)")
    if record.get("digitalSourceType") and not any(_media_ok(m) for m in files):
        lost.append("digitalSourceType (no file with a contentUrl to carry it)")
    return lost


# --------------------------------------------------------------------------- writer


def _el(
    parent: Any,
    ns: str,
    name: str,
    text: str | None = None,
    *,
    resource: str | None = None,
    lang: str | None = None,
    about: str | None = None,
) -> Any:
    element = etree.SubElement(parent, _q(ns, name))
    if about is not None:
        element.set(ABOUT, _iri(about))
    if resource is not None:
        element.set(RESOURCE, _iri(resource))
    if lang is not None:
        element.set(XML_LANG, lang)
    if text is not None:
        element.text = text
    return element


def _bounds(value: str) -> tuple[str | None, str | None]:
    """edm:begin and edm:end for a partial date or interval (no day is invented: the bounds are exact)."""
    import calendar

    def low(text: str) -> str:
        if len(text) == 4 or (text.startswith("-") and len(text) == 5):
            return f"{text}-01-01"
        if len(text) in (7, 8) and "T" not in text:
            return f"{text}-01"
        return text

    def high(text: str) -> str:
        if len(text) == 4 or (text.startswith("-") and len(text) == 5):
            return f"{text}-12-31"
        if len(text) in (7, 8) and "T" not in text:
            year, month = text.rsplit("-", 1)
            last = calendar.monthrange(abs(int(year)) or 1, int(month))[1]
            return f"{text}-{last:02d}"
        return text

    if "/" in value:
        first, _, last = value.partition("/")
        return (
            low(first) if first not in ("", "..") else None,
            high(last) if last not in ("", "..") else None,
        )
    return low(value), high(value)


class _Builder:
    def __init__(self, photo_id: str) -> None:
        self.photo_id = photo_id
        self.agents: dict[str, Any] = {}
        self.places: dict[str, Any] = {}
        self.spans: dict[str, Any] = {}
        self.concepts: dict[str, Any] = {}
        self.anon = 0

    def ident(self, node: Any) -> str:
        if isinstance(node, str):
            return node
        ident = node.get("@id")
        if isinstance(ident, str):
            return ident
        key = id(node)
        for table in (self.agents, self.places, self.spans):
            for existing, value in table.items():
                if value is node:
                    return existing
        self.anon += 1
        del key
        return f"{ANON}{self.anon}"

    def keep(self, table: dict[str, Any], node: Any) -> str:
        ident = self.ident(node)
        if isinstance(node, Mapping):
            current = table.get(ident)
            if not isinstance(current, Mapping) or len(node) > len(current):
                table[ident] = node
        else:
            table.setdefault(ident, node)
        return ident

    def place(self, node: Any) -> str:
        ident = self.keep(self.places, node)
        if isinstance(node, Mapping) and node.get("containedInPlace") is not None:
            self.place(node["containedInPlace"])
        return ident


def _write_agent(root: Any, ident: str, node: Any) -> None:
    agent = _el(root, EDM, "Agent", about=ident)
    if not isinstance(node, Mapping):
        return
    _lang_els(agent, SKOS, "prefLabel", node.get("name"))
    _lang_els(agent, SKOS, "altLabel", node.get("alternateName"))
    _lang_els(agent, SKOS, "note", node.get("description"))
    if node.get("@type") == "Organization":  # warphoto's convention: organisations carry foaf:name
        _lang_els(agent, FOAF, "name", node.get("name"))
    _lang_els(agent, RDAGR2, "professionOrOccupation", node.get("jobTitle"))
    for iri in _as_list(node.get("sameAs")):
        _el(agent, OWL, "sameAs", resource=iri)


def _number(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def _write_place(root: Any, builder: _Builder, ident: str, node: Any) -> None:
    place = _el(root, EDM, "Place", about=ident)
    if not isinstance(node, Mapping):
        return
    geo = node.get("geo")
    if isinstance(geo, Mapping):
        _el(place, WGS84, "lat", _number(geo["latitude"]))
        _el(place, WGS84, "long", _number(geo["longitude"]))
        if geo.get("elevation") is not None:
            _el(place, WGS84, "alt", _number(geo["elevation"]))
    _lang_els(place, SKOS, "prefLabel", node.get("name"))
    _lang_els(place, SKOS, "altLabel", node.get("alternateName"))
    _lang_els(place, SKOS, "note", node.get("description"))
    parent = node.get("containedInPlace")
    if parent is not None:
        _el(place, DCTERMS, "isPartOf", resource=builder.ident(parent))
    for iri in _as_list(node.get("sameAs")):
        _el(place, OWL, "sameAs", resource=iri)


def _lang_els(parent: Any, ns: str, name: str, langmap: Any) -> None:
    """One element per text of a language map, each with its xml:lang."""
    for lang, text in _texts(langmap):
        _el(parent, ns, name, text, lang=lang)


def _write_span(root: Any, ident: str, node: Any) -> None:
    span = _el(root, EDM, "TimeSpan", about=ident)
    if not isinstance(node, Mapping):
        return
    if "@value" in node:  # a date: its exact value is the label, its bounds begin and end
        _el(span, SKOS, "prefLabel", node["@value"])
        begin, end = _bounds(node["@value"])
        if begin:
            _el(span, EDM, "begin", begin)
        if end:
            _el(span, EDM, "end", end)
        return
    _lang_els(span, SKOS, "prefLabel", node.get("name"))
    _lang_els(span, SKOS, "note", node.get("description"))
    if node.get("startDate"):
        _el(span, EDM, "begin", node["startDate"]["@value"])
    if node.get("endDate"):
        _el(span, EDM, "end", node["endDate"]["@value"])
    for iri in _as_list(node.get("sameAs")):
        _el(span, OWL, "sameAs", resource=iri)


def _write_concept(root: Any, ident: str, node: Any) -> None:
    concept = _el(root, SKOS, "Concept", about=ident)
    if not isinstance(node, Mapping):
        return
    _lang_els(concept, SKOS, "prefLabel", node.get("prefLabel"))
    if node.get("inScheme"):
        _el(concept, SKOS, "inScheme", resource=node["inScheme"])


def _settings(options: Mapping[str, Any]) -> tuple[str, str, str]:
    missing = [name for name in ("provider", "data_provider", "rights") if not options.get(name)]
    if missing:
        raise WriteError(
            "EDM needs the settings "
            + ", ".join(missing)
            + ": pass provider= (the aggregator that delivers to "
            "Europeana), data_provider= (the institution that holds the photographs) and rights= (a rights "
            "statement URI such as http://rightsstatements.org/vocab/InC/1.0/)"
        )
    rights = str(options["rights"])
    if not _edm_rules.is_valid_rights_statement(rights):
        raise WriteError(
            f"EDM setting rights={rights!r} breaks Europeana rule rights-statement: "
            "use a Creative Commons licence or public domain tool (http://creativecommons.org/...) "
            "or a rightsstatements.org statement"
        )
    return str(options["provider"]), str(options["data_provider"]), rights


def _party(parent: Any, name: str, value: str) -> None:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", value) and " " not in value:
        _el(parent, EDM, name, resource=value)
    else:
        _el(parent, EDM, name, value)


def build(record: Mapping[str, Any], **options: Any) -> Any:
    """The ``rdf:RDF`` element for one photograph (unchecked; see :func:`dumps_document`)."""
    provider, data_provider, rights = _settings(options)
    photo_id = record.get("@id")
    if not isinstance(photo_id, str):
        raise WriteError("a photograph needs an @id to become an edm:ProvidedCHO")
    builder = _Builder(photo_id)
    root = etree.Element(_q(RDF, "RDF"), nsmap=NSMAP)
    cho = _el(root, EDM, "ProvidedCHO", about=photo_id)

    for creator in _as_list(record.get("creator")):
        _el(cho, DC, "creator", resource=builder.keep(builder.agents, creator))
    _lang_els(cho, DC, "description", record.get("caption"))
    if record.get("identifier"):
        _el(cho, DC, "identifier", record["identifier"])
    for holder in _as_list(record.get("copyrightHolder")):
        _el(cho, DC, "rights", resource=builder.keep(builder.agents, holder))
    if record.get("license"):
        _el(cho, DC, "rights", resource=record["license"])
    _lang_els(cho, DC, "rights", record.get("copyrightNotice"))
    _lang_els(cho, DC, "subject", record.get("keywords"))
    for concept in _as_list(record.get("about")):
        ident = builder.ident(concept)
        if isinstance(concept, Mapping):
            builder.concepts[ident] = concept
        _el(cho, DC, "subject", resource=ident)
    for shown in _as_list(record.get("personShown")):
        _el(cho, DC, "subject", resource=builder.keep(builder.agents, shown["person"]))
    for warning in _as_list(record.get("contentWarning")):
        _el(cho, DC, "subject", resource=warning)
    _lang_els(cho, DC, "title", record.get("headline"))
    for genre in _as_list(record.get("genre")):
        ident = builder.ident(genre)
        if isinstance(genre, Mapping):
            builder.concepts[ident] = genre
        _el(cho, DC, "type", resource=ident)
    _lang_els(cho, DCTERMS, "alternative", record.get("title"))
    created = record.get("dateCreated")
    if created is not None:
        span_id = f"{_iri(photo_id)}#dateCreated"
        builder.spans[span_id] = created
        _el(cho, DCTERMS, "created", resource=span_id)
    if record.get("isPartOf"):
        _el(cho, DCTERMS, "isPartOf", resource=record["isPartOf"])
    for place in _as_list(record.get("contentLocation")):
        _el(cho, DCTERMS, "spatial", resource=builder.place(place))
    for event in _as_list(record.get("recordedAt")):
        ident = builder.ident(event)
        if isinstance(event, Mapping):
            builder.spans[ident] = event
        _el(cho, DCTERMS, "temporal", resource=ident)
    _el(cho, EDM, "type", "IMAGE")

    files = [m for m in _as_list(record.get("associatedMedia")) if _media_ok(m)]
    source_type = record.get("digitalSourceType")
    if isinstance(source_type, str) and source_type.startswith(DST_HTTP):
        source_type = DST_HTTPS + source_type[len(DST_HTTP) :]
    for media in files:
        resource = _el(root, EDM, "WebResource", about=media["contentUrl"])
        if media.get("encodingFormat"):
            _el(resource, EBUCORE, "hasMimeType", media["encodingFormat"])
        for key, tag, datatype in (
            ("contentSize", "fileByteSize", "long"),
            ("width", "width", "integer"),
            ("height", "height", "integer"),
        ):
            if media.get(key) is not None:
                _el(resource, EBUCORE, tag, str(media[key])).set(DATATYPE, XSD + datatype)
        if source_type:
            _el(resource, SCHEMA, "digitalSourceType", resource=source_type)

    written: set[str] = set()
    for ident, node in list(builder.agents.items()):
        _write_agent(root, ident, node)
    index = 0
    while index < len(builder.places):  # parents are added while writing
        ident, node = list(builder.places.items())[index]
        _write_place(root, builder, ident, node)
        written.add(ident)
        index += 1
    for ident, node in builder.spans.items():
        _write_span(root, ident, node)
    for ident, node in builder.concepts.items():
        _write_concept(root, ident, node)

    aggregation = _el(root, ORE, "Aggregation", about=f"{_iri(photo_id)}#aggregation")
    _el(aggregation, EDM, "aggregatedCHO", resource=photo_id)
    _party(aggregation, "dataProvider", data_provider)
    if record.get("url"):
        _el(aggregation, EDM, "isShownAt", resource=record["url"])
    elif not files and re.match(r"^https?://", photo_id):
        # no landing page and no file: the photograph's own http(s) IRI is where it is shown
        _el(aggregation, EDM, "isShownAt", resource=photo_id)
    if files:
        masters = [m for m in files if m.get("fileRole") == "master"] or files
        _el(aggregation, EDM, "isShownBy", resource=masters[0]["contentUrl"])
    _party(aggregation, "provider", provider)
    _lang_els(aggregation, DC, "rights", record.get("usageTerms"))
    _el(aggregation, EDM, "rights", resource=rights)
    return root


def dumps_document(record: Mapping[str, Any], **options: Any) -> str:
    """One EDM document for one photograph, checked against Europeana's Schematron rules."""
    if options.get("refuse_loss"):
        lost = lost_fields(record, TABLE) + _value_losses(record)
        if lost:
            ident = record.get("@id")
            raise LossError("EDM", ident if isinstance(ident, str) else None, lost)
    root = build(record, **options)
    violations = _edm_rules.check(root)
    if violations:
        ident = record.get("@id") or "<record>"
        raise WriteError(
            f"{ident}: the EDM would break Europeana's rules, so it was not written:\n"
            + "\n".join(f"  {v}" for v in violations)
        )
    text: str = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text


def _member_name(photo_id: str, used: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", photo_id.rsplit("/", 1)[-1] or photo_id).strip("._") or "record"
    name, number = f"{base}.edm.xml", 1
    while name in used:
        number += 1
        name = f"{base}-{number}.edm.xml"
    used.add(name)
    return name


#: the time every member of an EDM ZIP carries (ZIP's earliest)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def dumps(document: Mapping[str, Any], **options: Any) -> str | bytes:
    """EDM for a photograph (one document, str) or a collection (a ZIP of one document per photograph)."""
    document = dict(document)
    document.pop("@context", None)
    if "@graph" in document:
        from warphoto.model import standalone_records

        buffer = io.BytesIO()
        used: set[str] = set()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for record in standalone_records(document):
                # a fixed time and mode: the same collection gives the same bytes (golden files,
                # checksums in an archive's ingest log), whenever it is written
                member = zipfile.ZipInfo(_member_name(record["@id"], used), date_time=_ZIP_TIME)
                member.compress_type = zipfile.ZIP_DEFLATED
                member.external_attr = 0o644 << 16
                archive.writestr(member, dumps_document(record, **options))
        return buffer.getvalue()
    if kind_of(document) != "Photograph":
        raise WriteError(
            "EDM describes photographs (one edm:ProvidedCHO each), "
            f"not a record of type {document.get('@type')!r}; "
            "write a collection to get one EDM document per photograph"
        )
    return dumps_document(document, **options)


# --------------------------------------------------------------------------- reader


def _text(element: Any) -> str:
    return "".join(element.itertext()).strip()


def _lang(element: Any) -> str:
    return str(element.get(XML_LANG) or "und")


def _resource(element: Any) -> str | None:
    value = element.get(RESOURCE)
    return _unblank(value.strip()) if value is not None and value.strip() else None


def _langmap(elements: list[Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for element in elements:
        text = _text(element)
        if text and _resource(element) is None:
            out.setdefault(_lang(element), text)
    return out


def _langlists(elements: list[Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for element in elements:
        text = _text(element)
        if text and _resource(element) is None:
            out.setdefault(_lang(element), []).append(text)
    return out


def _date(text: str) -> dict[str, str] | None:
    value = text.strip()
    datatype = classify(value)
    return {"@value": value, "@type": datatype} if datatype else None


def _parse_number(text: str) -> int | float:
    value = float(text)
    return int(value) if re.fullmatch(r"-?[0-9]+", text.strip()) else value


class _Reader:
    def __init__(self, root: Any, source: str | None) -> None:
        self.root = root
        self.source = source
        self.index: dict[str, Any] = {}
        for element in root:
            if isinstance(element.tag, str) and element.get(ABOUT):
                self.index.setdefault(_unblank(element.get(ABOUT).strip()), element)

    def node_of(self, ident: str, local: str) -> Any:
        element = self.index.get(ident)
        if element is not None and etree.QName(element).localname == local:
            return element
        return None

    def children(self, element: Any, ns: str, name: str) -> list[Any]:
        return list(element.findall(_q(ns, name)))

    def agent(self, ident: str) -> Any:
        element = self.node_of(ident, "Agent")
        if element is None or not len(element):
            return ident
        node: dict[str, Any] = {}
        if not ident.startswith(ANON):
            node["@id"] = ident
        node["@type"] = "Organization" if element.find(_q(FOAF, "name")) is not None else "Person"
        self.labels(node, element, "name")
        jobs = _langmap(self.children(element, RDAGR2, "professionOrOccupation"))
        if jobs and node["@type"] == "Person":
            node["jobTitle"] = jobs
        self.same_as(node, element)
        return node

    def labels(self, node: dict[str, Any], element: Any, key: str) -> None:
        names = _langmap(self.children(element, SKOS, "prefLabel"))
        if names:
            node[key] = names
        alternates = _langlists(self.children(element, SKOS, "altLabel"))
        if alternates:
            node["alternateName"] = alternates
        notes = _langmap(self.children(element, SKOS, "note"))
        if notes:
            node["description"] = notes

    def same_as(self, node: dict[str, Any], element: Any) -> None:
        same = [r for r in (_resource(e) for e in self.children(element, OWL, "sameAs")) if r]
        if same:
            node["sameAs"] = same

    def place(self, ident: str, trail: frozenset[str] = frozenset()) -> Any:
        element = self.node_of(ident, "Place")
        if element is None or ident in trail or not len(element):
            return ident
        node: dict[str, Any] = {}
        if not ident.startswith(ANON):
            node["@id"] = ident
        node["@type"] = "Place"
        self.labels(node, element, "name")
        lat, long = element.find(_q(WGS84, "lat")), element.find(_q(WGS84, "long"))
        if lat is not None and long is not None and _text(lat) and _text(long):
            geo: dict[str, Any] = {
                "latitude": _parse_number(_text(lat)),
                "longitude": _parse_number(_text(long)),
            }
            alt = element.find(_q(WGS84, "alt"))
            if alt is not None and _text(alt):
                geo["elevation"] = _parse_number(_text(alt))
            node["geo"] = geo
        parent = element.find(_q(DCTERMS, "isPartOf"))
        if parent is not None and _resource(parent):
            node["containedInPlace"] = self.place(str(_resource(parent)), trail | {ident})
        self.same_as(node, element)
        return node

    def event(self, ident: str) -> Any:
        element = self.node_of(ident, "TimeSpan")
        if element is None or not len(element):
            return ident
        node: dict[str, Any] = {}
        if not ident.startswith(ANON):
            node["@id"] = ident
        node["@type"] = "Event"
        self.labels(node, element, "name")
        node.pop("alternateName", None)
        for key, tag in (("startDate", "begin"), ("endDate", "end")):
            found = element.find(_q(EDM, tag))
            if found is not None and _date(_text(found)):
                node[key] = _date(_text(found))
        self.same_as(node, element)
        return node

    def concept(self, ident: str) -> Any:
        element = self.node_of(ident, "Concept")
        if element is None:
            return ident
        node: dict[str, Any] = {"@id": ident, "@type": "Concept"}
        labels = _langmap(self.children(element, SKOS, "prefLabel"))
        if labels:
            node["prefLabel"] = labels
        scheme = element.find(_q(SKOS, "inScheme"))
        if scheme is not None and _resource(scheme):
            node["inScheme"] = _resource(scheme)
        return node

    def created(self, element: Any) -> dict[str, str] | None:
        ident = _resource(element)
        if ident is None:
            return _date(_text(element))
        span = self.node_of(ident, "TimeSpan")
        if span is None:
            return None
        for label in self.children(span, SKOS, "prefLabel"):
            value = _date(_text(label))
            if value:
                return value
        begin, end = span.find(_q(EDM, "begin")), span.find(_q(EDM, "end"))
        first = _text(begin) if begin is not None else ""
        last = _text(end) if end is not None else ""
        if first and first == last:
            return _date(first)
        if first or last:
            return _date(f"{first or '..'}/{last or '..'}")
        return None

    def record(self, cho: Any) -> dict[str, Any]:
        ident = cho.get(ABOUT)
        if not ident or not ident.strip():
            raise ReadError("edm:ProvidedCHO lacks its rdf:about", source=self.source, line=cho.sourceline)
        ident = _unblank(ident.strip())
        record: dict[str, Any] = {"@id": ident, "@type": ["ImageObject", "Photograph"]}
        c = self.children
        creators = []
        for element in c(cho, DC, "creator"):
            ref = _resource(element)
            if ref:
                creators.append(self.agent(ref))
            elif _text(element):
                creators.append({"@type": "Person", "name": {_lang(element): _text(element)}})
        if creators:
            record["creator"] = creators
        captions = _langmap(c(cho, DC, "description"))
        if captions:
            record["caption"] = captions
        identifiers = [_text(e) for e in c(cho, DC, "identifier") if _text(e)]
        if identifiers:
            record["identifier"] = identifiers[0]
        holders = []
        for element in c(cho, DC, "rights"):
            ref = _resource(element)
            if ref and self.node_of(ref, "Agent") is not None:
                holders.append(self.agent(ref))
            elif ref:
                record["license"] = ref
        if holders:
            record["copyrightHolder"] = holders
        notices = _langmap(c(cho, DC, "rights"))
        if notices:
            record["copyrightNotice"] = notices
        keywords = _langlists(c(cho, DC, "subject"))
        if keywords:
            record["keywords"] = keywords
        about, shown, warnings = [], [], []
        for element in c(cho, DC, "subject"):
            ref = _resource(element)
            if not ref:
                continue
            if ref.startswith(CWARN):
                warnings.append(ref)
            elif self.node_of(ref, "Agent") is not None:
                shown.append({"person": self.agent(ref)})
            else:
                about.append(self.concept(ref))
        if about:
            record["about"] = about
        if shown:
            record["personShown"] = shown
        if warnings:
            record["contentWarning"] = warnings
        headlines = _langmap(c(cho, DC, "title"))
        if headlines:
            record["headline"] = headlines
        genres = [self.concept(str(_resource(e))) for e in c(cho, DC, "type") if _resource(e)]
        if genres:
            record["genre"] = genres
        titles = _langmap(c(cho, DCTERMS, "alternative"))
        if titles:
            record["title"] = titles
        for element in c(cho, DCTERMS, "created"):
            value = self.created(element)
            if value:
                record["dateCreated"] = value
                break
        for element in c(cho, DCTERMS, "isPartOf"):
            if _resource(element):
                record["isPartOf"] = _resource(element)
                break
        places = [self.place(str(_resource(e))) for e in c(cho, DCTERMS, "spatial") if _resource(e)]
        places += [
            {"@type": "Place", "name": {_lang(e): _text(e)}}
            for e in c(cho, DCTERMS, "spatial")
            if not _resource(e) and _text(e)
        ]
        if places:
            record["contentLocation"] = places
        events = [self.event(str(_resource(e))) for e in c(cho, DCTERMS, "temporal") if _resource(e)]
        if events:
            record["recordedAt"] = events
        self.aggregation_and_files(record, ident)
        return record

    def aggregation_and_files(self, record: dict[str, Any], ident: str) -> None:
        files = []
        source_type = None
        for resource in self.root.findall(_q(EDM, "WebResource")):
            about = (resource.get(ABOUT) or "").strip()
            if not about:
                continue
            media: dict[str, Any] = {"@type": "ImageObject", "contentUrl": about}
            mime = resource.find(_q(EBUCORE, "hasMimeType"))
            if mime is not None and _text(mime):
                media["encodingFormat"] = _text(mime)
            for key, tag in (("contentSize", "fileByteSize"), ("width", "width"), ("height", "height")):
                found = resource.find(_q(EBUCORE, tag))
                if found is not None and re.fullmatch(r"[0-9]+", _text(found)):
                    media[key] = int(_text(found))
            found = resource.find(_q(SCHEMA, "digitalSourceType"))
            if found is not None and _resource(found) and source_type is None:
                source_type = _resource(found)
            files.append(media)
        if files:
            record["associatedMedia"] = files
        if source_type:
            if source_type.startswith(DST_HTTPS):
                source_type = DST_HTTP + source_type[len(DST_HTTPS) :]
            record["digitalSourceType"] = source_type
        for aggregation in self.root.findall(_q(ORE, "Aggregation")):
            target = aggregation.find(_q(EDM, "aggregatedCHO"))
            if target is None or _resource(target) != ident:
                continue
            shown_at = aggregation.find(_q(EDM, "isShownAt"))
            if shown_at is not None and _resource(shown_at) and _resource(shown_at) != ident:
                record["url"] = _resource(shown_at)
            terms = _langmap(aggregation.findall(_q(DC, "rights")))
            if terms:
                record["usageTerms"] = terms


def _read_document(data: bytes | str, source: str | None, max_bytes: int) -> list[dict[str, Any]]:
    root = parse_xml(data, source=source, max_bytes=max_bytes)
    try:
        return _read_root(root, source)
    except (ValueError, TypeError, AttributeError) as error:
        raise ReadError(f"cannot read EDM: {error}", source=source) from None


def _read_root(root: Any, source: str | None) -> list[dict[str, Any]]:
    if root.tag != _q(RDF, "RDF"):
        raise ReadError(
            f"EDM must have rdf:RDF as its root element, not <{etree.QName(root).localname}>",
            source=source,
            line=root.sourceline,
        )
    chos = root.findall(_q(EDM, "ProvidedCHO"))
    if not chos:
        raise ReadError(
            "rdf:RDF lacks the required element edm:ProvidedCHO", source=source, line=root.sourceline
        )
    reader = _Reader(root, source)
    return [reader.record(cho) for cho in chos]


def loads(
    data: str | bytes, *, source: str | None = None, max_bytes: int = MAX_XML_BYTES, **options: Any
) -> dict[str, Any]:
    """Read one EDM document (a record, or a collection when it holds several CHOs) or a ZIP of them."""
    if isinstance(data, bytes) and data[:4] == b"PK\x03\x04":
        return _load_archive(data, source=source, max_bytes=max_bytes)
    records = _read_document(data, source, max_bytes)
    if len(records) == 1:
        return {"@context": _resources.CONTEXT_IRI, **records[0]}
    return {"@context": _resources.CONTEXT_IRI, "@graph": records}


#: what zipfile and the decompressors under it raise for a damaged archive, besides BadZipFile:
#: offsets before the start (ValueError: negative seek), a broken deflate, bzip2 or LZMA stream
#: (zlib.error, OSError, LZMAError), an early end (EOFError), an undecodable UTF-8 member name
#: (UnicodeDecodeError, a ValueError), an encrypted member (RuntimeError), an unknown compression
#: method (NotImplementedError)
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)


def _open_archive(data: bytes, source: str | None) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as error:
        raise ReadError(f"not a readable ZIP archive of EDM documents: {error}", source=source) from None


def _read_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_bytes: int, source: str | None
) -> bytes:
    """At most ``max_bytes + 1`` bytes of ``member``; a damaged member is a ReadError."""
    try:
        with archive.open(member) as handle:
            return handle.read(max_bytes + 1)
    except _ZIP_ERRORS as error:
        raise ReadError(
            f"{member.filename} is damaged in the ZIP archive ({error or type(error).__name__}); "
            "make the archive again",
            source=source,
        ) from None


def _load_archive(data: bytes, *, source: str | None, max_bytes: int) -> dict[str, Any]:
    graph: list[dict[str, Any]] = []
    with _open_archive(data, source) as archive:
        # not ZipInfo.is_dir(): it raises IndexError for a member with an empty name
        members = [m for m in archive.infolist() if not m.filename.endswith("/")]
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise UnsafeInputError(
                f"the archive holds {len(members)} files, more than {MAX_ARCHIVE_MEMBERS}", source=source
            )
        if not members:
            raise ReadError("the archive holds no EDM documents", source=source)
        declared = 0
        for member in sorted(members, key=lambda m: m.filename):
            if not member.filename.endswith(".xml"):
                # skipping it would lose whatever it holds without a word
                raise ReadError(
                    f"the archive holds {member.filename!r}, which is not an EDM document (.xml); "
                    "an EDM archive holds only .xml files",
                    source=source,
                )
            # zipfile reads no more than a member's declared size (a member that holds more fails
            # its CRC check), so the declared sizes bound what the archive expands to
            declared += member.file_size
            if member.file_size > max_bytes or declared > max_bytes * 4:
                raise UnsafeInputError(
                    f"{member.filename}: the archive expands to more than the limit of {max_bytes} bytes",
                    source=source,
                )
            content = _read_member(archive, member, max_bytes, source)
            if len(content) > max_bytes:
                raise UnsafeInputError(f"{member.filename} is larger than {max_bytes} bytes", source=source)
            graph.extend(_read_document(content, f"{source or '<archive>'}!{member.filename}", max_bytes))
    return {"@context": _resources.CONTEXT_IRI, "@graph": graph}


FORMAT = register(
    Format(
        name="edm",
        title="Europeana Data Model (EDM external, RDF/XML)",
        extensions=(".edm.xml", ".edm.zip"),
        media_type="application/rdf+xml",
        dumps=dumps,
        loads=loads,
        cannot_carry=_crosswalk.fields_not_carried(TABLE),
        aliases=("europeana",),
        notes="one rdf:RDF per photograph; a collection is a ZIP of them; "
        "checked against Europeana's Schematron rules",
        options={
            "provider": "edm:provider: the aggregator that delivers the data to Europeana (required)",
            "data_provider": "edm:dataProvider: the institution that holds the photographs (required)",
            "rights": "edm:rights: a rights statement Europeana accepts (required)",
            "refuse_loss": "raise LossError instead of dropping fields EDM cannot carry",
        },
    )
)
