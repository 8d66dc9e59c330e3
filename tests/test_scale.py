"""warphoto.scale: partitions' outputs, concatenated, are the single-process output."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Dataset

import warphoto
from tests import strategies
from tests.conftest import EXAMPLE_GALLERY
from tests.test_cli import photo, run, write_json
from warphoto import scale
from warphoto.errors import WriteError
from warphoto.streaming import iter_read

_ANON = re.compile(r"_:wpb[0-9p]+\b")


def renumbered(text: str) -> str:
    """Anonymous blank nodes numbered by first appearance: partitions' labels and one writer's compare."""
    names: dict[str, str] = {}
    return _ANON.sub(lambda m: names.setdefault(m.group(0), f"_:anon{len(names)}"), text)


def partitions(records: list[Any], sizes: list[int]) -> Iterator[list[Any]]:
    start = 0
    for size in sizes:
        yield records[start : start + size]
        start += size
    yield records[start:]


def concatenated(func: Callable[..., Iterator[str]], parts: Iterator[list[Any]], **options: Any) -> str:
    return "".join(line + "\n" for i, part in enumerate(parts) for line in func(part, partition=i, **options))


@pytest.fixture(scope="module")
def gallery_records() -> list[dict[str, Any]]:
    return list(iter_read(EXAMPLE_GALLERY))


@pytest.mark.parametrize("sizes", [[], [1], [10, 10], [3, 0, 20, 7], [40]])
def test_gallery_ntriples_in_partitions(gallery_records: list[dict[str, Any]], sizes: list[int]) -> None:
    single = warphoto.dumps(warphoto.read(EXAMPLE_GALLERY), "ntriples")
    assert isinstance(single, str) and "_:wpb" in single  # the gallery has anonymous nodes
    together = concatenated(scale.ntriples_lines, partitions(gallery_records, sizes))
    assert renumbered(together) == renumbered(single)
    if sizes == [40]:  # photographs on both sides: each partition numbers from 1, kept apart
        assert "_:wpb0p1 " in together and "_:wpb1p1 " in together


def test_one_partition_without_an_index_is_the_writers_text(gallery_records: list[dict[str, Any]]) -> None:
    lines = list(scale.ntriples_lines(gallery_records))
    assert "".join(line + "\n" for line in lines) == warphoto.dumps(
        warphoto.read(EXAMPLE_GALLERY), "ntriples"
    )


@given(strategies.photograph_lists(min_size=1, max_size=6), st.lists(st.integers(0, 3), max_size=3))
def test_generated_records_in_partitions(records: list[dict[str, Any]], sizes: list[int]) -> None:
    single = warphoto.dumps(records, "ntriples")
    assert isinstance(single, str)
    assert renumbered(concatenated(scale.ntriples_lines, partitions(records, sizes))) == renumbered(single)
    jsonl = "".join(line + "\n" for part in partitions(records, sizes) for line in scale.jsonl_lines(part))
    assert jsonl == warphoto.dumps(records, "jsonl")


def test_nquads_put_each_record_in_its_graph(gallery_records: list[dict[str, Any]]) -> None:
    text = concatenated(scale.nquads_lines, partitions(gallery_records, [5, 30]))
    triples = concatenated(scale.ntriples_lines, partitions(gallery_records, [5, 30]))
    dataset = Dataset(default_union=False)
    dataset.parse(data=text, format="nquads")
    assert len(dataset) == len(set(triples.splitlines()))
    for line, triple in zip(text.splitlines(), triples.splitlines(), strict=True):
        assert line.startswith(triple[:-2] + " ")
        subject = triple.split(" ", 1)[0]
        assert line.endswith(f" {subject} .") or subject.startswith("_:")
    photo_01 = "https://example.org/warphoto/kharkiv-2022/photo-01"
    graph = next(g for g in dataset.graphs() if str(g.identifier) == photo_01)
    assert {str(s) for s in graph.subjects()} >= {photo_01}


def test_nquads_into_one_named_graph(gallery_records: list[dict[str, Any]]) -> None:
    lines = list(scale.nquads_lines(gallery_records[:3], graph="https://example.org/g"))
    assert lines and all(line.endswith(" <https://example.org/g> .") for line in lines)
    with pytest.raises(WriteError, match="absolute IRI"):
        list(scale.nquads_lines(gallery_records[:1], graph="not an iri"))


def test_a_partition_index_is_letters_and_digits() -> None:
    with pytest.raises(WriteError, match="partition"):
        list(scale.ntriples_lines([photo("https://example.org/p")], partition="a b"))


def test_issue_dicts_are_validates_issues(tmp_path: Path, example_photographs: list[dict[str, Any]]) -> None:
    broken = [
        photo("https://example.org/p/1", position="three"),
        photo("https://example.org/p/2", dateCreated={"@value": "2022-13", "@type": "xsd:gYearMonth"}),
    ]
    records = [*example_photographs[:4], broken[0], *example_photographs[4:8], broken[1]]
    found = [issue for part in partitions(records, [3, 3]) for issue in scale.issue_dicts(part)]
    assert found == [i.to_dict() for r in records for i in warphoto.validation.iter_issues(r)]
    assert {i["record_id"] for i in found} == {"https://example.org/p/1", "https://example.org/p/2"}
    lines = tmp_path / "records.jsonl"
    lines.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    reported = json.loads(run("validate", lines, "--format", "json", "-j", "1").stdout)["files"][0]["issues"]
    keys = ("record_id", "message", "rule")
    assert sorted(tuple(i[k] for k in keys) for i in found) == sorted(
        tuple(i[k] for k in keys) for i in reported
    )


def test_file_reports_of_path_partitions_are_validates_json(tmp_path: Path) -> None:
    paths = [
        str(write_json(tmp_path / "a.jsonld", photo("https://example.org/p/1"))),
        str(write_json(tmp_path / "b.jsonld", photo("https://example.org/p/2", position="three"))),
        str(EXAMPLE_GALLERY),
        str(tmp_path / "missing.jsonld"),
    ]
    (tmp_path / "missing.jsonld").write_text("{", encoding="utf-8")
    entries = [entry for part in partitions(paths, [1, 2]) for entry in scale.file_reports(part)]
    reported = json.loads(run("validate", *paths, "--format", "json", "-j", "1").stdout)["files"]
    assert entries == reported
    assert [e["status"] for e in entries] == ["valid", "invalid", "valid", "unreadable"]


def test_records_from_paths(tmp_path: Path, gallery_records: list[dict[str, Any]]) -> None:
    lines = tmp_path / "g.jsonl"
    lines.write_text("".join(line + "\n" for line in scale.jsonl_lines(gallery_records)), encoding="utf-8")
    again = list(scale.records_from([lines, EXAMPLE_GALLERY]))
    assert len(again) == 2 * len(gallery_records)
    assert list(scale.ntriples_lines(again[: len(gallery_records)])) == list(
        scale.ntriples_lines(gallery_records)
    )


def test_the_one_process_example_of_scale_md_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import REPO

    text = (REPO / "docs" / "scale.md").read_text(encoding="utf-8")
    example = re.findall(r"```python\n(.*?)```", text, re.S)[0]
    monkeypatch.chdir(REPO)
    scope: dict[str, Any] = {}
    exec(compile(example, "docs/scale.md", "exec"), scope)
    single = warphoto.dumps(warphoto.read(EXAMPLE_GALLERY), "ntriples")
    assert isinstance(single, str)
    assert len(scope["lines"]) == len(single.splitlines()) == 606
    assert renumbered("".join(line + "\n" for line in scope["lines"])) == renumbered(single)


def test_model_objects_and_collections_are_records(example_gallery: dict[str, Any]) -> None:
    from warphoto.model import Photograph

    record = photo("https://example.org/p/1", caption={"en": "A"})
    obj = Photograph.from_dict(record)
    assert list(scale.ntriples_lines([obj])) == list(scale.ntriples_lines([obj.to_dict()]))
    assert list(scale.jsonl_lines([example_gallery])) == warphoto.dumps(example_gallery, "jsonl").splitlines()
    with pytest.raises(WriteError, match="pass record dicts or model objects"):
        list(scale.ntriples_lines(["not a record"]))


def test_ingested_records_are_ingests(tmp_path: Path) -> None:
    from tests.conftest import REFERENCE, need
    from warphoto.errors import ReadError

    folder = REFERENCE / "images" / "exiftool-test-images"
    need(folder.is_dir(), f"ExifTool's test images in {folder}")
    images = [folder / "IPTC.jpg", folder / "GPS.jpg"]
    result = run("ingest", *images, "-o", tmp_path / "one.jsonld", "-j", "1")
    assert result.returncode == 0, result.stderr
    expected = json.loads((tmp_path / "one.jsonld").read_text(encoding="utf-8"))["@graph"]
    records = [{k: v for k, v in r.items() if k != "@context"} for r in scale.ingested_records(images)]

    def untimed(value: Any) -> str:
        return re.sub(r'"\d{4}-\d\d-\d\dT[\d:]+Z"', '"T"', json.dumps(value))

    assert untimed(records) == untimed(expected)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not a JPEG")
    with pytest.raises(ReadError):
        list(scale.ingested_records([broken]))
