"""Checking records and collections: JSON Schema plus the semantic rules.

``validate(obj)`` raises :class:`~warphoto.errors.ValidationError` listing every issue;
``iter_issues(obj)`` yields them. Schemas come from the package through an offline
registry: a ``$ref`` to anything else is an error, never a download.
"""

from __future__ import annotations

import calendar
import difflib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from warphoto import _quickcheck, _resources
from warphoto._iri import is_iri
from warphoto._json import parse_json
from warphoto._shape import reference_keys
from warphoto.dates import classify, interval_ends, surely_before
from warphoto.errors import ReadError, ValidationError

if TYPE_CHECKING:  # jsonschema loads when a record fails the compiled check (or without jsonschema-rs)
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema import ValidationError as SchemaError
    from referencing import Registry, Resource

__all__ = ["Issue", "is_valid", "iter_issues", "iter_warnings", "validate"]

_REQUIRED_FORMATS = ("iri", "date", "date-time")


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in a record: where it is, what is wrong, and which rule says so."""

    record_id: str | None
    path: str
    message: str
    rule: str
    pointer: str = ""
    source: str | None = None
    line: int | None = None
    column: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        where = ""
        if self.source:
            where = self.source
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        record = f"[{self.record_id}] " if self.record_id else ""
        return f"{where}{record}{self.path}: {self.message} ({self.rule})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "path": self.path,
            "pointer": self.pointer,
            "message": self.message,
            "rule": self.rule,
            "source": self.source,
            "line": self.line,
            "column": self.column,
        }


# --------------------------------------------------------------------------- schema layer


def _retrieve(uri: str) -> Resource[Any]:
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # offline: only what the registry holds


@cache
def _registry() -> Registry[Any]:
    from referencing import Registry, Resource

    resources = [
        (doc["$id"], Resource.from_contents(doc))
        for doc in (_resources.schema(name) for name in _resources.schema_names())
    ]
    return Registry(retrieve=_retrieve).with_resources(resources)  # type: ignore[call-arg]


@cache
def _format_checker() -> FormatChecker:
    from jsonschema import FormatChecker

    checker = FormatChecker()
    checker.checks("x-edtf-interval")(_is_interval)
    checker.checks("iri")(is_iri)  # jsonschema's optional checker parses IRIs a few dozen a second
    missing = [name for name in _REQUIRED_FORMATS if name not in checker.checkers]
    if missing:  # pragma: no cover - depends on the installation
        raise RuntimeError(
            f"jsonschema cannot check the formats {missing}; install warphoto with its dependencies "
            "(rfc3339-validator)"
        )
    return checker


def _is_interval(value: object) -> bool:
    """Format check for EDTF intervals: both ends real dates (the pattern alone allows 2022-02-30)."""
    return not isinstance(value, str) or classify(value) == "edtf:EDTF"


@cache
def schema_validator(name: str) -> Draft202012Validator:
    """The compiled validator for one schema ("record", "collection", "photograph", ...), built once."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        _resources.schema(name), registry=_registry(), format_checker=_format_checker()
    )


def _rs_documents(fast: bool) -> list[tuple[str, Any]]:
    from warphoto._fastformats import fast_schemas

    documents = [_resources.schema(n) for n in _resources.schema_names()]
    if fast:
        documents = fast_schemas(documents)
    return [(doc["$id"], doc) for doc in documents]


@cache
def _rs_validator(name: str, fast: bool) -> Any:
    """Schema ``name`` compiled by jsonschema-rs (Rust), or None when it is not installed.

    ``fast``: the Python-checked formats are patterns Rust runs itself (a subset of what the
    precise checks accept, :mod:`warphoto._fastformats`); otherwise they call back into Python.
    """
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a dependency; this keeps a broken install working
        return None
    documents = _rs_documents(fast)
    schema = next(doc for uri, doc in documents if uri == _resources.schema(name)["$id"])
    return jsonschema_rs.Draft202012Validator(
        schema,
        registry=jsonschema_rs.Registry(documents),
        validate_formats=True,
        ignore_unknown_formats=False,
        formats={} if fast else {"x-edtf-interval": _is_interval, "iri": is_iri},
        pattern_options=jsonschema_rs.RegexOptions(),  # linear time, whatever the input
        offline=True,
    )


