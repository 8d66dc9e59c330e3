"""``redact``: a new, valid record or collection that carries only what a safety profile lets out."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from warphoto._quickcheck import STEP_TIME_KEYS
from warphoto._shape import reference_keys
from warphoto.dates import classify, surely_before
from warphoto.errors import WriteError
from warphoto.safety.coarsen import coarsen
from warphoto.safety.profiles import AUDIENCES, Profile, load_profile
from warphoto.validation import validate

__all__ = ["CONTACT_KEYS", "MODEL_KEYS", "REDACTION_EVENT", "redact", "serial_tag"]

#: PREMIS event type of a redaction
REDACTION_EVENT = "http://id.loc.gov/vocabulary/preservation/eventType/red"

#: IPTC licensor fields that are contact details (a licensor's name, id and web address stay)
CONTACT_KEYS = frozenset(
    {
        "licensorStreetAddress",
        "licensorExtendedAddress",
        "licensorCity",
        "licensorRegion",
        "licensorPostalCode",
        "licensorCountry",
        "licensorTelephoneType1",
        "licensorTelephone1",
        "licensorTelephoneType2",
        "licensorTelephone2",
        "licensorEmail",
    }
)
#: IPTC fields about the models, the persons shown: their ages, release ids and "ethnicity and
#: other facets" (AddlModelInfo); the release status and the minor-age disclosure code stay
MODEL_KEYS = frozenset({"modelAge", "additionalModelInfo", "modelReleaseId"})
_RESTRICTION_KEYS = ("accessAudience", "accessReason", "restrictedField")
_FILE_TAGS = frozenset({"filename", "directory", "sourcefile"})
#: what a street-level place keeps when coarsening to the town: the town it lies in, its country
_TOWN_KEYS = ("@id", "@type", "containedInPlace", "countryCode")
_OWNER_TAGS = frozenset({"ownername", "cameraownername", "artist"})


def serial_tag(name: str) -> bool:
    """Whether an EXIF tag (ExifTool name) identifies a device or its owner."""
    low = name.lower().rsplit(":", 1)[-1]
    return "serialnumber" in low or low in _OWNER_TAGS


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in ``value`` (value objects included), parents before children."""
    if isinstance(value, dict):
        yield value
        for key, item in list(value.items()):
            if key != "@context":
                yield from _nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _nodes(item)


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type", [])
    return [kind] if isinstance(kind, str) else [k for k in kind if isinstance(k, str)]


def _prune(value: Any, drop: Callable[[dict[str, Any]], bool]) -> Any:
    """Remove, at any depth, every object for which ``drop`` is true (from lists and from keys)."""
    if isinstance(value, list):
        return [_prune(v, drop) for v in value if not (isinstance(v, dict) and drop(v))]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "@context" or (isinstance(item, dict) and drop(item)):
                if key == "@context":
                    out[key] = item
                continue
            pruned = _prune(item, drop)
            if pruned != []:
                out[key] = pruned
        return out
    return value


