"""XMP sidecars: the crosswalk, the writer's IPTC form, round trips, other tools' packets, bad input."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import warphoto
from warphoto import formats
from warphoto._crosswalk import load_table, parse_table
from warphoto._shape import schema_fields
from warphoto.canonical import canonical
from warphoto.errors import ReadError, UnsafeInputError, WriteError
from warphoto.formats import _xmp_ld, xmp
from warphoto.validation import validate

from ..strategies import photographs, with_awkward_text

DATA = Path(__file__).resolve().parent.parent / "data" / "xmp"
NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "warphoto": "https://w3id.org/warphoto/xmp/1.0/",
    "schema": "https://schema.org/",
    "wp": "https://w3id.org/warphoto/ns#",
    "ex": "ex:",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def with_context(record: dict[str, Any]) -> dict[str, Any]:
    return {"@context": warphoto._resources.CONTEXT_IRI, **record}


RECORD: dict[str, Any] = {
    "@context": "https://w3id.org/warphoto/context.jsonld",
    "@id": "https://example.org/photo/1",
    "@type": ["ImageObject", "Photograph"],
    "identifier": "AP22264423528573",
    "headline": {"en": "Izium after the retreat", "uk": "Ізюм після відступу"},
    "title": {"en": "Izium", "uk": "Ізюм"},
    "caption": {"en": "A <mass> grave & a forest"},
    "altText": {"en": "Graves among pine trees"},
    "keywords": {"en": ["war", "exhumation"]},
    "dateCreated": {"@value": "2022-09", "@type": "xsd:gYearMonth"},
    "creator": [
        {
            "@id": "https://example.org/people/ep",
            "@type": "Person",
            "name": {"en": "Evgeniy Maloletka"},
            "jobTitle": {"en": "photographer"},
        },
    ],
    "creditText": "AP Photo/Evgeniy Maloletka",
    "copyrightNotice": {"en": "© 2022 The Associated Press"},
    "copyrightHolder": [{"@type": "Organization", "name": {"en": "The Associated Press"}}],
    "license": "https://example.org/licence",
    "acquireLicensePage": "https://example.org/buy",
    "usageTerms": {"en": "Editorial use only"},
    "instructions": "Do not crop",
    "contentWarning": ["http://cv.iptc.org/newscodes/contentwarning/death"],
    "contentLocation": [
        {
            "@id": "https://sws.geonames.org/707292/",
            "@type": "City",
            "name": {"en": "Izium", "uk": "Ізюм"},
            "geo": {"latitude": 49.2103, "longitude": 37.2569},
            "containedInPlace": {
                "@type": "State",
                "name": {"en": "Kharkiv region"},
                "containedInPlace": {"@type": "Country", "name": {"en": "Ukraine"}, "countryCode": "UA"},
            },
        },
    ],
    "personShown": [
        {
            "person": {"@type": "Person", "name": {"en": "Olga Valkova"}},
            "description": {"en": "sister-in-law"},
            "age": 64,
        },
    ],
    "recordedAt": [
        {
            "@id": "https://www.wikidata.org/entity/Q114175399",
            "@type": "Event",
            "name": {"en": "Kharkiv counteroffensive"},
            "startDate": {"@value": "2022-09-06", "@type": "xsd:date"},
        }
    ],
    "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
    "isPartOf": "https://example.org/gallery",
    "position": 3,
    "associatedMedia": [
        {
            "@type": "ImageObject",
            "contentUrl": "https://example.org/1.jpg",
            "sha256": "0" * 64,
            "fileRole": "master",
        }
    ],
    "ex:note": "an extension key",
}


def tree(packet: str | bytes) -> Any:
    data = packet.encode("utf-8") if isinstance(packet, str) else packet
    return etree.fromstring(data.strip())


# ------------------------------------------------------------------------ the crosswalk table


def test_every_photograph_field_has_a_crosswalk_row_or_a_term() -> None:
    # a field without an IPTC property is written under the namespace of its term's IRI
    fields = set(load_table("xmp.csv").column("field"))
    photograph = set(warphoto._resources.schema("photograph")["properties"]) - {"@context", "@type"}
    unmapped = photograph - fields
    assert unmapped <= set(_xmp_ld.terms()), f"no crosswalk row or term for {sorted(unmapped)}"
    assert fields - {"@id"} <= schema_fields()


def test_crosswalk_rows_are_well_formed() -> None:
    shapes = {"Text", "URI", "Integer", "Real", "Date", "LangAlt", "Bag", "Seq", "Bag/Struct", "Seq/Struct"}
    for row in xmp.crosswalk_rows():
        assert row.shape in shapes, row
        assert row.direction in {"both", "fallback"}, row
        assert row.lossless in {"yes", "no", "check"}, row
        assert row.kind in xmp._WRITERS, row
        assert (row.iptc_id == "") == (row.namespace == xmp.WARPHOTO_XMP_NS), row


def test_crosswalk_agrees_with_the_techreference(reference_dir: Path) -> None:
    tech = json.loads(
        (reference_dir / "iptc-photometadata/techreference/iptc-pmd-techreference_2025.1.json").read_text(
            encoding="utf-8"
        )
    )
    namespaces = json.loads(
        (reference_dir / "iptc-photometadata/techreference/xmp-namespaces.json").read_text(encoding="utf-8")
    )
    ours = xmp.namespaces()
    for prefix, uri in namespaces.items():
        assert ours[prefix] == uri
    for row in xmp.crosswalk_rows():
        if row.iptc_id:
            entry = tech["ipmd_top"][row.iptc_id]
            assert entry["XMPid"] == row.prop, row
            assert entry["etXMP"] == row.exiftool, row


def test_parse_table_checks_its_shape() -> None:
    table = parse_table("# comment\na,b\n1,2\n", name="t")
    assert table.rows == ({"a": "1", "b": "2"},)
    with pytest.raises(ValueError, match="cells"):
        parse_table("a,b\n1\n")
    with pytest.raises(ValueError, match="lacks"):
        parse_table("a\n1\n", required=["b"])


# ------------------------------------------------------------------------ the writer's IPTC form


def test_packet_has_the_xpacket_wrapper_and_parses() -> None:
    packet = xmp.dumps(RECORD)
    assert packet.startswith('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>')
    assert packet.rstrip().endswith('<?xpacket end="w"?>')
    assert tree(packet).tag == "{adobe:ns:meta/}xmpmeta"


def test_iptc_native_properties() -> None:
    packet = xmp.dumps(RECORD)
    root = tree(packet)

    def one(path: str) -> Any:
        found = root.findall(f".//{path}", NS)
        assert len(found) == 1, path
        return found[0]

    alt = one("dc:title/rdf:Alt")
    langs = [li.get(XML_LANG) for li in alt]
    assert langs == ["x-default", "en", "uk"]
    assert alt[0].text == "Izium"
    assert [li.text for li in one("dc:creator/rdf:Seq")] == ["Evgeniy Maloletka"]
    assert [li.text for li in one("dc:subject/rdf:Bag")] == ["war", "exhumation"]
    assert one("dc:description/rdf:Alt")[0].text == "A <mass> grave & a forest"
    assert one("dc:rights/rdf:Alt")[0].get(XML_LANG) == "x-default"
    assert one("photoshop:Headline").text == "Izium after the retreat"
    assert one("photoshop:DateCreated").text == "2022-09"
    assert one("photoshop:Credit").text == "AP Photo/Evgeniy Maloletka"
    assert one("photoshop:AuthorsPosition").text == "photographer"
    assert one("photoshop:Instructions").text == "Do not crop"
    # the legacy location is a field of its own, not rewritten from the location shown
    assert not root.findall(".//photoshop:City", NS) and not root.findall(".//Iptc4xmpCore:CountryCode", NS)
    assert one("Iptc4xmpCore:AltTextAccessibility/rdf:Alt")[1].text == "Graves among pine trees"
    assert one("Iptc4xmpExt:DigImageGUID").text == "AP22264423528573"
    assert one("Iptc4xmpExt:DigitalSourceType").text.endswith("/digitalCapture")
    shown = one("Iptc4xmpExt:LocationShown/rdf:Bag/rdf:li")
    assert shown.find("Iptc4xmpExt:City", NS).text == "Izium"
    assert shown.find("Iptc4xmpExt:CountryCode", NS).text == "UA"
    assert [li.text for li in shown.find("Iptc4xmpExt:LocationId/rdf:Bag", NS)] == [
        "https://sws.geonames.org/707292/"
    ]
    assert shown.find("{http://ns.adobe.com/exif/1.0/}GPSLatitude").text.endswith("N")
    person = one("Iptc4xmpExt:PersonInImageWDetails/rdf:Bag/rdf:li")
    assert person.find("Iptc4xmpExt:PersonDescription/rdf:Alt/rdf:li", NS).text == "sister-in-law"
    assert one("Iptc4xmpExt:Event/rdf:Alt")[0].text == "Kharkiv counteroffensive"
    assert [li.text for li in one("Iptc4xmpExt:EventId/rdf:Bag")] == [
        "https://www.wikidata.org/entity/Q114175399"
    ]
    assert one("plus:ImageCreator/rdf:Seq/rdf:li/plus:ImageCreatorID").text == "https://example.org/people/ep"
    assert one("plus:CopyrightOwner/rdf:Seq/rdf:li/plus:CopyrightOwnerName").text == "The Associated Press"
    assert one("plus:Licensor/rdf:Seq/rdf:li/plus:LicensorURL").text == "https://example.org/buy"
    assert one("xmpRights:WebStatement").text == "https://example.org/licence"
    assert one("xmpRights:UsageTerms/rdf:Alt")[0].text == "Editorial use only"
    assert [li.text for li in one("warphoto:contentWarning/rdf:Bag")] == RECORD["contentWarning"]
    assert one("warphoto:position").text == "3"
    # no JSON anywhere: what IPTC cannot hold is XMP under the namespace of its IRI
    assert "lossless" not in packet and "{" not in packet
    headline = one("schema:headline/rdf:Alt")  # the other languages of the headline
    assert [(li.get(XML_LANG), li.text) for li in headline][1:] == list(RECORD["headline"].items())
    media = one("schema:associatedMedia/rdf:Bag/rdf:li")
    assert media.find("wp:sha256", NS).text == "0" * 64
    assert one("ex:note").text == "an extension key"
    # what IPTC holds whole is not written twice
    for key in ("title", "dateCreated", "creditText", "caption"):
        assert not root.findall(f".//schema:{key}", NS), key


@pytest.mark.parametrize("value", ["2022", "2022-09", "2022-09-21", "2022-09-21T14:05:00+03:00"])
def test_partial_dates_stay_partial(value: str) -> None:
    from warphoto.dates import classify

    record = {**RECORD, "dateCreated": {"@value": value, "@type": classify(value)}}
    packet = xmp.dumps(record)
    assert f"<photoshop:DateCreated>{value}</photoshop:DateCreated>" in packet
    assert xmp.loads(packet)["dateCreated"] == record["dateCreated"]


def test_interval_is_written_under_its_own_iri() -> None:
    record = {**RECORD, "dateCreated": {"@value": "2022-09-10/2022-09-16", "@type": "edtf:EDTF"}}
    packet = xmp.dumps(record)
    assert "photoshop:DateCreated" not in packet
    assert 'rdf:datatype="http://id.loc.gov/datatypes/edtf/EDTF">2022-09-10/2022-09-16<' in packet
    assert xmp.loads(packet)["dateCreated"] == record["dateCreated"]


# ------------------------------------------------------------------------ round trips


def test_round_trip_hand_made_record() -> None:
    back = xmp.loads(xmp.dumps(RECORD))
    assert canonical(back) == canonical(RECORD)
    validate(back)


def test_round_trip_example_photographs(example_photographs: list[dict[str, Any]]) -> None:
    assert example_photographs
    for record in example_photographs:
        assert canonical(xmp.loads(xmp.dumps(record))) == canonical(record), record["@id"]


@given(photographs(extensions=True))
def test_round_trip_generated(record: dict[str, Any]) -> None:
    back = xmp.loads(xmp.dumps(record))
    assert canonical(back) == canonical(with_context(record) if "@context" not in record else record)


@given(record=photographs(extensions=True), data=st.data())
def test_round_trip_awkward_text(record: dict[str, Any], data: st.DataObject) -> None:
    # markup, quotes, line ends (a carriage return survives XML only as &#13;) and astral text
    awkward = with_awkward_text(record, data.draw)
    back = xmp.loads(xmp.dumps(awkward))
    assert canonical(back) == canonical(with_context(awkward) if "@context" not in awkward else awkward)


def test_round_trip_through_the_registry(tmp_path: Path) -> None:
    assert formats.for_path("photo.xmp").name == "xmp"
    path = warphoto.write(RECORD, tmp_path / "photo.xmp")
    assert canonical(warphoto.read(path)) == canonical(RECORD)
    assert canonical(warphoto.loads(warphoto.dumps(RECORD, "xmp"), "xmp")) == canonical(RECORD)


def test_collection_needs_one_photograph(example_gallery: dict[str, Any]) -> None:
    with pytest.raises(WriteError, match="id="):
        xmp.dumps(example_gallery)
    first = next(n for n in example_gallery["@graph"] if "Photograph" in n.get("@type", []))
    record = xmp.loads(xmp.dumps(example_gallery, id=first["@id"]))
    assert record["@id"] == first["@id"]


def test_iptc_only_packet_uses_the_fallbacks() -> None:
    """Without what warphoto adds to IPTC (another tool dropped it) the IPTC properties are read."""
    root = tree(xmp.dumps(RECORD))
    added = tuple("{" + NS[prefix] for prefix in ("warphoto", "schema", "wp", "ex"))
    ours = [e for e in root.iter() if isinstance(e.tag, str) and e.tag.startswith(added)]
    for element in ours:
        element.getparent().remove(element)
    record = xmp.loads(etree.tostring(root), language="en")
    assert record["headline"] == {"en": "Izium after the retreat"}
    assert record["title"] == RECORD["title"]
    assert record["keywords"] == RECORD["keywords"]
    assert record["creator"] == [
        {
            "@type": "Person",
            "@id": "https://example.org/people/ep",
            "name": {"en": "Evgeniy Maloletka"},
            "jobTitle": {"en": "photographer"},
        }
    ]
    assert record["contentLocation"][0]["@id"] == "https://sws.geonames.org/707292/"
    assert record["contentLocation"][0]["containedInPlace"]["containedInPlace"]["countryCode"] == "UA"
    assert record["contentLocation"][0]["geo"]["latitude"] == pytest.approx(49.2103)
    assert record["recordedAt"] == [
        {
            "@type": "Event",
            "@id": "https://www.wikidata.org/entity/Q114175399",
            "name": {"en": "Kharkiv counteroffensive"},
        }
    ]
    assert record["personShown"][0]["description"] == {"en": "sister-in-law"}
    assert record["acquireLicensePage"] == "https://example.org/buy"
    assert record["@id"] == "AP22264423528573" or record["identifier"] == "AP22264423528573"
    validate(record)


# ------------------------------------------------------------------------ other tools' packets


def test_attributes_and_odd_prefixes() -> None:
    issues: list[Any] = []
    record = xmp.loads((DATA / "attributes-odd-prefixes.xmp").read_bytes(), language="en", issues=issues)
    assert record["headline"] == {"en": "Izium after the retreat"}
    assert record["title"] == {"en": "Izium", "uk": "Ізюм"}
    assert record["creditText"] == "Example Agency"
    assert record["dateCreated"] == {"@value": "2022-09-16T11:20:00+03:00", "@type": "xsd:dateTime"}
    assert record["keywords"] == {"en": ["war", "Izium"]}
    assert record["license"] == "https://example.org/licence"
    assert record["contentLocation"][0]["name"] == {"en": "Izium"}
    assert record["contentLocation"][0]["containedInPlace"]["countryCode"] == "UA"
    assert record["personShown"][0]["person"]["@id"] == "https://example.org/people/olga-valkova"
    assert record["digitalSourceType"].endswith("/digitalCapture")
    validate(record)


def test_several_descriptions_empty_values_and_unknown_namespaces() -> None:
    reading = xmp.read_packet((DATA / "several-descriptions.xmp").read_bytes())
    record = reading.record
    assert record["caption"] == {
        "en": "A destroyed bridge over the Donets",
        "uk": "Зруйнований міст через Донець",
    }
    assert record["dateCreated"] == {"@value": "2022-09", "@type": "xsd:gYearMonth"}
    assert "copyrightNotice" not in record and "keywords" not in record and "instructions" not in record
    assert record["recordedAt"][0]["name"] == {"und": "Kharkiv counteroffensive"}
    # an unknown namespace is kept aside, not dropped, and reported
    assert record["http://example.org/acme/1.0/Batch"] == "A-17"
    assert reading.unmapped["http://example.org/acme/1.0/Batch"] == "A-17"
    assert any(i.rule == "xmp-unmapped" and "acme" in i.path for i in reading.issues)
    validate(record)
    # and it survives a round trip through our own packet
    assert canonical(xmp.loads(xmp.dumps(record))) == canonical(record)


def test_what_the_record_cannot_hold_is_reported() -> None:
    reading = xmp.read_packet((DATA / "bare-rdf.xmp").read_bytes())
    assert reading.record["title"] == {"und": "A plain-string title, not an rdf:Alt"}
    # no offset: a local date-time (EDTF level 0), as the record form holds an EXIF clock's time
    assert reading.record["dateCreated"] == {"@value": "2022-09-21T14:05:00", "@type": "edtf:EDTF"}
    # kept whole, to be written back as it was: a plain-string title. The local time is carried
    # (an XMP Date without a zone), so it is not kept beside it
    assert [i.path for i in reading.issues if i.rule == "xmp-not-carried"] == ["dc:title"]
    assert "photoshop:DateCreated" not in reading.record
    again = xmp.dumps(reading.record)
    assert "<photoshop:DateCreated>2022-09-21T14:05:00</photoshop:DateCreated>" in again
    assert "<dc:title>A plain-string title, not an rdf:Alt</dc:title>" in again
    with pytest.raises(ReadError, match="dc:title"):
        xmp.loads((DATA / "bare-rdf.xmp").read_bytes(), strict=True)
    record = xmp.loads((DATA / "bare-rdf.xmp").read_bytes(), keep_unmapped=False)
    assert not any(":" in key and key.startswith("http") for key in record)


# ------------------------------------------------------------------------ bad input


def test_entities_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Headline="&b;"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    with pytest.raises(UnsafeInputError):
        xmp.loads(bomb)


def test_external_dtd_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE x SYSTEM "file://{secret}">'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
        "</x:xmpmeta>"
    ).encode()
    with pytest.raises(UnsafeInputError):
        xmp.loads(doc)


def test_packet_size_is_bounded() -> None:
    packet = xmp.dumps(RECORD).encode("utf-8")
    with pytest.raises(ReadError, match="limit"):
        xmp.loads(packet, max_bytes=1000)


@pytest.mark.parametrize("data", [b"", b"<x/>", b"<rdf:RDF", b"not xml at all", "\u0000".encode()])
def test_malformed_packets_give_read_errors(data: bytes) -> None:
    with pytest.raises(ReadError):
        xmp.loads(data)


def old_packet(lossless: str) -> str:
    """A packet as warphoto wrote them before 2026-12: the IPTC properties and a JSON copy."""
    return xmp.dumps(RECORD).replace(
        "  </rdf:Description>", f"   <warphoto:lossless>{lossless}</warphoto:lossless>\n  </rdf:Description>"
    )


def test_an_old_packets_lossless_copy_gives_only_what_no_property_says() -> None:
    copy_ = {"headline": {"en": "Old headline", "uk": "Старий"}, "ex:old": "kept", "title": {"en": "Other"}}
    packet = old_packet(json.dumps(copy_).replace("&", "&amp;").replace("<", "&lt;"))
    record = xmp.loads(packet)
    assert record["ex:old"] == "kept"  # no property says it
    assert record["title"] == RECORD["title"]  # the packet's dc:title says otherwise: it wins
    # the copy's headline is not what photoshop:Headline says: the property wins
    assert record["headline"] == RECORD["headline"]


def test_a_broken_lossless_copy_is_a_read_error_naming_it() -> None:
    # only warphoto wrote warphoto:lossless: a broken copy means a damaged or forged packet
    packet = old_packet('{oops"')
    with pytest.raises(ReadError, match=r"warphoto:lossless.*malformed JSON"):
        xmp.read_packet(packet, source="photo.xmp")


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        ("[1, 2]", "JSON list, not the object"),
        ("[" * 200 + "]" * 200, "nested more than"),
        # the project's JSON rules hold in the copy too (json.loads would take NaN)
        ('{"position": NaN}', "NaN is not a JSON number"),
    ],
)
def test_a_lossless_copy_that_is_not_a_flat_enough_object_is_refused(blob: str, message: str) -> None:
    packet = old_packet(blob)
    with pytest.raises(ReadError, match=message):
        xmp.loads(packet)


def test_two_different_values_for_one_property_are_a_read_error() -> None:
    packet = xmp.dumps(RECORD).replace(
        '<rdf:Description rdf:about="https://example.org/photo/1"',
        '<rdf:Description rdf:about="https://example.org/photo/1" photoshop:Credit="someone else"',
        1,
    )
    with pytest.raises(ReadError, match="conflicting values for photoshop:Credit"):
        xmp.loads(packet, source="photo.xmp")


def test_the_same_value_twice_is_no_conflict() -> None:
    packet = xmp.dumps(RECORD).replace(
        '<rdf:Description rdf:about="https://example.org/photo/1"',
        f'<rdf:Description rdf:about="https://example.org/photo/1" photoshop:Credit="{RECORD["creditText"]}"',
        1,
    )
    assert xmp.loads(packet)["creditText"] == RECORD["creditText"]


@pytest.mark.parametrize("text", ["bell\u0007", "nul\u0000", "\ufffe"])
def test_text_xml_cannot_carry_is_refused(text: str) -> None:
    record = copy.deepcopy(RECORD)
    record["title"] = {"en": text}
    with pytest.raises(WriteError, match="cannot carry"):
        xmp.dumps(record)


def test_carriage_returns_survive() -> None:
    record = {**RECORD, "creditText": "line one\r\nline two"}
    assert xmp.loads(xmp.dumps(record))["creditText"] == "line one\r\nline two"


def test_utf16_packets_are_read_and_checked() -> None:
    packet = (
        '<?xml version="1.0" encoding="UTF-16"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:p="http://ns.adobe.com/photoshop/1.0/" p:Headline="Izium"/>'
        "</rdf:RDF></x:xmpmeta>"
    )
    assert xmp.loads(packet.encode("utf-16"))["headline"] == {"und": "Izium"}
    bomb = packet.replace("<x:xmpmeta", '<!DOCTYPE x [<!ENTITY a "aaaa">]><x:xmpmeta').replace(
        '"Izium"', '"&a;"'
    )
    with pytest.raises(UnsafeInputError):
        xmp.loads(bomb.encode("utf-16"))


def test_foreign_values_the_record_cannot_hold_are_reported() -> None:
    packet = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:e="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'
        b' xmlns:r="http://ns.adobe.com/xap/1.0/rights/" e:DigitalSourceType="http://example.org/x"'
        b' r:WebStatement="not an iri"/></rdf:RDF></x:xmpmeta>'
    )
    reading = xmp.read_packet(packet)
    assert "digitalSourceType" not in reading.record and "license" not in reading.record
    assert {i.path for i in reading.issues} == {"Iptc4xmpExt:DigitalSourceType", "xmpRights:WebStatement"}
    validate(reading.record)


_SUBLOCATION = xmp._EXT + "Sublocation"
_LOCATION_NAME = xmp._EXT + "LocationName"


def _location_shown(record: dict[str, Any]) -> Any:
    iptc, _ = xmp.properties(record)
    return next(value for clark, value in iptc if clark == xmp._EXT + "LocationShown")


@pytest.mark.parametrize(
    "place",
    [
        {"@type": "Place", "name": {"en": "Maidan"}},
        {
            "@type": "Place",
            "name": {"en": "Maidan"},
            "containedInPlace": {"@type": "AdministrativeArea", "name": {"en": "X"}},
        },
    ],
)
def test_a_place_writes_its_sublocation_and_reads_back_the_same(place: dict[str, Any]) -> None:
    record = {**copy.deepcopy(RECORD), "contentLocation": [place]}
    record.pop("locationCreated", None)
    written = _location_shown(record)[0]
    assert written[_SUBLOCATION] == "Maidan"
    # what another tool writes (no lossless copy): the struct alone, read and written again
    packet = f"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="{xmp.RDF}">
      <rdf:Description xmlns:Iptc4xmpExt="{xmp._EXT[1:-1]}"><Iptc4xmpExt:LocationShown><rdf:Bag>
        <rdf:li rdf:parseType="Resource"><Iptc4xmpExt:Sublocation>Maidan</Iptc4xmpExt:Sublocation>
        <Iptc4xmpExt:LocationName><rdf:Alt><rdf:li xml:lang="x-default">Maidan</rdf:li></rdf:Alt>
        </Iptc4xmpExt:LocationName></rdf:li></rdf:Bag></Iptc4xmpExt:LocationShown>
      </rdf:Description></rdf:RDF></x:xmpmeta>"""
    back = xmp.loads(packet, language="en")
    assert back["contentLocation"] == [{"@type": "Place", "name": {"en": "Maidan"}}]
    again = _location_shown(back)[0]
    assert again[_SUBLOCATION] == "Maidan"
    # the name was given in x-default only: written back as it was read
    assert again[_LOCATION_NAME] == {"x-default": "Maidan"}


