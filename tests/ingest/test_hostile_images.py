"""Hostile images (tests/ingest/hostile_images.py) end in a ReadError naming the byte offset,
quickly and within bounded memory, touching no other file and no network: read in the watched
reader process of tests/hostile.py (from the file, and from bytes), as the hostile corpus is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from warphoto.errors import ReadError
from warphoto.imagefile import read_metadata_bytes

from ..hostile import IngestReaderProcess, Outcome
from ..test_hostile_input import MEMORY_BOUND_MB, TIME_BOUND
from .hostile_images import HostileImage, hostile_images

CASES = hostile_images()


@pytest.fixture(scope="module")
def reader() -> Iterator[IngestReaderProcess]:
    process = IngestReaderProcess()
    yield process
    process.close()


def _check(outcome: Outcome, case: HostileImage, path: Path) -> None:
    label = f"{case.name} ({case.what})"
    assert not outcome.timed_out, f"{label}: the reader hung"
    assert outcome.error == "ReadError", f"{label}: {outcome.error}: {outcome.message}"
    assert str(path) in outcome.message, f"{label}: the message does not name the file: {outcome.message}"
    assert "byte offset" in outcome.message, f"{label}: no offset: {outcome.message}"
    assert re.search(case.problem, outcome.message), f"{label}: {outcome.message}"
    assert outcome.seconds <= TIME_BOUND, f"{label}: took {outcome.seconds:.2f} s"
    assert outcome.peak_mb <= MEMORY_BOUND_MB, f"{label}: peak memory grew {outcome.peak_mb:.0f} MB"
    assert outcome.opens == [] and outcome.events == [], f"{label}: {outcome.opens} {outcome.events}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("how", ["read", "loads"])
def test_hostile_image_ends_in_a_read_error_with_its_offset(
    case: HostileImage, how: str, reader: IngestReaderProcess, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.getbasetemp() / "hostile-images" / case.name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(case.data)
    _check(reader.read(path, "ingest", how=how), case, path)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_offset_lies_inside_the_file_or_names_the_field_that_lies(case: HostileImage) -> None:
    with pytest.raises(ReadError) as caught:
        read_metadata_bytes(case.data, source=case.name)
    assert caught.value.offset is not None
    assert 0 <= caught.value.offset <= len(case.data) or "past the end" in caught.value.message


def test_the_hostile_images_are_many_and_distinct() -> None:
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)
    assert len({c.data for c in CASES}) == len(CASES)
