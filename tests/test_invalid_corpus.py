"""The corpus of invalid records in tests/data/invalid.

Each file breaks exactly one rule; ``expected.json`` names the JSON path and the rule of the
issue the validator must report for it (``{"path": ..., "rule": ...}``), or, for a file with
several mistakes, every path it must report (``{"paths": [...]}``). Validation of any of them
raises :class:`warphoto.ValidationError`, never a bare ``KeyError``, ``TypeError`` or
``ValueError``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import warphoto

INVALID = Path(__file__).resolve().parent / "data" / "invalid"
EXPECTED: dict[str, dict[str, Any]] = json.loads((INVALID / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(p.name for p in INVALID.glob("*.json") if p.name != "expected.json")
SINGLE = sorted(name for name in EXPECTED if "paths" not in EXPECTED[name])
MULTIPLE = sorted(name for name in EXPECTED if "paths" in EXPECTED[name])

#: Known gaps of the validator, by file and by test: each entry is a strict xfail, so the test
#: starts failing (and the entry must go) once the gap is closed.
KNOWN_GAPS: dict[str, tuple[set[str], str]] = {}


def _subject(name: str) -> Any:
    """What to validate: the parsed document, or for a top-level JSON string the text itself
    (a Python str given to the validator is read as JSON text)."""
    text = (INVALID / name).read_text(encoding="utf-8")
    document = json.loads(text)
    return text if isinstance(document, str) else document


def _params(names: list[str], test: str) -> list[Any]:
    params = []
    for name in names:
        tests, reason = KNOWN_GAPS.get(name, (set(), ""))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if test in tests else []
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def _issues(name: str) -> list[warphoto.Issue]:
    return list(warphoto.iter_issues(_subject(name)))


def test_corpus_and_expectations_match() -> None:
    assert len(FILES) >= 30
    assert sorted(EXPECTED) == FILES
    for name, expected in EXPECTED.items():
        if "paths" in expected:
            assert set(expected) == {"paths"}, name
            assert len(expected["paths"]) == len(set(expected["paths"])), name
        else:
            assert set(expected) == {"path", "rule"}, name
            assert expected["path"].startswith("$"), name
            assert expected["rule"].split(":")[0] in ("schema", "semantic"), name


def test_corpus_covers_every_semantic_rule() -> None:
    rules = {expected.get("rule") for expected in EXPECTED.values()}
    assert {
        "semantic:provenance-order",
        "semantic:created-after-published",
        "semantic:unresolved-reference",
        "semantic:interval-order",
        "semantic:duplicate-id",
    } <= rules


@pytest.mark.parametrize("name", _params(SINGLE, "reported"))
def test_expected_issue_is_reported(name: str) -> None:
    expected = EXPECTED[name]
    issues = _issues(name)
    assert issues, f"{name} validates but should not"
    found = [(issue.path, issue.rule) for issue in issues]
    assert (expected["path"], expected["rule"]) in found
    for issue in issues:
        assert issue.message.strip()


@pytest.mark.parametrize("name", _params(SINGLE, "only"))
def test_nothing_else_is_reported(name: str) -> None:
    """One mistake, one issue: no duplicates, no follow-on noise."""
    expected = EXPECTED[name]
    found = [(issue.path, issue.rule) for issue in _issues(name)]
    assert found == [(expected["path"], expected["rule"])]


@pytest.mark.parametrize("name", _params(MULTIPLE, "reported"))
def test_every_mistake_of_a_broken_record_is_reported(name: str) -> None:
    expected = EXPECTED[name]["paths"]
    paths = [issue.path for issue in _issues(name)]
    assert sorted(paths) == sorted(expected)


@pytest.mark.parametrize("name", _params(FILES, "raises"))
def test_validate_raises_validation_error(name: str) -> None:
    subject = _subject(name)
    assert not warphoto.is_valid(subject)
    with pytest.raises(warphoto.ValidationError) as caught:
        warphoto.validate(subject, source=name)
    error = caught.value
    assert isinstance(error, warphoto.WarphotoError)
    assert error.issues
    assert all(isinstance(issue, warphoto.Issue) for issue in error.issues)
    assert name in str(error)
    expected = EXPECTED[name]
    paths = {issue.path for issue in error.issues}
    assert paths >= ({expected["path"]} if "path" in expected else set(expected["paths"]))


@pytest.mark.parametrize("name", _params(SINGLE, "reported"))
def test_issue_names_the_record(name: str) -> None:
    """The record id of an issue is the @id of the innermost node on its path that has one."""
    subject = _subject(name)
    expected = EXPECTED[name]
    (issue,) = [i for i in _issues(name) if (i.path, i.rule) == (expected["path"], expected["rule"])]
    if isinstance(subject, dict) and "@graph" not in subject and isinstance(subject.get("@id"), str):
        assert issue.record_id == subject["@id"]
    elif isinstance(subject, dict) and expected["path"].startswith("$.@graph["):
        index = int(expected["path"].removeprefix("$.@graph[").split("]")[0])
        assert issue.record_id == subject["@graph"][index].get("@id")