@settings(max_examples=60, deadline=None)
@given(photographs())
def test_the_quick_rules_for_text_fields_agree_with_reading_back(record: dict[str, Any]) -> None:
    """The writer decides by a rule whether a text field's IPTC form gives it back; reading the
    form back must say the same."""
    for name, rows in xmp._fields_in_order():
        if name not in record or len(rows) != 1 or rows[0].kind not in xmp._QUICK_KINDS:
            continue
        form = {rows[0].clark: xmp._WRITERS[rows[0].kind](record[name], rows[0])}
        quick = xmp._QUICK_KINDS[rows[0].kind](record[name])
        assert quick == xmp._read_back_equals(name, record[name], form), name


@settings(max_examples=60, deadline=None)
@given(photographs())
def test_a_field_holding_a_blank_node_never_comes_back_from_its_iptc_form(record: dict[str, Any]) -> None:
    """The writer skips reading back a field that holds a node with a blank @id (the IPTC readers
    give only IRIs as @id); reading it back must agree."""
    _check_blank_node_fields(record)


def _check_blank_node_fields(record: dict[str, Any]) -> int:
    from warphoto.formats._xmp_writer import _field_form, _has_blank_id

    checked = 0
    for name, rows in xmp._fields_in_order():
        if name in record and _has_blank_id(record[name]):
            form = _field_form(name, record[name], rows)
            if form:
                checked += 1
                assert not xmp._read_back_equals(name, record[name], form), name
    return checked


