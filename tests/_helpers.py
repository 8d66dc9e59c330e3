"""Small helpers that several test modules share (fixtures stay in ``conftest.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.conftest import need


def xml_schema(xsd: Path, what: str) -> Any:
    """The compiled XSD at ``xsd``; skips (fails in CI) when it is absent."""
    need(xsd.is_file(), f"the {what} schema {xsd}")
    return etree.XMLSchema(etree.parse(str(xsd)))


def schema_valid(schema: Any, text: str, what: str) -> Any:
    """Parse ``text`` and fail the test, with the schema's errors, unless it validates."""
    doc = etree.fromstring(text.encode("utf-8"))
    if not schema.validate(doc):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        pytest.fail(f"{what} output does not validate:\n{errors}\n{text[:4000]}")
    return doc


def shared_bytes(path: Path, what: str) -> bytes:
    """The bytes of a file from ``../shared``; skips (fails in CI) when it is absent."""
    need(path.is_file(), f"{what} {path}")
    return path.read_bytes()
