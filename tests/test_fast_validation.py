"""The fast schema check (jsonschema-rs) and jsonschema's full validator always agree."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import strategies
from warphoto.validation import _fast_validator, fast_schema_check, schema_validator

DATA = Path(__file__).resolve().parent / "data"
CORPUS = sorted((DATA / "invalid").glob("*.json")) + sorted((DATA / "valid").glob("*.json"))


def _schema_for(document: Any) -> str:
    return "collection" if isinstance(document, dict) and "@graph" in document else "record"


def _agree(document: Any) -> bool:
    name = _schema_for(document)
    slow = schema_validator(name).is_valid(document)
    assert fast_schema_check(name, document) == slow, json.dumps(document, ensure_ascii=False)[:400]
    return slow


def test_the_fast_validator_is_in_use() -> None:
    assert _fast_validator("record") is not None


@pytest.mark.parametrize("path", [p for p in CORPUS if p.name != "expected.json"], ids=lambda p: p.name)
def test_agree_on_the_corpus(path: Path) -> None:
    _agree(json.loads(path.read_text(encoding="utf-8")))


def test_agree_on_the_example_gallery(example_gallery: dict[str, Any]) -> None:
    assert _agree(example_gallery)


@given(strategies.records(extensions=True))
def test_agree_on_generated_valid_records(record: dict[str, Any]) -> None:
    assert _agree(record)


_BREAKAGE = st.sampled_from(
    [
        ("license", "not an iri"),
        ("license", "https://example.org/a b"),
        ("url", "photo-01.html"),
        ("dateCreated", {"@value": "2022-02-29", "@type": "xsd:date"}),
        ("dateCreated", {"@value": "2022-09-21T25:00:00Z", "@type": "xsd:dateTime"}),
        ("dateCreated", {"@value": "2022-09-21T10:00:00", "@type": "xsd:dateTime"}),
        ("dateCreated", {"@value": "2022-02-30/2022-03", "@type": "edtf:EDTF"}),
        ("dateCreated", {"@value": "2022-09", "@type": "xsd:date"}),
        ("caption", {"en_GB": "x"}),
        ("caption", {"en": ""}),
        ("position", 0),
        ("position", 1.5),
        ("contentWarning", ["https://cv.iptc.org/newscodes/contentwarning/death"]),
        ("keywords", {"en": "war"}),
        ("identifier", 17),
        ("acquireLicensePage", "//example.org/licensing"),
    ]
)


@given(strategies.photographs(), _BREAKAGE)
def test_agree_on_broken_records(record: dict[str, Any], breakage: tuple[str, Any]) -> None:
    broken = copy.deepcopy(record)
    key, value = breakage
    broken[key] = value
    assert not _agree(broken)
