"""A redacted HEIF, HEIC or AVIF: the items that make up the picture and their picture properties,
byte for byte, and a new XMP item.

Kept: the primary item and the items it is made of or shown with (``dimg`` inputs of a grid or an
overlay, ``base`` images, ``auxl`` alpha planes, depth and gain maps), each described anew in
``iinf`` (no item name), ``iloc``, ``iref`` and ``ipma``, and only the byte ranges those items
name. Every other item goes: metadata items (``Exif``, ``mime``: XMP and any other, ``uri ``),
thumbnails (which can show the picture as it was before an edit) and items nothing refers to, and
so do the ``meta`` box's other boxes (``xml ``, ``bxml``, entity groups) and every top-level box
but ``ftyp``, ``meta`` and ``mdat`` (``uuid`` boxes such as C2PA manifests, ``free``, ``skip``).
Item properties are kept only when known and of their exact size (:mod:`._heif_codecs`). The
redacted record's XMP becomes a ``mime`` item (``application/rdf+xml``) that describes the primary
item (``iref`` ``cdsc``), in an ``mdat`` at the end of the file. The orientation of a HEIF picture
is its ``irot`` and ``imir`` properties, which are kept. The ``hdlr`` and ``dinf`` boxes are
written anew (the handler type without its free-text name; data in this file, no URL): a name, a
path or an address there could name someone.

Refused with a ``WriteError``: image sequences (``moov``), a kept item of a kind not known to code
a picture (JPEG and JPEG 2000 items among them: their own segments hold metadata), coded data or a
codec configuration holding SEI messages or AV1 metadata, an essential property warphoto does not
keep, item data in another file or built from other items (data references, construction method
2), and extents a picture item shares with a removed one. A box or item that lies about its size
is a ``ReadError``.
"""

from __future__ import annotations

import bisect
import struct
from dataclasses import dataclass, field

from warphoto.errors import WriteError
from warphoto.imagefile._binary import View
from warphoto.imagefile.isobmff import _boxes, _Counter, _Item, ipma_entries
from warphoto.imagefile.isobmff import _iinf as _read_iinf
from warphoto.imagefile.isobmff import _iloc as _read_iloc
from warphoto.safety._heif_codecs import coded_data_problem, config_problem, property_kept

__all__ = ["IMAGE_ITEMS", "METADATA_ITEMS", "PICTURE_PROPERTIES", "redact_heif"]

#: the item types that code a picture (or a part of one: tiles, grids, overlays, masks, gain maps)
IMAGE_ITEMS = frozenset(
    {b"hvc1", b"hvt1", b"lhv1", b"av01", b"avc1", b"unci", b"grid", b"iovl", b"iden", b"tmap"}
)
#: the references that make an item part of the picture: from a kept item to what it is made of,
#: and to a kept item from its auxiliary images
_MADE_OF = frozenset({b"dimg", b"base"})
_SHOWN_WITH = frozenset({b"auxl", b"prem"})
#: the item properties that say how to decode and show a picture (codec configurations, size,
#: pixel and colour information, cropping, rotation, mirroring, auxiliary and layered images,
#: light levels, scaling); every other property goes (``udes``: a user's description and tags,
#: ``altt``, ``crtt``, ``mdft``, ``uuid`` properties: text and times); an essential property
#: not among these refuses the copy
PICTURE_PROPERTIES = frozenset(
    {b"hvcC", b"lhvC", b"av1C", b"avcC", b"vvcC", b"jpgC", b"j2kH", b"uncC", b"cmpd", b"cpal", b"ispe",
     b"pixi", b"colr", b"irot", b"imir", b"clap", b"pasp", b"auxC", b"rloc", b"lsel", b"a1op", b"a1lx",
     b"oinf", b"tols", b"clli", b"mdcv", b"cclv", b"amve", b"reve", b"iscl", b"ccst", b"ilce", b"icef",
     b"cmin", b"cmex"}
)  # fmt: skip
#: the item types that hold metadata: removed
METADATA_ITEMS = frozenset({b"Exif", b"mime", b"uri "})
#: the boxes of ``meta`` a copy keeps (those rewritten among them: iinf, iloc, iref, iprp, idat)
_META_KEPT = frozenset({b"hdlr", b"pitm", b"dinf", b"iinf", b"iloc", b"iref", b"iprp", b"idat"})
_XMP_TYPE = b"application/rdf+xml"


