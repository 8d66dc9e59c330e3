"""The EDM reader: an EDM document (one rdf:RDF, or a ZIP of them) into a record or collection.

``warphoto.formats.edm`` registers it; the mapping is the table ``vocab/crosswalk/edm.csv``.
"""

from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

from lxml import etree

from warphoto import _resources
from warphoto._xml import MAX_XML_BYTES, parse_xml
from warphoto.dates import classify
from warphoto.errors import ReadError, UnsafeInputError
from warphoto.formats import report_unmapped, reporting_unmapped
from warphoto.formats._edm_names import (
    ABOUT,
    ANON,
    CWARN,
    DC,
    DCTERMS,
    DST_HTTP,
    DST_HTTPS,
    EBUCORE,
    EDM,
    FOAF,
    MAX_ARCHIVE_MEMBERS,
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
)
from warphoto.formats._edm_names import qname as _q
from warphoto.formats._edm_names import unblank as _unblank
from warphoto.formats._values import put as _put

__all__ = ["loads"]


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


#: the properties of an edm:ProvidedCHO the reader maps (``edm:type`` is always IMAGE)
_CHO_READ = frozenset(
    f"{{{ns}}}{name}"
    for ns, names in (
        (DC, ("creator", "description", "identifier", "rights", "subject", "title", "type")),
        (DCTERMS, ("alternative", "created", "isPartOf", "spatial", "temporal")),
        (EDM, ("type",)),
    )
    for name in names
)


def _agent_type(element: Any) -> str:
    return "Organization" if element.find(_q(FOAF, "name")) is not None else "Person"


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

    def described(
        self, ident: str, local: str, type_: str | Callable[[Any], str]
    ) -> tuple[Any, dict[str, Any]] | None:
        """The element that describes ``ident`` as an EDM ``local`` (none when it is missing or
        empty), and the node begun from it: its @id (unless anonymous), @type and names."""
        element = self.node_of(ident, local)
        if element is None or not len(element):
            return None
        node: dict[str, Any] = {}
        if not ident.startswith(ANON):
            node["@id"] = ident
        node["@type"] = type_ if isinstance(type_, str) else type_(element)
        self.labels(node, element, "name")
        return element, node

    def agent(self, ident: str) -> Any:
        found = self.described(ident, "Agent", _agent_type)
        if found is None:
            return ident
        element, node = found
        jobs = _langmap(self.children(element, RDAGR2, "professionOrOccupation"))
        if jobs and node["@type"] == "Person":
            node["jobTitle"] = jobs
        self.same_as(node, element)
        return node

    def labels(self, node: dict[str, Any], element: Any, key: str) -> None:
        _put(node, key, _langmap(self.children(element, SKOS, "prefLabel")))
        _put(node, "alternateName", _langlists(self.children(element, SKOS, "altLabel")))
        _put(node, "description", _langmap(self.children(element, SKOS, "note")))

    def same_as(self, node: dict[str, Any], element: Any) -> None:
        _put(node, "sameAs", [r for r in (_resource(e) for e in self.children(element, OWL, "sameAs")) if r])

    def place(self, ident: str, trail: frozenset[str] = frozenset()) -> Any:
        found = None if ident in trail else self.described(ident, "Place", "Place")
        if found is None:
            return ident
        element, node = found
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
        found = self.described(ident, "TimeSpan", "Event")
        if found is None:
            return ident
        element, node = found
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
        _put(node, "prefLabel", _langmap(self.children(element, SKOS, "prefLabel")))
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
        _put(record, "creator", creators)
        _put(record, "caption", _langmap(c(cho, DC, "description")))
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
        _put(record, "copyrightHolder", holders)
        _put(record, "copyrightNotice", _langmap(c(cho, DC, "rights")))
        _put(record, "keywords", _langlists(c(cho, DC, "subject")))
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
        _put(record, "about", about)
        _put(record, "personShown", shown)
        _put(record, "contentWarning", warnings)
        _put(record, "headline", _langmap(c(cho, DC, "title")))
        _put(record, "genre", [self.concept(str(_resource(e))) for e in c(cho, DC, "type") if _resource(e)])
        _put(record, "title", _langmap(c(cho, DCTERMS, "alternative")))
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
        _put(record, "contentLocation", places)
        _put(
            record,
            "recordedAt",
            [self.event(str(_resource(e))) for e in c(cho, DCTERMS, "temporal") if _resource(e)],
        )
        self.aggregation_and_files(record, ident)
        self.report_unread(cho, ident)
        return record

    def report_unread(self, cho: Any, ident: str) -> None:
        """Report the properties of the ProvidedCHO the reader left out (the issues= channel)."""
        if not reporting_unmapped():
            return
        for child in cho:
            if not isinstance(child.tag, str) or child.tag in _CHO_READ:
                continue
            name = etree.QName(child)
            prefix = next((p for p, ns in NSMAP.items() if ns == name.namespace), name.namespace)
            what = f"<{prefix}:{name.localname}>"
            report_unmapped(
                "edm", ident, f"edm:ProvidedCHO/{prefix}:{name.localname}", what,
                source=self.source, line=child.sourceline,
            )  # fmt: skip

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
        _put(record, "associatedMedia", files)
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
            _put(record, "usageTerms", _langmap(aggregation.findall(_q(DC, "rights"))))


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
    """Read one EDM document (a record, or a collection when it holds several CHOs) or a ZIP of them.

    The properties of an edm:ProvidedCHO the record has no field for are reported through
    ``issues=`` (rule ``edm-unmapped``; see :mod:`warphoto.formats`).
    """
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
