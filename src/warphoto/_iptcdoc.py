"""Render docs/iptc-coverage.md: every IPTC Photo Metadata 2025.1 property, its record key, and
which formats carry it.

``python -m warphoto._iptcdoc > docs/iptc-coverage.md`` rewrites it; a test checks that the
committed file equals what this renders and that every TechReference property is in it.
"""

from __future__ import annotations

from functools import cache

from warphoto._crosswalk import load_table

__all__ = ["iptc_only_fields", "render_coverage"]

#: record keys with a schema.org IRI that IPTC maps, but that the schema.org web profile leaves out
_SCHEMA_ORG_IPTC_KEYS = ("editor", "contentRating", "provider")
_IPTC_PREFIXES = ("Iptc4xmpCore", "Iptc4xmpExt", "photoshop", "plus", "xmp", "xmpRights", "dc")


@cache
def iptc_only_fields() -> tuple[str, ...]:
    """Photograph keys that hold IPTC properties without a home in the older record shapes:
    the IPTC-native keys (named by IPTC's XMP IRIs) and the three schema.org keys IPTC maps."""
    from warphoto import _resources

    context = _resources.context_document()["@context"]
    keys = set(_SCHEMA_ORG_IPTC_KEYS)
    for row in load_table("iptc.csv"):
        entity, _, key = row["key"].partition(".")
        if entity != "Photograph" or row["struct"]:
            continue
        definition = context.get(key)
        iri = definition if isinstance(definition, str) else (definition or {}).get("@id", "")
        if iri.split(":")[0] in _IPTC_PREFIXES:
            keys.add(key)
    return tuple(sorted(keys - {"altText", "usageTerms", "instructions"}))


def _carried(table: str) -> dict[str, str]:
    return {row["field"]: row["carried"] for row in load_table(table) if row["entity"] == "Photograph"}


def _cell(value: str) -> str:
    return {"yes": "yes", "no": "no"}.get(value, value or "n/a")


def render_coverage() -> str:
    from warphoto import formats

    newsml, edm = _carried("newsml.csv"), _carried("edm.csv")
    schemaorg = set(formats.get("schemaorg").cannot_carry)
    lines = [
        "# IPTC Photo Metadata coverage",
        "",
        "<!-- generated from vocab/crosswalk/iptc.csv and the format crosswalks by "
        "`python -m warphoto._iptcdoc`; do not edit by hand -->",
        "",
        "Every property of the IPTC Photo Metadata Standard 2025.1 (the TechReference's top-level",
        "properties and the members of its structures), the record key that holds it, and which",
        "formats carry it. XMP, JSON-LD and RDF (RDF/XML, Turtle, N-Triples) carry everything. A",
        "member of a structure the record reads into a schema.org shape (a Location into a Place, a",
        "person shown, a CV term into a Concept, the PLUS agents into Persons and Organizations) names",
        "that shape; what such a shape cannot hold of a packet is kept whole under the property's own",
        "key (see [xmp.md](xmp.md)).",
        "",
        "| IPTC id | structure | name | XMP | record key | XMP, JSON-LD, RDF | NewsML-G2 | EDM "
        "| schema.org profile |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in load_table("iptc.csv"):
        entity, _, key = row["key"].partition(".")
        if row["struct"] or entity != "Photograph":
            field = row["key"]
            top = None
        else:
            field = f"`{key}`"
            top = key
        if top is not None:
            cells = [_cell(newsml.get(top, "")), _cell(edm.get(top, "")), "no" if top in schemaorg else "yes"]
        else:
            cells = ["as its property", "as its property", "as its property"]
        lines.append(
            f"| {row['iptc_id']} | {row['struct']} | {row['name']} | `{row['xmp'] or '(any)'}` "
            f"| {field} | yes | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render_coverage(), end="")
