"""Loading crosswalk tables (``vocab/crosswalk/*.csv``): one row per record field and target property.

The tables are plain CSV so that they are easy to review in a diff: ``#`` lines are comments,
the first other line names the columns, every cell is a string (empty when absent). This
module knows nothing of any one format; a format module reads its table and gives meaning
to the columns.

What the formats with a crosswalk (NewsML-G2, EDM) share lives here too: the projection of a
record onto what a table says a format carries (``kind_of``, ``carried_fields``, ``project``,
``lost_fields``) and the generator of ``docs/loss-table.md`` (``loss_table_markdown``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from warphoto import _resources
from warphoto._blank import opaque_ids

__all__ = [
    "PLACE_TYPES",
    "Table",
    "carried_fields",
    "fields_not_carried",
    "kind_of",
    "load_table",
    "loss_table_markdown",
    "lost_fields",
    "parse_table",
    "project",
]


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


# --------------------------------------------------------------------------- projection

#: the record types that are places (the crosswalk entity ``Place``)
PLACE_TYPES = frozenset({"Place", "City", "State", "Country", "Continent", "AdministrativeArea"})


def kind_of(node: Mapping[str, Any], parent_key: str | None = None) -> str | None:
    """The crosswalk entity of a record node: Photograph, Gallery, MediaFile, Place, Person, ..."""
    value = node.get("@type")
    types = [value] if isinstance(value, str) else [t for t in value or [] if isinstance(t, str)]
    if "Photograph" in types:
        return "Photograph"
    if "ImageGallery" in types:
        return "Gallery"
    if "ImageObject" in types:
        return "MediaFile"
    for name in types:
        if name in PLACE_TYPES:
            return "Place"
        if name in (
            "Person",
            "Organization",
            "Event",
            "Concept",
            "Activity",
            "Association",
            "PersonShown",
            "GeoCoordinates",
        ):
            return name
    if "@value" in node:
        return None
    return {"personShown": "PersonShown", "geo": "GeoCoordinates", "qualifiedAssociation": "Association"}.get(
        parent_key or ""
    )


@cache
def carried_fields(table: str) -> frozenset[tuple[str, str]]:
    """(entity, field) pairs the crosswalk ``table`` marks as carried."""
    return frozenset((row["entity"], row["field"]) for row in load_table(table) if row["carried"] == "yes")


def _walk_values(
    value: Any, key: str, path: str, carried: frozenset[tuple[str, str]], lost: list[str] | None
) -> Any:
    if isinstance(value, list):
        return [_walk_values(item, key, path, carried, lost) for item in value]
    if isinstance(value, dict) and "@value" not in value and not _is_langmap(key):
        return _project_node(value, key, path, carried, lost)
    return value


def _is_langmap(key: str) -> bool:
    return key in {
        "headline",
        "title",
        "caption",
        "altText",
        "description",
        "keywords",
        "copyrightNotice",
        "usageTerms",
        "name",
        "alternateName",
        "jobTitle",
        "prefLabel",
    }


_IMPLIED_TYPES = frozenset({"PersonShown", "GeoCoordinates", "Association"})


def _project_node(
    node: Mapping[str, Any],
    parent_key: str | None,
    path: str,
    carried: frozenset[tuple[str, str]],
    lost: list[str] | None,
) -> dict[str, Any]:
    kind = kind_of(node, parent_key)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@type" and kind in _IMPLIED_TYPES:
            continue  # implied by where the node sits; readers leave it out
        if key in ("@context", "@type") or kind is None:
            out[key] = value
            continue
        field = "extension" if ":" in key else key
        here = f"{path}.{key}" if path else key
        if (kind, field) not in carried:
            if lost is not None and here not in lost:
                lost.append(here)
            continue
        out[key] = _walk_values(value, key, here, carried, lost)
    return out


def project(record: Mapping[str, Any], table: str) -> dict[str, Any]:
    """``record`` as the format of crosswalk ``table`` gives it back: restricted to the fields
    the table says it carries, each node without an IRI under its opaque id (NewsML-G2 and EDM
    carry no blank-node labels; :mod:`warphoto._blank`)."""
    return _project_node(opaque_ids(record), None, "", carried_fields(table), None)


def lost_fields(record: Mapping[str, Any], table: str) -> list[str]:
    """Dotted paths of the record's fields the format would drop (e.g. ``provenance``, ``creator.url``)."""
    lost: list[str] = []
    _project_node(record, None, "", carried_fields(table), lost)
    return lost


