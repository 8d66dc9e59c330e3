"""Custody is append-only: steps are added, never changed or removed."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

import pytest

import warphoto
from tests.conftest import need
from tests.custody.conftest import IMAGES
from warphoto.custody.steps import EVENT_TYPES, append_step, extend_provenance, file_id, make_step


@pytest.fixture
def record(tmp_path: Path) -> dict[str, object]:
    need(IMAGES.is_dir(), "the reference images")
    return warphoto.ingest(IMAGES / "Nikon.jpg")


def test_a_step_names_the_file_by_its_sha256(record: dict[str, object]) -> None:
    media = record["associatedMedia"][0]  # type: ignore[index]
    assert file_id(media["sha256"]) == media["@id"]
    step = make_step(
        "redaction", [media["@id"]], description="faces blurred", now=datetime(2100, 1, 2, tzinfo=UTC)
    )
    assert step["additionalType"] == list(EVENT_TYPES["redaction"])
    assert step["endedAtTime"] == {"@value": "2100-01-02T00:00:00Z", "@type": "xsd:dateTime"}
    before = copy.deepcopy(record)
    after = append_step(record, step)
    assert record == before  # the record given is not changed
    assert after["provenance"][:-1] == record["provenance"] and after["provenance"][-1] == step
    warphoto.validate(after)


def test_a_step_without_a_file_or_hash_is_refused() -> None:
    with pytest.raises(warphoto.WriteError, match="names the file"):
        make_step("ingest", [], description="x")
    with pytest.raises(warphoto.WriteError, match="sha256"):
        make_step("ingest", [{"@type": "ImageObject"}], description="x")
    with pytest.raises(warphoto.WriteError, match="unknown kind"):
        make_step("deletion", ["ni:///sha-256;x"], description="x")


def test_existing_steps_are_never_rewritten(record: dict[str, object]) -> None:
    media_id = record["associatedMedia"][0]["@id"]  # type: ignore[index]
    first = dict(make_step("verification", [media_id], description="checked"), **{"@id": "_:check-1"})
    once = append_step(record, first)
    with pytest.raises(warphoto.WriteError, match="append-only"):
        append_step(once, {**first, "description": {"en": "rewritten"}})
    changed = copy.deepcopy(once["provenance"])
    changed[0]["description"] = {"en": "something else"}
    with pytest.raises(warphoto.WriteError, match="step 0 would be changed"):
        extend_provenance(once, changed)
    with pytest.raises(warphoto.WriteError, match="would be removed"):
        extend_provenance(once, once["provenance"][:1])
    longer = extend_provenance(
        once, [*once["provenance"], make_step("delivery", [media_id], description="bagged")]
    )
    assert len(longer["provenance"]) == len(once["provenance"]) + 1


def test_a_step_before_an_existing_one_is_refused(record: dict[str, object]) -> None:
    media_id = record["associatedMedia"][0]["@id"]  # type: ignore[index]
    early = make_step("redaction", [media_id], description="x", now=datetime(2001, 1, 1, tzinfo=UTC))
    with pytest.raises(warphoto.WriteError, match="would come before provenance step 0"):
        append_step(record, early)
