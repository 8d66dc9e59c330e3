"""Atomic file writes: a temporary file in the same folder, flushed, then renamed over the target."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write_bytes", "mode_for"]


def mode_for(target: Path) -> int:
    """The replaced file's mode, or what ``open()`` would give a new file (mkstemp makes 0600 files)."""
    try:
        return os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` whole or not at all.

    The bytes go to a temporary file beside ``path``, are flushed to disk, and the file is
    renamed over ``path``: readers see the old file or the new one, never a mix, and an
    interrupted write leaves no partial file. With ``overwrite=False`` an existing file is
    never replaced (``FileExistsError``).
    """
    target = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        os.fchmod(fd, mode_for(target))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp_name, target)
        else:
            os.link(tmp_name, target)  # fails with FileExistsError when the target exists
            os.unlink(tmp_name)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
