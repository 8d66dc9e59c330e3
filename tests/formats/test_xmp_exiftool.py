"""Independent readers and writers check our XMP: ExifTool (``exiftool -j -struct -G1``) and libexiv2.

* ExifTool reads our sidecars and JPEGs; for every mapped field of every example photograph and
  of generated records, its values equal ours (the crosswalk names ExifTool's tag for each row).
* libexiv2 parses the same files without error and agrees on the main fields.
* ExifTool writes sidecars from our records (its JSON import, ``-j=``) and our reader turns
  them back into the same IPTC values and the same record fields.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings

from warphoto._crosswalk import load_table
from warphoto.formats import jpeg, xmp

from ..conftest import need_module
from ..exiftool import ExifTool, exiftool_view
from ..jpeg_bytes import tiny_jpeg
from ..strategies import photographs
from .test_xmp import RECORD

pytestmark = pytest.mark.slow

CONTEXT = "https://w3id.org/warphoto/context.jsonld"


# ------------------------------------------------------------------------ what ExifTool should see


def iptc_native_tags(record: dict[str, Any]) -> set[str]:
    """ExifTool's tags of the IPTC properties written from their own record keys (artworkOrObject,
    jobId, ...: vocab/crosswalk/iptc.csv); test_xmp_fidelity checks their values."""
    by_key = {
        row["key"].partition(".")[2]: row["exiftool"]
        for row in load_table("iptc.csv")
        if row["key"].startswith("Photograph.") and not row["struct"]
    }
    rows = {row.field for row in xmp.crosswalk_rows()}
    return {by_key[key] for key in record if key in by_key and key not in rows}


#: ExifTool groups of what warphoto writes beyond the crosswalk (under the namespace of each
#: key's IRI: schema.org, warphoto's terms, PROV-O, extension keys)
BEYOND_THE_CROSSWALK = (
    "XMP-schema:",
    "XMP-wp:",
    "XMP-prov:",
    "XMP-dcterms:",
    "XMP-skos:",
    "XMP-ex:",
    "XMP-warphoto:Type",
    "XMP-rdf:About",
)


def _gps(text: str) -> float:
    value = xmp._gps_number(text)
    assert value is not None
    return value


def _normal(key: str, value: Any) -> Any:
    """Both sides in one form: scalars as strings, dates as ISO 8601, GPS as numbers."""
    if isinstance(value, dict):
        return {k: _normal(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(key, v) for v in value]
    if key in ("GPSLatitude", "GPSLongitude"):
        return round(_gps(value) if isinstance(value, str) else float(value), 6)
    if key == "GPSAltitude":
        return round(float(xmp._rational(value) if isinstance(value, str) else value), 3)  # type: ignore[arg-type]
    text = str(value)
    if key.endswith("DateCreated") and len(text) >= 7 and text[4] == ":":
        text = (
            text[:4]
            + "-"
            + text[5:7]
            + ("-" + text[8:10] if len(text) >= 10 else "")
            + text[10:].replace(" ", "T", 1)
        )
    return text


def assert_exiftool_agrees(seen: dict[str, Any], record: dict[str, Any]) -> None:
    assert "ExifTool:Warning" not in seen and "ExifTool:Error" not in seen, seen
    expected = exiftool_view(record)
    for tag, value in expected.items():
        assert tag in seen, f"ExifTool does not see {tag}"
        assert _normal(tag.partition(":")[2], seen[tag]) == _normal(tag.partition(":")[2], value), tag
    ours = {
        t
        for t in seen
        if t.startswith("XMP-") and t != "XMP-x:XMPToolkit" and not t.startswith(BEYOND_THE_CROSSWALK)
    }
    native = iptc_native_tags(record)
    assert native <= set(seen), f"ExifTool does not see {sorted(native - set(seen))}"
    expected_tags = set(expected) | native
    ours = {t for t in ours if t.rsplit("-", 1)[0] not in native}  # a language alternative's tags
    assert ours <= expected_tags, f"ExifTool sees tags we did not write: {sorted(ours - expected_tags)}"


# ------------------------------------------------------------------------ ExifTool reads ours


def test_exiftool_reads_our_sidecars(
    exiftool: ExifTool, example_photographs: list[dict[str, Any]], tmp_path: Path
) -> None:
    for index, record in enumerate([RECORD, *example_photographs]):
        path = tmp_path / f"p{index}.xmp"
        path.write_text(xmp.dumps(record), encoding="utf-8")
        assert_exiftool_agrees(exiftool.read(path), record)
        printed = exiftool.read(path, numbers=False)  # the plain `exiftool -j -struct -G1` run
        assert "ExifTool:Warning" not in printed and "ExifTool:Error" not in printed


def test_exiftool_reads_our_jpegs(
    exiftool: ExifTool, example_photographs: list[dict[str, Any]], tmp_path: Path
) -> None:
    for index, record in enumerate([RECORD, *example_photographs]):
        path = tmp_path / f"p{index}.jpg"
        path.write_bytes(tiny_jpeg())
        jpeg.embed_file(path, record)
        seen = exiftool.read(path)
        assert_exiftool_agrees(seen, record)
        assert seen["File:ImageWidth"] == 8


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(photographs(extensions=True))
def test_exiftool_reads_generated_records(exiftool: ExifTool, tmp_path: Path, record: dict[str, Any]) -> None:
    path = tmp_path / "generated.xmp"
    path.write_text(xmp.dumps(record), encoding="utf-8")
    assert_exiftool_agrees(exiftool.read(path), record)


# ------------------------------------------------------------------------ libexiv2 reads ours


def _exiv2_view(path: Path) -> dict[str, Any]:
    exiv2 = need_module("exiv2")
    image = exiv2.ImageFactory.open(str(path))
    image.readMetadata()
    out: dict[str, Any] = {}
    for datum in image.xmpData():
        value = datum.getValue()
        if datum.typeName() == "LangAlt":
            out[datum.key()] = dict(value)
        elif datum.typeName() in ("XmpBag", "XmpSeq"):
            out[datum.key()] = [value.toString(i) for i in range(value.count())]
        else:
            out[datum.key()] = datum.toString()
    return out


_EXIV2_KEYS = {
    "XMP-dc:Title": "Xmp.dc.title",
    "XMP-dc:Description": "Xmp.dc.description",
    "XMP-dc:Rights": "Xmp.dc.rights",
    "XMP-dc:Creator": "Xmp.dc.creator",
    "XMP-dc:Subject": "Xmp.dc.subject",
    "XMP-photoshop:Headline": "Xmp.photoshop.Headline",
    "XMP-photoshop:Credit": "Xmp.photoshop.Credit",
    "XMP-photoshop:DateCreated": "Xmp.photoshop.DateCreated",
    "XMP-photoshop:City": "Xmp.photoshop.City",
    "XMP-iptcCore:CountryCode": "Xmp.iptc.CountryCode",
    "XMP-iptcExt:DigitalSourceType": "Xmp.iptcExt.DigitalSourceType",
    "XMP-iptcExt:Event": "Xmp.iptcExt.Event",
    "XMP-xmpRights:WebStatement": "Xmp.xmpRights.WebStatement",
}


def assert_exiv2_agrees(path: Path, record: dict[str, Any]) -> None:
    seen = _exiv2_view(path)
    iptc, _ = xmp.properties(record)
    rows = {row.clark: row for row in xmp.crosswalk_rows()}
    props = [(rows[clark], value) for clark, value in iptc if clark in rows]
    by_tag = {row.exiftool: value for row, value in props}

    for tag, key in _EXIV2_KEYS.items():
        if tag not in by_tag:
            continue
        value = by_tag[tag]
        expected = (
            dict(value) if isinstance(value, dict) else list(value) if isinstance(value, list) else value
        )
        assert seen.get(key) == expected, key

    for row, value in props:  # every struct we wrote is there
        if isinstance(value, list) and value and isinstance(value[0], xmp.Struct):
            prefix = {"Iptc4xmpExt": "iptcExt", "plus": "plus"}[row.prop.partition(":")[0]]
            assert f"Xmp.{prefix}.{row.local}[{len(value)}]" in seen, row.prop


def test_libexiv2_reads_our_files(example_photographs: list[dict[str, Any]], tmp_path: Path) -> None:
    need_module("exiv2")
    for index, record in enumerate([RECORD, *example_photographs]):
        sidecar = tmp_path / f"p{index}.xmp"
        sidecar.write_text(xmp.dumps(record), encoding="utf-8")
        assert_exiv2_agrees(sidecar, record)
        image = tmp_path / f"p{index}.jpg"
        image.write_bytes(jpeg.embed(tiny_jpeg(), record))
        assert_exiv2_agrees(image, record)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(photographs(extensions=True))
def test_libexiv2_reads_generated_records(tmp_path: Path, record: dict[str, Any]) -> None:
    need_module("exiv2")
    sidecar = tmp_path / "generated.xmp"
    sidecar.write_text(xmp.dumps(record), encoding="utf-8")
    assert_exiv2_agrees(sidecar, record)


# ------------------------------------------------------------------------ ExifTool writes, we read


def _exiftool_json(view: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"SourceFile": "*"}
    for tag, value in view.items():
        out[tag] = value
    return out


def _comparable(view: dict[str, Any]) -> dict[str, Any]:
    """A view in normal form, without GPSAltitudeRef: ExifTool 12.57 does not write it inside a
    Location structure from its JSON import (it reads it), so a negative elevation comes back positive."""
    out = {}
    for tag, value in view.items():
        value = _normal(tag.partition(":")[2], value)
        if tag.endswith(("LocationShown", "LocationCreated")):
            value = [{k: v for k, v in item.items() if k != "GPSAltitudeRef"} for item in value]
        out[tag] = value
    return out


def check_exiftool_written(exiftool: ExifTool, record: dict[str, Any], tmp_path: Path, name: str) -> None:
    view = exiftool_view(record, ours=False)
    source = tmp_path / f"{name}.json"
    source.write_text(json.dumps([_exiftool_json(view)], ensure_ascii=False), encoding="utf-8")
    target = tmp_path / f"{name}.xmp"
    target.unlink(missing_ok=True)
    exiftool.run("-charset", "UTF8", f"-j={source}", str(target))
    assert target.exists(), f"ExifTool wrote no sidecar for {record['@id']}"
    back = xmp.loads(target.read_bytes(), language="und", id=record["@id"])
    # the IPTC form of what we read equals the IPTC form of the record
    assert _comparable(exiftool_view(back, ours=False)) == _comparable(view)
    # and every field whose IPTC form is lossless comes back as it was
    _, whole = xmp.properties(record)  # fields also written whole: their IPTC form loses something
    lossy = {xmp._xmp_ld.key_of_clark(clark) for clark, _ in whole}
    iptc_fields = {row.field for row in xmp.crosswalk_rows() if row.namespace != xmp.WARPHOTO_XMP_NS}
    for field in iptc_fields - lossy:
        assert back.get(field) == record.get(field), field


def test_exiftool_written_sidecars_read_back(
    exiftool: ExifTool, example_photographs: list[dict[str, Any]], tmp_path: Path
) -> None:
    for index, record in enumerate([RECORD, *example_photographs]):
        check_exiftool_written(exiftool, record, tmp_path, f"e{index}")


_PLACE_IN_AN_AREA = {
    "@context": "https://w3id.org/warphoto/context.jsonld",
    "@id": "https://example.org/photo/0",
    "@type": ["ImageObject", "Photograph"],
    "contentLocation": [
        {
            "@type": "Place",
            "name": {"en": "A"},
            "containedInPlace": {"@type": "AdministrativeArea", "name": {"en": "A"}},
        }
    ],
}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(photographs())
@example(record=_PLACE_IN_AN_AREA)  # found by Hypothesis: its Sublocation was lost on the way back
def test_exiftool_written_generated_records_read_back(
    exiftool: ExifTool, tmp_path: Path, record: dict[str, Any]
) -> None:
    check_exiftool_written(exiftool, record, tmp_path, "generated")


def test_exiftool_reads_our_extended_xmp(exiftool: ExifTool, tmp_path: Path) -> None:
    """A packet larger than one APP1 segment: ExifTool assembles our extended XMP (MD5 GUID and all)."""
    from .test_jpeg import big_record

    record = big_record()
    path = tmp_path / "big.jpg"
    path.write_bytes(jpeg.embed(tiny_jpeg(), record))
    seen = exiftool.read(path)
    assert "ExifTool:Warning" not in seen
    assert seen["XMP-photoshop:Headline"] == "Izium after the retreat"
    media = seen["XMP-schema:AssociatedMedia"]  # from the extended packet
    assert [m["Sha256"] for m in media] == [m["sha256"] for m in record["associatedMedia"]]


def test_a_local_capture_time_is_an_xmp_date_without_a_zone(exiftool: ExifTool, tmp_path: Path) -> None:
    """A date-time without a UTC offset (EXIF's usual capture time, kept as a local EDTF value)
    is photoshop:DateCreated without a zone; ExifTool reads it, and so does warphoto."""
    record = {
        "@context": "https://w3id.org/warphoto/context.jsonld",
        "@id": "https://example.org/photo-local",
        "@type": ["ImageObject", "Photograph"],
        "dateCreated": {"@value": "2003-12-04T06:46:52", "@type": "edtf:EDTF"},
    }
    path = tmp_path / "local.xmp"
    path.write_text(xmp.dumps(record), encoding="utf-8")
    assert exiftool.read(path)["XMP-photoshop:DateCreated"] == "2003:12:04 06:46:52"
    assert xmp.loads(path.read_bytes()) == record
