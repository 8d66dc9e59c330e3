"""Mutation fuzzing of the readers: broken variants of valid files end well (DESIGN.md rule 5).

Seeds are valid files that warphoto itself writes from the example gallery (tests/fuzz/corpus.py),
one set per reader. Hypothesis mutates their bytes (flips bits, overwrites, inserts and deletes
runs, duplicates chunks, truncates, splices two files, inserts tokens that matter to a parser:
``<!DOCTYPE``, ``&``, ``"@context"``, JPEG markers and segment lengths...) and each mutant must
either read or raise a :class:`~warphoto.errors.WarphotoError`: never a bare KeyError, ValueError,
lxml or rdflib exception or RecursionError, never a hang, never a socket, another process or a
file outside the Python installation. The number of examples comes from the Hypothesis profile
(tests/conftest.py: ``ci`` is fixed and derandomized).

The coverage-guided counterpart is the atheris harness tests/fuzz/fuzz_readers.py; every crash it
found is kept below as a regression input (``REGRESSIONS``).
"""

from __future__ import annotations

import functools
import hashlib
import io
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import warphoto
from warphoto.errors import ReadError, WarphotoError

from .audit import NETWORK_EVENTS, opened_outside
from .fuzz.corpus import TARGETS, seeds

#: seconds one read may take before it counts as a hang (reads of these inputs take milliseconds)
HANG_BOUND = 10.0

#: byte strings that matter to one parser or another, inserted or written over the input
TOKENS: tuple[bytes, ...] = (
    # XML
    b"<!DOCTYPE x>",
    b"<!DOCTYPE",
    b'<!DOCTYPE x [<!ENTITY e "ee">]>',
    b"<!ENTITY",
    b"&",
    b"&e;",
    b"&amp;",
    b"&#0;",
    b"&#x110000;",
    b"&#xD800;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?xml version='1.0' encoding='UTF-16'?>",
    b"<?xml version='1.1'?>",
    b"<?xpacket end='w'?>",
    b' xmlns="',
    b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"',
    b' rdf:parseType="Resource"',
    b' rdf:parseType="Literal"',
    b' rdf:parseType="Collection"',
    b' rdf:resource="',
    b' rdf:nodeID="n"',
    b' rdf:datatype="http://www.w3.org/2001/XMLSchema#integer"',
    b' xml:lang="',
    b"<rdf:li>",
    b"</rdf:li>",
    b"<rdf:Description>",
    b"</rdf:Description>",
    b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>',
    b"<",
    b">",
    b"/>",
    # JSON and JSON-LD
    b'"@context"',
    b'"@context": "http://example.org/context.jsonld", ',
    b'"@id"',
    b'"@type"',
    b'"@graph"',
    b'"@list"',
    b'"@set"',
    b'"@value"',
    b'"@language"',
    b'"@reverse"',
    b'"@included"',
    b'"@nest"',
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b",",
    b":",
    b"\\u0000",
    b"\\ud800",
    b"\\",
    b"1e999",
    b"-0",
    b"NaN",
    b"Infinity",
    b"99999999999999999999999999",
    b"null",
    b"true",
    b"{}",
    b"[]",
    b'""',
    # Turtle and N-Triples
    b"@prefix",
    b"@base <http://example.org/> .",
    b"PREFIX",
    b"<>",
    b"<http://",
    b"_:b0",
    b'"""',
    b"^^",
    b"@en",
    b" .\n",
    b" ;",
    b"(",
    b")",
    b"\\U0010FFFF",
    # dates, IRIs, text
    b"2022-02-30",
    b"9999-99-99",
    b"0000-00-00T25:61:61Z",
    b"-2022",
    b"../..",
    b"file:///etc/passwd",
    b"http://localhost:1/",
    b"javascript:",
    b"\x00",
    b"\r",
    b"\n",
    b"\x7f",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    # JPEG and ZIP
    b"\xff\xd8",
    b"\xff\xd9",
    b"\xff\xda",
    b"\xff\xe1",
    b"\xff\xe1\x00\x00",
    b"\xff\xe1\x00\x02",
    b"\xff\xe1\xff\xff",
    b"\xff\xe1\x00\x20http://ns.adobe.com/xap/1.0/\x00",
    b"\xff\xe1\x00\x30http://ns.adobe.com/xmp/extension/\x00",
    b"http://ns.adobe.com/xap/1.0/\x00",
    b"http://ns.adobe.com/xmp/extension/\x00",
    b"\xff\x00",
    b"\xff\xff",
    b"\xff",
    b"PK\x03\x04",
    b"PK\x05\x06",
)


