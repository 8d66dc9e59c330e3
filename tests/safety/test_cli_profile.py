"""`warphoto convert --profile`: every format, JSON Lines too, written only from the redacted record."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.safety.secrets import Secrets, secret_collection
from tests.test_cli import run
from warphoto.cli import main
from warphoto.model.graph import standalone_records

SECRETS = Secrets()
EDM = [
    "-O",
    "edm.provider=P",
    "-O",
    "edm.data_provider=D",
    "-O",
    "edm.rights=http://rightsstatements.org/vocab/InC/1.0/",
]


def _all_bytes(folder: Path) -> bytes:
    out = b""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if data.startswith(b"PK"):
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    data = b"".join(archive.read(n) for n in archive.namelist())
            out += path.name.encode() + data
    return out


def _removed_by_public() -> list[str]:
    kinds = SECRETS.by_kind()
    return [t for kind, tokens in kinds.items() if kind != "caption" for t in tokens]


def test_convert_all_formats_with_the_public_profile(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonld"
    source.write_text(json.dumps(secret_collection()), encoding="utf-8")
    lines = tmp_path / "lines.jsonl"  # one photograph a line, its nodes embedded
    records = standalone_records(secret_collection())
    lines.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    done = run("convert", source, lines, "--to", "all", "--out-dir", out, "--profile", "public", *EDM)
    assert done.returncode == 0, done.stderr
    data = _all_bytes(out)
    assert len(list(out.iterdir())) > 10
    assert [t for t in _removed_by_public() if t.encode() in data] == []
    assert SECRETS.caption_name.encode() in data  # the public profile names no captions


def test_without_a_profile_the_secrets_are_written(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonld"
    source.write_text(json.dumps(secret_collection()), encoding="utf-8")
    done = run("convert", source, "--to", "jsonld", "-o", tmp_path / "out.jsonld")
    assert done.returncode == 0, done.stderr
    assert SECRETS.serial.encode() in (tmp_path / "out.jsonld").read_bytes()


def test_a_profile_file_and_its_errors(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonld"
    source.write_text(json.dumps(secret_collection()), encoding="utf-8")
    profile = tmp_path / "captions.toml"
    profile.write_text(
        'name = "captions"\naudience = "partners"\nfree_text = ["caption"]\n', encoding="utf-8"
    )
    done = run("convert", source, "--to", "turtle", "-o", tmp_path / "o.ttl", "--profile", profile)
    assert done.returncode == 0, done.stderr
    assert SECRETS.caption_name.encode() not in (tmp_path / "o.ttl").read_bytes()
    profile.write_text('name = "bad"\n\ncoordinates = "blur"\n', encoding="utf-8")
    done = run("convert", source, "--to", "turtle", "-o", tmp_path / "p.ttl", "--profile", profile)
    assert done.returncode == 2
    assert f"{profile}:3: coordinates: must be one of keep, remove, coarsen" in done.stderr
    assert not (tmp_path / "p.ttl").exists()
    done = run("convert", source, "--to", "turtle", "-o", tmp_path / "p.ttl", "--profile", "nosuch")
    assert done.returncode == 2 and "unknown profile" in done.stderr
    assert not (tmp_path / "p.ttl").exists()


def _lines_input(tmp_path: Path) -> Path:
    """A JSON Lines file: the secret photograph, and the example gallery's photographs."""
    gallery = json.loads((Path(__file__).parents[2] / "docs/examples/kharkiv-2022.jsonld").read_text("utf-8"))
    records = standalone_records(secret_collection()) + standalone_records(gallery)
    lines = tmp_path / "lines.jsonl"
    lines.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return lines


def _without_redaction_time(path: Path) -> list[dict[str, object]]:
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    for record in records:
        step = record["provenance"][-1]
        assert step["additionalType"] == ["http://id.loc.gov/vocabulary/preservation/eventType/red"]
        step["startedAtTime"]["@value"] = "(the run's time)"
    return records


def test_profiled_json_lines_stream_and_equal_the_whole_file_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _lines_input(tmp_path)
    streamed, whole = tmp_path / "streamed", tmp_path / "whole"

    def no_whole_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("a profiled JSON Lines conversion to jsonl read the whole file")

    with monkeypatch.context() as patch:  # in process: streaming never reads the input whole
        patch.setattr("warphoto.cli.convert.read_lines", no_whole_read)
        assert (
            main(["convert", str(lines), "--to", "jsonl", "--out-dir", str(streamed), "--profile", "public"])
            == 0
        )
    # turtle is not written a record at a time: this run reads the input whole
    done = run("convert", lines, "--to", "jsonl", "--to", "turtle", "--out-dir", whole, "--profile", "public")
    assert done.returncode == 0, done.stderr
    ours = _without_redaction_time(streamed / "lines.jsonl")
    assert len(ours) > 5 and ours == _without_redaction_time(whole / "lines.jsonl")
    data = (streamed / "lines.jsonl").read_bytes()
    assert [t for t in _removed_by_public() if t.encode() in data] == []
    times = {json.loads(line)["provenance"][-1]["startedAtTime"]["@value"] for line in data.splitlines()}
    assert len(times) == 1  # one redaction time for the run


def test_a_json_lines_record_that_cannot_be_redacted_writes_nothing(tmp_path: Path) -> None:
    lines = _lines_input(tmp_path)
    records = lines.read_text("utf-8").splitlines()
    restricted = json.loads(records[2])
    restricted["accessAudience"] = "archive-only"
    lines.write_text("\n".join([*records[:2], json.dumps(restricted), *records[3:]]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run("convert", lines, "--to", "jsonl", "--out-dir", out, "--profile", "public")
    assert done.returncode != 0
    assert f"record {restricted['@id']}: the record is restricted beyond" in done.stderr
    assert not out.exists() or list(out.iterdir()) == []
