"""Helpers the format tests share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def plain_values(value: Any) -> Any:
    """{"@value": x} and x mean the same in JSON-LD; the RDF-based readers give back x."""
    if isinstance(value, list):
        return [plain_values(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"@value"}:
            return value["@value"]
        return {k: plain_values(v) for k, v in value.items()}
    return value


def described_twice() -> dict[str, Any]:
    """A photograph embedding Izium three times: described, described differently (another
    name), and described the same again. Validation refuses it; writers must drop nothing."""
    izium = {"@id": "_:izium", "@type": "City", "name": {"en": "Izium"}}
    return {
        "@context": "https://w3id.org/warphoto/context.jsonld",
        "@id": "https://example.org/p",
        "@type": ["ImageObject", "Photograph"],
        "contentLocation": [izium],
        "locationCreated": [{"@id": "_:izium", "alternateName": {"uk": "Ізюм"}}],
        "about": [dict(izium)],
    }
