"""One image file -> one Photograph record: ``warphoto.ingest(path)``.

The XMP part is read by :mod:`warphoto.formats.xmp` (one mapping of XMP to the record). IPTC-IIM
datasets are written as their IPTC XMP equivalents into a packet of their own and read by the same
reader, so they land on the same record keys. The fields the Metadata Working Group reconciles
(description, creator, copyright, keywords, city, state, country, sub-location, capture time) take
the value :func:`~warphoto.imagefile.mwg.mwg_values` chooses; every disagreement between EXIF, IIM
and XMP, and between a sidecar and the embedded packet, is an :class:`~warphoto.validation.Issue`
in ``issues``. EXIF capture, camera, lens, exposure, GPS and orientation go to ``exifData``
(schema.org PropertyValues named by ExifTool's tag names); the file's fixity to a MediaFile; the
ingest itself to a provenance step; C2PA Content Credentials to provenance steps before it
(:mod:`warphoto.imagefile.c2pa`). The file is never written.
"""

from __future__ import annotations

import base64
import dataclasses
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from warphoto import _resources
from warphoto._crosswalk import load_table
from warphoto.errors import ReadError
from warphoto.imagefile.c2pa import add_c2pa
from warphoto.imagefile.capture import GpsPosition, exif_datetime, gps_datetime, gps_position
from warphoto.imagefile.exif import ExifValue
from warphoto.imagefile.fixity import sha256_file
from warphoto.imagefile.iim import IimDataset
from warphoto.imagefile.iim_names import IPTC_PROPERTIES
from warphoto.imagefile.metadata import ImageMetadata
from warphoto.imagefile.mwg import MwgValues, mwg_values
from warphoto.imagefile.reader import read_metadata
from warphoto.imagefile.sidecar import find_sidecars
from warphoto.imagefile.sidecar_compare import compare_sidecar
from warphoto.validation import Issue

__all__ = ["EXIF_PROPERTIES", "ingest", "ingest_metadata"]

#: PREMIS event types of the ingest step (id.loc.gov codes): metadata extraction (mee), message
#: digest calculation (mes)
PREMIS_EVENTS = (
    "http://id.loc.gov/vocabulary/preservation/eventType/mee",
    "http://id.loc.gov/vocabulary/preservation/eventType/mes",
)
#: the EXIF tags copied to ``exifData`` as they are (ExifTool's names, ``exiftool -n`` values)
EXIF_PROPERTIES = (
    "Make",
    "Model",
    "SerialNumber",
    "LensMake",
    "LensModel",
    "LensSerialNumber",
    "Orientation",
    "ExposureTime",
    "FNumber",
    "ISO",
    "FocalLength",
    "FocalLengthIn35mmFormat",
    "ExposureProgram",
    "ExposureCompensation",
    "Flash",
)
#: an MWG field -> (IPTC property id of its XMP form, record key)
_MWG_FIELDS = {
    "description": "description",
    "creator": "creatorNames",
    "copyright": "copyrightNotice",
    "keywords": "keywords",
    "city": "cityName",
    "state": "provinceState",
    "country": "countryName",
    "location": "sublocationName",
}
#: IIM datasets read through MWG (the fields above) or joined (date and time created)
_MWG_DATASETS = frozenset(
    {(2, 120), (2, 80), (2, 116), (2, 25), (2, 90), (2, 95), (2, 101), (2, 92), (2, 55), (2, 60)}
)
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclasses.dataclass(frozen=True)
class _Row:
    prefix: str
    local: str
    value: str
    array: str
    key: str


@cache
def _iptc_rows() -> dict[str, _Row]:
    rows = {}
    for row in load_table("iptc.csv"):
        if row["struct"] or ":" not in row["xmp"]:
            continue
        prefix, local = row["xmp"].split(":", 1)
        rows[row["iptc_id"]] = _Row(prefix, local, row["value"], row["array"], row["key"].split(".")[-1])
    return rows


@cache
def _prefixes() -> dict[str, str]:
    context = _resources.context_document()["@context"]
    return {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}


def _xml_text(text: str) -> str:
    return escape(_XML_BAD.sub("", text))