def _box(kind: bytes, payload: bytes) -> bytes:
    if len(payload) + 8 > 0xFFFFFFFF:
        return struct.pack(">I", 1) + kind + struct.pack(">Q", len(payload) + 16) + payload
    return struct.pack(">I", len(payload) + 8) + kind + payload


def _full_box(kind: bytes, version: int, payload: bytes, flags: int = 0) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags) + payload)


def _raw(parent: View, offset: int, body: View) -> bytes:
    """The whole box (header and payload) found at ``offset`` in ``parent``."""
    return bytes(parent.data[parent.start + offset : body.end])


@dataclass
class _Meta:
    children: list[tuple[bytes, bytes]] = field(default_factory=list)  # (kind, raw box) in order
    items: dict[int, _Item] = field(default_factory=dict)  # as the ingest reader reads them
    iloc_version: int = 0
    primary: int | None = None
    references: list[tuple[bytes, int, list[int]]] = field(default_factory=list)
    iref_version: int | None = None
    iprp: View | None = None
    idat: View | None = None


def _read_iref(body: View, meta: _Meta, counter: _Counter) -> None:
    version = meta.iref_version = body.u8(0, "iref version")
    width = 2 if version == 0 else 4
    refs = body.sub(4, len(body) - 4, "iref references")
    for box in _boxes(refs, counter):
        ref = box.body
        read = ref.u16 if width == 2 else ref.u32
        from_id, count = read(0, "iref from item"), ref.u16(width, "iref reference count")
        to_ids = [read(width + 2 + width * n, "iref to item") for n in range(count)]
        meta.references.append((box.kind, from_id, to_ids))


def _read_meta(view: View, meta_box: View, counter: _Counter, source: str) -> _Meta:
    meta = _Meta()
    body = meta_box.sub(4, len(meta_box) - 4, "meta box")  # a FullBox
    for box in _boxes(body, counter):
        if box.kind not in _META_KEPT:
            continue  # xml, bxml and anything else: metadata or unknown, left out
        meta.children.append((box.kind, _raw(body, box.offset, box.body)))
        if box.kind == b"iinf":
            _read_iinf(box.body, meta.items, counter)
        elif box.kind == b"iloc":
            meta.iloc_version = box.body.u8(0, "iloc version")
            _read_iloc(box.body, meta.items)
        elif box.kind == b"iref":
            _read_iref(box.body, meta, counter)
        elif box.kind == b"pitm":
            version = box.body.u8(0, "pitm version")
            meta.primary = box.body.u16(4, "pitm item") if version == 0 else box.body.u32(4, "pitm item")
        elif box.kind == b"idat":
            meta.idat = box.body
        elif box.kind == b"iprp":
            meta.iprp = box.body
    if meta.primary is None or meta.primary not in meta.items:
        raise view.fail("the meta box names no primary item it describes", meta_box.start)
    for item_id, item in meta.items.items():
        if item.reference != 0 or item.method > 1:
            raise WriteError(
                f"{source}: item {item_id}'s data is in another file or built from other items; "
                "a redacted copy cannot be made of it"
            )
    return meta


def _removed(meta: _Meta, source: str) -> set[int]:
    """Every item but the picture's (the primary item and what it is made of or shown with);
    WriteError for a picture item of a kind not known to code a picture."""
    picture = {meta.primary}
    grown = True
    while grown:
        grown = False
        for kind, from_id, to_ids in meta.references:
            if kind in _MADE_OF and from_id in picture:
                new = set(to_ids) - picture
            elif kind in _SHOWN_WITH and picture & set(to_ids):
                new = {from_id} - picture
            else:
                continue
            if new:
                picture |= new
                grown = True
    for item_id in sorted(i for i in picture if i is not None):
        item = meta.items.get(item_id)
        kind = item.kind if item is not None else b"????"
        if kind not in IMAGE_ITEMS:
            raise WriteError(
                f"{source}: item {item_id}, part of the picture, is of a kind a redacted copy does not "
                f"keep ({kind.decode('latin-1')!r}): its data could hold metadata of its own"
            )
    return {item_id for item_id in meta.items if item_id not in picture}


