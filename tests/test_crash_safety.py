"""Crash safety: what a killed, failing or racing writer leaves behind (issue #6, item 4).

* a batch conversion killed with SIGKILL (the whole process group, -j 1 and -j 2) leaves
  only complete output files, and no temporary ones;
* an embed into a JPEG that fails (an injected ``OSError`` at every call of every system
  call the atomic writer makes) or is killed (at each of those calls, and at random moments
  of a loop of large embeds) leaves the original picture or the complete new one;
* two processes writing the same path at once leave one of the two complete outputs, and a
  reader watching the file meanwhile never sees anything else.

The "no temporary file" half of these promises rests on Linux's ``O_TMPFILE`` (see
``warphoto._atomic``): those tests skip where the kernel has no such flag.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

import warphoto
from warphoto import _atomic, formats, io
from warphoto.canonical import canonical
from warphoto.errors import WriteError
from warphoto.formats import jpeg

from .jpeg_bytes import tiny_jpeg
from .test_cli import COMMAND, valid_photo, write_json

LINUX_TMPFILE = hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")
needs_tmpfile = pytest.mark.skipif(not LINUX_TMPFILE, reason="needs Linux's O_TMPFILE and /proc")

#: a hidden temporary file of the atomic writer: ``.NAME.XXXX.tmp``
_TEMPORARY = re.compile(r"^\..+\.[0-9a-z_]+\.tmp$")
#: the system calls of the atomic writer that write (the others only look)
_WRITING_CALLS = ("open", "fchmod", "write", "fsync", "link", "replace")


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "CI"}


def _listing(folder: Path) -> list[str]:
    """Every entry below ``folder`` (hidden ones too), relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _big_photo(ident: str, notes: int, headline: str) -> dict[str, Any]:
    """A valid photograph whose lossless copy needs extended XMP (about 40 bytes a note)."""
    record = valid_photo(ident, 1)
    record["headline"] = {"en": headline}
    record["https://example.org/ns#note"] = [f"note number {k} about {headline}" for k in range(notes)]
    return record


# --------------------------------------------------------------------------- processes


