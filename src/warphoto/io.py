"""The public reading and writing API: ``dumps``, ``loads``, ``write``, ``read``.

Every format goes through the record form: ``dumps`` takes a record, a collection or an
iterable of records (dicts or model objects); ``loads`` returns a record or collection
dict, checked against the schemas unless ``validate=False``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn

import orjson

from warphoto import _resources, formats
from warphoto._atomic import atomic_write_bytes
from warphoto.errors import ReadError, WarphotoError, WriteError
from warphoto.validation import iter_issues
from warphoto.validation import validate as _validate

__all__ = ["MAX_INPUT_BYTES", "as_document", "dumps", "loads", "read", "write"]

#: inputs larger than this are refused unless the caller raises the bound
MAX_INPUT_BYTES = 64 * 1024 * 1024

Document = dict[str, Any]


def _record_dict(obj: Any) -> Document:
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        result = to_dict()
        if isinstance(result, dict):
            return result
    if isinstance(obj, Mapping):
        return dict(obj)
    raise WriteError(
        f"cannot write a {type(obj).__name__}: pass a record dict, a model object or an iterable of them"
    )


def as_document(obj: Any) -> Document:
    """A record dict or a collection dict for ``obj`` (one record, a collection, or an iterable)."""
    if isinstance(obj, Mapping) or callable(getattr(obj, "to_dict", None)):
        return _record_dict(obj)
    if isinstance(obj, Iterable) and not isinstance(obj, (str, bytes)):
        graph = []
        for item in obj:
            record = _record_dict(item)
            record.pop("@context", None)
            graph.append(record)
        return {"@context": _resources.CONTEXT_IRI, "@graph": graph}
    raise WriteError(
        f"cannot write a {type(obj).__name__}: pass a record dict, a model object or an iterable of them"
    )


def dumps(obj: Any, format: str = "jsonld", **options: Any) -> str | bytes:
    """Write ``obj`` as a string (or bytes, for binary formats) in ``format``."""
    fmt = formats.get(format)
    if fmt.dumps is None:
        raise WriteError(f"warphoto can read {fmt.name} but not write it")
    document = as_document(obj)
    try:
        return fmt.dumps(document, **options)
    except Exception as error:
        refuse_malformed(fmt.name, document, error)


def refuse_malformed(format_name: str, document: Any, error: Exception) -> NoReturn:
    """Raise a writer's crash on ``document`` as a WriteError naming the record's first issue.

    Writers do not validate (that is the caller's choice), so a record that is not in the
    record form (a number where a language map goes, say) can trip one deep inside. When the
    validator finds issues, the first one (record id and JSON path) is what to fix; when it
    finds none, the crash is warphoto's own bug and is raised as it is.
    A WarphotoError, or an OSError (the file's, not the record's), is raised as it is.
    """
    if isinstance(error, (WarphotoError, OSError)):
        raise error
    try:
        issues = list(iter_issues(document))
    except Exception:
        issues = []
    if not issues:
        raise error
    more = f" (and {len(issues) - 1} more; warphoto.validate lists them all)" if len(issues) > 1 else ""
    raise WriteError(
        f"cannot write {format_name}: the record is not in the record form: {issues[0]}{more}"
    ) from error


def loads(
    data: str | bytes,
    format: str = "jsonld",
    *,
    source: str | None = None,
    validate: bool = True,
    max_bytes: int | None = None,
    **options: Any,
) -> Document:
    """Read a record or collection from ``data``; validate it unless ``validate=False``.

    ``max_bytes`` bounds the input (default :data:`MAX_INPUT_BYTES`); given explicitly, it
    is also handed to the format's reader, which may have tighter bounds of its own.
    """
    fmt = formats.get(format)
    if fmt.loads is None:
        raise ReadError(f"warphoto can write {fmt.name} but not read it", source=source)
    limit = MAX_INPUT_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise ReadError(
            f"input is {len(data)} bytes, more than the limit of {limit}; raise max_bytes to read it",
            source=source,
        )
    if max_bytes is not None:
        options["max_bytes"] = max_bytes
    document = fmt.loads(data, source=source, **options)
    check_record_text(document, source=source)
    if validate:
        _validate(document, source=source)
    return document


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _bad_text_path(value: Any, path: str = "$") -> str | None:
    """The JSON path of the first string holding a lone surrogate (the slow path, on error only)."""
    if isinstance(value, str):
        return path if _LONE_SURROGATE.search(value) else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and _LONE_SURROGATE.search(key):
                return f"{path} (a key)"
            found = _bad_text_path(item, f"{path}.{key}")
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _bad_text_path(item, f"{path}[{index}]")
            if found:
                return found
    return None


def check_record_text(document: Any, *, source: str | None = None) -> None:
    """Refuse a document a reader produced that the record form (JSON, UTF-8) cannot hold.

    Every reader's output passes here, so text that is not Unicode (a lone surrogate from a
    ``\\uD800`` escape in N-Triples, Turtle, XML character data or JSON) is caught once, at
    the root, whatever the format. orjson walks the document in C; the slow search for the
    path runs only when something is wrong.
    """
    try:
        orjson.dumps(document)
    except (orjson.JSONEncodeError, TypeError) as error:
        path = _bad_text_path(document)
        if path is not None:
            raise ReadError(
                f"the input holds text that is not valid Unicode at {path}: a lone UTF-16 surrogate "
                "(such as \\ud800) is not a character; fix the text at its source",
                source=source,
            ) from None
        raise ReadError(f"the input holds a value a record cannot carry: {error}", source=source) from None


def write(
    obj: Any,
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    overwrite: bool = True,
    **options: Any,
) -> Path:
    """Write ``obj`` to ``path`` atomically (format from the file name when not given)."""
    target = Path(path)
    fmt = formats.get(format) if format else formats.for_path(target)
    if fmt.write_file is not None:  # a format that writes into an existing file (a picture)
        document = as_document(obj)
        try:
            return fmt.write_file(target, document, **options)
        except Exception as error:
            refuse_malformed(fmt.name, document, error)
    data = dumps(obj, fmt.name, **options)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        atomic_write_bytes(target, payload, overwrite=overwrite)
    except FileExistsError:
        raise WriteError(f"{target}: file exists; pass overwrite=True to replace it") from None
    except OSError as error:
        raise WriteError(f"{target}: cannot write: {error.strerror or error}") from error
    return target


def read(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    validate: bool = True,
    max_bytes: int | None = None,
    **options: Any,
) -> Document:
    """Read a record or collection from ``path`` (format from the file name when not given)."""
    source = os.fspath(path)
    fmt = formats.get(format) if format else formats.for_path(source)
    try:
        size = os.path.getsize(source)
        limit = MAX_INPUT_BYTES if max_bytes is None else max_bytes
        if size > limit:
            raise ReadError(
                f"file is {size} bytes, more than the limit of {limit}; raise max_bytes to read it",
                source=source,
            )
        with open(source, "rb") as handle:
            data = handle.read()
    except WarphotoError:
        raise
    except OSError as error:
        raise ReadError(f"cannot read file: {error.strerror or error}", source=source) from error
    return loads(data, fmt.name, source=source, validate=validate, max_bytes=max_bytes, **options)
