"""Hardened XML parsing: every XML document warphoto reads goes through :func:`parse_xml`.

* entity expansion is off (``resolve_entities=False``) and a DOCTYPE that declares entities
  (``<!ENTITY``) is refused outright, so "billion laughs" and external entities never run;
* no DTD is loaded and nothing is fetched (``load_dtd=False``, ``no_network=True``);
* ``huge_tree=False`` keeps libxml2's depth and text-node limits; the input size is bounded;
* XInclude is never processed, and a document holding an XInclude element is refused.

:func:`parse_xml` reuses one such parser per thread (lxml parsers must not be shared between
threads, and building one costs more than parsing a small document). A parser carries nothing
from one document to the next: lxml clears its error log at the start of every parse, and the
checks above run on every document.

Errors are :class:`~warphoto.errors.ReadError` (malformed XML, with line and column) or
:class:`~warphoto.errors.UnsafeInputError` (entities, external DTDs, XInclude, too large).
"""

from __future__ import annotations

import re
import threading
from typing import Any

from lxml import etree

from warphoto.errors import ReadError, UnsafeInputError

__all__ = ["MAX_XML_BYTES", "parse_xml", "safe_parser"]

#: documents larger than this are refused unless the caller passes a larger ``max_bytes``
MAX_XML_BYTES = 64 * 1024 * 1024

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_XINCLUDE_NAMESPACES = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
_XINCLUDE_NAMESPACE = re.compile(rb"http://www\.w3\.org/200[13]/XInclude")
_EXTERNAL_ID = re.compile(rb"<!DOCTYPE\s+[^\s>\[]+\s+(?:SYSTEM|PUBLIC)\b", re.IGNORECASE)


def safe_parser() -> Any:
    """A new lxml parser with entity expansion, DTD loading and network access turned off."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
    )


_LOCAL = threading.local()


def _thread_parser() -> Any:
    """This thread's hardened parser (:func:`safe_parser`), built on first use."""
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = safe_parser()
    return parser


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _as_bytes(data: bytes | str) -> bytes:
    if isinstance(data, str):
        text = data
        # an encoding declaration would contradict the UTF-8 bytes we hand to lxml
        if text.startswith("<?xml"):
            end = text.find("?>")
            if end != -1:
                decl = re.sub(r"""\s+encoding\s*=\s*(['"])[^'"]*\1""", "", text[: end + 2])
                text = decl + text[end + 2 :]
        return text.encode("utf-8")
    return data


def check_unsafe(data: bytes, *, source: str | None = None) -> None:
    """Refuse a document whose DOCTYPE declares entities or names an external DTD."""
    if b"!" not in data:  # no "<!DOCTYPE" (a one-byte search is much faster than a regex)
        return
    doctype = _DOCTYPE.search(data)
    if doctype is None:
        return
    line = _line_of(data, doctype.start())
    entity = _ENTITY_DECL.search(data, doctype.start())
    if entity is not None:
        raise UnsafeInputError(
            "the document declares XML entities in its DOCTYPE; warphoto never expands entities "
            "(remove the DOCTYPE)",
            source=source,
            line=_line_of(data, entity.start()),
        )
    if _EXTERNAL_ID.match(data, doctype.start()):
        raise UnsafeInputError(
            "the document names an external DTD; warphoto never loads DTDs (remove the DOCTYPE)",
            source=source,
            line=line,
        )


def parse_xml(data: bytes | str, *, source: str | None = None, max_bytes: int = MAX_XML_BYTES) -> Any:
    """Parse ``data`` safely and return the root element (an ``lxml.etree._Element``).

    Raises UnsafeInputError for entity declarations, external DTDs and oversized input, and
    ReadError (with line and column) for malformed XML.
    """
    raw = _as_bytes(data)
    if len(raw) > max_bytes:
        raise UnsafeInputError(
            f"XML input is {len(raw)} bytes, more than the limit of {max_bytes}; raise max_bytes to read it",
            source=source,
        )
    check_unsafe(raw, source=source)
    try:
        root = etree.fromstring(raw, parser=_thread_parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (None, None)
        message = str(error.msg or error)
        message = re.sub(r",\s*line \d+,\s*column \d+\s*$", "", message)
        raise ReadError(f"malformed XML: {message}", source=source, line=line, column=column) from None
    except ValueError as error:  # e.g. unicode strings with an encoding declaration
        raise ReadError(f"malformed XML: {error}", source=source) from None
    if root is None:
        raise ReadError("malformed XML: the document is empty", source=source)
    # a DOCTYPE that slipped past the byte check (e.g. UTF-16 or UTF-7 input); always checked,
    # since bytes without "<!DOCTYPE" prove nothing about a document in another encoding
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None:
        entities = list(docinfo.internalDTD.iterentities())
        if entities:
            raise UnsafeInputError(
                "the document declares XML entities in its DOCTYPE; warphoto never expands entities",
                source=source,
                line=1,
            )
    if docinfo.system_url or docinfo.public_id:
        raise UnsafeInputError(
            "the document names an external DTD; warphoto never loads DTDs (remove the DOCTYPE)",
            source=source,
            line=1,
        )
    if b"X" in raw and _XINCLUDE_NAMESPACE.search(raw):  # the one-byte search first: it is fast
        for namespace in _XINCLUDE_NAMESPACES:
            include = next(root.iter(f"{{{namespace}}}*"), None)
            if include is not None:
                raise UnsafeInputError(
                    "the document holds an XInclude element; warphoto never follows XInclude "
                    "(it would read another file or URL): remove it",
                    source=source,
                    line=include.sourceline,
                )
    return root
