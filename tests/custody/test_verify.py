"""warphoto.verify: files re-hashed, found as documented; bags checked with bagit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import warphoto
from tests.conftest import REFERENCE, need, need_module
from tests.custody.conftest import NAMES, flip_byte
from warphoto.custody.fixity import HARD_BINDING_CHECKS, FileCheck, verify_path
from warphoto.imagefile.c2pa_binding import c2pa_binding_problem


def statuses(path: Path, **kwargs: object) -> dict[str | None, str]:
    [check] = warphoto.verify(path, **kwargs)  # type: ignore[arg-type]
    assert check.error is None, check.error
    return {f.name: f.status for f in check.files}


def test_intact_files_are_intact(photos: Path) -> None:
    [check] = warphoto.verify(photos)
    assert check.status == "intact" and check.records == 3
    assert {f.name: f.status for f in check.files} == dict.fromkeys(NAMES, "intact")
    for file in check.files:
        assert isinstance(file, FileCheck) and file.actual_sha256 == file.sha256 and file.found


def test_a_flipped_byte_is_changed_and_a_deleted_file_missing(photos: Path) -> None:
    flip_byte(photos.parent / "XMP.jpg")
    (photos.parent / "MWG.jpg").unlink()
    [check] = warphoto.verify(photos)
    assert check.status == "changed"
    found = {f.name: f for f in check.files}
    assert found["Nikon.jpg"].status == "intact"
    assert found["XMP.jpg"].status == "changed" and found["XMP.jpg"].actual_sha256 != found["XMP.jpg"].sha256
    assert found["MWG.jpg"].status == "missing" and found["MWG.jpg"].found is None


def test_a_changed_size_alone_is_changed(photos: Path) -> None:
    document = json.loads(photos.read_text(encoding="utf-8"))
    document["@graph"][0]["associatedMedia"][0]["contentSize"] += 1
    photos.write_text(json.dumps(document), encoding="utf-8")
    assert statuses(photos)["Nikon.jpg"] == "changed"


def test_files_are_looked_for_in_the_documented_order(photos: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for name in NAMES:
        shutil.move(photos.parent / name, elsewhere / name)
    assert set(statuses(photos).values()) == {"missing"}
    assert set(statuses(photos, files=elsewhere).values()) == {"intact"}
    # a file: contentUrl comes first: pointing it at a different file makes that one changed
    document = json.loads(photos.read_text(encoding="utf-8"))
    document["@graph"][0]["associatedMedia"][0]["contentUrl"] = (elsewhere / "XMP.jpg").as_uri()
    photos.write_text(json.dumps(document), encoding="utf-8")
    assert statuses(photos, files=elsewhere)["Nikon.jpg"] == "changed"


def test_json_lines_are_read(photos: Path) -> None:
    document = json.loads(photos.read_text(encoding="utf-8"))
    lines = photos.with_suffix(".jsonl")
    lines.write_text(
        "".join(json.dumps({"@context": document["@context"], **r}) + "\n" for r in document["@graph"]),
        encoding="utf-8",
    )
    flip_byte(photos.parent / "Nikon.jpg")
    assert statuses(lines) == {"Nikon.jpg": "changed", "XMP.jpg": "intact", "MWG.jpg": "intact"}


def test_an_unreadable_input_is_reported_not_raised(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonld"
    broken.write_text("{not json", encoding="utf-8")
    check = verify_path(broken)
    assert check.status == "unreadable" and check.error


def test_the_hard_binding_hook_makes_an_intact_file_changed(
    photos: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks = [lambda path: "C2PA hard binding does not match" if path.name == "XMP.jpg" else None]
    monkeypatch.setattr("warphoto.custody.fixity.HARD_BINDING_CHECKS", hooks)
    found = {f.name: f for f in warphoto.verify(photos)[0].files}
    assert found["XMP.jpg"].status == "changed" and "C2PA" in found["XMP.jpg"].message
    assert found["Nikon.jpg"].status == "intact"
    assert [c2pa_binding_problem] == HARD_BINDING_CHECKS  # the module's own list is untouched


def test_a_bag_is_verified(photos: Path, tmp_path: Path) -> None:
    need_module("bagit")
    bag = tmp_path / "bag"
    warphoto.bag(photos, bag)
    [check] = warphoto.verify(bag)
    assert check.status == "intact" and {f.name for f in check.files} == set(NAMES)
    flip_byte(bag / "data" / "XMP.jpg")
    [check] = warphoto.verify(bag)
    assert check.status == "changed"
    assert any(f.status == "changed" and f.message.startswith("bag: ") for f in check.files)
    assert {f.name: f.status for f in check.files if not f.message.startswith("bag: ")}[
        "XMP.jpg"
    ] == "changed"


def test_a_damaged_bag_names_every_file(photos: Path, tmp_path: Path) -> None:
    need_module("bagit")
    bag = tmp_path / "bag"
    warphoto.bag(photos, bag)
    flip_byte(bag / "data" / "XMP.jpg")
    (bag / "data" / "MWG.jpg").unlink()
    (bag / "data" / "extra.txt").write_text("not in the manifest", encoding="utf-8")
    [check] = warphoto.verify(bag)
    manifest = {f.name: f.status for f in check.files if f.message.startswith("bag: ")}
    assert manifest["XMP.jpg"] == "changed" and manifest["MWG.jpg"] == "missing"
    assert manifest["extra.txt"] == "changed" and manifest["(bag)"] == "changed"  # Payload-Oxum
    records = {f.name: f.status for f in check.files if not f.message.startswith("bag: ")}
    assert records == {"Nikon.jpg": "intact", "XMP.jpg": "changed", "MWG.jpg": "missing"}


def test_in_a_bag_the_files_are_those_in_data(photos: Path, tmp_path: Path) -> None:
    need_module("bagit")
    document = json.loads(photos.read_text(encoding="utf-8"))
    for node in document["@graph"]:
        node["associatedMedia"][0]["contentUrl"] = (
            photos.parent / node["associatedMedia"][0]["fileName"]
        ).as_uri()
    photos.write_text(json.dumps(document), encoding="utf-8")
    bag = tmp_path / "bag"
    warphoto.bag(photos, bag)
    flip_byte(photos.parent / "Nikon.jpg")  # the original changes after delivery: the bag is still intact
    assert warphoto.verify(bag)[0].status == "intact"
    assert statuses(photos)["Nikon.jpg"] == "changed"  # outside the bag the file: contentUrl comes first


def test_a_file_whose_c2pa_manifest_no_longer_validates_is_changed(tmp_path: Path) -> None:
    """The C2PA fixtures: a signed file verifies intact, a tampered one (its hash as the record
    says, its manifest broken) is changed, and says why; checked by c2pa-python."""
    need_module("c2pa")
    fixtures = REFERENCE / "c2pa"
    need(fixtures.is_dir(), f"the C2PA fixtures {fixtures}")
    folder = tmp_path / "signed"
    folder.mkdir()
    records = []
    for name in ("CA.jpg", "E-uri-CA.jpg", "no_manifest.jpg"):
        shutil.copyfile(fixtures / name, folder / name)
        records.append(warphoto.ingest(folder / name))
    warphoto.write(warphoto.collect(records), folder / "photos.jsonld")
    found = {f.name: f for f in warphoto.verify(folder / "photos.jsonld")[0].files}
    assert found["CA.jpg"].status == "intact"
    assert found["no_manifest.jpg"].status == "intact"
    assert found["E-uri-CA.jpg"].status == "changed"
    message = found["E-uri-CA.jpg"].message
    assert "C2PA" in message and "assertion.hashedURI.mismatch" in message
