"""Where a JSON Pointer points in the original text: line and column for validation issues.

``json.loads`` forgets positions, so this module scans the raw text once with a small
tokenizer and records the offset of every value, keyed by its JSON Pointer. It handles
strings with escapes (``\\"``, ``\\uXXXX``), nested objects and arrays, and JSON Lines
(one record a line; ``/@graph/N/...`` is the N-th record, on its own line; a file of one
line is that record, so ``/...`` works too).

Lines and columns are 1-based and count characters (code points), as editors and CI
annotations do. A pointer that does not exist in the text (because a reader reshaped the
document) maps to its deepest ancestor that does; where the text stops being JSON, what
came before it still maps.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from typing import Any

__all__ = ["SourceMap", "escape_token", "parse_pointer"]

_WS = re.compile(r"[ \t\r\n]*")
# a JSON string body, escapes included; stops at the closing quote
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL)
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)


_DECODER = json.JSONDecoder()
#: "no document given": positions are not checked against what a reader made of the text
_UNCHECKED: Any = object()
_MISSING: Any = object()


class _NotJSON(Exception):
    """The text stops being JSON at this point; what was indexed so far stays."""


def parse_pointer(pointer: str) -> list[str]:
    """The reference tokens of a JSON Pointer (RFC 6901): ``"/a~1b/0"`` -> ``["a/b", "0"]``."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"a JSON Pointer starts with '/': {pointer!r}")
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]


def escape_token(token: str) -> str:
    """One reference token of a JSON Pointer: ``~`` and ``/`` escaped."""
    return token.replace("~", "~0").replace("/", "~1")


def _unescape_string(body: str) -> str:
    if "\\" not in body:
        return body

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] == "u" and len(code) == 5:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    text = _ESCAPE.sub(replace, body)
    # join surrogate pairs written as two \u escapes
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


class _Indexer:
    """Scans one JSON text and records ``pointer -> offset`` for every value in it."""

    def __init__(self, text: str, start: int, end: int, prefix: str, index: dict[str, int]) -> None:
        self.text = text
        self.pos = start
        self.end = end
        self.prefix = prefix
        self.index = index

    def _skip_ws(self) -> None:
        self.pos = _WS.match(self.text, self.pos, self.end).end()  # type: ignore[union-attr]

    def _expect(self, char: str) -> None:
        self._skip_ws()
        if self.pos >= self.end or self.text[self.pos] != char:
            raise _NotJSON(self.pos)
        self.pos += 1

    def _string(self) -> str:
        match = _STRING.match(self.text, self.pos, self.end)
        if match is None:
            raise _NotJSON(self.pos)
        self.pos = match.end()
        return _unescape_string(match.group(1))

    def run(self) -> None:
        """Index the value at the current position, iteratively (deep nesting is fine)."""
        # each frame: [kind, pointer, next array index]; kind is "{" or "["
        stack: list[list[object]] = []
        pointer = self.prefix
        while True:
            self._skip_ws()
            if self.pos >= self.end:
                raise _NotJSON(self.pos)
            self.index[pointer] = self.pos  # a repeated key: the last wins, as in json.loads
            char = self.text[self.pos]
            if char in "{[":
                self.pos += 1
                self._skip_ws()
                closing = "}" if char == "{" else "]"
                if self.pos < self.end and self.text[self.pos] == closing:
                    self.pos += 1
                else:
                    stack.append([char, pointer, 0])
                    pointer = self._open_member(stack[-1])
                    continue
            elif char == '"':
                self._string()
            else:
                match = _SCALAR.match(self.text, self.pos, self.end)
                if match is None:
                    raise _NotJSON(self.pos)
                self.pos = match.end()
            # a value is done: move to the next member of the enclosing container
            while stack:
                frame = stack[-1]
                self._skip_ws()
                if self.pos >= self.end:
                    raise _NotJSON(self.pos)
                char = self.text[self.pos]
                self.pos += 1
                if char == ",":
                    pointer = self._open_member(frame)
                    break
                if char != ("}" if frame[0] == "{" else "]"):
                    raise _NotJSON(self.pos - 1)
                stack.pop()
            else:
                return

    def _open_member(self, frame: list[object]) -> str:
        """Read up to the next member's value; return its pointer."""
        parent = str(frame[1])
        if frame[0] == "[":
            index = int(str(frame[2]))
            frame[2] = index + 1
            return f"{parent}/{index}"
        self._skip_ws()
        key_at = self.pos
        key = self._string()
        pointer = f"{parent}/{escape_token(key)}"
        self.index[pointer + "#key"] = key_at
        self._expect(":")
        return pointer


