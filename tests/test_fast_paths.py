"""The fast paths give the precise paths' answers: strict JSON reading, the schemas' format
patterns, the semantic rules' one-pass walk and its quick look at the JSON text.

Each fast path either returns what the precise path would, or hands the input to it; these
tests hold them to that on every corpus file and on generated inputs.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests import strategies
from tests._semantic_reference import reference_semantic_issues
from warphoto import _quickcheck
from warphoto._fastformats import INTERVAL_DAY_PATTERN, IRI_PATTERN
from warphoto._iri import is_iri
from warphoto._json import _UNSURE, _fast_parse, parse_json, precise_parse_json
from warphoto.dates import classify
from warphoto.errors import ReadError
from warphoto.validation import _semantic_issues, _walked_issues

DATA = Path(__file__).resolve().parent / "data"
JSON_FILES = sorted(
    p
    for folder in ("valid", "invalid", "malformed")
    for p in (DATA / folder).iterdir()
    if p.suffix in (".json", ".jsonld", ".jsonl")
)
RECORDS = sorted((DATA / "valid").glob("*.json")) + sorted((DATA / "invalid").glob("*.json"))


# --------------------------------------------------------------------------- strict JSON


def _same(a: Any, b: Any) -> bool:
    """Equal as values *and* types (1 is not 1.0), with the same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _outcome(parse: Any, data: str | bytes) -> tuple[str, Any]:
    try:
        return "value", parse(data)
    except ReadError as error:
        return "refused", (error.message, error.line, error.column)


def _agree(data: str | bytes) -> None:
    fast_kind, fast = _outcome(parse_json, data)
    slow_kind, slow = _outcome(precise_parse_json, data)
    assert fast_kind == slow_kind, (data[:200], fast, slow)
    if fast_kind == "value":
        assert _same(fast, slow), data[:200]
    else:
        assert fast == slow


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: p.name)
def test_parse_agrees_on_the_corpus(path: Path) -> None:
    data = path.read_bytes()
    _agree(data)
    for line in data.split(b"\n"):
        if line.strip():
            _agree(line)


def test_parse_agrees_on_the_example(example_gallery: dict[str, Any]) -> None:
    text = json.dumps(example_gallery, ensure_ascii=False)
    for variant in (text, json.dumps(example_gallery, indent=2), json.dumps(example_gallery)):
        _agree(variant)
        _agree(variant.encode("utf-8"))
        assert _fast_parse(variant) is not _UNSURE  # valid text, however written, takes the fast path
    assert _fast_parse(json.dumps(example_gallery, ensure_ascii=False, separators=(",", ":"))) is not _UNSURE


HOSTILE = [
    b'{"a":1,"a":2}',
    b'{"a":1, "b":{"c":1,"c":1}}',
    b'{"a:b":1,"a:b":2}',
    b'{"\\u003a":1,"\\u003a":2}',
    b'{"a":"\\u003a","a":"x"}',
    b'{"x":":","x":":"}',
    b'[{"k":1},{"k":1,"k":1}]',
    b'{"a": NaN}',
    b"[Infinity]",
    b"[-Infinity]",
    b'"\\ud800"',
    b'"\\udc00\\ud800"',
    b'{"\\ud800":1}',
    b'"\\ud83d\\ude00"',
    b"1e400",
    b"-1e400",
    b"123456789012345678901234567890",
    b"1" * 65,
    b"-" + b"1" * 64,
    b"18446744073709551615",
    b"18446744073709551616",
    b"-9223372036854775808",
    b"-9223372036854775809",
    b"[1e19, 10000000000000000000]",
    b"1.5",
    b"\xef\xbb\xbf{}",
    b"\xff{}",
    b'{"a":"\xed\xa0\x80"}',
    b"[" * 100 + b"]" * 100,
    b"[" * 101 + b"]" * 101,
    b"[" * 2000 + b"]" * 2000,
    b'{"a":' * 101 + b"1" + b"}" * 101,
    b'["[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]',
    b"",
    b"   ",
    b"{} {}",
    b"[1,]",
    b"'x'",
]


@pytest.mark.parametrize("data", HOSTILE, ids=lambda d: repr(d[:30]))
def test_parse_agrees_on_hostile_text(data: bytes) -> None:
    _agree(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    _agree(text)


def test_duplicate_keys_are_refused_with_their_place() -> None:
    with pytest.raises(ReadError, match="appears twice") as caught:
        parse_json(b'{"a": 1,\n "b": {"c": 1, "c": 2}}')
    assert caught.value.line == 2


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from('ab:"\\/\u00e9\u0416\U0001f600 \t{}[],'), max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(alphabet=st.sampled_from("ab:@\u00e9"), max_size=3), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300)
@given(_JSON_VALUES, st.sampled_from(["compact", "spaced", "ascii", "indent"]), st.booleans())
@example({"a": [1, {"b": ":"}]}, "compact", True)
def test_parse_agrees_on_generated_text(value: Any, style: str, duplicate: bool) -> None:
    if style == "compact":
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    elif style == "spaced":
        text = json.dumps(value, ensure_ascii=False)
    elif style == "ascii":
        text = json.dumps(value)
    else:
        text = json.dumps(value, indent=1)
    if duplicate and "{" in text:
        # repeat the first member of the first non-empty object
        at = text.find("{")
        end = text.find("}", at)
        colon = text.find(":", at)
        if text[at + 1] == '"' and colon != -1 and "," not in text[at:end] and "{" not in text[at + 1 : end]:
            member = text[at + 1 : end]
            text = text[: at + 1] + member + "," + member + text[end:]
    _agree(text)
    _agree(text.encode("utf-8"))


