"""`--engine dask|spark` on convert and validate: the same triples and the same report as `-j 1`.

Each engine runs for real (a local Dask cluster of 2 workers, Spark ``local[2]``); a missing
engine fails in CI (WARPHOTO_REQUIRE_EXTERNAL=1). The commands run as subprocesses, so
pytest-socket does not stand between them and their local cluster.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE_GALLERY, need_module, need_tool
from tests.test_cli import photo, run, write_json
from tests.test_scale import renumbered
from warphoto import engines, scale
from warphoto.streaming import iter_read


def _benchmark_records() -> Any:
    """The benchmarks' seeded records module (``benchmarks/records.py``)."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "records.py"
    spec = importlib.util.spec_from_file_location("warphoto_benchmark_records", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ENGINE_ARGS = {"dask": ["--engine", "dask"], "spark": ["--engine", "spark", "--master", "local[2]"]}


def need_engine(engine: str) -> list[str]:
    if engine == "dask":
        need_module("dask.distributed")
    else:
        need_module("pyspark")
        need_tool("java")
    return ENGINE_ARGS[engine]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 standalone records as JSON Lines, each with its own @id."""
    path = tmp_path_factory.mktemp("engines") / "generated.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for index, record in enumerate(_benchmark_records().records(300, seed=17)):
            record["@id"] = f"https://example.org/archive/photo/{index}"
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def sorted_triples(text: str) -> list[str]:
    """The lines, anonymous blank nodes numbered by first appearance, sorted."""
    return sorted(renumbered(text).splitlines())


def convert(tmp_path: Path, source: Path, to: str, *extra: str) -> str:
    tag = re.sub(r"[^A-Za-z0-9]+", "-", "-".join(extra))
    target = tmp_path / f"{source.stem}.{tag}.{to}"
    result = run("convert", source, "--to", to, "-o", target, *extra)
    assert result.returncode == 0, result.stderr
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".parts")]  # parts removed
    return target.read_text(encoding="utf-8")


@pytest.mark.parametrize("engine", ["dask", "spark"])
def test_the_gallery_gives_the_triples_of_one_process(tmp_path: Path, engine: str) -> None:
    options = need_engine(engine)
    single = convert(tmp_path, EXAMPLE_GALLERY, "ntriples", "-j", "1")
    together = convert(tmp_path, EXAMPLE_GALLERY, "ntriples", *options)
    assert len(single.splitlines()) == 606
    assert sorted_triples(together) == sorted_triples(single)


@pytest.mark.parametrize("engine", ["dask", "spark"])
def test_json_lines_in_partitions_give_the_triples_of_one_process(
    tmp_path: Path, generated: Path, engine: str
) -> None:
    options = [*need_engine(engine), "--partitions", "3"]
    single = convert(tmp_path, generated, "ntriples", "-j", "1")
    together = convert(tmp_path, generated, "ntriples", *options)
    assert "_:wpb" in single  # anonymous nodes in every record: the partitions keep theirs apart
    assert sorted_triples(together) == sorted_triples(single)
    assert "_:wpb0p1 " in together and "_:wpb2p1 " in together  # three partitions ran


def test_dask_writes_json_lines_and_nquads_as_one_process(tmp_path: Path, generated: Path) -> None:
    options = [*need_engine("dask"), "--partitions", "4"]
    assert convert(tmp_path, generated, "jsonl", *options) == convert(tmp_path, generated, "jsonl", "-j", "1")
    quads = convert(tmp_path, generated, "nquads", *options)
    single = "".join(line + "\n" for line in scale.nquads_lines(iter_read(generated)))
    assert sorted_triples(quads) == sorted_triples(single)


_CLUSTER = """
import sys
from dask.distributed import LocalCluster

if __name__ == "__main__":
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()  # until the test closes it
"""


def test_dask_runs_on_an_existing_scheduler(tmp_path: Path, generated: Path) -> None:
    need_module("dask.distributed")
    script = tmp_path / "cluster.py"
    script.write_text(_CLUSTER, encoding="utf-8")
    cluster = subprocess.Popen(
        [sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert cluster.stdout is not None and cluster.stdin is not None
        address = cluster.stdout.readline().strip()
        assert address.startswith("tcp://127.0.0.1:"), address
        options = ["--engine", "dask", "--scheduler", address, "--partitions", "3"]
        together = convert(tmp_path, generated, "ntriples", *options)
    finally:
        if cluster.stdin is not None:
            cluster.stdin.close()
        cluster.wait(timeout=60)
    assert sorted_triples(together) == sorted_triples(convert(tmp_path, generated, "ntriples", "-j", "1"))


def test_an_unreachable_scheduler_is_an_error(tmp_path: Path, generated: Path) -> None:
    need_module("dask.distributed")
    result = run(
        "convert",
        generated,
        "--to",
        "ntriples",
        "-o",
        tmp_path / "out.nt",
        "--engine",
        "dask",
        "--scheduler",
        "tcp://127.0.0.1:9",
    )
    assert result.returncode == 2
    assert "the dask job at tcp://127.0.0.1:9 failed" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _inputs(tmp_path: Path, generated: Path) -> list[Path]:
    bad = write_json(tmp_path / "bad.jsonld", photo("https://example.org/p/1", position="three"))
    broken = tmp_path / "broken.jsonld"
    broken.write_text("{", encoding="utf-8")
    good = write_json(tmp_path / "good.jsonld", photo("https://example.org/p/2"))
    return [EXAMPLE_GALLERY, generated, bad, broken, good]


def _timeless(text: str) -> str:
    return re.sub(r'(time|timestamp)="[^"]*"', r'\1=""', text)


@pytest.mark.parametrize(
    ("engine", "formats"), [("dask", ["text", "json", "junit", "github"]), ("spark", ["json"])]
)
def test_validate_reports_as_one_process(
    tmp_path: Path, generated: Path, engine: str, formats: list[str]
) -> None:
    options = [*need_engine(engine), "--partitions", "2"]
    inputs = _inputs(tmp_path, generated)
    outputs: dict[str, str] = {}
    for report in formats:
        single = run("validate", *inputs, "--format", report, "-j", "1")
        spread = run("validate", *inputs, "--format", report, *options)
        assert single.returncode == spread.returncode == 2, spread.stderr  # one file is unreadable
        assert _timeless(spread.stdout) == _timeless(single.stdout)
        outputs[report] = spread.stdout
    statuses = [entry["status"] for entry in json.loads(outputs["json"])["files"]]
    assert statuses == ["valid", "valid", "invalid", "unreadable", "valid"]


def test_an_invalid_input_is_not_converted(tmp_path: Path, generated: Path) -> None:
    options = need_engine("dask")
    bad = write_json(tmp_path / "bad.jsonld", photo("https://example.org/p/1", position="three"))
    target = tmp_path / "out.nt"
    result = run("convert", generated, bad, "--to", "ntriples", "-o", target, *options)
    assert result.returncode == 1
    assert "bad.jsonld: not converted: 1 validation issue" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonld"]  # nothing written


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "turtle", "--engine", "dask"], "--engine writes one of ntriples, nquads, jsonl"),
        (["--to", "ntriples", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler goes with --engine"),
        (["--to", "ntriples", "--engine", "spark", "--scheduler", "x"], "goes with --engine dask"),
        (["--to", "ntriples", "--engine", "dask", "-j", "2"], "with --engine, use --partitions N"),
    ],
)
def test_refused_command_lines(tmp_path: Path, args: list[str], message: str) -> None:
    result = run("convert", EXAMPLE_GALLERY, "-o", tmp_path / "out.nt", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_engine_names_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import fails as if not installed
    with pytest.raises(engines.EngineError, match=r"pip install 'warphoto\[spark\]'"):
        engines.require("spark")


def test_json_lines_are_cut_at_line_ends(tmp_path: Path, generated: Path) -> None:
    other = write_json(tmp_path / "one.jsonld", photo("https://example.org/p/9"))
    parts = engines.split_inputs([str(generated), str(other)], 4, lambda path: path.endswith(".jsonl"))
    assert 2 <= len(parts) <= 4
    pieces = [piece for part in parts for piece in part]
    data = generated.read_bytes()
    lines = [piece for piece in pieces if piece.path == str(generated)]
    assert lines[0].start == 0 and lines[-1].end == len(data)
    for before, after in itertools.pairwise(lines):
        assert before.end == after.start and data[after.start - 1 : after.start] == b"\n"
    assert pieces[-1] == engines.Slice(str(other))  # not JSON Lines: whole


def test_a_partition_written_twice_is_the_same_part(tmp_path: Path, generated: Path) -> None:
    """A partition the engine retries (a lost worker) replaces its part: no duplicated lines."""
    part = engines.split_inputs([str(generated)], 3, lambda _: True)[1]
    first = engines.convert_partition(1, part, output="ntriples", folder=str(tmp_path))
    written = Path(engines.part_name(str(tmp_path), 1, "ntriples")).read_text(encoding="utf-8")
    again = engines.convert_partition(1, part, output="ntriples", folder=str(tmp_path))
    assert first == again == len(written.splitlines()) > 0
    assert Path(engines.part_name(str(tmp_path), 1, "ntriples")).read_text(encoding="utf-8") == written
    assert [p.name for p in tmp_path.iterdir()] == ["part-00001.nt"]


@pytest.mark.parametrize("engine", ["dask", "spark"])
def test_a_profile_is_honoured_in_every_partition(tmp_path: Path, engine: str) -> None:
    from tests.safety.secrets import Secrets, secret_collection
    from warphoto.model.graph import standalone_records

    options = [*need_engine(engine), "--partitions", "2"]
    lines = tmp_path / "secrets.jsonl"
    records = standalone_records(secret_collection())
    lines.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    unredacted = convert(tmp_path, lines, "ntriples", *options)
    redacted = convert(tmp_path, lines, "ntriples", *options, "--profile", "public")
    single = convert(tmp_path, lines, "ntriples", "-j", "1", "--profile", "public")
    kinds = Secrets().by_kind()
    tokens = [t for kind, values in kinds.items() if kind != "caption" for t in values]
    assert [t for t in tokens if t in unredacted]  # the corpus does leak without the profile
    assert [t for t in tokens if t in redacted] == []

    # the same triples as one process, but for the redaction step's time (one per run)
    def untimed(text: str) -> list[str]:
        return sorted_triples(
            re.sub(r'"[0-9T:.+-]+Z?"\^\^<http://www.w3.org/2001/XMLSchema#dateTime>', '"T"', text)
        )

    assert untimed(redacted) == untimed(single)


_KILLER = '''
"""A partition function whose first attempt at partition 1 writes its part, then kills its worker."""
import os

from warphoto import engines


def part(index, slices, *, folder, marker):
    lines = engines.convert_partition(index, slices, output="ntriples", folder=folder)
    if index == 1 and not os.path.exists(marker):
        with open(marker, "w") as handle:
            handle.write(str(os.getpid()))
        os._exit(1)  # the worker process dies: no exception, no result, its part already written
    return lines
'''

_JOB = """
import functools
import os
import sys

from warphoto import engines

import killer

if __name__ == "__main__":
    engine, address, source, folder, marker = sys.argv[1:]
    slices = engines.split_inputs([source], 3, lambda _: True)
    func = functools.partial(killer.part, folder=folder, marker=marker)
    with engines.session(engine, address=address or None, workers=2) as job:
        counts = job.map(func, slices)
    print(os.getpid(), counts, flush=True)
"""


@pytest.mark.parametrize(("engine", "address"), [("dask", ""), ("spark", "")])
def test_a_killed_workers_partition_is_retried_without_duplicates(
    tmp_path: Path, generated: Path, engine: str, address: str
) -> None:
    """Partition 1's first attempt writes its part and kills its worker process (``os._exit``);
    the engine runs it again (Dask: the nanny restarts the worker, the scheduler reschedules;
    Spark: the default master ``local[*,4]`` allows 4 attempts a task; plain ``local[2]`` fails)
    and the joined parts are the undisturbed run."""
    need_engine(engine)
    (tmp_path / "killer.py").write_text(_KILLER, encoding="utf-8")
    (tmp_path / "job.py").write_text(_JOB, encoding="utf-8")
    folder, marker = tmp_path / "parts", tmp_path / "killed"
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    result = subprocess.run(
        [sys.executable, str(tmp_path / "job.py"), engine, address, str(generated), str(folder), str(marker)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    driver = result.stdout.split()[0]
    assert marker.read_text(encoding="utf-8") not in ("", driver)  # a worker process was killed
    parts = sorted(folder.iterdir())
    assert [p.name for p in parts] == [f"part-0000{i}.nt" for i in range(3)]
    joined = "".join(p.read_text(encoding="utf-8") for p in parts)
    undisturbed = tmp_path / "undisturbed"
    undisturbed.mkdir()
    for index, part in enumerate(engines.split_inputs([str(generated)], 3, lambda _: True)):
        engines.convert_partition(index, part, output="ntriples", folder=str(undisturbed))
    expected = "".join(p.read_text(encoding="utf-8") for p in sorted(undisturbed.iterdir()))
    assert joined == expected
    for written in parts:  # each part once, as written undisturbed: no line twice
        assert written.read_bytes() == (undisturbed / written.name).read_bytes()


def test_the_slices_records_are_the_files(generated: Path) -> None:
    """A byte range is read a line at a time (never whole): together, the slices give every record once."""
    parts = engines.split_inputs([str(generated)], 7, lambda _: True)
    records = [r for part in parts for piece in part for r in engines._slice_records(piece, None)]
    assert len(parts) == 7
    assert records == list(iter_read(generated))
