"""EDM: writer and reader, the official EDM.xsd, and one test per Europeana Schematron rule."""

from __future__ import annotations

import contextlib
import copy
import io
import zipfile
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tests._helpers import schema_valid, shared_bytes, xml_schema
from tests.conftest import REFERENCE
from tests.strategies import photographs
from warphoto import dumps, loads
from warphoto._xml import parse_xml
from warphoto.canonical import canonical
from warphoto.errors import LossError, ReadError, UnsafeInputError, WriteError
from warphoto.formats import _edm_rules, get
from warphoto.formats.edm import build, project

EDM_REF = REFERENCE / "europeana-edm"
OPTIONS = {
    "provider": "Example Aggregator",
    "data_provider": "Example Photo Archive",
    "rights": "http://rightsstatements.org/vocab/InC/1.0/",
}
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "edm": "http://www.europeana.eu/schemas/edm/",
    "ore": "http://www.openarchives.org/ore/terms/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
}


@pytest.fixture(scope="module")
def edm_schema() -> Any:
    return xml_schema(EDM_REF / "xsd" / "EDM.xsd", "EDM")


def assert_valid(schema: Any, text: str) -> Any:
    doc = schema_valid(schema, text, "EDM")
    assert _edm_rules.check(doc) == []
    return doc


def round_trip(schema: Any, record: dict[str, Any]) -> dict[str, Any]:
    text = dumps(record, "edm", **OPTIONS)
    assert isinstance(text, str)
    assert_valid(schema, text)
    back = loads(text, "edm", validate=False)
    expected, got = canonical(project(record)), canonical(back)
    for doc in (expected, got):
        doc.pop("@context", None)
    assert got == expected
    return back


def photo(**fields: Any) -> dict[str, Any]:
    """A small record that keeps every rule; tests then break one thing."""
    record: dict[str, Any] = {
        "@id": "https://example.org/photo/1",
        "@type": ["ImageObject", "Photograph"],
        "headline": {"en": "Residents return"},
        "keywords": {"en": ["war"]},
        "associatedMedia": [
            {
                "@type": "ImageObject",
                "contentUrl": "https://example.org/files/1.jpg",
                "encodingFormat": "image/jpeg",
            }
        ],
    }
    record.update(fields)
    return {k: v for k, v in record.items() if v is not None}


def refused(record: dict[str, Any], rule: str, **options: Any) -> WriteError:
    with pytest.raises(WriteError) as caught:
        dumps(record, "edm", **{**OPTIONS, **options})
    assert rule in str(caught.value), str(caught.value)
    return caught.value


def rules_broken(root: Any) -> set[str]:
    return {v.rule for v in _edm_rules.check(root)}


def rules_broken_without(aggregation_child: str) -> set[str]:
    """The rules broken by a photograph's EDM once its ore:Aggregation lacks that child."""
    root = build(photo(), **OPTIONS)
    agg = root.find("ore:Aggregation", NS)
    agg.remove(agg.find(aggregation_child, NS))
    return rules_broken(root)


# --------------------------------------------------------------------------- registry, settings


def test_registered() -> None:
    fmt = get("edm")
    assert fmt.can_read and fmt.can_write and ".edm.xml" in fmt.extensions
    assert "Photograph.provenance" in fmt.cannot_carry


@pytest.mark.parametrize("missing", ["provider", "data_provider", "rights"])
def test_missing_setting_is_named(missing: str) -> None:
    options = {k: v for k, v in OPTIONS.items() if k != missing}
    with pytest.raises(WriteError, match=missing):
        dumps(photo(), "edm", **options)


# --------------------------------------------------------------------------- the example gallery


def test_example_photographs(edm_schema: Any, example_photographs: list[dict[str, Any]]) -> None:
    for record in example_photographs:
        round_trip(edm_schema, record)


def test_example_photograph_structure(edm_schema: Any, example_photographs: list[dict[str, Any]]) -> None:
    record = next((r for r in example_photographs if r.get("dateCreated")), example_photographs[0])
    doc = assert_valid(edm_schema, str(dumps(record, "edm", **OPTIONS)))
    assert doc.xpath("string(edm:ProvidedCHO/edm:type)", namespaces=NS) == "IMAGE"
    assert len(doc.xpath("edm:ProvidedCHO", namespaces=NS)) == 1
    assert doc.xpath("ore:Aggregation/edm:rights/@rdf:resource", namespaces=NS) == [OPTIONS["rights"]]
    if record.get("dateCreated", {}).get("@value") == "2022-09":
        span = doc.xpath("edm:TimeSpan[edm:begin]", namespaces=NS)[0]
        assert span.xpath("string(edm:begin)", namespaces=NS) == "2022-09-01"
        assert span.xpath("string(edm:end)", namespaces=NS) == "2022-09-30"