def _element(row: _Row, values: tuple[str, ...]) -> str:
    name = f"{row.prefix}:{row.local}"
    if row.value == "LangAlt":
        inner = f'<rdf:Alt><rdf:li xml:lang="x-default">{_xml_text(values[0])}</rdf:li></rdf:Alt>'
    elif row.array:
        items = "".join(f"<rdf:li>{_xml_text(v)}</rdf:li>" for v in values)
        inner = f"<rdf:{row.array}>{items}</rdf:{row.array}>"
    else:
        inner = _xml_text(values[0])
    return f"<{name}>{inner}</{name}>"


def _packet(properties: dict[str, tuple[str, ...]]) -> bytes:
    """An XMP packet holding ``properties`` (IPTC property id -> values) in their IPTC XMP form."""
    rows = _iptc_rows()
    used = {rows[p].prefix for p in properties}
    namespaces = " ".join(f'xmlns:{p}="{_prefixes()[p]}"' for p in sorted(used))
    body = "".join(_element(rows[p], v) for p, v in properties.items() if v)
    return (
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="{_RDF}">'
        f'<rdf:Description rdf:about="" {namespaces}>{body}</rdf:Description></rdf:RDF></x:xmpmeta>'
    ).encode()


def _subject_code(text: str) -> str:
    """IIM 2:12 ``IPTC:04000000:...`` -> the subject code ``04000000``."""
    for part in text.split(":"):
        if re.fullmatch(r"\d{8}", part.strip()):
            return part.strip()
    return text


def _iim_properties(
    iim: tuple[IimDataset, ...], issues: list[Issue], source: str
) -> dict[str, tuple[str, ...]]:
    """The IIM datasets the IPTC standard maps (but those MWG reconciles) by IPTC property id."""
    found: dict[str, list[str]] = {}
    for dataset in iim:
        ident = (dataset.record, dataset.number)
        prop = IPTC_PROPERTIES.get(ident)
        if prop is None or ident in _MWG_DATASETS or not isinstance(dataset.value, str):
            continue
        text = dataset.value.strip()
        if not text:
            continue
        if prop == "subjectCodes":
            text = _subject_code(text)
        elif prop == "intellectualGenre":  # IIM "000:Actuality": the number, a colon, the name
            text = re.sub(r"^\d{3}:", "", text) or text
        found.setdefault(prop, []).append(text)
    rows = _iptc_rows()
    out = {}
    for prop, values in found.items():
        if prop not in rows:
            continue
        if not rows[prop].array and len(values) > 1:
            issues.append(
                Issue(
                    None,
                    rows[prop].key,
                    f"the IIM repeats {prop} ({len(values)} values); the first is read",
                    "ingest-iim-repeated",
                    source=source,
                )
            )
        out[prop] = tuple(values)
    return out


def _mwg_properties(mwg: MwgValues) -> dict[str, tuple[str, ...]]:
    """The MWG fields whose value did not come from XMP, in their IPTC XMP form."""
    sources = dict(mwg.sources)
    out = {}
    for field, prop in _MWG_FIELDS.items():
        if sources.get(field) in (None, "XMP"):
            continue
        value = getattr(mwg, field)
        values = (value,) if isinstance(value, str) else tuple(value)
        if values:
            out[prop] = values
    return out


def _date(text: str) -> dict[str, str] | None:
    """A record date for an ISO 8601 text; a local date-time (no offset) is EDTF, whole seconds."""
    from warphoto.dates import classify

    if "T" in text and not re.search(r"(Z|[+-]\d\d:\d\d)$", text):
        text = re.sub(r"\.\d+$", "", text)
    datatype = classify(text)
    return {"@value": text, "@type": datatype} if datatype is not None else None


def _exif_data(exif: Mapping[str, ExifValue], mwg: MwgValues) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(name: str, value: object) -> None:
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return
        elif not isinstance(value, (int, float)):
            return
        out.append({"@type": "PropertyValue", "propertyID": name, "value": value})

    add("DateTimeOriginal", exif_datetime(exif))
    add("CreateDate", exif_datetime(exif, "create"))
    for name in EXIF_PROPERTIES:
        add(name, exif.get(name))
    position = _gps(exif)
    if position is not None:
        add("GPSLatitude", position.latitude)
        add("GPSLongitude", position.longitude)
        add("GPSAltitude", position.altitude)
    add("GPSDateTime", gps_datetime(exif))
    return out


def _gps(exif: Mapping[str, ExifValue]) -> GpsPosition | None:
    """The GPS position when it is one on Earth (latitude within 90 degrees, longitude 180)."""
    position = gps_position(exif)
    if position is None or abs(position.latitude) > 90 or abs(position.longitude) > 180:
        return None
    return position