class _Redaction:
    """One redaction of one document: the steps, and the kinds of data each step acted on."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.acted: dict[str, str] = {}
        self.rename: dict[str, str] = {}  # IRIs of anonymised nodes -> new blank labels
        self.unknown_audiences: set[str] = set()
        self.removed_files: set[str] = set()  # removed file names and paths, scrubbed from every text

    def note(self, kind: str, action: str = "removed") -> None:
        self.acted.setdefault(kind, action)

    # ----------------------------------------------------------------- restrictions
    def hidden(self, node: dict[str, Any]) -> bool:
        audience = node.get("accessAudience")
        if audience is None:
            return False
        if audience not in AUDIENCES:
            self.unknown_audiences.add(str(audience))
            return True  # an audience no profile knows gets the strictest treatment
        return AUDIENCES.index(audience) > AUDIENCES.index(self.profile.audience)

    def restrictions(self, doc: Any) -> Any:
        for node in _nodes(doc):
            fields = node.pop("restrictedField", [])
            for key in fields if isinstance(fields, list) else []:
                if isinstance(key, str) and node.pop(key, None) is not None:
                    self.note("restricted fields")
        for node in _nodes(doc):
            if not self.hidden(node):
                continue
            self.note("restricted nodes")
            if "Photograph" in _types(node) or "personShown" in node or "person" in node:
                node["__drop__"] = True  # a photograph or a person-shown entry leaves entirely
            else:
                self.anonymise(node)
        if isinstance(doc, dict) and doc.pop("__drop__", None):
            ident = doc.get("@id", "(without @id)")
            raise WriteError(
                f"record {ident}: the record is restricted beyond the profile's audience "
                f"({self.profile.audience}): nothing of it may leave"
            )
        doc = _prune(doc, lambda n: bool(n.get("__drop__")))
        for node in _nodes(doc):
            for key in _RESTRICTION_KEYS:
                node.pop(key, None)
        return doc

    def anonymise(self, node: dict[str, Any], keep: tuple[str, ...] = ("@id", "@type")) -> None:
        """Keep only the node's identity (a new blank label if it had an IRI), type and ``keep``."""
        kept: dict[str, Any] = {k: node[k] for k in keep if k in node}
        node.clear()
        node.update(kept)
        ident = kept.get("@id")
        if isinstance(ident, str) and not ident.startswith("_:"):
            self.rename.setdefault(ident, f"_:anon{len(self.rename) + 1}")

    # ----------------------------------------------------------------- kinds of data
    def persons_shown(self, doc: Any) -> None:
        shown: set[str] = set()
        for node in _nodes(doc):
            for key in MODEL_KEYS & node.keys():  # IPTC's facts about the models (persons shown)
                del node[key]
                self.note("persons shown")
            for entry in node.get("personShown", []) if isinstance(node.get("personShown"), list) else []:
                if not isinstance(entry, dict):
                    continue
                for key in ("description", "age"):
                    if entry.pop(key, None) is not None:
                        self.note("persons shown")
                person = entry.get("person")
                if isinstance(person, str):
                    shown.add(person)
                elif isinstance(person, dict):
                    if isinstance(person.get("@id"), str):
                        shown.add(person["@id"])
                    self.anonymise(person)
                    self.note("persons shown")
        described: set[str] = set()
        for node in _nodes(doc):
            if node.get("@id") in shown and "Person" in _types(node):
                described.add(node["@id"])
                self.anonymise(node)
                self.note("persons shown")
        for node in _nodes(doc):  # a person known only by an IRI (often made from a name) goes
            for entry in node.get("personShown", []) if isinstance(node.get("personShown"), list) else []:
                person = entry.get("person") if isinstance(entry, dict) else None
                if isinstance(person, str) and person not in described:
                    entry["person"] = {"@type": "Person"}
                    self.note("persons shown")

    def image_regions(self, doc: Any) -> None:
        for node in _nodes(doc):
            if node.pop("imageRegion", None) is not None:
                self.note("image regions")

    def coordinates(self, doc: Any) -> None:
        mode = self.profile.coordinates
        done = {"coarsen": f"coarsened to a grid of {self.profile.grid_km:g} km", "town": "kept to the town"}
        action = done.get(mode, "removed")
        for node in _nodes(doc):
            exif = node.get("exifData")
            if isinstance(exif, list):
                kept = [p for p in exif if not _tag(p).lower().startswith("gps")]
                if len(kept) != len(exif):
                    self.note("coordinates", action)  # EXIF GPS tags go whole, also when coarsening
                    _set_or_drop(node, "exifData", kept)
            geo = node.get("geo")
            if not isinstance(geo, dict):
                continue
            lat, lon = geo.get("latitude"), geo.get("longitude")
            if mode == "coarsen" and isinstance(lat, int | float) and isinstance(lon, int | float):
                clat, clon = coarsen(float(lat), float(lon), self.profile.grid_km)
                kept_geo = {k: v for k, v in geo.items() if k in ("@id", "@type")}
                node["geo"] = {**kept_geo, "latitude": clat, "longitude": clon}
            else:
                del node["geo"]
            self.note("coordinates", action)
        if mode == "town":
            self.streets(doc)

    def streets(self, doc: Any) -> None:
        """Street-level places (``@type`` Place: a sublocation) keep only the town they lie in."""
        for node in _nodes(doc):
            if node.pop("legacySublocation", None) is not None:
                self.note("street-level places")
            if _types(node) == ["Place"] and set(node) - set(_TOWN_KEYS):
                self.anonymise(node, _TOWN_KEYS)
                self.note("street-level places")

    def contact_details(self, doc: Any) -> None:
        for node in _nodes(doc):
            if node.pop("creatorContactInfo", None) is not None:
                self.note("contact details")
            for key in CONTACT_KEYS & node.keys():
                del node[key]
                self.note("contact details")

    def serial_numbers(self, doc: Any) -> None:
        self._drop_tags(doc, serial_tag, "serial numbers")

    def file_names(self, doc: Any) -> None:
        def is_file_tag(tag: str) -> bool:
            return tag.lower().rsplit(":", 1)[-1] in _FILE_TAGS

        for node in _nodes(doc):
            for item in node.get("exifData", []) if isinstance(node.get("exifData"), list) else []:
                if is_file_tag(_tag(item)) and isinstance(item, dict):
                    self.remember_file(item.get("value"))
        self._drop_tags(doc, is_file_tag, "file names")
        for node in _nodes(doc):
            for key in ("fileName", "contentUrl"):
                value = node.pop(key, None)
                if value is not None:
                    self.remember_file(value)
                    self.note("file names")
            ident = node.get("@id")
            if isinstance(ident, str) and ident.lower().startswith("file:"):
                self.remember_file(ident)
                self.anonymise_id(ident)

    def remember_file(self, value: Any) -> None:
        """Note a removed file name, URL or path (and its last part) to scrub from every text."""
        if not isinstance(value, str):
            return
        for text in (value, unquote(value), unquote(value).rstrip("/").rsplit("/", 1)[-1]):
            if len(text) >= 3:
                self.removed_files.add(text)

    def scrub(self, doc: Any) -> Any:
        """Every text with the removed file names replaced (an ingest step names the file it read)."""
        names = sorted(self.removed_files, key=len, reverse=True)
        refs = reference_keys()

        def walk(value: Any, key: str | None) -> Any:
            if isinstance(value, list):
                return [walk(v, key) for v in value]
            if isinstance(value, dict):
                return {k: v if k in ("@id", "@type", "@context") else walk(v, k) for k, v in value.items()}
            if isinstance(value, str) and key not in refs:
                for name in names:
                    value = value.replace(name, "(file name removed)")
            return value

        return walk(doc, None) if names else doc

    def anonymise_id(self, ident: str) -> None:
        self.rename.setdefault(ident, f"_:anon{len(self.rename) + 1}")
        self.note("file names")

    def extensions(self, doc: Any) -> None:
        """Extension keys go: a profile cannot judge them (ingest keeps IPTC's own forms there)."""
        for node in _nodes(doc):
            if "@value" in node:
                continue
            for key in [k for k in node if ":" in k and not k.startswith("@")]:
                del node[key]
                self.note("extension keys")

    def free_text(self, doc: Any) -> None:
        for node in _nodes(doc):
            if "@value" in node:
                continue
            for key in self.profile.free_text:
                if node.pop(key, None) is not None:
                    self.note(f"free text ({key})")

    def _drop_tags(self, doc: Any, match: Callable[[str], bool], kind: str) -> None:
        for node in _nodes(doc):
            exif = node.get("exifData")
            if isinstance(exif, list):
                kept = [p for p in exif if not match(_tag(p))]
                if len(kept) != len(exif):
                    self.note(kind)
                    _set_or_drop(node, "exifData", kept)

    # ----------------------------------------------------------------- labels and the step
    def relabel(self, doc: Any) -> Any:
        """Every blank label and every IRI of an anonymised node becomes ``_:r1``, ``_:r2``..."""
        refs = reference_keys()
        labels: dict[str, str] = {}

        def label(old: str) -> str:
            key = self.rename.get(old, old)
            return labels.setdefault(key, f"_:r{len(labels) + 1}")

        def walk(value: Any, key: str | None) -> Any:
            if isinstance(value, list):
                return [walk(v, key) for v in value]
            if isinstance(value, dict):
                if "@value" in value:
                    return value
                out: dict[str, Any] = {}
                for name, item in value.items():
                    if name == "@id" and self.relabelled(item):
                        out[name] = label(item)
                    elif name == "@context" or ":" in name:
                        out[name] = item
                    else:
                        out[name] = walk(item, name)
                return out
            if key in refs and self.relabelled(value):
                return label(value)
            return value

        return walk(doc, None)

    def relabelled(self, value: Any) -> bool:
        return isinstance(value, str) and (value.startswith("_:") or value in self.rename)

    def step(self, now: dt.datetime) -> dict[str, Any]:
        acted = "; ".join(f"{kind}: {action}" for kind, action in sorted(self.acted.items()))
        text = f"Redacted with the safety profile {self.profile.name!r} (audience {self.profile.audience})"
        text += f". {acted}." if acted else ". Nothing needed removing."
        if self.unknown_audiences:
            text += f" {len(self.unknown_audiences)} unknown audience(s) treated as archive-only."
        return {
            "@type": "Activity",
            "additionalType": [REDACTION_EVENT],
            "startedAtTime": {"@value": now.isoformat(timespec="seconds"), "@type": "xsd:dateTime"},
            "description": {"en": text},
        }


