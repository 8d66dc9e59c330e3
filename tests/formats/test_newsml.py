"""NewsML-G2: newsItem / packageItem / conceptItem / newsMessage writer and reader.

Validation runs against the official NewsML-G2 2.35 Power schema in ../shared/reference
(compiled once per module); the IPTC picture samples there are read field by field.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tests._helpers import schema_valid, shared_bytes, xml_schema
from tests.conftest import REFERENCE
from tests.strategies import events, galleries, photographs
from warphoto import dumps, loads
from warphoto._crosswalk import lost_fields, project
from warphoto.canonical import canonical
from warphoto.errors import LossError, ReadError, UnsafeInputError, WriteError
from warphoto.formats import get

NEWSML = REFERENCE / "iptc-newsml-g2"
TABLE = "newsml.csv"
STAMP = "2024-05-01T12:00:00Z"


@pytest.fixture(scope="module")
def g2_schema() -> Any:
    return xml_schema(NEWSML / "xsd" / "NewsML-G2_2.35-spec-All-Power.xsd", "NewsML-G2")


def assert_valid(schema: Any, text: str) -> Any:
    return schema_valid(schema, text, "NewsML-G2")


def same_carried(record: dict[str, Any], back: dict[str, Any]) -> None:
    expected = canonical(project(record, TABLE))
    got = canonical(back)
    for doc in (expected, got):
        doc.pop("@context", None)
    assert got == expected


def round_trip(schema: Any, record: dict[str, Any]) -> dict[str, Any]:
    text = dumps(record, "newsml", version_created=STAMP)
    assert_valid(schema, text)
    back = loads(text, "newsml", validate=False)
    same_carried(record, back)
    return back


# --------------------------------------------------------------------------- registry


def test_registered() -> None:
    fmt = get("newsml")
    assert fmt.can_read and fmt.can_write
    assert ".newsml.xml" in fmt.extensions and ".nml" in fmt.extensions
    assert "Photograph.provenance" in fmt.cannot_carry


# --------------------------------------------------------------------------- the example gallery


def test_example_photographs_validate_and_round_trip(
    g2_schema: Any, example_photographs: list[dict[str, Any]]
) -> None:
    assert example_photographs
    for record in example_photographs:
        round_trip(g2_schema, record)


def test_example_photograph_item_content(g2_schema: Any, example_photographs: list[dict[str, Any]]) -> None:
    record = (
        next(r for r in example_photographs if r.get("contentWarning"))
        if any(r.get("contentWarning") for r in example_photographs)
        else example_photographs[0]
    )
    doc = assert_valid(g2_schema, dumps(record, "newsml", version_created=STAMP))
    ns = {"g": "http://iptc.org/std/nar/2006-10-01/"}
    assert doc.xpath("g:itemMeta/g:itemClass/@qcode", namespaces=ns) == ["ninat:picture"]
    aliases = set(doc.xpath("g:catalog/g:scheme/@alias", namespaces=ns))
    used = {
        q.split(":", 1)[0]
        for q in doc.xpath(
            "//@qcode | //@type | //@role | //@rel | //@rendition | //@hashtype", namespaces=ns
        )
        if ":" in q
    }
    assert used <= aliases, f"undeclared scheme aliases: {used - aliases}"
    if record.get("contentWarning"):
        assert doc.xpath("g:itemMeta/g:signal[starts-with(@qcode, 'cwarn:')]", namespaces=ns)
    if record.get("dateCreated"):
        assert (
            doc.xpath("string(g:contentMeta/g:contentCreated)", namespaces=ns)
            == record["dateCreated"]["@value"]
        )


def test_example_gallery_package_and_message(g2_schema: Any, example_gallery: dict[str, Any]) -> None:
    text = dumps(example_gallery, "newsml", version_created=STAMP)
    doc = assert_valid(g2_schema, text)
    ns = {"g": "http://iptc.org/std/nar/2006-10-01/"}
    package = doc.xpath("//g:packageItem", namespaces=ns)
    assert len(package) == 1
    gallery = next(n for n in example_gallery["@graph"] if n.get("@type") == "ImageGallery")
    refs = package[0].xpath(".//g:itemRef/@residref", namespaces=ns)
    photos = sorted(
        (n for n in example_gallery["@graph"] if "Photograph" in n.get("@type", [])),
        key=lambda n: n.get("position", 0),
    )
    assert refs == (gallery.get("hasPart") or [p["@id"] for p in photos])
    # the package alone validates too
    package_text = etree.tostring(package[0], encoding="unicode")
    assert_valid(g2_schema, package_text)
    back = loads(text, "newsml")
    kinds = [n["@type"] if isinstance(n["@type"], str) else "Photograph" for n in back["@graph"]]
    assert kinds.count("ImageGallery") == 1 and kinds.count("Photograph") == len(photos)
    read_gallery = next(n for n in back["@graph"] if n["@type"] == "ImageGallery")
    assert read_gallery["hasPart"] == refs
    assert read_gallery.get("datePublished") == gallery.get("datePublished")


def test_event_concept_item(g2_schema: Any, example_gallery: dict[str, Any]) -> None:
    from warphoto.model import standalone_records

    for event in standalone_records(example_gallery, types=("Event",)):
        text = dumps(event, "newsml", version_created=STAMP)
        assert_valid(g2_schema, text)
        assert "<conceptItem" in text and "cpnat:event" in text
        same_carried(event, loads(text, "newsml"))


# --------------------------------------------------------------------------- generated records


@settings(max_examples=25)
@given(photographs())
def test_generated_photographs(g2_schema: Any, record: dict[str, Any]) -> None:
    round_trip(g2_schema, record)


@settings(max_examples=15)
@given(galleries())
def test_generated_galleries(g2_schema: Any, record: dict[str, Any]) -> None:
    round_trip(g2_schema, record)


@settings(max_examples=15)
@given(events())
def test_generated_events(g2_schema: Any, record: dict[str, Any]) -> None:
    round_trip(g2_schema, record)


# --------------------------------------------------------------------------- partial dates


@pytest.mark.parametrize(
    ("value", "datatype"),
    [
        ("2022", "xsd:gYear"),
        ("2022-09", "xsd:gYearMonth"),
        ("2022-09-21", "xsd:date"),
        ("2022-09-21T14:05:00+03:00", "xsd:dateTime"),
        ("2022-09-10/2022-09-16", "edtf:EDTF"),
        ("../2022-09", "edtf:EDTF"),
    ],
)
def test_dates_keep_precision(g2_schema: Any, value: str, datatype: str) -> None:
    record = {
        "@id": "https://example.org/p/1",
        "@type": ["ImageObject", "Photograph"],
        "dateCreated": {"@value": value, "@type": datatype},
    }
    back = round_trip(g2_schema, record)
    assert back["dateCreated"] == {"@value": value, "@type": datatype}


# --------------------------------------------------------------------------- loss


def test_refuse_loss_names_the_fields(example_photographs: list[dict[str, Any]]) -> None:
    record = copy.deepcopy(example_photographs[0])
    record["provenance"] = record.get("provenance") or [{"@type": "Activity"}]
    record["wp:note"] = "an extension"
    with pytest.raises(LossError) as caught:
        dumps(record, "newsml", refuse_loss=True, version_created=STAMP)
    assert "provenance" in caught.value.fields and "wp:note" in caught.value.fields
    assert "provenance" in str(caught.value)
    # without refuse_loss the same record is written, minus those fields
    assert dumps(record, "newsml", version_created=STAMP)


def test_lost_fields_nested() -> None:
    record = {
        "@id": "https://example.org/p/1",
        "@type": ["ImageObject", "Photograph"],
        "creator": [{"@type": "Person", "name": {"en": "A"}, "url": "https://example.org/a"}],
    }
    assert lost_fields(record, TABLE) == ["creator.url"]
    with pytest.raises(LossError, match=r"creator\.url"):
        dumps(record, "newsml", refuse_loss=True)


def test_write_refuses_other_records() -> None:
    with pytest.raises(WriteError, match="newsItem"):
        dumps({"@type": "Person", "name": {"en": "A"}}, "newsml")


# --------------------------------------------------------------------------- the IPTC samples


def _sample(name: str) -> bytes:
    return shared_bytes(NEWSML / "examples" / name, "the IPTC sample")


def test_read_iptc_listing_3() -> None:
    # validate=False: the sample's file references are relative ("./GYI0062134533.jpg")
    record = loads(_sample("LISTING_3_Photo_in_NewsML-G2.xml"), "newsml", validate=False)
    assert record["@id"] == "tag:gettyimages.com,2010:GYI0062134533"
    assert record["headline"]["en-US"].startswith("Variety Of Recessionary Forces")
    assert record["caption"]["en-US"].startswith("A general view of part of downtown")
    assert record["dateCreated"] == {"@value": "2010-10-20T19:45:58-04:00", "@type": "xsd:dateTime"}
    assert record["creditText"] == "Getty Images"
    assert record["creator"][0]["name"] == {"en-US": "Spencer Platt"}
    assert record["copyrightHolder"][0]["@id"] == "http://www.gettyimages.com"
    assert "Copyright 2010 Getty Images" in record["copyrightNotice"]["en-US"]
    assert "gamble" in record["keywords"]["en-US"]
    topics = {c["@id"]: c for c in record["about"]}
    assert topics["http://cv.iptc.org/newscodes/mediatopic/20000523"]["prefLabel"]["de"] == "Arbeitsmarkt"
    assert record["recordedAt"] == ["gyimeid:104530187"]  # the catalog of that alias is not in the item
    places = record["contentLocation"]
    assert any(p.get("name") == {"en-US": "Las Vegas"} for p in places)
    files = record["associatedMedia"]
    assert files[0]["contentSize"] == 346071 and files[0]["encodingFormat"] == "image/jpeg"
    assert files[0]["width"] == 1500


def test_read_iptc_listing_26() -> None:
    record = loads(_sample("LISTING_26_Embedded_photo_metadata_fields_mapped_to_NewsML-G2.xml"), "newsml")
    assert record["title"] == {"und": "USA-CRASH/MILITARY"}
    assert record["usageTerms"] == {"und": "NO ARCHIVAL OR WIRELESS USE"}
    assert record["creator"][0]["name"] == {"und": "John Smith"}
    assert record["creditText"] == "Acme/John Smith"
    assert record["headline"]["en-US"].startswith("A firefighter walks past")
    assert record["associatedMedia"][0]["contentUrl"].endswith("USA-CRASH-MILITARY_001_HI.jpg")


def test_read_iptc_listing_3a_uri_siblings() -> None:
    record = loads(
        _sample("LISTING_3A_Photo_in_NewsML-G2_(URI_sibling_attributes).xml"), "newsml", validate=False
    )
    assert record["headline"]


def test_read_iptc_package_and_event() -> None:
    package = loads(_sample("LISTING_6_Simple_NewsML-G2_Package.xml"), "newsml", validate=False)
    assert package["@type"] == "ImageGallery"
    assert package["hasPart"][0] == "urn:newsml:iptc.org:20081007:tutorial-item-A"
    event = loads(_sample("LISTING_14_Event_sent_as_a_Concept_Item.xml"), "newsml")
    assert event["@type"] == "Event"
    assert event["name"] == {"en": "IPTC Autumn Meeting 2018"}
    assert event["startDate"] == {"@value": "2018-10-26T09:00:00Z", "@type": "xsd:dateTime"}
    assert event["location"]["geo"] == {"latitude": 51.515659, "longitude": -0.163346}


# --------------------------------------------------------------------------- bad input


def test_unknown_item_class_names_element_and_line() -> None:
    text = _sample("LISTING_1_A_NewsML-G2_News_Item.xml")
    with pytest.raises(ReadError) as caught:
        loads(text, "newsml", source="listing1.xml")
    assert "item class" in str(caught.value) and caught.value.line is not None
    assert "ninat:text" in str(caught.value) or "ninature/text" in str(caught.value)


def test_missing_required_element() -> None:
    text = b"""<?xml version="1.0"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x" standard="NewsML-G2" standardversion="2.35">
  <contentMeta/>
