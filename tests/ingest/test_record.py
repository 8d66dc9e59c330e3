"""``warphoto.ingest(path)``: an image file -> a valid Photograph record, with its fixity and a
provenance step; IIM on the keys of its IPTC XMP equivalents; MWG's choice; every disagreement in
``issues``; and ``warphoto ingest`` on the command line."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

import warphoto
from warphoto.validation import Issue

from ..exiftool import ExifTool
from ..test_cli import run
from .images import tiny_jpeg, tiny_png


def _photo(tmp_path: Path, exiftool: ExifTool | None, *tags: str, name: str = "photo.jpg") -> Path:
    path = tmp_path / name
    path.write_bytes(tiny_jpeg())
    if tags and exiftool is not None:
        exiftool.run("-overwrite_original", "-charset", "UTF8", *tags, str(path))
    return path


def test_an_image_without_metadata_gives_a_record_with_its_fixity(tmp_path: Path) -> None:
    path = _photo(tmp_path, None)
    before = path.read_bytes()
    record = warphoto.ingest(path)
    warphoto.validate(record)
    assert path.read_bytes() == before  # never written
    media = record["associatedMedia"][0]
    assert media["sha256"] == hashlib.sha256(before).hexdigest()
    assert media["contentSize"] == len(before) and media["fileName"] == "photo.jpg"
    assert media["encodingFormat"] == "image/jpeg" and media["width"] >= 1
    step = record["provenance"][0]
    assert step["@type"] == "Activity" and step["used"] == [media["@id"]]
    assert f"warphoto {warphoto.__version__}" in step["description"]["en"]
    assert step["endedAtTime"]["@type"] == "xsd:dateTime"
    assert warphoto.ingest(path)["@id"] == record["@id"]  # the id follows the content


def test_an_iim_only_file_maps_to_the_keys_of_the_iptc_xmp_properties(
    tmp_path: Path, exiftool: ExifTool
) -> None:
    path = _photo(
        tmp_path,
        exiftool,
        "-IPTC:CodedCharacterSet=UTF8", "-IPTC:Caption-Abstract=Київ, ракетний удар",
        "-IPTC:By-line=A. Stringer",
        "-IPTC:Headline=Strike", "-IPTC:Credit=Agency", "-IPTC:Source=Agency photo", "-IPTC:City=Kyiv",
        "-IPTC:Country-PrimaryLocationName=Ukraine", "-IPTC:Country-PrimaryLocationCode=UKR",
        "-IPTC:Keywords=war", "-IPTC:Keywords=Kyiv", "-IPTC:ObjectName=KYIV-01",
        "-IPTC:SpecialInstructions=none",
        "-IPTC:OriginalTransmissionReference=job-7", "-IPTC:CopyrightNotice=(c) Agency",
        "-IPTC:DateCreated=2022:10:10", "-IPTC:TimeCreated=08:18:00+03:00", "-IPTC:Writer-Editor=Desk",
    )  # fmt: skip
    record = warphoto.ingest(path)
    warphoto.validate(record)
    assert list(record["caption"].values()) == ["Київ, ракетний удар"]
    assert record["creator"][0]["name"] == {"und": "A. Stringer"}
    assert list(record["keywords"].values()) == [["war", "Kyiv"]]
    assert record["creditText"] == "Agency" and record["source"] == "Agency photo"
    assert record["legacyCity"] == "Kyiv" and record["legacyCountry"] == "Ukraine"
    assert record["legacyCountryCode"] == "UKR" and record["jobId"] == "job-7"
    assert record["instructions"] == "none" and record["editor"] == "Desk"
    assert list(record["title"].values()) == ["KYIV-01"]
    assert list(record["headline"].values()) == ["Strike"]
    assert list(record["copyrightNotice"].values()) == ["(c) Agency"]
    assert record["dateCreated"] == {"@value": "2022-10-10T08:18:00+03:00", "@type": "xsd:dateTime"}


def test_exif_goes_to_exif_data_and_a_time_without_offset_stays_local(
    tmp_path: Path, exiftool: ExifTool
) -> None:
    path = _photo(
        tmp_path,
        exiftool,
        "-EXIF:Make=Canon", "-EXIF:Model=EOS R5", "-EXIF:LensModel=RF24-70mm", "-EXIF:SerialNumber=123",
        "-EXIF:DateTimeOriginal=2022:09:21 14:05:10", "-EXIF:SubSecTimeOriginal=25", "-EXIF:FNumber=5.6",
        "-EXIF:ExposureTime=0.004", "-EXIF:ISO=400", "-EXIF:FocalLength=35", "-EXIF:Orientation#=6",
        "-GPS:GPSLatitude=49.2", "-GPS:GPSLatitudeRef=N", "-GPS:GPSLongitude=37.25", "-GPS:GPSLongitudeRef=E",
        "-EXIF:Artist=A; B", "-EXIF:Copyright=(c) A",
    )  # fmt: skip
    record = warphoto.ingest(path)
    warphoto.validate(record)
    exif = {p["propertyID"]: p["value"] for p in record["exifData"]}
    assert exif["Make"] == "Canon" and exif["Model"] == "EOS R5" and exif["LensModel"] == "RF24-70mm"
    assert exif["SerialNumber"] == "123" and exif["Orientation"] == 6 and exif["ISO"] == 400
    assert exif["FNumber"] == 5.6 and exif["ExposureTime"] == 0.004 and exif["FocalLength"] == 35
    assert exif["DateTimeOriginal"] == "2022-09-21T14:05:10.25"  # as EXIF says: local, with its fraction
    assert record["dateCreated"] == {"@value": "2022-09-21T14:05:10", "@type": "edtf:EDTF"}
    assert exif["GPSLatitude"] == pytest.approx(49.2) and exif["GPSLongitude"] == pytest.approx(37.25)
    assert record["locationCreated"]["geo"]["latitude"] == pytest.approx(49.2)
    assert [c["name"]["und"] for c in record["creator"]] == ["A", "B"]  # MWG: "; " separates
    assert list(record["copyrightNotice"].values()) == ["(c) A"]


CONFLICT = (
    "-EXIF:ImageDescription=EXIF caption", "-IPTC:Caption-Abstract=IIM caption",
    "-XMP-dc:Description=XMP caption", "-IPTC:By-line=IIM creator", "-XMP-dc:Creator=XMP creator",
    "-IPTC:City=Izium", "-XMP-photoshop:City=Izyum", "-IPTC:Headline=IIM headline",
    "-XMP-photoshop:Headline=XMP headline", "-IPTC:CodedCharacterSet=UTF8",
)  # fmt: skip


@pytest.mark.parametrize("stale", [False, True])
def test_disagreements_follow_mwg_and_are_reported(tmp_path: Path, exiftool: ExifTool, stale: bool) -> None:
    path = _photo(tmp_path, exiftool, *CONFLICT)
    exiftool.run("-overwrite_original", "-Photoshop:IPTCDigest=new", str(path))
    if stale:
        exiftool.run("-overwrite_original", "-IPTC:City=Kharkiv", "-IPTC:Headline=Changed", str(path))
    issues: list[Issue] = []
    record = warphoto.ingest(path, issues=issues)
    warphoto.validate(record)
    assert list(record["caption"].values()) == ["EXIF caption"]  # EXIF first
    assert record["legacyCity"] == ("Kharkiv" if stale else "Izyum")
    assert list(record["headline"].values()) == (["Changed"] if stale else ["XMP headline"])
    said = {(i.path, i.rule) for i in issues}
    assert ("description", "ingest-conflict") in said and ("city", "ingest-conflict") in said
    assert ("headline", "ingest-conflict") in said


def test_a_sidecar_is_read_and_its_disagreement_reported(tmp_path: Path, exiftool: ExifTool) -> None:
    path = _photo(tmp_path, exiftool, "-XMP-dc:Description=embedded caption")
    sidecar = tmp_path / "photo.jpg.xmp"
    exiftool.run("-o", str(sidecar), str(path))  # the embedded packet, then changed in the sidecar
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("embedded", "sidecar"), encoding="utf-8")
    issues: list[Issue] = []
    record = warphoto.ingest(path, issues=issues)
    assert list(record["caption"].values()) == ["sidecar caption"]
    assert any(i.rule == "ingest-sidecar" and "sidecar caption" in i.message for i in issues), issues
    assert list(warphoto.ingest(path, sidecars=False)["caption"].values()) == ["embedded caption"]


def _collection(path: Path) -> list[dict[str, Any]]:
    graph: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["@graph"]
    return graph


def test_the_command_ingests_files_folders_and_patterns(tmp_path: Path, exiftool: ExifTool) -> None:
    folder = tmp_path / "photos"
    (folder / "sub").mkdir(parents=True)
    _photo(folder, exiftool, "-IPTC:Headline=one", name="a.jpg")
    _photo(folder / "sub", exiftool, "-IPTC:Headline=two", name="b.jpg")
    out = tmp_path / "collection.jsonld"
    result = run("ingest", folder, "-o", out, "-j", "2")
    assert result.returncode == 0, result.stderr
    assert len(_collection(out)) == 2
    assert run("validate", out).returncode == 0
    again = run("ingest", folder, "-o", out)
    assert again.returncode == 2 and "exists" in again.stderr  # never replaced without --force
    records = tmp_path / "records"
    result = run("ingest", str(folder / "**" / "*.jpg"), "--out-dir", records)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in records.iterdir()) == ["a.jpg.jsonld", "b.jpg.jsonld"]


def test_a_run_with_an_unreadable_image_writes_nothing(tmp_path: Path) -> None:
    good = _photo(tmp_path, None, name="good.jpg")
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe1\xff\xff" + b"\0" * 10)
    out = tmp_path / "collection.jsonld"
    result = run("ingest", good, bad, "-o", out, "--format", "json")
    assert result.returncode == 2
    assert not out.exists() and "nothing written" in result.stderr
    report = json.loads(result.stdout)
    assert [f["status"] for f in report["files"]] == ["valid", "unreadable"]


EMBEDDED = {
    "@context": "https://w3id.org/warphoto/context.jsonld",
    "@id": "https://example.org/p/1",
    "@type": ["ImageObject", "Photograph"],
    "caption": {"en": "New caption, Київ"},
    "creator": [
        {"@type": "Person", "name": {"en": "Jane Roe"}},
        {"@type": "Person", "name": {"en": "John; Doe"}},
    ],
    "copyrightNotice": {"en": "(c) 2022 New Owner"},
    "keywords": {"en": ["new", "words"]},
    "legacyCity": "Kharkiv",
}


def _mwg_images() -> list[Path]:
    from .test_exiftool_agreement import IMAGES, IPTC_REFERENCE

    names = ("MWG.jpg", "IPTC.jpg", "Canon.jpg", "PhotoMechanic.jpg", "FotoStation.jpg", "ExifTool.jpg")
    return [*(IMAGES / n for n in names), IPTC_REFERENCE]


@pytest.mark.parametrize("image", _mwg_images(), ids=lambda p: p.name)
def test_after_an_embed_exiftool_use_mwg_reads_the_new_values(
    tmp_path: Path, exiftool: ExifTool, image: Path
) -> None:
    """EXIF and IIM are brought in step (IIM digest updated): MWG readers see the embedded values."""
    if not image.is_file():
        pytest.skip(f"{image} is not here")
    target = tmp_path / image.name
    original = image.read_bytes()
    target.write_bytes(original)
    warphoto.write(EMBEDDED, target)
    from warphoto.formats._jpeg import parse_jpeg

    assert parse_jpeg(target.read_bytes()).tail == parse_jpeg(original).tail  # pixels byte-identical
    out = exiftool.run(
        "-use", "MWG", "-j", "-n", "-charset", "UTF8", "-MWG:Description", "-MWG:Creator", "-MWG:Copyright",
        "-MWG:Keywords", "-MWG:City", "-IPTCDigest", "-CurrentIPTCDigest", str(target),
    )  # fmt: skip
    tags = json.loads(out)[0]
    assert tags["Description"] == "New caption, Київ"
    assert tags["Creator"] == ["Jane Roe", "John; Doe"]
    assert tags["Copyright"] == "(c) 2022 New Owner"
    assert tags["Keywords"] == ["new", "words"] and tags["City"] == "Kharkiv"
    assert tags.get("IPTCDigest") == tags.get("CurrentIPTCDigest")
    record = warphoto.ingest(target)  # and ingest reads back what was embedded
    assert list(record["caption"].values()) == ["New caption, Київ"]


def test_the_command_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    from ..test_cli import _run_on_a_terminal

    folder = tmp_path / "photos"
    folder.mkdir()
    for number in range(12):
        _photo(folder, None, name=f"p{number:02}.jpg")
    out = tmp_path / "c.jsonld"
    status, shown = _run_on_a_terminal(["ingest", str(folder), "-o", str(out), "-j", "1"], {})
    assert status == 0, shown
    assert "12/12 files" in shown and "ingest" in shown
    graph = _collection(out)
    assert len(graph) == 12 and len({r["@id"] for r in graph}) == 12  # one content, twelve ids


def test_a_broken_xmp_packet_is_said_and_the_rest_still_read(tmp_path: Path, exiftool: ExifTool) -> None:
    from ..jpeg_bytes import segment

    path = _photo(tmp_path, exiftool, "-IPTC:Headline=from the IIM")
    data = path.read_bytes()
    broken = segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><rdf:RDF>not closed")
    path.write_bytes(data[:2] + broken + data[2:])
    issues: list[Issue] = []
    record = warphoto.ingest(path, issues=issues)
    warphoto.validate(record)
    assert list(record["headline"].values()) == ["from the IIM"]
    assert any(i.rule == "ingest-read" and "XMP cannot be read" in i.message for i in issues)


def test_inspect_ingests_an_image_and_says_how_its_forms_disagree(tmp_path: Path, exiftool: ExifTool) -> None:
    path = _photo(tmp_path, exiftool, *CONFLICT)
    result = run("inspect", "--ingest", path)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert list(record["caption"].values()) == ["EXIF caption"]
    assert "description: the sources disagree" in result.stderr
    png = tmp_path / "photo.png"
    png.write_bytes(tiny_png())
    summary = run("inspect", png, "--summary")  # an image other than JPEG: ingested by default
    assert summary.returncode == 0, summary.stderr
    assert "(image, ingested)" in summary.stdout and "files:" in summary.stdout