def _tag(value: Any) -> str:
    if isinstance(value, dict) and isinstance(value.get("propertyID"), str):
        return str(value["propertyID"])
    return ""


def _set_or_drop(node: dict[str, Any], key: str, items: list[Any]) -> None:
    if items:
        node[key] = items
    else:
        node.pop(key, None)


def _step_time(step: Any) -> str | None:
    """When a provenance step happened, read as the provenance-order rule reads it."""
    for key in STEP_TIME_KEYS:
        value = step.get(key) if isinstance(step, dict) else None
        text = value.get("@value") if isinstance(value, dict) else None
        if isinstance(text, str) and classify(text) is not None:
            return text
    return None


def _refuse_later_steps(doc: Any, now: str) -> None:
    """A photograph whose last dated provenance step lies after ``now`` cannot gain the redaction step."""
    described = {n["@id"]: n for n in _nodes(doc) if isinstance(n.get("@id"), str) and len(n) > 1}
    for node in _nodes(doc):
        steps = node.get("provenance")
        if "Photograph" not in _types(node) or not isinstance(steps, list):
            continue
        for index in range(len(steps) - 1, -1, -1):
            step = described.get(steps[index]) if isinstance(steps[index], str) else steps[index]
            when = _step_time(step)
            if when is None:
                continue
            if surely_before(now, when):
                raise WriteError(
                    f"record {node.get('@id', '(without @id)')}: provenance step {index} is dated {when}, "
                    f"after the redaction ({now}); the redaction is a step of its own, added when it "
                    "happens, and the chain stays in time order: correct that step's date (a clock set "
                    "wrong?) and redact again"
                )
            break