</newsItem>"""
    with pytest.raises(ReadError) as caught:
        loads(text, "newsml", source="broken.xml")
    assert "<itemMeta>" in str(caught.value) and caught.value.line == 2
    text = text.replace(b"<contentMeta/>", b"<itemMeta><provider literal='p'/></itemMeta>")
    with pytest.raises(ReadError, match="itemClass"):
        loads(text, "newsml")


def test_unknown_root() -> None:
    with pytest.raises(ReadError, match=r"planningItem|not a NewsML-G2 item"):
        loads(b'<planningItem xmlns="http://iptc.org/std/nar/2006-10-01/"/>', "newsml")


def test_entities_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n'
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="&lol2;"/>'
    )
    with pytest.raises(UnsafeInputError):
        loads(bomb, "newsml")
    external = (
        b'<?xml version="1.0"?>\n<!DOCTYPE newsItem SYSTEM "http://example.org/evil.dtd">\n'
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x"/>'
    )
    with pytest.raises(UnsafeInputError):
        loads(external, "newsml")


def test_size_bounded() -> None:
    with pytest.raises(ReadError, match="limit"):
        loads(b"<newsItem/>" + b" " * 2000, "newsml", max_bytes=1000)


def test_malformed() -> None:
    with pytest.raises(ReadError) as caught:
        loads(b"<newsItem xmlns='http://iptc.org/std/nar/2006-10-01/'>\n<itemMeta>", "newsml")
    assert caught.value.line is not None


def test_write_file(tmp_path: Path, example_photographs: list[dict[str, Any]]) -> None:
    from warphoto import read, write

    target = write(example_photographs[0], tmp_path / "photo.newsml.xml", version_created=STAMP)
    back = read(target)
    assert back["@id"] == example_photographs[0]["@id"]
    assert json.dumps(back)


def test_read_iptc_knowledge_item_events() -> None:
    document = loads(
        _sample("LISTING_15_Two_Related_Events_in_a_Knowledge_Item.xml"), "newsml", validate=False
    )
    names = [event["name"] for event in document["@graph"]]
    assert {"en": "IPTC Autumn Meeting 2018"} in names
    assert all(event["@type"] == "Event" for event in document["@graph"])


@settings(max_examples=40)
@given(st.data())
def test_damaged_items_give_read_errors(
    example_photographs: list[dict[str, Any]], data: st.DataObject
) -> None:
    """Remove any one element or attribute of a written item: the reader succeeds or raises ReadError."""
    record = data.draw(st.sampled_from(example_photographs))
    root = etree.fromstring(dumps(record, "newsml", version_created=STAMP).encode("utf-8"))
    elements = list(root.iter())
    victim = data.draw(st.sampled_from(elements))
    if victim.attrib and data.draw(st.booleans()):
        del victim.attrib[data.draw(st.sampled_from(sorted(victim.attrib)))]
    elif victim.getparent() is not None:
        victim.getparent().remove(victim)
    else:
        victim.text = "garbage"
    with contextlib.suppress(ReadError):
        loads(etree.tostring(root), "newsml", validate=False)


def _own_and_foreign_items() -> tuple[str, str]:
    """One photograph item as warphoto writes it, and the same item without warphoto's mark."""
    record = {
        "@context": "https://w3id.org/warphoto/context.jsonld",
        "@id": "https://example.org/photo/lines",
        "@type": ["ImageObject", "Photograph"],
        "caption": {"en": "first line\nsecond  line"},
    }
    ours = str(dumps(record, "newsml", version_created=STAMP))
    assert '<generator versioninfo="' in ours and ">warphoto</generator>" in ours
    assert "wpx" not in ours  # only the generator marks this item as warphoto's
    foreign = ours.replace(ours[ours.index("<generator") : ours.index("</generator>") + 12], "")
    return ours, foreign