def _live_members(group: int) -> list[int]:
    """The processes of process group ``group`` that still run (zombies do not count)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path("/proc", entry, "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()  # after "pid (comm)": state, ppid, pgrp, ...
        if len(fields) > 2 and int(fields[2]) == group and fields[0] not in ("Z", "X"):
            members.append(int(entry))
    return members


def _kill_group(process: subprocess.Popen[Any]) -> None:
    """SIGKILL the process and everything in its group, and wait until none of them runs."""
    with contextlib.suppress(ProcessLookupError):  # the whole group has already gone
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    deadline = time.monotonic() + 30
    while _live_members(process.pid):
        assert time.monotonic() < deadline, f"processes of group {process.pid} outlived SIGKILL"
        time.sleep(0.01)


def _read_line(stream: IO[str], timeout: float) -> str:
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, f"no answer from the child within {timeout} s"
    return stream.readline()


# --------------------------------------------------------------------------- a killed batch conversion

_CONVERTED = ("turtle", "rdfxml", "jsonld")
_BATCH = 500


@pytest.fixture(scope="module")
def batch_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """500 records, each big enough that a conversion of all of them takes a second or so."""
    inputs = tmp_path_factory.mktemp("batch") / "in"
    for number in range(_BATCH):
        record = valid_photo(f"_:p{number}", number)
        record["keywords"] = {"en": [f"keyword {k}" for k in range(200)]}
        write_json(inputs / f"p{number:03}.jsonld", record)
    return inputs


@pytest.fixture(scope="module")
def expected_outputs(batch_inputs: Path) -> Callable[[str, str], bytes]:
    """``expected(stem, format)``: the bytes ``dumps(read(input), format)`` gives (computed once)."""
    known: dict[tuple[str, str], bytes] = {}

    def expected(stem: str, format: str) -> bytes:
        if (stem, format) not in known:
            text = io.dumps(io.read(batch_inputs / f"{stem}.jsonld"), format)
            known[stem, format] = text.encode("utf-8") if isinstance(text, str) else text
        return known[stem, format]

    return expected


@needs_tmpfile
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_killed_batch_conversion_leaves_only_complete_files(
    tmp_path: Path, jobs: str, batch_inputs: Path, expected_outputs: Callable[[str, str], bytes]
) -> None:
    assert COMMAND is not None
    total = _BATCH * len(_CONVERTED)
    extension = {formats.get(name).extensions[0]: name for name in _CONVERTED}
    name_pattern = re.compile(r"^(p\d{3})(" + "|".join(re.escape(e) for e in extension) + ")$")
    # kill after the first file, early, and well into the run
    for kill_after in (1, 60, 400):
        out = tmp_path / f"out-{kill_after}"
        with open(tmp_path / f"stderr-{kill_after}", "w+", encoding="utf-8") as stderr:
            process = subprocess.Popen(
                [COMMAND, "convert", str(batch_inputs), "--to", ",".join(_CONVERTED),
                 "--out-dir", str(out), "-j", jobs],
                stdout=subprocess.DEVNULL, stderr=stderr, env=_environment(), start_new_session=True,
            )  # fmt: skip
            try:
                deadline = time.monotonic() + 120
                while process.poll() is None and time.monotonic() < deadline:
                    if out.is_dir() and sum(1 for _ in os.scandir(out)) >= kill_after:
                        break
                    time.sleep(0.002)
                assert process.poll() is None, "the conversion ended (or hung) before it could be killed"
            finally:
                _kill_group(process)
            assert process.returncode == -signal.SIGKILL
        written = _listing(out)
        assert 0 < len(written) < total, f"the kill did not land part-way: {len(written)} of {total}"
        assert len(written) >= kill_after
        for name in written:
            match = name_pattern.match(name)
            assert match is not None, f"a stray file after SIGKILL: {name!r}"  # no temporary, no other
            stem, format = match[1], extension[match[2]]
            assert (out / name).read_bytes() == expected_outputs(stem, format), f"{name} is not complete"


# --------------------------------------------------------------------------- failing system calls


@dataclass
class _Os:
    """The ``os`` module as ``warphoto._atomic`` sees it, with one system call made to fail or die.

    Every call of the functions in :data:`_WRITING_CALLS` is counted (``calls``). The
    ``fault``-th call of ``target`` raises ``OSError(errno_)``, or, with ``kill``, SIGKILLs
    the process just before (``after=False``) or just after it. ``os.write`` writes at most
    ``chunk`` bytes a call, so that a file of a few MB is written in several calls.
    """

    target: str = ""
    fault: int = 0
    _: KW_ONLY
    errno_: int = errno.EIO
    kill: bool = False
    after: bool = False
    chunk: int = 256 * 1024
    calls: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_WRITING_CALLS, 0), init=False)

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        if name not in self.calls:
            return real

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            hit = name == self.target and self.calls[name] == self.fault
            if hit and not self.kill:
                raise OSError(self.errno_, f"injected failure of os.{name}")
            if hit and not self.after:
                os.kill(os.getpid(), signal.SIGKILL)
            try:
                if name == "write":
                    fd, data = args
                    return real(fd, data[: self.chunk])
                return real(*args, **kwargs)
            finally:
                if hit:  # just after the call, whether it worked or raised
                    os.kill(os.getpid(), signal.SIGKILL)

        return call


def _named_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the atomic writer take its fallback (a named temporary file), as without O_TMPFILE."""
    monkeypatch.setattr(_atomic, "_unnamed_file", lambda folder, data, mode: None)


@pytest.fixture(scope="module")
def big_records() -> tuple[dict[str, Any], dict[str, Any]]:
    """Two different photographs, each a couple of MB of extended XMP in a JPEG."""
    return (
        _big_photo("https://example.org/photos/big-a", 50_000, "first"),
        _big_photo("https://example.org/photos/big-b", 30_000, "second"),
    )


