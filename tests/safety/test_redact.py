"""A provenance step dated after the redaction: refused with the record and the date, nothing written."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import warphoto
from tests.safety.secrets import secret_collection
from tests.test_cli import run

NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


def _with_step(when: dict[str, str], key: str = "endedAtTime") -> dict[str, Any]:
    collection = secret_collection()
    step = {"@type": "Activity", key: when, "description": {"en": "checked by the legal team"}}
    collection["@graph"][0]["provenance"].append(step)
    return collection


def test_a_step_after_the_redaction_is_refused_naming_the_record_and_date() -> None:
    collection = _with_step({"@value": "2026-06-30T09:00:00+00:00", "@type": "xsd:dateTime"})
    before = copy.deepcopy(collection)
    with pytest.raises(warphoto.WriteError) as caught:
        warphoto.redact(collection, "public", now=NOW)
    message = str(caught.value)
    assert (
        "record https://example.org/archive/photo-1: provenance step 1 is dated 2026-06-30T09:00:00"
        in message
    )
    assert "after the redaction (2026-05-01T12:00:00+00:00)" in message and "correct" in message
    assert collection == before


def test_a_partial_date_counts_only_when_surely_after() -> None:
    this_year = _with_step({"@value": "2026", "@type": "xsd:gYear"}, "endDate")
    redacted = warphoto.redact(this_year, "public", now=NOW)  # 2026 may be before 1 May 2026: kept
    assert redacted["@graph"][0]["provenance"][-1]["startedAtTime"]["@value"] == "2026-05-01T12:00:00+00:00"
    with pytest.raises(warphoto.WriteError, match="dated 2027"):
        warphoto.redact(_with_step({"@value": "2027", "@type": "xsd:gYear"}, "endDate"), "public", now=NOW)


def test_convert_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "future.jsonld"
    future = {"@value": "2999-01-01T00:00:00+00:00", "@type": "xsd:dateTime"}
    source.write_text(json.dumps(_with_step(future)), encoding="utf-8")
    out = tmp_path / "out"
    done = run("convert", source, "--to", "jsonld", "--out-dir", out, "--profile", "public")
    assert done.returncode != 0 and "provenance step 1 is dated 2999-01-01" in done.stderr
    assert not out.exists() or list(out.iterdir()) == []