class SourceMap:
    """Positions of the values of one JSON (or JSON Lines) text.

    >>> sm = SourceMap('{"a": [1, {"b": "x"}]}')
    >>> sm.position("/a/1/b")
    (1, 17)
    """

    def __init__(self, text: str, *, lines: bool = False) -> None:
        # a byte order mark is not a column an editor shows
        self.text = text[1:] if text.startswith("\ufeff") else text
        self.lines = lines
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self._index: dict[str, int] | None = None

    @classmethod
    def from_bytes(cls, data: bytes, *, lines: bool = False) -> SourceMap:
        return cls(data.decode("utf-8", "replace"), lines=lines)

    def _build(self) -> dict[str, int]:
        index: dict[str, int] = {}
        if self.lines:
            spans = []
            for number, start in enumerate(self._line_starts):
                end = self._line_starts[number + 1] if number + 1 < len(self._line_starts) else len(self.text)
                if self.text[start:end].strip():
                    spans.append((start, end))
            for record, (start, end) in enumerate(spans):
                self._index_value(start, end, f"/@graph/{record}", index)
            if len(spans) == 1:  # a one-line file reads as that one record, not a collection
                self._index_value(*spans[0], "", index)
        else:
            self._index_value(0, len(self.text), "", index)
        return index

    def _index_value(self, start: int, end: int, prefix: str, index: dict[str, int]) -> None:
        # where the text stops being JSON, keep what was found before
        with contextlib.suppress(_NotJSON, ValueError, IndexError):
            _Indexer(self.text, start, end, prefix, index).run()

    def _ensure_index(self) -> dict[str, int]:
        if self._index is None:
            self._index = self._build()
        return self._index

    def offset(self, pointer: str, document: Any = _UNCHECKED) -> int | None:
        """The character offset of the value at ``pointer``, or of its deepest ancestor in the text.

        With ``document`` (what a reader made of the text), a place counts only when the text
        there holds the same value as the document at that pointer: a reader that reshaped
        the document never gets a line that shows something else.
        """
        index = self._ensure_index()
        try:
            tokens = parse_pointer(pointer)
        except ValueError:
            return None
        while True:
            key = "".join("/" + escape_token(t) for t in tokens)
            if key in index and (document is _UNCHECKED or self._holds(index[key], document, tokens)):
                return index[key]
            if not tokens:
                return None
            tokens.pop()

    def _holds(self, offset: int, document: Any, tokens: list[str]) -> bool:
        """Whether the text at ``offset`` is the document's value at ``tokens``."""
        expected = _resolve(document, tokens)
        if expected is _MISSING:
            return False
        try:
            found, _end = _DECODER.raw_decode(self.text, offset)
        except ValueError:
            return False
        return _same(found, expected)

    def key_offset(self, pointer: str, document: Any = _UNCHECKED) -> int | None:
        """The offset of the member name whose value ``pointer`` names (None for array items).

        With ``document``, only when the object holding the member is the document's.
        """
        index = self._ensure_index()
        found = index.get(pointer + "#key")
        if found is None or document is _UNCHECKED:
            return found
        parent = pointer.rsplit("/", 1)[0]
        return found if self.offset(parent, document) == index.get(parent) else None

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a character offset."""
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def position(self, pointer: str, document: Any = _UNCHECKED) -> tuple[int, int] | None:
        """Line and column of the value at ``pointer`` (or its deepest ancestor), None when unknown."""
        offset = self.offset(pointer, document)
        return None if offset is None else self.line_column(offset)


def _resolve(document: Any, tokens: list[str]) -> Any:
    node = document
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
    return node


def _same(text_value: Any, document_value: Any) -> bool:
    """Equal as JSON; an object may differ in its ``@context`` (JSON Lines readers drop it)."""
    if isinstance(text_value, dict) and isinstance(document_value, dict):
        text_value = {k: v for k, v in text_value.items() if k != "@context"}
        document_value = {k: v for k, v in document_value.items() if k != "@context"}
    return bool(text_value == document_value)