def test_the_gallery_fields_holding_blank_nodes_do_not_come_back_from_their_iptc_form(
    example_gallery: dict[str, Any],
) -> None:
    from warphoto.model.graph import standalone_records

    records = standalone_records(example_gallery)
    assert sum(_check_blank_node_fields(record) for record in records) > 50


_NS = {"rdf": xmp.RDF, "warphoto": xmp.WARPHOTO_XMP_NS, "schema": "https://schema.org/"}


def test_a_node_named_again_is_described_once_and_read_back_whole(example_gallery: dict[str, Any]) -> None:
    from warphoto.model.graph import standalone_records

    record = standalone_records(example_gallery)[0]
    packet = xmp.dumps(record)
    tree = etree.fromstring(packet.encode("utf-8").partition(b"?>")[2].rpartition(b"<?xpacket")[0])
    described = tree.xpath("//warphoto:id[text()='_:tsupivka']", namespaces=_NS)
    named = tree.xpath("//warphoto:nodeRef[text()='_:tsupivka']", namespaces=_NS)
    assert len(described) == 1
    assert len(named) >= 2  # the place created and the provenance step's location
    assert canonical(xmp.loads(packet)) == canonical(record)


def test_warphoto_structures_hold_languages_without_an_x_default_copy(
    example_gallery: dict[str, Any],
) -> None:
    from warphoto.model.graph import standalone_records

    record = standalone_records(example_gallery)[0]
    tree = etree.fromstring(xmp.dumps(record).encode("utf-8").partition(b"?>")[2].rpartition(b"<?xpacket")[0])
    own = tree.xpath("//schema:name/rdf:Alt/rdf:li/@xml:lang", namespaces=_NS)
    iptc = tree.xpath(
        "//Iptc4xmpExt:LocationName/rdf:Alt/rdf:li/@xml:lang",
        namespaces={**_NS, "Iptc4xmpExt": xmp._EXT[1:-1]},
    )
    assert own and "x-default" not in own
    assert "x-default" in iptc  # IPTC's properties keep it: other tools look for it


