"""The verify and bag commands, run as the installed `warphoto` command."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from lxml import etree

from tests.conftest import need_module
from tests.custody.conftest import flip_byte
from tests.test_cli import DATA, run


def test_verify_reports_a_changed_and_a_missing_file_and_exits_1(photos: Path) -> None:
    folder = photos.parent
    flip_byte(folder / "XMP.jpg")
    (folder / "MWG.jpg").unlink()
    result = run("verify", photos)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert any("XMP.jpg: changed: SHA-256 is" in line for line in lines)
    assert any("MWG.jpg: missing: not found" in line for line in lines)
    assert lines[-1] == "1 input checked (3 files): 1 intact, 1 changed, 1 missing, 0 unreadable"

    report = json.loads(run("verify", photos, "--format", "json").stdout)
    assert report["intact"] is False
    assert report["summary"] == {
        "inputs": 1,
        "records": 3,
        "files": 3,
        "intact": 1,
        "changed": 1,
        "missing": 1,
        "unreadable": 0,
    }
    assert {f["name"]: f["status"] for f in report["inputs"][0]["files"]} == {
        "Nikon.jpg": "intact",
        "XMP.jpg": "changed",
        "MWG.jpg": "missing",
    }

    junit_text = run("verify", photos, "--format", "junit").stdout
    schema = etree.XMLSchema(etree.parse(str(DATA / "junit.xsd")))
    assert schema.validate(etree.fromstring(junit_text.encode("utf-8"))), schema.error_log
    junit = ET.fromstring(junit_text)
    suite = junit.find("testsuite")
    assert suite is not None and suite.get("tests") == "3" and suite.get("failures") == "2"
    assert len(junit.findall(".//failure")) == 2

    github = run("verify", photos, "--format", "github").stdout.splitlines()
    assert sum(line.startswith("::error file=") for line in github) == 2
    assert any("title=warphoto verify%3A missing" in line for line in github)


def test_verify_of_intact_files_and_of_an_intact_bag_exits_0(photos: Path, tmp_path: Path) -> None:
    need_module("bagit")
    assert run("verify", photos).returncode == 0
    made = run("bag", photos, "-o", tmp_path / "bag", "--source-organization", "Example Archive")
    assert made.returncode == 0, made.stderr
    result = run("verify", tmp_path / "bag")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("0 changed, 0 missing, 0 unreadable\n")
    flip_byte(tmp_path / "bag" / "data" / "Nikon.jpg")
    assert run("verify", tmp_path / "bag").returncode == 1


def test_verify_of_an_unreadable_input_exits_2(tmp_path: Path) -> None:
    result = run("verify", tmp_path / "nothing.jsonld")
    assert result.returncode == 2 and "unreadable" in result.stdout


def test_verify_record_writes_a_new_file_with_a_verification_step(photos: Path) -> None:
    before = photos.read_bytes()
    flip_byte(photos.parent / "XMP.jpg")
    out = photos.parent / "verified.jsonld"
    result = run("verify", photos, "--record", out)
    assert result.returncode == 1
    assert photos.read_bytes() == before
    document = json.loads(out.read_text(encoding="utf-8"))
    steps = {r["associatedMedia"][0]["fileName"]: r["provenance"][-1] for r in document["@graph"]}
    assert steps["XMP.jpg"]["additionalType"] == ["http://id.loc.gov/vocabulary/preservation/eventType/fix"]
    [used] = steps["XMP.jpg"]["used"]
    assert used["sha256"] != json.loads(before)["@graph"][1]["associatedMedia"][0]["sha256"]
    assert run("validate", out).returncode == 0
    assert run("verify", photos, "--record", out).returncode == 2  # exists: --force
    assert run("verify", photos, "--record", photos).returncode == 2  # never the input


def test_bag_refuses_an_existing_folder_and_writes_nothing_on_refusal(photos: Path, tmp_path: Path) -> None:
    need_module("bagit")
    (tmp_path / "bag").mkdir()
    result = run("bag", photos, "-o", tmp_path / "bag")
    assert result.returncode == 2 and "--force" in result.stderr
    assert list((tmp_path / "bag").iterdir()) == []
    assert run("bag", photos, "-o", tmp_path / "bag", "--force", "--format", "turtle").returncode == 0
    assert (tmp_path / "bag" / "data" / "metadata" / "photos.ttl").is_file()
    assert run("bag", photos, "-o", tmp_path / "other", "--format", "nonsense").returncode == 2
    edm = run("bag", photos, "-o", tmp_path / "other", "--format", "edm")
    assert edm.returncode == 2 and "-O edm.provider=" in edm.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bag", "photos"]


def test_verify_of_a_folder_reads_its_records_not_its_images(photos: Path) -> None:
    result = run("verify", photos.parent)
    assert result.returncode == 0, result.stdout
    assert result.stdout.endswith("1 input checked (3 files): 3 intact, 0 changed, 0 missing, 0 unreadable\n")