def test_own_items_keep_their_text_and_others_are_normalised() -> None:
    ours, foreign = _own_and_foreign_items()
    assert loads(ours, "newsml")["caption"] == {"en": "first line\nsecond  line"}
    assert loads(foreign, "newsml")["caption"] == {"en": "first line second line"}


def test_threads_reading_own_and_foreign_items_do_not_mix_them_up(busy_switching: None) -> None:
    from tests.test_concurrency import _baseline, _hammer

    ours, foreign = _own_and_foreign_items()
    tasks = [("own item", lambda: loads(ours, "newsml")), ("foreign item", lambda: loads(foreign, "newsml"))]
    _hammer(tasks, _baseline(tasks), iterations=150)


def test_a_blank_node_is_an_opaque_qcode_never_its_label(example_photographs: list[dict[str, Any]]) -> None:
    """NewsML-G2's ``literal`` is for plain values, and a QCode is public: a node without an IRI
    is a ``wpbn:`` QCode of an opaque id made from its content, not from the label typed."""
    afp = {"@type": "Organization", "name": {"en": "A wire agency"}}
    texts = []
    for label in ("_:wire-agency", "_:agency-typed-by-hand"):
        record = {**example_photographs[0], "creator": [{"@id": label, **afp}]}
        text = str(dumps(record, "newsml"))
        assert 'literal="_:' not in text and label not in text and f"wpbn:{label[2:]}" not in text
        codes = re.findall(r'<creator [^>]*qcode="wpbn:(h[0-9a-f]{24})"', text)
        assert len(codes) == 1
        back = loads(text, "newsml")
        assert back["creator"][0]["@id"] == f"_:{codes[0]}"
        assert back["creator"][0]["name"] == {"en": "A wire agency"}
        texts.append(codes[0])
    assert texts[0] == texts[1]  # the same description, whatever its label
