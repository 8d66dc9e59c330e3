"""Custody is append-only: provenance steps are added to a record, never changed or removed.

A step is a PROV ``Activity`` typed with a PREMIS event type; it names the file it acted on
in ``used``: the MediaFile's ``@id`` (an ``ni:///sha-256;...`` IRI, RFC 6920, whose MediaFile
carries ``sha256``) or, for a file without an id, a MediaFile node with its ``sha256``.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from warphoto.dates import surely_before
from warphoto.errors import WriteError

__all__ = ["EVENT_TYPES", "append_step", "extend_provenance", "file_id", "file_node", "make_step"]

_PREMIS = "http://id.loc.gov/vocabulary/preservation/eventType/"

#: the kinds of step warphoto adds, and their PREMIS event types
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "ingest": (_PREMIS + "ing",),
    "redaction": (_PREMIS + "red",),
    "delivery": (_PREMIS + "pac",),
    "verification": (_PREMIS + "fix",),
}


def file_id(sha256: str) -> str:
    """The ``ni:///sha-256;...`` IRI (RFC 6920) of a file with this SHA-256 (hex)."""
    return "ni:///sha-256;" + base64.urlsafe_b64encode(bytes.fromhex(sha256)).decode().rstrip("=")


def file_node(sha256: str, size: int | None = None, name: str | None = None) -> dict[str, Any]:
    """A MediaFile node for a file as found (its ``ni:`` id, ``sha256``, size and name)."""
    node: dict[str, Any] = {"@id": file_id(sha256), "@type": "ImageObject"}
    if name:
        node["fileName"] = name
    if size is not None:
        node["contentSize"] = size
    node["sha256"] = sha256
    return node


def make_step(
    kind: str,
    used: Sequence[str | Mapping[str, Any]],
    *,
    description: str,
    now: datetime | None = None,
    agent: str | None = None,
) -> dict[str, Any]:
    """A new provenance step of ``kind`` (a key of :data:`EVENT_TYPES`) that used ``used``.

    Each item of ``used`` is a MediaFile ``@id`` or a MediaFile node with its ``sha256``.
    """
    if kind not in EVENT_TYPES:
        raise WriteError(f"unknown kind of step {kind!r}: one of {', '.join(EVENT_TYPES)}")
    if not used:
        raise WriteError("a custody step names the file it acted on (used=...)")
    for item in used:
        if not isinstance(item, str) and not item.get("sha256"):
            raise WriteError("a file a custody step used must carry its sha256")
    from warphoto import __version__

    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds").replace("+00:00", "Z")
    return {
        "@type": "Activity",
        "additionalType": list(EVENT_TYPES[kind]),
        "endedAtTime": {"@value": stamp, "@type": "xsd:dateTime"},
        "used": [item if isinstance(item, str) else dict(item) for item in used],
        "description": {"en": description},
        "prov:wasAssociatedWith": {"@id": agent or f"https://pypi.org/project/warphoto/{__version__}/"},
    }


def append_step(record: Mapping[str, Any], step: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``record`` with ``step`` added at the end of its provenance (the record is not changed).

    A step with the ``@id`` of an existing step is refused (a WriteError): steps are never rewritten.
    """
    steps = list(record.get("provenance") or [])
    step_id = step.get("@id")
    if step_id is not None and any(isinstance(s, Mapping) and s.get("@id") == step_id for s in steps):
        raise WriteError(
            f"record {record.get('@id', '(without @id)')}: a provenance step {step_id} exists; custody is "
            "append-only: add a new step instead of changing one"
        )
    _refuse_earlier(record, steps, step)
    result = copy.deepcopy(dict(record))
    result["provenance"] = [*copy.deepcopy(steps), copy.deepcopy(dict(step))]
    return result


def _times(step: Mapping[str, Any], keys: Sequence[str]) -> list[str]:
    found = []
    for key in keys:
        value = step.get(key)
        text = value.get("@value") if isinstance(value, Mapping) else value
        if isinstance(text, str):
            found.append(text)
    return found


def _refuse_earlier(record: Mapping[str, Any], steps: Sequence[Any], step: Mapping[str, Any]) -> None:
    """A new step cannot surely end before an existing step starts: the chain is in time order."""
    new = _times(step, ("endedAtTime", "endDate", "startedAtTime", "startDate"))
    for index, old in enumerate(steps):
        if not isinstance(old, Mapping):
            continue
        for then in _times(old, ("startedAtTime", "startDate", "endedAtTime", "endDate")):
            if any(surely_before(time, then) for time in new):
                raise WriteError(
                    f"record {record.get('@id', '(without @id)')}: the new step ({new[0]}) would come "
                    f"before provenance step {index} ({then}); custody is append-only and in time order: "
                    "a step is added when it happens"
                )


def extend_provenance(record: Mapping[str, Any], provenance: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A copy of ``record`` whose provenance becomes ``provenance``, which must begin with every
    existing step unchanged and in order (a WriteError naming the first changed or missing step)."""
    old = list(record.get("provenance") or [])
    new = list(provenance)
    for index, step in enumerate(old):
        if index >= len(new):
            raise WriteError(
                f"record {record.get('@id', '(without @id)')}: provenance step {index} would be removed; "
                "custody is append-only"
            )
        if new[index] != step:
            raise WriteError(
                f"record {record.get('@id', '(without @id)')}: provenance step {index} would be changed; "
                "custody is append-only: keep existing steps and add new ones after them"
            )
    result = copy.deepcopy(dict(record))
    result["provenance"] = copy.deepcopy(new)
    return result
