"""C2PA Content Credentials read into provenance: c2pa-python's own JSON is the referee for every
fixture of ``../shared/reference/c2pa`` (actions, claim generator, signer, validation outcome);
damaged stores and lying JUMBF lengths end in an issue or a ``ReadError``, never a crash."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

import warphoto
from tests.conftest import need_tool
from warphoto.errors import ReadError
from warphoto.imagefile import c2pa as c2pa_module
from warphoto.imagefile.c2pa_reader import OFFLINE
from warphoto.validation import Issue

from ..conftest import need_module

SIGNED = ("C.jpg", "CA.jpg", "CACA.jpg", "CA_ct.jpg", "E-sig-CA.jpg", "E-uri-CA.jpg")


@pytest.fixture
def c2pa_dir(reference_dir: Path) -> Path:
    need_module("c2pa")
    return reference_dir / "c2pa"


def _referee(path: Path) -> dict[str, Any]:
    """c2pa-python's own report, offline."""
    c2pa = need_module("c2pa")
    reader = c2pa.Reader(str(path), context=c2pa.Context.from_dict(OFFLINE))
    try:
        report: dict[str, Any] = json.loads(reader.json())
    finally:
        reader.close()
    return report


def _ingest(path: Path) -> tuple[dict[str, Any], list[Issue]]:
    issues: list[Issue] = []
    record = warphoto.ingest(path, issues=issues, sidecars=False)
    warphoto.validate(record)
    return record, issues


