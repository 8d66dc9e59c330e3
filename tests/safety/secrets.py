"""A corpus of records full of secrets, and every output byte of every writable format."""

from __future__ import annotations

import io as _io
import zipfile
from dataclasses import dataclass
from typing import Any

from warphoto import formats, io
from warphoto.model.graph import standalone_records

CONTEXT = "https://w3id.org/warphoto/context.jsonld"
EDM_OPTIONS = {
    "provider": "Example Aggregator",
    "data_provider": "Example Photo Archive",
    "rights": "http://rightsstatements.org/vocab/InC/1.0/",
}


@dataclass(frozen=True)
class Secrets:
    """The secret values of one record, by the kind of data a profile acts on (each a distinct token)."""

    person_name: str = "Olenasecretna"
    person_iri_slug: str = "olena-secretna-iri"
    person_blank: str = "mykolahiddenko"
    person_blank_name: str = "Mykolahiddenko"
    person_note: str = "sisterofivansecretov"
    model_info: str = "Modelinfofacetsecret"
    model_release: str = "MRSECRET55120"
    region_name: str = "Regionfacesecret"
    latitude: str = "49.9873216"
    longitude: str = "36.2318457"
    serial: str = "SNCAM7731942"
    lens_serial: str = "LSN4488125"
    internal_serial: str = "INT9912731"
    phone: str = "tel380445559871"
    email: str = "stringer.secretmail@example.org"
    street: str = "Secretstreet 12"
    licensor_phone: str = "tel380449990012"
    file_name: str = "DSC_SECRET_0042.JPG"
    restricted_place: str = "Safehousealpha"
    restricted_reason: str = "Familystillinoccupiedzone"
    restricted_field: str = "Archiveonlynote"
    caption_name: str = "Olenacaptionname"
    sublocation: str = "Sumskastreetsecret 45"
    city_latitude: str = "49.9935123"
    city_longitude: str = "36.2304456"

    def by_kind(self) -> dict[str, tuple[str, ...]]:
        """The tokens of each kind (``coordinates`` as the digits no coarsened value can hold)."""
        return {
            "persons_shown": (
                self.person_name,
                self.person_iri_slug,
                self.person_blank,
                self.person_blank_name,
                self.person_note,
                self.model_info,
                self.model_release,
            ),
            "image_regions": (self.region_name,),
            "coordinates": tuple(
                value.split(".")[1]
                for value in (self.latitude, self.longitude, self.city_latitude, self.city_longitude)
            ),
            "serial_numbers": (self.serial, self.lens_serial, self.internal_serial),
            "contact_details": (self.phone, self.email, self.street, self.licensor_phone),
            "file_names": (self.file_name, self.file_name.split(".")[0]),
            "restricted": (self.restricted_place, self.restricted_reason, self.restricted_field),
            "caption": (self.caption_name,),
        }

    def streets(self) -> tuple[str, ...]:
        """The street-level tokens, which only ``coordinates = "town"`` removes (not in ``by_kind``)."""
        return (self.sublocation, self.sublocation.split()[0])


