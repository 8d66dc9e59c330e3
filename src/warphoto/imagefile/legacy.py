"""Keep a JPEG's legacy forms in step with the XMP embedded into it (MWG).

After an embed, a reader that follows the Metadata Working Group's rules (``exiftool -use MWG``)
reads EXIF ImageDescription/Artist/Copyright before XMP, and the IIM instead of the XMP when the
IIM digest (Photoshop resource 0x0425) does not match the IIM block. So an embed also:

* rewrites the IIM datasets the IPTC standard maps from the new XMP's values (UTF-8, 1:90 set),
  keeps every other dataset, and stores the new block's MD5 as resource 0x0425;
* sets EXIF IFD0 ImageDescription, Artist (MWG's ``"; "`` list) and Copyright to the new XMP's
  description, creators and rights; a value the XMP lacks is removed from IFD0. A longer value is
  appended at the end of the TIFF block and its entry pointed there; nothing else moves.

Only the APP1 Exif and APP13 Photoshop segments change; the image data stays byte-identical. A
file whose Photoshop resources are split over several APP13 segments, or whose IIM block is not
one this module can rewrite, keeps its IIM as it was (a known limit).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable

from warphoto.formats._jpeg import Jpeg
from warphoto.imagefile.iim_names import IPTC_PROPERTIES
from warphoto.imagefile.xmp_props import XmpProps, read_xmp_props

__all__ = ["sync_legacy"]

_PHOTOSHOP = b"Photoshop 3.0\x00"
_EXIF = b"Exif\x00\x00"
_APP1, _APP13 = 0xE1, 0xED
_MAX_PAYLOAD = 65533
_UTF8 = b"\x1b%G"

#: IPTC property -> (XMP namespace, local name)
_XMP_OF = {
    "intellectualGenre": ("http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/", "IntellectualGenre"),
    "title": ("http://purl.org/dc/elements/1.1/", "title"),
    "keywords": ("http://purl.org/dc/elements/1.1/", "subject"),
    "instructions": ("http://ns.adobe.com/photoshop/1.0/", "Instructions"),
    "creatorNames": ("http://purl.org/dc/elements/1.1/", "creator"),
    "jobtitle": ("http://ns.adobe.com/photoshop/1.0/", "AuthorsPosition"),
    "cityName": ("http://ns.adobe.com/photoshop/1.0/", "City"),
    "sublocationName": ("http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/", "Location"),
    "provinceState": ("http://ns.adobe.com/photoshop/1.0/", "State"),
    "countryCode": ("http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/", "CountryCode"),
    "countryName": ("http://ns.adobe.com/photoshop/1.0/", "Country"),
    "jobid": ("http://ns.adobe.com/photoshop/1.0/", "TransmissionReference"),
    "headline": ("http://ns.adobe.com/photoshop/1.0/", "Headline"),
    "creditLine": ("http://ns.adobe.com/photoshop/1.0/", "Credit"),
    "source": ("http://ns.adobe.com/photoshop/1.0/", "Source"),
    "copyrightNotice": ("http://purl.org/dc/elements/1.1/", "rights"),
    "description": ("http://purl.org/dc/elements/1.1/", "description"),
    "captionWriter": ("http://ns.adobe.com/photoshop/1.0/", "CaptionWriter"),
}
#: the IIM's length limits (IIM 4.2), in bytes
_LIMITS = {
    (2, 4): 68, (2, 5): 64, (2, 25): 64, (2, 40): 256, (2, 80): 32, (2, 85): 32, (2, 90): 32,
    (2, 92): 32, (2, 95): 32, (2, 100): 3, (2, 101): 64, (2, 103): 32, (2, 105): 256, (2, 110): 32,
    (2, 115): 32, (2, 116): 128, (2, 120): 2000, (2, 122): 32,
}  # fmt: skip
_DATE = "http://ns.adobe.com/photoshop/1.0/"


def _values(props: XmpProps, prop: str) -> list[str]:
    ns, name = _XMP_OF[prop]
    value = props.get(ns, name)
    if value is None:
        return []
    return [v for v in (value if isinstance(value, list) else [value]) if v.strip()]


def _cut(text: str, limit: int) -> bytes:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return data
    return data[:limit].decode("utf-8", "ignore").encode("utf-8")


def _dataset(record: int, number: int, data: bytes) -> bytes:
    return bytes((0x1C, record, number)) + struct.pack(">H", len(data)) + data


def _iim_datasets(block: bytes) -> list[tuple[int, int, bytes]] | None:
    """The datasets of an IIM block as stored; None when it is not one we can rewrite."""
    out, pos = [], 0
    while pos < len(block):
        if block[pos] != 0x1C:
            if block[pos:].strip(b"\x00"):
                return None
            break
        if pos + 5 > len(block):
            return None
        record, number, length = (
            block[pos + 1],
            block[pos + 2],
            struct.unpack(">H", block[pos + 3 : pos + 5])[0],
        )
        if length & 0x8000:  # an extended dataset: kept whole
            size = length & 0x7FFF
            if size > 4 or pos + 5 + size > len(block):
                return None
            length = int.from_bytes(block[pos + 5 : pos + 5 + size], "big")
            start = pos + 5 + size
        else:
            start = pos + 5
        if start + length > len(block):
            return None
        out.append((record, number, block[pos : start + length]))
        pos = start + length
    return out


def _iim_date(text: str) -> tuple[bytes | None, bytes | None]:
    """photoshop:DateCreated -> IIM 2:55 CCYYMMDD and 2:60 HHMMSS±HHMM."""
    date = text[:10].replace("-", "")
    if len(date) == 4:
        date += "0000"
    elif len(date) == 6:
        date += "00"
    if not date.isdigit() or len(date) != 8:
        return None, None
    if len(text) < 19 or text[10] != "T":
        return date.encode(), None
    clock = text[11:19].replace(":", "")
    zone = text[19:].lstrip(".0123456789")
    offset = "+0000" if zone == "Z" else zone.replace(":", "") if zone else ""
    return date.encode(), (clock + offset).encode()


def new_iim(block: bytes, props: XmpProps) -> bytes | None:
    """``block`` with the datasets the IPTC standard maps rewritten from ``props``."""
    datasets = _iim_datasets(block)
    if datasets is None:
        return None
    managed = {key for key in IPTC_PROPERTIES if key != (2, 12)}
    kept = [(r, n, raw) for r, n, raw in datasets if (r, n) not in managed and (r, n) != (1, 90)]
    added: list[tuple[int, int, bytes]] = [(1, 90, _dataset(1, 90, _UTF8))]
    for (record, number), prop in IPTC_PROPERTIES.items():
        if (record, number) in ((2, 12), (2, 55), (2, 60)):
            continue
        values = _values(props, prop)
        if (record, number) not in ((2, 25), (2, 80)):
            values = values[:1]
        for value in values:
            added.append((record, number, _dataset(record, number, _cut(value, _LIMITS[(record, number)]))))
    created = props.get(_DATE, "DateCreated")
    if isinstance(created, str):
        date, clock = _iim_date(created)
        if date is not None:
            added.append((2, 55, _dataset(2, 55, date)))
        if clock is not None:
            added.append((2, 60, _dataset(2, 60, clock)))
    everything = sorted([*kept, *added], key=lambda d: (d[0], d[1] if d[0] == 1 else 0))
    # record 1 first, 1:90 among it; record 2 keeps its own order with the new datasets after
    return b"".join(raw for _, _, raw in everything)


def _resources(payload: bytes) -> list[tuple[int, bytes, bytes]] | None:
    """(id, name field, data) of each 8BIM resource; None when the block is not plain."""
    out, pos = [], 0
    while pos + 12 <= len(payload):
        if payload[pos : pos + 4] != b"8BIM":
            if payload[pos:].strip(b"\x00"):
                return None
            break
        ident = struct.unpack(">H", payload[pos + 4 : pos + 6])[0]
        name_size = payload[pos + 6] + 1
        name_size += name_size & 1
        length_at = pos + 6 + name_size
        if length_at + 4 > len(payload):
            return None
        length = struct.unpack(">I", payload[length_at : length_at + 4])[0]
        data_at = length_at + 4
        if data_at + length > len(payload):
            return None
        out.append((ident, payload[pos + 6 : pos + 6 + name_size], payload[data_at : data_at + length]))
        pos = data_at + length + (length & 1)
    return out


def _resource(ident: int, name: bytes, data: bytes) -> bytes:
    return (
        b"8BIM"
        + struct.pack(">H", ident)
        + name
        + struct.pack(">I", len(data))
        + data
        + b"\x00" * (len(data) & 1)
    )


def new_photoshop(payload: bytes, props: XmpProps) -> bytes | None:
    """An APP13 payload with its IIM rewritten and the IIM digest (0x0425) the new block's MD5."""
    resources = _resources(payload[len(_PHOTOSHOP) :])
    if resources is None or not any(ident == 0x0404 for ident, _, _ in resources):
        return None
    out = []
    digest = None
    for ident, name, data in resources:
        if ident == 0x0404:
            block = new_iim(data, props)
            if block is None:
                return None
            digest = hashlib.md5(block, usedforsecurity=False).digest()
            out.append(_resource(ident, name, block))
        elif ident != 0x0425:
            out.append(_resource(ident, name, data))
    assert digest is not None
    out.append(_resource(0x0425, b"\x00\x00", digest))
    new = _PHOTOSHOP + b"".join(out)
    return new if len(new) <= _MAX_PAYLOAD else None