@functools.cache
def seed_files(target: str) -> tuple[tuple[str, bytes], ...]:
    """A few valid inputs of ``target``: three photographs and the special seeds (gallery, archive...)."""
    files = seeds(target)
    keep = [name for name in files if not name[-1].isdigit() or name.endswith(("-00", "-01", "-02"))]
    return tuple((name, files[name]) for name in keep)


@dataclass(frozen=True)
class Mutant:
    """A mutated seed; its repr (what Hypothesis prints for a failure) names the seed and the steps."""

    seed: str
    steps: tuple[str, ...]
    data: bytes

    def __repr__(self) -> str:
        return f"Mutant(seed={self.seed!r}, steps={list(self.steps)!r}, {len(self.data)} bytes)"


Draw = Callable[[st.SearchStrategy[Any]], Any]


def _position(draw: Draw, data: bytes) -> int:
    return int(draw(st.integers(0, len(data))))


def _payload(draw: Draw) -> bytes:
    return bytes(draw(st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=16))))


def _mutate(draw: Draw, data: bytes, others: tuple[tuple[str, bytes], ...]) -> tuple[str, bytes]:
    """One mutation of ``data``: what was done, and the result."""
    kind = draw(
        st.sampled_from(
            ["flip", "overwrite", "insert", "delete", "duplicate", "truncate", "splice", "repeat", "length"]
        )
    )
    if not data:
        kind = "insert"
    if kind == "flip":
        at, bit = int(draw(st.integers(0, len(data) - 1))), int(draw(st.integers(0, 7)))
        return f"flip bit {bit} at {at}", data[:at] + bytes([data[at] ^ (1 << bit)]) + data[at + 1 :]
    if kind == "overwrite":
        at, payload = _position(draw, data), _payload(draw)
        return f"overwrite {payload!r} at {at}", data[:at] + payload + data[at + len(payload) :]
    if kind == "insert":
        at, payload = _position(draw, data), _payload(draw)
        return f"insert {payload!r} at {at}", data[:at] + payload + data[at:]
    if kind == "delete":
        at = _position(draw, data)
        length = int(draw(st.one_of(st.integers(1, 16), st.integers(1, max(1, len(data) - at)))))
        return f"delete {length} bytes at {at}", data[:at] + data[at + length :]
    if kind == "duplicate":
        start = _position(draw, data)
        end = int(draw(st.integers(start, min(len(data), start + 4096))))
        at = _position(draw, data)
        return f"duplicate [{start}:{end}] at {at}", data[:at] + data[start:end] + data[at:]
    if kind == "truncate":
        at = _position(draw, data)
        return f"truncate at {at}", data[:at]
    if kind == "splice":
        name, other = draw(st.sampled_from(others))
        at, other_at = _position(draw, data), _position(draw, other)
        return f"splice [:{at}] + {name}[{other_at}:]", data[:at] + other[other_at:]
    if kind == "repeat":  # deep nesting or long runs: [[[[, <a><a><a>, ((((
        payload = _payload(draw)
        times = int(draw(st.sampled_from([2, 10, 100, 1000, 5000])))
        at = _position(draw, data)
        return f"insert {payload!r} * {times} at {at}", data[:at] + payload * times + data[at:]
    # "length": the two bytes after a 0xFF marker (a JPEG segment length), or any two bytes
    markers = [i for i in range(len(data) - 3) if data[i] == 0xFF and 0xC0 <= data[i + 1] < 0xFF]
    at = int(draw(st.sampled_from(markers))) + 2 if markers else _position(draw, data)
    value = int(draw(st.sampled_from([0, 1, 2, 3, 0x7FFF, 0xFFFF]) | st.integers(0, 0xFFFF)))
    return f"length {value} at {at}", data[:at] + value.to_bytes(2, "big") + data[at + 2 :]


@st.composite
def mutants(draw: Draw, target: str) -> Mutant:
    files = seed_files(target)
    # splice with a file of the same format mostly, of any format now and then
    others = files + tuple(item for other in TARGETS if other != target for item in seed_files(other)[:1])
    name, data = draw(st.sampled_from(files))
    steps = []
    for _ in range(int(draw(st.integers(1, 4)))):
        step, data = _mutate(draw, data, others)
        steps.append(step)
    return Mutant(name, tuple(steps), data)


# --- the watch: no socket, no process, no file outside the Python installation -----------------


