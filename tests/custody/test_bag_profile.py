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
from warphoto.custody._copies import record_id
from warphoto.custody.steps import append_step, file_id, make_step
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
    assert done.metadata == (
        "data/metadata/records.jsonld",
        "data/metadata/records.nt",
        "data/metadata/records.ttl",
    )
    document = warphoto.read(target / "data" / "metadata" / "records.jsonld")
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
    # nothing ties a copy to its original: no original's SHA-256 (hex or in an ni: IRI) anywhere
    for digest in hashes.values():
        ni, made = file_id(digest).encode(), record_id(digest).encode()  # ingest's @id: from the hash
        assert digest.encode() not in everything and ni not in everything and made not in everything
    # the originals and their records are only read
    assert {image: hashlib.sha256(image.read_bytes()).hexdigest() for image in originals} == hashes
    assert photos_with_secrets.read_text(encoding="utf-8") == record_text


def test_the_bagged_records_name_the_copies_and_say_what_was_done(
    photos_with_secrets: Path, tmp_path: Path
) -> None:
    need_module("bagit")
    target = tmp_path / "bag"
    warphoto.bag(photos_with_secrets, target, profile="public")
    document = warphoto.read(target / "data" / "metadata" / "records.jsonld")
    copies = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (target / "data").glob("*.jpg")}
    for record in document["@graph"]:
        media = record["associatedMedia"][0]
        assert media["sha256"] in copies and media["@id"] == file_id(media["sha256"])
        assert media.get("contentSize", len(b"")) in {
            p.stat().st_size for p in (target / "data").glob("*.jpg")
        } | {0}
        *_, redacted, delivered = record["provenance"]  # redacted first, then packaged
        assert delivered["additionalType"] == ["http://id.loc.gov/vocabulary/preservation/eventType/pac"]
        assert "redacted copies, safety profile public" in json.dumps(delivered)
        assert redacted["additionalType"] == ["http://id.loc.gov/vocabulary/preservation/eventType/red"]
    # verify, as a partner would run it, finds every file of the bag intact
    checks = warphoto.verify(target / "data" / "metadata" / "records.jsonld", files=target / "data")
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


def test_a_partner_bag_verifies_where_it_was_made(photos_with_secrets: Path, tmp_path: Path) -> None:
    need_module("bagit")
    target = tmp_path / "bag"
    warphoto.bag(photos_with_secrets, target, profile="partner")
    text = (target / "data" / "metadata" / "photos.jsonld").read_text(encoding="utf-8")
    assert "file:" not in text  # the sender's paths do not travel
    checks = warphoto.verify(target / "data" / "metadata" / "photos.jsonld", files=target / "data")
    assert {f.status for check in checks for f in check.files} == {"intact"}


def _restricted_collection(tmp_path: Path, exiftool: str) -> Path:
    """Two photographs: GPS.jpg, with a headline and a person shown in its XMP, whose record
    restricts the headline and the person; Canon.jpg, whose record only the archive may see."""
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copyfile(GPS, folder / "witness.jpg")
    shutil.copyfile(IMAGES / "Canon.jpg", folder / "hidden.jpg")
    subprocess.run(
        [exiftool, "-q", "-overwrite_original", "-XMP-photoshop:Headline=Jane Witness at the checkpoint",
         "-XMP-iptcExt:PersonInImage=Jane Witness", str(folder / "witness.jpg")],
        check=True,
    )  # fmt: skip
    witness, hidden = warphoto.ingest(folder / "witness.jpg"), warphoto.ingest(folder / "hidden.jpg")
    assert "Jane Witness" in json.dumps(witness)
    witness["restrictedField"] = ["headline"]
    for person in witness.get("personShown", []):
        person["accessAudience"] = "archive-only"
    hidden["accessAudience"] = "archive-only"
    (folder / "photos.jsonld").write_text(json.dumps(collection_of([witness, hidden])), encoding="utf-8")
    return folder / "photos.jsonld"


