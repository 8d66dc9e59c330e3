"""A sound shortcut for the semantic rules: "no rule can fire here", read off the record's JSON text.

The semantic rules (:func:`warphoto.validation._semantic_issues`) walk every object of a
document in Python. Most records break none of them, and that can be seen in the compact
JSON text orjson writes in C, with a few regular-expression scans:

* every ``"@id":"..."`` occurs once, or (outside a collection) each object describing a
  repeated @id is written the same character for character; there is no bare
  ``{"@id": ...}`` object or key holding ``:`` that could hide a description from the rules;
* every string starting with ``_:`` is one of those @ids (blank-node references resolve);
* every date under a dated key is ``{"@value": ...}`` first, none is an interval, and no
  end date lies surely before any start date, no publication date surely before any
  creation date (a superset of the pairs the rules compare);
* provenance lists appear only on top-level nodes, hold embedded steps, in time order.

When :func:`clear` says True no rule can fire; when it says False (or cannot tell) the full
walk runs and finds what there is. It is only ever a shortcut to "no issue": a test checks
on the corpus and on generated records that whenever it says True the walk finds nothing.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import orjson

from warphoto.dates import classify, surely_before

__all__ = ["clear", "look"]

# a JSON string's body (escapes included), without backtracking
_BODY = rb'[^"\\]*+(?:\\.[^"\\]*+)*+'
_IDS = re.compile(rb'"@id":"(' + _BODY + rb')"')
_BARE_REFERENCE = re.compile(rb'\{"@id":"' + _BODY + rb'"\}')
_BLANK = re.compile(rb'"(_:' + _BODY + rb')"')
# a key holding ":" (from its last colon to the key's end); in compact JSON nothing else but
# a value that starts with ":" matches, which only costs the walk
_EXTENSION_KEY = re.compile(rb':[^"\\:]*+(?:\\.[^"\\:]*+)*+":')
_DATE_KEYS = (b"dateCreated", b"datePublished", b"startDate", b"endDate", b"startedAtTime", b"endedAtTime")
# every dated key; the value's text when it is a value object whose first key is @value
_DATES = re.compile(rb'"(' + b"|".join(_DATE_KEYS) + rb')":(\{"@value":"([^"\\]*)")?')


@lru_cache(maxsize=4096)
def _date(raw: bytes) -> str | None:
    text = raw.decode("ascii", "replace")
    return text if classify(text) is not None else None


@lru_cache(maxsize=4096)
def _is_date(text: str) -> bool:
    return classify(text) is not None


@lru_cache(maxsize=16384)
def _before(first: str, second: str) -> bool:
    return surely_before(first, second)


def _any_before(firsts: list[str], seconds: list[str]) -> bool:
    return any(_before(first, second) for first in set(firsts) for second in set(seconds))


#: when a provenance step happened, for ordering: its start (a full date-time, else a partial
#: date), else its end. The provenance-order rule of ``validation`` reads the same keys.
STEP_TIME_KEYS = ("startedAtTime", "startDate", "endedAtTime", "endDate")


def _step_time(step: Any) -> str | None:
    """As the provenance-order rule reads a step: its start (full, else partial), else its end."""
    for key in STEP_TIME_KEYS:
        value = step.get(key)
        if isinstance(value, dict) and isinstance(value.get("@value"), str):
            text = value["@value"]
            if _is_date(text):
                return str(text)
    return None


def _provenance_in_order(holders: list[dict[str, Any]]) -> bool:
    for holder in holders:
        steps = holder["provenance"]
        if not isinstance(steps, list):
            continue
        previous: str | None = None
        for step in steps:
            if not isinstance(step, dict):
                return False  # a step named by @id: the walk resolves it
            when = _step_time(step)
            if when is None:
                continue
            if previous is not None and _before(when, previous):
                return False
            previous = when
    return True


_OBJECT_END = json.JSONDecoder()


def _repeated_alike(text: bytes, ids: list[bytes]) -> bool:
    """True when every object describing a repeated @id is written the same, character for
    character (then no two descriptions differ); each must have its @id as its first key."""
    counts: dict[bytes, int] = {}
    for found in ids:
        counts[found] = counts.get(found, 0) + 1
    decoded = text.decode("utf-8")
    for found, count in counts.items():
        if count == 1:
            continue
        opening = '{"@id":"' + found.decode("utf-8") + '"'
        descriptions = set()
        at = decoded.find(opening)
        while at != -1:
            try:
                _value, end = _OBJECT_END.raw_decode(decoded, at)
            except ValueError:
                return False
            descriptions.add(decoded[at:end])
            count -= 1
            at = decoded.find(opening, end)
        if count or len(descriptions) != 1:
            return False  # an @id not first in its object, or two descriptions that differ
    return True


_last_look: tuple[bytes, list[bytes], bool] = (b"", [], False)


def look(text: bytes) -> tuple[list[bytes], bool]:
    """(every @id in ``text``, whether a key holds ":"): the scans the quick look and the JSON
    Lines checker both make, made once per text (the last text's answer is kept)."""
    global _last_look
    last = _last_look
    if last[0] is text:
        return last[1], last[2]
    ids = _IDS.findall(text)
    extension = _EXTENSION_KEY.search(text) is not None
    _last_look = (text, ids, extension)
    return ids, extension


def clear(doc: dict[str, Any], text: bytes | None = None) -> bool:
    """True only when no semantic rule can find an issue in ``doc``; False: run the rules.

    ``text`` is ``orjson.dumps(doc)`` when the caller has it already.
    """
    if text is None:
        try:
            text = orjson.dumps(doc)
        except (TypeError, orjson.JSONEncodeError):
            return False
    ids, extension = look(text)
    if len(ids) != text.count(b'"@id":'):
        return False
    if extension or _BARE_REFERENCE.search(text):
        return False
    if len(set(ids)) != len(ids) and ("@graph" in doc or not _repeated_alike(text, ids)):
        return False
    if b'"_:' in text and not set(_BLANK.findall(text)) <= set(ids):
        return False
    dates: dict[bytes, list[str]] = {}
    for key, value_object, raw in _DATES.findall(text):
        if not value_object:
            return False  # a date in another shape: the walk reads it as the rules do
        if b"/" in raw:
            return False  # an interval: the walk checks its order
        value = _date(raw)
        if value is not None:
            dates.setdefault(key, []).append(value)
    get = dates.get
    if (
        _any_before(get(b"endDate", []), get(b"startDate", []))
        or _any_before(get(b"endedAtTime", []), get(b"startedAtTime", []))
        or _any_before(get(b"datePublished", []), get(b"dateCreated", []))
    ):
        return False
    if b'"provenance":' in text:
        graph = doc.get("@graph")
        tops = [doc]
        if isinstance(graph, list):
            tops.extend(node for node in graph if isinstance(node, dict))
        holders = [node for node in tops if "provenance" in node]
        if len(holders) != text.count(b'"provenance":') or not _provenance_in_order(holders):
            return False
    return True
