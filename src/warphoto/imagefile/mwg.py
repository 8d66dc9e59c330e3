"""EXIF, IPTC-IIM and XMP reconciled as the Metadata Working Group's guidelines (2.0) ask, exactly
as ``exiftool -use MWG`` reads them (its MWG.pm, whose rules are copied here), with every
disagreement between the three reported.

* Description, Creator, Copyright: EXIF when present and not blank; else XMP when the file has
  no IIM, or when the stored IIM digest is missing or matches the IIM block; else the IIM (with
  the XMP's longer value when the IIM one is the XMP's cut at the IIM length limit).
* Keywords, City, State, Country, Location: as above without EXIF; the location fields take
  ``Iptc4xmpExt:LocationShown`` before the legacy ``photoshop:``/``Iptc4xmpCore:`` properties.
* DateTimeOriginal, CreateDate: EXIF (with sub-seconds and offset) when present; else XMP under
  the digest rule; else IIM date and time. ModifyDate: EXIF, else XMP. Orientation: EXIF.

Dates are ISO 8601 (as :mod:`warphoto.imagefile.capture` writes them); list fields are tuples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from warphoto.imagefile.capture import exif_datetime, iim_datetime
from warphoto.imagefile.metadata import ImageMetadata
from warphoto.imagefile.xmp_props import XmpProps, read_xmp_props

__all__ = ["MwgValues", "mwg_values", "split_mwg_list"]

DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
XMP = "http://ns.adobe.com/xap/1.0/"

Value = str | tuple[str, ...] | None
Source = Literal["EXIF", "IIM", "XMP"]
#: the location fields: IIM dataset, legacy XMP property, LocationShown field, IIM length limit
_PLACES = (
    ("city", "City", PHOTOSHOP, "City", "City", 32),
    ("state", "Province-State", PHOTOSHOP, "State", "ProvinceState", 32),
    ("country", "Country-PrimaryLocationName", PHOTOSHOP, "Country", "CountryName", 64),
    ("location", "Sub-location", IPTC_CORE, "Location", "Sublocation", 32),
)


@dataclass(frozen=True)
class MwgValues:
    """One value per field, which source gave it, and where the sources disagreed."""

    description: str | None = None
    creator: tuple[str, ...] = ()
    copyright: str | None = None
    keywords: tuple[str, ...] = ()
    city: tuple[str, ...] = ()
    state: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    location: tuple[str, ...] = ()
    date_time_original: str | None = None
    create_date: str | None = None
    modify_date: str | None = None
    orientation: int | None = None
    #: field name to the source its value came from
    sources: tuple[tuple[str, Source], ...] = ()
    #: one sentence per field whose sources disagree
    conflicts: tuple[str, ...] = ()


def split_mwg_list(text: str) -> tuple[str, ...]:
    """EXIF Artist as a list, by the MWG convention: ``"A; B"``, quotes around a value holding ``;``."""
    if '"' not in text:
        return tuple(part for part in re.split(r";\s*", text) if part != "") if text else ()
    out, current, quoted, index = [], "", False, 0
    while index < len(text):
        char = text[index]
        if char == '"':
            if quoted and text[index + 1 : index + 2] == '"':
                current += '"'
                index += 1
            else:
                quoted = not quoted
        elif char == ";" and not quoted:
            out.append(current.strip())
            current = ""
        else:
            current += char
        index += 1
    out.append(current.strip())
    return tuple(part for part in out if part)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip(" ") == "")


def _recover(iim: Value, xmp: Value, limit: int) -> Value:
    """ExifTool's RecoverTruncatedIPTC: an IIM value cut at its length limit gives way to the XMP."""
    if xmp is None:
        return iim
    if isinstance(iim, tuple):
        xmp_items = xmp if isinstance(xmp, tuple) else (xmp,)
        return tuple(
            str(_recover(item, xmp_items[i] if i < len(xmp_items) else None, limit))
            for i, item in enumerate(iim)
        )
    if isinstance(iim, str) and len(iim) == limit:
        first = xmp[0] if isinstance(xmp, tuple) else xmp
        if len(first) > limit and first.startswith(iim):
            return first
    return iim


def _tuple(value: Value) -> tuple[str, ...]:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def _as_value(value: str | list[str] | None) -> Value:
    return tuple(value) if isinstance(value, list) else value


