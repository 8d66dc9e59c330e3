"""Europeana Data Model (EDM, external profile): the writer, and the format's registration.

The reader is ``_edm_reader``; the namespaces all three use are in ``_edm_names``.

Each photograph becomes one ``rdf:RDF`` document, as Europeana expects one record per
document: an ``edm:ProvidedCHO`` (``edm:type`` IMAGE), its ``ore:Aggregation``
(``edm:aggregatedCHO``, ``edm:dataProvider``, ``edm:isShownAt``/``edm:isShownBy``,
``edm:provider``, ``edm:rights``), an ``edm:WebResource`` per file with a ``contentUrl``, and
the contextual classes it refers to (a node without an IRI under an opaque id made from its
content, never from its blank-node label): ``edm:Agent`` (creators, copyright holders, persons
shown), ``edm:Place`` (places shown, with their ``dcterms:isPartOf`` hierarchy),
``edm:TimeSpan`` (the date created, with ``edm:begin``/``edm:end`` for its bounds, and
the events recorded) and ``skos:Concept`` (subjects, genres).

A collection is written as a ZIP archive with one EDM document per photograph (the
way Europeana harvests datasets); the gallery itself is referenced by each photograph's
``dcterms:isPartOf``.

Options ``provider``, ``data_provider`` and ``rights`` are required (the aggregation's
edm:provider, edm:dataProvider and edm:rights); every document is checked against
Europeana's Schematron rules (:mod:`warphoto.formats._edm_rules`) before it is returned.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from lxml import etree

from warphoto import _crosswalk
from warphoto._blank import opaque_ids
from warphoto._crosswalk import kind_of, lost_fields
from warphoto._crosswalk import project as _project
from warphoto.errors import LossError, WriteError
from warphoto.formats import Format, _edm_rules, register
from warphoto.formats._edm_names import (
    ABOUT,
    ANON,
    DATATYPE,
    DC,
    DCTERMS,
    DST_HTTP,
    DST_HTTPS,
    EBUCORE,
    EDM,
    FOAF,
    NSMAP,
    ORE,
    OWL,
    RDAGR2,
    RDF,
    RESOURCE,
    SCHEMA,
    SKOS,
    WGS84,
    XML_LANG,
    XSD,
)
from warphoto.formats._edm_names import (
    blank_iri as _iri,
)
from warphoto.formats._edm_names import (
    qname as _q,
)
from warphoto.formats._edm_reader import loads
from warphoto.formats._values import as_list as _as_list
from warphoto.formats._values import lang_texts as _texts

__all__ = ["dumps", "dumps_document", "loads", "project"]

TABLE = "edm.csv"
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

    def concept(self, node: Any) -> str:
        """The id of a concept, kept for its skos:Concept when ``node`` describes it (the last one wins)."""
        ident = self.ident(node)
        if isinstance(node, Mapping):
            self.concepts[ident] = node
        return ident

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
    """The ``rdf:RDF`` element for one photograph (unchecked; see :func:`dumps_document`).

    A node without an IRI is written under ``urn:x-warphoto:blank:`` and the opaque id
    :func:`~warphoto._blank.opaque_ids` makes from its content, never its label."""
    provider, data_provider, rights = _settings(options)
    record = opaque_ids(record)
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
        _el(cho, DC, "subject", resource=builder.concept(concept))
    for shown in _as_list(record.get("personShown")):
        _el(cho, DC, "subject", resource=builder.keep(builder.agents, shown["person"]))
    for warning in _as_list(record.get("contentWarning")):
        _el(cho, DC, "subject", resource=warning)
    _lang_els(cho, DC, "title", record.get("headline"))
    for genre in _as_list(record.get("genre")):
        _el(cho, DC, "type", resource=builder.concept(genre))
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