def _photograph_id(sha256: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'urn:sha256:' + sha256)}"


def _says_no_more(legacy: Any, ours: Any) -> bool:
    """Does the IIM's value say nothing the XMP's does not (equal, or a part of a list, say the
    IIM subject codes among the XMP's subject codes and CV terms)?"""
    if legacy == ours:
        return True
    if isinstance(legacy, list) and isinstance(ours, list):
        return all(item in ours for item in legacy)
    if isinstance(legacy, dict) and isinstance(ours, dict) and not any(k.startswith("@") for k in legacy):
        return all(k in ours and _says_no_more(v, ours[k]) for k, v in legacy.items())
    return False


def _merge(
    record: dict[str, Any],
    legacy: Mapping[str, Any],
    *,
    mwg_keys: frozenset[str],
    iim_preferred: bool,
    issues: list[Issue],
    source: str,
) -> None:
    """Put the IIM/EXIF reading into the XMP one: MWG's choice for its fields; other IIM
    fields fill what XMP lacks, and win over it when the IIM digest is stale."""
    for key, value in legacy.items():
        if key.startswith("@"):
            continue
        if key not in record or key in mwg_keys:
            record[key] = value
            continue
        if _says_no_more(value, record[key]):
            continue
        kept = "IIM" if iim_preferred else "XMP"
        issues.append(
            Issue(
                record.get("@id"),
                key,
                f"the IIM and the XMP disagree ({value!r} and {record[key]!r}); the {kept} is read "
                + (
                    "(the IIM digest does not match: the IIM was changed after the XMP)"
                    if iim_preferred
                    else ""
                ),
                "ingest-conflict",
                source=source,
            )
        )
        if iim_preferred:
            record[key] = value


