"""A collection of records: one ``@graph`` where each shared entity is written once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from warphoto.model._base import Node, entity_from_dict
from warphoto.model.graph import collect

__all__ = ["Collection"]


@dataclass(frozen=True)
class Collection:
    """Records (photographs, galleries, events, ...) written together as one document."""

    records: tuple[Node, ...] = ()

    def __init__(self, records: Iterable[Node] = ()) -> None:
        object.__setattr__(self, "records", tuple(records))

    def __iter__(self) -> Iterator[Node]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def to_dict(self) -> dict[str, Any]:
        """The collection document; an entity embedded in several records is lifted out once."""
        return collect(record.to_dict(include_context=False) for record in self.records)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, validate: bool = True) -> Collection:
        """Build from a collection document; raises ValidationError when it is not valid."""
        if validate:
            from warphoto.validation import validate as check

            check(dict(data))
        return cls(entity_from_dict(node) for node in data.get("@graph", []))
