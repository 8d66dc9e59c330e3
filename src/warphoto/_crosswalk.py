"""Loading crosswalk tables (``vocab/crosswalk/*.csv``): one row per record field and target property.

The tables are plain CSV so that they are easy to review in a diff: ``#`` lines are comments,
the first other line names the columns, every cell is a string (empty when absent). This
module knows nothing of any one format; a format module reads its table and gives meaning
to the columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from warphoto import _resources

__all__ = ["Table", "load_table", "parse_table"]


@dataclass(frozen=True)
class Table:
    """A crosswalk table: its column names and its rows (each a dict column -> string)."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]

    def where(self, **conditions: str) -> list[dict[str, str]]:
        """The rows whose columns equal the given values."""
        return [row for row in self.rows if all(row.get(k) == v for k, v in conditions.items())]

    def column(self, name: str) -> list[str]:
        return [row[name] for row in self.rows]

    def __iter__(self) -> Iterator[dict[str, str]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _content_lines(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            yield line


def parse_table(text: str, *, name: str = "<table>", required: Iterable[str] = ()) -> Table:
    """Parse CSV ``text`` (with ``#`` comment lines) into a :class:`Table`."""
    reader = csv.reader(_content_lines(io.StringIO(text)))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise ValueError(f"crosswalk table {name} is empty") from None
    missing = [column for column in required if column not in header]
    if missing:
        raise ValueError(f"crosswalk table {name} lacks the columns {', '.join(missing)}")
    rows = []
    for number, cells in enumerate(reader, start=2):
        if len(cells) != len(header):
            raise ValueError(
                f"crosswalk table {name}, data row {number}: {len(cells)} cells, expected {len(header)}"
            )
        rows.append({column: cell.strip() for column, cell in zip(header, cells, strict=True)})
    return Table(name=name, columns=tuple(header), rows=tuple(rows))


@cache
def load_table(name: str) -> Table:
    """The packaged crosswalk table ``vocab/crosswalk/<name>`` (e.g. ``"xmp.csv"``). Do not mutate it."""
    return parse_table(_resources.crosswalk_path(name).read_text(encoding="utf-8"), name=name)


def fields_not_carried(name: str) -> tuple[str, ...]:
    """``Entity.field`` for every row of a crosswalk table whose ``carried`` column is not "yes"."""
    return tuple(
        sorted(f"{row['entity']}.{row['field']}" for row in load_table(name) if row["carried"] != "yes")
    )
