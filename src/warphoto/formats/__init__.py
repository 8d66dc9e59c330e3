"""The format registry: one module per format in this package, reader and writer side by side.

A format module calls :func:`register` at import time with a :class:`Format`. Every public
module of this package (a name not starting with ``_``) is imported when the whole registry is
asked for; :func:`get` and :func:`for_path` import only the module of the built-in format they
name, found in :data:`BUILTIN_MODULES` (a test keeps that table equal to what the modules
register), so a command loads one format, not all of them (RDF/XML alone loads rdflib).

Options are checked here, once, for every format: a format declares its writer options in
``Format.options`` and its reader options in ``Format.read_options`` (name -> help text), and
the ``dumps`` and ``loads`` the registry hands out refuse any other keyword with a
:class:`~warphoto.errors.FormatError` naming the known ones (``refuse_los=True`` is an error,
never a loss guard silently off). Two options every format has are handled here too:

* ``refuse_loss`` (writing): raise :class:`~warphoto.errors.LossError` rather than drop a field
  the format cannot carry. A format that declares it runs its own, finer check; for the others
  the registry compares the record's fields with ``Format.cannot_carry``.
* ``issues`` and ``strict`` (reading): the one channel through which a reader says what it could
  not map. A reader calls :func:`report_unmapped` (or, if its ``loads`` takes an ``issues``
  keyword, appends :class:`~warphoto.validation.Issue` objects to the list it is given); the
  caller's ``issues=[]`` receives them, and ``strict=True`` turns any of them into a
  :class:`~warphoto.errors.ReadError`. A reader that maps everything it reads reports nothing.

A module that still marks reader options inside ``options`` with a ``read:`` (or ``(reading)``)
prefix in the help text, as the XMP and JPEG modules do, has them moved to ``read_options`` at
registration (``write: ...; read: ...`` goes to both); in such a module an option without a
prefix is taken as both a reader and a writer option.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
import threading
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any, TypeVar

from warphoto.errors import FormatError, LossError, ReadError

__all__ = [
    "COMMON_READ_OPTIONS",
    "Dumper",
    "Format",
    "Loader",
    "all_formats",
    "for_path",
    "get",
    "register",
    "report_unmapped",
    "reporting_unmapped",
]

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
    #: writer options: name -> help text (``refuse_loss`` is added for every writer)
    options: dict[str, str] = field(default_factory=dict)
    #: reader options besides :data:`COMMON_READ_OPTIONS`: name -> help text
    read_options: dict[str, str] = field(default_factory=dict)
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


T = TypeVar("T")

#: keywords every reader takes (``source`` and ``max_bytes`` are passed by ``warphoto.loads``)
COMMON_READ_OPTIONS: dict[str, str] = {
    "source": "the file name or URL to name in errors",
    "max_bytes": "refuse inputs larger than this many bytes",
    "issues": "a list that receives an Issue for everything the reader could not map",
    "strict": "a ReadError instead of issues when the reader could not map something (default false)",
}
_REFUSE_LOSS = "raise LossError instead of dropping fields {title} cannot carry"
_LOSSLESS = "nothing to refuse: {title} carries every field"

#: what the reader running in this thread (or task) could not map, when its caller asked
_UNMAPPED: ContextVar[list[Any] | None] = ContextVar("warphoto_unmapped", default=None)


def reporting_unmapped() -> bool:
    """Whether the caller of the running reader asked what it leaves out (``issues=`` or ``strict=``)."""
    return _UNMAPPED.get() is not None


def report_unmapped(
    format_name: str,
    record_id: str | None,
    path: str,
    what: str,
    *,
    source: str | None = None,
    line: int | None = None,
) -> None:
    """Called by a reader: it leaves ``what`` out (an Issue, rule ``<format>-unmapped``, for the caller)."""
    found = _UNMAPPED.get()
    if found is None:
        return
    from warphoto.validation import Issue

    message = f"not mapped: {what}: the record has no field for it, so the {format_name} reader left it out"
    found.append(Issue(record_id, path, message, f"{format_name}-unmapped", source=source, line=line))


_REGISTRY: dict[str, Format] = {}
_ALIASES: dict[str, str] = {}
_loaded = False
#: held while the built-in formats are imported: another thread waits for all of them
_LOADING = threading.RLock()


def _split_legacy(fmt: Format) -> tuple[dict[str, str], dict[str, str]]:
    """(writer, reader) options of a format that marks reader options with ``read:`` in ``options``."""
    legacy = any(re.match(r"\s*(?:\(reading\)|read:|write:)", text) for text in fmt.options.values())
    if fmt.read_options or not legacy:
        return dict(fmt.options), dict(fmt.read_options)
    write: dict[str, str] = {}
    read: dict[str, str] = {}
    for name, text in fmt.options.items():
        match = re.match(r"\s*(?:\(reading\)|read:)\s*(.*)", text, re.DOTALL)
        if match:
            read[name] = match.group(1)
            continue
        both = re.match(r"\s*write:\s*(.*?);\s*read:\s*(.*)", text, re.DOTALL)
        if both:
            write[name], read[name] = both.group(1), both.group(2)
        elif re.match(r"\s*write:", text):
            write[name] = text.split(":", 1)[1].strip()
        else:
            write[name] = read[name] = text
    return write, read


def _unknown(fmt_name: str, side: str, given: Iterable[str], known: Iterable[str]) -> FormatError:
    names = ", ".join(sorted(known)) or "none"
    wrong = ", ".join(repr(name) for name in sorted(given))
    return FormatError(f"unknown {side} option {wrong} for {fmt_name}; its {side} options are: {names}")


def _lost_to(document: Any, cannot_carry: Iterable[str]) -> tuple[str | None, list[str]]:
    """(record id, fields) of the first record of ``document`` holding a field the format cannot carry.

    ``"extension keys"`` in ``cannot_carry`` stands for every key that is an IRI or compact IRI.
    """
    cannot = set(cannot_carry)
    nodes = document.get("@graph") if isinstance(document, dict) else None
    for node in nodes if isinstance(nodes, list) else [document]:
        if not isinstance(node, dict):
            continue
        lost = [key for key in node if key in cannot]
        if "extension keys" in cannot and any(":" in key for key in node):
            lost.append("extension keys")
        if lost:
            ident = node.get("@id")
            return (ident if isinstance(ident, str) else None), lost
    return None, []


def _checked_writer(
    fmt: Format, write: Callable[..., T], declared: dict[str, str], own_loss: bool
) -> Callable[..., T]:
    """``write`` (``dumps(document, ...)`` or ``write_file(path, document, ...)``) checking its options."""
    known = frozenset(declared)

    def checked(*arguments: Any, **options: Any) -> T:
        unknown = options.keys() - known
        if unknown:
            raise _unknown(fmt.name, "writer", unknown, known)
        if not own_loss and options.pop("refuse_loss", False):
            record_id, lost = _lost_to(arguments[-1], fmt.cannot_carry)
            if lost:
                raise LossError(fmt.name, record_id, lost)
        return write(*arguments, **options)

    checked.__name__ = getattr(write, "__name__", "dumps")
    checked.__doc__ = write.__doc__
    checked.__wrapped__ = write  # type: ignore[attr-defined]
    return checked


def _checked_loads(fmt: Format, loads: Loader, declared: dict[str, str], own_issues: bool) -> Loader:
    known = frozenset(declared) | COMMON_READ_OPTIONS.keys()

    def checked(data: str | bytes, **options: Any) -> dict[str, Any]:
        unknown = options.keys() - known
        if unknown:
            raise _unknown(fmt.name, "reader", unknown, known)
        issues = options.pop("issues", None)
        strict = options.pop("strict", False)
        found: list[Any] = []
        if own_issues:
            options["issues"] = found
        token = _UNMAPPED.set(found if issues is not None or strict else None)
        try:
            document = loads(data, **options)
        finally:
            _UNMAPPED.reset(token)
        if issues is not None:
            issues.extend(found)
        if strict and found:
            listed = "\n".join(f"  {issue}" for issue in found[:20])
            more = f"\n  (and {len(found) - 20} more)" if len(found) > 20 else ""
            raise ReadError(
                f"the {fmt.name} reader could not map everything the input says (strict):\n{listed}{more}",
                source=options.get("source"),
            )
        return document

    checked.__name__ = getattr(loads, "__name__", "loads")
    checked.__doc__ = loads.__doc__
    checked.__wrapped__ = loads  # type: ignore[attr-defined]
    return checked


def _takes_issues(loads: Loader) -> bool:
    """Does a reader take an ``issues`` keyword of its own?"""
    try:
        return "issues" in inspect.signature(loads).parameters
    except (TypeError, ValueError):
        # a function compiled with mypyc has no signature to inspect; the compiled readers
        # (XMP) all take ``issues``
        return True


def register(fmt: Format) -> Format:
    """Add a format; its name and aliases must be new. Returns the format as registered.

    The registered format's ``dumps`` and ``loads`` check their keyword options (see the
    module docstring); its ``options`` include ``refuse_loss``.
    """
    caller = str(sys._getframe(1).f_globals.get("__name__", ""))
    if not _is_builtin(fmt, caller):  # a built-in format of that name is refused loaded or not
        for module in _owners(fmt):
            _load_builtin(module)
    for key in (fmt.name, *fmt.aliases):
        if key in _REGISTRY or key in _ALIASES:
            raise ValueError(f"format name {key!r} is already registered")
    write, read = _split_legacy(fmt)
    own_loss = "refuse_loss" in write
    if fmt.dumps is not None and not own_loss:
        template = _REFUSE_LOSS if fmt.cannot_carry else _LOSSLESS
        write["refuse_loss"] = template.format(title=fmt.name)
    # a reader reports through the channel when it takes an ``issues`` keyword of its own
    own_issues = fmt.loads is not None and _takes_issues(fmt.loads)
    for name in COMMON_READ_OPTIONS:
        read.pop(name, None)
    fmt = replace(
        fmt,
        options=write if fmt.dumps is not None else {},
        read_options=read if fmt.loads is not None else {},
        dumps=None if fmt.dumps is None else _checked_writer(fmt, fmt.dumps, write, own_loss),
        write_file=None if fmt.write_file is None else _checked_writer(fmt, fmt.write_file, write, own_loss),
        loads=None if fmt.loads is None else _checked_loads(fmt, fmt.loads, read, own_issues),
    )
    _REGISTRY[fmt.name] = fmt
    for alias in fmt.aliases:
        _ALIASES[alias] = fmt.name
    return fmt


#: the built-in formats' modules: module -> (names and aliases, file extensions)
BUILTIN_MODULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "edm": (("edm", "europeana"), (".edm.xml", ".edm.zip")),
    "jpeg": (("jpeg", "jpg"), (".jpg", ".jpeg")),
    "jsonl": (("jsonl", "ndjson", "jsonlines"), (".jsonl", ".ndjson")),
    "jsonld": (
        ("jsonld", "json-ld", "json", "jsonld-expanded", "expanded"),
        (".jsonld", ".json", ".expanded.jsonld"),
    ),
    "newsml": (("newsml", "newsml-g2", "g2"), (".newsml.xml", ".nml")),
    "rdf": (
        ("ntriples", "nt", "n-triples", "rdfxml", "rdf", "xml", "rdf/xml", "turtle", "ttl"),
        (".nt", ".rdf", ".owl", ".ttl"),
    ),
    "schemaorg": (("schemaorg", "schema.org", "web"), (".schema.jsonld",)),
    "xmp": (("xmp",), (".xmp",)),
}


def _load_builtin(module: str) -> None:
    """Import the module of one built-in format (it registers its formats), under the registry's
    lock, so that no thread reads the registry while another fills it."""
    if _loaded:
        return
    with _LOADING:  # (import_module waits for a module another thread is importing)
        importlib.import_module(f"{__name__}.{module}")


def _is_builtin(fmt: Format, caller: str) -> bool:
    """Is ``fmt`` registered by the built-in module ``caller`` (by its name: a format's functions
    could come from anywhere) and one of the formats that module is known to register?"""
    module = caller.removeprefix(f"{__name__}.")
    return module != caller and fmt.name in BUILTIN_MODULES.get(module, ((), ()))[0]


def _owners(fmt: Format) -> list[str]:
    """The built-in modules that register a name, alias or extension ``fmt`` has too."""
    keys, extensions = {fmt.name, *fmt.aliases}, set(fmt.extensions)
    return [
        module
        for module, (names, exts) in BUILTIN_MODULES.items()
        if keys & set(names) or extensions & set(exts)
    ]


def _builtin_module_named(key: str) -> str | None:
    for module, (names, _extensions) in BUILTIN_MODULES.items():
        if key in names:
            return module
    return None


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
    key = name.lower()
    if _ALIASES.get(key, key) not in _REGISTRY:
        module = _builtin_module_named(key)
        if module is not None:
            _load_builtin(module)
        else:
            _load_builtins()
    key = _ALIASES.get(key, key)
    try:
        return _REGISTRY[key]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise FormatError(f"unknown format {name!r}; known formats: {known}") from None


def for_path(path: str | PurePath, *, candidates: Iterable[Format] | None = None) -> Format:
    """The format whose extension ends the file name (longest match wins)."""
    name = PurePath(path).name.lower()
    if candidates is None and not _loaded:
        _load_builtin_for(name)
    best: tuple[int, Format] | None = None
    for fmt in candidates if candidates is not None else list(_REGISTRY.values()):
        for ext in fmt.extensions:
            if name.endswith(ext) and (best is None or len(ext) > best[0]):
                best = (len(ext), fmt)
    if best is None:
        raise FormatError(f"cannot tell the format of {str(path)!r} from its name; pass format=...")
    return best[1]


def _load_builtin_for(name: str) -> None:
    """Import the module of the built-in format whose extension ends ``name`` (longest match
    among the built-in and the formats registered so far), or all of them when none matches:
    the error then names every format."""
    best: tuple[int, str | None] | None = None
    for module, (_names, extensions) in BUILTIN_MODULES.items():
        for ext in extensions:
            if name.endswith(ext) and (best is None or len(ext) > best[0]):
                best = (len(ext), module)
    for fmt in list(_REGISTRY.values()):
        for ext in fmt.extensions:
            if name.endswith(ext) and (best is None or len(ext) > best[0]):
                best = (len(ext), None)
    if best is None:
        _load_builtins()
    elif best[1] is not None:
        _load_builtin(best[1])