def _fast_validator(name: str) -> Any:
    """The callback-free compiled validator for ``name`` (None without jsonschema-rs)."""
    return _rs_validator(name, True)


def fast_schema_check(name: str, instance: Any) -> bool:
    """True when ``instance`` passes schema ``name``, as jsonschema's full validator says.

    The callback-free compiled check answers for a valid record; a record it refuses (or
    cannot take: text that is not Unicode) is checked again by the compiled validator with
    the precise Python format checks, then by jsonschema itself. Tests keep all three in
    agreement on every corpus record and on generated ones.
    """
    for fast in (True, False):
        validator = _rs_validator(name, fast)
        if validator is None:
            break
        try:
            if validator.is_valid(instance):
                return True
        except (ValueError, TypeError, OverflowError):  # e.g. a lone surrogate: Rust strings are UTF-8
            break
        if not fast:
            return False
    return bool(schema_validator(name).is_valid(instance))


# --------------------------------------------------------------------------- paths


def _json_path(parts: Iterable[str | int]) -> str:
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.replace("_", "").isalnum() or (part.startswith("@") and part[1:].isalnum()):
            out += f".{part}"
        else:
            escaped = part.replace("\\", "\\\\").replace("'", "\\'")
            out += f"['{escaped}']"
    return out


def _pointer(parts: Iterable[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _record_id(instance: Any, parts: Iterable[str | int]) -> str | None:
    """The @id of the innermost node on the path that has one."""
    found = instance.get("@id") if isinstance(instance, dict) else None
    node = instance
    for part in parts:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("@id"), str):
            found = node["@id"]
    return found if isinstance(found, str) else None


# --------------------------------------------------------------------------- schema messages


def _known_keys(schema: Mapping[str, Any]) -> list[str]:
    return [k for k in schema.get("properties", {}) if not k.startswith("@")]


def _message(error: SchemaError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    custom = schema.get("x-message")
    keyword = error.validator
    instance: Any = error.instance
    if keyword == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        return f"missing required key {missing!r}; add it"
    if keyword == "additionalProperties":
        allowed = _known_keys(schema)
        extras = [k for k in instance if k not in schema.get("properties", {}) and ":" not in k]
        parts = []
        for key in extras:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            parts.append(f"unknown key {key!r}{hint}")
        return "; ".join(parts) + "; extension keys must be absolute or compact IRIs (containing ':')"
    if keyword == "type":
        expected = error.validator_value
        got = type(instance).__name__
        text = f"must be of JSON type {expected}, not {got}"
        return f"{text}: {custom}" if custom else text
    if keyword in ("minItems", "minProperties", "minLength"):
        return "must not be empty; leave the key out instead"
    if keyword == "format" and isinstance(instance, str):
        impossible = _impossible_day(instance)
        if impossible:
            example = re.search(r"such as (\S+)", str(custom or ""))
            hint = f", as in {example.group(1)}" if example else ""
            return f"{_short(instance)} {impossible}{hint}"
    if custom:
        return f"{_short(instance)} {custom}" if keyword not in ("not",) else custom
    return str(error.message)


_DAY = re.compile(r"(?:^|/)(\d{4})-(0[1-9]|1[0-2])-(\d{2})")


def _impossible_day(text: str) -> str | None:
    """For a date, date-time or interval naming a day its month does not have: what is wrong."""
    for match in _DAY.finditer(text):
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            name = calendar.month_name[month]
            return (
                f"names an impossible day: {name} {year} has {last} days, not {day}; "
                "write a day the month has"
            )
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _rule(error: SchemaError) -> str:
    return f"schema:{error.validator}"


def _leaf_errors(error: SchemaError) -> Iterator[SchemaError]:
    """Descend into anyOf/oneOf only when a branch explains the failure better."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator in ("anyOf", "oneOf") and "x-message" not in schema and error.context:
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        yield from _leaf_errors(deepest)
        return
    yield error


def _schema_issues(name: str, instance: Any) -> Iterator[Issue]:
    validator = schema_validator(name)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    seen: set[tuple[str, str]] = set()
    for top in errors:
        for error in _leaf_errors(top):
            parts = list(error.absolute_path)
            issue = Issue(
                record_id=_record_id(instance, parts),
                path=_json_path(parts),
                pointer=_pointer(parts),
                message=_message(error),
                rule=_rule(error),
            )
            key = (issue.path, issue.message)
            if key not in seen:
                seen.add(key)
                yield issue


# --------------------------------------------------------------------------- semantic layer


_DATE_KEYS = ("dateCreated", "datePublished", "startDate", "endDate", "startedAtTime", "endedAtTime")


@cache
def _read_keys() -> frozenset[str]:
    """The keys some semantic rule reads: a node holding none of them yields no issue but a duplicate."""
    return reference_keys() | frozenset(_DATE_KEYS) | {"provenance", "hasPart"}


def _value(node: Mapping[str, Any], key: str) -> str | None:
    """The text of a well-formed partial date under ``key``, else None."""
    value = node.get(key)
    if isinstance(value, dict) and isinstance(value.get("@value"), str):
        text = str(value["@value"])
        return text if classify(text) is not None else None
    return None


def _issue(doc: Any, parts: tuple[str | int, ...], message: str, rule: str) -> Issue:
    return Issue(_record_id(doc, parts), _json_path(parts), message, rule, _pointer(parts))


def _canonical_text(node: Mapping[str, Any]) -> str:
    from warphoto.canonical import canonical

    return json.dumps(canonical(dict(node)), sort_keys=True, ensure_ascii=False)


def same_description(first: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    """Whether two descriptions of one @id say the same (unordered arrays compared as sets).

    Equal dicts are the same and different key sets differ, both without serialising; only
    descriptions with the same keys and different values are put in canonical form.
    """
    if first == second:
        return True
    if first.keys() != second.keys():
        return False
    return _canonical_text(first) == _canonical_text(second)


class _Objects:
    """The JSON objects of a document that a semantic rule looks at, in document order, in one walk.

    An object is kept when it has an ``@id`` or a key some rule reads; its path is a link to
    the nearest kept ancestor and the steps from there, and the full path is built only when
    an issue names it.
    """

    __slots__ = ("first", "links", "nodes", "paths", "read", "repeats")

    def __init__(self, doc: Any) -> None:
        nodes: list[dict[str, Any]] = []
        links: list[tuple[int, tuple[str | int, ...]]] = []
        first: dict[str, int] = {}  # @id -> the object that describes it first
        repeats: list[int] = []  # objects describing an @id described before
        read: list[int] = []  # objects some rule reads
        read_keys = _read_keys()

        def visit(
            value: dict[str, Any], parent: int, steps: tuple[str | int, ...], keep: bool = False
        ) -> None:
            node_id = value.get("@id")
            reads = not read_keys.isdisjoint(value)
            if keep or reads or isinstance(node_id, str):
                index = len(nodes)
                nodes.append(value)
                links.append((parent, steps))
                if isinstance(node_id, str) and len(value) > 1:
                    if node_id in first:
                        repeats.append(index)
                    else:
                        first[node_id] = index
                if reads:
                    read.append(index)
                parent, steps = index, ()
            for key, child in value.items():
                if isinstance(child, dict):
                    if ":" not in key:  # extension values are opaque
                        visit(child, parent, (*steps, key))
                elif isinstance(child, list) and ":" not in key:
                    visit_list(child, parent, (*steps, key))

        def visit_list(items: list[Any], parent: int, steps: tuple[str | int, ...]) -> None:
            for position, child in enumerate(items):
                if isinstance(child, dict):
                    visit(child, parent, (*steps, position))
                elif isinstance(child, list):
                    visit_list(child, parent, (*steps, position))

        if isinstance(doc, dict):
            visit(doc, -1, (), keep=True)  # the root is always kept: every path starts there
        elif isinstance(doc, list):
            visit_list(doc, -1, ())
        self.nodes, self.links, self.first, self.repeats, self.read = nodes, links, first, repeats, read
        self.paths: dict[int, tuple[str | int, ...]] = {-1: ()}

    def path(self, index: int) -> tuple[str | int, ...]:
        found = self.paths.get(index)
        if found is None:
            parent, steps = self.links[index]
            found = self.paths[index] = (*self.path(parent), *steps)
        return found

    def described(self, ref: Any) -> dict[str, Any] | None:
        if isinstance(ref, dict):
            return ref
        if isinstance(ref, str):
            index = self.first.get(ref)
            if index is not None:
                return self.nodes[index]
        return None


def _semantic_issues(doc: Any) -> Iterator[Issue]:
    """Every semantic issue of ``doc``: a quick look at its JSON text first, the full walk when needed."""
    if isinstance(doc, dict) and _quickcheck.clear(doc):
        return
    yield from _walked_issues(doc)


def _walked_issues(doc: Any) -> Iterator[Issue]:
    objects = _Objects(doc)
    nodes = objects.nodes
    for index in objects.repeats:
        node = nodes[index]
        node_id = node["@id"]
        first_index = objects.first[node_id]
        parts, first_parts = objects.path(index), objects.path(first_index)
        first = _json_path(first_parts)
        top_level = len(parts) == 2 and len(first_parts) == 2 and parts[0] == "@graph"
        if top_level:
            yield _issue(
                doc,
                (*parts, "@id"),
                f"{node_id!r} is described twice in the @graph (first at "
                f"{first}); write each entity once and refer to it by @id",
                "semantic:duplicate-id",
            )
        elif not same_description(nodes[first_index], node):
            yield _issue(
                doc,
                (*parts, "@id"),
                f"{node_id!r} is described differently here and at {first}; "
                "make the two descriptions agree, or describe it once and refer to it by @id",
                "semantic:duplicate-id",
            )

    containers: dict[str, list[dict[str, Any]]] = {}  # photograph @id -> galleries listing it in hasPart
    for index in objects.read:
        listed = nodes[index].get("hasPart")
        if isinstance(listed, list):
            for part in listed:
                if isinstance(part, str):
                    containers.setdefault(part, []).append(nodes[index])

    references = reference_keys()
    for index in objects.read:
        node = nodes[index]
        # references resolve, or are absolute IRIs outside the collection
        for key in references.intersection(node):
            values = node[key] if isinstance(node[key], list) else [node[key]]
            for position, ref in enumerate(values):
                if isinstance(ref, str) and ref.startswith("_:") and ref not in objects.first:
                    parts = objects.path(index)
                    where = (*parts, key, position) if isinstance(node[key], list) else (*parts, key)
                    yield _issue(
                        doc,
                        where,
                        f"reference {ref!r} does not resolve: no node in this document "
                        "has that @id; add the node or use an absolute IRI",
                        "semantic:unresolved-reference",
                    )
        yield from _dated_issues(doc, objects, index, containers)


def _dated_issues(
    doc: Any, objects: _Objects, index: int, containers: dict[str, list[dict[str, Any]]]
) -> Iterator[Issue]:
    node = objects.nodes[index]
    dated = [key for key in _DATE_KEYS if key in node]
    if not dated and "provenance" not in node:
        return
    # intervals: start before end
    for key in dated:
        interval = _value(node, key)
        if interval and "/" in interval:
            opening, closing = interval_ends(interval)
            if opening and closing and surely_before(closing, opening):
                yield _issue(
                    doc,
                    (*objects.path(index), key, "@value"),
                    f"interval {interval!r} ends before it starts; swap its two ends",
                    "semantic:interval-order",
                )
    for start_key, end_key in (("startDate", "endDate"), ("startedAtTime", "endedAtTime")):
        start, end = _value(node, start_key), _value(node, end_key)
        if start and end and surely_before(end, start):
            yield _issue(
                doc,
                (*objects.path(index), end_key, "@value"),
                f"{end_key} {end!r} is before {start_key} {start!r}; correct one of them",
                "semantic:interval-order",
            )
    # provenance steps in time order
    steps = node.get("provenance")
    if isinstance(steps, list):
        previous: tuple[int, str] | None = None
        for position, ref in enumerate(steps):
            step = objects.described(ref)
            when = _step_time(step) if step else None
            if when is None:
                continue
            if previous is not None and surely_before(when, previous[1]):
                yield _issue(
                    doc,
                    (*objects.path(index), "provenance", position),
                    f"provenance step at {when} comes after "
                    f"the step at {previous[1]} (provenance[{previous[0]}]); list steps in time order",
                    "semantic:provenance-order",
                )
            previous = (position, when)
    # a photograph is not created after the gallery that published it
    created = _value(node, "dateCreated")
    if created:
        galleries = []
        gallery = objects.described(node.get("isPartOf"))
        if gallery is not None:
            galleries.append(gallery)
        node_id = node.get("@id")
        for other in containers.get(node_id, []) if isinstance(node_id, str) else []:
            if other is not gallery:
                galleries.append(other)
        for gallery in galleries:
            published = _value(gallery, "datePublished")
            if published and surely_before(published, created):
                yield _issue(
                    doc,
                    (*objects.path(index), "dateCreated", "@value"),
                    f"created {created}, after the gallery "
                    f"{gallery.get('@id')!r} that published it on {published}; correct one of the dates",
                    "semantic:created-after-published",
                )


# --------------------------------------------------------------------------- public API


def _schema_name(obj: Any) -> str:
    return "collection" if isinstance(obj, dict) and "@graph" in obj else "record"


class _NotJSON(Exception):
    def __init__(self, issue: Issue) -> None:
        self.issue = issue


def _as_document(obj: Any) -> Any:
    if isinstance(obj, (str, bytes, bytearray)):
        try:
            return parse_json(bytes(obj) if isinstance(obj, bytearray) else obj)
        except ReadError as error:
            issue = Issue(
                None,
                "$",
                f"not valid JSON: {error.message}"
                + (f"; fix the text at line {error.line}, column {error.column}" if error.line else ""),
                "json:syntax",
                "",
                line=error.line,
                column=error.column,
            )
            raise _NotJSON(issue) from None
    to_dict = getattr(obj, "to_dict", None)
    return to_dict() if callable(to_dict) else obj


def iter_issues(obj: Any) -> Iterator[Issue]:
    """Every issue in a record or collection (a dict, a model object or JSON text), schema issues first."""
    try:
        doc = _as_document(obj)
    except _NotJSON as failure:
        yield failure.issue
        return
    if not isinstance(doc, dict):
        yield Issue(
            None,
            "$",
            f"a record must be a JSON object, not {type(doc).__name__}; "
            'wrap records in {"@graph": [...]} for a collection',
            "schema:type",
            "",
        )
        return
    yield from document_issues(doc)


def document_issues(doc: dict[str, Any], text: bytes | None = None) -> Iterator[Issue]:
    """:func:`iter_issues` for a record or collection dict; ``text``, when given, is
    ``orjson.dumps(doc)`` (the semantic rules' quick look reads it instead of writing it again)."""
    name = _schema_name(doc)
    if fast_schema_check(name, doc):
        if not _quickcheck.clear(doc, text):
            yield from _walked_issues(doc)
        return
    yield from _schema_issues(name, doc)
    # semantic rules on a broken document still run, but only where the shapes they read are sound
    try:
        yield from _semantic_issues(doc)
    except (TypeError, ValueError, AttributeError, KeyError):
        return


#: the rule of the warning for a record or collection that names no JSON-LD context
MISSING_CONTEXT = "context:missing"


def _step_time(step: Any) -> str | None:
    for key in _quickcheck.STEP_TIME_KEYS:
        when = _value(step, key)
        if when:
            return when
    return None


def iter_warnings(obj: Any) -> Iterator[Issue]:
    """What is worth saying about a document but does not make it invalid.

    A top-level record or collection without ``@context``: its keys are plain JSON to a
    JSON-LD processor (which drops them), so the same record read by another tool says
    nothing. warphoto itself reads it as the record form. Records inside a collection's
    ``@graph`` need no context of their own.
    """
    try:
        doc = _as_document(obj)
    except _NotJSON:
        return
    if isinstance(doc, dict) and "@context" not in doc:
        yield Issue(
            doc.get("@id") if isinstance(doc.get("@id"), str) else None,
            "$",
            f'no "@context": to JSON-LD and RDF tools its keys mean nothing; add '
            f'"@context": "{_resources.CONTEXT_IRI}" as its first key',
            MISSING_CONTEXT,
            "",
        )


def is_valid(obj: Any) -> bool:
    """True when the record or collection has no issue."""
    return next(iter_issues(obj), None) is None


def validate(obj: Any, *, source: str | None = None) -> None:
    """Raise :class:`ValidationError` holding every issue, or return None when valid."""
    issues = list(iter_issues(obj))
    if issues:
        raise ValidationError(issues, source=source)