# --------------------------------------------------------------------------- the loss table


def loss_table_markdown(tables: Mapping[str, str] | None = None) -> str:
    """docs/loss-table.md: for each format, which record fields it carries (from the crosswalks).

    ``tables`` maps a column title to a crosswalk file with ``entity``, ``field``, ``carried``
    and ``notes`` columns (default: NewsML-G2 and EDM).
    """
    tables = dict(tables or {"NewsML-G2": "newsml.csv", "EDM": "edm.csv"})
    loaded = {title: load_table(name) for title, name in tables.items()}
    order: list[tuple[str, str]] = []
    cells: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
    for title, table in loaded.items():
        for row in table:
            key = (row["entity"], row["field"])
            if key not in cells:
                order.append(key)
                cells[key] = {}
            cells[key][title] = (row["carried"], row.get("notes", ""))
    lines = [
        "# Loss table",
        "",
        "<!-- generated from vocab/crosswalk/*.csv by warphoto._crosswalk.loss_table_markdown(); "
        "do not edit by hand -->",
        "",
        "Which record fields each format carries. **yes**: written and read back unchanged (a round trip "
        "returns it); **no**: the writer drops it, and `refuse_loss=True` makes the writer refuse the "
        "record instead, naming the fields (`warphoto.errors.LossError`). `extension` stands for any "
        "extension key (a key with `:`). Notes say where a field is carried only in part.",
        "",
        "| entity | field | " + " | ".join(loaded) + " |",
        "|---|---|" + "---|" * len(loaded),
    ]
    for entity, field in order:
        row_cells = []
        for title in loaded:
            carried, note = cells[(entity, field)].get(title, ("", ""))
            text = {"yes": "yes", "no": "**no**"}.get(carried, "n/a")
            if note and (carried == "no" or "only" in note or "dropped" in note or "not" in note):
                text += f" ({note})"
            row_cells.append(text.replace("|", "\\|"))
        lines.append(f"| {entity} | `{field}` | " + " | ".join(row_cells) + " |")
    lines += _registry_section()
    return "\n".join(lines) + "\n"


def _registry_section() -> list[str]:
    """Every registered format, with what its registry entry says it cannot carry."""
    from warphoto import formats

    lines = [
        "",
        "## Every format",
        "",
        "From the format registry (`warphoto formats` prints the same). A format with nothing listed",
        "carries every record field; its round trips are tested on the example gallery, the valid",
        "corpus and generated records.",
        "",
        "| format | extensions | cannot carry |",
        "|---|---|---|",
    ]
    for fmt in formats.all_formats():
        missing = ", ".join(f"`{name}`" for name in fmt.cannot_carry) or "nothing"
        lines.append(f"| {fmt.name} | {' '.join(fmt.extensions)} | {missing} |")
    lines += [
        "",
        "RDF (RDF/XML, Turtle, N-Triples) and expanded JSON-LD have one more, narrow loss: inside an",
        "extension key's value, a JSON-LD value object with neither `@type` nor `@language`",
        '(`{"@value": "x"}`) comes back as the plain string `"x"`, as JSON-LD defines.',
        "Text: EDM trims the whitespace around text and drops text made only of whitespace (XML",
        "exports are indented by other tools); the schema.org web profile drops language-tagged",
        "text made only of whitespace; NewsML-G2 keeps the text of warphoto's own items exactly",
        "(its `generator` says warphoto) and normalises whitespace in other producers' items.",
        "Every other format keeps text exactly, line ends and all.",
        "XMP and JPEG describe one photograph each: `warphoto convert --to xmp --out-dir` writes a",
        "collection as one sidecar per photograph; EDM writes a collection as a ZIP of one document",
        "per photograph.",
    ]
    return lines
