"""Hostile and broken input: every case in tests/data/malformed, against every reader it targets.

Each case is read in a separate, long-lived reader process (tests/hostile_runner.py) that
reports the error, the time taken, its own peak memory growth, and every file opened and
network event seen by Python's audit hooks. Outside it, a local server records every
connection and inotify watches a canary file, so C code (libxml2) that bypassed Python would
still be caught. A case passes when it ends in the expected WarphotoError subclass, with a
message naming the file and the problem, within TIME_BOUND and MEMORY_BOUND_MB, touching
nothing outside its input.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from warphoto import errors

from .hostile import Canary, Outcome, ReaderProcess, Recorder

CORPUS = Path(__file__).parent / "data" / "malformed"
#: seconds one case may take (a hang bound, not a speed claim: cases take milliseconds)
TIME_BOUND = 2.0
#: peak memory one case may add to the reader process
MEMORY_BOUND_MB = 200.0
#: the file name a reader's input gets in the CLI test (so the CLI picks that reader)
EXTENSION = {
    "xmp": ".xmp",
    "rdfxml": ".rdf",
    "newsml": ".newsml.xml",
    "edm": ".edm.xml",
    "jsonld": ".jsonld",
    "jsonld-expanded": ".expanded.jsonld",
    "schemaorg": ".schema.jsonld",
    "jsonl": ".jsonl",
    "jpeg": ".jpg",
    "turtle": ".ttl",
    "ntriples": ".nt",
}


@dataclass(frozen=True)
class Case:
    file: str
    readers: tuple[str, ...]
    error: str
    problem: str
    what: str
    generated: bytes | None = None
    #: where one reader ends differently, e.g. {rdfxml = "ValidationError"}: RDF/XML may omit rdf:RDF
    error_by_reader: dict[str, str] = field(default_factory=dict)
    problem_by_reader: dict[str, str] = field(default_factory=dict)

    def expected(self, reader: str) -> tuple[str, str]:
        """The error class and the problem pattern expected from ``reader``."""
        return self.error_by_reader.get(reader, self.error), self.problem_by_reader.get(reader, self.problem)

    def content(self, server: str, secret: Path) -> bytes:
        data = self.generated if self.generated is not None else (CORPUS / self.file).read_bytes()
        return data.replace(b"@SERVER@", server.encode()).replace(b"@SECRET@", str(secret).encode())


def corpus_cases() -> list[Case]:
    manifest = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))
    return [Case(**{**entry, "readers": tuple(entry["readers"])}) for entry in manifest["case"]]


XML_READERS = ("xmp", "rdfxml", "newsml", "edm")
_XMP_CLOSE = b"</rdf:RDF></x:xmpmeta>"
_XMP_OPEN = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
)


def generated_cases() -> list[Case]:
    """Cases too large to commit, made here."""
    mb = 1024 * 1024
    deep = b"<a>" * 100_000 + b"</a>" * 100_000
    text_20mb = _XMP_OPEN + b"<rdf:Description>" + b"x" * (20 * mb) + b"</rdf:Description>" + _XMP_CLOSE
    big_json = b'{"@context": "https://w3id.org/warphoto/context.jsonld", "name": "' + b"x" * (100 * mb)
    big_json += b'"}'
    big_jpeg = b"\xff\xd8\xff\xfe\xff\xff" + b"\x00" * (100 * mb)
    big_xml = b"<x>" + b"x" * (100 * mb) + b"</x>"
    xml = XML_READERS
    return [
        Case("gen-xml-deep-nesting.xml", xml, "ReadError", "malformed XML", "100,000 nested elements", deep),
        Case("gen-xml-text-20mb.xml", xml, "ReadError", "malformed XML|limit", "a 20 MB text", text_20mb),
        Case("gen-xml-100mb.xml", xml, "ReadError", "limit", "a 100 MB text node (a 100 MB file)", big_xml),
        Case("gen-json-100mb.jsonld", ("jsonld", "jsonl"), "ReadError", "limit", "a 100 MB string", big_json),
        Case("gen-jpeg-100mb.jpg", ("jpeg",), "ReadError", "limit", "a 100 MB JPEG", big_jpeg),
    ]


ALL_CASES = corpus_cases() + generated_cases()
PAIRS = [(case, reader) for case in ALL_CASES for reader in case.readers]


@dataclass
class Watch:
    server: Recorder
    canary: Canary
    reader: ReaderProcess
    folder: Path


@pytest.fixture(scope="module")
def watch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Watch]:
    from pytest_socket import enable_socket

    enable_socket()  # the server only; the reader process has no socket guard of its own
    folder = tmp_path_factory.mktemp("hostile")
    server = Recorder()
    canary = Canary(tmp_path_factory.mktemp("outside"))
    reader = ReaderProcess()
    try:
        yield Watch(server, canary, reader, folder)
    finally:
        reader.close()
        canary.close()
        server.close()


def _expected_class(name: str) -> type[errors.WarphotoError]:
    cls = getattr(errors, name)
    assert issubclass(cls, errors.WarphotoError), name
    return cls


def _check(outcome: Outcome, case: Case, reader: str, path: Path, watch: Watch) -> None:
    label = f"{case.file} as {reader} ({case.what})"
    error, problem = case.expected(reader)
    assert not outcome.timed_out, f"{label}: the reader hung"
    assert outcome.error is not None, f"{label}: read without an error"
    assert outcome.is_warphoto_error, f"{label}: {outcome.error} escaped: {outcome.message}"
    expected = f"{label}: expected {error}, got {outcome.error}: {outcome.message}"
    assert error in outcome.classes, expected
    assert str(path) in outcome.message, f"{label}: the message does not name the file: {outcome.message}"
    assert re.search(problem, outcome.message, re.IGNORECASE), f"{label}: {outcome.message}"
    assert outcome.seconds <= TIME_BOUND, f"{label}: took {outcome.seconds:.2f} s"
    assert outcome.peak_mb <= MEMORY_BOUND_MB, f"{label}: peak memory grew {outcome.peak_mb:.0f} MB"
    assert outcome.opens == [], f"{label}: opened {outcome.opens}"
    assert outcome.events == [], f"{label}: network or process events {outcome.events}"
    assert watch.canary.touched() == 0, f"{label}: the canary file outside the input was read"
    assert watch.server.connections == 0, f"{label}: connected to the local server"
    assert watch.canary.text.encode() not in outcome.message.encode(), label


def _materialise(case: Case, reader: str, watch: Watch) -> Path:
    path = watch.folder / reader / case.file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.content(watch.server.url, watch.canary.path))
    return path


@pytest.mark.parametrize(("case", "reader"), PAIRS, ids=[f"{c.file}-{r}" for c, r in PAIRS])
def test_case_ends_in_a_warphoto_error_within_bounds(case: Case, reader: str, watch: Watch) -> None:
    path = _materialise(case, reader, watch)
    _check(watch.reader.read(path, reader), case, reader, path, watch)


@pytest.mark.parametrize(
    ("case", "reader"),
    [(c, r) for c, r in PAIRS if c.generated is None],
    ids=[f"{c.file}-{r}" for c, r in PAIRS if c.generated is None],
)
def test_case_from_bytes_in_memory(case: Case, reader: str, watch: Watch) -> None:
    """The same through ``warphoto.loads`` (the source name is passed along)."""
    path = _materialise(case, reader, watch)
    _check(watch.reader.read(path, reader, how="loads"), case, reader, path, watch)


@pytest.mark.enable_socket
def test_the_watchers_see_what_they_watch(watch: Watch) -> None:
    """The server counts a real connection, and the canary reports a real read."""
    import socket

    before = watch.server.connections
    with socket.create_connection(("127.0.0.1", watch.server.port), timeout=2) as conn:
        conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
        conn.recv(100)
    assert watch.server.wait_for(before + 1)
    watch.server.connections = before
    watch.canary.path.read_bytes()
    assert watch.canary.touched() > 0
    assert watch.canary.touched() == 0


def test_a_clean_read_and_an_escape_are_told_apart(tmp_path: Path, watch: Watch) -> None:
    """The harness can fail: a clean read, and an error that is not a WarphotoError, both fail _check."""
    good = tmp_path / "good.jsonld"
    good.write_text(
        '{"@context": "https://w3id.org/warphoto/context.jsonld", "@id": "https://example.org/p", '
        '"@type": ["ImageObject", "Photograph"]}'
    )
    outcome = watch.reader.read(good, "jsonld")
    assert outcome.error is None and outcome.opens == [] and outcome.events == []
    case = Case("good.jsonld", ("jsonld",), "ReadError", "x", "a valid record")
    with pytest.raises(AssertionError, match="read without an error"):
        _check(outcome, case, "jsonld", good, watch)
    escaped = Outcome("ValueError", ["ValueError", "Exception"], f"{good}: boom", 0.0, 0.0, [], [])
    with pytest.raises(AssertionError, match="escaped"):
        _check(escaped, case, "jsonld", good, watch)


def test_the_corpus_is_large_enough_and_complete() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.suffix not in {".py", ".toml"}}
    listed = {case.file for case in corpus_cases()}
    assert files == listed, f"unlisted: {files - listed}; missing: {listed - files}"
    assert len(ALL_CASES) >= 40
    for case in ALL_CASES:
        for reader in case.readers:
            _expected_class(case.expected(reader)[0])
        assert set(case.readers) <= set(EXTENSION), case.file


def test_the_corpus_files_are_what_make_corpus_writes(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for maker in (module.xml_cases, module.xmp_cases, module.json_cases, module.jpeg_cases, module.rdf_cases):
        for name, content in maker().items():
            assert (CORPUS / name).read_bytes() == content, name


def _cli_inputs(watch: Watch, folder: Path) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for case, reader in PAIRS:
        if case.generated is not None:
            continue
        stem = case.file.split(".", 1)[0]
        ext = ".edm.zip" if case.file.endswith(".zip") else EXTENSION[reader]
        path = folder / f"{stem}--{reader}{ext}"
        path.write_bytes(case.content(watch.server.url, watch.canary.path))
        paths.append(path)
    return paths


def test_the_cli_reports_every_case_and_writes_nothing(tmp_path: Path, watch: Watch) -> None:
    inputs = _cli_inputs(watch, tmp_path / "in")
    command = [sys.executable, "-m", "warphoto"]
    env = {**os.environ, "CI": "true"}
    result = subprocess.run(
        [*command, "validate", "--format", "json", "-j", "1", *map(str, inputs)],
        capture_output=True, text=True, timeout=TIME_BOUND * len(inputs) + 60, env=env,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    by_path = {entry["path"]: entry for entry in report["files"]}
    assert set(by_path) == {str(p) for p in inputs}
    for path in inputs:
        entry = by_path[str(path)]
        failed = entry["status"] in {"unreadable", "invalid"}
        assert failed, f"{path.name}: {entry}"
        message = entry["error"]["message"] if entry.get("error") else entry["issues"][0]["message"]
        assert message, path.name
    out = tmp_path / "out"
    result = subprocess.run(
        [*command, "convert", "--to", "ntriples", "--out-dir", str(out), "-j", "1", *map(str, inputs)],
        capture_output=True, text=True, timeout=TIME_BOUND * len(inputs) + 60, env=env,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.rglob("*")), sorted(out.rglob("*"))
    assert watch.server.connections == 0
    assert watch.canary.touched() == 0