def _ipma(ipma: View, removed: set[int], renumbered: dict[int, int], source: str) -> bytes:
    """The ipma box without the entries of removed items, its property indexes renumbered
    (``renumbered``: old index -> new; a property not in it is left out of every association)."""
    version, flags = ipma.u8(0, "ipma version"), ipma.u32(0, "ipma flags") & 0xFFFFFF
    wide = flags & 1
    kept = []
    for item_id, indexes in ipma_entries(ipma):
        if item_id in removed:
            continue
        associations = []
        for index, essential in indexes:
            if index == 0:
                continue  # "no property"
            if index not in renumbered:
                if essential:
                    raise WriteError(
                        f"{source}: item {item_id} needs a property warphoto does not know (index "
                        f"{index}); a redacted copy cannot drop it and will not keep it unseen"
                    )
                continue
            associations.append((0x8000 if wide else 0x80) * essential | renumbered[index])
        entry = struct.pack(">H" if version < 1 else ">I", item_id) + struct.pack(">B", len(associations))
        entry += b"".join(struct.pack(">H" if wide else ">B", a) for a in associations)
        kept.append(entry)
    return _full_box(b"ipma", version, struct.pack(">I", len(kept)) + b"".join(kept), flags)


def _iprp(iprp: View, removed: set[int], counter: _Counter, source: str) -> bytes:
    """The item properties the picture needs, and their associations with the items kept."""
    children = list(_boxes(iprp, counter))
    renumbered: dict[int, int] = {}
    ipco = b""
    for box in children:
        if box.kind == b"ipco":
            kept = []
            for index, prop in enumerate(_boxes(box.body, counter), start=1):
                payload = bytes(prop.body.data[prop.body.start : prop.body.end])
                if prop.kind in PICTURE_PROPERTIES and property_kept(prop.kind, payload):
                    problem = config_problem(prop.kind, payload)
                    if problem is not None:
                        raise WriteError(f"{source}: {problem}; a redacted copy cannot keep it")
                    kept.append(_raw(box.body, prop.offset, prop.body))
                    renumbered[index] = len(kept)
            ipco = _box(b"ipco", b"".join(kept))
    parts = [ipco]  # (a new index is never larger than the old: it fits the ipma's field)
    parts += [_ipma(box.body, removed, renumbered, source) for box in children if box.kind == b"ipma"]
    return _box(b"iprp", b"".join(parts))


def _infe(item_id: int, kind: bytes, hidden: bool, content_type: bytes = b"") -> bytes:
    """An item entry written anew: id, type, hidden flag; an empty name (a name is free text)."""
    version, code = (2, ">H") if item_id <= 0xFFFF else (3, ">I")
    payload = struct.pack(code, item_id) + struct.pack(">H", 0) + kind + b"\x00"
    if kind == b"mime":
        payload += content_type + b"\x00"
    return _full_box(b"infe", version, payload, flags=1 if hidden else 0)


def _item_properties(iprp: View, counter: _Counter) -> dict[int, list[tuple[bytes, bytes]]]:
    """Item id -> its properties (type, payload), as ipco and ipma say."""
    properties: list[tuple[bytes, bytes]] = []
    out: dict[int, list[tuple[bytes, bytes]]] = {}
    children = list(_boxes(iprp, counter))
    for box in children:
        if box.kind == b"ipco":
            properties = [
                (p.kind, bytes(p.body.data[p.body.start : p.body.end])) for p in _boxes(box.body, counter)
            ]
    for box in children:
        if box.kind == b"ipma":
            for item_id, indexes in ipma_entries(box.body):
                found = [properties[index - 1] for index, _ in indexes if 1 <= index <= len(properties)]
                out.setdefault(item_id, []).extend(found)
    return out


def _length_size(properties: list[tuple[bytes, bytes]]) -> int:
    """The size of a NAL unit's length in the item's coded data (its hvcC or avcC says)."""
    for kind, payload in properties:
        if kind == b"hvcC" and len(payload) > 21:
            return (payload[21] & 3) + 1
        if kind == b"avcC" and len(payload) > 4:
            return (payload[4] & 3) + 1
    return 4


def _new_iinf(meta: _Meta, removed: set[int], xmp_id: int) -> bytes:
    entries = [
        _infe(item_id, item.kind, item.hidden)
        for item_id, item in meta.items.items()
        if item.kind and item_id not in removed
    ]
    entries.append(_infe(xmp_id, b"mime", False, _XMP_TYPE))
    version = 0 if len(entries) <= 0xFFFF else 1
    count = struct.pack(">H" if version == 0 else ">I", len(entries))
    return _full_box(b"iinf", version, count + b"".join(entries))