def test_a_reference_to_a_node_no_longer_described_reads_as_its_id() -> None:
    packet = f"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="{xmp.RDF}">
      <rdf:Description rdf:about="" xmlns:schema="https://schema.org/"
        xmlns:warphoto="{xmp.WARPHOTO_XMP_NS}">
       <schema:contentLocation><rdf:Bag><rdf:li rdf:parseType="Resource">
        <warphoto:nodeRef>_:gone</warphoto:nodeRef></rdf:li></rdf:Bag></schema:contentLocation>
      </rdf:Description></rdf:RDF></x:xmpmeta>"""
    assert xmp.loads(packet)["contentLocation"] == [{"@id": "_:gone"}]


def _packet_with_places(body: str) -> str:
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="{xmp.RDF}">
      <rdf:Description rdf:about="" xmlns:schema="https://schema.org/"
        xmlns:warphoto="{xmp.WARPHOTO_XMP_NS}">{body}</rdf:Description></rdf:RDF></x:xmpmeta>"""


@pytest.mark.parametrize(
    "body",
    [
        # a place inside itself
        """<schema:contentLocation rdf:parseType="Resource"><warphoto:id>_:a</warphoto:id>
           <schema:containedInPlace rdf:parseType="Resource"><warphoto:nodeRef>_:a</warphoto:nodeRef>
           </schema:containedInPlace></schema:contentLocation>""",
        # two places, each inside the other
        """<schema:contentLocation rdf:parseType="Resource"><warphoto:id>_:a</warphoto:id>
           <schema:containedInPlace rdf:parseType="Resource"><warphoto:nodeRef>_:b</warphoto:nodeRef>
           </schema:containedInPlace></schema:contentLocation>
           <schema:locationCreated rdf:parseType="Resource"><warphoto:id>_:b</warphoto:id>
           <schema:containedInPlace rdf:parseType="Resource"><warphoto:nodeRef>_:a</warphoto:nodeRef>
           </schema:containedInPlace></schema:locationCreated>""",
    ],
)
def test_a_node_that_contains_itself_through_references_is_refused(body: str) -> None:
    with pytest.raises(ReadError, match="contains itself through references"):
        xmp.loads(_packet_with_places(body))


