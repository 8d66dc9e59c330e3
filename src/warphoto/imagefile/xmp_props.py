"""A few XMP properties read straight from a packet, for the MWG reconciliation of EXIF, IIM and
XMP (:mod:`warphoto.imagefile.mwg`): simple values, language alternatives (``x-default``, else the
first), ordered and unordered arrays, and one field of each item of an array of structures.
Parsed with warphoto's hardened XML parser. Mapping a whole packet into a record is the ``xmp``
format's job, not this module's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from warphoto._xml import parse_xml

__all__ = ["XmpProps", "read_xmp_props"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CONTAINERS = {f"{{{RDF}}}{name}" for name in ("Alt", "Seq", "Bag")}


def _text(element: Any) -> str:
    resource = element.get(f"{{{RDF}}}resource")
    return resource if resource is not None else (element.text or "")


class XmpProps:
    """Lookups in one or more parsed packets (a JPEG's standard and extended XMP)."""

    def __init__(self, roots: list[Any]) -> None:
        self.descriptions = [d for root in roots for d in root.iter(f"{{{RDF}}}Description")]

    def _top(self, ns: str, name: str) -> Iterator[tuple[Any, str | None]]:
        tag = f"{{{ns}}}{name}"
        for description in self.descriptions:
            if description.getparent() is None or description.getparent().tag != f"{{{RDF}}}RDF":
                continue  # a structure's inner description, not a top-level one
            if tag in description.attrib:
                yield None, description.attrib[tag]
            for element in description.iterchildren(tag):
                yield element, None

    def get(self, ns: str, name: str) -> str | list[str] | None:
        """A simple value or language alternative as ``str``; an ordered or unordered array as a list."""
        for element, attribute in self._top(ns, name):
            if element is None:
                return attribute
            container = next((c for c in element if c.tag in _CONTAINERS), None)
            if container is None:
                return _text(element)
            items = list(container.iterchildren(f"{{{RDF}}}li"))
            if container.tag == f"{{{RDF}}}Alt":
                chosen = next(
                    (li for li in items if li.get(_XML_LANG) == "x-default"), items[0] if items else None
                )
                return None if chosen is None else _text(chosen)
            return [_text(li) for li in items]
        return None

    def struct_field(self, ns: str, name: str, field_ns: str, field: str) -> list[str] | None:
        """``field`` of each structure in the array ``name`` (items without it are skipped)."""
        tag = f"{{{field_ns}}}{field}"
        for element, _ in self._top(ns, name):
            if element is None:
                continue
            container = next((c for c in element if c.tag in _CONTAINERS), None)
            items = list(container.iterchildren(f"{{{RDF}}}li")) if container is not None else [element]
            values: list[str] = []
            for item in items:
                holders = [item, *item.iterchildren(f"{{{RDF}}}Description")]
                for holder in holders:
                    if tag in holder.attrib:
                        values.append(holder.attrib[tag])
                        break
                    child = holder.find(tag)
                    if child is not None:
                        values.append(_text(child))
                        break
            return values or None
        return None

    def simple_properties(self) -> dict[str, str | list[str]]:
        """Every top-level property with a simple, language-alternative or array-of-text value,
        by expanded name (``{namespace}name``); structures are left out."""
        out: dict[str, str | list[str]] = {}
        for description in self.descriptions:
            parent = description.getparent()
            if parent is None or parent.tag != f"{{{RDF}}}RDF":
                continue
            for name, value in description.attrib.items():
                if not name.startswith(f"{{{RDF}}}"):
                    out.setdefault(name, value)
            for element in description:
                if not isinstance(element.tag, str) or element.tag in out:
                    continue
                container = next((c for c in element if c.tag in _CONTAINERS), None)
                items = list(container.iterchildren(f"{{{RDF}}}li")) if container is not None else []
                if container is None and len(element) == 0:
                    out[element.tag] = _text(element)
                elif container is not None and all(len(li) == 0 for li in items):
                    ns, _, local = element.tag[1:].partition("}")
                    value = self.get(ns, local)
                    if value is not None:
                        out[element.tag] = value
        return out


def read_xmp_props(packets: tuple[bytes, ...], *, source: str | None = None) -> XmpProps:
    """The packets (standard, then extended) parsed for lookups."""
    return XmpProps([parse_xml(packet, source=source) for packet in packets])
