"""Opaque ids for nodes without an IRI, for formats whose identifiers are public (NewsML-G2, EDM).

A blank node label (``_:afp``) belongs to one JSON-LD document and is often made from a name a
person typed. A NewsML-G2 QCode or an EDM ``rdf:about`` is an identifier other systems keep, so
before those writers run, :func:`opaque_ids` gives each label the id ``_:h`` + 24 hex digits of
the SHA-256 of the node's description: its keys and values as canonical JSON (keys sorted,
unordered arrays sorted), without its own label, with every blank-node reference in it written
``_:``. The same description gives the same id in every document and every run, whatever the
label; two nodes of one document described alike are told apart by ``-2``, ``-3``... in the
order the document first names them (a label that is never described hashes the empty
description). Readers give the id back as the node's label, ``_:h...``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from warphoto._shape import reference_keys
from warphoto.canonical import canonical

__all__ = ["opaque_ids"]

#: the number of hex digits of the SHA-256 an id keeps (96 bits)
DIGITS = 24


def _is_blank(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("_:")


def _walk(value: Any, key: str | None, refs: frozenset[str], on_label: Callable[[str], str]) -> Any:
    """A copy of ``value`` with each blank-node label (an ``@id``, or a string under a reference
    key) replaced by ``on_label(label)``; extension keys (holding ``:``) are left as they are."""
    if isinstance(value, list):
        return [_walk(item, key, refs, on_label) for item in value]
    if isinstance(value, Mapping):
        if "@value" in value:
            return dict(value)
        out: dict[str, Any] = {}
        for name, item in value.items():
            if name == "@id":
                out[name] = on_label(item) if _is_blank(item) else item
            elif name == "@context" or ":" in name:
                out[name] = item
            else:
                out[name] = _walk(item, name, refs, on_label)
        return out
    if key in refs and _is_blank(value):
        return on_label(value)
    return value


def _digest(description: Mapping[str, Any] | None, refs: frozenset[str]) -> str:
    if description is None:
        content: Any = {}
    else:
        content = _walk(description, None, refs, lambda _label: "_:")
        content.pop("@id", None)
    text = json.dumps(canonical(content), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGITS]


def opaque_ids(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` whose blank-node labels are opaque ids made from the nodes' content."""
    refs = reference_keys()
    order: dict[str, None] = {}  # labels in the order the document first names them
    described: dict[str, Mapping[str, Any]] = {}

    def note(label: str, node: Mapping[str, Any] | None = None) -> str:
        order.setdefault(label)
        if node is not None and len(node) > 1 and len(node) > len(described.get(label, ())):
            described[label] = node
        return label

    def collect(value: Any, key: str | None) -> None:
        if isinstance(value, list):
            for item in value:
                collect(item, key)
        elif isinstance(value, Mapping) and "@value" not in value:
            ident = value.get("@id")
            if isinstance(ident, str) and ident.startswith("_:"):
                note(ident, value)
            for name, item in value.items():
                if name not in ("@id", "@context") and ":" not in name:
                    collect(item, name)
        elif key in refs and _is_blank(value):
            note(value)

    collect(document, None)
    ids: dict[str, str] = {}
    seen: dict[str, int] = {}
    for label in order:
        digest = _digest(described.get(label), refs)
        count = seen[digest] = seen.get(digest, 0) + 1
        ids[label] = f"_:h{digest}" if count == 1 else f"_:h{digest}-{count}"
    relabelled: dict[str, Any] = _walk(document, None, refs, lambda label: ids.get(label, label))
    return relabelled
