"""JSON Lines checked record by record: the size bound per line, issues at their line and column,
the collection's rules across lines, and the same answers as checking each record whole."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from warphoto import iter_issues
from warphoto._sourcemap import SourceMap
from warphoto.errors import ReadError
from warphoto.formats.jsonl import iter_lines
from warphoto.streaming import LinesChecker, check_lines, iter_checked
from warphoto.validation import MISSING_CONTEXT

DATA = Path(__file__).resolve().parent / "data"
INVALID = sorted(p for p in (DATA / "invalid").glob("*.json") if p.name != "expected.json")
CONTEXT = "https://w3id.org/warphoto/context.jsonld"


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _gallery_lines(example_gallery: dict[str, Any]) -> list[str]:
    return "".join(iter_lines([example_gallery])).splitlines()


def test_a_collection_split_into_lines_is_valid(tmp_path: Path, example_gallery: dict[str, Any]) -> None:
    lines = _gallery_lines(example_gallery)
    report = check_lines(_write(tmp_path / "g.jsonl", lines))
    assert report.records == len(lines) > 10
    assert report.valid, report.issues[:3]
    assert report.warnings == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_a_record_on_a_line_has_the_issues_it_has_whole(path: Path, tmp_path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or "@graph" in document:
        return  # a collection is written one node a line (see below); an array is expanded JSON-LD
    expected = {(i.path, i.rule, i.message) for i in iter_issues(document)}
    target = _write(tmp_path / "one.jsonl", ["", _line(document)])
    report = check_lines(target)
    assert {(i.path, i.rule, i.message) for i in report.issues} == expected
    text = _line(document)
    for issue in report.issues:
        assert issue.line == 2
        assert issue.source == str(target)
        assert issue.column is not None
        # the column points at the value the issue names (or at the unknown key, or at its object)
        offset = SourceMap(text).offset(issue.pointer)
        assert offset is not None
        key_offset = SourceMap(text).key_offset(issue.pointer + "/" + _first_unknown(issue.message))
        assert issue.column - 1 in (offset, key_offset)


def _first_unknown(message: str) -> str:
    if message.startswith("unknown key '"):
        return message.split("'")[1]
    return "\0"


def test_the_size_bound_is_per_record(tmp_path: Path, example_gallery: dict[str, Any]) -> None:
    lines = _gallery_lines(example_gallery)
    longest = max(len(line.encode("utf-8")) for line in lines)
    path = _write(tmp_path / "g.jsonl", lines)
    assert path.stat().st_size > 2 * longest
    report = check_lines(path, max_record_bytes=longest)
    assert report.valid and report.records == len(lines)
    too_long = [index for index, line in enumerate(lines, 1) if len(line.encode("utf-8")) > longest - 100]
    report = check_lines(path, max_record_bytes=longest - 100)
    assert [i.line for i in report.issues if i.rule == "json:size"] == too_long
    assert report.records == len(lines)


def test_a_line_longer_than_the_bound_is_skipped_not_read_whole(tmp_path: Path) -> None:
    good = _line({"@context": CONTEXT, "@id": "https://example.org/c", "@type": "Concept"})
    huge = '{"@context":"' + "x" * 5_000_000 + '"}'
    other = _line({"@context": CONTEXT, "@id": "https://example.org/d", "@type": "Concept"})
    path = _write(tmp_path / "big.jsonl", [good, huge, other])
    report = check_lines(path, max_record_bytes=10_000)
    assert [(i.line, i.rule) for i in report.issues] == [(2, "json:size")]
    assert "5000015 bytes" in report.issues[0].message
    assert report.records == 3


def test_a_broken_line_is_an_issue_and_the_next_lines_are_checked(
    tmp_path: Path, example_gallery: dict[str, Any]
) -> None:
    lines = _gallery_lines(example_gallery)
    lines[2] = lines[2][:30]
    lines[4] = lines[4].replace("{", '{"@id":"x","@id":"y",', 1)
    lines[6] = lines[6].replace('"name"', '"nmae"', 1)
    report = check_lines(_write(tmp_path / "g.jsonl", lines))
    found = [(i.line, i.rule) for i in report.issues]
    assert (3, "json:syntax") in found
    assert (5, "json:syntax") in found
    assert any(line == 7 and rule == "schema:additionalProperties" for line, rule in found)
    duplicate = next(i for i in report.issues if i.line == 5)
    assert "appears twice" in duplicate.message and duplicate.column is not None
    unknown = next(i for i in report.issues if i.line == 7)
    assert lines[6][unknown.column - 1 :].startswith('"nmae"')


def test_record_ids_are_unique_across_lines(tmp_path: Path, example_gallery: dict[str, Any]) -> None:
    lines = _gallery_lines(example_gallery)
    report = check_lines(_write(tmp_path / "g.jsonl", [*lines, lines[3]]))
    assert [(i.line, i.rule) for i in report.issues] == [(len(lines) + 1, "semantic:duplicate-id")]
    assert "line 4" in report.issues[0].message
    report = check_lines(_write(tmp_path / "g.jsonl", [*lines, lines[3]]), unique_ids=False)
    assert report.valid


def test_blank_node_references_resolve_across_lines_forward_and_back(
    tmp_path: Path, example_gallery: dict[str, Any]
) -> None:
    lines = _gallery_lines(example_gallery)
    reordered = [*lines[1:], lines[0]]  # the gallery (which names the people) last
    assert check_lines(_write(tmp_path / "g.jsonl", reordered)).valid
    people = [line for line in lines if '"@type":"Person"' in line]
    rest = [line for line in lines if line not in people[:1]]
    report = check_lines(_write(tmp_path / "g.jsonl", rest))
    label = json.loads(people[0])["@id"]
    assert report.issues and {i.rule for i in report.issues} == {"semantic:unresolved-reference"}
    assert all(label in i.message and i.line and i.column for i in report.issues)


def test_a_missing_context_is_a_warning(tmp_path: Path) -> None:
    record = {"@id": "https://example.org/c", "@type": "Concept"}
    report = check_lines(_write(tmp_path / "c.jsonl", [_line(record)]))
    assert report.valid
    assert [(w.line, w.rule) for w in report.warnings] == [(1, MISSING_CONTEXT)]
    assert CONTEXT in report.warnings[0].message


def test_an_impossible_date_time_says_so(tmp_path: Path) -> None:
    record = {
        "@context": CONTEXT,
        "@id": "https://example.org/p",
        "@type": ["ImageObject", "Photograph"],
        "dateCreated": {"@value": "2023-02-30T10:14:00+03:00", "@type": "xsd:dateTime"},
    }
    report = check_lines(_write(tmp_path / "p.jsonl", [_line(record)]))
    (issue,) = report.issues
    assert "impossible day" in issue.message and "February 2023 has 28 days" in issue.message
    assert "offset" not in issue.message


def test_a_remote_context_on_a_line_is_refused(tmp_path: Path) -> None:
    record = {"@context": "https://example.org/other.jsonld", "@id": "https://example.org/c"}
    report = check_lines(_write(tmp_path / "c.jsonl", [_line(record)]))
    assert [(i.line, i.rule) for i in report.issues] == [(1, "json:context")]


def test_streams_and_lines_as_they_come(example_gallery: dict[str, Any]) -> None:
    data = "".join(iter_lines([example_gallery])).encode("utf-8")
    report = check_lines(io.BytesIO(data))
    assert report.valid and report.records == data.count(b"\n")
    checked = list(iter_checked(data.splitlines(keepends=True), source="-"))
    assert all(c.record is not None and not c.issues for c in checked)
    checker = LinesChecker("x.jsonl")
    assert checker.check(b"   \n", 1) is None
    outcome = checker.check(b'"text"\n', 2)
    assert outcome is not None and outcome.issues[0].rule == "schema:type"


def test_a_file_over_the_input_bound_is_checked(
    tmp_path: Path, example_gallery: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18 item 6: the bound is per record; a file larger than it (92 MB there) validates."""
    import warphoto.io

    lines = _gallery_lines(example_gallery)
    path = _write(tmp_path / "g.jsonl", lines * 3)  # ids repeat: only the duplicates are issues
    monkeypatch.setattr(warphoto.io, "MAX_INPUT_BYTES", max(len(line.encode()) for line in lines) + 1)
    assert path.stat().st_size > 3 * warphoto.io.MAX_INPUT_BYTES
    report = check_lines(path)
    assert report.records == 3 * len(lines)
    assert {i.rule for i in report.issues} == {"semantic:duplicate-id"}
    assert len(report.issues) == 2 * len(lines)


