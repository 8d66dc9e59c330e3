"""Dask and Spark as engines: split the inputs into partitions, map a function over them, gather.

* :func:`split_inputs`: the partitions of a list of inputs; a JSON Lines file is cut at line
  ends into byte ranges (:class:`Slice`), any other file is one slice.
* :func:`session` / :func:`run_partitions`: ``func(index, partition)`` for every partition, on a Dask cluster
  (a local one by default, or the scheduler at ``address``) or a Spark master (``local[*,4]``
  by default: every core, a failed task tried up to 4 times), the results in partition order.
* :func:`convert_partition`: what one convert task does: the records of its slices through a
  :mod:`warphoto.scale` writer, streamed atomically into one part file (:func:`write_lines`).

Dask (``warphoto[dask]``) and PySpark (``warphoto[spark]``, which needs Java) are optional;
without them :class:`EngineError` names the extra to install. See docs/scale.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from warphoto import scale, streaming
from warphoto._atomic import AtomicStream
from warphoto._lines import read_records
from warphoto.errors import WarphotoError

if TYPE_CHECKING:
    from warphoto.safety import Profile

__all__ = [
    "ENGINES",
    "LOCAL_SPARK",
    "OUTPUTS",
    "EngineError",
    "Session",
    "Slice",
    "convert_partition",
    "part_name",
    "run_partitions",
    "session",
    "split_inputs",
    "write_lines",
]

T = TypeVar("T")
R = TypeVar("R")

ENGINES = ("dask", "spark")
#: the formats an engine writes a partition at a time: name -> (extension, scale function)
OUTPUTS: dict[str, tuple[str, Callable[..., Iterator[str]]]] = {
    "ntriples": (".nt", scale.ntriples_lines),
    "nquads": (".nq", scale.nquads_lines),
    "jsonl": (".jsonl", scale.jsonl_lines),
}
#: Spark's default master: every core, and a task tried up to 4 times (a lost Python worker is
#: retried, as ``spark.task.maxFailures`` does on a cluster; plain ``local[*]`` fails at once)
LOCAL_SPARK = "local[*,4]"
_EXTRA = {"dask": ("dask.distributed", "Dask"), "spark": ("pyspark", "PySpark")}


class EngineError(WarphotoError):
    """An engine is not installed, cannot be reached, or its job failed."""


@dataclass(frozen=True)
class Slice:
    """One piece of input: a whole file (``end`` None) or the bytes ``start:end`` of a JSON Lines file."""

    path: str
    start: int = 0
    end: int | None = None

    @property
    def size(self) -> int:
        if self.end is None:
            return os.path.getsize(self.path)
        return self.end - self.start


def _cuts(path: str, step: int) -> list[Slice]:
    """A JSON Lines file as slices of about ``step`` bytes, each ending at a line end."""
    size = os.path.getsize(path)
    slices: list[Slice] = []
    start = 0
    with open(path, "rb") as handle:
        while start < size:
            handle.seek(min(start + step, size))
            handle.readline()  # to the end of the line the cut falls in
            end = min(handle.tell(), size)
            slices.append(Slice(path, start, end))
            start = end
    return slices or [Slice(path, 0, 0)]


def split_inputs(paths: Sequence[str], partitions: int, lines: Callable[[str], bool]) -> list[list[Slice]]:
    """At most ``partitions`` partitions of about equal bytes, in input order.

    ``lines(path)`` says whether a file is JSON Lines, to be cut at line ends; other files stay whole.
    """
    total = sum(os.path.getsize(path) for path in paths)
    step = max(1, -(-total // max(1, partitions)))
    pieces: list[Slice] = []
    for path in paths:
        pieces += _cuts(path, step) if lines(path) else [Slice(path)]
    groups: list[list[Slice]] = []
    filled = step  # start a new partition at once
    for piece in pieces:
        if filled >= step and len(groups) < partitions:
            groups.append([])
            filled = 0
        groups[-1].append(piece)
        filled += piece.size
    return groups


class _Window(io.RawIOBase):
    """The bytes ``start:end`` of a file, read as a file of their own (not held in memory)."""

    def __init__(self, path: str, start: int, end: int) -> None:
        super().__init__()
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 (closed with the window)
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        count = self._file.readinto(memoryview(buffer)[: self._left]) or 0
        self._left -= count
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def _slice_records(piece: Slice, input_format: str | None) -> Iterator[dict[str, Any]]:
    """The records of one slice, a line at a time (a byte range is streamed, never read whole)."""
    if piece.end is None:
        yield from streaming.iter_read(piece.path, input_format)
        return
    with io.BufferedReader(_Window(piece.path, piece.start, piece.end), 1 << 20) as handle:
        for _line, record in read_records(handle, source=piece.path):
            yield record


def part_name(folder: str, index: int, output: str) -> str:
    """The part file of partition ``index``: ``part-00003.nt``."""
    return os.path.join(folder, f"part-{index:05d}{OUTPUTS[output][0]}")


def convert_partition(
    index: int,
    partition: Sequence[Slice],
    *,
    output: str,
    folder: str,
    input_format: str | None = None,
    profile: Profile | None = None,
    redacted_at: dt.datetime | None = None,
) -> int:
    """Write one partition's records as ``output`` to its part file, atomically; the number of lines.

    With a safety ``profile`` each record is redacted (its redaction step dated ``redacted_at``,
    one time for the whole job) before the writer sees it. A partition run again (a lost
    worker) writes the same part again: no duplicates.
    """
    records: Iterator[dict[str, Any]] = (
        record for piece in partition for record in _slice_records(piece, input_format)
    )
    if profile is not None:
        from warphoto.safety import redact

        records = (redact(record, profile, now=redacted_at) for record in records)
    func = OUTPUTS[output][1]
    lines = func(records) if output == "jsonl" else func(records, partition=index)
    return write_lines(part_name(folder, index, output), lines)


def write_lines(path: str, lines: Iterable[str]) -> int:
    """``lines`` (without line ends) as the file ``path``, streamed, atomically; how many.

    The file appears whole at its name or not at all, replacing an earlier one (a retried task's).
    """
    count = 0
    with AtomicStream(path) as sink:
        for line in lines:
            sink.write((line + "\n").encode("utf-8"))
            count += 1
        sink.commit()
    return count


def require(engine: str) -> None:
    """An EngineError naming the extra when ``engine``'s package cannot be imported."""
    module, label = _EXTRA[engine]
    try:
        __import__(module)
    except ImportError as error:
        raise EngineError(
            f"--engine {engine} needs {label}, which is not installed ({error}): "
            f"pip install 'warphoto[{engine}]'"
        ) from None


class Session:
    """One engine's cluster (or context), open for several jobs: :meth:`map` runs one."""

    def __init__(self, engine: str, address: str | None, workers: int) -> None:
        self.engine = engine
        self.address = address
        self.workers = workers
        self._client: Any = None
        self._cluster: Any = None
        self._context: Any = None

    def open(self) -> None:
        if self.engine == "dask":
            from dask.distributed import Client, LocalCluster

            if self.address is not None:
                self._client = Client(self.address, timeout="10s")  # type: ignore[no-untyped-call]
                return
            self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=self.workers,
                threads_per_worker=1,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,
            )
            self._client = Client(self._cluster)  # type: ignore[no-untyped-call]
            return
        from pyspark import SparkConf, SparkContext

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        conf = (
            SparkConf()
            .setMaster(self.address or LOCAL_SPARK)
            .setAppName("warphoto")
            .set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false")
        )
        self._context = SparkContext(conf=conf)
        self._context.setLogLevel("ERROR")

    def close(self) -> None:
        for thing, how in ((self._client, "close"), (self._cluster, "close"), (self._context, "stop")):
            if thing is not None:
                with contextlib.suppress(Exception):
                    getattr(thing, how)()
        self._client = self._cluster = self._context = None

    def map(self, func: Callable[[int, T], R], parts: Sequence[T]) -> list[R]:
        """``func(index, part)`` for each partition, in order (an EngineError when the job fails)."""
        if not parts:
            return []
        try:
            if self._client is not None:
                futures = self._client.map(func, range(len(parts)), parts, pure=False)
                return list(self._client.gather(futures))
            pairs = list(enumerate(parts))
            return list(self._context.parallelize(pairs, len(pairs)).map(_Indexed(func)).collect())
        except WarphotoError:
            raise
        except Exception as error:  # the engine's own errors: a task that kept failing, a lost cluster
            raise self._failed(error) from error

    def _failed(self, error: Exception) -> EngineError:
        where = f" at {self.address}" if self.address else ""
        return EngineError(f"the {self.engine} job{where} failed: {type(error).__name__}: {error}")


