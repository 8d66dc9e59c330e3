"""The schema.org web profile: plain schema.org JSON-LD out, scraped ImageObjects in."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import warphoto
from tests.strategies import photographs
from warphoto import ReadError, UnsafeInputError, canonical
from warphoto._resources import CONTEXT_IRI
from warphoto.formats.schemaorg import UNMAPPED_RULE, from_schemaorg
from warphoto.validation import Issue

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "examples" / "kharkiv-2022.jsonld"
FULL = REPO / "tests" / "data" / "valid" / "photograph-full.json"

LICENSING_FIELDS = (
    "creator",
    "creditText",
    "copyrightNotice",
    "license",
    "acquireLicensePage",
    "contentLocation",
    "dateCreated",
)

SCRAPED = """
<script type="application/ld+json">
{
  "@context": "https://schema.org/",
  "@type": "ImageObject",
  "contentUrl": "https://example.com/photos/1x1/black-labrador-puppy.jpg",
  "license": "https://example.com/license",
  "acquireLicensePage": "https://example.com/how-to-use-my-images",
  "creditText": "Labrador PhotoLab",
  "creator": {"@type": "Person", "name": "Brixton Brownstone"},
  "copyrightNotice": "Clara Kent",
  "dateCreated": "2022-09-21T10:00:00",
  "thumbnailUrl": "https://example.com/thumb.jpg",
  "contentLocation": {"@type": "Place", "name": "Izium", "geo": {"@type": "GeoCoordinates",
                      "latitude": "49.2083", "longitude": 37.2569}, "address": "Izium, Ukraine"}
}
</script>
"""


def _scraped() -> dict[str, Any]:
    text = SCRAPED.split(">", 1)[1].rsplit("<", 1)[0]
    value: dict[str, Any] = json.loads(text)
    return value


def _uses_only_schema_org(value: Any) -> None:
    if isinstance(value, list):
        for item in value:
            _uses_only_schema_org(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            assert ":" not in key, key
            if key == "@context":
                assert item == "https://schema.org"
            _uses_only_schema_org(item)


def test_writes_plain_schema_org_with_the_licensing_fields() -> None:
    record = json.loads(FULL.read_text(encoding="utf-8"))
    out = json.loads(str(warphoto.dumps(record, "schemaorg")))
    assert out["@context"] == "https://schema.org"
    assert "ImageObject" in out["@type"]
    _uses_only_schema_org(out)
    for key in LICENSING_FIELDS:
        if key in record:
            assert key in out, key
    assert isinstance(out["creditText"], str)
    assert isinstance(out["copyrightNotice"], str)
    assert all(isinstance(c.get("name"), str) for c in out["creator"])
    assert out["contentUrl"].startswith("https://")


def test_the_schema_org_graph_only_uses_schema_org_iris() -> None:
    from rdflib import Graph

    record = json.loads(FULL.read_text(encoding="utf-8"))
    out = json.loads(str(warphoto.dumps(record, "schemaorg")))
    out["@context"] = {"@vocab": "https://schema.org/"}
    graph = Graph().parse(data=json.dumps(out), format="json-ld")
    assert len(graph) > 10
    for _s, p, _o in graph:
        assert str(p).startswith("https://schema.org/") or str(p).endswith("#type")


@pytest.mark.skipif(not EXAMPLE.exists(), reason="example gallery not written yet")
def test_collection_gives_one_image_object_per_photograph() -> None:
    gallery = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    out = json.loads(str(warphoto.dumps(gallery, "schemaorg")))
    photos = [n for n in gallery["@graph"] if "Photograph" in n["@type"]]
    assert isinstance(out, list)
    assert len(out) == len(photos)
    for item in out:
        assert isinstance(item["creator"][0]["name"], str)  # references resolved
        assert item["contentLocation"][0]["name"]


def _mappable(record: dict[str, Any]) -> dict[str, Any]:
    """The part of a generated photograph the schema.org profile carries, in one language."""
    keep = {
        "@context",
        "@id",
        "@type",
        "identifier",
        "headline",
        "caption",
        "dateCreated",
        "creditText",
        "copyrightNotice",
        "license",
        "acquireLicensePage",
        "url",
        "keywords",
    }
    out = {k: v for k, v in record.items() if k in keep}
    for key in ("headline", "caption", "copyrightNotice"):
        if key in out:
            out[key] = {"en": next(iter(out[key].values()))}
    if "keywords" in out:
        words = [w for w in next(iter(out["keywords"].values())) if "," not in w and w.strip() == w]
        out["keywords"] = {"en": list(dict.fromkeys(words))}
        if not words:
            del out["keywords"]
    out["@type"] = ["ImageObject", "Photograph"]
    return out


@given(photographs())
def test_round_trip_of_what_the_profile_carries(record: dict[str, Any]) -> None:
    subset = _mappable(record)
    text = warphoto.dumps(subset, "schemaorg")
    issues: list[Issue] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = warphoto.loads(text, "schemaorg", issues=issues, strict=True)
    assert issues == []
    assert canonical(back) == canonical(subset)


@given(photographs())
def test_all_languages_keep_language_maps(record: dict[str, Any]) -> None:
    subset = {k: v for k, v in record.items() if k in ("@context", "@id", "caption", "copyrightNotice")}
    subset["@type"] = ["ImageObject", "Photograph"]
    back = warphoto.loads(warphoto.dumps(subset, "schemaorg", languages="all"), "schemaorg")
    assert canonical(back) == canonical(subset)


def test_scraped_image_object_becomes_a_record_and_reports_the_rest() -> None:
    issues: list[Issue] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reported through issues=, never as a warning
        record = warphoto.loads(json.dumps(_scraped()), "schemaorg", source="page.html", issues=issues)
    assert {i.rule for i in issues} == {UNMAPPED_RULE}
    assert all(i.source == "page.html" for i in issues)
    with pytest.raises(ReadError, match=r"page\.html: .*thumbnailUrl"):
        warphoto.loads(json.dumps(_scraped()), "schemaorg", source="page.html", strict=True)
    assert record["@context"] == CONTEXT_IRI
    assert record["@id"] == "https://example.com/photos/1x1/black-labrador-puppy.jpg"
    assert record["creditText"] == "Labrador PhotoLab"
    assert record["creator"] == [{"@type": "Person", "name": {"und": "Brixton Brownstone"}}]
    assert record["copyrightNotice"] == {"und": "Clara Kent"}
    assert record["license"] == "https://example.com/license"
    # no offset: a local date-time (EDTF level 0), as the record form holds an EXIF clock's time
    assert record["dateCreated"] == {"@value": "2022-09-21T10:00:00", "@type": "edtf:EDTF"}
    assert record["contentLocation"][0]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 49.2083,
        "longitude": 37.2569,
    }
    assert record["associatedMedia"][0]["contentUrl"].endswith("puppy.jpg")
    joined = " ".join(str(i) for i in issues)
    assert "$.thumbnailUrl" in joined
    assert "$.contentLocation[0].address" in joined
    assert "dateCreated" not in joined  # a local date-time is one the record holds
    assert "$.@id" in joined
    warphoto.validate(record)


def test_vocab_context_and_graph_are_accepted() -> None:
    doc = {
        "@context": {"@vocab": "http://schema.org/"},
        "@graph": [
            {"@type": "ImageObject", "@id": "https://e/1", "creditText": "A"},
            {"@type": "ImageObject", "@id": "https://e/2", "creditText": "B"},
            {"@type": "WebPage", "@id": "https://e/page"},
        ],
    }
    document, unmapped = from_schemaorg(doc)
    assert [r["@id"] for r in document["@graph"]] == ["https://e/1", "https://e/2"]
    assert any("WebPage" in u.message for u in unmapped)


@pytest.mark.parametrize(
    "context",
    [
        "https://evil.example/ctx",
        {"@vocab": "https://evil.example/"},
        ["https://schema.org", "file:///etc/passwd"],
    ],
)
def test_other_contexts_are_refused(context: Any) -> None:
    with pytest.raises(UnsafeInputError):
        warphoto.loads(
            json.dumps({"@context": context, "@type": "ImageObject", "@id": "https://e/1"}), "schemaorg"
        )


def test_no_image_object_is_a_read_error() -> None:
    with pytest.raises(ReadError, match=r"no schema\.org ImageObject"):
        warphoto.loads(
            json.dumps({"@context": "https://schema.org", "@type": "Person", "name": "A"}), "schemaorg"
        )


def test_schema_org_context_in_the_jsonld_reader_points_here() -> None:
    with pytest.raises(UnsafeInputError, match="schemaorg"):
        warphoto.loads(json.dumps(_scraped()), "jsonld")
