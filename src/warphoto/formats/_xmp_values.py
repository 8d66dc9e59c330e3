"""XMP values in memory: plain strings, four containers, and three kinds of annotated text.

The parser gives these, the writers build them, and both sides compare them, so a packet read
and written again says what it said. A plain ``str`` is simple text; the annotated kinds are
``str`` subclasses, so code that only wants the text can treat them as strings.
"""

from __future__ import annotations

from typing import Any

from mypy_extensions import mypyc_attr

__all__ = ["Alt", "Bag", "Lang", "Qualified", "Ref", "Seq", "Struct", "Typed", "normal"]


# dict, list and str subclasses stay Python classes when a module using them is compiled
@mypyc_attr(native_class=False)
class Bag(list[Any]):
    """rdf:Bag: an unordered array."""


@mypyc_attr(native_class=False)
class Seq(list[Any]):
    """rdf:Seq: an ordered array."""


@mypyc_attr(native_class=False)
class Alt(dict[str, str]):
    """rdf:Alt of language alternatives: xml:lang -> text, x-default first."""


@mypyc_attr(native_class=False)
class Struct(dict[str, Any]):
    """A structure: member (Clark name ``{namespace}Local``) -> value."""


@mypyc_attr(native_class=False)
class Qualified(Struct):
    """A qualified value: ``rdf:value`` and its qualifiers, members like a structure's."""


@mypyc_attr(native_class=False)
class Lang(str):
    """Text with an ``xml:lang`` of its own (outside an rdf:Alt, e.g. an item of an rdf:Bag)."""

    lang: str

    def __new__(cls, text: str, lang: str) -> Lang:
        self = super().__new__(cls, text)
        self.lang = lang
        return self

    def __reduce__(self) -> Any:
        return (Lang, (str(self), self.lang))


@mypyc_attr(native_class=False)
class Typed(str):
    """Text with an ``rdf:datatype`` (an IRI)."""

    datatype: str

    def __new__(cls, text: str, datatype: str) -> Typed:
        self = super().__new__(cls, text)
        self.datatype = datatype
        return self

    def __reduce__(self) -> Any:
        return (Typed, (str(self), self.datatype))


@mypyc_attr(native_class=False)
class Ref(str):
    """An IRI given as ``rdf:resource`` rather than as text."""

    def __reduce__(self) -> Any:
        return (Ref, (str(self),))


def normal(value: Any) -> Any:
    """A hashable form of an XMP value in which every distinction XMP makes is kept
    (Bag and Seq differ, so do text and annotated text); for comparing what was read with
    what would be written."""
    kind = type(value)
    if kind is str:
        return value
    if kind is Lang:
        return ("lang", value.lang.lower(), str(value))
    if kind is Typed:
        return ("typed", value.datatype, str(value))
    if kind is Ref:
        return ("ref", str(value))
    if kind is Alt:
        return ("alt", tuple(sorted(value.items())))
    if kind is Bag:
        return ("bag", tuple(sorted((normal(v) for v in value), key=repr)))
    if kind is Seq:
        return ("seq", tuple(normal(v) for v in value))
    if isinstance(value, dict):
        tag = "qualified" if kind is Qualified else "struct"
        return (tag, tuple(sorted((k, normal(v)) for k, v in value.items())))
    if isinstance(value, list):  # pragma: no cover - only the classes above are built
        return ("list", tuple(normal(v) for v in value))
    return str(value)


def same(a: Any, b: Any) -> bool:
    """Do two XMP values say the same (``normal(a) == normal(b)``)? Values built alike, as a
    property read back is from what was written, are told equal without building normal forms."""
    return _identical(a, b) or normal(a) == normal(b)


def _identical(a: Any, b: Any) -> bool:
    """Same kinds, same values, same order, all the way down (a quick sufficient test for
    :func:`same`)."""
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is str or kind is Ref:
        return bool(a == b)
    if kind is Lang:
        return bool(a == b and a.lang == b.lang)
    if kind is Typed:
        return bool(a == b and a.datatype == b.datatype)
    if kind is Bag or kind is Seq:
        if len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):
            if type(x) is str and type(y) is str:  # plain text inline, without the call
                if x != y:
                    return False
            elif not _identical(x, y):
                return False
        return True
    if kind is Alt or kind is Struct or kind is Qualified:
        if len(a) != len(b):
            return False
        for key, item in a.items():
            if key not in b:
                return False
            other = b[key]
            if type(item) is str and type(other) is str:  # plain text inline, without the call
                if item != other:
                    return False
            elif not _identical(item, other):
                return False
        return True
    return False
