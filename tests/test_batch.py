"""warphoto.batch.map_files: order, errors as results, worker processes."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from warphoto import batch
from warphoto.batch import Failure, Outcome, default_jobs, map_files
from warphoto.errors import ReadError


def _length(path: str) -> int:
    """A picklable work function: the file's size; raises for some names."""
    name = os.path.basename(path)
    if name.startswith("bad-read"):
        raise ReadError("cannot read this one", source=path, line=3, column=4)
    if name.startswith("bad-bug"):
        raise ValueError("a bug in the work function")
    return os.path.getsize(path)


def _pid(path: str) -> int:
    return os.getpid()


def _scaled(path: str, factor: int) -> int:
    return len(path) * factor


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    paths = []
    for index in range(60):
        name = "bad-read" if index == 7 else "bad-bug" if index == 40 else "ok"
        path = tmp_path / f"{name}-{index:03}.txt"
        path.write_text("x" * index)
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("jobs", [1, 2])
def test_order_kept_and_errors_carried(files: list[str], jobs: int) -> None:
    outcomes = list(map_files(_length, files, jobs=jobs, chunksize=3))
    assert [o.path for o in outcomes] == files
    for index, outcome in enumerate(outcomes):
        if index == 7:
            assert outcome.failure is not None and not outcome.ok
            assert outcome.failure.kind == "ReadError" and outcome.failure.expected
            assert "cannot read this one" in outcome.failure.message
        elif index == 40:
            assert outcome.failure is not None
            assert outcome.failure.kind == "ValueError" and not outcome.failure.expected
            assert "Traceback" in outcome.failure.traceback
        else:
            assert outcome.ok and outcome.value == index


def test_same_results_with_one_or_two_workers(files: list[str]) -> None:
    one = list(map_files(_length, files, jobs=1))
    two = list(map_files(_length, files, jobs=2))

    def strip(outcomes: list[Outcome[int]]) -> list[tuple[str, int | None, str | None]]:
        return [(o.path, o.value, o.failure.message if o.failure else None) for o in outcomes]

    assert strip(one) == strip(two)


def test_workers_are_other_processes(files: list[str]) -> None:
    pids = {o.value for o in map_files(_pid, files, jobs=2, chunksize=1)}
    assert os.getpid() not in pids


def test_few_paths_run_here(files: list[str]) -> None:
    few = files[: batch.MIN_PATHS_FOR_WORKERS - 1]
    assert {o.value for o in map_files(_pid, few, jobs=2)} == {os.getpid()}
    assert {o.value for o in map_files(_pid, files, jobs=1)} == {os.getpid()}


def test_partial_functions_and_path_objects(tmp_path: Path) -> None:
    paths = [tmp_path / f"{i}.txt" for i in range(20)]
    outcomes = list(map_files(functools.partial(_scaled, factor=2), paths, jobs=2))
    assert [o.value for o in outcomes] == [len(str(p)) * 2 for p in paths]


def test_empty_input() -> None:
    assert list(map_files(_length, [], jobs=2)) == []


def test_bad_arguments(files: list[str]) -> None:
    with pytest.raises(ValueError):
        list(map_files(_length, files, jobs=0))
    with pytest.raises(ValueError):
        list(map_files(_length, files, jobs=2, chunksize=0))


def test_closing_early_stops_the_workers(files: list[str]) -> None:
    results = map_files(_length, files, jobs=2, chunksize=1)
    assert next(results).path == files[0]
    results.close()  # must not hang, must not leave workers behind


def test_failure_from_os_error() -> None:
    failure = Failure.from_exception(FileNotFoundError(2, "No such file or directory", "x.jsonld"))
    assert failure.expected
    assert failure.message == "x.jsonld: No such file or directory"


def test_default_jobs_is_positive() -> None:
    assert default_jobs() >= 1


_STOP_OUTSIDE_CALL = """
from warphoto import batch

def stopped(func, path):
    raise batch._Stop  # as if SIGTERM landed in _call's finally, outside its handlers

batch._call = stopped
batch._call_chunk(len, ["a", "b"])
print("the worker went on")
"""


def test_a_stop_outside_the_call_still_ends_the_worker() -> None:
    # a worker that let _Stop reach the pool was kept, with SIGTERM ignored: the pool's
    # shutdown then waited for it forever (seen once in the test suite)
    done = subprocess.run(
        [sys.executable, "-c", _STOP_OUTSIDE_CALL], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "went on" not in done.stdout
