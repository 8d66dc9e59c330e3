"""XMP writing: a record -> its XMP properties -> the packet's XML text (and extended XMP)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from typing import Any

from warphoto.errors import WriteError
from warphoto.formats import _xmp_ld
from warphoto.formats._xmp_kinds import _WRITERS, xmp_date_text
from warphoto.formats._xmp_table import (
    _ABOUT_KEY,
    _BAD_XML_CHAR,
    _QNAMES,
    _USED,
    _XMPMM,
    DEFAULT_LANGUAGE,
    HAS_EXTENDED_XMP,
    PHOTOGRAPH_TYPE,
    RDF,
    Row,
    _fields_in_order,
    _is_iri,
    _mapped_fields,
    _qname,
    _row_clarks,
    declared_namespaces,
)
from warphoto.formats._xmp_values import Alt, Bag, Lang, Qualified, Ref, Seq, Struct, Typed

# serialising XMP values
#
# The packet is a list of strings joined once; text goes through _escape, whose common case
# (printable text without & < >) is two C-level scans that return the text itself.

_SURROGATE = re.compile("[\\ud800-\\udfff]")


def _escape(text: str) -> str:
    """``text`` as XML character data: ``&``, ``<`` and ``>`` escaped, a carriage return as
    ``&#13;`` (so that it survives XML's line-end normalisation).

    WriteError for what XML cannot carry: control characters, U+FFFE, U+FFFF, lone surrogates.
    """
    if text.isprintable():  # no control character, no surrogate, no noncharacter: the usual case
        if "&" in text or "<" in text or ">" in text:
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return text
    bad = _BAD_XML_CHAR.search(text)
    if bad is not None:
        raise WriteError(
            f"the record holds the character U+{ord(bad.group()):04X} in {text[:60]!r}, "
            "which XML (and so XMP) "
            "cannot carry; remove it from the text"
        )
    if _SURROGATE.search(text) is not None:
        _refuse_invalid_unicode(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")


def _refuse_invalid_unicode(text: str) -> None:
    """Raise the WriteError for text that UTF-8 cannot encode (a lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise WriteError(
            f"the record holds text that is not valid Unicode ({error.reason} at "
            f"{error.object[error.start : error.end]!r}); "
            "XML (and so XMP) cannot carry it"
        ) from None


#: xml:lang values as attribute text (language tags are few; bounded all the same)
_LANG_ATTRIBUTES: dict[str, str] = {}


def _lang_attribute(lang: str) -> str:
    """``lang`` as the value of a double-quoted attribute."""
    escaped = _LANG_ATTRIBUTES.get(lang)
    if escaped is None:
        escaped = _escape(lang).replace('"', "&quot;")
        if len(_LANG_ATTRIBUTES) >= 1024:
            _LANG_ATTRIBUTES.clear()
        _LANG_ATTRIBUTES[lang] = escaped
    return escaped


#: the markup around a property's value, by (property name, indent): it depends on nothing else
_FRAMES: dict[tuple[str, str], tuple[str, ...]] = {}


def _frames(qname: str, indent: str) -> tuple[str, ...]:
    frames = _FRAMES.get((qname, indent))
    if frames is None:
        inner = indent + "  "
        frames = _FRAMES[qname, indent] = (
            f"{indent}<{qname}>",  # 0, 1: text
            f"</{qname}>\n",
            f"{indent}<{qname}>\n{indent} <rdf:Alt>\n",  # 2, 3: rdf:Alt
            f"{indent} </rdf:Alt>\n{indent}</{qname}>\n",
            f"{indent}<{qname}>\n{indent} <rdf:Bag>\n",  # 4, 5: rdf:Bag
            f"{indent} </rdf:Bag>\n{indent}</{qname}>\n",
            f"{indent}<{qname}>\n{indent} <rdf:Seq>\n",  # 6, 7: rdf:Seq
            f"{indent} </rdf:Seq>\n{indent}</{qname}>\n",
            f'{indent}<{qname} rdf:parseType="Resource">\n',  # 8, 9: a structure
            f"{indent}</{qname}>\n",
            f'{inner}<rdf:li xml:lang="',  # 10: a language alternative
            f"{inner}<rdf:li>",  # 11: an item
            inner,  # 12: the indent of items
        )
    return frames


def _emit(out: list[str], qname: str, value: Any, indent: str) -> None:
    """Append the XMP of property ``qname`` with ``value`` (an XMP value) to ``out``."""
    _emit_framed(out, value, _FRAMES.get((qname, indent)) or _frames(qname, indent), indent)


def _emit_framed(out: list[str], value: Any, frames: tuple[str, ...], indent: str) -> None:
    kind = type(value)
    if kind is str:
        out.append(f"{frames[0]}{_escape(value)}{frames[1]}")
    elif kind is Alt:
        out.append(frames[2])
        li = frames[10]
        for lang, text in value.items():
            attribute = _LANG_ATTRIBUTES.get(lang) or _lang_attribute(lang)
            out.append(f'{li}{attribute}">{_escape(text)}</rdf:li>\n')
        out.append(frames[3])
    elif kind is Struct or kind is Qualified:
        out.append(frames[8])
        inner = indent + " "
        for member, item in value.items():
            name = _QNAMES.get(member) or _qname(member)
            if type(item) is str:
                out.append(f"{inner}<{name}>{_escape(item)}</{name}>\n")
            else:
                _emit(out, name, item, inner)
        out.append(frames[9])
    elif kind is Bag or kind is Seq:
        bag = kind is Bag
        out.append(frames[4] if bag else frames[6])
        li = frames[11]
        for item in value:
            if type(item) is str:
                out.append(f"{li}{_escape(item)}</rdf:li>\n")
            else:
                _emit(out, "rdf:li", item, frames[12])
        out.append(frames[5] if bag else frames[7])
    elif kind is Lang:
        attribute = _LANG_ATTRIBUTES.get(value.lang) or _lang_attribute(value.lang)
        out.append(f'{frames[0][:-1]} xml:lang="{attribute}">{_escape(value)}{frames[1]}')
    elif kind is Typed:
        datatype = _escape(value.datatype).replace('"', "&quot;")
        out.append(f'{frames[0][:-1]} rdf:datatype="{datatype}">{_escape(value)}{frames[1]}')
    elif kind is Ref:
        resource = _escape(value).replace('"', "&quot;")
        out.append(f'{frames[0][:-1]} rdf:resource="{resource}"/>\n')
    else:  # pragma: no cover - the writers only produce the shapes above
        raise WriteError(f"cannot write {type(value).__name__} as XMP")


_PACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_PACKET_END = '<?xpacket end="w"?>'


@cache
def _description_open() -> str:
    declared = " ".join(
        f'xmlns:{prefix}="{uri}"'
        for prefix, uri in declared_namespaces().items()
        if prefix not in ("x", "rdf")
    )
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="warphoto">\n'
        f' <rdf:RDF xmlns:rdf="{RDF}">\n'
        f'  <rdf:Description rdf:about="" {declared}>\n'
    )


