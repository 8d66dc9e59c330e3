"""Canonical form of a record, for comparing records across round trips.

JSON-LD ``@set`` arrays carry no order, so two records that differ only in the order of
such arrays are the same record. ``canonical()`` sorts every unordered array (by the
JSON text of its items) and leaves everything else as it is.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from warphoto import _resources

__all__ = ["canonical", "set_keys"]


@cache
def set_keys() -> frozenset[str]:
    """Keys whose arrays are unordered: every term the context declares with an ``@set`` container."""
    terms = _resources.context_document()["@context"]
    keys = set()
    for term, definition in terms.items():
        if isinstance(definition, dict):
            container = definition.get("@container")
            containers = container if isinstance(container, list) else [container]
            if "@set" in containers:
                keys.add(term)
    keys.add("@type")
    keys.add("@graph")
    return frozenset(keys)


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def canonical(value: Any, _key: str | None = None) -> Any:
    """A copy of ``value`` with every unordered array sorted (a lone value under a key whose
    values are an unordered array becomes that array); language-map lists sorted too."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in ("keywords", "alternateName") and isinstance(item, dict):
                out[key] = {
                    lang: sorted(texts) if isinstance(texts, list) else texts for lang, texts in item.items()
                }
            elif key in set_keys() and key != "@type" and not isinstance(item, list):
                # one value of an unordered array is the array of that value (JSON-LD's @set)
                out[key] = [canonical(item)]
            else:
                out[key] = canonical(item, key)
        return out
    if isinstance(value, list):
        items = [canonical(item) for item in value]
        if _key in set_keys():
            items.sort(key=_sort_key)
        return items
    return value
