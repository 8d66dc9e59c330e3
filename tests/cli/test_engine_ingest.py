"""`warphoto ingest --engine dask|spark`: the collection of `-j 1`, but for each record's ingest time.

The images are ExifTool's test set in ``../shared/reference/images`` (read there, never copied):
47 images, two of which share an XMP document id, so the second gets an id of its own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import REFERENCE, need
from tests.test_cli import run
from tests.test_engines import need_engine
from warphoto.cli import engine_ingest

IMAGES = REFERENCE / "images" / "exiftool-test-images"
#: the provenance step's time: when each image was ingested, per run
_TIME = re.compile(r'"@value": "\d{4}-\d\d-\d\dT[\d:]+Z"')


def images() -> Path:
    need(IMAGES.is_dir(), f"ExifTool's test images in {IMAGES}")
    return IMAGES


def untimed(path: Path) -> str:
    return _TIME.sub('"@value": "T"', path.read_text(encoding="utf-8"))


def ingested(tmp_path: Path, name: str, *options: str) -> tuple[Path, str, str]:
    """The collection written, the JSON report and stderr of one run that succeeded."""
    target = tmp_path / name
    result = run("ingest", images(), "-o", target, "--format", "json", *options)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".parts")] == []  # parts removed
    return target, result.stdout, re.sub(r"(?m)^(?!warphoto: ).*\n", "", result.stderr)


@pytest.mark.parametrize("engine", ["dask", "spark"])
def test_the_collection_of_one_process(tmp_path: Path, engine: str) -> None:
    options = [*need_engine(engine), "--partitions", "3"]
    single, single_report, single_said = ingested(tmp_path, "single.jsonld", "-j", "1")
    spread, spread_report, spread_said = ingested(tmp_path, "spread.jsonld", *options)
    assert untimed(spread) == untimed(single)
    assert spread_report == single_report
    assert spread_said == single_said  # the notes, and the repeated id given one of its own
    assert "it gets an id of its own" in spread_said
    records = json.loads(spread.read_text(encoding="utf-8"))["@graph"]
    assert len(records) == len({r["@id"] for r in records}) == 47


def test_an_unreadable_image_writes_nothing(tmp_path: Path) -> None:
    options = need_engine("dask")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not a JPEG")
    target = tmp_path / "out.jsonld"
    single = run("ingest", images(), broken, "-o", target, "--format", "json", "-j", "1")
    spread = run("ingest", images(), broken, "-o", target, "--format", "json", *options, "--partitions", "2")
    assert single.returncode == spread.returncode == 2, spread.stderr
    assert spread.stdout == single.stdout
    assert "nothing written: 1 file could not be ingested" in spread.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.jpg"]  # no output, no parts


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "dask", "--out-dir", "records"], "--engine writes one collection: give -o FILE"),
        (["--engine", "dask", "-o", "out.jsonld", "-j", "2"], "with --engine, use --partitions N"),
        (["-o", "out.jsonld", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler goes with --engine"),
        (["-o", "out.jsonld", "--partitions", "2"], "--partitions goes with --engine"),
        (
            ["-o", "out.jsonld", "--engine", "dask", "--master", "local[2]"],
            "--master goes with --engine spark",
        ),
        (
            ["-o", "out.jsonld", "--engine", "spark", "--scheduler", "x"],
            "--scheduler goes with --engine dask",
        ),
    ],
)
def test_refused_command_lines(tmp_path: Path, args: list[str], message: str) -> None:
    result = run("ingest", images(), *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_existing_output_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonld"
    target.write_text("mine\n", encoding="utf-8")
    result = run("ingest", images(), "-o", target, "--engine", "dask")
    assert result.returncode == 2
    assert "exists; refusing to overwrite" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonld"]


def test_a_partition_ingested_twice_is_the_same_part(tmp_path: Path) -> None:
    """A partition the engine retries (a lost worker) replaces its part: no duplicated records."""
    paths = [str(p) for p in sorted(images().glob("*.jpg"))[:4]]
    first = engine_ingest.ingest_partition(2, paths, folder=str(tmp_path))
    part = Path(engine_ingest.part_path(str(tmp_path), 2))
    written = part.read_text(encoding="utf-8")
    again = engine_ingest.ingest_partition(2, paths, folder=str(tmp_path))
    assert [s.record_id for s in first] == [s.record_id for s in again]
    assert len(written.splitlines()) == len(part.read_text(encoding="utf-8").splitlines()) == 4
    assert [p.name for p in tmp_path.iterdir()] == ["part-00002.jsonl"]