def redact(
    record: dict[str, Any], profile: Profile | str | Path, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """A new, valid record or collection with what ``profile`` lets out; ``record`` is not changed.

    Each photograph gains a provenance step saying which profile, when, and which kinds of data
    were removed or coarsened (never the removed values). Raises ``WriteError`` when the record
    itself is restricted beyond the profile's audience or a photograph has a provenance step dated
    after ``now`` (the redaction step would break time order), ``ValidationError`` if the result is
    invalid.
    """
    chosen = profile if isinstance(profile, Profile) else load_profile(profile)
    when = now or dt.datetime.now(dt.UTC)
    _refuse_later_steps(record, when.isoformat(timespec="seconds"))
    work = _Redaction(chosen)
    doc = work.restrictions(copy.deepcopy(record))
    for kind in ("persons_shown", "image_regions", "contact_details", "serial_numbers", "file_names"):
        if chosen.action(kind) == "remove":
            getattr(work, kind)(doc)
    if chosen.coordinates != "keep":
        work.coordinates(doc)
    work.free_text(doc)
    work.extensions(doc)
    doc = work.scrub(work.relabel(doc))
    step = work.step(when)
    for node in _nodes(doc):
        if "Photograph" in _types(node):
            node["provenance"] = [*node.get("provenance", []), copy.deepcopy(step)]
    validate(doc)
    result: dict[str, Any] = doc
    return result
