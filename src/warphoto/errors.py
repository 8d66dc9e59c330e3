"""The one exception tree of warphoto.

Every error warphoto raises on purpose is a :class:`WarphotoError`::

    WarphotoError
    ├── ValidationError      a record or collection breaks the schema or a semantic rule
    ├── ReadError            a file or string could not be read as the format claims
    │   └── UnsafeInputError input asked for something we never do (remote context, entity, DTD)
    ├── WriteError           a record could not be written in the asked format
    │   └── LossError        the writer was asked to refuse records whose fields it would drop
    └── FormatError          an unknown format name or file extension
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warphoto.validation import Issue

__all__ = [
    "FormatError",
    "LossError",
    "ReadError",
    "UnsafeInputError",
    "ValidationError",
    "WarphotoError",
    "WriteError",
]


class WarphotoError(Exception):
    """Root of every error warphoto raises on purpose."""


class ValidationError(WarphotoError):
    """A record or collection is not valid; ``issues`` holds every problem found."""

    def __init__(self, issues: Sequence[Issue], *, source: str | None = None) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        self.source = source
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.issues)
        head = f"{count} validation issue{'s' if count != 1 else ''}"
        if self.source:
            head = f"{self.source}: {head}"
        lines = [head + ":"] + [f"  {issue}" for issue in self.issues[:20]]
        if count > 20:
            lines.append(f"  ... and {count - 20} more")
        return "\n".join(lines)


class ReadError(WarphotoError):
    """Input could not be read; names the source and, where known, the line and column."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.offset = offset
        super().__init__(self._render())

    def _render(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.offset is not None:
            where += f" (byte offset {self.offset})"
        return f"{where}: {self.message}"


class UnsafeInputError(ReadError):
    """Input asked for something warphoto never does: fetch a context, expand an entity, load a DTD."""


class WriteError(WarphotoError):
    """A record could not be written in the asked format."""


class LossError(WriteError):
    """The writer would drop fields and was asked to refuse instead; ``fields`` names them."""

    def __init__(self, format_name: str, record_id: str | None, fields: Sequence[str]) -> None:
        self.format_name = format_name
        self.record_id = record_id
        self.fields: tuple[str, ...] = tuple(fields)
        super().__init__(
            f"{record_id or '<record>'}: {format_name} cannot carry {', '.join(self.fields)}; "
            f"remove these fields or write without refuse_loss=True"
        )


class FormatError(WarphotoError):
    """An unknown format name or a file extension no format claims."""
