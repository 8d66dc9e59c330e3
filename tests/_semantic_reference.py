"""The semantic rules as first written (a walk per rule, every repeated node serialised): the
reference :func:`warphoto.validation._semantic_issues` is tested to agree with."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from warphoto._shape import reference_keys
from warphoto.dates import interval_ends, surely_before
from warphoto.validation import _DATE_KEYS, Issue, _issue, _json_path, _value


def _walk(
    node: Any, parts: tuple[str | int, ...] = ()
) -> Iterator[tuple[dict[str, Any], tuple[str | int, ...]]]:
    """Every JSON object in the document, with its path."""
    if isinstance(node, dict):
        yield node, parts
        for key, value in node.items():
            if isinstance(value, (dict, list)) and ":" not in key:  # extension values are opaque
                yield from _walk(value, (*parts, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, (dict, list)):
                yield from _walk(value, (*parts, index))


def _canonical_text(node: Mapping[str, Any]) -> str:
    from warphoto.canonical import canonical

    return json.dumps(canonical(dict(node)), sort_keys=True, ensure_ascii=False)


def reference_semantic_issues(doc: Any) -> Iterator[Issue]:
    nodes: dict[str, tuple[dict[str, Any], tuple[str | int, ...]]] = {}
    objects = list(_walk(doc))
    for node, parts in objects:
        node_id = node.get("@id")
        if isinstance(node_id, str) and len(node) > 1:
            if node_id not in nodes:
                nodes[node_id] = (node, parts)
                continue
            first_node, first_parts = nodes[node_id]
            first = _json_path(first_parts)
            top_level = len(parts) == 2 and len(first_parts) == 2 and parts[0] == "@graph"
            if top_level:
                yield _issue(
                    doc,
                    (*parts, "@id"),
                    f"{node_id!r} is described twice in the @graph (first at "
                    f"{first}); write each entity once and refer to it by @id",
                    "semantic:duplicate-id",
                )
            elif _canonical_text(first_node) != _canonical_text(node):
                yield _issue(
                    doc,
                    (*parts, "@id"),
                    f"{node_id!r} is described differently here and at {first}; "
                    "make the two descriptions agree, or describe it once and refer to it by @id",
                    "semantic:duplicate-id",
                )

    containers: dict[str, list[dict[str, Any]]] = {}  # photograph @id -> galleries listing it in hasPart
    for node, _parts in objects:
        listed = node.get("hasPart")
        if isinstance(listed, list):
            for part in listed:
                if isinstance(part, str):
                    containers.setdefault(part, []).append(node)

    def resolve(ref: Any) -> dict[str, Any] | None:
        if isinstance(ref, dict):
            return ref
        if isinstance(ref, str) and ref in nodes:
            return nodes[ref][0]
        return None

    for node, parts in objects:
        # references resolve, or are absolute IRIs outside the collection
        for key in reference_keys().intersection(node):
            values = node[key] if isinstance(node[key], list) else [node[key]]
            for index, ref in enumerate(values):
                where = (*parts, key, index) if isinstance(node[key], list) else (*parts, key)
                if isinstance(ref, str) and ref.startswith("_:") and ref not in nodes:
                    yield _issue(
                        doc,
                        where,
                        f"reference {ref!r} does not resolve: no node in this document "
                        "has that @id; add the node or use an absolute IRI",
                        "semantic:unresolved-reference",
                    )
        dated = [key for key in _DATE_KEYS if key in node]
        if not dated and "provenance" not in node:
            continue
        # intervals: start before end
        for key in dated:
            interval = _value(node, key)
            if interval and "/" in interval:
                opening, closing = interval_ends(interval)
                if opening and closing and surely_before(closing, opening):
                    yield _issue(
                        doc,
                        (*parts, key, "@value"),
                        f"interval {interval!r} ends before it starts; swap its two ends",
                        "semantic:interval-order",
                    )
        for start_key, end_key in (("startDate", "endDate"), ("startedAtTime", "endedAtTime")):
            start, end = _value(node, start_key), _value(node, end_key)
            if start and end and surely_before(end, start):
                yield _issue(
                    doc,
                    (*parts, end_key, "@value"),
                    f"{end_key} {end!r} is before {start_key} {start!r}; correct one of them",
                    "semantic:interval-order",
                )
        # provenance steps in time order
        steps = node.get("provenance")
        if isinstance(steps, list):
            previous: tuple[int, str] | None = None
            for index, ref in enumerate(steps):
                step = resolve(ref)
                when = _step_time(step) if step else None
                if when is None:
                    continue
                if previous is not None and surely_before(when, previous[1]):
                    yield _issue(
                        doc,
                        (*parts, "provenance", index),
                        f"provenance step at {when} comes after "
                        f"the step at {previous[1]} (provenance[{previous[0]}]); list steps in time order",
                        "semantic:provenance-order",
                    )
                previous = (index, when)
        # a photograph is not created after the gallery that published it
        created = _value(node, "dateCreated")
        if created:
            galleries = []
            gallery = resolve(node.get("isPartOf"))
            if gallery is not None:
                galleries.append(gallery)
            node_id = node.get("@id")
            for other in containers.get(node_id, []) if isinstance(node_id, str) else []:
                if other is not gallery:
                    galleries.append(other)
            for gallery in galleries:
                published = _value(gallery, "datePublished")
                if published and surely_before(published, created):
                    yield _issue(
                        doc,
                        (*parts, "dateCreated", "@value"),
                        f"created {created}, after the gallery "
                        f"{gallery.get('@id')!r} that published it on {published}; correct one of the dates",
                        "semantic:created-after-published",
                    )


__all__ = ["Issue", "reference_semantic_issues"]


def _step_time(step: Any) -> str | None:
    """A step's start (a full date-time, else a partial date), else its end."""
    for key in ("startedAtTime", "startDate", "endedAtTime", "endDate"):
        when = _value(step, key)
        if when:
            return when
    return None
