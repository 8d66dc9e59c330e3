"""JSON Lines in the commands (issue 18 item 6, issue 19 item 4): `validate` and `convert` read a
file a record at a time, so a file over the old 64 MiB bound works, in the memory of its largest
line; issues keep their line and column; an invalid or unreadable input writes nothing.

Every test runs the installed ``warphoto`` command in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.test_cli import DATA, run, valid_photo
from tests.test_cli_usage import run_with_input
from warphoto import io

MIB = 1 << 20
#: the bound the commands used to put on a whole file (warphoto.io.MAX_INPUT_BYTES)
OLD_BOUND = 64 * MIB


def _lines(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)


def _records(count: int, bad: int | None = None) -> list[dict[str, Any]]:
    records = [valid_photo(f"https://example.org/p/{i}", i) for i in range(count)]
    if bad is not None:
        records[bad]["dateCreated"] = {"@value": "2022-13", "@type": "xsd:gYearMonth"}
    return records


@pytest.fixture(scope="module")
def padded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a file of 96 records, each padded with 1 MiB of spaces: 96 MiB, over the old bound; the same
    records compact). Record 90 (line 91) has an impossible month, after its padding."""
    folder = tmp_path_factory.mktemp("padded")
    records = _records(96, bad=90)
    compact = folder / "compact.jsonl"
    compact.write_text(_lines(records), encoding="utf-8")
    big = folder / "big.jsonl"
    pad = " " * MIB
    with big.open("w", encoding="utf-8") as handle:
        for line in _lines(records).splitlines():
            handle.write("{" + pad + line[1:] + "\n")
    assert big.stat().st_size > OLD_BOUND
    return big, compact