def _setups(
    folder: Path, records: tuple[dict[str, Any], dict[str, Any]]
) -> dict[str, tuple[Path, bytes | None, bytes, Callable[[], Any]]]:
    """What each test writes: {name: (target, its bytes before or None, its bytes after, write)}.

    ``jpeg`` embeds record A into a picture that holds record B (replacing the file);
    ``replace`` rewrites an existing Turtle file; ``new`` writes a Turtle file that is not there.
    """
    first, second = records
    picture = jpeg.embed(tiny_jpeg(), second)
    turtle_old = str(io.dumps(second, "turtle")).encode("utf-8")
    turtle_new = str(io.dumps(first, "turtle")).encode("utf-8")
    image = folder / "photo.jpg"
    old = folder / "old.ttl"
    new = folder / "new.ttl"
    return {
        "jpeg": (image, picture, jpeg.embed(picture, first), lambda: warphoto.write(first, image)),
        "replace": (old, turtle_old, turtle_new, lambda: warphoto.write(first, old)),
        "new": (new, None, turtle_new, lambda: warphoto.write(first, new)),
    }


def _prepare(target: Path, before: bytes | None) -> None:
    for entry in target.parent.iterdir():
        entry.unlink()
    if before is not None:
        target.write_bytes(before)


def _count_calls(
    monkeypatch: pytest.MonkeyPatch,
    target: Path,
    before: bytes | None,
    after: bytes,
    write: Callable[[], Any],
) -> dict[str, int]:
    """The calls a clean run makes (with short writes: the file must still come out whole)."""
    _prepare(target, before)
    counting = _Os()
    with monkeypatch.context() as patch:
        patch.setattr(_atomic, "os", counting)
        write()
    assert target.read_bytes() == after
    assert _listing(target.parent) == [target.name]
    return counting.calls


@pytest.mark.parametrize("setup", ["jpeg", "replace", "new"])
@pytest.mark.parametrize("path", ["unnamed", "named"])
def test_failing_write_leaves_the_original(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    big_records: tuple[dict[str, Any], dict[str, Any]],
    setup: str,
    path: str,
) -> None:
    if path == "unnamed" and not LINUX_TMPFILE:
        pytest.skip("no O_TMPFILE here")
    if path == "named":
        _named_only(monkeypatch)
    target, before, after, write = _setups(tmp_path, big_records)[setup]
    calls = _count_calls(monkeypatch, target, before, after, write)
    assert calls["write"] > 3 and calls["fsync"] >= 1, calls  # written in several short writes
    if path == "unnamed":
        assert calls["open"] >= 1 and calls["link"] >= 1, calls
    failures = 0
    for name, count in calls.items():
        for fault in range(1, count + 1):
            _prepare(target, before)
            with monkeypatch.context() as patch:
                patch.setattr(_atomic, "os", _Os(name, fault, errno_=errno.ENOSPC))
                with pytest.raises(WriteError, match="cannot write"):
                    write()
            failures += 1
            where = f"os.{name} failing on call {fault}"
            assert _listing(tmp_path) == ([] if before is None else [target.name]), where
            if before is not None:
                assert target.read_bytes() == before, where
    assert failures >= 8


@needs_tmpfile
def test_no_tmpfile_support_falls_back_to_a_named_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, big_records: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    """A file system without O_TMPFILE (EOPNOTSUPP) still gets the file, whole."""
    target, before, after, write = _setups(tmp_path, big_records)["jpeg"]
    _prepare(target, before)
    with monkeypatch.context() as patch:
        patch.setattr(_atomic, "os", _Os("open", 1, errno_=errno.EOPNOTSUPP))
        write()
    assert target.read_bytes() == after
    assert _listing(tmp_path) == [target.name]


# --------------------------------------------------------------------------- killed at each step


def _run_killed(monkeypatch: pytest.MonkeyPatch, faulty: _Os, write: Callable[[], Any]) -> int:
    """Run ``write`` in a forked child with ``faulty`` as its ``os``; the child's wait status."""
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 0
        try:
            monkeypatch.setattr(_atomic, "os", faulty)
            write()
        except BaseException:
            code = 3
        os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    return status


