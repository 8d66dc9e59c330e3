"""Render docs/vocabulary.md from the schemas, the context and the example gallery.

``python -m warphoto._vocabdoc > docs/vocabulary.md`` rewrites it; a test checks that
the committed file equals what this renders, so the docs cannot drift.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warphoto import _resources
from warphoto._shape import entity_schemas

__all__ = ["field_rows", "render_vocabulary"]

_ENTITY_TITLES = {
    "photograph": "Photograph",
    "gallery": "Gallery",
    "event": "Event",
    "place": "Place",
    "person": "Person",
    "organization": "Organization",
    "mediafile": "MediaFile",
    "activity": "Activity",
    "concept": "Concept",
    "personShown": "PersonShown",
    "association": "Association",
    "geo": "GeoCoordinates",
    "creatorContactInfo": "CreatorContactInfo",
    "artworkOrObject": "ArtworkOrObject",
    "embdEncRightsExpr": "EmbeddedRightsExpression",
    "linkedEncRightsExpr": "LinkedRightsExpression",
    "entity": "Entity",
    "entityWithRole": "EntityWithRole",
    "imageRegion": "ImageRegion",
    "regionBoundary": "RegionBoundary",
    "regionBoundaryPoint": "RegionBoundaryPoint",
    "productWithGtin": "ProductWithGtin",
    "registryEntry": "RegistryEntry",
    "licensor": "Licensor",
}


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return _prefixes().get(prefix, prefix + ":") + local if local else curie


def _prefixes() -> dict[str, str]:
    from warphoto.formats._xmp_ld import prefixes  # the context's own prefixes

    return prefixes()


def _term(key: str) -> tuple[str, str]:
    """The key's IRI and a note on its JSON-LD typing."""
    definition = _resources.context_document()["@context"][key]
    if isinstance(definition, str):
        return _expand(definition), "text"
    iri = _expand(definition["@id"])
    container = definition.get("@container")
    containers = container if isinstance(container, list) else [container] if container else []
    coercion = definition.get("@type")
    notes = []
    if "@language" in containers:
        notes.append("language map of lists" if "@set" in containers else "language map")
    elif coercion == "@id":
        notes.append("IRI / node reference")
    elif coercion:
        notes.append(coercion)
    if "@set" in containers and "@language" not in containers:
        notes.append("list (unordered)")
    return iri, ", ".join(notes) or "value"


def _resolve(prop: dict[str, Any], schema_name: str) -> dict[str, Any]:
    ref = prop.get("$ref", "")
    if ref.startswith("common.schema.json#/$defs/") or (
        ref.startswith("#/$defs/") and schema_name == "common"
    ):
        common: dict[str, Any] = _resources.schema("common")["$defs"][ref.rsplit("/", 1)[1]]
        return _resolve(common, "common") if "$ref" in common else common
    if ref.startswith("#/$defs/"):
        local: dict[str, Any] = _resources.schema(schema_name)["$defs"][ref.rsplit("/", 1)[1]]
        return local
    return prop


def _rule(prop: dict[str, Any], schema_name: str) -> str:
    if prop.get("type") == "array":
        return "a non-empty list; each item " + _rule(prop["items"], schema_name)
    if "then" in prop and "else" in prop:
        embedded = (
            prop["else"].get("$ref", "").removesuffix(".schema.json").replace("common#/$defs/agent", "agent")
        )
        embedded = embedded.replace("common.schema.json#/$defs/agent", "Person or Organization")
        return f"an @id reference, or an embedded {_ENTITY_TITLES.get(embedded, embedded)}"
    target = _resolve(prop, schema_name)
    if "x-message" in target:
        return str(target["x-message"])
    if target.get("type") == "integer":
        low = target.get("minimum")
        return "a whole number" + (f" from {low}" if low is not None else "")
    if target.get("type") == "object":
        return "a nested object (see below)"
    return str(target.get("type", "any JSON value"))


def _examples() -> dict[str, Any]:
    """The first value the example gallery gives for each key."""
    found: dict[str, Any] = {}
    path = Path(_resources.data_root()) / "docs" / "examples" / "kharkiv-2022.jsonld"
    if not path.is_file():
        return found

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                found.setdefault(key, value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(path.read_text(encoding="utf-8")))
    return found


def _example_text(value: Any) -> str:
    if isinstance(value, list) and value:
        value = value[:1]
    if isinstance(value, dict) and "@type" in value and "@value" not in value and len(value) > 3:
        value = {k: value[k] for k in list(value)[:3]}
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 90 else text[:87] + "…"


def _schema_sections() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for name in entity_schemas():
        doc = _resources.schema(name)
        yield _ENTITY_TITLES[name], name, doc["properties"]
        for def_name, definition in doc.get("$defs", {}).items():
            yield _ENTITY_TITLES.get(def_name, def_name), name, definition["properties"]


def field_rows() -> list[dict[str, str]]:
    """One row per (entity, field): key, IRI, typing, rule, example."""
    examples = _examples()
    rows = []
    for title, schema_name, props in _schema_sections():
        for key, prop in props.items():
            if key.startswith("@"):
                continue
            iri, typing = _term(key)
            ref = prop.get("$ref", "")
            if ref.endswith("/partialDate"):
                typing = "typed literal: xsd:gYear, xsd:gYearMonth, xsd:date, xsd:dateTime or edtf:EDTF"
            elif ref.endswith("/partialTime"):
                typing = "typed literal: xsd:gYear, xsd:gYearMonth, xsd:date or edtf:EDTF"
            elif ref.endswith("/dateTime"):
                typing = "typed literal: xsd:dateTime"
            example = prop.get("examples", [examples[key]] if key in examples else [])
            rows.append(
                {
                    "entity": title,
                    "key": key,
                    "iri": iri,
                    "typing": typing,
                    "rule": _rule(prop, schema_name),
                    "example": _example_text(example[0]) if example else "",
                }
            )
    return rows


def render_vocabulary() -> str:
    lines = [
        "# Record vocabulary",
        "",
        "<!-- generated by `python -m warphoto._vocabdoc`; a test keeps it equal to schemas and context -->",
        "",
        "Every field of every entity: its JSON key, the IRI the context maps it to, how JSON-LD",
        "types it, the rule the JSON Schema applies, and an example (from the example gallery",
        "`docs/examples/kharkiv-2022.jsonld`, or from the schema's `examples`).",
        "See [record-form.md](record-form.md) for the conventions.",
        "",
        "Times of a provenance step (Activity): PROV-O's `prov:startedAtTime` and `prov:endedAtTime`",
        "have the range `xsd:dateTime`, so `startedAtTime` and `endedAtTime` hold only a full date",
        "and time. A step known to the year, month or day (or an interval) says so with",
        "`startDate` and `endDate`, schema.org's `schema:startDate` and `schema:endDate`, whose",
        "range is Date or DateTime; they keep the value's own type (`xsd:gYearMonth`, ...). A step",
        "has at most one of `startedAtTime` and `startDate`, and one of `endedAtTime` and `endDate`.",
    ]
    current = None
    for row in field_rows():
        if row["entity"] != current:
            current = row["entity"]
            lines += [
                "",
                f"## {current}",
                "",
                "| key | IRI | JSON-LD | rule | example |",
                "|---|---|---|---|---|",
            ]
        cells = [
            f"`{row['key']}`",
            f"<{row['iri']}>",
            row["typing"],
            row["rule"],
            f"`{row['example']}`" if row["example"] else "",
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render_vocabulary(), end="")
