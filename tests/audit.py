"""What a reader may touch, for the tests that watch readers through Python's audit hooks
(``tests/hostile_runner.py``, ``tests/test_fuzz_readers.py``): files of the Python installation
and of warphoto (its package and its packaged data), and no network or process at all.

Imports nothing from the tests package, so that ``hostile_runner.py`` can use it as a script.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path
from typing import Any

import warphoto

_PACKAGE = Path(warphoto.__file__).resolve().parent

#: folders whose files a reader may open
ALLOWED_PREFIXES = tuple(
    {
        os.path.realpath(p)
        for p in (
            sys.prefix,
            sys.base_prefix,
            sys.exec_prefix,
            sysconfig.get_paths()["stdlib"],
            sysconfig.get_paths()["purelib"],
            sysconfig.get_paths()["platlib"],
            str(_PACKAGE),
            str(_PACKAGE.parents[1] / "schemas"),
            str(_PACKAGE.parents[1] / "vocab"),
        )
    }
)

#: audit events of the network or of other processes (the prefix of their names)
NETWORK_EVENTS = (
    "socket.",
    "subprocess.",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "urllib.",
    "http.",
    "ftplib.",
)


def opened_outside(args: tuple[Any, ...], *, allowed: str = "") -> str | None:
    """The path an ``open`` audit event opens outside :data:`ALLOWED_PREFIXES` (and other than
    ``allowed``, the input itself), or None."""
    if not args or not isinstance(args[0], (str, bytes, os.PathLike)):
        return None  # a file descriptor
    path = os.fsdecode(args[0])
    real = os.path.realpath(path)
    if real == allowed or real.startswith(ALLOWED_PREFIXES):
        return None
    return path
