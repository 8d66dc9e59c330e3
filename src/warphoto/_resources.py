"""The only code that opens warphoto's packaged data (schemas and vocabulary).

Works from an installed wheel (the data is inside the package as ``warphoto/_data``)
and from an editable install or a source checkout (the data is the repository's
top-level ``schemas/`` and ``vocab/``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

CONTEXT_IRI = "https://w3id.org/warphoto/context.jsonld"
SCHEMA_BASE = "https://w3id.org/warphoto/schemas/"
NAMESPACE = "https://w3id.org/warphoto/ns#"

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """The folder that holds ``schemas/`` and ``vocab/``."""
    bundled = _PACKAGE_DIR / "_data"
    if (bundled / "schemas").is_dir():
        return bundled
    checkout = _PACKAGE_DIR.parent.parent
    if (checkout / "schemas").is_dir() and (checkout / "vocab").is_dir():
        return checkout
    raise RuntimeError(  # pragma: no cover - a broken installation
        f"warphoto's data files are missing: looked in {bundled} and {checkout}; reinstall warphoto"
    )


def resource_path(*parts: str) -> Path:
    """Path of a packaged data file, e.g. ``resource_path("vocab", "context.jsonld")``."""
    return data_root().joinpath(*parts)


def read_text(*parts: str) -> str:
    return resource_path(*parts).read_text(encoding="utf-8")


@cache
def _load_json(*parts: str) -> Any:
    return json.loads(read_text(*parts))


def context_document() -> dict[str, Any]:
    """The JSON-LD context document (``{"@context": {...}}``). Do not mutate it."""
    doc: dict[str, Any] = _load_json("vocab", "context.jsonld")
    return doc


def schema_names() -> list[str]:
    return sorted(p.name.removesuffix(".schema.json") for p in resource_path("schemas").glob("*.schema.json"))


def schema(name: str) -> dict[str, Any]:
    """One JSON Schema by short name, e.g. ``schema("photograph")``. Do not mutate it."""
    doc: dict[str, Any] = _load_json("schemas", f"{name}.schema.json")
    return doc


def crosswalk_path(name: str) -> Path:
    return resource_path("vocab", "crosswalk", name)
