"""What a HEIF copy may keep of a picture's own bytes: its item properties and its coded data.

A coded picture can carry text of its own besides the pixels: HEVC and AVC supplemental
enhancement information (SEI NAL units, in the codec configuration or in the stream), AV1
metadata OBUs, and free text after the fixed fields of a property. A copy that kept them
would carry what the redaction removed elsewhere, so :func:`coded_data_problem` says why an
item's data cannot be copied as it is (the copy is then refused), and :func:`property_kept`
which properties are kept: only known ones, of their exact size where the size is fixed.
"""

from __future__ import annotations

__all__ = ["coded_data_problem", "config_problem", "property_kept"]

#: payload sizes of the fixed-size properties (after the box header)
_FIXED = {b"ispe": 12, b"irot": 1, b"imir": 1, b"pasp": 8, b"clap": 32}
#: auxiliary image types (auxC URNs) a copy keeps: alpha planes, depth maps, HDR gain maps
_AUX = frozenset(
    {
        b"urn:mpeg:mpegB:cicp:systems:auxiliary:alpha",
        b"urn:mpeg:hevc:2015:auxid:1",
        b"urn:mpeg:mpegB:cicp:systems:auxiliary:depth",
        b"urn:mpeg:hevc:2015:auxid:2",
        b"urn:com:apple:photo:2020:aux:hdrgainmap",
    }
)
_HEVC_SEI = (39, 40)
_AVC_SEI = 6
_AV1_METADATA = 5


def property_kept(kind: bytes, payload: bytes) -> bool:
    """Is the property ``kind`` with this payload known, and no larger than its fields?"""
    if kind in _FIXED:
        return len(payload) == _FIXED[kind]
    if kind == b"pixi":
        return len(payload) >= 5 and len(payload) == 5 + payload[4]
    if kind == b"colr":
        colour = payload[:4]
        return (colour == b"nclx" and len(payload) == 11) or colour in (b"rICC", b"prof")
    if kind == b"auxC":
        urn, nul, subtype = payload[4:].partition(b"\x00")
        return bool(nul) and urn in _AUX and not subtype
    return True


def _hevc_units(data: bytes, size: int) -> list[int]:
    """The NAL unit types of length-prefixed HEVC (``size``-byte lengths); ValueError if malformed."""
    types, pos = [], 0
    while pos < len(data):
        if pos + size > len(data):
            raise ValueError("a NAL unit length past the end")
        length = int.from_bytes(data[pos : pos + size], "big")
        pos += size
        if length == 0 or pos + length > len(data):
            raise ValueError("a NAL unit past the end")
        types.append(data[pos])
        pos += length
    return types


def _obus(data: bytes) -> list[int]:
    """The OBU types of an AV1 stream whose OBUs carry their size; ValueError if malformed."""
    types, pos = [], 0
    while pos < len(data):
        header = data[pos]
        kind, extension, sized = (header >> 3) & 0xF, (header >> 2) & 1, (header >> 1) & 1
        pos += 1 + extension
        if not sized:
            types.append(kind)
            break  # the rest of the data is this OBU
        size, shift = 0, 0
        while True:
            if pos >= len(data) or shift > 56:
                raise ValueError("an OBU size past the end")
            byte = data[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if pos + size > len(data):
            raise ValueError("an OBU past the end")
        types.append(kind)
        pos += size
    return types


def config_problem(kind: bytes, payload: bytes) -> str | None:
    """Why a codec configuration property cannot be copied (it holds SEI or metadata), or None."""
    try:
        if kind in (b"hvcC", b"lhvC"):
            start = 23 if kind == b"hvcC" else 6  # the arrays of parameter sets and SEI
            if len(payload) < start:
                return f"a {kind.decode()} property too short to read"
            count, pos = payload[start - 1], start
            for _ in range(count):
                unit_type, units = payload[pos] & 0x3F, int.from_bytes(payload[pos + 1 : pos + 3], "big")
                if unit_type in _HEVC_SEI:
                    return f"its {kind.decode()} property holds SEI messages (free data)"
                pos += 3
                for _ in range(units):
                    pos += 2 + int.from_bytes(payload[pos : pos + 2], "big")
                if pos > len(payload):
                    return f"a {kind.decode()} property that lies about its size"
        elif kind == b"av1C" and len(payload) > 4 and _AV1_METADATA in _obus(payload[4:]):
            return "its av1C property holds metadata OBUs"
    except (ValueError, IndexError):
        return f"a {kind.decode()} property that cannot be read"
    return None


def coded_data_problem(kind: bytes, data: bytes, length_size: int) -> str | None:
    """Why an item's coded data cannot be copied as it is (SEI or metadata in it), or None."""
    try:
        if kind in (b"hvc1", b"hvt1", b"lhv1"):
            if any((t >> 1) & 0x3F in _HEVC_SEI for t in _hevc_units(data, length_size)):
                return "its coded data holds SEI messages (free data)"
        elif kind == b"avc1":
            if any(t & 0x1F == _AVC_SEI for t in _hevc_units(data, length_size)):
                return "its coded data holds SEI messages (free data)"
        elif kind == b"av01" and _AV1_METADATA in _obus(data):
            return "its coded data holds metadata OBUs"
    except (ValueError, IndexError):
        return "its coded data cannot be read as its codec's units"
    return None