def ingest_metadata(
    meta: ImageMetadata,
    *,
    name: str,
    sha256: str,
    size: int,
    sidecar: bytes | None = None,
    issues: list[Issue] | None = None,
    id: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The Photograph record of an image already read (see :func:`ingest`)."""
    from warphoto import __version__
    from warphoto.formats import xmp

    found: list[Issue] = [] if issues is None else issues
    source = meta.source or name
    for warning in meta.warnings:
        found.append(Issue(None, "$", warning, "ingest-read", source=source))
    packets: tuple[bytes, ...] = meta.xmp_packets
    if sidecar is not None:
        if packets:
            try:
                differences = compare_sidecar(packets, sidecar, source=source)
            except ReadError:
                differences = ()  # a packet that cannot be read: said below
            for difference in differences:
                found.append(
                    Issue(
                        None,
                        difference.property,
                        f"{difference}; the sidecar is read",
                        "ingest-sidecar",
                        source=source,
                    )
                )
        packets = (sidecar,)
        meta = dataclasses.replace(meta, xmp=sidecar, xmp_extended=None)
    reading_issues: list[Issue] = []
    record: dict[str, Any] = {"@context": _resources.CONTEXT_IRI}
    if packets:
        try:
            reading = xmp.read_packets(packets, source=source)
        except ReadError as error:  # a broken packet: the rest of the file still gives the record
            found.append(
                Issue(
                    None,
                    "$",
                    f"the XMP cannot be read, and is left out: {error.message}",
                    "ingest-read",
                    source=source,
                )
            )
            packets = ()
            meta = dataclasses.replace(meta, xmp=None, xmp_extended=None)
        else:
            record = dict(reading.record)
            reading_issues.extend(reading.issues)
    if id is not None:
        record["@id"] = id
    elif record.get("@id") in (None, "_:photograph"):
        record["@id"] = _photograph_id(sha256)
    record["@type"] = record.get("@type") or ["ImageObject", "Photograph"]
    try:
        mwg = mwg_values(meta)
    except ReadError:  # the packet the XMP reader took, the MWG reader could not: EXIF and IIM alone
        mwg = mwg_values(dataclasses.replace(meta, xmp=None, xmp_extended=None))
    for conflict in mwg.conflicts:
        field = conflict.split(":", 1)[0]
        found.append(
            Issue(record["@id"], field, conflict.split(": ", 1)[-1], "ingest-conflict", source=source)
        )
    properties = _iim_properties(meta.iim, found, source)
    mwg_props = _mwg_properties(mwg)
    properties.update(mwg_props)
    if properties:
        legacy = xmp.read_packet(_packet(properties), source=source, id=record["@id"])
        reading_issues.extend(i for i in legacy.issues if i.rule != "xmp-unmapped")
        rows = _iptc_rows()
        _merge(
            record,
            legacy.record,
            mwg_keys=frozenset(rows[p].key for p in mwg_props),
            iim_preferred=meta.iim_digest_matches is False,
            issues=found,
            source=source,
        )
    dates = dict(mwg.sources)
    if mwg.date_time_original and dates.get("date_time_original") != "XMP":
        value = _date(mwg.date_time_original)
        if value is not None:
            record["dateCreated"] = value
    exif_data = _exif_data(meta.exif, mwg)
    if exif_data:
        record["exifData"] = exif_data
    position = _gps(meta.exif)
    if position is None and gps_position(meta.exif) is not None:
        found.append(
            Issue(
                None,
                "exifData",
                f"the GPS position {gps_position(meta.exif)} is not on Earth; left out",
                "ingest-read",
                source=source,
            )
        )
    if position is not None and "locationCreated" not in record:
        geo: dict[str, Any] = {
            "@type": "GeoCoordinates",
            "latitude": position.latitude,
            "longitude": position.longitude,
        }
        if position.altitude is not None:
            geo["elevation"] = position.altitude
        record["locationCreated"] = {"@type": "Place", "geo": geo}
    file_id = "ni:///sha-256;" + base64.urlsafe_b64encode(bytes.fromhex(sha256)).decode().rstrip("=")
    media: dict[str, Any] = {"@id": file_id, "@type": "ImageObject", "fileName": Path(name).name}
    media["encodingFormat"] = meta.media_type
    if meta.width:
        media["width"] = meta.width
    if meta.height:
        media["height"] = meta.height
    media.update({"contentSize": size, "sha256": sha256, "fileRole": "master"})
    record["associatedMedia"] = [media, *[m for m in record.get("associatedMedia", []) if m != media]]
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds").replace("+00:00", "Z")
    forms = [
        f
        for f, present in (("EXIF", bool(meta.exif)), ("IPTC-IIM", bool(meta.iim)), ("XMP", bool(packets)))
        if present
    ]
    said = ", ".join(forms) if forms else "no metadata"
    step: dict[str, Any] = {
        "@type": "Activity",
        "additionalType": list(PREMIS_EVENTS),
        "endedAtTime": {"@value": stamp, "@type": "xsd:dateTime"},
        "used": [file_id],
        "description": {
            "en": f"ingested by warphoto {__version__}: {said} read from {Path(name).name}, SHA-256 computed"
            + (" (with its XMP sidecar)" if sidecar is not None else "")
        },
        "prov:wasAssociatedWith": {"@id": f"https://pypi.org/project/warphoto/{__version__}/"},
    }
    record["provenance"] = [*record.get("provenance", []), step]
    for issue in reading_issues:
        found.append(dataclasses.replace(issue, record_id=record["@id"], source=issue.source or source))
    head: dict[str, Any] = {k: record.pop(k) for k in ("@context", "@id", "@type") if k in record}
    return {**head, **record}


def ingest(
    path: str | Path,
    *,
    issues: list[Issue] | None = None,
    sidecars: bool = True,
    id: str | None = None,
) -> dict[str, Any]:
    """The Photograph record of the image at ``path`` (and of its XMP sidecar, when one lies
    beside it): metadata, fixity and a provenance step. ``issues`` (a list) receives every
    disagreement between the forms and every value read in a way worth saying. A file that is
    no image ingest can read is a :class:`~warphoto.errors.ReadError`. The file is never written."""
    name = str(path)
    sha256, size = sha256_file(path)
    meta = read_metadata(path)
    sidecar = None
    if sidecars:
        found = find_sidecars(path)
        if found.chosen is not None:
            try:
                sidecar = found.chosen.read_bytes()
            except OSError as error:
                raise ReadError(
                    f"cannot read the sidecar: {error.strerror or error}", source=str(found.chosen)
                ) from error
            if found.warning and issues is not None:
                issues.append(Issue(None, "$", found.warning, "ingest-sidecar", source=name))
    told: list[Issue] = [] if issues is None else issues
    record = ingest_metadata(meta, name=name, sha256=sha256, size=size, sidecar=sidecar, issues=told, id=id)
    add_c2pa(record, path, meta, told)
    return record
