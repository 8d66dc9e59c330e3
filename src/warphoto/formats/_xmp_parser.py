"""XMP reading, first half: the packet's XML -> XMP values (Clark name -> value)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

import orjson

from warphoto._json import MAX_JSON_DEPTH, depth_exceeded, parse_json
from warphoto._xml import parse_xml
from warphoto.errors import ReadError
from warphoto.formats._xmp_ld import resolve_node_refs
from warphoto.formats._xmp_table import (
    _ABOUT,
    _ALT,
    _BAG,
    _DESCRIPTION,
    _LI,
    _LOSSLESS,
    _R,
    _RDF_PARSETYPE,
    _RDF_RESOURCE,
    _RDF_VALUE,
    _SEQ,
    _XML_LANG,
    _qname,
    _row_clarks,
)
from warphoto.formats._xmp_values import Alt, Bag, Lang, Qualified, Ref, Seq, Struct, Typed, same
from warphoto.formats.jsonld import check_contexts
from warphoto.validation import Issue

# reading: XML -> XMP values


_RDF_DATATYPE = _R + "datatype"


def _struct_of(node: Any, attributes: list[tuple[str, str]]) -> Any:
    """The structure of ``node``: its qualified attributes (``attributes``, its ``items()``)
    and its element children as members."""
    struct = Struct()
    for key, text in attributes:
        if key[:1] == "{" and not key.startswith(_R) and key != _XML_LANG:
            struct[key] = text
    for child in node[:]:  # a slice: lxml builds the list faster than it iterates
        tag = child.tag
        if isinstance(tag, str) and tag[:1] == "{":
            # a leaf (text without attributes) inline: what _value(child) gives, without the call
            struct[tag] = (child.text or "") if not len(child) and not child.items() else _value(child)
    if _RDF_VALUE in struct:  # a qualified value: rdf:value and its qualifiers
        return Qualified(struct)
    return struct


def _first_element(element: Any) -> Any:
    """The first child of ``element`` that is an element (not a comment, PI or entity), or None."""
    if not len(element):
        return None
    first = element[0]  # indexing is much cheaper in lxml than an iterator
    if isinstance(first.tag, str):
        return first
    for child in element:
        if isinstance(child.tag, str):
            return child
    return None


def _value(element: Any) -> Any:
    """The XMP value of a property element (or of an ``rdf:li``): text (plain or annotated), an
    array or a structure, never None, so that an empty value is a false one (``_is_empty``)."""
    attributes = element.items()
    if attributes:
        return _value_with_attributes(element, attributes)
    if not len(element):  # the common case: text without attributes or children
        return element.text or ""
    first = element[0]  # the first element child (not a comment or PI): inline when it is the first child
    if not isinstance(first.tag, str):
        first = _first_element(element)
    return _value_of_children(element, first) if first is not None else element.text or ""


def _value_with_attributes(element: Any, attributes: list[tuple[str, str]]) -> Any:
    if len(attributes) == 1:  # the common cases first: one rdf attribute (what the general path gives)
        key, text = attributes[0]
        if key == _RDF_PARSETYPE and text == "Resource":
            return _struct_of(element, [])
        if key == _RDF_DATATYPE and not len(element):
            body = element.text or ""
            return Typed(body, text) if body else body
        if key == _XML_LANG and not len(element):
            body = element.text or ""
            return Lang(body, text) if text and body else body
    resource = element.get(_RDF_RESOURCE)
    if resource is not None:
        return Ref(resource)
    parse_type = element.get(_RDF_PARSETYPE)
    if parse_type == "Resource":
        return _struct_of(element, attributes)
    if parse_type is not None:
        raise ReadError(
            f"{_qname(element.tag)} has rdf:parseType={parse_type!r}: XMP values are text, arrays "
            "or structures (rdf:parseType='Resource'), not XML literals or RDF collections"
        )
    first = _first_element(element)
    if first is None:
        for key, _ in attributes:
            if not key.startswith(_R) and key != _XML_LANG:
                return _struct_of(element, attributes)  # the attribute shorthand of a structure
        text = element.text or ""
        datatype = element.get(_RDF_DATATYPE)
        if datatype is not None and text:
            return Typed(text, datatype)
        lang = element.get(_XML_LANG)
        if lang and text:
            return Lang(text, lang)
        return text
    return _value_of_children(element, first)


def _value_of_children(element: Any, first: Any) -> Any:
    """The value of ``element`` whose first element child is ``first``: an array, or a structure."""
    tag = first.tag
    if tag == _ALT:
        alt = Alt()
        for li in first[:]:
            if li.tag != _LI:
                continue
            attributes = li.items()
            if not len(li) and (
                not attributes or (len(attributes) == 1 and attributes[0][0] == _XML_LANG)
            ):  # a plain language alternative: what _value(li) gives, without the call
                text = li.text  # a str (or None), never annotated text
                if text:
                    lang = (attributes[0][1] if attributes else "") or "x-default"
                    if lang not in alt:
                        alt[lang] = text
                continue
            lang = li.get(_XML_LANG) or "x-default"
            value = _value(li)
            if isinstance(value, str) and value and lang not in alt:
                alt[lang] = str(value)
        return alt
    if tag in (_BAG, _SEQ):
        items = []
        for li in first[:]:
            if li.tag != _LI:
                continue
            if not len(li) and not li.items():  # a leaf inline: what _value(li) gives, without the call
                text = li.text
                if text:
                    items.append(text)
                continue
            item = _value(li)
            if item:  # not empty (see _value)
                items.append(item)
        return Seq(items) if tag == _SEQ else Bag(items)
    if tag == _DESCRIPTION:
        return _struct_of(first, first.items())
    return _struct_of(element, element.items())


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, (dict, list)) and not value)


_RDF_RDF = _R + "RDF"


def _rdf_of(root: Any, source: str | None) -> Any:
    rdf = root if root.tag == _RDF_RDF else next(root.iter(_RDF_RDF), None)
    if rdf is None:
        raise ReadError("not an XMP packet: no rdf:RDF element", source=source)
    return rdf


def _find_lossless(rdfs: list[Any]) -> tuple[str | None, Any]:
    """The text of the first ``warphoto:lossless`` and its element (None for an attribute)."""
    for rdf in rdfs:
        for description in rdf:
            if not isinstance(description.tag, str):
                continue
            text = description.get(_LOSSLESS)
            if text is not None:
                return str(text), None
            for child in description.iterchildren(_LOSSLESS):
                return str(child.text or ""), child
    return None, None


def _collect(
    rdf: Any,
    props: dict[str, Any],
    issues: list[Issue],
    lossless: str | None = None,
    lossless_element: Any = None,
) -> None:
    """Add the properties of ``rdf``'s descriptions to ``props``. ``lossless`` is the text of an
    old packet's lossless copy already read (``lossless_element`` its element): met again, it is
    no duplicate."""
    for description in rdf:
        if not isinstance(description.tag, str):
            continue
        about = description.get(_ABOUT) or description.get("about")  # old packets: unqualified
        if about:
            _add(props, _ABOUT, about, issues)
        for key, text in description.items():
            if key.startswith(_R) or key == _XML_LANG or key[:1] != "{" or text == "":
                continue
            if key == _LOSSLESS and text == lossless:
                continue
            _add(props, key, text, issues)
        for child in description[:]:
            tag = child.tag
            if child is not lossless_element and isinstance(tag, str) and tag[:1] == "{":
                # a leaf (text without attributes) inline: what _value(child) gives, without the call
                value = (child.text or "") if not len(child) and not child.items() else _value(child)
                if not value or (tag == _LOSSLESS and value == lossless):  # empty: see _value
                    continue
                if tag in props:
                    _add(props, tag, value, issues)
                else:  # the common case: what _add does, without the call
                    props[tag] = value


def _add(props: dict[str, Any], key: str, value: Any, issues: list[Issue]) -> None:
    """Add one property; the same property again with another value is a ReadError (which of
    the two is right cannot be told, and keeping either would drop the other silently)."""
    if key in props:
        if not same(props[key], value):
            raise ReadError(
                f"conflicting values for {_qname(key)}: {_shown(props[key])} and {_shown(value)}; "
                "a packet gives a property once (fix the packet, or remove one of them)"
            )
        return
    props[key] = value


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _strip_packet(data: bytes | str) -> bytes:
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4]:
        return raw  # UTF-16 or UTF-32: leave it to the XML parser
    return raw.rstrip(b"\x00 \t\r\n")  # JPEG padding


def _parse_props(
    packets: Iterable[bytes | str], *, source: str | None, max_bytes: int, issues: list[Issue]
) -> dict[str, Any]:
    rdfs = []
    refs = False  # may the packets hold a warphoto:nodeRef? (a cheap test first: UTF-8 bytes)
    for packet in packets:
        raw = _strip_packet(packet)
        refs = refs or b"nodeRef" in raw or raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4]
        if len(raw) > max_bytes:
            raise ReadError(
                f"the XMP packet is {len(raw)} bytes, more than the limit of {max_bytes}; "
                "raise max_bytes to read it",
                source=source,
            )
        if raw.strip():
            rdfs.append(_rdf_of(parse_xml(raw, source=source, max_bytes=max_bytes), source))
    if not rdfs:
        raise ReadError("the XMP packet is empty", source=source)
    props: dict[str, Any] = {}
    text, element = _find_lossless(rdfs)
    if text is not None:  # an old packet's copy of what its IPTC properties could not hold
        props[_LOSSLESS] = _lossless_copy(text, source)
    for rdf in rdfs:
        _collect(rdf, props, issues, text, element)
    if refs:
        resolve_node_refs(props, _row_clarks())  # nodes written once and named again
    return props


#: digits map to "0", everything else to " ": a run of 19 zeros is an integer orjson would
#: read as a float (beyond 64 bits)
_DIGIT_RUNS = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
_LONG_NUMBER = b"0" * 19


def _lossless_copy(text: str, source: str | None) -> dict[str, Any]:
    """The record fields of a ``warphoto:lossless`` copy: a JSON object, bounded in depth, whose
    only JSON-LD context (if any) is ours. Anything else is a ReadError: the copy is written
    by warphoto alone, so a broken one means the packet was damaged or forged."""
    lossless: Any = None
    # orjson reads the copy warphoto wrote as parse_json would, faster; anything it refuses
    # (NaN, lone surrogates, nesting past 1,024), an integer it would read as a float (a run of
    # 19 digits), a copy nested too deep (brackets bound the depth from above, so the walk is
    # rare) and null go to parse_json, which refuses them with a message. One rule is not
    # checked on this path: a key given twice in one object keeps its last value.
    if _LONG_NUMBER not in text.encode("utf-8", "surrogatepass").translate(_DIGIT_RUNS):
        with contextlib.suppress(orjson.JSONDecodeError):
            lossless = orjson.loads(text)
    deep = text.count("[") + text.count("{") > MAX_JSON_DEPTH
    if lossless is None or (deep and depth_exceeded(lossless)):
        try:
            lossless = parse_json(text)
        except ReadError as error:
            raise ReadError(
                f"warphoto:lossless (warphoto's copy of the fields IPTC cannot hold): {error.message}",
                source=source,
            ) from None
    if not isinstance(lossless, dict):
        raise ReadError(
            f"warphoto:lossless holds a JSON {type(lossless).__name__}, not the object of record "
            "fields warphoto writes there",
            source=source,
        )
    if "@context" in text:
        check_contexts(lossless, source=source)
    return lossless


# --------------------------------------------------------------------------------------------
