"""Strict JSON reading: every JSON text warphoto reads from outside goes through :func:`parse_json`.

JSON from unknown sources is refused, with a :class:`~warphoto.errors.ReadError` naming the
line and column, when it holds something the record form cannot carry faithfully:

* bytes that are not UTF-8 (a UTF-8 byte order mark is allowed);
* the same key twice in one object (``json.loads`` would silently keep the last one);
* a lone UTF-16 surrogate such as ``"\\ud800"`` (not a character; it cannot be written as UTF-8);
* ``NaN``, ``Infinity``, numbers too large for a double, integers longer than
  :data:`MAX_INTEGER_DIGITS` digits;
* nesting deeper than :data:`MAX_JSON_DEPTH` (records nest a handful of levels).

Sizes are bounded by the callers (``warphoto.io.MAX_INPUT_BYTES``).
"""

from __future__ import annotations

import json
import json.scanner
import math
import re
from typing import Any

from warphoto.errors import ReadError

__all__ = ["MAX_INTEGER_DIGITS", "MAX_JSON_DEPTH", "depth_exceeded", "parse_json"]

#: arrays and objects nested deeper than this are refused
MAX_JSON_DEPTH = 100
#: integers with more digits than this are refused (Python's own limit is 4300)
MAX_INTEGER_DIGITS = 64

_SURROGATE = re.compile("[\ud800-\udfff]")
# a \uD800-\uDFFF escape; the test of whether it is paired is done on the decoded text
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _Refusal(ValueError):
    """Raised inside the JSON decoder's hooks; turned into a ReadError with a position."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refusal(f"the key {key!r} appears twice in one object; keep one of them")
            seen.add(key)
    return result


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Refusal(f"the number {text[:40]} is too large for a double")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _Refusal(f"an integer of {len(text)} digits; warphoto reads at most {MAX_INTEGER_DIGITS}")
    return int(text)


def _constant(name: str) -> Any:
    raise _Refusal(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs, parse_float=_float, parse_int=_int, parse_constant=_constant
)


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _refusal_position(text: str) -> tuple[int | None, int | None]:
    """Where a hook refused: decode again with the pure-Python scanner, whose frames know the index.

    Only run on the error path. An object's refusal (a duplicate key) points at its closing
    brace; a number's at its first digit.
    """
    decoder = json.JSONDecoder(
        object_pairs_hook=_pairs, parse_float=_float, parse_int=_int, parse_constant=_constant
    )
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        decoder.decode(text)
    except _Refusal as error:
        index = None
        traceback = error.__traceback__
        while traceback is not None:
            local = traceback.tb_frame.f_locals
            for name in ("end", "idx"):
                value = local.get(name)
                if isinstance(value, int):
                    index = value
            traceback = traceback.tb_next
        if index is not None:
            index = min(index, len(text))
            if index and text[index - 1] == "}":  # an object refused at its end: its closing brace
                index -= 1
            return _position(text, index)
    except (ValueError, RecursionError):
        pass
    return None, None


def _lone_surrogate_at(text: str) -> int | None:
    """The index of the first ``\\uD800``-``\\uDFFF`` escape that is not half of a pair."""
    position = 0
    while (match := _SURROGATE_ESCAPE.search(text, position)) is not None:
        code = int(match.group()[2:], 16)
        if code < 0xDC00:  # a high surrogate: the low one must follow at once
            low = _SURROGATE_ESCAPE.match(text, match.end())
            if low is not None and int(low.group()[2:], 16) >= 0xDC00:
                position = low.end()
                continue
        return match.start()
    return None


def depth_exceeded(value: Any) -> bool:
    """True when ``value`` nests arrays and objects deeper than :data:`MAX_JSON_DEPTH`."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values() if isinstance(child, (dict, list)))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item if isinstance(child, (dict, list)))
    return False


def parse_json(data: str | bytes, *, source: str | None = None, line: int | None = None) -> Any:
    """JSON text (or UTF-8 bytes) to Python, refusing what the record form cannot carry.

    ``line`` is the line number of ``data`` in a larger file (JSON Lines); errors then name it.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            where = data.count(b"\n", 0, error.start) + 1 if line is None else line
            raise ReadError(
                f"not UTF-8 text: {error.reason} (byte {data[error.start]:#04x})",
                source=source,
                line=where,
                offset=error.start,
            ) from None
    else:
        text = data.removeprefix("\ufeff")

    def fail(message: str, at: tuple[int | None, int | None]) -> ReadError:
        row, column = at
        if line is not None:
            row = line
        return ReadError(message, source=source, line=row, column=column)

    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise fail(f"malformed JSON: {error.msg}", (error.lineno, error.colno)) from None
    except _Refusal as error:
        raise fail(f"refused JSON: {error}", _refusal_position(text)) from None
    except RecursionError:
        raise fail(f"JSON nested more than {MAX_JSON_DEPTH} levels deep", (None, None)) from None
    except ValueError as error:  # e.g. Python's own integer-length limit
        raise fail(f"refused JSON: {error}", (None, None)) from None
    if _SURROGATE_ESCAPE.search(text) and _SURROGATE.search(json.dumps(value, ensure_ascii=False)):
        index = _lone_surrogate_at(text)
        at = _position(text, index) if index is not None else (None, None)
        raise fail(
            "refused JSON: a lone UTF-16 surrogate escape (such as \\ud800) is not a character; "
            "fix the text at its source",
            at,
        )
    if depth_exceeded(value):
        raise fail(f"JSON nested more than {MAX_JSON_DEPTH} levels deep", (None, None))
    return value
