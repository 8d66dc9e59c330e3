"""Partial dates: a year, a year and month, a date, a date-time with offset, a local date-time
(no offset), or an interval.

A partial date keeps exactly the precision it was given ("2022-09" never becomes
2022-09-01). In a record it is a JSON-LD value object whose ``@type`` names the XSD
datatype (or the EDTF datatype for intervals), so JSON-LD processing yields
``xsd:gYearMonth`` and friends.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

__all__ = ["DATATYPES", "PartialDate", "classify", "date_bounds", "interval_ends", "surely_before"]

XSD = "http://www.w3.org/2001/XMLSchema#"
EDTF = "http://id.loc.gov/datatypes/edtf/EDTF"

#: compact datatype name -> full datatype IRI
DATATYPES: Final[dict[str, str]] = {
    "xsd:gYear": XSD + "gYear",
    "xsd:gYearMonth": XSD + "gYearMonth",
    "xsd:date": XSD + "date",
    "xsd:dateTime": XSD + "dateTime",
    "edtf:EDTF": EDTF,
}

_YEAR = r"-?\d{4}"
_YEAR_MONTH = _YEAR + r"-(?:0[1-9]|1[0-2])"
_DATE = _YEAR_MONTH + r"-(?:0[1-9]|[12]\d|3[01])"
_DATE_TIME = _DATE + r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)"
_SHAPES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("xsd:gYear", re.compile(f"^{_YEAR}$")),
    ("xsd:gYearMonth", re.compile(f"^{_YEAR_MONTH}$")),
    ("xsd:date", re.compile(f"^{_DATE}$")),
    ("xsd:dateTime", re.compile(f"^{_DATE_TIME}$")),
)
#: a date-time without an offset (a camera's EXIF clock): EDTF level 0 "date and time", local
#: time, whole seconds (EDTF has no fraction); its instant is known to within the 14 hours of
#: any time zone
_LOCAL_DATE_TIME = re.compile(_DATE + r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d")
_END = f"(?:{_DATE_TIME}|{_DATE}|{_YEAR_MONTH}|{_YEAR})"
_INTERVAL = re.compile(f"^({_END}|\\.\\.)?/({_END}|\\.\\.)?$")

# A date without a time of day could be in any time zone: widen its bounds by this much.
_ZONE_SLACK = timedelta(hours=14)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date at the precision it is known, e.g. ``PartialDate.parse("2022-09")``."""

    value: str
    datatype: str

    def __post_init__(self) -> None:
        if self.datatype not in DATATYPES:
            raise ValueError(f"unknown date datatype {self.datatype!r}; use one of {', '.join(DATATYPES)}")
        if classify(self.value) != self.datatype:
            raise ValueError(f"{self.value!r} is not a valid {self.datatype} value")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Recognise the precision of ``text`` ("2022", "2022-09", "2022-09-21", a date-time, "a/b")."""
        datatype = classify(text)
        if datatype is None:
            raise ValueError(
                f"{text!r} is not a year, year-month, date, date-time (with offset, or local "
                "without one), or interval"
            )
        return cls(text, datatype)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PartialDate:
        return cls(str(data["@value"]), str(data["@type"]))

    def to_dict(self) -> dict[str, str]:
        return {"@value": self.value, "@type": self.datatype}

    @property
    def datatype_iri(self) -> str:
        return DATATYPES[self.datatype]

    @property
    def is_interval(self) -> bool:
        return self.datatype == "edtf:EDTF"

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """Earliest and latest instants (UTC) the value can mean; None for an open end."""
        return date_bounds(self.value)

    def __str__(self) -> str:
        return self.value


def classify(text: str) -> str | None:
    """The compact datatype for ``text``, or None when it is no partial date we accept."""
    for datatype, pattern in _SHAPES:
        if pattern.match(text):
            if datatype in ("xsd:date", "xsd:dateTime") and not _real_day(text):
                return None
            return datatype
    if _LOCAL_DATE_TIME.fullmatch(text):
        return "edtf:EDTF" if _real_day(text) else None
    match = _INTERVAL.match(text)
    if match and text != "/" and all(_real_day(part) for part in text.split("/") if part not in ("", "..")):
        return "edtf:EDTF"
    return None


def _real_day(text: str) -> bool:
    if len(text) < 10 or text[4] != "-" or text.startswith("-"):
        return True
    year, month, day = int(text[0:4]), int(text[5:7]), int(text[8:10])
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _single_bounds(text: str) -> tuple[datetime, datetime]:
    if "T" in text:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if stamp.tzinfo is None:  # a local time: in any of the world's zones
            stamp = stamp.replace(tzinfo=UTC)
            return stamp - _ZONE_SLACK, stamp + _ZONE_SLACK
        stamp = stamp.astimezone(UTC)
        return stamp, stamp
    negative = text.startswith("-")
    parts = (text[1:] if negative else text).split("-")
    year = int(parts[0])
    if negative or year < 1:
        year = 1  # before the common era: treated as the earliest representable year
    if len(parts) == 1:
        start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year, 12, 31, 23, 59, 59, tzinfo=UTC)
    elif len(parts) == 2:
        month = int(parts[1])
        last = calendar.monthrange(year, month)[1]
        start = datetime(year, month, 1, tzinfo=UTC)
        end = datetime(year, month, last, 23, 59, 59, tzinfo=UTC)
    else:
        month, day = int(parts[1]), int(parts[2])
        start = datetime(year, month, day, tzinfo=UTC)
        end = datetime(year, month, day, 23, 59, 59, tzinfo=UTC)
    low = start - _ZONE_SLACK if start.year > 1 else start
    return low, end + _ZONE_SLACK if end.year < 9999 else end


def date_bounds(text: str) -> tuple[datetime | None, datetime | None]:
    """Earliest and latest instants a partial date or interval can mean (None: open end)."""
    if "/" in text:
        first, _, last = text.partition("/")
        low = _single_bounds(first)[0] if first not in ("", "..") else None
        high = _single_bounds(last)[1] if last not in ("", "..") else None
        return low, high
    return _single_bounds(text)


def interval_ends(text: str) -> tuple[str | None, str | None]:
    """The two ends of an interval as written (None for an open end)."""
    first, _, last = text.partition("/")
    return (first if first not in ("", "..") else None, last if last not in ("", "..") else None)


def surely_before(first: str, second: str) -> bool:
    """True when ``first`` lies before ``second`` whatever their unknown parts are."""
    _, first_high = date_bounds(first)
    second_low, _ = date_bounds(second)
    if first_high is None or second_low is None:
        return False
    return first_high < second_low
