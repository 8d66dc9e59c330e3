"""The schema.org web profile: plain schema.org JSON-LD for embedding in web pages.

Writing gives one ``ImageObject`` per photograph with the fields search engines read for
image licensing (``contentUrl``, ``creator``, ``creditText``, ``copyrightNotice``,
``license``, ``acquireLicensePage``, ``contentLocation``, ``dateCreated``) and a few more,
under ``"@context": "https://schema.org"`` and nothing else. Text is written in one
language (``language=``, default English when present) unless ``languages="all"``.

Reading takes such markup (an ``ImageObject`` scraped from a page) and makes a record of it.
schema.org's context is never fetched: the keys are read as schema.org terms directly.
What could not be mapped is reported through the readers' one channel: ``issues=[]`` receives
an :class:`~warphoto.validation.Issue` (rule ``schemaorg-unmapped``) for each thing left out,
and ``strict=True`` makes any of them a ReadError (see :mod:`warphoto.formats`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from warphoto import _resources
from warphoto._iptcdoc import iptc_only_fields
from warphoto.dates import classify
from warphoto.errors import ReadError, UnsafeInputError, WriteError
from warphoto.formats import Format, register
from warphoto.formats._triples import nodes_of
from warphoto.formats.jsonld import parse_json
from warphoto.validation import Issue

__all__ = ["UNMAPPED_RULE", "from_schemaorg", "to_schemaorg"]

Document = dict[str, Any]

SCHEMA_CONTEXT = "https://schema.org"
_SCHEMA_CONTEXTS = frozenset(
    {
        "https://schema.org",
        "https://schema.org/",
        "http://schema.org",
        "http://schema.org/",
    }
)
_PHOTO_TYPES = frozenset({"ImageObject", "Photograph"})
_AGENT_TYPES = frozenset({"Person", "Organization"})
_PLACE_TYPES = frozenset({"Place", "City", "State", "Country", "Continent", "AdministrativeArea"})
_PLACE_SCHEMA_TYPES = _PLACE_TYPES | {"LandmarksOrHistoricalBuildings", "TouristAttraction", "Residence"}


#: the rule of the issues the reader reports for what it could not map
UNMAPPED_RULE = "schemaorg-unmapped"


# ------------------------------------------------------------------------------ writer


class _Writer:
    def __init__(self, document: Mapping[str, Any], language: str | None, all_languages: bool) -> None:
        self.index: dict[str, Mapping[str, Any]] = {}
        for node in nodes_of(document):
            if isinstance(node, Mapping) and isinstance(node.get("@id"), str):
                self.index[node["@id"]] = node
        self.language = language
        self.all_languages = all_languages
        self.used: set[str] = set()

    def _pick(self, lang_map: Mapping[str, Any]) -> str:
        if self.language in lang_map:
            lang = str(self.language)
        else:
            lang = "en" if "en" in lang_map else next(iter(lang_map))
        self.used.add(lang)
        return lang

    def resolve(self, value: Any) -> Any:
        if isinstance(value, str) and value in self.index:
            return self.index[value]
        return value

    def text(self, lang_map: Any) -> Any:
        if not isinstance(lang_map, Mapping) or not lang_map:
            return None
        if self.all_languages:
            tagged = [{"@value": t, "@language": lang} for lang, t in lang_map.items()]
            return tagged if len(tagged) > 1 else tagged[0]
        return lang_map[self._pick(lang_map)]

    def texts(self, lang_map: Any) -> Any:
        if not isinstance(lang_map, Mapping) or not lang_map:
            return None
        if self.all_languages:
            return [{"@value": t, "@language": lang} for lang, items in lang_map.items() for t in items]
        return list(lang_map[self._pick(lang_map)])

    def begin(self, value: Any, default_type: str) -> tuple[Mapping[str, Any] | None, Any]:
        """The node ``value`` refers to and its output begun (@type, an @id unless blank, name);
        for a reference to no node, no node and the whole output (None for a blank node)."""
        node = self.resolve(value)
        if isinstance(node, str):
            return None, {"@id": node} if not node.startswith("_:") else None
        out: dict[str, Any] = {"@type": node.get("@type", default_type)}
        if isinstance(node.get("@id"), str) and not node["@id"].startswith("_:"):
            out["@id"] = node["@id"]
        _put(out, "name", self.text(node.get("name")))
        return node, out

    def agent(self, value: Any) -> Any:
        node, out = self.begin(value, "Person")
        if node is None:
            return out
        _put(out, "url", node.get("url"))
        _put(out, "sameAs", node.get("sameAs"))
        return out

    def place(self, value: Any, depth: int = 0) -> Any:
        node, out = self.begin(value, "Place")
        if node is None:
            return out
        geo = node.get("geo")
        if isinstance(geo, Mapping):
            out["geo"] = {
                "@type": "GeoCoordinates",
                **{k: v for k, v in geo.items() if not k.startswith("@")},
            }
        _put(out, "sameAs", node.get("sameAs"))
        parent = node.get("containedInPlace")
        if parent is not None and depth < 8:
            _put(out, "containedInPlace", self.place(parent, depth + 1))
        return out

    def photograph(self, record: Mapping[str, Any]) -> dict[str, Any]:
        self.used = set()
        out: dict[str, Any] = {"@context": SCHEMA_CONTEXT, "@type": ["ImageObject", "Photograph"]}
        if isinstance(record.get("@id"), str) and not record["@id"].startswith("_:"):
            out["@id"] = record["@id"]
        files = [self.resolve(f) for f in record.get("associatedMedia", [])]
        files = [f for f in files if isinstance(f, Mapping)]
        master = next((f for f in files if f.get("fileRole") == "master"), files[0] if files else None)
        if master is not None:
            for key in ("contentUrl", "encodingFormat", "width", "height"):
                _put(out, key, master.get(key))
        _put(out, "identifier", record.get("identifier"))
        _put(out, "headline", self.text(record.get("headline")))
        _put(out, "name", self.text(record.get("title")))
        _put(out, "caption", self.text(record.get("caption")))
        _put(out, "keywords", self.texts(record.get("keywords")))
        created = record.get("dateCreated")
        if isinstance(created, Mapping):
            _put(out, "dateCreated", created.get("@value"))
        _put(out, "creator", _list(self.agent(a) for a in record.get("creator", [])))
        _put(out, "creditText", record.get("creditText"))
        _put(out, "copyrightNotice", self.text(record.get("copyrightNotice")))
        _put(out, "copyrightHolder", _list(self.agent(a) for a in record.get("copyrightHolder", [])))
        _put(out, "license", record.get("license"))
        _put(out, "acquireLicensePage", record.get("acquireLicensePage"))
        _put(out, "contentLocation", _list(self.place(p) for p in record.get("contentLocation", [])))
        if record.get("locationCreated") is not None:
            _put(out, "locationCreated", self.place(record["locationCreated"]))
        _put(out, "url", record.get("url"))
        if len(self.used) == 1 and not self.all_languages:
            out["inLanguage"] = next(iter(self.used))
        return out


def _begun(value: Mapping[str, Any], type_: str) -> dict[str, Any]:
    """A record node begun from a schema.org node: its @id (when it has one) and ``type_``."""
    out: dict[str, Any] = {}
    if isinstance(value.get("@id"), str):
        out["@id"] = value["@id"]
    out["@type"] = type_
    return out


def _put(node: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != []:
        node[key] = value


def _list(items: Any) -> list[Any]:
    return [item for item in items if item is not None]


def to_schemaorg(
    document: Mapping[str, Any],
    *,
    language: str | None = None,
    languages: str = "one",
    indent: int | None = 2,
    **_options: Any,
) -> str:
    """schema.org JSON-LD: one ImageObject for a record, a list for a collection's photographs."""
    if languages not in ("one", "all"):
        raise WriteError(f"languages must be 'one' or 'all', not {languages!r}")
    writer = _Writer(document, language, languages == "all")
    photos = [
        writer.photograph(node)
        for node in nodes_of(document)
        if isinstance(node, Mapping) and "Photograph" in _types(node)
    ]
    if not photos:
        raise WriteError("the schema.org profile describes photographs; this document has none")
    value: Any = photos[0] if len(photos) == 1 and "@graph" not in document else photos
    return json.dumps(value, ensure_ascii=False, indent=indent)