_DESCRIPTION_CLOSE = "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"


def _photograph_of(document: Mapping[str, Any], record_id: str | None = None) -> dict[str, Any]:
    if "@graph" not in document:
        return dict(document)
    from warphoto.model.graph import standalone_records

    records = standalone_records(document)
    if record_id is not None:
        records = [r for r in records if r.get("@id") == record_id]
    if len(records) != 1:
        raise WriteError(
            f"an XMP packet describes one photograph but this collection holds {len(records)}"
            + ("" if record_id else "; pass id=... to pick one, or write each photograph on its own")
        )
    return records[0]


_RowPlan = tuple[tuple[Callable[[Any, Row], Any], Row, tuple[str, ...]], ...]


@cache
def _row_plan() -> tuple[tuple[str, _RowPlan, bool], ...]:
    """Per record field: its rows (writer, row, markup) and whether its XMP form must be checked
    for what it would lose."""
    return tuple(
        (
            name,
            tuple((_WRITERS[row.kind], row, _frames(row.prop, "   ")) for row in rows),
            any(row.lossless != "yes" for row in rows),
        )
        for name, rows in _fields_in_order()
    )


def _field_form(name: str, value: Any, rows: tuple[Row, ...]) -> dict[str, Any]:
    """The XMP properties the crosswalk rows of one field give for ``value``."""
    out = {}
    for row in rows:
        xmp_value = _WRITERS[row.kind](value, row)
        if xmp_value is not None:
            out[row.clark] = xmp_value
    return out


