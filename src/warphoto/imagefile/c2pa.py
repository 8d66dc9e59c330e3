"""C2PA Content Credentials into the record's provenance (``warphoto[c2pa]``).

Each manifest of the store becomes one signing step (claim generator and signer as agents, the
signing time, its ingredients as the files it used, the validation outcome in words) and one step
per action (``c2pa.created``, ``c2pa.opened``...: when, software agent, digital source type).
The active manifest's parent ingredients are what the photograph ``prov:wasDerivedFrom``; its
schema.org CreativeWork authors fill ``creator`` when the record has none. Nothing is fetched.
"""

from __future__ import annotations

import mmap
import re
from pathlib import Path
from typing import Any

from warphoto.errors import ReadError
from warphoto.imagefile.c2pa_reader import c2pa_available, read_c2pa
from warphoto.imagefile.c2pa_store import SCANNED, find_manifest_store
from warphoto.imagefile.metadata import ImageMetadata
from warphoto.validation import Issue

__all__ = ["add_c2pa", "apply_store", "generator", "outcome"]

_FULL = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")
_PARTIAL = re.compile(r"^\d{4}(-\d\d(-\d\d)?)?$")
_DERIVED = frozenset({"parentOf", "componentOf", "inputTo"})


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _time(value: object, full: str, partial: str) -> dict[str, Any]:
    text = _text(value)
    if text is None:
        return {}
    if _FULL.match(text):
        return {full: {"@value": text, "@type": "xsd:dateTime"}}
    if _PARTIAL.match(text):
        kind = ("xsd:gYear", "xsd:gYearMonth", "xsd:date")[text.count("-")]
        return {partial: {"@value": text, "@type": kind}}
    return {}


def generator(manifest: dict[str, Any]) -> str | None:
    """The claim generator: ``claim_generator``, else ``claim_generator_info`` as name/version."""
    named = _text(manifest.get("claim_generator"))
    if named is not None:
        return named
    info = manifest.get("claim_generator_info")
    if isinstance(info, list):
        names = [
            " ".join(t for t in (_text(i.get("name")), _text(i.get("version"))) if t)
            for i in info
            if isinstance(i, dict) and _text(i.get("name"))
        ]
        return ", ".join(names) or None
    return None


def _codes(results: object, kind: str) -> list[str]:
    active = results.get("activeManifest") if isinstance(results, dict) else None
    entries = active.get(kind) if isinstance(active, dict) else None
    if not isinstance(entries, list):
        return []
    return sorted({e["code"] for e in entries if isinstance(e, dict) and isinstance(e.get("code"), str)})


def outcome(store: dict[str, Any]) -> tuple[str, list[str]]:
    """(``valid``, ``valid, signer untrusted`` or ``tampered``...) and the failure codes."""
    state = store.get("validation_state")
    failures = _codes(store.get("validation_results"), "failure")
    if not failures:
        status = store.get("validation_status")
        if isinstance(status, list):
            failures = sorted(
                {s["code"] for s in status if isinstance(s, dict) and isinstance(s.get("code"), str)}
            )
    broken = [c for c in failures if c != "signingCredential.untrusted"]
    if state == "Invalid" or broken:
        return "tampered or broken (invalid)", failures
    if "signingCredential.untrusted" in failures:
        return "valid, signer untrusted (not on a trust list)", failures
    return ("trusted" if state == "Trusted" else "valid"), failures


def _ingredient(item: dict[str, Any], key: str) -> dict[str, Any]:
    media: dict[str, Any] = {"@id": key, "@type": "ImageObject"}
    title, kind = _text(item.get("title")), _text(item.get("format"))
    if title:
        media["fileName"] = title
    if kind and "/" in kind:
        media["encodingFormat"] = kind
    for field in ("instance_id", "document_id"):
        if _text(item.get(field)):
            media.setdefault("schema:identifier", []).append(item[field])
    digest = item.get("hash")
    if isinstance(digest, str) and re.fullmatch(r"[0-9a-fA-F]{64}", digest):
        media["sha256"] = digest.lower()
    elif _text(digest):
        media["schema:description"] = f"C2PA ingredient hash {digest}"
    return media


