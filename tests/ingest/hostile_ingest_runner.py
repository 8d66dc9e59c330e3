"""tests/hostile_runner.py, reading each case through ``warphoto.imagefile`` instead of the format
registry: same protocol, same audit hook, same memory measure (see that file). Started by
``tests.hostile.IngestReaderProcess``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: hostile_runner and audit

import hostile_runner
import warphoto.imagefile


class _Ingest:
    """Stands in for the ``warphoto`` module the runner calls: read and loads go to ingest."""

    @staticmethod
    def read(path: str, format: str) -> Any:
        return warphoto.imagefile.read_metadata(path)

    @staticmethod
    def loads(data: bytes, format: str, *, source: str) -> Any:
        return warphoto.imagefile.read_metadata_bytes(data, source=source)


hostile_runner.warphoto = _Ingest  # type: ignore[assignment]

if __name__ == "__main__":
    sys.exit(hostile_runner.main())