@needs_tmpfile
@pytest.mark.parametrize("setup", ["jpeg", "new"])
@pytest.mark.parametrize("path", ["unnamed", "named"])
def test_write_killed_at_each_step_leaves_old_or_new_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    big_records: tuple[dict[str, Any], dict[str, Any]],
    setup: str,
    path: str,
) -> None:
    """SIGKILL just before and just after every writing system call of the atomic writer.

    The target is always the old file (or absent) or the whole new one. With O_TMPFILE,
    writing a new file leaves nothing else behind; replacing a file needs a hidden name for
    an instant (link, then rename over the target), and a kill in that instant leaves that
    complete hidden file. The named fallback may leave its (partial) hidden file.
    """
    if path == "named":
        _named_only(monkeypatch)
    target, before, after, write = _setups(tmp_path, big_records)[setup]
    calls = _count_calls(monkeypatch, target, before, after, write)
    kills = leftovers = 0
    for name, count in calls.items():
        for fault in range(1, count + 1):
            for after_call in (False, True):
                _prepare(target, before)
                status = _run_killed(monkeypatch, _Os(name, fault, kill=True, after=after_call), write)
                where = f"killed {'after' if after_call else 'before'} call {fault} of os.{name}"
                assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, where
                kills += 1
                state = target.read_bytes() if target.exists() else None
                assert state in (before, after), f"{where}: the target is neither the old nor the new file"
                others = [entry for entry in _listing(tmp_path) if entry != target.name]
                if path == "unnamed" and before is None:
                    assert others == [], f"{where}: left {others}"
                for entry in others:
                    assert _TEMPORARY.match(entry) and entry.startswith(f".{target.name}."), where
                    if path == "unnamed":  # only ever the complete file, named for an instant
                        assert (tmp_path / entry).read_bytes() == after, where
                leftovers += bool(others)
    assert kills >= 16
    if path == "unnamed" and before is None:
        assert leftovers == 0


# --------------------------------------------------------------------------- killed at random moments

_EMBED_LOOP = """
import json, os, shutil, sys, tempfile
import warphoto
image, *names = sys.argv[1:]
records = [json.loads(open(name, encoding="utf-8").read()) for name in names]
# one embed into a scratch copy first: warphoto loads its format modules on first use, and
# "ready" means the next embed is into the picture, not the imports
warm = os.path.join(tempfile.mkdtemp(), "warm.jpg")
shutil.copyfile(image, warm)
warphoto.write(records[0], warm)
print("ready", flush=True)
while True:
    for record in records:
        warphoto.write(record, image)
"""


