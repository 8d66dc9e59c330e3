"""The IPTC reference image: we read every property our record model carries, with IPTC's values.

The properties of the reference image that the record model does not carry are listed here
(NOT_CARRIED, PARTLY_CARRIED) and in docs/xmp.md; the test checks both lists against what the
reader reports, so neither can go stale.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from warphoto._crosswalk import load_table
from warphoto.canonical import canonical
from warphoto.formats import _xmp_ld, jpeg, xmp
from warphoto.validation import validate

DOCS = Path(__file__).resolve().parents[2] / "docs" / "xmp.md"
IMAGE = "iptc-photometadata/reference-image/IPTC-PhotometadataRef-Std2023.2.jpg"
PACKET = "iptc-photometadata/reference-image/IPTC-PhotometadataRef-Std2023.2.xmp"

#: properties of the reference image that the record model has no field for: PLUS's own, not IPTC's
NOT_CARRIED = {"plus:ImageCreatorImageID"}

#: mapped properties whose reference values the record can hold only in part (why, in docs/xmp.md)
PARTLY_CARRIED = {
    "Iptc4xmpExt:AboutCvTerm",  # CvTermRefinedAbout
    "Iptc4xmpExt:Genre",  # CvTermRefinedAbout
    "Iptc4xmpExt:PersonInImageWDetails",  # PersonCharacteristic
    "Iptc4xmpExt:LocationShown",  # LocationId not an IRI, CountryCode R23 not ISO 3166
    "Iptc4xmpExt:LocationCreated",  # the same
    "plus:ImageCreator",  # ImageCreatorID not an IRI
    "plus:CopyrightOwner",  # CopyrightOwnerID not an IRI
    "plus:ImageSupplier",  # ImageSupplierID not an IRI
    "plus:Licensor",  # only LicensorURL (acquireLicensePage)
    # the creators and persons shown the record reads do not give these back as they were
    "dc:creator",
    "photoshop:AuthorsPosition",
    "Iptc4xmpExt:PersonInImage",
}

U = "und"  # the reference image gives its text in x-default only
EXPECTED: dict[str, Any] = {
    "@id": "http://example.com/imageGUIDs/TestGUID12345/ref2023.2",
    "identifier": "http://example.com/imageGUIDs/TestGUID12345/ref2023.2",
    "headline": {U: "The Headline (ref2023.2)"},
    "title": {U: "The Title (ref2023.2)"},
    "caption": {U: "The description aka caption (ref2023.2)"},
    "altText": {"en": "This is the Alt Text description to support accessibility in 2023.2"},
    "keywords": {U: ["Keyword1ref2023.2", "Keyword2ref2023.2", "Keyword3ref2023.2"]},
    "dateCreated": {"@value": "2024-03-22T00:23:02+00:00", "@type": "xsd:dateTime"},
    "creditText": "Credit Line (ref2023.2)",
    "copyrightNotice": {U: "Copyright (Notice) 2023.2 IPTC - www.iptc.org  (ref2023.2)"},
    "license": "https://example.com/WebStatementOfRights/ref2023.2",
    "acquireLicensePage": "https://example.com/LicensorURL_1_ref2023.2",
    "usageTerms": {U: "Rights Usage Terms (ref2023.2)"},
    "instructions": "An Instruction (ref2023.2)",
    "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/softwareImage",
    "creator": [
        {
            "@type": "Person",
            "name": {U: "Creator1 (ref2023.2)"},
            "jobTitle": {U: "Creator's Job Title  (ref2023.2)"},
        },
        {"@type": "Person", "name": {U: "Image Creator Name 1 (ref2023.2)"}},
    ],
    "copyrightHolder": [
        {"@type": "Organization", "name": {U: "Copyright Owner Name 1 (ref2023.2)"}},
        {"@type": "Organization", "name": {U: "Copyright Owner Name 2 (ref2023.2)"}},
    ],
    "about": [
        {
            "@id": "http://example.com/cv/about/ref2023.2/code987",
            "@type": "Concept",
            "prefLabel": {U: "CV-Term Name 1 (ref2023.2)"},
            "inScheme": "http://example.com/cv/about/ref2023.2",
        },
        *(
            {
                "@id": f"http://cv.iptc.org/newscodes/scene/{code}",
                "@type": "Concept",
                "inScheme": "http://cv.iptc.org/newscodes/scene/",
            }
            for code in ("011232", "012232")
        ),
        *(
            {
                "@id": f"http://cv.iptc.org/newscodes/subjectcode/{code}",
                "@type": "Concept",
                "inScheme": "http://cv.iptc.org/newscodes/subjectcode/",
            }
            for code in ("10020231", "20020231", "30020231")
        ),
    ],
    "genre": [
        {
            "@id": "http://example.com/cv/genre/ref2023.2/code1369",
            "@type": "Concept",
            "prefLabel": {U: "Genre CV-Term Name 1 (ref2023.2)"},
            "inScheme": "http://example.com/cv/genre/ref2023.2",
        },
        {
            "@id": "http://cv.iptc.org/newscodes/genre/Actuality",
            "@type": "Concept",
            "inScheme": "http://cv.iptc.org/newscodes/genre/",
        },
    ],
    "personShown": [
        {
            "person": {
                "@type": "Person",
                "@id": "http://wikidata.org/item/Q123456789/ref2023.2",
                "sameAs": ["http://freebase.com/m/987654321/ref2023.2"],
                "name": {U: "Person Name 1 (ref2023.2)"},
            },
            "description": {U: "Person Description 1 (ref2023.2)"},
        },
        {"person": {"@type": "Person", "name": {U: "Person Shown 1 (ref2023.2)"}}},
        {"person": {"@type": "Person", "name": {U: "Person Shown 2 (ref2023.2)"}}},
    ],
    "recordedAt": [
        {
            "@type": "Event",
            "@id": "https://example.com/events/ref2023.2-a",
            "sameAs": ["https://example.com/events/ref2023.2-b"],
            "name": {U: "Event Name (ref2023.2)"},
        },
    ],
}


def location(which: str, lat: float, lon: float, alt: float) -> dict[str, Any]:
    def level(kind: str, name: str, inner: dict[str, Any] | None) -> dict[str, Any]:
        node: dict[str, Any] = {"@type": kind, "name": {U: name}}
        if inner is not None:
            node["containedInPlace"] = inner
        return node

    chain = level("Continent", f"Worldregion ({which}) (ref2023.2)", None)
    chain = level("Country", f"CountryName ({which}) (ref2023.2)", chain)
    chain = level("State", f"Province/State ({which}) (ref2023.2)", chain)
    chain = level("City", f"City ({which}) (ref2023.2)", chain)
    chain = level("Place", f"Sublocation ({which}) (ref2023.2)", chain)
    place = level("AdministrativeArea", f"Location Name ({which}) (ref2023.2)", chain)
    place["geo"] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon, "elevation": alt}
    return place


EXPECTED["contentLocation"] = [
    location("Location shown1", 48.147, 17.098, 140.0),
    location("Location shown2", 47.952, 16.83, 120.0),
]
EXPECTED["locationCreated"] = location("Location created1", 48.275, 16.338, 480.0)


@pytest.fixture(params=["jpeg", "xmp"])
def reading(request: pytest.FixtureRequest, reference_dir: Path) -> xmp.XmpReading:
    if request.param == "jpeg":
        return jpeg.read_jpeg((reference_dir / IMAGE).read_bytes())
    return xmp.read_packet((reference_dir / PACKET).read_bytes())


def test_every_carried_property_has_the_reference_value(reading: xmp.XmpReading) -> None:
    record = reading.record
    for field, value in EXPECTED.items():
        assert canonical({field: record.get(field)}) == canonical({field: value}), field
    carried = {k for k in record if not k.startswith("@") and ":" not in k}
    # the rest are IPTC's own properties, under their own keys (vocab/crosswalk/iptc.csv)
    iptc_keys = {row["key"].partition(".")[2] for row in load_table("iptc.csv") if not row["struct"]}
    assert carried - set(EXPECTED) <= iptc_keys
    assert {"legacyCity", "creatorContactInfo", "artworkOrObject", "imageRegion", "licensor"} <= carried
    validate(record)


def test_properties_we_do_not_carry_are_reported_and_kept(reading: xmp.XmpReading) -> None:
    unmapped = {i.path for i in reading.issues if i.rule == "xmp-unmapped"}
    partly = {i.path for i in reading.issues if i.rule == "xmp-not-carried"}
    assert unmapped == NOT_CARRIED
    assert partly == PARTLY_CARRIED
    # nothing is dropped: each is kept as an extension key named by its IRI
    prefixes = xmp.namespaces()
    for name in NOT_CARRIED | PARTLY_CARRIED:
        prefix, _, local = name.partition(":")
        assert _xmp_ld.key_of_clark("{" + prefixes[prefix] + "}" + local) in reading.record, name


def test_every_reference_property_is_mapped_or_listed(reference_dir: Path) -> None:
    tech = json.loads(
        (reference_dir / "iptc-photometadata/techreference/iptc-pmd-techreference_2025.1.json").read_text(
            encoding="utf-8"
        )
    )
    packet = (reference_dir / PACKET).read_text(encoding="utf-8")
    mapped = {row.prop for row in xmp.crosswalk_rows()}
    mapped |= {row["xmp"] for row in load_table("iptc.csv") if row["key"].startswith("Photograph.")}
    for entry in tech["ipmd_top"].values():
        prop = entry["XMPid"]
        if f"<{prop}>" in packet or f"<{prop} " in packet:
            assert prop in mapped or prop in NOT_CARRIED, prop


def test_docs_list_what_we_do_not_carry() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Properties of the IPTC reference image we do not carry", 1)[1]
    listed = set(re.findall(r"`((?:Iptc4xmpCore|Iptc4xmpExt|photoshop|plus|xmp|dc):\w+)`", section))
    assert listed >= NOT_CARRIED | PARTLY_CARRIED


def test_reference_record_round_trips(reading: xmp.XmpReading) -> None:
    record = reading.record
    assert canonical(xmp.loads(xmp.dumps(record))) == canonical(record)
