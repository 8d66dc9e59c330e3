"""Facts about record shapes derived once from the JSON Schemas (never hand-listed)."""

from __future__ import annotations

from functools import cache
from typing import Any

from warphoto import _resources

__all__ = ["entity_schemas", "reference_keys", "schema_fields"]

_NODE_REF = "common.schema.json#/$defs/nodeRef"
_ENTITIES = (
    "photograph",
    "gallery",
    "event",
    "place",
    "person",
    "organization",
    "mediafile",
    "activity",
    "concept",
)


def entity_schemas() -> tuple[str, ...]:
    return _ENTITIES


def _is_reference(prop: Any) -> bool:
    if not isinstance(prop, dict):
        return False
    if prop.get("$ref") == _NODE_REF:
        return True
    then = prop.get("then")
    if isinstance(then, dict) and then.get("$ref") == _NODE_REF:
        return True
    return _is_reference(prop.get("items"))


def _all_property_maps() -> list[dict[str, Any]]:
    maps = []
    for name in _ENTITIES:
        doc = _resources.schema(name)
        maps.append(doc.get("properties", {}))
        for definition in doc.get("$defs", {}).values():
            maps.append(definition.get("properties", {}))
    return maps


@cache
def reference_keys() -> frozenset[str]:
    """Keys whose values are references to other nodes (an @id string or an embedded node)."""
    return frozenset(
        key for props in _all_property_maps() for key, prop in props.items() if _is_reference(prop)
    )


@cache
def schema_fields() -> frozenset[str]:
    """Every key any entity schema (or its nested shapes) declares, JSON-LD keywords excluded."""
    return frozenset(key for props in _all_property_maps() for key in props if not key.startswith("@"))