class _Watch:
    """Records, while on, what a reader touches (Python's audit hooks; installed once, for good)."""

    installed = False
    active = False
    seen: list[str] = []  # noqa: RUF012  (one watch per process)

    @classmethod
    def hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if not cls.active:
            return
        if event == "open":
            path = opened_outside(args)
            if path is not None:
                cls.seen.append(f"open {path}")
        elif event.startswith(NETWORK_EVENTS):
            cls.seen.append(event)

    @classmethod
    def install(cls) -> None:
        if not cls.installed:
            sys.addaudithook(cls.hook)
            cls.installed = True


@pytest.fixture(scope="module", autouse=True)
def _watch() -> Iterator[None]:
    _Watch.install()
    for target in TARGETS:  # the first read of each format loads modules and packaged data
        for _name, data in seed_files(target):
            warphoto.loads(data, target, validate=False)
    yield


def read_or_refuse(data: str | bytes, target: str) -> None:
    """Read ``data`` as ``target``; pass if it reads or ends in a WarphotoError, fail otherwise."""
    _Watch.seen.clear()
    _Watch.active = True
    start = time.perf_counter()
    try:
        warphoto.loads(data, target, source="mutant")
    except WarphotoError as error:
        assert str(error), "a WarphotoError must say what went wrong"
    finally:
        _Watch.active = False
    elapsed = time.perf_counter() - start
    assert elapsed < HANG_BOUND, f"reading took {elapsed:.1f} s"
    assert not _Watch.seen, f"the reader touched {_Watch.seen}"


def test_the_watch_sees_files_and_processes(tmp_path: Path) -> None:
    """(Sockets: pytest-socket refuses them with SocketBlockedError, which fails the test too.)"""
    _Watch.install()
    _Watch.seen.clear()
    _Watch.active = True
    try:
        (tmp_path / "outside").write_bytes(b"x")
        subprocess.run([sys.executable, "-c", "pass"], check=True)
    finally:
        _Watch.active = False
    assert [event.split()[0] for event in _Watch.seen] == ["open", "subprocess.Popen"]


# --- the mutation tests --------------------------------------------------------------------------

