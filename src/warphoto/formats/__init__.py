"""The format registry: one module per format in this package, reader and writer side by side.

A format module calls :func:`register` at import time with a :class:`Format`. Every public
module of this package (a name not starting with ``_``) is imported on first use of the
registry, so adding a format means adding one module.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from warphoto.errors import FormatError

__all__ = ["Dumper", "Format", "Loader", "all_formats", "for_path", "get", "register"]

#: ``dumps(document, **options) -> str | bytes``; ``document`` is a record or collection dict
Dumper = Callable[..., str | bytes]
#: ``loads(data, *, source=None, **options) -> dict``; returns a record or collection dict
Loader = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Format:
    """One exchange format: its names, file extensions, and its writer and reader."""

    name: str
    title: str
    extensions: tuple[str, ...]
    media_type: str
    binary: bool = False
    dumps: Dumper | None = None
    loads: Loader | None = None
    #: record fields this format cannot carry (see docs/loss-table.md)
    cannot_carry: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    notes: str = ""
    options: dict[str, str] = field(default_factory=dict)
    #: ``write_file(path, document, **options)`` for formats that write into an existing file
    #: (metadata into a picture) instead of replacing it with ``dumps`` output
    write_file: Callable[..., Path] | None = None
    #: the format describes one photograph: a collection is written as one file per photograph
    per_photograph: bool = False

    @property
    def can_read(self) -> bool:
        return self.loads is not None

    @property
    def can_write(self) -> bool:
        return self.dumps is not None


_REGISTRY: dict[str, Format] = {}
_ALIASES: dict[str, str] = {}
_loaded = False
#: held while the built-in formats are imported: another thread waits for all of them
_LOADING = threading.RLock()


def register(fmt: Format) -> Format:
    """Add a format; its name and aliases must be new."""
    for key in (fmt.name, *fmt.aliases):
        if key in _REGISTRY or key in _ALIASES:
            raise ValueError(f"format name {key!r} is already registered")
    _REGISTRY[fmt.name] = fmt
    for alias in fmt.aliases:
        _ALIASES[alias] = fmt.name
    return fmt


def _load_builtins() -> None:
    global _loaded
    if _loaded:
        return
    with _LOADING:
        if _loaded:  # another thread loaded them while this one waited
            return
        for module in pkgutil.iter_modules(__path__):
            if not module.name.startswith("_"):
                importlib.import_module(f"{__name__}.{module.name}")
        # only now: a thread that sees True must find every format registered
        _loaded = True


def all_formats() -> list[Format]:
    _load_builtins()
    return sorted(_REGISTRY.values(), key=lambda f: f.name)


def get(name: str) -> Format:
    """The format called ``name`` (or one of its aliases); FormatError names the known ones."""
    _load_builtins()
    key = name.lower()
    key = _ALIASES.get(key, key)
    try:
        return _REGISTRY[key]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise FormatError(f"unknown format {name!r}; known formats: {known}") from None


def for_path(path: str | PurePath, *, candidates: Iterable[Format] | None = None) -> Format:
    """The format whose extension ends the file name (longest match wins)."""
    _load_builtins()
    name = PurePath(path).name.lower()
    best: tuple[int, Format] | None = None
    for fmt in candidates if candidates is not None else _REGISTRY.values():
        for ext in fmt.extensions:
            if name.endswith(ext) and (best is None or len(ext) > best[0]):
                best = (len(ext), fmt)
    if best is None:
        raise FormatError(f"cannot tell the format of {str(path)!r} from its name; pass format=...")
    return best[1]
