"""validate() and iter_issues(): every issue reported, with record id, JSON path, message and rule."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import warphoto
from warphoto import Issue, ValidationError
from warphoto.validation import schema_validator

PHOTO: dict[str, Any] = {
    "@context": "https://w3id.org/warphoto/context.jsonld",
    "@id": "https://example.org/photo/1",
    "@type": ["ImageObject", "Photograph"],
    "caption": {"en": "A destroyed bridge", "uk": "Зруйнований міст"},
    "dateCreated": {"@value": "2022-09", "@type": "xsd:gYearMonth"},
}


def photo(**changes: Any) -> dict[str, Any]:
    record = copy.deepcopy(PHOTO)
    record.update(changes)
    return record


def test_valid_record_passes() -> None:
    warphoto.validate(PHOTO)
    assert warphoto.is_valid(PHOTO)
    assert list(warphoto.iter_issues(PHOTO)) == []


def test_ten_problems_are_all_reported() -> None:
    record = photo(
        caption={"english!": "x"},
        dateCreated={"@value": "2022-13", "@type": "xsd:gYearMonth"},
        license="not an iri",
        position=0,
        contentWarning=["http://example.org/gore"],
        digitalSourceType="camera",
        keywords={"en": []},
        headline={},
        captoin={"en": "typo"},
        associatedMedia=[{"@type": "ImageObject", "sha256": "ABC"}],
    )
    with pytest.raises(ValidationError) as caught:
        warphoto.validate(record)
    paths = {issue.path for issue in caught.value.issues}
    assert paths == {
        "$",
        "$.caption",
        "$.dateCreated.@value",
        "$.license",
        "$.position",
        "$.contentWarning[0]",
        "$.digitalSourceType",
        "$.keywords.en",
        "$.headline",
        "$.associatedMedia[0].sha256",
    }
    assert all(issue.record_id == "https://example.org/photo/1" for issue in caught.value.issues)


def test_issue_carries_path_pointer_message_and_rule() -> None:
    (issue,) = warphoto.iter_issues(photo(dateCreated={"@value": "2022-02-30", "@type": "xsd:date"}))
    assert isinstance(issue, Issue)
    assert issue.path == "$.dateCreated.@value"
    assert issue.pointer == "/dateCreated/@value"
    assert issue.rule.startswith("schema:")
    assert "2022-09-21" in issue.message  # says what a good value looks like


def test_typo_gets_a_suggestion() -> None:
    (issue,) = warphoto.iter_issues(photo(captoin={"en": "x"}))
    assert "did you mean 'caption'" in issue.message


def test_extension_keys_with_a_colon_are_allowed() -> None:
    warphoto.validate(photo(**{"dcterms:spatial": "Izium", "https://example.org/ns#note": "x"}))


@pytest.mark.parametrize("bad", [[], "text", 3, None, [PHOTO]])
def test_wrong_top_level_type(bad: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        warphoto.validate(bad)
    assert caught.value.issues[0].path == "$"


def test_not_json_text_is_a_validation_error_with_a_line() -> None:
    with pytest.raises(ValidationError) as caught:
        warphoto.validate('{"@id": "x",\n "caption": }')
    (issue,) = caught.value.issues
    assert issue.rule == "json:syntax"
    assert issue.line == 2


def test_json_text_is_accepted() -> None:
    import json

    warphoto.validate(json.dumps(PHOTO))


def test_non_ascii_iri_is_legal() -> None:
    warphoto.validate(photo(license="https://example.org/ліцензія/Ізюм"))


def test_semantic_rules_run_on_collections() -> None:
    collection = {
        "@context": "https://w3id.org/warphoto/context.jsonld",
        "@graph": [
            {
                "@id": "_:gallery",
                "@type": "ImageGallery",
                "datePublished": {"@value": "2022-09-21", "@type": "xsd:date"},
                "hasPart": ["https://example.org/photo/1"],
            },
            photo(dateCreated={"@value": "2022-10", "@type": "xsd:gYearMonth"}, isPartOf="_:gallery"),
        ],
    }
    collection["@graph"][1].pop("@context")
    rules = [issue.rule for issue in warphoto.iter_issues(collection)]
    assert rules == ["semantic:created-after-published"]


def test_same_month_as_publication_is_not_after_it() -> None:
    collection = {
        "@graph": [
            {
                "@id": "_:g",
                "@type": "ImageGallery",
                "datePublished": {"@value": "2022-09-21", "@type": "xsd:date"},
            },
            photo(isPartOf="_:g"),
        ]
    }
    warphoto.validate(collection)


def test_validator_is_compiled_once() -> None:
    assert schema_validator("record") is schema_validator("record")


def test_schema_refs_resolve_offline_only() -> None:
    from referencing.exceptions import Unresolvable

    validator = schema_validator("record")
    with pytest.raises(Unresolvable):
        validator.evolve(schema={"$ref": "https://example.org/remote.schema.json"}).validate({})


def test_from_dict_raises_the_same_error() -> None:
    with pytest.raises(ValidationError):
        warphoto.Photograph.from_dict(photo(position=-1))
