"""The schemas' Python-checked formats as patterns the compiled validator runs itself.

jsonschema-rs checks ``pattern`` in Rust (linear-time regular expressions) but calls back
into Python for a custom ``format``, once per IRI. :func:`fast_schemas` rewrites a copy of
the packaged schemas so that every ``"format": "iri"`` and ``"format": "x-edtf-interval"``
becomes a pattern that accepts a *subset* of what the precise check accepts:

* :data:`IRI_PATTERN` is RFC 3987's grammar (as in :mod:`warphoto._iri`) without the
  bracketed IP literal (whose IPv6 syntax needs :mod:`ipaddress`);
* :data:`INTERVAL_DAY_PATTERN` asks every end with a day of the month to name a day every
  year has (29 February, and days before year 0, go to the precise check).

A value the pattern accepts is valid; a record that fails the fast check is checked again
by the precise validator (the Python format checks), so the answer is always the precise
one. Tests hold the patterns to that: on every corpus record and on generated strings,
pattern-accepted implies precisely-accepted.
"""

from __future__ import annotations

import copy
from typing import Any

from warphoto import _iri

__all__ = ["INTERVAL_DAY_PATTERN", "IRI_PATTERN", "fast_schemas"]

_AUTHORITY = f"(?:{_iri._USERINFO}@)?{_iri._REG_NAME}(?::[0-9]*)?"
_HIER = (
    f"(?://{_AUTHORITY}(?:/{_iri._SEGMENT})*|/(?:{_iri._SEGMENT_NZ}(?:/{_iri._SEGMENT})*)?"
    f"|{_iri._SEGMENT_NZ}(?:/{_iri._SEGMENT})*|)"
)
#: an absolute IRI without an IP literal (a subset of what :func:`warphoto._iri.is_iri` accepts)
IRI_PATTERN = f"^[A-Za-z][A-Za-z0-9+\\-.]*:{_HIER}(?:\\?{_iri._QUERY})?(?:#{_iri._FRAGMENT})?$"

_MONTH_DAY = (
    "(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
)
_DATE = f"[0-9]{{4}}-{_MONTH_DAY}"
_TIME = "T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
_END = f"(?:{_DATE}(?:{_TIME})?|-?[0-9]{{4}}-(?:0[1-9]|1[0-2])|-?[0-9]{{4}}|\\.\\.)"
#: an EDTF interval (not both ends empty) whose ends, where they name a day, name one every year has
#: (or, alone, a local date-time: EDTF level 0, whole seconds, no offset)
INTERVAL_DAY_PATTERN = f"^(?:{_END}/{_END}?|/{_END}|{_DATE}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])$"


def _rewrite(node: Any) -> Any:
    if isinstance(node, dict):
        out = {key: _rewrite(value) for key, value in node.items()}
        fmt = out.get("format")
        if fmt == "iri":
            del out["format"]
            out.setdefault("allOf", []).append({"pattern": IRI_PATTERN})
        elif fmt == "x-edtf-interval":
            del out["format"]
            out.setdefault("allOf", []).append({"pattern": INTERVAL_DAY_PATTERN})
        return out
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node


def fast_schemas(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``documents`` with the Python-checked formats turned into patterns."""
    return [_rewrite(copy.deepcopy(doc)) for doc in documents]
