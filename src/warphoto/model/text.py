"""Language-tagged text: one string per language, or several (keywords, alternate names)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["LangText", "LangTextList"]

_V = TypeVar("_V")


class _LangMap(Mapping[str, _V]):
    """A read-only language map kept as ``(language, value)`` pairs in ``items_``, in order."""

    __slots__ = ()
    items_: tuple[tuple[str, _V], ...]

    def __getitem__(self, language: str) -> _V:
        for key, value in self.items_:
            if key == language:
                return value
        raise KeyError(language)

    def __iter__(self) -> Iterator[str]:
        return (key for key, _ in self.items_)

    def __len__(self) -> int:
        return len(self.items_)


@dataclass(frozen=True, slots=True)
class LangText(_LangMap[str]):
    """A language map, e.g. ``LangText({"en": "Izium", "uk": "Ізюм"})``; read-only."""

    items_: tuple[tuple[str, str], ...]

    def __init__(self, texts: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        pairs = texts.items() if isinstance(texts, Mapping) else texts
        object.__setattr__(self, "items_", tuple((str(k), str(v)) for k, v in pairs))

    def best(self, *preferred: str) -> str | None:
        """The text in the first preferred language present, else the first one."""
        for language in preferred:
            if language in self:
                return self[language]
        return self.items_[0][1] if self.items_ else None

    def to_dict(self) -> dict[str, str]:
        return dict(self.items_)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LangText:
        return cls({str(k): str(v) for k, v in data.items()})


@dataclass(frozen=True, slots=True)
class LangTextList(_LangMap[tuple[str, ...]]):
    """A language map of lists, e.g. keywords ``{"en": ("war", "exhumation")}``; read-only."""

    items_: tuple[tuple[str, tuple[str, ...]], ...]

    def __init__(self, texts: Mapping[str, Iterable[str]] = ()) -> None:  # type: ignore[assignment]
        pairs = texts.items() if isinstance(texts, Mapping) else texts
        object.__setattr__(self, "items_", tuple((str(k), tuple(str(t) for t in v)) for k, v in pairs))

    def to_dict(self) -> dict[str, list[str]]:
        return {key: list(values) for key, values in self.items_}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LangTextList:
        return cls({str(k): [str(t) for t in v] for k, v in data.items()})
