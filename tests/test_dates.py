"""Partial dates keep their precision and compare by the instants they can mean."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warphoto.dates import PartialDate, classify, date_bounds, surely_before


@pytest.mark.parametrize(
    ("text", "datatype"),
    [
        ("2022", "xsd:gYear"),
        ("2022-09", "xsd:gYearMonth"),
        ("2022-09-21", "xsd:date"),
        ("2022-09-21T14:05:00+03:00", "xsd:dateTime"),
        ("2022-09-21T14:05:00.25Z", "xsd:dateTime"),
        ("2022-09/2022-10", "edtf:EDTF"),
        ("../2022-10-02", "edtf:EDTF"),
        ("2022-09-06/..", "edtf:EDTF"),
    ],
)
def test_precision_is_recognised_and_kept(text: str, datatype: str) -> None:
    date = PartialDate.parse(text)
    assert (date.value, date.datatype) == (text, datatype)
    assert PartialDate.from_dict(date.to_dict()) == date


@pytest.mark.parametrize(
    "text",
    [
        "2022-13",
        "2022-02-30",
        "2022-09-21T14:05:00.5",
        "2022-02-30T14:05:00",
        "22",
        "2022/09",
        "/",
        "September 2022",
    ],
)
def test_invalid_values_are_refused(text: str) -> None:
    assert classify(text) is None
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_month_bounds_cover_the_whole_month() -> None:
    low, high = date_bounds("2022-02")
    assert low is not None and high is not None
    assert (low.month, high.month, high.day) == (1, 3, 1)  # widened by 14 hours of time zones


def test_surely_before_respects_unknown_parts() -> None:
    assert not surely_before("2022-09", "2022-09-21")
    assert surely_before("2022-08", "2022-09-21")
    assert not surely_before("2022-09-21T23:00:00+00:00", "2022-09-21")


@given(st.dates(min_value=__import__("datetime").date(1, 1, 1)))
def test_every_real_date_classifies(day: object) -> None:
    text = str(day)
    assert classify(text) == "xsd:date"
    assert classify(text[:7]) == "xsd:gYearMonth"
    assert classify(text[:4]) == "xsd:gYear"


def test_a_local_date_time_is_edtf_and_spans_every_zone() -> None:
    """An EXIF time without an offset stays local: EDTF level 0, bounds widened by 14 hours."""
    assert classify("2022-09-21T14:05:00") == "edtf:EDTF"
    low, high = PartialDate.parse("2022-09-21T14:05:00").bounds()
    assert low is not None and high is not None
    assert (high - low).total_seconds() == 28 * 3600