#: a read takes milliseconds, so each reader gets this many times the profile's max_examples
#: (ci: 40 x 5 = 200 mutants per reader, a few seconds in all; dev: 2,500)
EXAMPLES_FACTOR = 5
FUZZ_SETTINGS = settings(
    max_examples=settings.default.max_examples * EXAMPLES_FACTOR,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("target", TARGETS)
@FUZZ_SETTINGS
@given(data=st.data())
def test_mutated_input_reads_or_raises_a_warphoto_error(target: str, data: st.DataObject) -> None:
    mutant: Mutant = data.draw(mutants(target), label="mutant")
    read_or_refuse(mutant.data, target)
    if target != "jpeg":  # text formats also take str: read what the bytes decode to
        try:
            text = mutant.data.decode("utf-8")
        except UnicodeDecodeError:
            return
        read_or_refuse(text, target)


@pytest.mark.parametrize("target", TARGETS)
def test_the_seeds_read(target: str) -> None:
    """The mutation test starts from valid files: an unreadable seed would test nothing."""
    for name, data in seed_files(target):
        assert warphoto.loads(data, target, source=name)


# --- regression inputs: every crash the fuzzers found -------------------------------------------


def _edm_archive() -> tuple[bytearray, int]:
    """A ZIP of one deflated EDM-named member, and the offset of its central directory entry."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", b"<x/>" * 200)
    data = bytearray(buffer.getvalue())
    return data, data.index(b"PK\x01\x02")


def _damaged_edm_archive(how: str) -> bytes:
    if how == "empty-name":  # IndexError from ZipInfo.is_dir() (found by atheris)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(zipfile.ZipInfo(""), b"<x/>")
        return buffer.getvalue()
    data, central = _edm_archive()
    header = 30 + len("a.xml")  # the member's data starts after its local header and name
    if how == "bad-deflate":  # zlib.error: invalid block type
        data[header : header + 5] = b"\xff" * 5
    elif how == "member-cut-out":  # ValueError: negative seek value (offsets point before the start)
        del data[20:central]
    elif how == "truncated-member":  # ValueError: negative seek value
        del data[header + 10 : central]
    elif how == "unknown-method":  # NotImplementedError: compression method 99
        data[8:10] = data[central + 10 : central + 12] = struct.pack("<H", 99)
    elif how == "encrypted":  # RuntimeError: password required
        data[6:8] = data[central + 8 : central + 10] = struct.pack("<H", 1)
    elif how == "bad-utf8-name":  # UnicodeDecodeError in ZipFile(): the UTF-8 flag and a 0xFF in the name
        data[central + 8 : central + 10] = struct.pack("<H", 0x800)
        data[central + 46] = 0xFF
    return bytes(data)


#: (reader, input, the WarphotoError subclass it must end in), one per defect fixed
REGRESSIONS: list[Any] = [
    # EDM archives: zipfile raises more than BadZipFile for a damaged archive (found by Hypothesis
    # here: a bit flipped in the deflate stream, 2,266 bytes deleted before the central directory)
    *(
        pytest.param("edm", _damaged_edm_archive(how), ReadError, id=f"edm-zip-{how}")
        for how in (
            "bad-deflate",
            "member-cut-out",
            "truncated-member",
            "unknown-method",
            "encrypted",
            "bad-utf8-name",
            "empty-name",
        )
    ),
    # expanded JSON-LD: an @language that is no language tag reached rdflib.Literal, which raises
    # ValueError (found by Hypothesis: a token inserted into "en")
    pytest.param(
        "jsonld-expanded",
        b'[{"@id": "https://example.org/p", "https://schema.org/caption": '
        b'[{"@value": "x", "@language": "en<?xpacket end=\'w\'?>"}]}]',
        ReadError,
        id="jsonld-expanded-bad-language-tag",
    ),
    pytest.param(
        "jsonld-expanded",
        b'[{"@id": "https://example.org/p", "https://schema.org/caption": '
        b'[{"@value": "x", "@language": 5}]}]',
        ReadError,
        id="jsonld-expanded-language-not-a-string",
    ),
]


@pytest.mark.parametrize(("target", "data", "error"), REGRESSIONS)
def test_fuzzer_finding_ends_in_a_warphoto_error(
    target: str, data: bytes, error: type[WarphotoError]
) -> None:
    with pytest.raises(error):
        warphoto.loads(data, target, source="regression")
    read_or_refuse(data, target)


# --- ingest: the image metadata readers (warphoto.imagefile) ---------------------------------------


@functools.cache
def ingest_seed_files() -> tuple[tuple[str, bytes], ...]:
    from .ingest.seeds import ingest_seeds

    return tuple(ingest_seeds().items())


def _tiff_offset_mutation(draw: Draw, data: bytes) -> tuple[str, bytes]:
    """Overwrite a 16- or 32-bit field with a value that matters to a TIFF/IFD/box parser."""
    width = int(draw(st.sampled_from([2, 4])))
    at = int(draw(st.integers(0, max(0, len(data) - width))))
    value = int(
        draw(st.sampled_from([0, 1, 8, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, len(data), len(data) - 1]))
        % (1 << (8 * width))
    )
    order = str(draw(st.sampled_from(["big", "little"])))
    return f"field {value} ({width} bytes, {order}) at {at}", (
        data[:at] + value.to_bytes(width, order) + data[at + width :]  # type: ignore[arg-type]
    )


@st.composite
def ingest_mutants(draw: Draw) -> Mutant:
    files = ingest_seed_files()
    name, data = draw(st.sampled_from(files))
    steps = []
    for _ in range(int(draw(st.integers(1, 4)))):
        if draw(st.booleans()):
            step, data = _tiff_offset_mutation(draw, data)
        else:
            step, data = _mutate(draw, data, files)
        steps.append(step)
    return Mutant(name, tuple(steps), data)


def ingest_or_refuse(data: bytes) -> None:
    """Read ``data`` with ingest; pass if it reads or ends in a ReadError with a byte offset."""
    from warphoto.imagefile import ingest_metadata, read_metadata_bytes

    _Watch.install()
    _Watch.seen.clear()
    _Watch.active = True
    start = time.perf_counter()
    record = None
    try:
        metadata = read_metadata_bytes(data, source="mutant")
        # and what was read becomes a valid record (a broken XMP packet is said, not raised)
        digest = hashlib.sha256(data).hexdigest()
        record = ingest_metadata(metadata, name="mutant.img", sha256=digest, size=len(data))
    except ReadError as error:
        assert error.offset is not None, f"no byte offset: {error}"
    finally:
        _Watch.active = False
    if record is not None:
        warphoto.validate(record)
    elapsed = time.perf_counter() - start
    assert elapsed < HANG_BOUND, f"reading took {elapsed:.1f} s"
    assert not _Watch.seen, f"ingest touched {_Watch.seen}"


@settings(
    max_examples=settings.default.max_examples * EXAMPLES_FACTOR * 4,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mutated_images_read_or_raise_a_read_error_with_an_offset(data: st.DataObject) -> None:
    ingest_or_refuse(data.draw(ingest_mutants(), label="mutant").data)


def test_the_ingest_seeds_read() -> None:
    from warphoto.imagefile import read_metadata_bytes

    for name, data in ingest_seed_files():
        metadata = read_metadata_bytes(data, source=name)
        assert metadata.exif or metadata.iim, name
