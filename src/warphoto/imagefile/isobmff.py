"""HEIF, HEIC and AVIF (ISO base media file format): the ``Exif`` item and the XMP item (type
``mime``, content type ``application/rdf+xml``) found through ``meta``/``iinf``/``iloc``, and the
primary item's pixel size from its ``ispe`` property (before any rotation).

Every box size, item extent and count is checked against its container: a size that lies is a
:class:`~warphoto.errors.ReadError` naming the offset. At most ``MAX_BOXES`` boxes,
``MAX_ITEMS`` items and ``MAX_EXTENTS`` item extents are read, and an item larger than
``MAX_ITEM_BYTES`` is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from warphoto.imagefile._binary import View
from warphoto.imagefile._parts import Parts

__all__ = ["MAX_BOXES", "MAX_EXTENTS", "MAX_ITEMS", "MAX_ITEM_BYTES", "ipma_entries", "read_isobmff"]

MAX_BOXES = 100_000
MAX_ITEMS = 10_000
#: the most item extents read (an iloc may claim 65,535 for each of its items)
MAX_EXTENTS = 100_000
MAX_ITEM_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class _Box:
    kind: bytes
    offset: int  # relative to the parent view
    body: View  # the payload after the header


class _Counter:
    def __init__(self) -> None:
        self.count = 0


def _boxes(view: View, counter: _Counter) -> Iterator[_Box]:
    pos = 0
    size = len(view)
    while pos + 8 <= size:
        length = view.u32(pos, "box size")
        kind = view.read(pos + 4, 4, "box type")
        header = 8
        if length == 1:
            length = view.u64(pos + 8, f"box {kind!r} large size")
            header = 16
        elif length == 0:
            length = size - pos
        if length < header or pos + length > size:
            raise view.fail(
                f"box {kind!r} claims {length} bytes, past the end of its {size}-byte container", pos
            )
        counter.count += 1
        if counter.count > MAX_BOXES:
            raise view.fail(f"more than {MAX_BOXES} boxes", pos)
        yield _Box(kind, pos, view.sub(pos + header, length - header, f"box {kind!r}"))
        pos += length
    if pos != size and view.read(pos, size - pos, "padding").strip(b"\x00"):
        raise view.fail(f"{size - pos} bytes at the end of a container are not a box", pos)


def _sized(view: View, at: int, width: int, what: str) -> int:
    if width == 0:
        return 0
    if width not in (4, 8):
        raise view.fail(f"{what}: a field width of {width} bytes", at)
    return view.u32(at, what) if width == 4 else view.u64(at, what)


@dataclass
class _Item:
    kind: bytes = b""  # b"": no infe entry of version 2 or later describes it
    content_type: bytes = b""
    hidden: bool = False
    method: int = 0
    reference: int = 0  # its data reference index: 0, this file
    extents: tuple[tuple[int, int], ...] = ()
    located: bool = False  # an iloc entry gives its data
    at: int = 0  # the file offset of its iloc entry, for messages


def _iinf(body: View, items: dict[int, _Item], counter: _Counter) -> None:
    version = body.u8(0, "iinf version")
    start = 6 if version == 0 else 8
    for box in _boxes(body.sub(start, len(body) - start, "iinf entries"), counter):
        if box.kind != b"infe":
            continue
        infe = box.body
        infe_version = infe.u8(0, "infe version")
        if infe_version < 2:
            continue
        if infe_version == 2:
            item_id, pos = infe.u16(4, "infe item id"), 6
        else:
            item_id, pos = infe.u32(4, "infe item id"), 8
        kind = infe.read(pos + 2, 4, "infe item type")
        rest = infe.read(pos + 6, len(infe) - pos - 6, "infe names")
        _name, _, tail = rest.partition(b"\x00")
        content_type = tail.partition(b"\x00")[0] if kind == b"mime" else b""
        if len(items) >= MAX_ITEMS:
            raise infe.fail(f"more than {MAX_ITEMS} items", 0)
        item = items.setdefault(item_id, _Item())
        item.kind, item.content_type, item.hidden = kind, content_type, bool(infe.u32(0, "infe flags") & 1)


def _iloc(body: View, items: dict[int, _Item]) -> None:
    version = body.u8(0, "iloc version")
    sizes = body.u16(4, "iloc field sizes")
    offset_size, length_size = sizes >> 12, (sizes >> 8) & 0xF
    base_size, index_size = (sizes >> 4) & 0xF, (sizes & 0xF if version in (1, 2) else 0)
    if version < 2:
        count, pos = body.u16(6, "iloc item count"), 8
    else:
        count, pos = body.u32(6, "iloc item count"), 10
    if count > MAX_ITEMS:
        raise body.fail(f"iloc claims {count} items, more than the limit of {MAX_ITEMS}", 6)
    total = 0
    for _ in range(count):
        entry_at = body.start + pos
        if version < 2:
            item_id, pos = body.u16(pos, "iloc item id"), pos + 2
        else:
            item_id, pos = body.u32(pos, "iloc item id"), pos + 4
        method = 0
        if version in (1, 2):
            method, pos = body.u16(pos, "iloc construction method") & 0xF, pos + 2
        reference, pos = body.u16(pos, "iloc data reference index"), pos + 2
        base, pos = _sized(body, pos, base_size, "iloc base offset"), pos + base_size
        extent_count, pos = body.u16(pos, "iloc extent count"), pos + 2
        total += extent_count
        if total > MAX_EXTENTS:
            raise body.fail(f"more than {MAX_EXTENTS} item extents", pos)
        extents = []
        for _ in range(extent_count):
            pos += index_size
            offset, pos = _sized(body, pos, offset_size, "iloc extent offset"), pos + offset_size
            length, pos = _sized(body, pos, length_size, "iloc extent length"), pos + length_size
            extents.append((base + offset, length))
        if len(items) >= MAX_ITEMS and item_id not in items:
            raise body.fail(f"more than {MAX_ITEMS} items", pos)
        item = items.setdefault(item_id, _Item())
        item.method, item.reference, item.extents, item.at = method, reference, tuple(extents), entry_at
        item.located = True


def _item_bytes(view: View, idat: View | None, item: _Item, what: str) -> bytes:
    total = sum(length for _, length in item.extents)
    if total > MAX_ITEM_BYTES:
        raise view.fail(f"{what} claims {total} bytes, more than the limit of {MAX_ITEM_BYTES}", item.at)
    source = view if item.method == 0 else idat
    if source is None or item.method > 1:
        raise view.fail(f"{what}: construction method {item.method} is not supported", item.at)
    out = []
    for offset, length in item.extents:
        if length == 0:
            length = len(source) - offset
        out.append(source.read(offset, length, what))
    return b"".join(out)


def ipma_entries(ipma: View) -> list[tuple[int, list[tuple[int, bool]]]]:
    """The entries of an ipma box, in order: (item id, [(property index, essential)])."""
    version, flags = ipma.u8(0, "ipma version"), ipma.u32(0, "ipma flags") & 0xFFFFFF
    count, pos = ipma.u32(4, "ipma entry count"), 8
    if count > MAX_ITEMS:
        raise ipma.fail(f"ipma claims {count} entries, more than the limit of {MAX_ITEMS}", 4)
    entries = []
    for _ in range(count):
        if version < 1:
            item_id, pos = ipma.u16(pos, "ipma item id"), pos + 2
        else:
            item_id, pos = ipma.u32(pos, "ipma item id"), pos + 4
        n, pos = ipma.u8(pos, "ipma association count"), pos + 1
        indexes = []
        for _ in range(n):
            if flags & 1:
                value, pos = ipma.u16(pos, "ipma property index"), pos + 2
                indexes.append((value & 0x7FFF, bool(value & 0x8000)))
            else:
                value, pos = ipma.u8(pos, "ipma property index"), pos + 1
                indexes.append((value & 0x7F, bool(value & 0x80)))
        entries.append((item_id, indexes))
    return entries


def _primary_size(iprp: View, primary: int | None, counter: _Counter) -> tuple[int, int] | None:
    properties: list[tuple[bytes, View]] = []
    associations: dict[int, list[int]] = {}
    for box in _boxes(iprp, counter):
        if box.kind == b"ipco":
            properties = [(child.kind, child.body) for child in _boxes(box.body, counter)]
        elif box.kind == b"ipma":
            for item_id, indexes in ipma_entries(box.body):
                associations[item_id] = [index for index, _essential in indexes]
    candidates = associations.get(primary, []) if primary is not None else []
    for index in candidates:
        if 1 <= index <= len(properties) and properties[index - 1][0] == b"ispe":
            ispe = properties[index - 1][1]
            return ispe.u32(4, "ispe width"), ispe.u32(8, "ispe height")
    return None


def read_isobmff(view: View, parts: Parts) -> None:
    """Fill ``parts`` from the HEIF/AVIF file in ``view``."""
    counter = _Counter()
    meta = next((box for box in _boxes(view, counter) if box.kind == b"meta"), None)
    if meta is None:
        parts.warnings.append("the file has no meta box: no metadata items")
        return
    body = meta.body.sub(4, len(meta.body) - 4, "meta box")  # a FullBox
    items: dict[int, _Item] = {}
    primary: int | None = None
    idat: View | None = None
    iprp: View | None = None
    for box in _boxes(body, counter):
        if box.kind == b"iinf":
            _iinf(box.body, items, counter)
        elif box.kind == b"iloc":
            _iloc(box.body, items)
        elif box.kind == b"pitm":
            version = box.body.u8(0, "pitm version")
            primary = box.body.u16(4, "pitm item") if version == 0 else box.body.u32(4, "pitm item")
        elif box.kind == b"idat":
            idat = box.body
        elif box.kind == b"iprp":
            iprp = box.body
    if iprp is not None:
        size = _primary_size(iprp, primary, counter)
        if size is not None:
            parts.width, parts.height = size
    for item_id, item in sorted(items.items()):
        what = f"item {item_id} ({item.kind.decode('latin-1')})"
        if item.kind == b"Exif":
            data = _item_bytes(view, idat, item, what)
            if len(data) < 4:
                raise view.fail(f"{what} is too short", item.at)
            skip = 4 + int.from_bytes(data[:4], "big")
            if skip > len(data):
                raise view.fail(f"{what}: its TIFF header offset {skip} lies past its end", item.at)
            parts.set_exif(View(data, skip, len(data), view.source), what)
        elif item.kind == b"mime" and item.content_type == b"application/rdf+xml":
            parts.set_xmp(_item_bytes(view, idat, item, what), what)
