"""Writers given a damaged record: output, or a WarphotoError naming the problem; never a bare crash.

Writers do not validate; ``warphoto.dumps``, ``write`` and ``write_stream`` turn a writer's crash
on a record that is not in the record form into a WriteError naming the record's first issue.
"""

from __future__ import annotations

import contextlib
import copy
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import warphoto
from warphoto import formats
from warphoto.errors import WarphotoError, WriteError
from warphoto.io import refuse_malformed

from .strategies import photographs

_SMALL = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=3))
_JUNK = st.one_of(
    _SMALL,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.one_of(_SMALL, st.dictionaries(st.text(max_size=3), _SMALL, max_size=2)), max_size=3),
    st.dictionaries(st.text(max_size=4), _SMALL, max_size=3),
    st.sampled_from(
        [{"@value": None}, {"@value": 1, "@type": 5}, {"@id": 5}, {"@language": "en"}, {"@list": [1]}, [[]]]
    ),
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.extend(_paths(item, (*path, index)))
    return out


@st.composite
def damaged(draw: st.DrawFn) -> dict[str, Any]:
    """A valid photograph with one to three values anywhere in it replaced by junk."""
    record = copy.deepcopy(draw(photographs()))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(record)))
        parent: Any = record
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = copy.deepcopy(draw(_JUNK))  # sampled junk is shared: never a cycle
    return record


_WRITERS = sorted(f.name for f in formats.all_formats() if f.dumps is not None)
_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", _WRITERS)
@_SETTINGS
@given(record=damaged())
def test_a_damaged_record_is_written_or_refused(name: str, record: dict[str, Any]) -> None:
    with contextlib.suppress(WarphotoError):
        warphoto.dumps(record, name)


@pytest.mark.parametrize("name", ["ntriples", "rdfxml", "jsonl"])
@_SETTINGS
@given(record=damaged())
def test_a_damaged_record_is_streamed_or_refused(name: str, record: dict[str, Any]) -> None:
    with contextlib.suppress(WarphotoError):
        warphoto.write_stream([record], io.StringIO(), name)


def test_the_refusal_names_the_record_and_the_path() -> None:
    record = copy.deepcopy(_PHOTO)
    record["genre"] = [None]  # concepts go here; the XMP writer trips on it
    with pytest.raises(WriteError) as caught:
        warphoto.dumps(record, "xmp")
    message = str(caught.value)
    assert "not in the record form" in message
    assert "https://example.org/photo/1" in message and "$.genre[0]" in message
    assert caught.value.__cause__ is not None  # the writer's own error stays attached


def test_a_crash_on_a_valid_record_is_not_disguised() -> None:
    bug = KeyError("a writer bug")
    with pytest.raises(KeyError, match="a writer bug"):
        refuse_malformed("xmp", _PHOTO, bug)


_PHOTO: dict[str, Any] = {
    "@context": "https://w3id.org/warphoto/context.jsonld",
    "@id": "https://example.org/photo/1",
    "@type": ["ImageObject", "Photograph"],
    "caption": {"en": "A destroyed bridge"},
}


def test_an_error_from_the_records_source_is_its_own() -> None:
    def source() -> Any:
        record = copy.deepcopy(_PHOTO)
        record["dateCreated"] = True  # not in the record form, yet N-Triples writes it
        yield record
        raise ValueError("the source broke")

    with pytest.raises(ValueError, match="the source broke"):
        warphoto.write_stream(source(), io.StringIO(), "ntriples")