def test_a_reference_names_the_first_description_of_its_node() -> None:
    packet = _packet_with_places(
        """<schema:contentLocation rdf:parseType="Resource"><warphoto:id>_:a</warphoto:id>
           <schema:name>first</schema:name></schema:contentLocation>
           <schema:spatialCoverage rdf:parseType="Resource"><warphoto:id>_:a</warphoto:id>
           <schema:name>second</schema:name>
           <schema:containedInPlace rdf:parseType="Resource"><warphoto:nodeRef>_:a</warphoto:nodeRef>
           </schema:containedInPlace></schema:spatialCoverage>"""
    )
    record = xmp.loads(packet)
    first = {"@id": "_:a", "name": {"und": "first"}}
    assert record["contentLocation"] == first or record["contentLocation"] == [first]
    inner = record["schema:spatialCoverage"]
    inner = inner[0] if isinstance(inner, list) else inner
    assert inner["containedInPlace"] == first


def test_the_field_index_names_every_property_a_field_reads() -> None:
    """to_photograph visits only the fields _fields_to_read names: each property of a field (its
    IPTC ones, and its own IRI's when written whole) must lead to it, in crosswalk order."""
    by_clark, by_name = xmp._field_index()
    plan = xmp._field_plan()
    terms = _xmp_ld.terms()
    for position, (name, clarks, _, _) in enumerate(plan):
        assert by_name[name] == position
        term = terms.get(name)
        for clark in (*clarks, *((term.clark,) if term is not None else ())):
            assert position in by_clark[clark], (name, clark)
    everything = {clark: "x" for clark in by_clark}
    assert xmp._fields_to_read(everything, {}) == list(plan)
    assert xmp._fields_to_read({}, {name: "x" for name in by_name}) == list(plan)
    assert xmp._fields_to_read({"{ex:}nothing": "x"}, {"ex:key": "x"}) == []


