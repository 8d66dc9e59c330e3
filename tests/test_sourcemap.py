"""warphoto._sourcemap: JSON Pointer -> line and column in the original text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warphoto._sourcemap import SourceMap, escape_token, parse_pointer


def at(text: str, line: int, column: int) -> str:
    """The text from a 1-based line and column on."""
    return text.splitlines(keepends=True)[line - 1][column - 1 :]


def test_nested_objects_and_arrays() -> None:
    text = '{\n  "@graph": [\n    {"a": 1},\n    {"dateCreated": {"@value": "2022-13"}}\n  ]\n}\n'
    sm = SourceMap(text)
    assert sm.position("") == (1, 1)
    assert sm.position("/@graph") == (2, 13)
    assert sm.position("/@graph/0/a") == (3, 11)
    line, column = sm.position("/@graph/1/dateCreated/@value")  # type: ignore[misc]
    assert (line, column) == (4, 32)
    assert at(text, line, column).startswith('"2022-13"')


def test_strings_with_escapes_do_not_confuse_the_scanner() -> None:
    text = r'{"a\"b": "x\\", "c": "\"}]{[,:", "\u00e9": [true, null, -1.5e3], "d": "é"}'
    sm = SourceMap(text)
    assert at(text, *sm.position('/a"b')).startswith('"x\\\\"')  # type: ignore[misc]
    assert at(text, *sm.position("/c")).startswith('"\\"}]{[,:"')  # type: ignore[misc]
    assert at(text, *sm.position("/é/2")).startswith("-1.5e3")  # type: ignore[misc]
    assert at(text, *sm.position("/d")).startswith('"é"')  # type: ignore[misc]


def test_surrogate_pair_escapes_in_keys() -> None:
    text = '{"\\ud83d\\ude00": 1}'
    assert SourceMap(text).position("/\U0001f600") == (1, 18)


def test_pointer_escapes() -> None:
    text = '{"a/b": {"m~n": [0, 1]}}'
    assert parse_pointer("/a~1b/m~0n/1") == ["a/b", "m~n", "1"]
    assert escape_token("m~n/o") == "m~0n~1o"
    assert at(text, *SourceMap(text).position("/a~1b/m~0n/1")).startswith("1]")  # type: ignore[misc]


def test_columns_count_characters_not_bytes() -> None:
    text = '{"name": "Ізюм", "x": 1}'
    assert SourceMap(text).position("/x") == (1, 23)
    assert SourceMap.from_bytes(text.encode("utf-8")).position("/x") == (1, 23)


def test_crlf_and_byte_order_mark() -> None:
    text = '\ufeff{\r\n  "a": {\r\n    "b": 2\r\n  }\r\n}'
    assert SourceMap(text).position("/a/b") == (3, 10)


def test_missing_pointer_maps_to_deepest_ancestor() -> None:
    text = '{"a": {"b": [1, 2]}}'
    sm = SourceMap(text)
    assert sm.position("/a/b/7") == sm.position("/a/b")
    assert sm.position("/zzz") == (1, 1)
    assert sm.position("not a pointer") is None


def test_key_offset_points_at_the_member_name() -> None:
    text = '{\n  "ok": 1,\n  "captoin": "x"\n}'
    sm = SourceMap(text)
    offset = sm.key_offset("/captoin")
    assert offset is not None and sm.line_column(offset) == (3, 3)
    assert sm.key_offset("/missing") is None


def test_repeated_key_last_wins_like_json_loads() -> None:
    text = '{"a": 1, "a": 2}'
    assert json.loads(text)["a"] == 2
    assert at(text, *SourceMap(text).position("/a")).startswith("2")  # type: ignore[misc]


def test_json_lines_record_per_line() -> None:
    lines = ['{"@id": "_:a"}', "", '{"@id": "_:b", "x": {"y": [1, 2]}}', '{"@id": "_:c"}']
    sm = SourceMap("\n".join(lines) + "\n", lines=True)
    assert sm.position("/@graph/0/@id") == (1, 9)
    assert sm.position("/@graph/1") == (3, 1)  # the blank line is not a record
    assert sm.position("/@graph/1/x/y/1") == (3, 31)
    assert sm.position("/@graph/2") == (4, 1)


def test_json_lines_one_record_is_the_record_itself() -> None:
    sm = SourceMap('{"a": {"b": 1}}\n', lines=True)
    assert sm.position("/a/b") == sm.position("/@graph/0/a/b") == (1, 13)


def test_malformed_text_keeps_what_came_before() -> None:
    sm = SourceMap('{"a": [1, 2 garbage')
    assert sm.position("/a/1") == (1, 11)
    assert SourceMap("not json at all").position("/a") == (1, 1)  # the document starts there, at least
    assert SourceMap("").position("") is None
    assert SourceMap("   ").position("/a") is None


def test_bad_line_in_json_lines_does_not_hide_the_others() -> None:
    sm = SourceMap('{"a": 1}\n{broken\n{"c": 3}\n', lines=True)
    assert sm.position("/@graph/2/c") == (3, 7)


def test_deep_nesting_does_not_recurse() -> None:
    depth = 20_000
    text = "[" * depth + "1" + "]" * depth
    assert SourceMap(text).position("/0" * depth) == (1, depth + 1)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=25,
)


def _pointers(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    found = [(prefix, value)]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _pointers(child, f"{prefix}/{escape_token(key)}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _pointers(child, f"{prefix}/{index}")
    return found


@given(json_values, st.sampled_from([None, 0, 2]), st.booleans())
def test_every_pointer_points_at_its_value(value: Any, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    sm = SourceMap(text)
    decoder = json.JSONDecoder()
    for pointer, expected in _pointers(value):
        offset = sm.offset(pointer)
        assert offset is not None, pointer
        found, _end = decoder.raw_decode(text, offset)
        assert found == expected, pointer
        line, column = sm.line_column(offset)
        assert text.split("\n")[line - 1][column - 1 :].startswith(text[offset : offset + 1])


@pytest.mark.parametrize("pointer", ["a", "x/y"])
def test_parse_pointer_rejects_relative(pointer: str) -> None:
    with pytest.raises(ValueError):
        parse_pointer(pointer)


def test_document_check_refuses_places_that_show_something_else() -> None:
    text = '{"@graph": [{"@id": "_:a", "x": 1}, {"@id": "_:b", "x": 2}]}'
    sm = SourceMap(text)
    same = json.loads(text)
    assert sm.position("/@graph/1/x", same) == (1, 57)
    reordered = {"@graph": [same["@graph"][1], same["@graph"][0]]}  # a reader that sorted the graph
    assert sm.position("/@graph/1/x", reordered) is None
    assert sm.key_offset("/@graph/1/x", reordered) is None
    assert sm.key_offset("/@graph/1/x", same) == 51


def test_document_check_ignores_a_dropped_context_in_json_lines() -> None:
    text = '{"@context": "c", "a": 1}\n{"@context": "c", "a": 2}\n'
    document = {"@context": "c", "@graph": [{"a": 1}, {"a": 2}]}
    assert SourceMap(text, lines=True).position("/@graph/1", document) == (2, 1)
