"""warphoto.bag: a BagIt 1.0 bag that the bagit library and bagit.py accept; atomic, refusing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import warphoto
from tests.conftest import need_module, need_tool
from tests.custody.conftest import NAMES, flip_byte


def test_the_bag_is_valid_for_bagit_and_bagit_py(photos: Path, tmp_path: Path) -> None:
    bagit = need_module("bagit")
    target = tmp_path / "out" / "bag"
    done = warphoto.bag(photos, target, source_organization="Example Archive")
    assert done.images == tuple(f"data/{n}" for n in sorted(NAMES))
    assert done.metadata == ("data/metadata/photos.jsonld", "data/metadata/photos.nt")
    bag = bagit.Bag(str(target))
    bag.validate()
    assert bag.version_info == (1, 0)
    assert (target / "bagit.txt").read_text(encoding="utf-8").startswith("BagIt-Version: 1.0\n")
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert bag.info["Source-Organization"] == "Example Archive" and bag.info["Bagging-Date"]
    for name in NAMES:
        assert (target / "data" / name).read_bytes() == (photos.parent / name).read_bytes()
    script = Path(sys.executable).parent / "bagit.py"
    tool = str(script) if script.is_file() else need_tool("bagit.py")
    result = subprocess.run([tool, "--validate", str(target)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stderr
    # and bagit.py sees a damaged one
    flip_byte(target / "data" / "Nikon.jpg")
    result = subprocess.run([tool, "--validate", str(target)], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0


def test_the_records_in_the_bag_get_a_delivery_step(photos: Path, tmp_path: Path) -> None:
    need_module("bagit")
    warphoto.bag(photos, tmp_path / "bag")
    document = warphoto.read(tmp_path / "bag" / "data" / "metadata" / "photos.jsonld")
    original = json.loads(photos.read_text(encoding="utf-8"))
    for before, after in zip(original["@graph"], document["@graph"], strict=True):
        assert after["provenance"][:-1] == before["provenance"]
        step = after["provenance"][-1]
        assert step["additionalType"] == ["http://id.loc.gov/vocabulary/preservation/eventType/pac"]
        assert step["used"] == [before["associatedMedia"][0]["@id"]]
    assert json.loads(photos.read_text(encoding="utf-8")) == original  # the input is not written


def test_more_formats_are_added(photos: Path, tmp_path: Path) -> None:
    need_module("bagit")
    done = warphoto.bag(photos, tmp_path / "bag", metadata_formats=("jsonld", "ntriples", "turtle"))
    assert "data/metadata/photos.ttl" in done.metadata
    assert (tmp_path / "bag" / "data" / "metadata" / "photos.ttl").read_text(encoding="utf-8").strip()


def test_a_refused_run_writes_nothing(photos: Path, tmp_path: Path) -> None:
    need_module("bagit")
    flip_byte(photos.parent / "XMP.jpg")
    with pytest.raises(warphoto.WriteError, match="not intact"):
        warphoto.bag(photos, tmp_path / "bag")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos"]


def test_an_existing_bag_needs_force(photos: Path, tmp_path: Path) -> None:
    need_module("bagit")
    target = tmp_path / "bag"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(warphoto.WriteError, match="exists"):
        warphoto.bag(photos, target)
    assert (target / "keep.txt").read_text(encoding="utf-8") == "mine"
    warphoto.bag(photos, target, force=True)
    assert not (target / "keep.txt").exists() and (target / "bagit.txt").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bag", "photos"]  # no temporary folder left
    shutil.rmtree(target)


def test_an_invalid_record_refuses_the_bag(photos: Path, tmp_path: Path) -> None:
    need_module("bagit")
    document = json.loads(photos.read_text(encoding="utf-8"))
    document["@graph"][0]["captoin"] = "a typo"
    photos.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(warphoto.ValidationError, match="captoin"):
        warphoto.bag(photos, tmp_path / "bag")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos"]


def test_a_failed_run_leaves_no_folder_it_made(photos: Path, tmp_path: Path) -> None:
    need_module("bagit")
    with pytest.raises(warphoto.ValidationError):
        document = json.loads(photos.read_text(encoding="utf-8"))
        document["@graph"][0]["captoin"] = "a typo"
        photos.write_text(json.dumps(document), encoding="utf-8")
        warphoto.bag(photos, tmp_path / "new" / "deeper" / "bag")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos"]


def test_without_bagit_a_clear_error(photos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "bagit", None)
    with pytest.raises(warphoto.WriteError, match=r"pip install 'warphoto\[bagit\]'"):
        warphoto.bag(photos, tmp_path / "bag")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos"]
    (tmp_path / "fake").mkdir()
    (tmp_path / "fake" / "bagit.txt").write_text("BagIt-Version: 1.0\n", encoding="utf-8")
    [check] = warphoto.verify(tmp_path / "fake")
    assert check.status == "unreadable" and "warphoto[bagit]" in (check.error or "")