def _new_iloc(meta: _Meta, located: list[tuple[int, int, list[tuple[int, int]]]]) -> bytes:
    """An iloc of 8-byte offsets and lengths: (item id, construction method, extents) each."""
    version = max(meta.iloc_version, 1 if any(method for _, method, _ in located) else 0)
    if any(item_id > 0xFFFF for item_id, _, _ in located):
        version = 2
    wide = version == 2
    out = [struct.pack(">H", 0x8800), struct.pack(">I" if wide else ">H", len(located))]
    for item_id, method, extents in located:
        out.append(struct.pack(">I" if wide else ">H", item_id))
        if version in (1, 2):
            out.append(struct.pack(">H", method))
        out.append(struct.pack(">HH", 0, len(extents)))
        out.extend(struct.pack(">QQ", offset, length) for offset, length in extents)
    return _full_box(b"iloc", version, b"".join(out))


def _iref(meta: _Meta, removed: set[int], xmp_id: int) -> bytes:
    assert meta.primary is not None
    ids = {xmp_id, meta.primary, *(i for _, f, t in meta.references for i in (f, *t) if i not in removed)}
    version = 1 if meta.iref_version == 1 or max(ids) > 0xFFFF else 0
    code = ">H" if version == 0 else ">I"
    out = []
    for kind, from_id, to_ids in meta.references:
        kept = [to for to in to_ids if to not in removed]
        if from_id in removed or not kept:
            continue
        out.append(
            _box(
                kind,
                struct.pack(code, from_id)
                + struct.pack(">H", len(kept))
                + b"".join(struct.pack(code, t) for t in kept),
            )
        )
    out.append(
        _box(b"cdsc", struct.pack(code, xmp_id) + struct.pack(">H", 1) + struct.pack(code, meta.primary))
    )
    return _full_box(b"iref", version, b"".join(out))


def _free_id(meta: _Meta) -> int:
    for candidate in range(1, 0x10000):
        if candidate not in meta.items:
            return candidate
    raise WriteError("every 16-bit item id is taken; a redacted copy has no id for its XMP item")


def _overlap(extents: list[tuple[int, int]], others: list[tuple[int, int]]) -> bool:
    """Does a range of ``extents`` share a byte with one of ``others``? (A sweep: n log n.)"""
    marks = sorted([(o, o + n, 0) for o, n in extents if n] + [(o, o + n, 1) for o, n in others if n])
    reach = [-1, -1]  # the furthest end seen so far of each list
    for start, end, which in marks:
        if start < reach[1 - which]:
            return True
        reach[which] = max(reach[which], end)
    return False


class _Packed:
    """The bytes a copy keeps of one source (the file, or ``idat``): the ranges its kept extents
    cover, merged and laid end to end; nothing else of the source (no metadata, no bytes no
    item names) is copied."""

    def __init__(self, source: bytes, extents: list[tuple[int, int]]) -> None:
        ranges: list[list[int]] = []
        for offset, length in sorted(extents):
            if ranges and offset <= ranges[-1][1]:
                ranges[-1][1] = max(ranges[-1][1], offset + length)
            else:
                ranges.append([offset, offset + length])
        self.starts: list[tuple[int, int, int]] = []  # (source start, source end, packed start)
        parts, at = [], 0
        for lo, hi in ranges:
            self.starts.append((lo, hi, at))
            parts.append(source[lo:hi])
            at += hi - lo
        self.payload = b"".join(parts)

    def where(self, offset: int) -> int:
        """Where the source byte at ``offset`` (in a kept extent) lies in the payload."""
        index = bisect.bisect_right(self.starts, (offset, float("inf"), 0)) - 1
        lo, hi, at = self.starts[index]
        assert index >= 0 and lo <= offset <= hi, offset  # the extents are those it was made of
        return at + offset - lo