class _Reconciler:
    def __init__(self, meta: ImageMetadata, xmp: XmpProps | None) -> None:
        self.meta = meta
        self.xmp = xmp
        self.has_iim = meta.iim_md5 is not None
        self.xmp_trusted = not self.has_iim or meta.iim_digest is None or meta.iim_digest == meta.iim_md5
        self.sources: list[tuple[str, Source]] = []
        self.conflicts: list[str] = []

    def iim(self, name: str, single: bool = True) -> Value:
        values = self.meta.iim_values.get(name)
        if not values:
            return None
        texts = tuple(str(v) for v in values)
        return texts[0] if single else texts

    def xmp_get(self, ns: str, name: str) -> Value:
        return _as_value(self.xmp.get(ns, name)) if self.xmp is not None else None

    def pick(self, field: str, exif: Value, iim: Value, xmp: Value, limit: int) -> Value:
        """ExifTool's rule: EXIF if not blank; XMP when trusted (or no IIM); else IIM (recovered)."""
        self._compare(field, exif, iim, xmp)
        if not _blank(exif) and exif is not None:
            self.sources.append((field, "EXIF"))
            return exif
        if not self.has_iim or (xmp is not None and self.xmp_trusted):
            if xmp is not None:
                self.sources.append((field, "XMP"))
            return xmp
        value = _recover(iim, xmp, limit)
        if value is not None:
            self.sources.append((field, "IIM" if value == iim else "XMP"))
        return value

    def _compare(self, field: str, exif: Value, iim: Value, xmp: Value) -> None:
        present = [(name, v) for name, v in (("EXIF", exif), ("IIM", iim), ("XMP", xmp)) if not _blank(v)]
        if len({_tuple(v) for _, v in present}) > 1:
            said = ", ".join(f"{name} {v!r}" for name, v in present)
            self.conflicts.append(f"{field}: the sources disagree ({said})")


def mwg_values(meta: ImageMetadata) -> MwgValues:
    """The MWG reading of ``meta`` (see the module's notes)."""
    packets = meta.xmp_packets
    xmp = read_xmp_props(packets, source=meta.source) if packets else None
    r = _Reconciler(meta, xmp)
    exif = meta.exif

    def text(name: str) -> str | None:
        value = exif.get(name)
        return value if isinstance(value, str) else None

    iim, get = r.iim, r.xmp_get
    description = r.pick(
        "description", text("ImageDescription"), iim("Caption-Abstract"), get(DC, "description"), 2000
    )
    artist = text("Artist")
    exif_creator = split_mwg_list(artist) if artist and not _blank(artist) else artist
    creator = r.pick("creator", exif_creator, iim("By-line", single=False), get(DC, "creator"), 32)
    copyright_ = r.pick("copyright", text("Copyright"), iim("CopyrightNotice"), get(DC, "rights"), 128)
    keywords = r.pick("keywords", None, iim("Keywords", single=False), get(DC, "subject"), 64)
    places = {}
    for field, iim_name, legacy_ns, legacy, shown, limit in _PLACES:
        shown_values = xmp.struct_field(IPTC_EXT, "LocationShown", IPTC_EXT, shown) if xmp else None
        xmp_value = tuple(shown_values) if shown_values else get(legacy_ns, legacy)
        places[field] = _tuple(r.pick(field, None, iim(iim_name), xmp_value, limit))
    original_iim = iim_datetime(_first(iim("DateCreated")), _first(iim("TimeCreated")))
    original = _date(
        r, "date_time_original", exif_datetime(exif), get(PHOTOSHOP, "DateCreated"), original_iim
    )
    created_iim = iim_datetime(_first(iim("DigitalCreationDate")), _first(iim("DigitalCreationTime")))
    created = _date(r, "create_date", exif_datetime(exif, "create"), get(XMP, "CreateDate"), created_iim)
    modified = exif_datetime(exif, "modify")
    if modified is None:
        xmp_modified = r.xmp_get(XMP, "ModifyDate")
        modified = xmp_modified if isinstance(xmp_modified, str) and r.xmp_trusted else None
    orientation = exif.get("Orientation")
    return MwgValues(
        description=_one(description),
        creator=_tuple(creator),
        copyright=_one(copyright_),
        keywords=_tuple(keywords),
        city=places["city"],
        state=places["state"],
        country=places["country"],
        location=places["location"],
        date_time_original=original,
        create_date=created,
        modify_date=modified,
        orientation=orientation if isinstance(orientation, int) else None,
        sources=tuple(r.sources),
        conflicts=tuple(r.conflicts),
    )


def _first(value: Value) -> str | None:
    return value[0] if isinstance(value, tuple) else value


def _one(value: Value) -> str | None:
    return value[0] if isinstance(value, tuple) and value else (value if isinstance(value, str) else None)


def _date(r: _Reconciler, field: str, exif: str | None, xmp: Value, iim: str | None) -> str | None:
    xmp_text = xmp if isinstance(xmp, str) else None
    present = [(name, v) for name, v in (("EXIF", exif), ("XMP", xmp_text), ("IIM", iim)) if v]
    moments = sorted({_same_moment(v) for _, v in present}, key=len)
    if any(not longer.startswith(moments[0]) for longer in moments[1:]):
        r.conflicts.append(f"{field}: the sources disagree ({', '.join(f'{n} {v!r}' for n, v in present)})")
    if exif:
        r.sources.append((field, "EXIF"))
        return exif
    if not r.has_iim or (xmp_text is not None and r.xmp_trusted):
        if xmp_text:
            r.sources.append((field, "XMP"))
        return xmp_text or None
    if iim:
        r.sources.append((field, "IIM"))
    return iim


def _same_moment(value: str) -> str:
    """A date without the seconds' fraction and offset: two dates agree when one is the start
    of the other (``2006-10-29`` and ``2006-10-29T06:27:51``)."""
    return re.sub(r"(\.\d+)?([+-]\d\d:\d\d|Z)?$", "", value)