@settings(max_examples=40, deadline=None)
@given(photographs(extensions=True))
def test_reading_the_indexed_fields_agrees_with_reading_every_field(record: dict[str, Any]) -> None:
    """The field index is a shortcut: the fields it leaves out have nothing in the packet, and
    visiting every field of the plan reads the same record and the same issues (the second
    check needs the plain build: compiled code calls _fields_to_read directly)."""
    packet = xmp.dumps(record)
    terms = _xmp_ld.terms()
    for text in (packet, old_packet('{"headline": {"en": "Old"}, "ex:old": "kept"}')):
        props = xmp._parse_props([text], source=None, max_bytes=xmp.MAX_PACKET_BYTES, issues=[])
        lossless = props.get(xmp._LOSSLESS) or {}
        visited = xmp._fields_to_read(props, lossless)
        for entry in xmp._field_plan():
            if entry not in visited:
                name, clarks, _, _ = entry
                term = terms.get(name)
                assert not set(clarks) & props.keys() and name not in lossless, name
                assert term is None or term.clark not in props, name
        quick = xmp.read_packet(text)
        original = xmp._fields_to_read
        try:
            xmp._fields_to_read = lambda props, lossless: list(xmp._field_plan())  # type: ignore[assignment]
            plain = xmp.read_packet(text)
        finally:
            xmp._fields_to_read = original  # type: ignore[assignment]
        assert quick.record == plain.record
        assert quick.unmapped == plain.unmapped
        assert quick.issues == plain.issues


