"""Photoshop image resource blocks (IRB): ``8BIM``, a 16-bit id, a padded Pascal name, a
32-bit size and the data, padded to an even length. Found in JPEG APP13 (``Photoshop 3.0``),
PSD files and TIFF tag 34377. The resources ingest reads: 0x0404 IPTC-IIM, 0x0425 the IIM's
MD5 digest, 0x0424 XMP, 0x0422 EXIF.
"""

from __future__ import annotations

from warphoto.imagefile._binary import View

__all__ = ["EXIF", "IIM", "IIM_DIGEST", "MAX_RESOURCES", "XMP", "parse_irb"]

IIM, XMP, EXIF, IIM_DIGEST = 0x0404, 0x0424, 0x0422, 0x0425
#: resources one block may hold
MAX_RESOURCES = 10_000
#: signatures Photoshop and others write (ExifTool accepts the same)
_SIGNATURES = (b"8BIM", b"PHUT", b"AgHg", b"DCSR", b"MeSa")


def parse_irb(view: View, warnings: list[str]) -> dict[int, View]:
    """Each resource's data by id (the first of a repeated id; a warning names the repeat)."""
    out: dict[int, View] = {}
    pos = 0
    size = len(view)
    count = 0
    while pos + 12 <= size:
        signature = view.read(pos, 4, "image resource signature")
        if signature not in _SIGNATURES:
            if signature.strip(b"\x00"):
                warnings.append(
                    f"Photoshop resources: unknown signature {signature!r} at offset {view.start + pos}; "
                    "the rest is not read"
                )
            break
        count += 1
        if count > MAX_RESOURCES:
            raise view.fail(f"more than {MAX_RESOURCES} image resources", pos)
        ident = view.u16(pos + 4, "image resource id")
        name_length = view.u8(pos + 6, "image resource name")
        name_size = name_length + 1
        name_size += name_size & 1
        length_at = pos + 6 + name_size
        if length_at + 4 > size:
            raise view.fail(
                f"image resource 0x{ident:04X}: its {name_length}-byte name runs past the end of its "
                f"{size}-byte block",
                pos,
            )
        length = view.u32(length_at, f"image resource 0x{ident:04X} size")
        data_at = length_at + 4
        if data_at + length > size:
            raise view.fail(
                f"image resource 0x{ident:04X} claims {length} bytes, past the end of its {size}-byte block",
                pos,
            )
        if signature == b"8BIM":
            if ident in out:
                warnings.append(f"Photoshop resource 0x{ident:04X} appears twice; the first is read")
            else:
                out[ident] = view.sub(data_at, length, f"image resource 0x{ident:04X}")
        pos = data_at + length + (length & 1)
    return out
