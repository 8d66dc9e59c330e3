"""Every IPTC Photo Metadata 2025.1 property has a record key, and docs/iptc-coverage.md says so."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import REPO
from warphoto import _resources
from warphoto._crosswalk import load_table
from warphoto._iptcdoc import render_coverage
from warphoto._shape import schema_fields
from warphoto.formats import _xmp_ld

TECHREFERENCE = "iptc-photometadata/techreference/iptc-pmd-techreference_2025.1.json"


def test_coverage_docs_are_generated() -> None:
    committed = (REPO / "docs" / "iptc-coverage.md").read_text(encoding="utf-8")
    assert committed == render_coverage(), "run: python -m warphoto._iptcdoc > docs/iptc-coverage.md"


def test_every_techreference_property_is_covered(reference_dir: Path) -> None:
    tech = json.loads((reference_dir / TECHREFERENCE).read_text(encoding="utf-8"))
    rows = {(row["struct"], row["iptc_id"]): row for row in load_table("iptc.csv")}
    docs = (REPO / "docs" / "iptc-coverage.md").read_text(encoding="utf-8")
    for pid, prop in tech["ipmd_top"].items():
        row = rows.get(("", pid))
        assert row is not None, f"iptc.csv lacks the IPTC property {pid}"
        assert row["xmp"] == prop["XMPid"], pid
        assert f"| {pid} |  | {prop['name']} | `{prop['XMPid']}` |" in docs, pid
    for struct, members in tech["ipmd_struct"].items():
        if struct == "AltLang":  # the TechReference's note on language alternatives, no structure
            continue
        for mid, member in members.items():
            row = rows.get((struct, mid))
            assert row is not None, f"iptc.csv lacks {struct}.{mid}"
            assert row["xmp"] == member.get("XMPid", ""), (struct, mid)


def test_every_record_key_of_the_table_is_a_field_with_the_property_iri() -> None:
    fields = schema_fields()
    terms = _xmp_ld.terms()
    context = _resources.context_document()["@context"]
    for row in load_table("iptc.csv"):
        key = row["key"].partition(".")[2]
        if " " in row["key"] or key == "*":  # read into a schema.org shape, or any property
            continue
        assert key in fields, row
        iri = terms[key].iri
        prefix, _, local = row["xmp"].partition(":")
        xmp_iri = context.get(prefix, "") + local
        # IPTC's own IRI, unless IPTC maps the property to schema.org (or the record had a key)
        older = ("https://schema.org/", "http://purl.org/dc/terms/", "https://w3id.org/warphoto/ns#")
        assert iri == xmp_iri or iri.startswith(older), row