def redact_heif(image: bytes, packet: bytes, *, source: str | None = None) -> bytes:
    """The HEIF/AVIF ``image`` with only its picture items and a new item holding ``packet``."""
    name = source or "the image"
    view = View.of(image, source)
    counter = _Counter()
    top = list(_boxes(view, counter))
    if not top or top[0].kind != b"ftyp":
        raise view.fail("not a HEIF file: it does not begin with an ftyp box", 0)
    if any(box.kind == b"moov" for box in top):
        raise WriteError(
            f"{name}: an image sequence (HEIF with a moov box); a redacted copy cannot be made of it"
        )
    metas = [box for box in top if box.kind == b"meta"]
    if len(metas) != 1:
        raise view.fail(f"a HEIF file has one meta box, this one {len(metas)}", 0)
    meta = _read_meta(view, metas[0].body, counter, name)
    removed = _removed(meta, name)
    idat = bytes(meta.idat.data[meta.idat.start : meta.idat.end]) if meta.idat is not None else b""
    mdats = [(box.body.start, box.body.end) for box in top if box.kind == b"mdat"]
    kept: dict[int, list[tuple[int, int]]] = {0: [], 1: []}  # construction method -> extents
    gone: dict[int, list[tuple[int, int]]] = {0: [], 1: []}
    for item_id, item in meta.items.items():
        if not item.located:
            continue
        size = len(view) if item.method == 0 else len(idat)
        for offset, _length in item.extents:
            if offset > size:
                raise view.fail(f"item {item_id} begins past the end of its data", 0)
        item.extents = tuple((offset, length or size - offset) for offset, length in item.extents)
        for offset, length in item.extents:
            if offset + length > size:
                raise view.fail(f"item {item_id} lies past the end of its data", 0)
            in_mdat = any(lo <= offset and offset + length <= hi for lo, hi in mdats)
            if item.method == 0 and item_id not in removed and not in_mdat:
                raise WriteError(
                    f"{name}: picture data outside an mdat box; a redacted copy cannot be made of it"
                )
        (gone if item_id in removed else kept)[item.method].extend(item.extents)
    for method in (0, 1):
        if _overlap(kept[method], gone[method]):
            raise WriteError(
                f"{name}: a metadata item shares bytes with the picture; "
                "a copy cannot take one without the other"
            )
    associated = _item_properties(meta.iprp, counter) if meta.iprp is not None else {}
    for item_id, item in meta.items.items():
        if item.located and item_id not in removed:
            source_bytes = image if item.method == 0 else idat
            data = b"".join(source_bytes[o : o + n] for o, n in item.extents)
            properties = associated.get(item_id, [])
            problem = coded_data_problem(item.kind, data, _length_size(properties))
            if problem is not None:
                raise WriteError(f"{name}: item {item_id}: {problem}; a redacted copy cannot keep it")
    in_file, in_idat = _Packed(image, kept[0]), _Packed(idat, kept[1])
    xmp_id = _free_id(meta)
    ftyp = _raw(view, top[0].offset, top[0].body)

    def built(data_start: int) -> bytes:
        """The new meta box, the copy's data beginning at file offset ``data_start``."""
        located = []
        for item_id, item in meta.items.items():
            if item.located and item_id not in removed:
                packed, base = (in_file, data_start) if item.method == 0 else (in_idat, 0)
                extents = [(base + packed.where(o), n) for o, n in item.extents]
                located.append((item_id, item.method, extents))
        located.append((xmp_id, 0, [(data_start + len(in_file.payload), len(packet))]))
        children = []
        for kind, raw in meta.children:
            if kind == b"iinf":
                children.append(_new_iinf(meta, removed, xmp_id))
            elif kind == b"iloc":
                children.append(_new_iloc(meta, located))
            elif kind == b"iref":
                continue  # written at the end, with the XMP item's reference
            elif kind == b"iprp" and meta.iprp is not None:
                children.append(_iprp(meta.iprp, removed, counter, name))
            elif kind == b"idat":
                children.append(_box(b"idat", in_idat.payload))
            elif kind == b"hdlr":  # the handler type; its free-text name left empty
                handler = raw[16:20] if len(raw) >= 20 else b"pict"
                children.append(_full_box(b"hdlr", 0, bytes(4) + handler + bytes(12) + b"\x00"))
            elif kind == b"dinf":  # data in this file only: a dref whose one entry says so (no URL)
                url = _full_box(b"url ", 0, b"", flags=1)
                children.append(_box(b"dinf", _full_box(b"dref", 0, struct.pack(">I", 1) + url)))
            else:
                children.append(raw)
        children.append(_iref(meta, removed, xmp_id))
        return _full_box(b"meta", 0, b"".join(children))

    data = in_file.payload + packet
    header = len(_box(b"mdat", data)) - len(data)
    meta_size = len(built(0))  # the widths of meta's fields do not depend on the offsets
    return ftyp + built(len(ftyp) + meta_size + header) + _box(b"mdat", data)
