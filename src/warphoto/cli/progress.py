"""Progress on stderr, and running one function over many files with it."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from warphoto.batch import Outcome, map_files
from warphoto.cli._common import err, plural

T = TypeVar("T")


class Progress:
    """A one-line progress bar on stderr: counts, percent and rate; only on a terminal, never in CI."""

    def __init__(self, total: int, label: str, *, enabled: bool | None = None) -> None:
        if enabled is None:
            enabled = sys.stderr.isatty() and not os.environ.get("CI")
        self.enabled = enabled and total > 1
        self.total = total
        self.label = label
        self.done = 0
        self.start = time.monotonic()
        self._last = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.enabled and (now - self._last >= 0.1 or self.done == self.total):
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.start, 1e-6)
        rate = self.done / elapsed
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        percent = 100 * self.done // self.total if self.total else 100
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        sys.stderr.write(
            f"\r{self.label} [{bar}] {self.done}/{self.total} files {percent:3d}% "
            f"{rate:,.0f} files/s eta {eta:,.0f}s\x1b[K"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def run_batch(
    func: Callable[[str], T],
    paths: Sequence[str],
    jobs: int | None,
    label: str,
    progress: bool,
    cleanup: Callable[[], None] | None = None,
) -> list[Outcome[T]]:
    """map_files with a progress bar; on Ctrl-C stop the workers, clean up, say how far it got, re-raise."""
    bar = Progress(len(paths), label, enabled=None if progress else False)
    outcomes: list[Outcome[T]] = []
    results = map_files(func, paths, jobs=jobs)
    try:
        for outcome in results:
            outcomes.append(outcome)
            bar.advance()
    except KeyboardInterrupt:
        results.close()  # stops the workers; each removes the temporary file of a write it was in
        if cleanup is not None:
            cleanup()
        bar.close()
        err(f"interrupted: {bar.done} of {len(paths)} files done; no partial files left")
        raise
    bar.close()
    return outcomes


def report_bugs(outcomes: Sequence[Outcome[Any]], debug: bool) -> None:
    """Unexpected exceptions (bugs, not bad input): a hint on stderr, or their tracebacks with --debug."""
    bugs = [o for o in outcomes if o.failure is not None and not o.failure.expected]
    if not bugs:
        return
    if debug:
        for outcome in bugs:
            assert outcome.failure is not None
            sys.stderr.write(f"{outcome.path}:\n{outcome.failure.traceback}")
    else:
        err(
            f"{plural(len(bugs), 'file')} hit an internal error (a bug in warphoto or a format module); "
            "run with --debug for the traceback"
        )