def secret_collection(s: Secrets = Secrets()) -> dict[str, Any]:
    """A collection: one photograph full of secrets, a person shown described by a blank node."""
    photo: dict[str, Any] = {
        "@id": "https://example.org/archive/photo-1",
        "@type": ["ImageObject", "Photograph"],
        "headline": {"en": "Residents return to the village"},
        "caption": {"en": f"{s.caption_name} collects firewood outside her house."},
        "instructions": f"Do not publish: {s.restricted_field}",
        "restrictedField": ["instructions"],
        "additionalModelInfo": s.model_info,
        "modelReleaseId": [s.model_release],
        "modelAge": [68],
        "personShown": [
            {
                "@type": "PersonShown",
                "person": {
                    "@id": f"https://example.org/person/{s.person_iri_slug}",
                    "@type": "Person",
                    "name": {"en": s.person_name},
                },
                "description": {"en": s.person_note},
                "age": 68,
            },
            {"person": f"_:{s.person_blank}"},
        ],
        "contentLocation": [
            {
                "@type": "Place",
                "name": {"en": "Village square"},
                "geo": {"latitude": float(s.latitude), "longitude": float(s.longitude), "elevation": 121.5},
            },
            {
                "@type": "Place",
                "name": {"en": s.restricted_place},
                "accessAudience": "archive-only",
                "accessReason": s.restricted_reason,
            },
        ],
        "locationCreated": "_:street",
        "legacySublocation": s.sublocation,
        "legacyCity": "Kharkiv",
        # what ingest keeps of IPTC's own forms, as extension keys
        "Iptc4xmpExt:PersonInImage": [s.person_name],
        "Iptc4xmpExt:LocationShown": [{"Iptc4xmpExt:GPSLatitude": s.latitude, "exif:GPSSerial": s.serial}],
        "creator": ["_:stringer"],
        "creatorContactInfo": {"ciTelWork": s.phone, "ciEmailWork": s.email, "ciAdrExtadr": s.street},
        "licensor": [{"licensorName": "Example Agency", "licensorTelephone1": s.licensor_phone}],
        "imageRegion": [
            {
                "rId": "r1",
                "regionBoundary": {
                    "rbShape": "rectangle",
                    "rbUnit": "relative",
                    "rbX": 0.1,
                    "rbY": 0.1,
                    "rbW": 0.2,
                    "rbH": 0.3,
                },
                "entityName": {"en": s.region_name},
            }
        ],
        "exifData": [
            {"@type": "PropertyValue", "propertyID": "Model", "value": "Example Camera"},
            {"@type": "PropertyValue", "propertyID": "SerialNumber", "value": s.serial},
            {"@type": "PropertyValue", "propertyID": "LensSerialNumber", "value": s.lens_serial},
            {"@type": "PropertyValue", "propertyID": "InternalSerialNumber", "value": s.internal_serial},
            {"@type": "PropertyValue", "propertyID": "GPSLatitude", "value": float(s.latitude)},
            {"@type": "PropertyValue", "propertyID": "GPSLongitude", "value": float(s.longitude)},
        ],
        "provenance": [
            {
                "@type": "Activity",
                "additionalType": ["http://id.loc.gov/vocabulary/preservation/eventType/met"],
                "endedAtTime": {"@value": "2022-09-20T10:00:00+00:00", "@type": "xsd:dateTime"},
                "description": {"en": f"ingested: XMP read from {s.file_name}"},  # as ingest says
            }
        ],
        "associatedMedia": [
            {
                "@id": f"file:///archive/incoming/{s.file_name}",
                "@type": "ImageObject",
                "contentUrl": f"file:///archive/incoming/{s.file_name}",
                "fileName": s.file_name,
                "fileRole": "master",
            }
        ],
    }
    shown = {"@id": f"_:{s.person_blank}", "@type": "Person", "name": {"en": s.person_blank_name}}
    stringer = {"@id": "_:stringer", "@type": "Person", "name": {"en": "Example Stringer"}}
    street = {
        "@id": "_:street",
        "@type": "Place",
        "name": {"en": s.sublocation},
        "containedInPlace": "_:kharkiv",
    }
    city = {
        "@id": "_:kharkiv",
        "@type": "City",
        "name": {"en": "Kharkiv"},
        "geo": {"latitude": float(s.city_latitude), "longitude": float(s.city_longitude)},
        "containedInPlace": "_:ukraine",
    }
    country = {"@id": "_:ukraine", "@type": "Country", "name": {"en": "Ukraine"}, "countryCode": "UA"}
    return {"@context": CONTEXT, "@graph": [photo, shown, stringer, street, city, country]}


def writers() -> list[formats.Format]:
    """Every format that writes a record alone (not into an image)."""
    return [f for f in formats.all_formats() if f.can_write and not f.media_type.startswith("image/")]


def output_bytes(document: dict[str, Any], fmt: formats.Format) -> bytes:
    """Everything ``fmt`` writes for ``document``: per photograph where it must, ZIP members unpacked."""
    options = EDM_OPTIONS if fmt.name == "edm" else {}
    parts = standalone_records(document) if fmt.per_photograph and "@graph" in document else [document]
    out = b""
    for part in parts:
        payload = io.dumps(part, fmt.name, **options)
        raw = payload.encode("utf-8") if isinstance(payload, str) else payload
        if raw.startswith(b"PK"):
            with zipfile.ZipFile(_io.BytesIO(raw)) as archive:
                raw = b"".join(archive.read(name) + name.encode() for name in archive.namelist())
        out += raw
    return out
