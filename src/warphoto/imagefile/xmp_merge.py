"""One XMP packet from a JPEG's standard and extended XMP, as the XMP specification (part 3,
1.1.3.1) asks a reader to do: the extended packet's properties join the standard packet's, and
``xmpNote:HasExtendedXMP`` (which only points at the extension) is dropped. Parsed with warphoto's
hardened XML parser (no entities, no DTD, no network)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from warphoto._xml import parse_xml
from warphoto.errors import ReadError

__all__ = ["merge_extended_xmp"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XMP_NOTE = "http://ns.adobe.com/xmp/note/"
_HAS_EXTENDED = f"{{{_XMP_NOTE}}}HasExtendedXMP"


def _rdf(root: Any, which: str, source: str | None) -> Any:
    rdf = root if root.tag == f"{{{_RDF}}}RDF" else root.find(f".//{{{_RDF}}}RDF")
    if rdf is None:
        raise ReadError(f"the {which} XMP packet has no rdf:RDF element", source=source)
    return rdf


def merge_extended_xmp(standard: bytes, extended: bytes | None, *, source: str | None = None) -> bytes:
    """The standard packet with the extended packet's descriptions added (``standard`` when
    there is no extension). The result is a serialized ``x:xmpmeta`` (or ``rdf:RDF``) element."""
    if extended is None:
        return standard
    root = parse_xml(standard, source=source)
    rdf = _rdf(root, "standard", source)
    for description in rdf.iterchildren(f"{{{_RDF}}}Description"):
        description.attrib.pop(_HAS_EXTENDED, None)
        for note in description.findall(_HAS_EXTENDED):
            description.remove(note)
    extension = _rdf(parse_xml(extended, source=source), "extended", source)
    for description in extension.iterchildren(f"{{{_RDF}}}Description"):
        rdf.append(description)
    result: bytes = etree.tostring(root, encoding="utf-8")
    return result