def _comes_back(name: str, value: Any, form: Mapping[str, Any]) -> bool:
    """Does the IPTC form of a field give its record value back whole?

    Text fields answer by a rule of their kind; a field of nodes (places, persons, events,
    concepts, agents) is read back from its form and compared."""
    rows = _rows_of_field(name)
    if not form:
        return False
    if len(rows) == 1 and rows[0].kind in _QUICK_KINDS:
        return _QUICK_KINDS[rows[0].kind](value)
    if _has_blank_id(value):  # the IPTC readers give a node an @id only when it is an IRI
        return False
    return _read_back_equals(name, value, form)


def _has_blank_id(value: Any) -> bool:
    """Does a JSON value hold a node whose ``@id`` is not an IRI (a blank node label)?"""
    if isinstance(value, list):
        return any(_has_blank_id(item) for item in value)
    if isinstance(value, dict):
        ident = value.get("@id")
        if ident is not None and not _is_iri(ident):
            return True
        return any(_has_blank_id(item) for item in value.values() if isinstance(item, (dict, list)))
    return False


def _read_back_equals(name: str, value: Any, form: Mapping[str, Any]) -> bool:
    """Does reading the XMP ``form`` of a field give ``value`` back?"""
    rows = _rows_of_field(name)
    present = {row.clark: (row, form[row.clark]) for row in rows if row.clark in form}
    from warphoto.formats.xmp import _FIELD_READERS, _r_simple, _Reader

    reader = _Reader(language=DEFAULT_LANGUAGE, issues=[])
    again = _FIELD_READERS.get(name, _r_simple)(present, reader)
    if reader.lost:
        return False
    if again == value:
        return True
    if _keys_of(again) != _keys_of(value):  # the common "no": a key the form does not give back
        return False
    from warphoto.canonical import canonical

    return bool(canonical({name: again}) == canonical({name: value}))


def _keys_of(value: Any, out: set[str] | None = None) -> set[str]:
    """Every key of a JSON value, nested ones too."""
    out = set() if out is None else out
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(key)
            if isinstance(item, (dict, list)):
                _keys_of(item, out)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                _keys_of(item, out)
    return out


def _is_plain_langmap(value: Any) -> bool:
    if not isinstance(value, dict) or "x-default" in value:
        return False
    return all(type(v) is str for v in value.values())