def test_a_node_member_read_as_is_is_what_from_xmp_gives() -> None:
    """_node takes plain text under a member as it is when _member says so: from_xmp agrees."""
    clarks = [t.clark for t in _xmp_ld.terms().values()] + [r.clark for r in xmp.crosswalk_rows()]
    for clark in [*clarks, *_xmp_ld.real_properties(), "{ex:}other"]:
        key, term, as_is = _xmp_ld._member(clark)
        assert key == _xmp_ld.key_of_clark(clark) and term == _xmp_ld.term_of_clark(clark)
        if as_is:
            for text in ("", "12", " 3 ", "1.5", "text"):
                assert _xmp_ld.from_xmp(text, term, "en", clark) == text, clark


def _xmp_values() -> st.SearchStrategy[Any]:
    from warphoto.formats._xmp_values import Alt, Bag, Lang, Qualified, Ref, Seq, Struct, Typed

    text = st.sampled_from(["", "a", "b", "A"])
    leaves = st.one_of(
        text,
        st.builds(Lang, text, st.sampled_from(["en", "EN", "uk"])),
        st.builds(Typed, text, st.sampled_from(["d1", "d2"])),
        st.builds(Ref, text),
    )
    keys = st.sampled_from(["{ns:}a", "{ns:}b", "{ns:}c"])
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(Bag, st.lists(inner, max_size=3)),
            st.builds(Seq, st.lists(inner, max_size=3)),
            st.builds(Alt, st.dictionaries(st.sampled_from(["x-default", "en"]), text, max_size=2)),
            st.builds(Struct, st.dictionaries(keys, inner, max_size=3)),
            st.builds(Qualified, st.dictionaries(keys, inner, max_size=3)),
        ),
        max_leaves=8,
    )


@settings(max_examples=300, deadline=None)
@given(_xmp_values(), _xmp_values())
def test_the_quick_identity_test_of_xmp_values_never_contradicts_their_normal_forms(a: Any, b: Any) -> None:
    from warphoto.formats._xmp_values import _identical, normal, same

    assert _identical(a, copy.deepcopy(a))
    if _identical(a, b):
        assert normal(a) == normal(b)
    assert same(a, b) == (normal(a) == normal(b))
