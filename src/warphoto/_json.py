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

Speed: orjson parses first, and its answer is taken only when it is sure to be the precise
parser's (:func:`_fast_parse`); anything else (a refusal to locate, or text orjson reads but
the precise rules might refuse) goes through the standard library's parser with the hooks
above, which has the last word and the line and column. orjson itself refuses bytes that
are not UTF-8, lone surrogate escapes, NaN and Infinity, numbers beyond a double, and
nesting past 1024; what it reads that the precise rules may not is settled as follows:

* duplicate keys: when orjson's own compact writing of the value is the input byte for byte,
  no key can repeat (the value holds each key once); otherwise every ``:`` of the input is
  counted: each is a member separator or a literal colon in a string (a colon has no other
  place in JSON, and UTF-8 never hides one in a multi-byte character), and so is each colon
  of orjson's compact writing of the value (orjson never escapes one); every colon of that
  writing came from the input, so the input holds more only when a member was dropped, i.e.
  a key repeated (an escaped ``\\u003a`` colon sends the input to the precise parser);
* integers orjson reads as floats (beyond 64 bits: 19 digits or more), and depth over
  :data:`MAX_JSON_DEPTH` (possible only when the input holds more than that many ``[`` and
  ``{``): the precise parser.
"""

from __future__ import annotations

import json
import json.scanner
import math
import re
from typing import Any

import orjson

from warphoto.errors import ReadError

__all__ = ["MAX_INTEGER_DIGITS", "MAX_JSON_DEPTH", "depth_exceeded", "parse_json", "precise_parse_json"]

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


_UNSURE: Any = object()
_ESCAPED_COLON = re.compile(rb"\\u003[aA]")
_WHITESPACE = b" \t\r\n"
#: floats at least this large may be integers orjson could not hold (2**63)
_INTEGER_LIMIT = 9.223372036854775807e18
#: an integer orjson reads as a float has at least 19 digits (a run of digits in a string
#: only sends the text to the precise parser)
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGITS = b"0" * 19


def _fast_parse(data: str | bytes) -> Any:
    """The value of ``data`` when orjson's reading is certainly the precise parser's, else _UNSURE."""
    return _fast_parse_written(data)[0]


def _fast_parse_written(data: str | bytes) -> tuple[Any, bytes | None]:
    """:func:`_fast_parse`, with orjson's compact writing of the value when it was made."""
    if isinstance(data, str):
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate in the text itself
            return _UNSURE, None
    else:
        raw = data
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return _UNSURE, None
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and depth_exceeded(value):
        return _UNSURE, None
    if not isinstance(value, (dict, list)):
        if isinstance(value, float) and abs(value) >= _INTEGER_LIMIT:
            return _UNSURE, None
        return value, None
    written = orjson.dumps(value)
    if written == raw.strip(_WHITESPACE):
        return value, written  # orjson's own writing of the value: no key repeats, no long integer
    if _ESCAPED_COLON.search(raw) or _LONG_DIGITS in raw.translate(_DIGITS_AS_ZERO):
        return _UNSURE, None
    # each colon orjson writes is a member's or a string's, and came from the input; the input
    # has more only when a member was dropped: a repeated key
    if written.count(b":") != raw.count(b":"):
        return _UNSURE, None
    return value, written


def parse_json(data: str | bytes, *, source: str | None = None, line: int | None = None) -> Any:
    """JSON text (or UTF-8 bytes) to Python, refusing what the record form cannot carry.

    ``line`` is the line number of ``data`` in a larger file (JSON Lines); errors then name it.
    """
    return parse_json_written(data, source=source, line=line)[0]


def parse_json_written(
    data: str | bytes, *, source: str | None = None, line: int | None = None
) -> tuple[Any, bytes | None]:
    """:func:`parse_json`, with ``orjson.dumps`` of the value when reading made it (else None):
    a caller that needs the compact text (the semantic rules' quick look) need not write it again."""
    value, written = _fast_parse_written(data)
    if value is not _UNSURE:
        return value, written
    return precise_parse_json(data, source=source, line=line), None


def precise_parse_json(data: str | bytes, *, source: str | None = None, line: int | None = None) -> Any:
    """:func:`parse_json` through the standard library's parser alone (the reference the fast path
    is tested against, and the path that locates every refusal)."""
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
