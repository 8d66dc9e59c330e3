"""Where an XMP sidecar and the XMP embedded in its image disagree: every top-level property
with a text, language-alternative or array-of-text value that one has and the other has
differently (or not at all). Structures are not compared, nor ``xmpNote:HasExtendedXMP`` (a
JPEG's pointer to its extended XMP). The caller reports the differences."""

from __future__ import annotations

from dataclasses import dataclass

from warphoto.imagefile.xmp_props import read_xmp_props

__all__ = ["XmpDifference", "compare_sidecar"]

#: packaging, not metadata: the pointer from a JPEG's standard XMP to its extension
_IGNORED = frozenset({"{http://ns.adobe.com/xmp/note/}HasExtendedXMP"})


@dataclass(frozen=True)
class XmpDifference:
    """One property (``{namespace}name``) and its value in the embedded XMP and in the sidecar."""

    property: str
    embedded: str | tuple[str, ...] | None
    sidecar: str | tuple[str, ...] | None

    def __str__(self) -> str:
        return f"{self.property}: the embedded XMP says {self.embedded!r}, the sidecar {self.sidecar!r}"


def _value(value: str | list[str] | None) -> str | tuple[str, ...] | None:
    return tuple(value) if isinstance(value, list) else value


def compare_sidecar(
    embedded: tuple[bytes, ...], sidecar: bytes, *, source: str | None = None
) -> tuple[XmpDifference, ...]:
    """The differences between the embedded packets (standard, extended) and a sidecar packet."""
    ours = read_xmp_props(embedded, source=source).simple_properties() if embedded else {}
    theirs = read_xmp_props((sidecar,), source=source).simple_properties()
    return tuple(
        XmpDifference(name, _value(ours.get(name)), _value(theirs.get(name)))
        for name in sorted(set(ours) | set(theirs))
        if name not in _IGNORED and _value(ours.get(name)) != _value(theirs.get(name))
    )
