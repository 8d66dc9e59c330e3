"""The warphoto command line, run as the installed program in subprocesses.

Every command, every report format, each exit status, a folder of 1,000 records with 3
broken ones, -j 2 against -j 1, an interrupted conversion, progress only on a terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from warphoto import formats, io
from warphoto.cli import build_parser
from warphoto.cli.reports import github_escape_data, github_escape_property

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = REPO / "docs" / "examples" / "kharkiv-2022.jsonld"
CONTEXT = "https://w3id.org/warphoto/context.jsonld"

#: the smallest JPEG there is (1x1, arithmetic coded): enough to carry an APP1 XMP segment
TINY_JPEG = bytes.fromhex(
    "FFD8FFE000104A46494600010101004800480000FFDB004300030202020202030202020303030304060404040404"
    "080606050609080A0A090809090A0C0F0C0A0B0E0B09090D110D0E0F101011100A0C12131210130F101010FFC900"
    "0B080001000101011100FFCC000600101005FFDA0008010100003F00D2CF20FFD9"
)

COMMAND = shutil.which("warphoto", path=str(Path(sys.executable).parent)) or shutil.which("warphoto")


def run(
    *args: str | os.PathLike[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    module: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run the installed command (or ``python -m warphoto``); CI is unset unless ``env`` sets it."""
    if COMMAND is None and not module:
        pytest.fail("the `warphoto` command is not installed: pip install -e '.[test]'")
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update(env or {})
    program = [sys.executable, "-m", "warphoto"] if module else [str(COMMAND)]
    return subprocess.run(
        [*program, *map(str, args)], cwd=cwd, env=environment, capture_output=True, text=True, timeout=600
    )


def photo(ident: str, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"@context": CONTEXT, "@id": ident, "@type": ["ImageObject", "Photograph"]}
    record.update(fields)
    return record