def test_the_records_restrictions_hold_in_the_copies(tmp_path: Path) -> None:
    need_module("bagit")
    exiftool = need_tool("exiftool")
    collection = _restricted_collection(tmp_path, exiftool)
    done = warphoto.bag(collection, tmp_path / "bag", profile="partner")
    # the photograph only the archive may see: neither its record nor its image is delivered
    assert [Path(n).name for n in done.images] == ["witness.jpg"]
    everything = _bag_bytes(tmp_path / "bag")
    assert b"Jane Witness" not in everything  # restricted in the record: gone from the copy too
    seen = subprocess.run(
        [exiftool, "-a", "-G1", str(tmp_path / "bag" / done.images[0])], capture_output=True
    )
    assert b"Jane Witness" not in seen.stdout and b"Headline" not in seen.stdout
    assert (
        parse_jpeg((tmp_path / "bag" / done.images[0]).read_bytes()).tail == parse_jpeg(GPS.read_bytes()).tail
    )


def test_files_of_one_name_are_bagged_when_the_profile_names_them_anew(tmp_path: Path) -> None:
    need_module("bagit")
    paths = []
    for number, image in enumerate(("GPS.jpg", "Canon.jpg"), start=1):
        folder = tmp_path / f"camera{number}"
        folder.mkdir()
        shutil.copyfile(IMAGES / image, folder / "IMG_0001.jpg")
        record = warphoto.ingest(folder / "IMG_0001.jpg")
        (folder / f"informant-{number}.jsonld").write_text(json.dumps(record), encoding="utf-8")
        paths.append(folder / f"informant-{number}.jsonld")
    with pytest.raises(WriteError, match=r"two different files are named IMG_0001\.jpg"):
        warphoto.bag(paths, tmp_path / "named", profile="partner")
    done = warphoto.bag(paths, tmp_path / "bag", profile="public")
    assert len(done.images) == 2
    assert done.metadata == tuple(
        f"data/metadata/{s}.{e}" for s in ("records", "records-2") for e in ("jsonld", "nt")
    )
    assert b"informant" not in _bag_bytes(tmp_path / "bag")


def test_a_file_the_bag_does_not_deliver_is_named_nowhere(tmp_path: Path) -> None:
    """A record's provenance names another file (the master it was cropped from), which is not
    in the bag: its hash goes from the bag's records and from the copy's; the records stay valid."""
    need_module("bagit")
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copyfile(GPS, folder / "crop.jpg")
    master = hashlib.sha256((IMAGES / "Canon.jpg").read_bytes()).hexdigest()
    record = warphoto.ingest(folder / "crop.jpg")
    record = append_step(record, make_step("redaction", [file_id(master)], description="cropped"))
    (folder / "crop.jsonld").write_text(json.dumps(record), encoding="utf-8")
    for profile in ("public", "partner"):
        target = tmp_path / f"bag-{profile}"
        done = warphoto.bag(folder / "crop.jsonld", target, profile=profile)
        everything = _bag_bytes(target)
        assert master.encode() not in everything and file_id(master).encode() not in everything
        delivered = warphoto.read(target / done.metadata[0])
        assert warphoto.is_valid(delivered)


def test_two_records_of_one_image_refuse_a_profiled_bag(tmp_path: Path) -> None:
    need_module("bagit")
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copyfile(GPS, folder / "GPS.jpg")
    first = warphoto.ingest(folder / "GPS.jpg")
    second = {
        **json.loads(json.dumps(first)),
        "@id": "https://example.org/photo/2",
        "headline": {"en": "Another"},
    }
    (folder / "photos.jsonld").write_text(json.dumps(collection_of([first, second])), encoding="utf-8")
    with pytest.raises(WriteError, match="describe one image file"):
        warphoto.bag(folder / "photos.jsonld", tmp_path / "bag", profile="public")
    assert not (tmp_path / "bag").exists()
