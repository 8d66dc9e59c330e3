"""IPTC-IIM decoding: the datasets of records 1 and 2, their character set, and the block's MD5.

A block is a run of datasets ``1C rr dd LLLL value`` (an extended length when ``LLLL`` has its
top bit set). A dataset whose length runs past the end of the block is a
:class:`~warphoto.errors.ReadError` naming its offset; zero padding at the end is allowed, and any
other byte where a dataset should start ends the block with a warning (as ExifTool does).

**Character set.** Dataset 1:90 (CodedCharacterSet) ``ESC % G`` means UTF-8; ``ESC . A``,
``ESC - A`` Latin-1. Without 1:90, ASCII text is ASCII, text that is valid UTF-8 is read as
UTF-8 (with a warning: the IIM default would be Latin-1, which would turn it into mojibake), and
any other text as Windows-1252 (with a warning). Bytes that are not valid in the declared set are
read as Windows-1252 with a warning naming the dataset. Never silent mojibake.

**Digest.** :func:`iim_md5` is the MD5 of the IIM block exactly as stored in the Photoshop
resource 0x0404 (or TIFF tag 33723): what Photoshop stores as resource 0x0425 and in
``photoshop:LegacyIPTCDigest``, and what ExifTool reports as ``CurrentIPTCDigest``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from warphoto.imagefile._binary import View
from warphoto.imagefile._text import cp1252
from warphoto.imagefile.iim_names import BINARY, DATASETS, ESCAPES, NUMERIC

__all__ = ["MAX_DATASETS", "IimDataset", "decode_iim", "iim_md5", "iim_values"]

#: datasets one block may hold
MAX_DATASETS = 10_000
_UTF8 = b"\x1b%G"
_LATIN1 = (b"\x1b.A", b"\x1b-A")


@dataclass(frozen=True)
class IimDataset:
    """One dataset: ``record:number``, its name, and its value (text, an int, or bytes)."""

    record: int
    number: int
    name: str
    value: str | int | bytes
    offset: int

    @property
    def id(self) -> str:
        return f"{self.record}:{self.number:02d}"


def iim_md5(block: bytes) -> str:
    """The MD5 of an IIM block as lowercase hex (ExifTool's CurrentIPTCDigest)."""
    return hashlib.md5(block, usedforsecurity=False).hexdigest()


def _raw_datasets(view: View, warnings: list[str]) -> list[tuple[int, int, bytes, int]]:
    out: list[tuple[int, int, bytes, int]] = []
    pos = 0
    size = len(view)
    while pos < size:
        marker = view.u8(pos, "IIM tag marker")
        if marker != 0x1C:
            rest = view.read(pos, size - pos, "IIM padding")
            if rest.strip(b"\x00"):
                warnings.append(
                    f"IIM: byte {marker:02X} at offset {view.start + pos} where a dataset should start; "
                    f"the {size - pos} bytes after it are not read"
                )
            break
        if len(out) >= MAX_DATASETS:
            raise view.fail(f"IIM: more than {MAX_DATASETS} datasets", pos)
        record, number, length = view.unpack(">BBH", pos + 1, "IIM dataset header")
        head = 5
        if length & 0x8000:
            width = length & 0x7FFF
            if width == 0 or width > 4:
                raise view.fail(
                    f"IIM dataset {record}:{number:02d} has an extended length of {width} bytes", pos
                )
            length = int.from_bytes(view.read(pos + 5, width, "IIM extended length"), "big")
            head += width
        if pos + head + length > size:
            raise view.fail(
                f"IIM dataset {record}:{number:02d} claims {length} bytes, "
                f"past the end of the {size}-byte IIM block",
                pos,
            )
        out.append((record, number, view.read(pos + head, length, "IIM dataset"), view.start + pos))
        pos += head + length
    return out


def _charset(raw: list[tuple[int, int, bytes, int]], warnings: list[str]) -> str | None:
    for record, number, value, _ in raw:
        if (record, number) == (1, 90):
            if value == _UTF8:
                return "utf-8"
            if value in _LATIN1:
                return "latin-1"
            warnings.append(
                f"IIM: CodedCharacterSet {value!r} is unknown; text is read as UTF-8 or Windows-1252"
            )
            return None
    return None


def _text(value: bytes, charset: str | None, what: str, warnings: list[str]) -> str:
    if charset == "latin-1":
        return value.decode("latin-1")
    if charset == "utf-8":
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            warnings.append(
                f"IIM {what}: not valid UTF-8 although CodedCharacterSet says UTF-8; read as Windows-1252"
            )
            return cp1252(value)
    if value.isascii():
        return value.decode("ascii")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        warnings.append(f"IIM {what}: no CodedCharacterSet and not UTF-8; read as Windows-1252")
        return cp1252(value)
    warnings.append(f"IIM {what}: no CodedCharacterSet, read as UTF-8 because it is valid UTF-8")
    return text


def decode_iim(view: View, warnings: list[str]) -> tuple[IimDataset, ...]:
    """Every dataset of an IIM block, in file order, decoded (see the module's notes)."""
    raw = _raw_datasets(view, warnings)
    charset = _charset(raw, warnings)
    out: list[IimDataset] = []
    for record, number, value, offset in raw:
        key = (record, number)
        name = DATASETS.get(key, f"IIM_{record}_{number:03d}")
        decoded: str | int | bytes
        if key in NUMERIC and 1 <= len(value) <= 4:
            decoded = int.from_bytes(value, "big")
        elif key in ESCAPES:
            decoded = value.decode("latin-1")
        elif key in BINARY or record not in (1, 2):
            decoded = value
        else:
            decoded = _text(value, charset, f"{record}:{number:02d} {name}", warnings)
        out.append(IimDataset(record, number, name, decoded, offset))
    return tuple(out)


def iim_values(datasets: tuple[IimDataset, ...]) -> Mapping[str, tuple[str | int | bytes, ...]]:
    """Values by dataset name, repeated datasets in file order."""
    out: dict[str, list[str | int | bytes]] = {}
    for dataset in datasets:
        out.setdefault(dataset.name, []).append(dataset.value)
    return MappingProxyType({name: tuple(values) for name, values in out.items()})