def write_json(path: Path, document: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` in the file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def position_of(path: Path, needle: str) -> tuple[int, int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


def valid_photo(ident: str, number: int) -> dict[str, Any]:
    return photo(
        ident,
        headline={"en": f"Photograph {number}", "uk": f"Фотографія {number}"},
        dateCreated={"@value": "2022-09", "@type": "xsd:gYearMonth"},
        creditText="Example Photographer/Agency",
        keywords={"en": ["war", "Kharkiv region"]},
    )


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[int, str]]]:
    """1,000 records in nested folders, 3 of them broken: {relative path: (line, what)}."""
    root = tmp_path_factory.mktemp("thousand")
    broken: dict[str, tuple[int, str]] = {}
    for number in range(1000):
        folder = root / f"batch-{number // 250}" / ("even" if number % 2 == 0 else "odd")
        record = valid_photo(f"_:p{number}", number)
        if number == 17:
            record["dateCreated"] = {"@value": "2022-13", "@type": "xsd:gYearMonth"}
        elif number == 500:
            record["captoin"] = {"en": "a typo of caption"}
        elif number == 999:
            record["position"] = "first"
        path = write_json(folder / f"photo-{number:04}.jsonld", record)
        if number == 17:
            broken[str(path.relative_to(root))] = (line_of(path, '"2022-13"'), "dateCreated")
        elif number == 500:
            broken[str(path.relative_to(root))] = (line_of(path, '"captoin"'), "captoin")
        elif number == 999:
            broken[str(path.relative_to(root))] = (line_of(path, '"first"'), "position")
    return root, broken


@pytest.fixture
def invalid_file(tmp_path: Path) -> Path:
    return write_json(
        tmp_path / "bad.jsonld",
        photo(
            "https://example.org/photos/bad",
            headline={"en": "Izium"},
            dateCreated={"@value": "2022-02-30", "@type": "xsd:date"},
        ),
    )


@pytest.fixture
def valid_file(tmp_path: Path) -> Path:
    return write_json(tmp_path / "good.jsonld", valid_photo("https://example.org/photos/good", 1))


# --------------------------------------------------------------------------- help, formats, -m


def test_help_of_every_command_has_an_example() -> None:
    top = run("--help")
    assert top.returncode == 0
    assert "example" in top.stdout
    validate = run("validate", "--help")
    assert validate.returncode == 0 and "example" in validate.stdout and "exit status" in validate.stdout
    # the other commands' help, from the same parser without starting a process each
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    expected = {"validate", "convert", "inspect", "embed", "extract", "ingest", "formats", "load", "query"}
    expected |= {"verify", "bag"}
    expected |= {"redact"}
    assert set(commands.choices) == expected
    for name, command in commands.choices.items():
        assert name in top.stdout
        text = command.format_help()
        assert "example" in text and f"warphoto {name}" in text, name


def test_python_m_is_the_same_program() -> None:
    installed, module = run("formats"), run("formats", module=True)
    assert installed.returncode == module.returncode == 0
    assert installed.stdout == module.stdout
    assert run("--version", module=True).stdout.startswith("warphoto ")


def test_formats_lists_the_registry() -> None:
    result = run("formats")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:5] == ["FORMAT", "EXTENSIONS", "READ", "WRITE", "CANNOT"]
    for fmt in formats.all_formats():
        row = next(line for line in lines if line.split()[0] == fmt.name)
        for ext in fmt.extensions:
            assert ext in row
    listing = json.loads(run("formats", "--format", "json").stdout)
    assert {f["name"] for f in listing} == {f.name for f in formats.all_formats()}
    for entry in listing:
        fmt = formats.get(entry["name"])
        assert entry["read"] == fmt.can_read and entry["write"] == fmt.can_write
        assert entry["extensions"] == list(fmt.extensions)
        assert entry["cannot_carry"] == list(fmt.cannot_carry)


# --------------------------------------------------------------------------- validate


def test_validate_example_gallery() -> None:
    result = run("validate", EXAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("1 file checked (")
    assert "1 valid, 0 invalid, 0 unreadable" in result.stdout
    assert result.stderr == ""


def test_validate_text_names_file_line_column_record_path(invalid_file: Path) -> None:
    result = run("validate", invalid_file)
    assert result.returncode == 1
    line, column = position_of(invalid_file, '"2022-02-30"')
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{invalid_file}:{line}:{column}: [https://example.org/photos/bad] ")
    assert "$.dateCreated.@value: " in first
    assert "2022-02-30" in first
    assert (
        result.stdout.splitlines()[-1]
        == "1 file checked (1 record): 0 valid, 1 invalid (1 issue), 0 unreadable"
    )


def test_validate_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    path = write_json(tmp_path / "typo.jsonld", photo("_:typo", captoin={"en": "x"}))
    result = run("validate", path)
    assert result.returncode == 1
    line, column = position_of(path, '"captoin"')
    assert result.stdout.startswith(f"{path}:{line}:{column}: ")
    assert "captoin" in result.stdout


def test_validate_json_lines_gives_the_line_of_the_record(tmp_path: Path) -> None:
    records = [valid_photo(f"_:p{i}", i) for i in range(5)]
    records[3]["dateCreated"]["@value"] = "2022-13"
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    result = run("validate", path, "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    [issue] = report["files"][0]["issues"]
    line, column = position_of(path, '"2022-13"')
    assert (issue["line"], issue["column"]) == (line, column) == (4, column)


def test_validate_json_report(invalid_file: Path, valid_file: Path) -> None:
    result = run("validate", valid_file, invalid_file, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["summary"] == {
        "files": 2, "records": 2, "valid": 1, "invalid": 1, "unreadable": 0, "issues": 1,
    }  # fmt: skip
    good, bad = report["files"]
    assert good["status"] == "valid" and good["issues"] == []
    assert bad["status"] == "invalid" and bad["format"] == "jsonld"
    [issue] = bad["issues"]
    assert issue["record_id"] == "https://example.org/photos/bad"
    assert issue["path"] == "$.dateCreated.@value"
    assert issue["pointer"] == "/dateCreated/@value"
    assert (issue["line"], issue["column"]) == position_of(invalid_file, '"2022-02-30"')
    assert issue["source"] == str(invalid_file)


def test_validate_junit_report_matches_schema(tmp_path: Path, invalid_file: Path, valid_file: Path) -> None:
    malformed = tmp_path / "malformed.json"
    malformed.write_text('{"@context": "x",\n  "a": [1, 2\n', encoding="utf-8")
    odd = write_json(tmp_path / 'odd <&> "name".jsonld', photo("_:odd", captoin="\u0001 control"))
    result = run("validate", valid_file, invalid_file, malformed, odd, "--format", "junit")
    assert result.returncode == 2
    schema = etree.XMLSchema(etree.parse(str(DATA / "junit.xsd")))
    document = etree.fromstring(result.stdout.encode("utf-8"))
    assert schema.validate(document), schema.error_log
    suite = document.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert cases[str(valid_file)].find("failure") is None
    failure = cases[str(invalid_file)].find("failure")
    assert failure is not None and "2022-02-30" in (failure.text or "")
    error = cases[str(malformed)].find("error")
    assert error is not None and f"{malformed}:3:" in (error.text or "")
    assert cases[str(odd)].find("failure") is not None


GITHUB_LINE = re.compile(
    r"^::error file=(?P<file>[^,:\r\n]*)(?:,line=(?P<line>\d+))?(?:,col=(?P<col>\d+))?"
    r"(?:,title=(?P<title>[^,:\r\n]*))?::(?P<message>[^\r\n]*)$"
)


def test_validate_github_annotations(tmp_path: Path) -> None:
    path = write_json(tmp_path / "we,ird:name%.jsonld", photo("_:x", **{"100%": 1}))
    result = run("validate", path, "--format", "github", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert annotations and lines[-1].startswith("1 file checked")
    for line in annotations:
        match = GITHUB_LINE.match(line)
        assert match, line
        assert "%" not in re.sub(r"%(25|0D|0A|3A|2C)", "", match.group("file"))
    match = GITHUB_LINE.match(annotations[0])
    assert match is not None
    assert match.group("file") == github_escape_property(str(path))
    assert match.group("file").endswith("/we%2Cird%3Aname%25.jsonld")
    assert (int(match.group("line")), int(match.group("col"))) == position_of(path, '"100%"')
    assert match.group("title") == "warphoto schema%3AadditionalProperties"
    assert "'100%25'" in match.group("message")


def test_github_escaping_follows_the_workflow_command_syntax() -> None:
    assert github_escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert github_escape_property("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext%3A a%2C b"
    assert github_escape_data("%0A") == "%250A"


def test_validate_unreadable_and_missing_exit_2(tmp_path: Path, invalid_file: Path) -> None:
    malformed = tmp_path / "malformed.jsonld"
    malformed.write_text('{\n  "@id": "_:x",\n  "@type" "Photograph"\n}\n', encoding="utf-8")
    result = run("validate", invalid_file, malformed, tmp_path / "missing.jsonld")
    assert result.returncode == 2
    assert f"{malformed}:3:" in result.stdout
    assert "missing.jsonld: error: no such file or folder" in result.stdout
    assert "0 valid, 1 invalid (1 issue), 2 unreadable" in result.stdout
    assert "Traceback" not in result.stderr


def test_validate_exit_codes(valid_file: Path, invalid_file: Path, tmp_path: Path) -> None:
    assert run("validate", valid_file).returncode == 0
    assert run("validate", valid_file, invalid_file).returncode == 1
    usage = run("validate")
    assert usage.returncode == 2 and "usage:" in usage.stderr
    unknown = run("validate", valid_file, "--from", "nosuchformat")
    assert unknown.returncode == 2
    assert "unknown format 'nosuchformat'" in unknown.stderr and "Traceback" not in unknown.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run("validate", empty)
    assert nothing.returncode == 2 and "no record files found" in nothing.stderr


def test_validate_globs_and_folders(tmp_path: Path) -> None:
    for number in range(3):
        write_json(tmp_path / "a" / f"r{number}.jsonld", valid_photo(f"_:a{number}", number))
        write_json(tmp_path / "b" / "deep" / f"r{number}.json", valid_photo(f"_:b{number}", number))
    (tmp_path / "a" / "notes.txt").write_text("not a record")
    (tmp_path / "a" / ".hidden.jsonld").write_text("{broken")
    result = run("validate", "a", "b/**/*.json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("6 files checked")
    nothing = run("validate", "c/*.jsonld", cwd=tmp_path)
    assert nothing.returncode == 2 and "no file matches this pattern" in nothing.stdout


def test_thousand_records_three_broken(thousand: tuple[Path, dict[str, tuple[int, str]]]) -> None:
    root, broken = thousand
    one = run("validate", ".", "-j", "1", cwd=root)
    two = run("validate", ".", "-j", "2", cwd=root)
    assert one.returncode == two.returncode == 1, one.stderr
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr == ""  # a pipe: no progress bar
    lines = one.stdout.splitlines()
    assert lines[-1] == "1000 files checked (1000 records): 997 valid, 3 invalid (3 issues), 0 unreadable"
    assert len(lines) == 4
    for relative, (line, what) in broken.items():
        [reported] = [text for text in lines if text.startswith(f"{relative}:{line}:")]
        assert what in reported


def test_thousand_records_json_same_with_two_workers(
    thousand: tuple[Path, dict[str, tuple[int, str]]],
) -> None:
    root, broken = thousand
    reports = [json.loads(run("validate", ".", "-j", jobs, "--format", "json", cwd=root).stdout)
               for jobs in ("1", "2")]  # fmt: skip
    assert reports[0] == reports[1]
    invalid = {f["path"]: f["issues"][0]["line"] for f in reports[0]["files"] if f["status"] == "invalid"}
    assert invalid == {relative: line for relative, (line, _what) in broken.items()}


def _run_on_a_terminal(args: Sequence[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the command with stderr on a pseudo-terminal (stdout a pipe); return (status, stderr)."""
    pty = pytest.importorskip("pty")  # POSIX only
    assert COMMAND is not None
    primary, secondary = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update(env)
    process = subprocess.Popen([COMMAND, *args], stdout=subprocess.DEVNULL, stderr=secondary, env=environment)
    os.close(secondary)
    chunks = []
    while True:
        ready, _, _ = select.select([primary], [], [], 1.0)
        if ready:
            try:
                data = os.read(primary, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(primary)
    return process.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def test_progress_only_on_a_terminal_and_never_in_ci(tmp_path: Path) -> None:
    for number in range(40):
        write_json(tmp_path / f"r{number:02}.jsonld", valid_photo(f"_:r{number}", number))
    status, shown = _run_on_a_terminal(["validate", str(tmp_path), "-j", "1"], {})
    assert status == 0
    assert "40/40 files" in shown and "files/s" in shown
    status, shown = _run_on_a_terminal(["validate", str(tmp_path), "-j", "1"], {"CI": "true"})
    assert status == 0 and shown == ""
    piped = run("validate", tmp_path, "-j", "1")
    assert piped.returncode == 0 and piped.stderr == ""


# --------------------------------------------------------------------------- convert


def _writable() -> list[formats.Format]:
    return [f for f in formats.all_formats() if f.can_write and not f.media_type.startswith("image/")]


def test_convert_to_one_file(tmp_path: Path, valid_file: Path) -> None:
    target = tmp_path / "out.ttl"
    result = run("convert", valid_file, "--to", "turtle", "-o", target)
    assert result.returncode == 0, result.stderr
    assert target.exists() and "example.org/photos/good" in target.read_text(encoding="utf-8")
    assert "1 file written" in result.stdout
    by_name = tmp_path / "out.nt"
    assert run("convert", valid_file, "-o", by_name).returncode == 0  # format from the name
    assert by_name.read_text(encoding="utf-8").endswith(" .\n")
    stdout = run("convert", valid_file, "--to", "jsonld", "-o", "-")
    assert stdout.returncode == 0
    assert json.loads(stdout.stdout)["@id"] == "https://example.org/photos/good"


def test_convert_to_all_formats_side_by_side(tmp_path: Path, valid_file: Path) -> None:
    out = tmp_path / "out"
    edm = ("-O", "provider=Example Aggregator", "-O", "data_provider=Example Archive",
           "-O", "rights=http://rightsstatements.org/vocab/InC/1.0/")  # fmt: skip
    result = run("convert", valid_file, "--to", "all", "--out-dir", out, *edm)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"good{f.extensions[0]}" for f in _writable())
    for fmt in _writable():
        if fmt.can_read:
            back = io.read(out / f"good{fmt.extensions[0]}", fmt.name, validate=False)
            assert "https://example.org/photos/good" in json.dumps(back), fmt.name
    assert not list(out.glob(".*"))  # no temporary files
    # and `validate` reads every one of them back: RDF, XMP, NewsML-G2, EDM, ...
    readable = sum(1 for fmt in _writable() if fmt.can_read)
    checked = run("validate", out, "--format", "json")
    assert checked.returncode == 0, checked.stdout
    report = json.loads(checked.stdout)
    assert report["summary"]["files"] == readable and report["summary"]["valid"] == readable


def test_convert_refuses_to_overwrite_without_force(tmp_path: Path, valid_file: Path) -> None:
    target = tmp_path / "out.jsonld"
    target.write_text("precious", encoding="utf-8")
    result = run("convert", valid_file, "--to", "jsonld", "-o", target)
    assert result.returncode == 2
    assert "refusing to overwrite" in result.stderr and "--force" in result.stderr
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == "precious"
    forced = run("convert", valid_file, "--to", "jsonld", "-o", target, "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["@id"] == "https://example.org/photos/good"


def test_convert_invalid_and_unreadable_inputs(tmp_path: Path, valid_file: Path, invalid_file: Path) -> None:
    out = tmp_path / "out"
    result = run("convert", valid_file, invalid_file, "--to", "turtle", "--out-dir", out)
    assert result.returncode == 1
    assert (out / "good.ttl").exists() and not (out / "bad.ttl").exists()
    assert f"{invalid_file}:" in result.stderr and "not converted" in result.stderr
    assert "converted 1 of 2 files" in result.stdout
    missing = run("convert", tmp_path / "nope.jsonld", "--to", "turtle", "--out-dir", out)
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    usage = run("convert", valid_file, "--to", "turtle")
    assert usage.returncode == 2 and "-o FILE" in usage.stderr
    unknown = run("convert", valid_file, "--to", "bogus", "--out-dir", out)
    assert unknown.returncode == 2 and "unknown format 'bogus'" in unknown.stderr
    option = run("convert", valid_file, "--to", "turtle", "--out-dir", out, "-O", "nosuch=1")
    assert option.returncode == 2 and "'nosuch'" in option.stderr
    debug = run("--debug", "convert", valid_file, "--to", "bogus", "--out-dir", out)
    assert debug.returncode == 2 and "Traceback" in debug.stderr


def test_convert_folder_keeps_subfolders(tmp_path: Path) -> None:
    for sub in ("x", "y"):
        write_json(tmp_path / "in" / sub / "same.jsonld", valid_photo(f"_:{sub}", 1))
    result = run("convert", tmp_path / "in", "--to", "ntriples", "--out-dir", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "x" / "same.nt").exists() and (tmp_path / "out" / "y" / "same.nt").exists()
    clash = run("convert", tmp_path / "in" / "x" / "same.jsonld", tmp_path / "in" / "y" / "same.jsonld",
                "--to", "ntriples", "--out-dir", tmp_path / "flat")  # fmt: skip
    assert clash.returncode == 2 and "would both be written" in clash.stderr


def _interrupt_conversion(
    tmp_path: Path, sig: signal.Signals, jobs: str
) -> tuple[int, str, Path, list[Path]]:
    assert COMMAND is not None
    inputs = tmp_path / "in"
    records = []
    for number in range(400):
        record = valid_photo(f"_:p{number}", number)
        record["keywords"] = {"en": [f"keyword {k}" for k in range(200)]}  # big enough to take a while
        records.append(write_json(inputs / f"p{number:03}.jsonld", record))
    out = tmp_path / "out"
    # The last input is a named pipe nobody writes to: reading it blocks, so the run cannot end
    # before the signal, however fast the build is.
    hold = tmp_path / "hold" / "zz-never.jsonld"
    hold.parent.mkdir()
    os.mkfifo(hold)
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    process = subprocess.Popen(
        [COMMAND, "convert", str(inputs), str(hold), "--to", "turtle,rdfxml,jsonld", "--out-dir", str(out),
         "-j", jobs],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, start_new_session=True,
        preexec_fn=_as_in_a_terminal,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if out.is_dir() and sum(1 for _ in out.iterdir()) >= 30:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the conversion ended before it could be interrupted"
    if sig == signal.SIGINT:
        os.killpg(process.pid, sig)  # Ctrl-C reaches the whole foreground process group
    else:
        process.send_signal(sig)  # kill PID
    _release(hold, process)
    _stdout, stderr = process.communicate(timeout=120)
    return process.returncode, stderr, out, records


def _as_in_a_terminal() -> None:
    """Ctrl-C and Ctrl-\\ as a terminal has them: a test run started in the background of a
    non-interactive shell ignores SIGINT and SIGQUIT, and would pass that on to the command."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def _release(pipe: Path, process: subprocess.Popen[str]) -> None:
    """Give a reader still waiting on the named pipe an end of file (once the signal is sent)."""
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError):  # ENXIO: nobody has it open for reading (yet)
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        time.sleep(0.05)


@pytest.mark.parametrize(("sig", "jobs", "status"), [(signal.SIGINT, "2", 130), (signal.SIGTERM, "1", 143)])
def test_interrupted_conversion_leaves_no_partial_file(
    tmp_path: Path, sig: signal.Signals, jobs: str, status: int
) -> None:
    code, stderr, out, records = _interrupt_conversion(tmp_path, sig, jobs)
    assert code == status, stderr
    assert re.search(r"interrupted: \d+ of 401 files done; no partial files left", stderr), stderr
    assert "Traceback" not in stderr
    written = sorted(out.rglob("*"))
    assert not [p for p in written if p.name.startswith(".") or p.name.endswith(".tmp")], written
    assert 0 < len(written) < 3 * len(records)
    by_stem = {p.stem: p for p in records}
    for path in written:
        fmt = formats.for_path(path)
        expected = io.dumps(io.read(by_stem[path.stem]), fmt.name)
        assert path.read_bytes() == (expected.encode("utf-8") if isinstance(expected, str) else expected), (
            path
        )


# --------------------------------------------------------------------------- inspect, embed, extract


def test_inspect_json_and_summary(valid_file: Path) -> None:
    result = run("inspect", valid_file)
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads(valid_file.read_text(encoding="utf-8"))
    summary = run("inspect", EXAMPLE, "--summary")
    assert summary.returncode == 0, summary.stderr
    assert summary.stdout.startswith(f"{EXAMPLE} (jsonld)\ncollection of ")
    assert "ImageGallery" in summary.stdout and "Photograph" in summary.stdout
    missing = run("inspect", "no-such-file.jsonld")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr and missing.stdout == ""
    unknown = run("inspect", valid_file.with_suffix(".unknownext"))
    assert unknown.returncode == 2


def test_embed_extract_inspect_a_jpeg(tmp_path: Path, valid_file: Path) -> None:
    image = tmp_path / "photo.jpg"
    image.write_bytes(TINY_JPEG)
    scan = TINY_JPEG[TINY_JPEG.index(b"\xff\xda") :]
    result = run("embed", image, valid_file)
    assert result.returncode == 0, result.stderr
    tagged = image.read_bytes()
    assert tagged.endswith(scan) and len(tagged) > len(TINY_JPEG)  # pixel data untouched
    inspected = run("inspect", image)
    assert inspected.returncode == 0, inspected.stderr
    assert json.loads(inspected.stdout)["@id"] == "https://example.org/photos/good"
    packet = run("extract", image)
    assert packet.returncode == 0 and "<x:xmpmeta" in packet.stdout
    assert "https://example.org/photos/good" in packet.stdout
    sidecar = tmp_path / "photo.xmp"
    assert run("extract", image, "-o", sidecar).returncode == 0
    assert run("validate", sidecar).returncode == 0
    again = run("extract", image, "-o", sidecar)
    assert again.returncode == 2 and "refusing to overwrite" in again.stderr
    as_jsonld = run("extract", image, "--to", "jsonld")
    assert json.loads(as_jsonld.stdout)["@id"] == "https://example.org/photos/good"
    copy = tmp_path / "copy.jpg"
    assert run("embed", image, sidecar, "-o", copy).returncode == 0
    assert copy.read_bytes().endswith(scan)
    assert run("embed", image, sidecar, "-o", copy).returncode == 2


def test_embed_refuses_invalid_records_and_non_jpegs(
    tmp_path: Path, invalid_file: Path, valid_file: Path
) -> None:
    image = tmp_path / "photo.jpg"
    image.write_bytes(TINY_JPEG)
    invalid = run("embed", image, invalid_file)
    assert invalid.returncode == 1 and "2022-02-30" in invalid.stderr
    assert image.read_bytes() == TINY_JPEG
    fake = tmp_path / "fake.jpg"
    fake.write_bytes(b"not a jpeg at all")
    broken = run("embed", fake, valid_file)
    assert broken.returncode == 2 and "Traceback" not in broken.stderr
    assert fake.read_bytes() == b"not a jpeg at all"
    no_xmp = tmp_path / "plain.jpg"
    no_xmp.write_bytes(TINY_JPEG)
    assert run("extract", no_xmp).returncode == 2


# --------------------------------------------------------------------------- pre-commit


def test_pre_commit_hook_definition() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert re.search(r"^- id: warphoto-validate$", text, re.M)
    assert re.search(r"^  entry: warphoto validate\b", text, re.M)
    assert re.search(r"^  language: python$", text, re.M)
    match = re.search(r"^  files: '(.+)'$", text, re.M)
    assert match is not None
    files = re.compile(match.group(1))
    # every record format, but not images (most JPEGs carry no record) nor plain .json (package.json...)
    for fmt in formats.all_formats():
        if fmt.can_read and not fmt.media_type.startswith("image/"):
            for ext in fmt.extensions:
                assert files.search(f"records/photo{ext}") or ext == ".json", ext
    for other in ("README.md", "package.json", "photo.jpg", "pyproject.toml"):
        assert not files.search(other), other


# --------------------------------------------------------------------------- helpers, in process


def test_expand_inputs_files_folders_globs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from warphoto.cli.inputs import expand_inputs

    monkeypatch.chdir(tmp_path)
    for name in ("a/1.jsonld", "a/sub/2.jsonl", "a/notes.txt", "a/.hidden/3.jsonld", "b/4.ttl"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    found = expand_inputs(["a", "b/*.ttl", "a/1.jsonld", "b/4.ttl", "nope.jsonld", "c/*.xmp"])
    assert found.files == ["a/1.jsonld", "a/sub/2.jsonl", "b/4.ttl"]  # once each, in order
    assert found.folders == ["a"]
    assert found.missing == [
        ("nope.jsonld", "no such file or folder"),
        ("c/*.xmp", "no file matches this pattern"),
    ]


def test_output_names() -> None:
    from warphoto.cli.convert import ConvertPlan, outputs_for, targets_for

    plan = ConvertPlan(("turtle", "jsonld"), "out", None, None, False, True, folders=("in",))
    assert targets_for("in/x/a.newsml.xml", plan) == [("turtle", "out/x/a.ttl"), ("jsonld", "out/x/a.jsonld")]
    assert targets_for("elsewhere/b.jsonld", plan) == [("turtle", "out/b.ttl"), ("jsonld", "out/b.jsonld")]
    assert targets_for("-", plan) == [("turtle", "out/stdin.ttl"), ("jsonld", "out/stdin.jsonld")]
    single = ConvertPlan(("turtle",), None, "result.ttl", None, False, True)
    assert targets_for("whatever.jsonld", single) == [("turtle", "result.ttl")]
    record = photo("https://example.org/p/7")
    collection = {
        "@context": CONTEXT,
        "@graph": [photo("https://example.org/p/7"), photo("https://example.org/q/7")],
    }
    if "edm" in {f.name for f in formats.all_formats()}:
        edm = formats.get("edm")
        zipped = next(ext for ext in edm.extensions if ext.endswith(".zip"))
        both = ConvertPlan(("edm", "xmp"), "out", None, None, False, True)
        assert both.names_need_content and not plan.names_need_content
        assert [o.path for o in outputs_for("a.jsonld", both, record)] == [
            f"out/a{edm.extensions[0]}",
            "out/a.xmp",
        ]
        # a collection: EDM as one ZIP, XMP one sidecar per photograph (two @ids ending alike: numbered)
        assert [o.path for o in outputs_for("a.jsonld", both, collection)] == [
            f"out/a{zipped}",
            "out/a.7.xmp",
            "out/a.photo-02.xmp",
        ]


def test_summary_of_a_collection() -> None:
    from warphoto.cli.inspect import summarize

    document = {
        "@context": CONTEXT,
        "@graph": [
            {"@id": "_:chiba", "@type": "Person", "name": {"en": "Yasuyoshi Chiba"}},
            {"@id": "_:izium", "@type": "City", "name": {"en": "Izium", "uk": "Ізюм"}},
            photo("https://example.org/p/1", headline={"uk": "Ізюм", "en": "Izium"}, creator=["_:chiba"],
                  contentLocation=["_:izium"], dateCreated={"@value": "2022-09", "@type": "xsd:gYearMonth"}),
        ],
    }  # fmt: skip
    text = summarize(document)
    assert text.splitlines()[0] == "collection of 1 Person, 1 City, 1 ImageObject / Photograph"
    assert "headline:  Izium" in text and "creator:   Yasuyoshi Chiba" in text
    assert "shows:     Izium" in text and "date:      2022-09" in text


def test_progress_bar_off_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from warphoto.cli.progress import Progress

    bar = Progress(100, "validate")
    assert not bar.enabled  # pytest captures stderr: not a terminal
    forced = Progress(3, "validate", enabled=True)
    for _ in range(3):
        forced.advance()
    forced.close()
    assert "3/3 files" in capsys.readouterr().err


def test_convert_a_collection_to_xmp_writes_one_sidecar_per_photograph(tmp_path: Path) -> None:
    from tests.conftest import EXAMPLE_GALLERY

    out = tmp_path / "out"
    result = run("convert", EXAMPLE_GALLERY, "--to", "xmp", "--out-dir", out)
    assert result.returncode == 0, result.stderr
    sidecars = sorted(p.name for p in out.iterdir())
    assert len(sidecars) == 17
    assert sidecars[0] == "kharkiv-2022.photo-01.xmp"
    first = io.read(out / sidecars[0])
    assert first["@id"] == "https://example.org/warphoto/kharkiv-2022/photo-01"


@pytest.mark.parametrize("name", ["bare.json", "bare.jsonl"])
def test_validate_warns_of_a_record_without_context_in_every_report_format(tmp_path: Path, name: str) -> None:
    bare = {k: v for k, v in photo("https://example.org/bare").items() if k != "@context"}
    path = tmp_path / name
    path.write_text(json.dumps(bare) + "\n", encoding="utf-8")
    text = run("validate", name, cwd=tmp_path)
    assert text.returncode == 0, text.stderr  # a warning, not an issue: the record is valid
    assert f'warning: {name}:1:1: [https://example.org/bare] $: no "@context"' in text.stdout
    github = run("validate", name, "--format", "github", cwd=tmp_path)
    assert f"::warning file={name},line=1,col=1,title=warphoto context%3Amissing::" in github.stdout
    report = json.loads(run("validate", path, "--format", "json").stdout)
    assert [w["rule"] for w in report["files"][0]["warnings"]] == ["context:missing"]
    with_context = tmp_path / ("ok" + path.suffix)
    with_context.write_text(json.dumps(photo("https://example.org/ok")) + "\n", encoding="utf-8")
    assert "warning" not in run("validate", with_context).stdout


def test_verify_reports_in_the_formats_its_option_offers() -> None:
    from warphoto.cli import verify
    from warphoto.cli.reports import RENDERERS

    assert set(verify.RENDERERS) == set(RENDERERS)


def test_a_command_imports_only_what_it_needs() -> None:
    # validate of a valid file loads neither the image, C2PA, BagIt, custody or safety modules,
    # nor rdflib, the model classes, jsonschema (the precise check: only for a failing record),
    # the worker pool or urllib (JUnit's escaping): about half its start-up
    unused = ("bagit", "c2pa", "dask", "pyspark", "rdflib", "jsonschema", "referencing")
    code = (
        "import sys; from warphoto.cli import main; main(['validate', sys.argv[1]]); "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {unused!r} "
        "or m.startswith(('warphoto.imagefile', 'warphoto.custody', 'warphoto.safety', 'warphoto.model', "
        "'concurrent.futures.process', 'multiprocessing', 'urllib.request'))))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
