"""Atomic file writes: the whole file appears at its name at once, or nothing does.

Where Linux offers it, the bytes go to an *unnamed* file in the target's folder
(``O_TMPFILE``), are flushed to disk, and only then get a name: a process killed at any
point (even by SIGKILL, which no handler sees) leaves no partial file, and a new file no
temporary file either. Replacing an existing file needs a name for an instant (the whole
file is linked as a hidden ``.NAME.XXXX.tmp``, then renamed over the target): a kill in
that instant leaves that complete hidden file. Elsewhere a named temporary file beside
the target is renamed over it; a killed process may then leave its hidden
``.NAME.XXXX.tmp`` file, possibly partial. Never a partial target.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import tempfile
from pathlib import Path

__all__ = ["AtomicStream", "atomic_write_bytes", "mode_for"]

#: errors that mean "this file system or kernel has no O_TMPFILE": fall back to a named file
_NO_TMPFILE = frozenset({errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOSYS})


def mode_for(target: Path) -> int:
    """The replaced file's mode, or what ``open()`` would give a new file (mkstemp makes 0600 files)."""
    try:
        return os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_all(fd: int, data: bytes, mode: int) -> None:
    os.fchmod(fd, mode)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _open_unnamed(folder: Path) -> int | None:
    """The descriptor of a new unnamed file in ``folder``, or None without O_TMPFILE."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | os.O_CLOEXEC, 0o600)
    except OSError as error:
        if error.errno in _NO_TMPFILE:
            return None
        raise


def _unnamed_file(folder: Path, data: bytes, mode: int) -> int | None:
    """An unnamed file in ``folder`` holding ``data`` (its descriptor), or None without O_TMPFILE."""
    fd = _open_unnamed(folder)
    if fd is None:
        return None
    try:
        _write_all(fd, data, mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _name_it(fd: int, target: Path, overwrite: bool) -> None:
    """Give the unnamed file ``fd`` the name ``target`` (replacing it only when ``overwrite``)."""
    # linkat(AT_SYMLINK_FOLLOW) on /proc/self/fd/N names an O_TMPFILE file; Python calls
    # linkat (rather than link, which would not follow) only when given a src_dir_fd
    fds = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            os.link(str(fd), target, src_dir_fd=fds, follow_symlinks=True)
            return
        except FileExistsError:
            if not overwrite:
                raise
        # the target exists: link under a fresh hidden name, then rename over the target at once
        while True:
            temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            try:
                os.link(str(fd), temporary, src_dir_fd=fds, follow_symlinks=True)
                break
            except FileExistsError:
                continue
    finally:
        os.close(fds)
    try:
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _named_write(target: Path, data: bytes, overwrite: bool, mode: int) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        try:
            _write_all(fd, data, mode)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(tmp_name, target)
        else:
            os.link(tmp_name, target)  # fails with FileExistsError when the target exists
            os.unlink(tmp_name)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` whole or not at all.

    Readers see the old file or the new one, never a mix, and an interrupted or killed
    write leaves no partial file. The file keeps the mode of the file it replaces. With
    ``overwrite=False`` an existing file is never replaced (``FileExistsError``).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    mode = mode_for(target)
    fd = _unnamed_file(folder, data, mode)
    if fd is None:
        _named_write(target, data, overwrite, mode)
        return
    try:
        _name_it(fd, target, overwrite)
    finally:
        os.close(fd)


class AtomicStream:
    """A file written piece by piece that appears at its name whole (:meth:`commit`) or not at all.

    As :func:`atomic_write_bytes`, for data too large to hold: an unnamed file where Linux
    offers one, else a hidden ``.NAME.XXXX.tmp`` beside the target. Leaving the ``with`` block
    without :meth:`commit` (an error, a refusal) removes it.
    """

    def __init__(self, path: str | os.PathLike[str], *, overwrite: bool = True) -> None:
        self.target = Path(path)
        self.overwrite = overwrite
        folder = self.target.parent if str(self.target.parent) else Path(".")
        mode = mode_for(self.target)
        self._temporary: str | None = None
        fd = _open_unnamed(folder)
        if fd is None:
            fd, self._temporary = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=folder)
        self._fd = fd
        self._done = False
        try:
            os.fchmod(fd, mode)
            self._file = os.fdopen(fd, "wb", closefd=False)
        except BaseException:
            self.discard()
            raise

    def write(self, data: bytes) -> None:
        self._file.write(data)

    def commit(self) -> None:
        """Flush to disk and give the file its name (``FileExistsError`` without ``overwrite``)."""
        self._file.flush()
        os.fsync(self._fd)
        try:
            if self._temporary is None:
                _name_it(self._fd, self.target, self.overwrite)
            elif self.overwrite:
                os.replace(self._temporary, self.target)
            else:
                os.link(self._temporary, self.target)
        finally:
            self.discard()

    def discard(self) -> None:
        """Close and remove the temporary file (after :meth:`commit`: only close)."""
        if self._done:
            return
        self._done = True
        with contextlib.suppress(AttributeError, OSError):
            self._file.close()
        os.close(self._fd)
        if self._temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temporary)

    def __enter__(self) -> AtomicStream:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.discard()