@needs_tmpfile
def test_embed_killed_at_random_moments_leaves_original_or_complete_jpeg(
    tmp_path: Path, big_records: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    """A process embeds two large records in turn into one JPEG until it is SIGKILLed."""
    original = tiny_jpeg()
    first, second = big_records
    embedded = {"A": jpeg.embed(original, first), "B": jpeg.embed(original, second)}
    # embedding replaces what was there: these three are the only states the file can be in
    assert jpeg.embed(embedded["B"], first) == embedded["A"]
    assert jpeg.embed(embedded["A"], second) == embedded["B"]
    records = {"A": first, "B": second}
    names = [write_json(tmp_path / "a.jsonld", first), write_json(tmp_path / "b.jsonld", second)]
    folder = tmp_path / "pictures"
    folder.mkdir()
    image = folder / "photo.jpg"
    chance = random.Random(20220911)
    seen = {"original": 0, "A": 0, "B": 0, "hidden": 0}
    for round_ in range(24):
        image.write_bytes(original)
        process = subprocess.Popen(
            [sys.executable, "-c", _EMBED_LOOP, str(image), *map(str, names)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_environment(),
            start_new_session=True,
        )  # fmt: skip
        try:
            assert process.stdout is not None
            assert _read_line(process.stdout, 60) == "ready\n"
            time.sleep(chance.uniform(0.0, 0.5))  # an embed of these records takes about 0.1 s
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
        finally:
            _kill_group(process)
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
        data = image.read_bytes()
        state = next((key for key, value in embedded.items() if data == value), None)
        if state is None:
            assert data == original, f"round {round_}: the JPEG is neither the original nor a complete embed"
            seen["original"] += 1
        else:
            seen[state] += 1
            back = warphoto.read(image)
            assert canonical(back) == canonical(records[state]), f"round {round_}"
        for entry in _listing(folder):
            if entry == image.name:
                continue
            # the instant between naming the new file and renaming it over the picture
            assert _TEMPORARY.match(entry) and entry.startswith(".photo.jpg."), entry
            assert (folder / entry).read_bytes() in embedded.values(), f"round {round_}: {entry} is partial"
            seen["hidden"] += 1
            (folder / entry).unlink()
    assert seen["A"] + seen["B"] > 0, seen  # the kills landed while embedding, not only before


# --------------------------------------------------------------------------- two writers, one path

_WRITER = """
import json, sys
import warphoto
target, name = sys.argv[1:]
record = json.loads(open(name, encoding="utf-8").read())
print("ready", flush=True)
for line in sys.stdin:
    warphoto.write(record, target)
    print("done", flush=True)
"""


@contextlib.contextmanager
def _two_writers(script_args: list[list[str]]) -> Iterator[list[subprocess.Popen[str]]]:
    """Writer processes, each waiting for a line on stdin to write its record once more."""
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_environment(),
            start_new_session=True,
        )
        for args in script_args
    ]
    try:
        for writer in writers:
            assert writer.stdout is not None
            assert _read_line(writer.stdout, 60) == "ready\n"
        yield writers
    finally:
        for writer in writers:
            if writer.poll() is None:
                _kill_group(writer)
            for stream in (writer.stdin, writer.stdout, writer.stderr):
                if stream is not None:
                    stream.close()


@needs_tmpfile
@pytest.mark.parametrize("kind", ["turtle", "jpeg"])
def test_two_processes_writing_one_path_never_mix(
    tmp_path: Path, big_records: tuple[dict[str, Any], dict[str, Any]], kind: str
) -> None:
    first, second = big_records
    folder = tmp_path / "out"
    folder.mkdir()
    if kind == "jpeg":
        target = folder / "photo.jpg"
        start = tiny_jpeg()
        outputs = {jpeg.embed(start, first), jpeg.embed(start, second)}
    else:
        target = folder / "both.ttl"
        start = None
        outputs = {str(io.dumps(record, "turtle")).encode("utf-8") for record in big_records}
    assert len(outputs) == 2
    names = [str(write_json(tmp_path / f"{n}.jsonld", r)) for n, r in (("a", first), ("b", second))]
    rounds = 60
    winners: dict[bytes, int] = dict.fromkeys(outputs, 0)
    glimpses = 0
    with _two_writers([[str(target), name] for name in names]) as writers:
        for round_ in range(rounds):
            if start is not None:
                target.write_bytes(start)  # every embed starts from the bare picture
            elif round_ % 2 == 0 and target.exists():
                target.unlink()  # half the rounds race to create the file, half to replace it
            for writer in writers:
                assert writer.stdin is not None
                writer.stdin.write("go\n")
                writer.stdin.flush()
            pending = {writer.stdout: writer for writer in writers if writer.stdout is not None}
            deadline = time.monotonic() + 60
            while pending:
                assert time.monotonic() < deadline, "a writer hung"
                # meanwhile a reader sees the old file, nothing, or a whole new one
                try:
                    seen = target.read_bytes()
                except FileNotFoundError:
                    seen = None
                assert seen is None or seen == start or seen in outputs, f"round {round_}: a mixed file"
                glimpses += 1
                ready, _, _ = select.select(list(pending), [], [], 0.001)
                for stream in ready:
                    line = stream.readline()
                    writer = pending.pop(stream)
                    assert line == "done\n", (writer.stderr.read() if writer.stderr else "") or line
            final = target.read_bytes()
            assert final in outputs, f"round {round_}: the file is neither of the two outputs"
            winners[final] += 1
            assert _listing(folder) == [target.name], f"round {round_}"
    assert sum(winners.values()) == rounds and glimpses >= rounds