def test_the_record_id_index_finds_the_first_line_across_its_levels() -> None:
    from warphoto._lines import _SeenIds

    seen = _SeenIds(batch=4)
    digests = [(d * 7919) % 1009 for d in range(1, 300)]
    for line, digest in enumerate(digests, 1):
        assert seen.first_line(digest, line) == line
    assert len(seen.levels) > 1  # merged like a log-structured tree
    for line, digest in enumerate(digests, 1):
        assert seen.first_line(digest, 10_000 + line) == line
    assert seen.first_line(5000, 7) == 7


def test_read_records_reads_a_line_at_a_time_and_names_the_bad_line() -> None:
    from warphoto.streaming import read_records

    good = _line({"@context": CONTEXT, "@id": "https://example.org/a", "headline": {"en": "a"}})
    stream = io.BytesIO(f"{good}\n\n{good}\n{{broken\n".encode())
    records = read_records(stream, source="x.jsonl")
    assert next(records)[0] == 1 and next(records)[0] == 3
    with pytest.raises(ReadError) as caught:
        next(records)
    assert (caught.value.source, caught.value.line) == ("x.jsonl", 4)
    huge = io.BytesIO(f"{good}\n{good}\n".encode())
    with pytest.raises(ReadError, match="more than the limit of 20 for one record") as caught:
        list(read_records(huge, max_record_bytes=20))
    assert caught.value.line == 1


def test_a_context_spelled_with_escapes_is_read_as_the_reader_reads_it() -> None:
    from warphoto.streaming import read_records

    nested = (
        '{"@context":"%s","@id":"https://example.org/a","about":{"\\u0040context":"https://example.net/c"}}'
    )
    line = (nested % CONTEXT).encode()
    checker = LinesChecker("x.jsonl")
    checked = checker.check(line, 1)
    assert checked is not None and [i.rule for i in checked.issues] == ["json:context"]
    with pytest.raises(ReadError):
        list(read_records(io.BytesIO(line + b"\n")))