def _actions(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for assertion in manifest.get("assertions") or []:
        if not isinstance(assertion, dict) or not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        data = assertion.get("data")
        actions = data.get("actions") if isinstance(data, dict) else None
        found.extend(a for a in actions or [] if isinstance(a, dict) and _text(a.get("action")))
    return found


def _agent_name(value: object) -> str | None:
    if isinstance(value, dict):
        return " ".join(t for t in (_text(value.get("name")), _text(value.get("version"))) if t) or None
    return _text(value)


def _action_step(action: dict[str, Any], label: str) -> dict[str, Any]:
    name = str(action["action"]).strip()
    step: dict[str, Any] = {"@type": "Activity", "prov:type": name}
    step.update(_time(action.get("when"), "startedAtTime", "startDate"))
    said = [f"C2PA action {name} (manifest {label})"]
    agent = _agent_name(action.get("softwareAgent"))
    if agent:
        step["prov:wasAssociatedWith"] = [{"@type": "prov:SoftwareAgent", "schema:name": agent}]
        said.append(f"software agent {agent}")
    source = _text(action.get("digitalSourceType"))
    if source:
        step["schema:digitalSourceType"] = {"@id": source} if ":" in source else source
        said.append(f"digital source type {source}")
    parameters = action.get("parameters")
    if isinstance(parameters, dict) and _text(parameters.get("name")):
        said.append(f"named {parameters['name']}")
    step["description"] = {"en": "; ".join(said)}
    return step


def _manifest_steps(
    label: str, manifest: dict[str, Any], number: int, verdict: str | None
) -> list[dict[str, Any]]:
    """The signing step of one manifest (and its ingredients), then one step per action."""
    signing: dict[str, Any] = {"@type": "Activity", "prov:type": "c2pa.claim"}
    info = manifest.get("signature_info")
    info = info if isinstance(info, dict) else {}
    signing.update(_time(info.get("time"), "endedAtTime", "endDate"))
    agents: list[dict[str, Any]] = []
    said = [f"C2PA manifest {label}"]
    made_by = generator(manifest)
    if made_by:
        agents.append(
            {"@type": "prov:SoftwareAgent", "schema:name": made_by, "schema:roleName": "claim generator"}
        )
        said.append(f"claim generator {made_by}")
    signer, issuer = _text(info.get("common_name")), _text(info.get("issuer"))
    if signer or issuer:
        agent: dict[str, Any] = {"@type": "prov:Agent", "schema:roleName": "signer"}
        if signer:
            agent["schema:name"] = signer
        if issuer:
            agent["schema:issuedBy"] = {"@type": "schema:Organization", "schema:name": issuer}
        agents.append(agent)
        said.append(
            f"signed by {signer or 'an unnamed signer'}"
            + (f" (certificate issuer {issuer})" if issuer else "")
        )
    if _text(info.get("time")):
        said.append(f"signing time {info['time']}")
    else:
        said.append("no trusted signing time")
    if agents:
        signing["prov:wasAssociatedWith"] = agents
    ingredients = [i for i in manifest.get("ingredients") or [] if isinstance(i, dict)]
    used = [_ingredient(item, f"_:c2pa-{number}-ingredient-{n}") for n, item in enumerate(ingredients, 1)]
    if used:
        signing["used"] = used
    if verdict:
        said.append(verdict)
    signing["description"] = {"en": "; ".join(said)}
    return [*(_action_step(a, label) for a in _actions(manifest)), signing]


def _authors(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    people = []
    for assertion in manifest.get("assertions") or []:
        if not isinstance(assertion, dict) or assertion.get("label") != "stds.schema-org.CreativeWork":
            continue
        data = assertion.get("data")
        authors = data.get("author") if isinstance(data, dict) else None
        for author in authors if isinstance(authors, list) else [authors]:
            if isinstance(author, dict) and _text(author.get("name")):
                kind = "Organization" if author.get("@type") == "Organization" else "Person"
                people.append({"@type": kind, "name": {"und": author["name"].strip()}})
    return people


def apply_store(record: dict[str, Any], store: dict[str, Any], issues: list[Issue], source: str) -> None:
    """Put c2pa-python's report of a manifest store into ``record`` (see the module)."""
    manifests = store.get("manifests")
    if not isinstance(manifests, dict) or not manifests:
        issues.append(
            Issue(
                record.get("@id"),
                "provenance",
                "the C2PA manifest store holds no manifest",
                "ingest-c2pa",
                source=source,
            )
        )
        return
    active = store.get("active_manifest")
    verdict, failures = outcome(store)
    stated = f"C2PA validation: {verdict}" + (f" ({', '.join(failures)})" if failures else "")
    notes = _codes(store.get("validation_results"), "informational")
    if notes:
        stated += f"; informational: {', '.join(notes)}"
    order = [k for k in manifests if k != active] + ([active] if active in manifests else [])
    steps: list[dict[str, Any]] = []
    for number, label in enumerate(order, 1):
        manifest = manifests[label]
        if isinstance(manifest, dict):
            steps.extend(_manifest_steps(str(label), manifest, number, stated if label == active else None))
    record["provenance"] = [*steps, *record.get("provenance", [])]
    head = manifests.get(active) if isinstance(active, str) else None
    if isinstance(head, dict):
        signing = steps[-1]
        ingredients = [i for i in head.get("ingredients") or [] if isinstance(i, dict)]
        derived = [
            m["@id"]
            for m, i in zip(signing.get("used", []), ingredients, strict=False)
            if i.get("relationship") in _DERIVED
        ]
        if derived:
            record["prov:wasDerivedFrom"] = [{"@id": d} for d in derived]
        created = [a for a in _actions(head) if _text(a.get("digitalSourceType"))]
        if created and "digitalSourceType" not in record and ":" in created[0]["digitalSourceType"]:
            record["digitalSourceType"] = created[0]["digitalSourceType"].strip()
        authors = _authors(head)
        if authors and not record.get("creator"):
            record["creator"] = authors
    if verdict.startswith("tampered"):
        issues.append(Issue(record.get("@id"), "provenance", stated, "ingest-c2pa", source=source))


def add_c2pa(record: dict[str, Any], path: str | Path, meta: ImageMetadata, issues: list[Issue]) -> None:
    """Read the C2PA manifest store of the image at ``path`` into ``record``; what cannot be read
    (a damaged store, a remote manifest, c2pa-python missing) is an issue, never a crash."""
    source = str(path)

    def say(message: str) -> None:
        issues.append(Issue(record.get("@id"), "provenance", message, "ingest-c2pa", source=source))

    try:
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            embedded = find_manifest_store(data, meta.media_type, source=source)
    except ReadError as error:
        say(f"the C2PA manifest store is damaged and is not read: {error.message}")
        return
    except (OSError, ValueError) as error:
        say(f"cannot look for a C2PA manifest store: {error}")
        return
    if not c2pa_available():
        if embedded is not None:
            say(
                "the file carries C2PA Content Credentials, but c2pa-python is not installed "
                "(pip install 'warphoto[c2pa]'): they are not read"
            )
        return
    remote = any(b"provenance" in packet for packet in meta.xmp_packets)  # dcterms:provenance
    if embedded is None and not remote and meta.media_type in SCANNED:
        return  # nothing for c2pa-python to read
    try:
        reading = read_c2pa(path)
    except ReadError as error:
        say(error.message)
        return
    if reading.remote_url is not None:
        say(f"the C2PA manifest lives only at a remote URL, which is not fetched: {reading.remote_url}")
        record["prov:has_provenance"] = {"@id": reading.remote_url}
        return
    if reading.store is None:
        if embedded is not None:
            say("a C2PA JUMBF box is present, but c2pa-python finds no manifest in it")
        return
    apply_store(record, reading.store, issues, source)
