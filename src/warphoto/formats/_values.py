"""Small helpers for record values, shared by the XML format writers and readers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["as_list", "lang_texts", "put"]


def as_list(value: Any) -> list[Any]:
    """A record value as a list: None is empty, a list stays, anything else is one item."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def lang_texts(langmap: Any) -> Iterator[tuple[str, str]]:
    """(language, text) for each text of a language map, lists included; nothing for a non-map."""
    if isinstance(langmap, Mapping):
        for lang, value in langmap.items():
            for text in value if isinstance(value, list) else [value]:
                yield lang, text


def put(node: dict[str, Any], key: str, value: Any) -> None:
    """Set ``node[key]`` to ``value`` unless the value is empty (no text, no items, None)."""
    if value:
        node[key] = value
