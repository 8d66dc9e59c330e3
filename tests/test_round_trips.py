"""Round trips for every format warphoto both writes and reads, driven by the registry.

For each format: record -> format -> record equals the original on every field the format
carries (docs/loss-table.md); ``EXPECTED_AFTER`` says, per format, what the record becomes.
A format added to the registry without an entry here fails
:func:`test_every_format_that_writes_and_reads_is_covered`.

Then chains: record -> A -> record -> B -> record, for every ordered pair of formats that
carry everything (one walk takes each pair once), so no writer depends on details only its
own reader restores.

Hypothesis profiles (tests/conftest.py): ``ci`` is fixed and reproducible (derandomized, 40
examples); ``HYPOTHESIS_PROFILE=dev`` runs 500 random examples per test.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import warphoto
from warphoto import _crosswalk, formats
from warphoto.canonical import canonical
from warphoto.errors import WriteError
from warphoto.formats import edm

from .formats.test_edm import OPTIONS as EDM_OPTIONS
from .formats.test_newsml import STAMP
from .formats.test_schemaorg import _mappable
from .jpeg_bytes import tiny_jpeg
from .strategies import events, galleries, photographs, records, with_awkward_text, without_blank_text

Record = dict[str, Any]


def _everything(record: Record) -> Record:
    return record


#: what a record becomes after a round trip through each format
EXPECTED_AFTER: dict[str, Callable[[Record], Record]] = {
    "jsonld": _everything,
    "jsonld-expanded": _everything,
    "jsonl": _everything,
    "rdfxml": _everything,
    "turtle": _everything,
    "ntriples": _everything,
    "xmp": _everything,
    "jpeg": _everything,
    "newsml": lambda record: _crosswalk.project(record, "newsml.csv"),
    "edm": edm.project,
    "schemaorg": _mappable,
}

#: what each format is given to write (the records it describes)
STRATEGY: dict[str, st.SearchStrategy[Record]] = {
    "xmp": photographs(extensions=True),
    "jpeg": photographs(extensions=True),
    "newsml": st.one_of(photographs(), galleries(), events()),
    "edm": photographs(),
    "schemaorg": photographs().map(_mappable),
}

WRITE_OPTIONS: dict[str, dict[str, Any]] = {
    "jpeg": {"image": tiny_jpeg()},
    "newsml": {"version_created": STAMP},
    "edm": EDM_OPTIONS,
}

#: the only refusals a generated record may meet: Europeana's own rules
ALLOWED_REFUSALS = {
    "edm": ("cho-title-or-description", "cho-subject-type-temporal-spatial", "aggregation-shown-at-or-by"),
}

ROUND_TRIP_FORMATS = sorted(f.name for f in formats.all_formats() if f.can_read and f.can_write)
LOSSLESS = [name for name in ROUND_TRIP_FORMATS if EXPECTED_AFTER.get(name) is _everything]


def _without_context(document: Record) -> Record:
    result = canonical(document)
    result.pop("@context", None)
    return result


def write_and_read(record: Record, name: str) -> Record | None:
    """record -> format -> record; None when the writer refuses for an allowed reason."""
    try:
        data = warphoto.dumps(record, name, **WRITE_OPTIONS.get(name, {}))
    except WriteError as error:
        if any(rule in str(error) for rule in ALLOWED_REFUSALS.get(name, ())):
            return None
        raise
    return warphoto.loads(data, name, validate=False)


def test_every_format_that_writes_and_reads_is_covered() -> None:
    assert set(ROUND_TRIP_FORMATS) <= set(EXPECTED_AFTER), set(ROUND_TRIP_FORMATS) - set(EXPECTED_AFTER)
    for name in ROUND_TRIP_FORMATS:
        fmt = formats.get(name)
        assert (EXPECTED_AFTER[name] is _everything) == (not fmt.cannot_carry), (
            f"{name}: the loss table and this test disagree about whether it carries everything"
        )
    assert len(LOSSLESS) >= 6


@pytest.mark.parametrize("name", ROUND_TRIP_FORMATS)
@given(data=st.data())
def test_record_to_format_to_record(name: str, data: st.DataObject) -> None:
    record = data.draw(STRATEGY.get(name, records(extensions=True)), label="record")
    back = write_and_read(record, name)
    assume(back is not None)
    assert back is not None
    assert _without_context(back) == _without_context(EXPECTED_AFTER[name](record))


#: formats that drop text made only of whitespace, as docs/loss-table.md says: EDM also trims
#: text (XML exports are indented by other tools); schema.org only in language maps
DROPS_BLANK_TEXT: dict[str, dict[str, bool]] = {
    "edm": {"strip": True},
    "schemaorg": {"strip": False, "strings": False},
}


@pytest.mark.parametrize("name", ROUND_TRIP_FORMATS)
@given(data=st.data())
def test_awkward_text_round_trips(name: str, data: st.DataObject) -> None:
    """As above, with quotes, backslashes, line ends, markup and astral characters in the text."""
    drawn = data.draw(STRATEGY.get(name, records(extensions=True)), label="record")
    record = with_awkward_text(drawn, data.draw)
    back = write_and_read(record, name)
    assume(back is not None)
    assert back is not None
    expected = EXPECTED_AFTER[name](record)
    if name in DROPS_BLANK_TEXT:
        expected = without_blank_text(expected, **DROPS_BLANK_TEXT[name])
    assert _without_context(back) == _without_context(expected)


def walk_through_every_pair(names: list[str]) -> list[str]:
    """A walk that takes every ordered pair of ``names`` exactly once (an Eulerian circuit).

    In the complete directed graph every node has as many edges in as out, so Hierholzer's
    algorithm finds a circuit through all ``n * (n - 1)`` edges: one record, one walk, every
    pair of formats next to each other once.
    """
    unused = {name: [other for other in reversed(names) if other != name] for name in names}
    stack, circuit = [names[0]], []
    while stack:
        here = stack[-1]
        if unused[here]:
            stack.append(unused[here].pop())
        else:
            circuit.append(stack.pop())
    return circuit[::-1]


WALK = walk_through_every_pair(LOSSLESS)


def test_the_walk_takes_every_pair_once() -> None:
    steps = list(itertools.pairwise(WALK))
    assert sorted(steps) == sorted(itertools.permutations(LOSSLESS, 2))


@given(record=photographs(extensions=True))
def test_one_format_then_another(record: Record) -> None:
    """record -> A -> record -> B -> ..., through every ordered pair of lossless formats."""
    expected = _without_context(record)
    current = write_and_read(record, WALK[0])
    assert current is not None
    for previous, name in itertools.pairwise(WALK):
        back = write_and_read(current, name)
        assert back is not None
        assert _without_context(back) == expected, f"{previous} then {name}"
        current = back