def _peak_mib(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the command in a fresh process; its result and its peak resident memory in MiB."""
    from tests.test_cli import COMMAND

    probe = (
        "import resource, subprocess, sys; "
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
        "sys.exit(r.returncode)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(COMMAND), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    *rest, peak = result.stderr.rstrip("\n").split("\n")
    result.stderr = "\n".join(rest)
    return result, int(peak) / 1024


def test_validate_reads_a_file_over_the_old_bound_line_by_line(padded: tuple[Path, Path]) -> None:
    big, _ = padded
    result, peak = _peak_mib("validate", big, "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["records"] == 96
    [issue] = report["files"][0]["issues"]
    line = big.read_text(encoding="utf-8").split("\n")[90]
    assert (issue["line"], issue["column"]) == (91, line.index('"2022-13"') + 1)  # columns count characters
    assert issue["column"] > MIB and issue["path"] == "$.dateCreated.@value"
    assert peak < big.stat().st_size / MIB  # the file is never held whole


def test_convert_streams_a_file_over_the_old_bound(padded: tuple[Path, Path], tmp_path: Path) -> None:
    big, compact = padded
    target = tmp_path / "out.nt"
    result, peak = _peak_mib("convert", big, "--to", "ntriples", "-o", target, "--no-validate")
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == io.dumps(io.read(compact, validate=False), "ntriples")
    assert peak < big.stat().st_size / MIB


def test_a_format_written_whole_reads_the_file_line_by_line(
    padded: tuple[Path, Path], tmp_path: Path
) -> None:
    big, compact = padded
    target = tmp_path / "out.ttl"
    result = run("convert", big, "--to", "turtle", "-o", target, "--no-validate")
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == io.dumps(io.read(compact, validate=False), "turtle")


def test_an_invalid_line_anywhere_writes_nothing(padded: tuple[Path, Path], tmp_path: Path) -> None:
    big, _ = padded
    out = tmp_path / "out"
    result = run("convert", big, "--to", "ntriples,rdfxml,jsonl", "--out-dir", out)
    assert result.returncode == 1
    assert f"{big}:91:" in result.stderr and "not converted: 1 validation issue" in result.stderr
    assert not out.exists() or list(out.iterdir()) == []
    existing = tmp_path / "kept.nt"
    existing.write_text("old\n", encoding="utf-8")
    forced = run("convert", big, "--to", "ntriples", "-o", existing, "--force")
    assert forced.returncode == 1
    assert existing.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["kept.nt"]  # no temporary file left


def test_streamed_outputs_are_what_the_writers_make(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(_lines(_records(40)), encoding="utf-8")
    out = tmp_path / "out"
    result = run("convert", path, "--to", "ntriples,rdfxml,jsonl,jsonld", "--out-dir", out)
    assert result.returncode == 0, result.stderr
    document = io.read(path)
    for name, extension in (
        ("ntriples", ".nt"),
        ("rdfxml", ".rdf"),
        ("jsonl", ".jsonl"),
        ("jsonld", ".jsonld"),
    ):
        assert (out / f"in{extension}").read_text(encoding="utf-8") == io.dumps(document, name)
    etree.parse(str(out / "in.rdf"))  # well-formed: header, records and footer
    result = run("convert", path, "--to", "ntriples", "-o", "-")
    assert result.returncode == 0 and result.stdout == io.dumps(document, "ntriples")


def test_an_unreadable_line_is_an_unreadable_file_and_the_rest_is_checked(tmp_path: Path) -> None:
    text = _lines(_records(5, bad=1)).splitlines()
    text[3] = '{"@id": "https://example.org/p/3",'
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = run("validate", path, "--format", "json")
    assert result.returncode == 2
    [entry] = json.loads(result.stdout)["files"]
    assert entry["status"] == "unreadable"
    assert entry["error"]["line"] == 4 and entry["error"]["message"].startswith("malformed JSON")
    assert [i["line"] for i in entry["issues"]] == [2]
    text_report = run("validate", path)
    assert f"{path}:4:" in text_report.stdout and f"{path}:2:" in text_report.stdout
    converted = run("convert", path, "--to", "ntriples", "-o", tmp_path / "out.nt", "--no-validate")
    assert converted.returncode == 2 and f"{path}:4:" in converted.stderr
    assert not (tmp_path / "out.nt").exists()


def test_every_report_format_and_standard_streams(tmp_path: Path) -> None:
    data = _lines(_records(3, bad=2)).encode("utf-8")
    github = run_with_input("validate", "-", "--from", "jsonl", "--format", "github", data=data)
    assert github.returncode == 1
    assert github.stdout.startswith(b"::error file=<stdin>,line=3,col=")
    junit = run_with_input("validate", "-", "--from", "jsonl", "--format", "junit", data=data)
    schema = etree.XMLSchema(etree.parse(str(DATA / "junit.xsd")))
    assert junit.returncode == 1 and schema.validate(etree.fromstring(junit.stdout))
    refused = run_with_input("convert", "-", "--from", "jsonl", "--to", "ntriples", "-o", "-", data=data)
    assert refused.returncode == 1 and refused.stdout == b""  # nothing on stdout either
    good = _lines(_records(3)).encode("utf-8")
    written = run_with_input("convert", "-", "--from", "jsonl", "--to", "ntriples", "-o", "-", data=good)
    assert written.returncode == 0 and written.stdout.decode("utf-8") == io.dumps(
        io.loads(good, "jsonl"), "ntriples"
    )


def test_many_files_in_workers(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(20):
        records = _records(3, bad=1 if number == 7 else None)
        for record in records:
            record["@id"] += f"/{number}"
        (folder / f"f{number:02}.jsonl").write_text(_lines(records), encoding="utf-8")
    one = run("validate", folder, "-j", "1", "--format", "json")
    two = run("validate", folder, "-j", "2", "--format", "json")
    assert one.returncode == two.returncode == 1
    assert json.loads(one.stdout)["files"] == json.loads(two.stdout)["files"]
    converted = run("convert", folder, "--to", "ntriples", "--out-dir", tmp_path / "out", "-j", "2")
    assert converted.returncode == 1 and "f07.jsonl:2:" in converted.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"f{n:02}.nt" for n in range(20) if n != 7
    ]
