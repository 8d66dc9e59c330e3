"""IPTC-IIM: datasets, repeats, the character set, and the digest."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from warphoto.errors import ReadError
from warphoto.imagefile._binary import View
from warphoto.imagefile.iim import decode_iim, iim_md5, iim_values
from warphoto.imagefile.iim_names import DATASETS, IPTC_PROPERTIES

from ..conftest import REFERENCE, need
from .images import iim_block

TECHREFERENCE = REFERENCE / "iptc-photometadata" / "techreference" / "iptc-pmd-techreference_2025.1.json"


def decode(block: bytes) -> tuple[dict[str, tuple[object, ...]], list[str]]:
    warnings: list[str] = []
    return dict(iim_values(decode_iim(View.of(block, "x.jpg"), warnings))), warnings


def test_repeated_datasets_and_numbers() -> None:
    values, warnings = decode(
        iim_block(
            (2, 0, b"\x00\x04"), (2, 25, b"war"), (2, 25, b"Izium"), (2, 10, b"5"), (2, 120, b"Caption")
        )
    )
    assert values == {
        "ApplicationRecordVersion": (4,),
        "Keywords": ("war", "Izium"),
        "Urgency": ("5",),
        "Caption-Abstract": ("Caption",),
    }
    assert warnings == []


def test_utf8_declared() -> None:
    values, warnings = decode(iim_block((1, 90, b"\x1b%G"), (2, 90, "Ізюм".encode())))
    assert values["City"] == ("Ізюм",) and warnings == []


def test_utf8_declared_but_invalid_warns() -> None:
    values, warnings = decode(iim_block((1, 90, b"\x1b%G"), (2, 90, b"Caf\xe9")))
    assert values["City"] == ("Café",)
    assert warnings and "not valid UTF-8" in warnings[0] and "2:90 City" in warnings[0]


def test_latin1_declared() -> None:
    values, warnings = decode(iim_block((1, 90, b"\x1b.A"), (2, 90, b"Krak\xf3w")))
    assert values["City"] == ("Kraków",) and warnings == []


def test_undeclared_text() -> None:
    values, warnings = decode(iim_block((2, 90, b"Krak\xf3w"), (2, 92, "Ізюм".encode()), (2, 95, b"Ont")))
    assert values["City"] == ("Kraków",) and values["Sub-location"] == ("Ізюм",)
    assert len(warnings) == 2


def test_extended_length_and_padding() -> None:
    long = b"x" * 40_000
    block = b"\x1c\x02\x78\x80\x04" + len(long).to_bytes(4, "big") + long + b"\x00\x00\x00"
    values, warnings = decode(block)
    assert values["Caption-Abstract"] == ("x" * 40_000,) and warnings == []


def test_garbage_after_the_datasets_is_reported_not_read() -> None:
    values, warnings = decode(iim_block((2, 5, b"Title")) + b"\x99junk")
    assert values == {"ObjectName": ("Title",)}
    assert "byte 99" in warnings[0]


def test_a_dataset_longer_than_its_block() -> None:
    with pytest.raises(ReadError, match="claims 200 bytes") as caught:
        decode(iim_block((2, 5, b"Title")) + b"\x1c\x02\x78\x00\xc8abc")
    assert caught.value.offset == 10


def test_the_digest_is_the_md5_of_the_block() -> None:
    block = iim_block((2, 5, b"Title"))
    assert iim_md5(block) == hashlib.md5(block).hexdigest()


def test_the_mapped_datasets_are_those_of_the_techreference() -> None:
    need(TECHREFERENCE.is_file(), f"the IPTC TechReference in {TECHREFERENCE.parent}")
    top = json.loads(TECHREFERENCE.read_text(encoding="utf-8"))["ipmd_top"]
    expected: dict[tuple[int, int], str] = {}
    for key, prop in top.items():
        # "2:55", and "Date Created+2:60 Time Created" in IIMname for the second dataset
        ids = re.findall(r"\b(\d):(\d+)\b", f"{prop.get('IIMid', '')} {prop.get('IIMname', '')}")
        for record, number in ids:
            expected[(int(record), int(number))] = key
    assert expected == IPTC_PROPERTIES
    assert set(IPTC_PROPERTIES) <= set(DATASETS)
