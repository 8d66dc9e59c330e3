"""Capture time, GPS position and IIM dates as ISO 8601 and signed degrees."""

from __future__ import annotations

import pytest

from warphoto.imagefile import capture_time, exif_datetime, gps_datetime, gps_position
from warphoto.imagefile.capture import iim_datetime


@pytest.mark.parametrize(
    ("exif", "expected"),
    [
        ({"DateTimeOriginal": "2022:09:21 14:05:10"}, "2022-09-21T14:05:10"),
        ({"DateTimeOriginal": "2022:09:21 14:05:10", "SubSecTimeOriginal": "25"}, "2022-09-21T14:05:10.25"),
        (
            {"DateTimeOriginal": "2022:09:21 14:05:10", "OffsetTimeOriginal": "+03:00"},
            "2022-09-21T14:05:10+03:00",
        ),
        (
            {"DateTimeOriginal": "2022:09:21 14:05:10", "SubSecTimeOriginal": " 007 "},
            "2022-09-21T14:05:10.007",
        ),
        ({"DateTimeOriginal": "2022:09:21 14:05:10", "OffsetTimeOriginal": "   :  "}, "2022-09-21T14:05:10"),
        ({"DateTimeOriginal": "2022:09:21 14:05:10", "OffsetTimeOriginal": "+25:00"}, "2022-09-21T14:05:10"),
        ({"DateTimeOriginal": "0000:00:00 00:00:00"}, None),
        ({"DateTimeOriginal": "garbage"}, None),
        ({}, None),
    ],
)
def test_capture_time(exif: dict[str, str], expected: str | None) -> None:
    assert capture_time(exif) == expected


def test_create_and_modify_dates_use_their_own_subseconds_and_offsets() -> None:
    exif = {
        "CreateDate": "2022:09:21 14:05:10", "SubSecTimeDigitized": "5", "OffsetTimeDigitized": "+03:00",
        "ModifyDate": "2022:09:22 08:00:00", "SubSecTime": "1", "OffsetTime": "-05:00",
    }  # fmt: skip
    assert exif_datetime(exif, "create") == "2022-09-21T14:05:10.5+03:00"
    assert exif_datetime(exif, "modify") == "2022-09-22T08:00:00.1-05:00"


def test_gps() -> None:
    exif: dict[str, object] = {
        "GPSLatitude": 33.5, "GPSLatitudeRef": "S", "GPSLongitude": 70.25, "GPSLongitudeRef": "W",
        "GPSAltitude": 10.5, "GPSAltitudeRef": 1, "GPSDateStamp": "2022:09:21", "GPSTimeStamp": "11:05:10.25",
    }  # fmt: skip
    position = gps_position(exif)  # type: ignore[arg-type]
    assert position is not None and (position.latitude, position.longitude, position.altitude) == (
        -33.5,
        -70.25,
        -10.5,
    )
    assert gps_datetime(exif) == "2022-09-21T11:05:10.25Z"  # type: ignore[arg-type]
    assert gps_position({"GPSLatitude": 1.0}) is None


@pytest.mark.parametrize(
    ("date", "time", "expected"),
    [
        ("20040226", None, "2004-02-26"),
        ("20040226", "143000+0100", "2004-02-26T14:30:00+01:00"),
        ("20040226", "143000", "2004-02-26T14:30:00"),
        ("20040200", None, "2004-02"),
        ("20040000", None, "2004"),
        ("00000000", None, None),
        ("2004", None, None),
    ],
)
def test_iim_dates_keep_their_precision(date: str, time: str | None, expected: str | None) -> None:
    assert iim_datetime(date, time) == expected