def test_example_gallery_as_archive(
    edm_schema: Any, example_gallery: dict[str, Any], example_photographs: list[dict[str, Any]]
) -> None:
    data = dumps(example_gallery, "edm", **OPTIONS)
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert len(names) == len(example_photographs)
        for name in names:
            assert_valid(edm_schema, archive.read(name).decode("utf-8"))
    back = loads(data, "edm", validate=False)
    assert {n["@id"] for n in back["@graph"]} == {p["@id"] for p in example_photographs}


def test_an_archive_is_the_same_bytes_whenever_it_is_written(
    example_gallery: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    first = dumps(example_gallery, "edm", **OPTIONS)
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # 2033: what writestr(name) would stamp
    assert dumps(example_gallery, "edm", **OPTIONS) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# --------------------------------------------------------------------------- generated records


@settings(max_examples=25)
@given(photographs())
def test_generated_photographs(edm_schema: Any, record: dict[str, Any]) -> None:
    try:
        text = dumps(record, "edm", **OPTIONS)
    except WriteError as error:
        # only the Europeana rules a generated record can break: no title/description, no subject
        assert (
            "cho-title-or-description" in str(error)
            or "cho-subject-type-temporal-spatial" in str(error)
            or "aggregation-shown-at-or-by" in str(error)
        ), str(error)
        return
    assert isinstance(text, str)
    round_trip(edm_schema, record)


@pytest.mark.parametrize(
    ("value", "datatype", "begin", "end"),
    [
        ("2022", "xsd:gYear", "2022-01-01", "2022-12-31"),
        ("2022-02", "xsd:gYearMonth", "2022-02-01", "2022-02-28"),
        ("2022-09-21", "xsd:date", "2022-09-21", "2022-09-21"),
        (
            "2022-09-21T14:05:00+03:00",
            "xsd:dateTime",
            "2022-09-21T14:05:00+03:00",
            "2022-09-21T14:05:00+03:00",
        ),
        ("2022-09-10/2022-09", "edtf:EDTF", "2022-09-10", "2022-09-30"),
    ],
)
def test_partial_dates_become_begin_and_end(
    edm_schema: Any, value: str, datatype: str, begin: str, end: str
) -> None:
    record = photo(dateCreated={"@value": value, "@type": datatype})
    text = str(dumps(record, "edm", **OPTIONS))
    doc = assert_valid(edm_schema, text)
    assert doc.xpath("string(edm:TimeSpan/edm:begin)", namespaces=NS) == begin
    assert doc.xpath("string(edm:TimeSpan/edm:end)", namespaces=NS) == end
    assert loads(text, "edm")["dateCreated"] == {"@value": value, "@type": datatype}


# --------------------------------------------------------------------------- loss


def test_refuse_loss(example_photographs: list[dict[str, Any]]) -> None:
    record = copy.deepcopy(example_photographs[0])
    record["instructions"] = "handle with care"
    with pytest.raises(LossError) as caught:
        dumps(record, "edm", refuse_loss=True, **OPTIONS)
    assert "instructions" in caught.value.fields
    assert dumps(record, "edm", **OPTIONS)


def test_refuse_loss_value_level() -> None:
    record = photo(
        associatedMedia=[{"@type": "ImageObject", "encodingFormat": "image/jpeg"}],
        url="https://example.org/page",
    )
    with pytest.raises(LossError, match="contentUrl"):
        dumps(record, "edm", refuse_loss=True, **OPTIONS)


def test_gallery_alone_is_refused() -> None:
    with pytest.raises(WriteError, match="collection"):
        dumps({"@id": "https://example.org/g", "@type": "ImageGallery"}, "edm", **OPTIONS)


# --------------------------------------------------------------------------- one test per Europeana rule


def test_rule_one_provided_cho() -> None:
    root = build(photo(), **OPTIONS)
    assert rules_broken(root) == set()
    root.insert(0, copy.deepcopy(root[0]))
    assert "one-provided-cho" in rules_broken(root)


def test_rule_one_aggregation() -> None:
    root = build(photo(), **OPTIONS)
    root.append(copy.deepcopy(root.find("ore:Aggregation", NS)))
    assert "one-aggregation" in rules_broken(root)


def test_rule_cho_subject_type_temporal_spatial() -> None:
    refused(photo(keywords=None), "cho-subject-type-temporal-spatial")


def test_rule_cho_title_or_description() -> None:
    refused(photo(headline=None), "cho-title-or-description")


def test_rule_cho_language_for_text() -> None:
    root = build(photo(), **OPTIONS)
    root.find("edm:ProvidedCHO/edm:type", NS).text = "TEXT"
    assert "cho-language-for-text" in rules_broken(root)


def test_rule_aggregation_shown_at_or_by() -> None:
    refused(photo(**{"@id": "_:photo"}, associatedMedia=None), "aggregation-shown-at-or-by")


def test_rule_aggregation_data_provider() -> None:
    refused(photo(), "aggregation-data-provider", data_provider="   ")
    assert "aggregation-data-provider" in rules_broken_without("edm:dataProvider")


def test_rule_aggregation_provider() -> None:
    refused(photo(), "aggregation-provider", provider="   ")


def test_rule_aggregation_rights() -> None:
    assert "aggregation-rights" in rules_broken_without("edm:rights")


def test_rule_rights_statement() -> None:
    refused(photo(), "rights-statement", rights="https://example.org/our-licence")
    assert _edm_rules.is_valid_rights_statement("http://creativecommons.org/licenses/by/4.0/")
    assert not _edm_rules.is_valid_rights_statement("https://creativecommons.org/licenses/by/4.0/")


def test_rule_no_empty_resource() -> None:
    refused(photo(creator=[""]), "no-empty-resource")


def test_rule_no_empty_about() -> None:
    refused(photo(**{"@id": ""}), "no-empty-about")


def test_rule_no_empty_lang() -> None:
    refused(photo(caption={"": "a caption without a language"}), "no-empty-lang")


def test_rule_no_resource_and_text() -> None:
    root = build(photo(), **OPTIONS)
    root.find("ore:Aggregation/edm:rights", NS).text = "In Copyright"
    assert "no-resource-and-text" in rules_broken(root)


def test_rule_webresource_haspart_not_literal() -> None:
    root = build(photo(), **OPTIONS)
    resource = root.find("edm:WebResource", NS)
    part = etree.Element(f"{{{NS['dcterms']}}}hasPart")
    part.text = "a literal"
    resource.insert(0, part)
    assert "webresource-haspart-not-literal" in rules_broken(root)


def test_rule_digital_source_type() -> None:
    error = refused(
        photo(digitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"),
        "digital-source-type",
    )
    assert "digitalCapture" in str(error)
    # the allowed ones go out in the https form Europeana requires, and come back as IPTC writes them
    text = str(
        dumps(
            photo(digitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"),
            "edm",
            **OPTIONS,
        )
    )
    assert 'rdf:resource="https://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"' in text
    assert loads(text, "edm")["digitalSourceType"].startswith("http://cv.iptc.org/")


def test_rule_intended_usage() -> None:
    root = build(photo(), **OPTIONS)
    usage = etree.SubElement(root.find("edm:WebResource", NS), f"{{{NS['edm']}}}intendedUsage")
    usage.set(f"{{{NS['rdf']}}}resource", "https://example.org/usage")
    assert "intended-usage" in rules_broken(root)


def test_every_rule_has_a_test() -> None:
    tested = {
        name.removeprefix("test_rule_").replace("_", "-")
        for name in globals()
        if name.startswith("test_rule_")
    }
    assert tested == set(_edm_rules.RULES)


# --------------------------------------------------------------------------- Europeana's samples


def _sample(name: str) -> bytes:
    return shared_bytes(EDM_REF / "examples" / name, "the Europeana sample")


def test_read_europeana_sorted_record() -> None:
    record = loads(_sample("europeana_record_edm_external_sorted.xml"), "edm", validate=False)
    assert record["@id"] == "CMC_HA/936"
    assert record["headline"]["en"].startswith("Panoramic Photography")
    assert record["keywords"] == {"en": ["Settlement"]}
    assert record["digitalSourceType"] == "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
    places = [p for p in record["contentLocation"] if isinstance(p, dict)]
    assert places[0]["geo"] == {"latitude": 59.04861, "longitude": -3.343056, "elevation": 7.0}
    assert record["recordedAt"][0]["startDate"]["@value"] == "-3180"
    assert record["url"].endswith("sb_h10_lidar.html")


def test_read_europeana_item() -> None:
    record = loads(_sample("Item_35834473.xml"), "edm", validate=False)
    assert record["identifier"] == "local (default) 505/172"
    assert "http://dbpedia.org/resource/Paul_Gauguin" in record["creator"]
    assert record["url"].startswith("http://www.imj.org.il/")


def test_rules_flag_the_invalid_sample() -> None:
    assert "digital-source-type" in rules_broken(
        parse_xml(_sample("edm_external_invalid_schema_digitalSourceType.xml"))
    )
    assert rules_broken(parse_xml(_sample("europeana_record_edm_external_sorted.xml"))) == set()


# --------------------------------------------------------------------------- bad input


def test_not_rdf() -> None:
    with pytest.raises(ReadError, match="rdf:RDF"):
        loads(b"<html/>", "edm")


def test_no_provided_cho_names_element_and_line() -> None:
    text = b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
    with pytest.raises(ReadError) as caught:
        loads(text, "edm", source="x.edm.xml")
    assert "edm:ProvidedCHO" in str(caught.value) and caught.value.line == 2


def test_entities_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&b;</rdf:RDF>'
    )
    with pytest.raises(UnsafeInputError):
        loads(bomb, "edm")


def test_archive_bounded() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.edm.xml", b"<rdf:RDF/>" + b" " * 50_000)
    from warphoto.formats import edm

    with pytest.raises(UnsafeInputError, match="limit"):
        edm.loads(buffer.getvalue(), max_bytes=30_000)  # io.loads does not pass max_bytes on (yet)


def test_loss_table_is_generated_from_the_crosswalks() -> None:
    from tests.conftest import REPO
    from warphoto._crosswalk import loss_table_markdown

    assert (REPO / "docs" / "loss-table.md").read_text(encoding="utf-8") == loss_table_markdown(), (
        "docs/loss-table.md is stale: regenerate it with warphoto._crosswalk.loss_table_markdown()"
    )


def test_place_level_is_a_value_loss() -> None:
    record = photo(contentLocation=[{"@type": "City", "name": {"en": "Izium"}}])
    with pytest.raises(LossError, match="place level"):
        dumps(record, "edm", refuse_loss=True, **OPTIONS)


def test_every_schema_field_has_a_crosswalk_row() -> None:
    from warphoto import _crosswalk, _resources

    entities = {
        "Photograph": "photograph",
        "Gallery": "gallery",
        "Event": "event",
        "Place": "place",
        "Person": "person",
        "Organization": "organization",
        "Concept": "concept",
        "MediaFile": "mediafile",
    }
    for table in ("newsml.csv", "edm.csv"):
        rows = {(r["entity"], r["field"]) for r in _crosswalk.load_table(table)}
        for entity, schema_name in entities.items():
            for field in _resources.schema(schema_name)["properties"]:
                if field in ("@context", "@type"):
                    continue
                assert (entity, field) in rows, f"{table} lacks a row for {entity}.{field}"


@settings(max_examples=40)
@given(st.data())
def test_damaged_documents_give_read_errors(
    example_photographs: list[dict[str, Any]], data: st.DataObject
) -> None:
    """Remove or garble any one element or attribute: the reader succeeds or raises ReadError."""
    record = data.draw(st.sampled_from(example_photographs))
    root = etree.fromstring(str(dumps(record, "edm", **OPTIONS)).encode("utf-8"))
    victim = data.draw(st.sampled_from(list(root.iter())))
    action = data.draw(st.sampled_from(["remove", "text", "attr"]))
    if action == "remove" and victim.getparent() is not None:
        victim.getparent().remove(victim)
    elif action == "attr" and victim.attrib:
        del victim.attrib[data.draw(st.sampled_from(sorted(victim.attrib)))]
    else:
        victim.text = "not a number, not a date"
    with contextlib.suppress(ReadError):
        loads(etree.tostring(root), "edm", validate=False)


def test_write_and_read_collection_files(tmp_path: Any, example_gallery: dict[str, Any]) -> None:
    from warphoto import read, write

    target = write(example_gallery, tmp_path / "gallery.edm.zip", **OPTIONS)
    back = read(target)  # validated against the schemas
    photos = [n for n in example_gallery["@graph"] if "Photograph" in n.get("@type", [])]
    assert len(back["@graph"]) == len(photos)
