"""Work over many files in worker processes, in input order, with errors carried as results.

``map_files(func, paths, jobs=N)`` calls ``func(path)`` for every path and yields one
:class:`Outcome` per path, in the order of ``paths``, as soon as it (and every path before
it) is done. An exception in ``func`` does not stop the run: it comes back as the outcome's
``failure`` (a plain, picklable :class:`Failure`), so the caller can report every bad file
at the end.

``func`` must be picklable (a module-level function, or a ``functools.partial`` of one).
With ``jobs=1``, or fewer paths than make worker processes worth starting, the work runs
in this process.

Interrupting the run (Ctrl-C, or SIGTERM when the caller turns it into an exception)
cancels the pending work and stops the workers: a worker stopped in the middle of a write
made with :func:`warphoto._atomic.atomic_write_bytes` removes its temporary file, so no
half-written file is left behind. The interruption then propagates to the caller.
"""

from __future__ import annotations

import contextlib
import os
import signal
import traceback
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Generic, TypeVar

from warphoto.errors import WarphotoError

if TYPE_CHECKING:  # worker processes load them only when a run has workers
    import multiprocessing.context
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["Failure", "Outcome", "default_jobs", "map_files"]

T = TypeVar("T")

#: below this many paths, work runs in this process: starting workers costs more than it saves
MIN_PATHS_FOR_WORKERS = 16


@dataclass(frozen=True, slots=True)
class Failure:
    """An exception raised by the work function, reduced to what can cross a process boundary."""

    kind: str
    message: str
    #: True for the errors warphoto expects (its own errors and OS errors such as a missing file)
    expected: bool
    traceback: str = ""

    @classmethod
    def from_exception(cls, error: BaseException) -> Failure:
        expected = isinstance(error, (WarphotoError, OSError))
        message = str(error)
        if isinstance(error, OSError) and error.filename is not None and error.strerror:
            message = f"{error.filename}: {error.strerror}"
        return cls(
            kind=type(error).__name__,
            message=message or type(error).__name__,
            expected=expected,
            traceback="".join(traceback.format_exception(error)),
        )


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """The result of the work on one path: ``value`` when it worked, ``failure`` when not."""

    path: str
    value: T | None = None
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------- worker side


class _Stop(BaseException):
    """Raised in a busy worker by SIGTERM, to unwind (and clean up) before it exits."""


_busy = False


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    # once is enough: a second SIGTERM (the pool stops its workers too) must not cut the cleanup short
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if _busy:
        raise _Stop
    os._exit(128 + signum)


def _init_worker() -> None:
    # Ctrl-C reaches the whole process group; the parent alone decides what to do with it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)


def _call(func: Callable[[str], T], path: str) -> Outcome[T]:
    global _busy
    _busy = True
    try:
        return Outcome(path, value=func(path))
    except _Stop:
        # the work unwound (an atomic write removed its temporary file); leave now
        os._exit(128 + signal.SIGTERM)
    except Exception as error:
        return Outcome(path, failure=Failure.from_exception(error))
    finally:
        _busy = False


def _call_chunk(func: Callable[[str], T], paths: list[str]) -> list[Outcome[T]]:
    try:
        return [_call(func, path) for path in paths]
    except _Stop:
        # SIGTERM landed between _call's own handlers (in its finally, say): leave all the same,
        # or the pool would catch _Stop, keep this worker, and wait for it forever
        os._exit(128 + signal.SIGTERM)


# --------------------------------------------------------------------------- parent side


def _run_here(func: Callable[[str], T], paths: list[str]) -> Iterator[Outcome[T]]:
    for path in paths:
        try:
            value = func(path)
        except Exception as error:
            yield Outcome(path, failure=Failure.from_exception(error))
        else:
            yield Outcome(path, value=value)


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """Cancel what has not started, and stop the workers (they clean up their writes)."""
    # ProcessPoolExecutor has no public way to stop running work; its processes are in _processes
    processes = dict(getattr(executor, "_processes", None) or {})
    for process in processes.values():
        with contextlib.suppress(Exception):
            process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)
    for process in processes.values():
        with contextlib.suppress(Exception):
            process.join(timeout=5)


def _context() -> multiprocessing.context.BaseContext:
    """Workers start from a clean server process, never by forking a caller that may hold locks in threads.

    A plain fork copies the caller's locks in whatever state its other threads left them,
    and a worker can then wait forever (seen in the test suite); forkserver avoids that.
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def map_files(
    func: Callable[[str], T],
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    chunksize: int | None = None,
) -> Generator[Outcome[T], None, None]:
    """Call ``func(path)`` for every path in ``jobs`` worker processes; yield outcomes in input order.

    ``jobs`` defaults to the number of cores; ``chunksize`` (paths sent to a worker at once)
    defaults to a size that keeps every worker busy while keeping the order of results smooth.
    """
    items = [os.fspath(p) for p in paths]
    workers = default_jobs() if jobs is None else jobs
    if workers < 1:
        raise ValueError(f"jobs must be at least 1, not {workers}")
    workers = min(workers, len(items))
    if workers <= 1 or len(items) < MIN_PATHS_FOR_WORKERS:
        yield from _run_here(func, items)
        return
    size = chunksize if chunksize is not None else max(1, min(64, len(items) // (workers * 8)))
    if size < 1:
        raise ValueError(f"chunksize must be at least 1, not {size}")
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    from concurrent.futures import ProcessPoolExecutor

    executor = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, mp_context=_context())
    try:
        futures = [executor.submit(_call_chunk, func, chunk) for chunk in chunks]
        for future in futures:
            yield from future.result()
    except BaseException:
        # Ctrl-C, SIGTERM turned into an exception, the consumer closing the generator, or a broken pool
        _stop_workers(executor)
        raise
    executor.shutdown(wait=True)
