"""Moving between collections and standalone records.

A *collection* writes every shared entity once at the top of its ``@graph`` and refers to
it by ``@id``; a *standalone record* embeds what it refers to. ``standalone_records``
goes one way, ``collect`` the other.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from warphoto import _resources
from warphoto._shape import reference_keys
from warphoto.errors import ValidationError
from warphoto.validation import Issue

__all__ = ["collect", "is_collection", "node_index", "standalone_records", "types_of"]

#: references that stay references when embedding: they point back up the tree
_BACK_REFERENCES = frozenset({"isPartOf", "hasPart", "superEvent"})


def types_of(node: Mapping[str, Any]) -> tuple[str, ...]:
    value = node.get("@type")
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def is_collection(document: Mapping[str, Any]) -> bool:
    return "@graph" in document


def node_index(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Top-level nodes of a collection (or the one record) by @id."""
    nodes = document.get("@graph", [document])
    return {n["@id"]: n for n in nodes if isinstance(n, dict) and isinstance(n.get("@id"), str)}


def _embed(value: Any, index: Mapping[str, dict[str, Any]], trail: frozenset[str]) -> Any:
    if isinstance(value, list):
        return [_embed(item, index, trail) for item in value]
    if isinstance(value, dict):
        node_id = value.get("@id")
        inner = trail | {node_id} if isinstance(node_id, str) else trail
        out = {}
        for key, item in value.items():
            if key in reference_keys() and key not in _BACK_REFERENCES:
                out[key] = _embed_reference(item, index, inner)
            else:
                out[key] = item if key.startswith("@") else _embed(item, index, inner)
        return out
    return value


def _embed_reference(value: Any, index: Mapping[str, dict[str, Any]], trail: frozenset[str]) -> Any:
    if isinstance(value, list):
        return [_embed_reference(item, index, trail) for item in value]
    if isinstance(value, str) and value in index and value not in trail:
        return _embed(copy.deepcopy(index[value]), index, trail)
    return _embed(value, index, trail)


def standalone_records(
    collection: Mapping[str, Any], *, types: Iterable[str] = ("Photograph",)
) -> list[dict[str, Any]]:
    """Each top-level record of the wanted types, with the nodes it refers to embedded.

    References back up the tree (``isPartOf``, ``hasPart``, ``superEvent``) stay references.
    """
    wanted = set(types)
    index = node_index(collection)
    records = []
    for node in collection.get("@graph", [collection]):
        if isinstance(node, dict) and wanted.intersection(types_of(node)):
            record = _embed(copy.deepcopy(node), index, frozenset())
            record.pop("@context", None)
            records.append({"@context": _resources.CONTEXT_IRI, **record})
    return records


def _lift(
    value: Any,
    found: dict[str, dict[str, Any]],
    order: list[str],
    issues: list[Issue],
    path: str,
    reference: bool = False,
) -> Any:
    """Replace embedded nodes with an @id by that @id, gathering them in ``found``.

    ``reference``: ``value`` is the value of a reference key, where such a node is lifted.
    """
    if isinstance(value, list):
        return [_lift(item, found, order, issues, f"{path}[{i}]", reference) for i, item in enumerate(value)]
    if not isinstance(value, dict):
        return value
    if reference and isinstance(value.get("@id"), str):
        node = _lift(value, found, order, issues, path)
        _keep(node, found, order, issues, path)
        return node["@id"]
    out = {}
    for key, item in value.items():
        refers = key in reference_keys()
        if refers or not key.startswith("@"):
            out[key] = _lift(item, found, order, issues, f"{path}.{key}", refers)
        else:
            out[key] = item
    return out


def _keep(
    node: dict[str, Any], found: dict[str, dict[str, Any]], order: list[str], issues: list[Issue], path: str
) -> None:
    node_id = node["@id"]
    if node_id not in found:
        found[node_id] = node
        order.append(node_id)
    elif _text(found[node_id]) != _text(node):
        issues.append(
            Issue(
                node_id,
                path,
                f"{node_id!r} is described differently in two records; make the descriptions agree",
                "semantic:conflicting-descriptions",
            )
        )


def _text(node: Mapping[str, Any]) -> str:
    from warphoto.canonical import canonical

    return json.dumps(canonical(dict(node)), sort_keys=True)


def collect(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """One collection from standalone records: every entity with an @id written once, referenced elsewhere."""
    found: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    issues: list[Issue] = []
    for position, record in enumerate(records):
        source = record.get("@graph", [record]) if isinstance(record, Mapping) else []
        for index, node in enumerate(source):
            path = f"$[{position}]" if "@graph" not in record else f"$[{position}].@graph[{index}]"
            lifted = _lift({k: v for k, v in node.items() if k != "@context"}, found, order, issues, path)
            if isinstance(lifted.get("@id"), str):
                _keep(lifted, found, order, issues, path)
            else:
                key = f"_anonymous_{len(order)}"
                found[key] = lifted
                order.append(key)
    if issues:
        raise ValidationError(issues)
    return {"@context": _resources.CONTEXT_IRI, "@graph": [found[k] for k in order]}