def _steps(record: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    steps = [s for s in record["provenance"] if str(s.get("prov:type", "")).startswith("c2pa.")]
    if kind == "claim":
        return [s for s in steps if s["prov:type"] == "c2pa.claim"]
    if kind == "action":
        return [s for s in steps if s["prov:type"] != "c2pa.claim"]
    return steps


def _c2pa_issues(issues: list[Issue]) -> list[str]:
    return [i.message for i in issues if i.rule == "ingest-c2pa"]


@pytest.mark.parametrize("name", SIGNED)
def test_the_record_names_what_c2pa_python_reads(c2pa_dir: Path, name: str) -> None:
    path = c2pa_dir / name
    reference = _referee(path)
    record, issues = _ingest(path)
    manifests = reference["manifests"]
    expected_actions = sorted(
        action["action"]
        for manifest in manifests.values()
        for assertion in manifest["assertions"]
        if assertion["label"].startswith("c2pa.actions")
        for action in assertion["data"]["actions"]
    )
    assert sorted(s["prov:type"] for s in _steps(record, "action")) == expected_actions
    claims = _steps(record, "claim")
    assert len(claims) == len(manifests)
    # the active manifest is the last C2PA step, right before warphoto's own ingest step
    assert record["provenance"][len(_steps(record)) - 1] is claims[-1]
    assert reference["active_manifest"] in claims[-1]["description"]["en"]
    for claim, (label, manifest) in zip(
        claims,
        sorted(manifests.items(), key=lambda item: item[0] == reference["active_manifest"]),
        strict=True,
    ):
        agents = {a["schema:roleName"]: a for a in claim["prov:wasAssociatedWith"]}
        generator = agents["claim generator"]["schema:name"]
        if "claim_generator" in manifest:  # claim v1 (E-sig-CA.jpg: changed after signing, as read)
            assert generator == manifest["claim_generator"]
        else:  # claim v2: claim_generator_info alone
            for info in manifest["claim_generator_info"]:
                assert f"{info['name']} {info['version']}" in generator
        signature = manifest["signature_info"]
        assert agents["signer"]["schema:name"] == signature["common_name"]
        assert agents["signer"]["schema:issuedBy"]["schema:name"] == signature["issuer"]
        if signature.get("time"):
            assert claim["endedAtTime"]["@value"] == signature["time"]
        else:
            assert "endedAtTime" not in claim and "no trusted signing time" in claim["description"]["en"]
        assert label in claim["description"]["en"]
        titles = [i["title"] for i in manifest.get("ingredients", [])]
        assert [u["fileName"] for u in claim.get("used", [])] == titles
    failures = {f["code"] for f in reference["validation_results"]["activeManifest"]["failure"]}
    stated = claims[-1]["description"]["en"]
    assert all(code in stated for code in failures)
    informational = {f["code"] for f in reference["validation_results"]["activeManifest"]["informational"]}
    assert informational and all(code in stated.split("informational: ")[1] for code in informational)
    if reference["validation_state"] == "Invalid":
        assert "tampered" in stated
        assert any("tampered" in m for m in _c2pa_issues(issues))
    else:
        assert reference["validation_state"] == "Valid" and "tampered" not in stated
        assert "valid, signer untrusted" in stated and not _c2pa_issues(issues)


def test_the_tampered_fixtures_read_as_tampered(c2pa_dir: Path) -> None:
    """Both ways of breaking CA.jpg (its claim, one of its assertions) are said, with their codes."""
    for name, code in (
        ("E-sig-CA.jpg", "claimSignature.mismatch"),
        ("E-uri-CA.jpg", "assertion.hashedURI.mismatch"),
    ):
        record, issues = _ingest(c2pa_dir / name)
        assert code in _steps(record, "claim")[-1]["description"]["en"]
        assert any(code in m for m in _c2pa_issues(issues))


def test_the_active_manifest_gives_derivation_author_and_source_type(c2pa_dir: Path) -> None:
    created, _ = _ingest(c2pa_dir / "C.jpg")
    action = _steps(created, "action")[0]
    assert action["prov:wasAssociatedWith"] == [
        {"@type": "prov:SoftwareAgent", "schema:name": "Make Test Images 0.33.1"}
    ]
    source = "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"
    assert action["schema:digitalSourceType"] == {"@id": source} and created["digitalSourceType"] == source
    assert created["creator"] == [{"@type": "Person", "name": {"und": "John Doe"}}]
    assert "prov:wasDerivedFrom" not in created  # created, from no ingredient
    opened, _ = _ingest(c2pa_dir / "CA.jpg")
    parent = _steps(opened, "claim")[-1]["used"][0]
    assert parent["fileName"] == "A.jpg" and opened["prov:wasDerivedFrom"] == [{"@id": parent["@id"]}]


@pytest.mark.parametrize("name", ["no_manifest.jpg", "libpng-test.png"])
def test_no_manifest_no_c2pa_provenance(c2pa_dir: Path, name: str) -> None:
    record, issues = _ingest(c2pa_dir / name)
    assert not _steps(record) and not _c2pa_issues(issues) and "prov:wasDerivedFrom" not in record


def test_a_remote_manifest_is_reported_not_fetched(c2pa_dir: Path) -> None:
    url = "https://cai-manifests.adobe.com/manifests/adobe-urn-uuid-5f37e182-3687-462e-a7fb-573462780391"
    record, issues = _ingest(c2pa_dir / "cloud.jpg")
    assert not _steps(record) and record["prov:has_provenance"] == {"@id": url}
    assert any("remote URL" in m and url in m for m in _c2pa_issues(issues))


def test_prerelease_c2pa_is_an_issue_and_the_rest_is_read(c2pa_dir: Path) -> None:
    record, issues = _ingest(c2pa_dir / "prerelease.jpg")
    assert not _steps(record) and record["associatedMedia"][0]["width"] > 0
    assert any("prerelease" in m for m in _c2pa_issues(issues))


def test_without_c2pa_python_a_manifest_is_said(c2pa_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(c2pa_module, "c2pa_available", lambda: False)
    record, issues = _ingest(c2pa_dir / "CA.jpg")
    assert not _steps(record)
    assert any("c2pa-python is not installed" in m for m in _c2pa_issues(issues))
    _, plain = _ingest(c2pa_dir / "no_manifest.jpg")
    assert not _c2pa_issues(plain)


# hostile variants, built from a fixture's bytes


def _app11(data: bytes) -> int:
    """The offset of the first APP11 (JUMBF) segment's payload."""
    at = data.index(b"\xff\xeb")
    while data[at + 4 : at + 6] != b"JP":
        at = data.index(b"\xff\xeb", at + 1)
    return at + 4


def _variant(tmp_path: Path, data: bytes, name: str = "hostile.jpg") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _same_image(record: dict[str, Any], clean: dict[str, Any]) -> None:
    for key in ("width", "height", "encodingFormat"):
        assert record["associatedMedia"][0][key] == clean["associatedMedia"][0][key]


def test_a_lying_jumbf_length_is_an_issue(c2pa_dir: Path, tmp_path: Path) -> None:
    data = bytearray((c2pa_dir / "CA.jpg").read_bytes())
    box = _app11(bytes(data)) + 8
    data[box : box + 4] = struct.pack(">I", 0x7FFFFFF0)
    record, issues = _ingest(_variant(tmp_path, bytes(data)))
    assert not _steps(record)
    assert any("damaged" in m and "claims 2147483632 bytes" in m for m in _c2pa_issues(issues))
    _same_image(record, _ingest(c2pa_dir / "CA.jpg")[0])


def test_a_box_that_is_not_jumbf_is_an_issue(c2pa_dir: Path, tmp_path: Path) -> None:
    data = bytearray((c2pa_dir / "CA.jpg").read_bytes())
    box = _app11(bytes(data)) + 8
    data[box + 4 : box + 8] = b"junk"
    record, issues = _ingest(_variant(tmp_path, bytes(data)))
    assert not _steps(record) and any("not a JUMBF box" in m for m in _c2pa_issues(issues))


@pytest.mark.parametrize("start", [40, 300, 2000, 30000])
def test_a_damaged_manifest_store_is_an_issue_or_tampered(c2pa_dir: Path, tmp_path: Path, start: int) -> None:
    """Bytes zeroed inside the store (the JPEG segments intact): c2pa-python refuses it or finds it broken."""
    data = bytearray((c2pa_dir / "CA.jpg").read_bytes())
    at = _app11(bytes(data)) + start
    data[at : at + 64] = bytes(64)
    record, issues = _ingest(_variant(tmp_path, bytes(data)))
    said = _c2pa_issues(issues)
    assert said, "a damaged store must be said"
    claims = _steps(record, "claim")
    if claims:
        assert "tampered" in claims[-1]["description"]["en"]
    _same_image(record, _ingest(c2pa_dir / "CA.jpg")[0])


def test_a_jpeg_cut_inside_its_manifest_is_a_read_error(c2pa_dir: Path, tmp_path: Path) -> None:
    data = (c2pa_dir / "CA.jpg").read_bytes()
    with pytest.raises(ReadError):
        warphoto.ingest(_variant(tmp_path, data[: _app11(data) + 5000]))


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(body, zlib.crc32(kind)))


def test_a_png_cabx_chunk_with_a_lying_length_is_an_issue(c2pa_dir: Path, tmp_path: Path) -> None:
    data = (c2pa_dir / "libpng-test.png").read_bytes()
    ihdr_end = 8 + 12 + struct.unpack(">I", data[8:12])[0]
    box = struct.pack(">I", 5000) + b"jumb" + bytes(24)
    hostile = data[:ihdr_end] + _png_chunk(b"caBX", box) + data[ihdr_end:]
    record, issues = _ingest(_variant(tmp_path, hostile, "hostile.png"))
    assert any("claims 5000 bytes" in m for m in _c2pa_issues(issues))
    _same_image(record, _ingest(c2pa_dir / "libpng-test.png")[0])


def test_a_container_not_scanned_here_goes_to_c2pa_python(tmp_path: Path) -> None:
    """A TIFF is not searched for JUMBF here: c2pa-python reads it, and finds no manifest."""
    from .images import tiny_tiff

    need_module("c2pa")
    record, issues = _ingest(_variant(tmp_path, tiny_tiff(), "plain.tif"))
    assert not _steps(record) and not _c2pa_issues(issues)


def test_an_app11_box_of_another_kind_is_not_c2pa(tmp_path: Path) -> None:
    """JPEG XT also writes ``JP`` boxes in APP11: without the C2PA type in a JUMBF description
    box, nothing is said; with it and a lying length, the damage is said."""
    from ..jpeg_bytes import segment, tiny_jpeg

    need_module("c2pa")
    other = b"JP" + b"\x00\x01" + struct.pack(">I", 1) + struct.pack(">I", 16) + b"LCHK" + bytes(8)
    record, issues = _ingest(_variant(tmp_path, tiny_jpeg(segment(0xEB, other)), "xt.jpg"))
    assert not _steps(record) and not _c2pa_issues(issues)
    c2pa_type = bytes.fromhex("6332706100110010800000aa00389b71")
    box = struct.pack(">I", 9000) + b"jumb" + struct.pack(">I", 30) + b"jumd" + c2pa_type + b"\x03c2pa\x00"
    lying = b"JP" + b"\x00\x01" + struct.pack(">I", 1) + box
    record, issues = _ingest(_variant(tmp_path, tiny_jpeg(segment(0xEB, lying)), "lying.jpg"))
    assert any("claims 9000 bytes" in m for m in _c2pa_issues(issues))
    assert record["associatedMedia"][0]["width"] == 8


def test_no_network_socket_is_opened_even_by_the_rust_sdk(c2pa_dir: Path, tmp_path: Path) -> None:
    """pytest-socket blocks Python's sockets only: under strace, ingesting every fixture (the
    remote cloud.jpg too) makes no ``socket``/``connect`` call but for Unix sockets."""
    import subprocess
    import sys

    strace = need_tool("strace")  # c2pa-rs's own sockets are watched from outside; .ci/run installs it
    log = tmp_path / "trace.txt"
    names = sorted(str(p) for p in c2pa_dir.iterdir() if p.suffix in (".jpg", ".png"))
    code = "import sys, warphoto\nfor name in sys.argv[1:]:\n    warphoto.ingest(name, sidecars=False)\n"
    run = subprocess.run(
        [
            strace,
            "-f",
            "-qq",
            "-e",
            "trace=socket,connect",
            "-o",
            str(log),
            sys.executable,
            "-c",
            code,
            *names,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if run.returncode != 0 and "ptrace" in run.stderr:
        pytest.skip(f"strace cannot trace here: {run.stderr.strip()[:200]}")
    assert run.returncode == 0, run.stderr
    calls = [line for line in log.read_text().splitlines() if "AF_UNIX" not in line and "resumed" not in line]
    assert calls == []


def test_action_times_agents_and_ingredient_hashes_take_their_record_form() -> None:
    """What the fixtures lack (``when``, a structured software agent, an ingredient's SHA-256, an
    untrusted-only outcome) in a report shaped as c2pa-python gives it."""
    from warphoto.imagefile.c2pa import apply_store

    digest = "ab" * 32
    manifest = {
        "claim_generator_info": [{"name": "Camera", "version": "2.1"}],
        "signature_info": {"issuer": "Newsroom CA", "common_name": "Desk", "time": "2024-05-01T10:00:05Z"},
        "ingredients": [
            {"title": "raw.dng", "format": "image/x-adobe-dng", "relationship": "parentOf", "hash": digest}
        ],
        "assertions": [
            {
                "label": "c2pa.actions.v2",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "when": "2024-05-01T10:00:00Z",
                            "softwareAgent": {"name": "Cam", "version": "9"},
                        },
                        {"action": "c2pa.edited", "when": "2024-05"},
                        {"action": "c2pa.placed", "when": "not a date"},
                    ]
                },
            }
        ],
    }
    store = {
        "active_manifest": "urn:c2pa:1",
        "manifests": {"urn:c2pa:1": manifest},
        "validation_state": "Valid",
        "validation_results": {"activeManifest": {"failure": [{"code": "signingCredential.untrusted"}]}},
    }
    record: dict[str, Any] = {
        "@context": "https://w3id.org/warphoto/context.jsonld",
        "@id": "urn:uuid:1",
        "@type": ["ImageObject", "Photograph"],
    }
    issues: list[Issue] = []
    apply_store(record, store, issues, "test")
    warphoto.validate(record)
    created, edited, placed, claim = record["provenance"]
    assert created["startedAtTime"] == {"@value": "2024-05-01T10:00:00Z", "@type": "xsd:dateTime"}
    assert created["prov:wasAssociatedWith"][0]["schema:name"] == "Cam 9"
    assert edited["startDate"] == {"@value": "2024-05", "@type": "xsd:gYearMonth"}
    assert "startedAtTime" not in placed and "startDate" not in placed
    assert claim["endedAtTime"]["@value"] == "2024-05-01T10:00:05Z"
    assert claim["prov:wasAssociatedWith"][0]["schema:name"] == "Camera 2.1"
    assert claim["used"][0]["sha256"] == digest and record["prov:wasDerivedFrom"] == [
        {"@id": claim["used"][0]["@id"]}
    ]
    assert "valid, signer untrusted" in claim["description"]["en"] and issues == []