# --------------------------------------------------------------------------- format patterns


_IRI_CHARS = st.sampled_from([*"abcXYZ019:/?#[]@!$&'()*+,;=-._~% \"<>\\^`{|}", "\u00e9", "\ue000", "\ufffe"])


@settings(max_examples=500)
@given(st.text(_IRI_CHARS, max_size=24) | st.from_regex(r"\A[a-z]{1,5}:(//)?[a-z0-9.:@\[\]%/?#-]{0,20}\Z"))
@example("http://[::1]/")
@example("http://[v1.x]/")
@example("a:")
def test_the_iri_pattern_accepts_only_iris(text: str) -> None:
    validator = jsonschema_rs.validator_for({"pattern": IRI_PATTERN})
    if validator.is_valid(text):
        assert is_iri(text), text


_DATE_CHARS = st.sampled_from([*"0123456789-/T:Z+.", "..", "2022-02-29", "2023-02-30", "2024-04-31"])


@settings(max_examples=500)
@given(st.lists(_DATE_CHARS, max_size=12).map("".join))
@example("2024-02-28/2024-02-29")
@example("/")
@example("../..")
def test_the_interval_pattern_accepts_only_intervals(text: str) -> None:
    validator = jsonschema_rs.validator_for({"pattern": INTERVAL_DAY_PATTERN})
    if validator.is_valid(text):
        assert classify(text) == "edtf:EDTF", text


# --------------------------------------------------------------------------- semantic rules


def _same_issues(document: Any) -> list[Any]:
    expected = list(reference_semantic_issues(document))
    assert list(_walked_issues(document)) == expected
    assert list(_semantic_issues(document)) == expected
    if _quickcheck.clear(document):
        assert expected == []
    return expected


@pytest.mark.parametrize("path", [p for p in RECORDS if p.name != "expected.json"], ids=lambda p: p.name)
def test_semantic_rules_agree_on_the_corpus(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    try:
        list(reference_semantic_issues(document))
    except (TypeError, ValueError, AttributeError, KeyError):
        return  # a shape the rules cannot read: the schema reports it
    _same_issues(document)


def test_semantic_rules_agree_on_the_example(example_gallery: dict[str, Any]) -> None:
    _same_issues(example_gallery)
    broken = copy.deepcopy(example_gallery)
    node = next(n for n in broken["@graph"] if "dateCreated" in n)
    node["dateCreated"] = {"@value": "2030", "@type": "xsd:gYear"}
    assert _same_issues(broken)


@settings(max_examples=150)
@given(strategies.records(extensions=True))
def test_semantic_rules_agree_on_generated_records(record: dict[str, Any]) -> None:
    _same_issues(record)


_DATES = st.sampled_from(
    [
        {"@value": "2022", "@type": "xsd:gYear"},
        {"@value": "2021-01", "@type": "xsd:gYearMonth"},
        {"@value": "2023-05-02", "@type": "xsd:date"},
        {"@value": "2022-09-21T10:00:00+03:00", "@type": "xsd:dateTime"},
        {"@value": "2023/2021", "@type": "edtf:EDTF"},
        {"@type": "xsd:date", "@value": "2020-01-01"},
        "2020",
    ]
)
_KEYS = st.sampled_from(
    ["dateCreated", "datePublished", "startDate", "endDate", "startedAtTime", "endedAtTime", "wp:when"]
)


@settings(max_examples=300)
@given(
    strategies.records(),
    st.lists(st.tuples(st.integers(0, 40), _KEYS, _DATES), max_size=4),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=2),
)
def test_semantic_rules_agree_on_broken_records(
    record: dict[str, Any], dates: list[tuple[int, str, Any]], copies: list[tuple[int, int]]
) -> None:
    """Dates put anywhere, descriptions copied over others' @ids: the quick look never hides an issue."""
    document = copy.deepcopy(record)
    objects: list[dict[str, Any]] = []

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            objects.append(value)
            for child in value.values():
                collect(child)
        elif isinstance(value, list):
            for child in value:
                collect(child)

    collect(document)
    for index, key, value in dates:
        objects[index % len(objects)][key] = copy.deepcopy(value)
    with_ids = [o for o in objects if isinstance(o.get("@id"), str)]
    for source, target in copies:
        if with_ids:
            with_ids[target % len(with_ids)]["@id"] = with_ids[source % len(with_ids)]["@id"]
    try:
        list(reference_semantic_issues(document))
    except (TypeError, ValueError, AttributeError, KeyError, RecursionError):
        return
    _same_issues(document)


def test_repeated_descriptions_written_alike_are_clear(example_photographs: list[dict[str, Any]]) -> None:
    """Standalone records embed a shared place or person more than once: the quick look
    compares the repeated descriptions' text; one that differs goes to the walk, which reports it."""
    repeated = 0
    for record in example_photographs:
        assert _quickcheck.clear(record)
        assert _same_issues(record) == []
        text = json.dumps(record, ensure_ascii=False)
        ids = [node_id for node_id in _described_ids(record) if text.count(json.dumps(node_id)) > 1]
        if not ids:
            continue
        repeated += 1
        broken = copy.deepcopy(record)
        described = [n for n in _objects(broken) if n.get("@id") == ids[0] and len(n) > 1]
        if len(described) < 2:
            continue
        described[-1]["name"] = {"en": "Someone else"}
        assert not _quickcheck.clear(broken)
        assert any(i.rule == "semantic:duplicate-id" for i in _same_issues(broken))
    assert repeated


def _objects(value: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _described_ids(record: dict[str, Any]) -> list[str]:
    return sorted({n["@id"] for n in _objects(record) if isinstance(n.get("@id"), str) and len(n) > 1})
