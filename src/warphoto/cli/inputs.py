"""The inputs a command line names: files, folders (searched recursively), glob patterns, and ``-``."""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from warphoto import formats
from warphoto.cli._common import STDIO, UsageError, readable_formats
from warphoto.errors import FormatError


def _has_magic(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def _walk(folder: str) -> Iterator[str]:
    """Files under ``folder`` (recursively, sorted, hidden ones skipped) that a format can read."""
    readable = readable_formats()
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.normpath(os.path.join(root, name))  # ./a/b.jsonld -> a/b.jsonld
            try:
                formats.for_path(path, candidates=readable)
            except FormatError:
                continue
            yield path


@dataclass
class Inputs:
    """The files named by the command line, and the folders they were found in."""

    files: list[str] = field(default_factory=list)
    #: folder arguments (and folders a pattern matched), in order: convert keeps sub-folders under them
    folders: list[str] = field(default_factory=list)
    #: arguments that named nothing: (argument, message)
    missing: list[tuple[str, str]] = field(default_factory=list)
    #: the bytes of standard input, when ``-`` was one of the arguments
    stdin: bytes | None = None


def expand_inputs(arguments: Iterable[str]) -> Inputs:
    """Files, folders (recursively: every file a format can read), glob patterns and ``-``, once each.

    In the order given. ``-`` is standard input, read here, once: the workers cannot read it.
    """
    found = Inputs()
    seen: set[str] = set()

    def add(path: str) -> None:
        key = path if path == STDIO else os.path.normpath(path)
        if key in seen:
            return
        seen.add(key)
        found.files.append(path)

    def add_folder(folder: str) -> None:
        if folder not in found.folders:
            found.folders.append(folder)
        for path in _walk(folder):
            add(path)

    for argument in arguments:
        if argument == STDIO:
            if found.stdin is None:
                found.stdin = read_stdin()
            add(STDIO)
        elif os.path.isdir(argument):
            add_folder(argument)
        elif os.path.exists(argument):
            add(argument)
        elif _has_magic(argument):
            matches = sorted(glob.glob(argument, recursive=True))
            if not matches:
                found.missing.append((argument, "no file matches this pattern"))
            for match in matches:
                if os.path.isdir(match):
                    add_folder(match)
                else:
                    add(match)
        else:
            found.missing.append((argument, "no such file or folder"))
    return found


def read_stdin() -> bytes:
    """All of standard input (for a command that reads one input)."""
    if sys.stdin is None:
        raise UsageError("`-` reads standard input, but this process has none")
    return sys.stdin.buffer.read()