def _is_und_only(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and DEFAULT_LANGUAGE in value


def _is_xmp_date(value: Any) -> bool:
    return xmp_date_text(value) is not None


#: the kinds of text rows whose form gives a value back by a rule (checked by the tests against
#: the precise read-back)
_QUICK_KINDS: dict[str, Callable[[Any], bool]] = {
    "langmap": _is_plain_langmap,
    "langmap-one": _is_und_only,
    "langmaplist": _is_und_only,
    "date": _is_xmp_date,
}


@cache
def _rows_of_field(name: str) -> tuple[Row, ...]:
    return dict(_fields_in_order()).get(name, ())


def properties(record: Mapping[str, Any]) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """The XMP properties of ``record`` (Clark name, XMP value): those of the crosswalk, and
    what IPTC has no property for or would lose, under the namespace of each key's IRI."""
    iptc: list[tuple[str, Any]] = []
    generic: list[tuple[str, Any]] = []
    kept: dict[str, Any] = {}
    mapped = _mapped_fields()
    row_clarks = _row_clarks()
    terms = _xmp_ld.terms()
    # the nodes written in full, by @id: a node met again is a warphoto:nodeRef. The reader takes
    # the first description in the packet, so values are built in the order they are written:
    # the main packet's standard namespaces first, then the rest (which a JPEG may move to its
    # extended packet), whose places in `generic` are kept in `later` meanwhile
    seen: dict[str, Any] = {}
    later: list[tuple[int, str, Any, str]] = []
    for key, value in record.items():
        if key in mapped or key == "@context" or key == _ABOUT_KEY:
            continue
        if key == "@type":
            if not isinstance(value, list) or sorted(value) != sorted(PHOTOGRAPH_TYPE):
                generic.append((_xmp_ld.NODE_TYPE, value if isinstance(value, str) else Bag(value)))
            continue
        clark = _xmp_ld.clark_of_key(key)
        if clark in row_clarks:
            kept[clark] = _xmp_ld.to_xmp(value, terms.get(key), key, clark)
        elif clark[1 : clark.index("}")] in _xmp_ld.standard_namespaces():
            # IPTC's and the standard XMP namespaces: the main packet
            iptc.append((clark, _xmp_ld.to_xmp(value, terms.get(key), key, clark, seen)))
        else:
            later.append((len(generic), key, value, clark))
            generic.append((clark, None))
    for index, key, value, clark in later:
        generic[index] = (clark, _xmp_ld.to_xmp(value, terms.get(key), key, clark, seen))
    _check_licensor(record)
    for name, plan, check in _row_plan():
        value = record.get(name)
        if value is None:
            continue
        if name == "@id" and (value == _implied_id(record) or _is_iri(value)):
            continue  # the IRI of the photograph is the packet's rdf:about
        form: dict[str, Any] = {}
        read_from_kept = False
        for write, row, _ in plan:
            xmp_value = write(value, row)
            if row.clark in kept:  # kept whole from another tool's packet: written as it was read
                xmp_value = kept.pop(row.clark)
                read_from_kept = True
            if xmp_value is not None:
                form[row.clark] = xmp_value
                iptc.append((row.clark, xmp_value))
        # a field read from properties kept whole is what they say: they are its whole form
        if check and not read_from_kept and not _comes_back(name, value, form):
            term = terms.get(name)
            if term is None or term.clark in form:
                raise WriteError(f"{name}: the XMP form of this value would lose part of it")
            generic.append((term.clark, _xmp_ld.to_xmp(value, term, name, None, seen)))
    iptc.extend(kept.items())  # kept properties of fields the record does not have
    return iptc, generic


def _check_licensor(record: Mapping[str, Any]) -> None:
    """IPTC's Licensor URL of the first licensor is the record's acquireLicensePage: both are
    written as one property, so they must agree (nothing is dropped silently)."""
    page, licensors = record.get("acquireLicensePage"), record.get("licensor")
    if page is None or licensors is None:
        return
    first = licensors[0] if isinstance(licensors, list) and licensors else licensors
    url = first.get("licensorUrl") if isinstance(first, dict) else None
    if url != page:
        raise WriteError(
            f"acquireLicensePage {page!r} and the first licensor's licensorUrl {url!r} are one XMP "
            "property (plus:LicensorURL); give the first licensor that URL"
        )


def _implied_id(record: Mapping[str, Any]) -> str:
    """The @id the reader gives a packet without ``warphoto:id``: the Digital Image GUID or
    xmpMM:DocumentID when an IRI, else ``_:photograph`` (so the writer need not write it)."""
    identifier = record.get("identifier")
    if _is_iri(identifier):
        return str(identifier)
    document = record.get("xmpMM:DocumentID") or record.get(_XMPMM[1:-1] + "DocumentID")
    if _is_iri(document):
        return str(document)
    return "_:photograph"


def _emit_all(out: list[str], props: list[tuple[str, Any]]) -> None:
    for clark, xmp_value in props:
        _emit(out, _QNAMES.get(clark) or _qname(clark), xmp_value, "   ")


def _body(record: Mapping[str, Any]) -> tuple[str, str, str]:
    """The packet's opening (with the namespaces it uses), its crosswalk properties, and the rest."""
    iptc: list[str] = []
    rest: list[str] = []
    used: set[str] = set()
    _USED.namespaces = used
    try:
        iptc_props, rest_props = properties(record)
        _emit_all(iptc, iptc_props)
        _emit_all(rest, rest_props)
    finally:
        _USED.namespaces = None
    return _packet_head(frozenset(used), _about_of(record)), "".join(iptc), "".join(rest)


def _about_of(record: Mapping[str, Any]) -> str:
    """The packet's rdf:about: the photograph's IRI, unless the reader infers it anyway."""
    ident = record.get("@id")
    if _is_iri(ident) and ident != _implied_id(record):
        return str(ident)
    kept = record.get(_ABOUT_KEY)
    return kept if isinstance(kept, str) else ""


@lru_cache(maxsize=256)
def _packet_head(extra: frozenset[str] = frozenset(), about: str = "") -> str:
    head = _PACKET_BEGIN + _description_open()
    if about:
        head = head.replace(' rdf:about=""', f' rdf:about="{_escape(about).replace(chr(34), "&quot;")}"', 1)
    if extra:
        declared = "".join(f' xmlns:{_xmp_ld.prefix_of(uri)}="{_escape(uri)}"' for uri in sorted(extra))
        head = head[: -len(">\n")] + declared + ">\n"
    return head


_PACKET_TAIL = _DESCRIPTION_CLOSE + _PACKET_END


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # pragma: no cover - _escape refuses lone surrogates first
        _refuse_invalid_unicode(text)
        raise


def render(record: Mapping[str, Any], *, max_main_bytes: int | None = None) -> tuple[bytes, bytes | None]:
    """The XMP packet for one photograph record, as UTF-8 bytes, and an extended packet or None.

    With ``max_main_bytes`` (a JPEG's APP1 limit), a packet that does not fit keeps the IPTC
    properties and moves the rest into a second packet (the XMP specification's extended XMP),
    named in ``xmpNote:HasExtendedXMP``; when even the IPTC properties do not fit, WriteError.
    """
    if max_main_bytes is not None and _xmp_ld.key_of_clark(HAS_EXTENDED_XMP) in record:
        # a note read from a sidecar names an extended packet of some other file: a JPEG gets its own
        record = {k: v for k, v in record.items() if k != _xmp_ld.key_of_clark(HAS_EXTENDED_XMP)}
    head_text, iptc_text, rest_text = _body(record)
    head = _utf8(head_text)
    tail = _PACKET_TAIL.encode("utf-8")
    iptc = _utf8(iptc_text)
    rest = _utf8(rest_text)
    data = head + iptc + rest + tail
    if max_main_bytes is None or len(data) <= max_main_bytes:
        return data, None
    from warphoto.formats._jpeg import extended_guid

    extended = head + rest + tail
    guid = extended_guid(extended)
    note = f"   <xmpNote:HasExtendedXMP>{guid}</xmpNote:HasExtendedXMP>\n".encode()
    main = head + iptc + note + tail
    if len(main) > max_main_bytes:
        raise WriteError(
            f"the IPTC properties of this record need {len(main)} bytes of XMP, more than the "
            f"{max_main_bytes} one JPEG APP1 segment holds; shorten the longest texts"
        )
    return main, extended


def dumps(document: Mapping[str, Any], *, id: str | None = None, **options: Any) -> str:
    """An XMP sidecar packet (text) for one photograph (a record, or a collection and ``id``)."""
    if options:
        raise WriteError(f"unknown options for XMP: {', '.join(sorted(options))}")
    head, iptc, rest = _body(_photograph_of(document, id))
    return head + iptc + rest + _PACKET_TAIL


# --------------------------------------------------------------------------------------------
