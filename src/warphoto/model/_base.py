"""The machinery the model classes share: field codecs and dict conversion.

Each model field names its record key and its *codec*, the rule that turns the JSON
value into a Python value and back. Unknown keys are kept in ``extra`` and written
back unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from warphoto.dates import PartialDate
from warphoto.model.text import LangText, LangTextList

__all__ = ["Codec", "Node", "codec_field", "entity_from_dict", "register_entity"]

T = TypeVar("T", bound="Node")


@dataclass(frozen=True, slots=True)
class Codec:
    """How one record key becomes a Python value (``load``) and back (``dump``)."""

    load: Callable[[Any], Any]
    dump: Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _tuple_of(codec: Codec) -> Codec:
    return Codec(
        load=lambda values: tuple(codec.load(v) for v in values),
        dump=lambda values: [codec.dump(v) for v in values],
    )


def _dump_node(value: Any) -> Any:
    return value.to_dict(include_context=False) if isinstance(value, Node) else value


def _load_reference(value: Any) -> Any:
    return entity_from_dict(value) if isinstance(value, Mapping) else str(value)


def _nested(cls_name: str) -> Codec:
    def load(value: Any) -> Any:
        return _NESTED[cls_name].from_dict(value, validate=False)

    return Codec(load=load, dump=_dump_node)


PLAIN = Codec(_identity, _identity)
LANG = Codec(LangText.from_dict, lambda v: v.to_dict())
LANG_LIST = Codec(LangTextList.from_dict, lambda v: v.to_dict())
DATE = Codec(PartialDate.from_dict, lambda v: v.to_dict())
IRIS = _tuple_of(PLAIN)
TYPES = Codec(
    load=lambda v: (v,) if isinstance(v, str) else tuple(v),
    dump=lambda v: v[0] if len(v) == 1 else list(v),
)
REF = Codec(_load_reference, _dump_node)
REFS = _tuple_of(REF)


#: one value or several, kept as given: IPTC defines an array, and packets in the wild hold one value
ONE_OR_MORE = Codec(
    load=lambda v: tuple(v) if isinstance(v, list) else v,
    dump=lambda v: list(v) if isinstance(v, tuple) else v,
)


def one_or_more(cls_name: str) -> Codec:
    """One nested structure or several, kept as given (see :data:`ONE_OR_MORE`)."""
    one = _nested(cls_name)
    return Codec(
        load=lambda v: tuple(one.load(i) for i in v) if isinstance(v, list) else one.load(v),
        dump=lambda v: [one.dump(i) for i in v] if isinstance(v, tuple) else one.dump(v),
    )


def nested(cls_name: str) -> Codec:
    return _nested(cls_name)


def nested_list(cls_name: str) -> Codec:
    return _tuple_of(_nested(cls_name))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def codec_field(codec: Codec = PLAIN, *, key: str | None = None, default: Any = None) -> Any:
    """A model field: its record key (camelCase of the attribute unless given) and codec."""
    return field(default=default, metadata={"codec": codec, "key": key})


_ENTITIES: dict[str, type[Node]] = {}
_NESTED: dict[str, type[Node]] = {}


def register_entity(*types: str) -> Callable[[type[T]], type[T]]:
    """Class decorator: dispatch embedded nodes whose @type is one of ``types`` to this class."""

    def decorate(cls: type[T]) -> type[T]:
        for name in types:
            _ENTITIES[name] = cls
        _NESTED[cls.__name__] = cls
        return cls

    return decorate


def entity_from_dict(data: Mapping[str, Any]) -> Node:
    """The model object for an embedded node, chosen by its @type."""
    types = data.get("@type")
    names = [types] if isinstance(types, str) else list(types or [])
    for name in ("Photograph", *names):
        if name in names and name in _ENTITIES:
            return _ENTITIES[name].from_dict(data, validate=False)
    return _ENTITIES["_unknown"].from_dict(data, validate=False)


@dataclass(frozen=True)
class Node:
    """Base of every model class: a node of the record graph."""

    #: the schema the class is checked against (short name), or None for nested shapes
    SCHEMA: ClassVar[str | None] = None
    #: the @type written when none was given
    TYPE: ClassVar[str | tuple[str, ...] | None] = None

    @classmethod
    def _fields(cls) -> list[tuple[dataclasses.Field[Any], str, Codec]]:
        cached = cls.__dict__.get("_field_table")
        if cached is None:
            cached = []
            for f in dataclasses.fields(cls):
                if "codec" in f.metadata:
                    cached.append((f, f.metadata["key"] or _camel(f.name), f.metadata["codec"]))
            type.__setattr__(cls, "_field_table", cached)
        return cached

    def to_dict(self, *, include_context: bool = True) -> dict[str, Any]:
        """The record dict (compact JSON-LD under warphoto's context)."""
        from warphoto._resources import CONTEXT_IRI

        out: dict[str, Any] = {}
        if include_context and self.SCHEMA is not None:
            out["@context"] = CONTEXT_IRI
        for f, key, codec in self._fields():
            value = getattr(self, f.name)
            if value is None or value == ():
                continue
            out[key] = codec.dump(value)
        extra = getattr(self, "extra", None)
        if extra:
            out.update(extra)
        return out

    @classmethod
    def from_dict(cls: type[T], data: Mapping[str, Any], *, validate: bool = True) -> T:
        """Build from a record dict; raises ValidationError when the dict is not valid."""
        if validate:
            from warphoto.validation import validate as check

            check(dict(data))
        known: dict[str, Any] = {}
        used = {"@context"}
        for f, key, codec in cls._fields():
            used.add(key)
            if key in data:
                known[f.name] = codec.load(data[key])
        extra = {k: v for k, v in data.items() if k not in used}
        if any(f.name == "extra" for f in dataclasses.fields(cls)):
            known["extra"] = extra
        return cls(**known)
