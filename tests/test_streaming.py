"""Streaming: N-Triples, RDF/XML and JSON Lines from an iterator, JSON Lines read lazily."""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from rdflib import Graph
from rdflib.compare import isomorphic

import warphoto
from tests.strategies import photograph_lists
from warphoto import ReadError, canonical
from warphoto._resources import CONTEXT_IRI
from warphoto.streaming import iter_read, write_stream


def _photo(n: int) -> dict[str, Any]:
    return {
        "@context": CONTEXT_IRI,
        "@id": f"https://example.org/photo/{n}",
        "@type": ["ImageObject", "Photograph"],
        "caption": {"en": f"Photograph {n}", "uk": f"Фотографія {n}"},
        "dateCreated": {"@value": "2022-09", "@type": "xsd:gYearMonth"},
        "creator": [{"@id": "_:maloletka", "@type": "Person", "name": {"en": "Evgeniy Maloletka"}}],
        "contentLocation": [
            {"@type": "City", "name": {"en": "Izium"}, "geo": {"latitude": 49.2, "longitude": 37.25}}
        ],
    }


@given(photograph_lists(min_size=1, max_size=4))
def test_jsonl_round_trip(records: list[dict[str, Any]]) -> None:
    buffer = io.BytesIO()
    assert write_stream(iter(records), buffer, "jsonl") == len(records)
    lines = buffer.getvalue().decode("utf-8").splitlines()
    assert len(lines) == len(records)
    assert all(json.loads(line)["@context"] == CONTEXT_IRI for line in lines)
    buffer.seek(0)
    assert list(iter_read(buffer, "jsonl")) == records


@given(photograph_lists(min_size=1, max_size=3))
def test_ntriples_stream_equals_the_whole_document(records: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    write_stream(iter(records), buffer, "ntriples")
    whole = str(warphoto.dumps(records, "ntriples"))
    assert isomorphic(
        Graph().parse(data=buffer.getvalue(), format="nt"), Graph().parse(data=whole, format="nt")
    )


@given(photograph_lists(min_size=1, max_size=3))
def test_rdfxml_stream_equals_the_whole_document(records: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    write_stream(iter(records), buffer, "rdfxml")
    whole = str(warphoto.dumps(records, "rdfxml"))
    assert isomorphic(
        Graph().parse(data=buffer.getvalue(), format="xml"), Graph().parse(data=whole, format="xml")
    )


def test_rdfxml_stream_to_a_path_reads_back(tmp_path: Path) -> None:
    records = [_photo(n) for n in range(5)]
    target = tmp_path / "photos.rdf"
    write_stream(records, target)
    assert canonical(warphoto.read(target)) == canonical(warphoto.collect(records))


def test_write_stream_to_paths_is_atomic_and_round_trips(tmp_path: Path) -> None:
    records = [_photo(n) for n in range(5)]
    target = tmp_path / "photos.jsonl"
    assert write_stream(records, target) == 5
    assert [p.name for p in tmp_path.iterdir()] == ["photos.jsonl"]
    assert list(iter_read(target)) == records
    nt = tmp_path / "photos.nt"
    write_stream(records, nt)
    back = warphoto.read(nt)
    assert len(back["@graph"]) == 5 + 1  # the shared photographer once, at the top
    assert canonical(back) == canonical(warphoto.collect(records))


def test_failed_stream_leaves_no_file(tmp_path: Path) -> None:
    def broken() -> Iterator[dict[str, Any]]:
        yield _photo(1)
        raise RuntimeError("source failed")

    target = tmp_path / "out.nt"
    with pytest.raises(RuntimeError):
        write_stream(broken(), target)
    assert list(tmp_path.iterdir()) == []


def test_writing_consumes_the_iterator_lazily() -> None:
    pulled = 0

    def source() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        for n in itertools.count():
            pulled += 1
            yield _photo(n)

    class Stop(Exception):
        pass

    class Sink(io.StringIO):
        def write(self, text: str) -> int:
            if pulled >= 300:
                raise Stop
            return super().write(text)

    with pytest.raises(Stop):
        write_stream(source(), Sink(), "jsonl")
    assert pulled < 1000


def test_iter_read_is_lazy_and_reports_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(_photo(1)) + "\n\n" + json.dumps(_photo(2)) + "\n{broken\n", encoding="utf-8")
    reader = iter_read(path)
    assert next(reader)["@id"].endswith("/1")
    assert next(reader)["@id"].endswith("/2")
    with pytest.raises(ReadError) as info:
        next(reader)
    assert info.value.line == 4


def test_iter_read_other_formats(tmp_path: Path) -> None:
    records = [_photo(n) for n in range(3)]
    path = tmp_path / "x.ttl"
    warphoto.write(records, path)
    ids = sorted(r.get("@id", "") for r in iter_read(path))
    assert [i for i in ids if "photo" in i] == [f"https://example.org/photo/{n}" for n in range(3)]


def test_model_objects_and_unknown_formats(tmp_path: Path) -> None:
    with pytest.raises(warphoto.FormatError):
        write_stream([_photo(1)], io.StringIO(), "schemaorg")
    with pytest.raises(warphoto.WriteError):
        write_stream([42], io.StringIO(), "jsonl")  # type: ignore[list-item]


def test_jsonl_via_dumps_and_loads() -> None:
    records = [_photo(n) for n in range(3)]
    text = warphoto.dumps(records, "jsonl")
    back = warphoto.loads(text, "jsonl")
    assert canonical(back) == canonical(
        warphoto.dumps
        and {
            "@context": CONTEXT_IRI,
            "@graph": [{k: v for k, v in r.items() if k != "@context"} for r in records],
        }
    )
    one = warphoto.loads(warphoto.dumps(records[0], "jsonl"), "jsonl")
    assert one == records[0]


def test_streamed_files_get_the_usual_mode(tmp_path: Path) -> None:
    import os
    import stat

    umask = os.umask(0o022)
    try:
        target = tmp_path / "photos.nt"
        write_stream([_photo(1)], target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    finally:
        os.umask(umask)


@pytest.mark.parametrize("count", [0, 1, 2, 5])
def test_record_writers_write_what_dumps_writes(count: int) -> None:
    from warphoto.streaming import RECORD_FORMATS, record_writer

    records = [_photo(n) for n in range(count)]
    document = records[0] if count == 1 else warphoto.io.as_document(records)
    for name in RECORD_FORMATS:
        writer = record_writer(name)
        text = writer.header + "".join(writer.write(r) for r in records) + writer.end()
        whole = warphoto.dumps(document, name)
        if name == "rdfxml":  # a blank node shared by records is described in each block
            assert isomorphic(Graph().parse(data=text, format="xml"), Graph().parse(data=whole, format="xml"))
        else:
            assert text == whole, name