def _mwg_list(names: list[str]) -> str:
    return "; ".join(f'"{n.replace(chr(34), chr(34) * 2)}"' if ";" in n or '"' in n else n for n in names)


def new_exif(payload: bytes, props: XmpProps) -> bytes | None:
    """An APP1 Exif payload with IFD0 ImageDescription, Artist and Copyright set from ``props``."""
    tiff = bytearray(payload[len(_EXIF) :])
    if len(tiff) < 8 or bytes(tiff[:2]) not in (b"II", b"MM"):
        return None
    order = "<" if tiff[:2] == b"II" else ">"
    ifd = struct.unpack(order + "I", tiff[4:8])[0]
    if ifd + 2 > len(tiff):
        return None
    count = struct.unpack(order + "H", tiff[ifd : ifd + 2])[0]
    if ifd + 2 + 12 * count + 4 > len(tiff):
        return None
    description = _values(props, "description")
    creators = _values(props, "creatorNames")
    rights = _values(props, "copyrightNotice")
    wanted = {
        0x010E: description[0] if description else None,
        0x013B: _mwg_list(creators) if creators else None,
        0x8298: rights[0] if rights else None,
    }
    entries = [bytes(tiff[ifd + 2 + 12 * i : ifd + 14 + 12 * i]) for i in range(count)]
    out = []
    for entry in entries:
        (tag,) = struct.unpack(order + "H", entry[:2])
        if tag not in wanted:
            out.append(entry)
            continue
        value = wanted[tag]
        if value is None:
            continue  # stale: removed
        data = value.encode("utf-8") + b"\x00"
        if len(data) <= 4:
            out.append(struct.pack(order + "HHI", tag, 2, len(data)) + data.ljust(4, b"\x00"))
            continue
        if len(tiff) & 1:
            tiff.append(0)
        at = len(tiff)
        tiff.extend(data)
        out.append(struct.pack(order + "HHII", tag, 2, len(data), at))
    # removed entries: the later ones move up, the next-IFD offset follows, the freed bytes are zeroed
    next_ifd = bytes(tiff[ifd + 2 + 12 * count : ifd + 6 + 12 * count])
    region = struct.pack(order + "H", len(out)) + b"".join(out) + next_ifd
    tiff[ifd : ifd + 2 + 12 * count + 4] = region.ljust(2 + 12 * count + 4, b"\x00")
    new = _EXIF + bytes(tiff)
    return new if len(new) <= _MAX_PAYLOAD else None


def sync_legacy(jpeg: Jpeg, packets: tuple[bytes, ...]) -> bytes:
    """The bytes of ``jpeg`` (already carrying ``packets``) with its EXIF and IIM in step."""
    props = read_xmp_props(packets)
    changes: dict[int, bytes] = {}
    rewrite: dict[tuple[int, bytes], Callable[[bytes, XmpProps], bytes | None]] = {
        (_APP1, _EXIF): new_exif,
        (_APP13, _PHOTOSHOP): new_photoshop,
    }
    photoshop_segments = [s for s in jpeg.segments if s.marker == _APP13 and s.payload.startswith(_PHOTOSHOP)]
    for segment in jpeg.segments:
        for (marker, signature), make in rewrite.items():
            if segment.marker != marker or not segment.payload.startswith(signature):
                continue
            if marker == _APP13 and len(photoshop_segments) > 1:
                continue
            new = make(segment.payload, props)
            if new is not None and new != segment.payload:
                changes[segment.offset] = new
            break
    return jpeg.with_payloads(changes)
