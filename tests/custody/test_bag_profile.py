"""warphoto.bag with a safety profile: redacted copies and redacted records, nothing unredacted out."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

import warphoto
from tests.conftest import need, need_module, need_tool
from tests.custody.conftest import IMAGES, NAMES, collection_of
from tests.safety.test_image import _secret_values, _tags
from tests.test_cli import run
from warphoto.errors import WriteError
from warphoto.formats._jpeg import parse_jpeg

GPS = IMAGES / "GPS.jpg"


@pytest.fixture
def photos_with_secrets(tmp_path: Path) -> Path:
    """The custody fixture's images plus GPS.jpg (coordinates) and Canon.jpg (serial numbers),
    their ingested records in ``photos.jsonld``."""
    need(IMAGES.is_dir(), f"the reference images in {IMAGES}")
    folder = tmp_path / "photos"
    folder.mkdir()
    names = (*NAMES, "GPS.jpg", "Canon.jpg")
    for name in names:
        shutil.copyfile(IMAGES / name, folder / name)
    records = [warphoto.ingest(folder / name) for name in names]
    (folder / "photos.jsonld").write_text(json.dumps(collection_of(records)), encoding="utf-8")
    return folder / "photos.jsonld"


def _bag_bytes(bag: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(bag.rglob("*")) if path.is_file())


def test_a_public_bag_holds_no_removed_value(photos_with_secrets: Path, tmp_path: Path) -> None:
    bagit = need_module("bagit")
    exiftool = need_tool("exiftool")
    folder = photos_with_secrets.parent
    originals = sorted(folder.glob("*.jpg"))
    hashes = {image: hashlib.sha256(image.read_bytes()).hexdigest() for image in originals}
    # what each image's metadata says that the public profile removes (its own: a creator's name
    # that is another image's owner name is kept where it is a creator), and its file name
    secrets = {image: _secret_values(_tags(exiftool, image)) | {image.name} for image in originals}
    assert sum(len(values) for values in secrets.values()) > 2 * len(originals)
    record_text = photos_with_secrets.read_text(encoding="utf-8")
    target = tmp_path / "bag"
    done = warphoto.bag(
        photos_with_secrets, target, profile="public", metadata_formats=("jsonld", "ntriples", "turtle")
    )
    bagit.Bag(str(target)).validate()
    everything = _bag_bytes(target)
    assert sorted(image.name for image in originals if image.name.encode() in everything) == []
    document = warphoto.read(target / "data" / "metadata" / "photos.jsonld")
    by_copy = {record["associatedMedia"][0]["sha256"]: record for record in document["@graph"]}
    tails = {parse_jpeg(image.read_bytes()).tail: image for image in originals}
    assert len(done.images) == len(originals)
    for name in done.images:
        copy = target / name
        assert len(Path(name).stem) == 16  # named by its SHA-256: the file names are removed
        image = tails[parse_jpeg(copy.read_bytes()).tail]  # the image data is the original's
        record = json.dumps(by_copy[hashlib.sha256(copy.read_bytes()).hexdigest()], ensure_ascii=False)
        seen = subprocess.run(
            [exiftool, "-a", "-G1", "-n", str(copy)], capture_output=True, check=True
        ).stdout
        for where in (seen, copy.read_bytes(), record.encode()):
            assert sorted(s for s in secrets[image] if s.encode() in where) == [], image.name
    # the originals and their records are only read
    assert {image: hashlib.sha256(image.read_bytes()).hexdigest() for image in originals} == hashes
    assert photos_with_secrets.read_text(encoding="utf-8") == record_text


def test_the_bagged_records_name_the_copies_and_say_what_was_done(
    photos_with_secrets: Path, tmp_path: Path
) -> None:
    need_module("bagit")
    target = tmp_path / "bag"
    warphoto.bag(photos_with_secrets, target, profile="public")
    document = warphoto.read(target / "data" / "metadata" / "photos.jsonld")
    copies = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (target / "data").glob("*.jpg")}
    for record in document["@graph"]:
        media = record["associatedMedia"][0]
        assert media["sha256"] in copies
        assert media.get("contentSize", len(b"")) in {
            p.stat().st_size for p in (target / "data").glob("*.jpg")
        } | {0}
        *_, delivered, redacted = record["provenance"]
        assert delivered["additionalType"] == ["http://id.loc.gov/vocabulary/preservation/eventType/pac"]
        assert "redacted copies, safety profile public" in json.dumps(delivered)
        assert redacted["additionalType"] == ["http://id.loc.gov/vocabulary/preservation/eventType/red"]
    # verify, as a partner would run it, finds every file of the bag intact
    checks = warphoto.verify(target / "data" / "metadata" / "photos.jsonld", files=target / "data")
    assert [f.status for check in checks for f in check.files] == ["intact"] * len(copies)


def test_a_partner_bag_keeps_file_names(photos_with_secrets: Path, tmp_path: Path) -> None:
    need_module("bagit")
    done = warphoto.bag(photos_with_secrets, tmp_path / "bag", profile="partner")
    assert sorted(Path(n).name for n in done.images) == sorted(
        p.name for p in photos_with_secrets.parent.glob("*.jpg")
    )
    for name in done.images:
        original = photos_with_secrets.parent / Path(name).name
        assert (tmp_path / "bag" / name).read_bytes() != original.read_bytes()  # a redacted copy


def test_an_image_that_cannot_be_redacted_stops_the_bag(tmp_path: Path) -> None:
    need_module("bagit")
    psd = IMAGES / "Photoshop.psd"  # ingest reads a PSD; no redacted copy is made of one
    need(psd.is_file(), f"the reference image {psd}")
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copyfile(psd, folder / psd.name)
    shutil.copyfile(GPS, folder / "GPS.jpg")
    records = [warphoto.ingest(folder / psd.name), warphoto.ingest(folder / "GPS.jpg")]
    (folder / "photos.jsonld").write_text(json.dumps(collection_of(records)), encoding="utf-8")
    with pytest.raises(WriteError, match="redacted copy"):
        warphoto.bag(folder / "photos.jsonld", tmp_path / "bag", profile="public")
    assert not (tmp_path / "bag").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["photos"]  # no half-built bag beside it


def test_the_command_takes_a_profile(photos_with_secrets: Path, tmp_path: Path) -> None:
    need_module("bagit")
    done = run("bag", photos_with_secrets, "-o", tmp_path / "bag", "--profile", "public")
    assert done.returncode == 0, done.stderr
    assert "(safety profile public)" in done.stderr
    wrong = run("bag", photos_with_secrets, "-o", tmp_path / "other", "--profile", "no-such-profile")
    assert wrong.returncode == 2 and "--profile" in wrong.stderr
    assert not (tmp_path / "other").exists()