class _Indexed:
    """``func(index, partition)`` for Spark's ``map`` over ``(index, partition)`` pairs (picklable)."""

    def __init__(self, func: Callable[[int, Any], Any]) -> None:
        self.func = func

    def __call__(self, pair: tuple[int, Any]) -> Any:
        return self.func(*pair)


@contextlib.contextmanager
def session(engine: str, *, address: str | None = None, workers: int = 2) -> Iterator[Session]:
    """An open :class:`Session` of ``engine``: Dask's scheduler at ``address`` (default: a local
    cluster of ``workers`` processes) or Spark's master URL (default ``local[*,4]``); closed on exit."""
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    require(engine)
    opened = Session(engine, address, workers)
    try:
        opened.open()
    except Exception as error:  # unreachable scheduler, no Java, a bad master URL
        opened.close()
        raise opened._failed(error) from error
    try:
        yield opened
    finally:
        opened.close()


def run_partitions(
    engine: str,
    func: Callable[[int, T], R],
    parts: Sequence[T],
    *,
    address: str | None = None,
    workers: int = 2,
) -> list[R]:
    """``func(index, part)`` for each partition on ``engine`` (a session of its own), in order.

    ``func`` must be picklable (a module-level function or a ``functools.partial`` of one):
    it runs in the engine's workers.
    """
    with session(engine, address=address, workers=workers) as opened:
        return opened.map(func, parts)