def _types(node: Mapping[str, Any]) -> list[str]:
    value = node.get("@type")
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


# ------------------------------------------------------------------------------ reader


def _check_context(value: Any, source: str | None) -> None:
    context = value.get("@context") if isinstance(value, Mapping) else None
    items = context if isinstance(context, list) else [context]
    for item in items:
        if item is None or (
            isinstance(item, str) and item.rstrip("/") in {c.rstrip("/") for c in _SCHEMA_CONTEXTS}
        ):
            continue
        if (
            isinstance(item, Mapping)
            and set(item) <= {"@vocab", "@language"}
            and str(item.get("@vocab", "https://schema.org/")).rstrip("/")
            in ("https://schema.org", "http://schema.org")
        ):
            continue
        raise UnsafeInputError(
            f"the schema.org reader takes only the plain schema.org context, not {item!r}; "
            "warphoto never fetches contexts",
            source=source,
        )


_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


class _Reader:
    def __init__(self, source: str | None) -> None:
        self.unmapped: list[Issue] = []
        self.source = source
        self.language = "und"

    def skip(self, path: str, why: str = "") -> None:
        message = f"not mapped: {why}" if why else "not mapped: schema.org term the record has no field for"
        self.unmapped.append(Issue(None, path, message, UNMAPPED_RULE, source=self.source))

    def text_map(self, value: Any, path: str) -> dict[str, str] | None:
        out: dict[str, str] = {}
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(item, str) and item.strip():
                lang = self.language
                if lang in out:
                    self.skip(f"{path}[{index}]", "a second text in the same language")
                    continue
                out[lang] = item
            elif isinstance(item, Mapping) and isinstance(item.get("@value"), str):
                lang = str(item.get("@language") or self.language)
                if lang in out:
                    self.skip(f"{path}[{index}]", "a second text in the same language")
                    continue
                out[lang] = item["@value"]
            else:
                self.skip(path, "not text")
        return out or None

    def keywords(self, value: Any, path: str) -> dict[str, list[str]] | None:
        out: dict[str, list[str]] = {}
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                for word in (w.strip() for w in item.split(",")):
                    if word and word not in out.setdefault(self.language, []):
                        out[self.language].append(word)
            elif isinstance(item, Mapping) and isinstance(item.get("@value"), str):
                out.setdefault(str(item.get("@language") or self.language), []).append(item["@value"])
            else:
                self.skip(path, "not a keyword")
        return {k: v for k, v in out.items() if v} or None

    def iri(self, value: Any, path: str) -> str | None:
        if isinstance(value, Mapping) and isinstance(value.get("@id"), str):
            value = value["@id"]
        if isinstance(value, Mapping) and isinstance(value.get("url"), str):
            value = value["url"]
        if isinstance(value, str) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value):
            return value
        self.skip(path, "not an IRI")
        return None

    def not_a_node(self, value: Any, path: str, type_: str, what: str) -> Any:
        """What a ``value`` that is not a node gives: an http(s) IRI stays, a text is the name of
        a node of ``type_``, anything else is skipped as not ``what``."""
        if isinstance(value, str):
            if re.match(r"^https?://", value):
                return value
            return {"@type": type_, "name": {self.language: value}}
        self.skip(path, f"not {what}")
        return None

    def agent(self, value: Any, path: str) -> Any:
        if not isinstance(value, Mapping):
            return self.not_a_node(value, path, "Person", "a person or organization")
        types = [t for t in _types(value) if t in _AGENT_TYPES]
        out = _begun(value, types[0] if types else "Person")
        for key, item in value.items():
            if key in ("@id", "@type"):
                continue
            if self.names(out, key, item, path):
                continue
            if key == "jobTitle" and out["@type"] == "Person":
                _put(out, "jobTitle", self.text_map(item, f"{path}.jobTitle"))
            elif key in ("url",):
                _put(out, key, self.iri(item, f"{path}.{key}"))
            elif key == "sameAs":
                _put(out, "sameAs", _list(self.iri(v, f"{path}.sameAs") for v in _as_list(item)))
            else:
                self.skip(f"{path}.{key}")
        return out

    def names(self, out: dict[str, Any], key: str, item: Any, path: str) -> bool:
        """Map name, alternateName or description into ``out``; False for any other key."""
        if key in ("name", "description"):
            _put(out, key, self.text_map(item, f"{path}.{key}"))
        elif key == "alternateName":
            _put(out, key, self.keywords(item, f"{path}.{key}"))
        else:
            return False
        return True

    def place(self, value: Any, path: str, depth: int = 0) -> Any:
        if not isinstance(value, Mapping):
            return self.not_a_node(value, path, "Place", "a place")
        types = _types(value)
        kind = next((t for t in types if t in _PLACE_TYPES), "Place")
        out = _begun(value, kind)
        for key, item in value.items():
            if key in ("@id", "@type"):
                continue
            if self.names(out, key, item, path):
                continue
            if key == "geo" and isinstance(item, Mapping):
                geo = {k: _number(item.get(k)) for k in ("latitude", "longitude", "elevation") if k in item}
                if all(isinstance(v, (int, float)) for v in geo.values()) and {
                    "latitude",
                    "longitude",
                } <= set(geo):
                    out["geo"] = {**({"@type": "GeoCoordinates"} if "@type" in item else {}), **geo}
                else:
                    self.skip(f"{path}.geo", "needs numeric latitude and longitude")
            elif key == "sameAs":
                _put(out, "sameAs", _list(self.iri(v, f"{path}.sameAs") for v in _as_list(item)))
            elif key == "containedInPlace" and depth < 8:
                _put(out, "containedInPlace", self.place(item, f"{path}.containedInPlace", depth + 1))
            else:
                self.skip(f"{path}.{key}")
        return out

    def date(self, value: Any, path: str) -> dict[str, str] | None:
        if isinstance(value, Mapping):
            value = value.get("@value")
        if not isinstance(value, str):
            self.skip(path, "not a date")
            return None
        kind = classify(value)
        if kind is None:
            match = re.match(r"^(\d{4}-\d{2}-\d{2})T[\d:.]+$", value)
            if match:
                self.skip(path, f"date-time {value!r} has no time zone; kept the date only")
                return {"@value": match.group(1), "@type": "xsd:date"}
            self.skip(path, f"{value!r} is not a date warphoto understands")
            return None
        return {"@value": value, "@type": kind}

    def photograph(self, value: Mapping[str, Any], path: str) -> Document:
        in_language = value.get("inLanguage")
        if isinstance(in_language, str) and _LANG_TAG.match(in_language):
            self.language = in_language
        record: Document = {"@context": _resources.CONTEXT_IRI}
        record_id = value.get("@id") or value.get("url") or value.get("contentUrl")
        if not isinstance(record_id, str):
            raise ReadError(
                f"{path}: the ImageObject has no @id, url or contentUrl to identify it", source=self.source
            )
        if "@id" not in value:
            self.skip(f"{path}.@id", f"missing; used {record_id}")
        record["@id"] = record_id
        record["@type"] = ["ImageObject", "Photograph"]
        media: dict[str, Any] = {}
        for key, item in value.items():
            where = f"{path}.{key}"
            if key in ("@context", "@id", "@type", "inLanguage"):
                continue
            if key in ("headline", "caption", "copyrightNotice", "usageTerms"):
                _put(record, key, self.text_map(item, where))
            elif key == "name":
                _put(record, "title", self.text_map(item, where))
            elif key == "description":
                if "caption" in value:
                    self.skip(where, "a caption is present; the description has no field of its own")
                else:
                    _put(record, "caption", self.text_map(item, where))
            elif key == "keywords":
                _put(record, "keywords", self.keywords(item, where))
            elif key in ("creator", "author", "copyrightHolder"):
                target = "copyrightHolder" if key == "copyrightHolder" else "creator"
                agents = _list(self.agent(a, f"{where}[{i}]") for i, a in enumerate(_as_list(item)))
                if agents:
                    record.setdefault(target, []).extend(agents)
            elif key in ("creditText", "identifier"):
                if isinstance(item, str) and item:
                    record[key] = item
                else:
                    self.skip(where, "not text")
            elif key in ("license", "acquireLicensePage", "url"):
                _put(record, key, self.iri(item, where))
            elif key in ("contentLocation", "locationCreated"):
                places = _list(self.place(p, f"{where}[{i}]") for i, p in enumerate(_as_list(item)))
                if places:
                    if key == "contentLocation":
                        record[key] = places
                    else:
                        record[key] = places[0]
            elif key == "dateCreated":
                _put(record, key, self.date(item, where))
            elif key == "contentUrl":
                _put(media, key, self.iri(item, where))
            elif key == "encodingFormat" and isinstance(item, str):
                media[key] = item
            elif key in ("width", "height"):
                number = _number(item.get("value") if isinstance(item, Mapping) else item)
                if isinstance(number, int) and number > 0:
                    media[key] = number
                else:
                    self.skip(where, "not a whole number of pixels")
            elif key == "isPartOf":
                _put(record, key, self.iri(item, where))
            else:
                self.skip(where)
        if media:
            if "contentUrl" in media:
                record["associatedMedia"] = [{"@type": "ImageObject", **media}]
            else:
                for key in media:
                    self.skip(f"{path}.{key}", "no contentUrl to attach it to")
        return record


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _number(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return None
    return None


def from_schemaorg(value: Any, *, source: str | None = None) -> tuple[Document, list[Issue]]:
    """A record (or collection) from parsed schema.org JSON-LD, and an issue for each thing not mapped."""
    items = value if isinstance(value, list) else [value]
    nodes: list[tuple[Mapping[str, Any], str]] = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise ReadError(f"$[{index}]: expected a JSON object", source=source)
        _check_context(item, source)
        base = f"$[{index}]" if isinstance(value, list) else "$"
        if "@graph" in item:
            for position, node in enumerate(_as_list(item["@graph"])):
                if isinstance(node, Mapping):
                    _check_context(node, source)
                    nodes.append((node, f"{base}.@graph[{position}]"))
        else:
            nodes.append((item, base))
    reader = _Reader(source)
    records: list[Document] = []
    for node, path in nodes:
        if _PHOTO_TYPES.intersection(_types(node)):
            reader.language = "und"
            records.append(reader.photograph(node, path))
        else:
            reader.skip(path, f"a {'/'.join(_types(node)) or 'node'} that is not an ImageObject")
    if not records:
        raise ReadError("no schema.org ImageObject or Photograph found", source=source)
    if len(records) == 1:
        return records[0], reader.unmapped
    graph = [{k: v for k, v in r.items() if k != "@context"} for r in records]
    return {"@context": _resources.CONTEXT_IRI, "@graph": graph}, reader.unmapped


def loads_schemaorg(
    data: str | bytes, *, source: str | None = None, issues: list[Issue] | None = None, **_options: Any
) -> Document:
    """A record from schema.org JSON-LD; ``issues`` receives what could not be mapped."""
    document, skipped = from_schemaorg(parse_json(data, source=source), source=source)
    if issues is not None:
        issues.extend(skipped)
    return document


register(
    Format(
        name="schemaorg",
        title="schema.org JSON-LD (web profile)",
        extensions=(".schema.jsonld",),
        media_type="application/ld+json",
        dumps=to_schemaorg,
        loads=loads_schemaorg,
        aliases=("schema.org", "web"),
        cannot_carry=(
            "personShown",
            "provenance",
            "recordedAt",
            "about",
            "genre",
            "contentWarning",
            "altText",
            "instructions",
            "digitalSourceType",
            "position",
            "extension keys",
            *iptc_only_fields(),
        ),
        notes="plain schema.org for web pages; lossy by design; reading reports what it could not map",
        options={
            "language": "the language to write text in (default: en when present, else the first)",
            "languages": "'one' (plain strings, default) or 'all' (language-tagged values)",
            "indent": "spaces of indentation (default 2); None writes one line",
        },
    )
)
