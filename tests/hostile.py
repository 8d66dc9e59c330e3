"""Test helpers for hostile input: a watched local server, a watched canary file, and a reader
process that reports time, memory, file opens and network events for each case.

* :class:`Recorder` is a local TCP server that records every connection and answers it with
  a small HTTP response, so a library that fetched from it would succeed, and be caught.
* :class:`Canary` is a file outside the input, watched with Linux inotify: any process that
  opens or reads it (C code in lxml or libxml2 included) is seen.
* :class:`ReaderProcess` runs ``tests/hostile_runner.py``, which reads one case at a time
  and reports what happened (see that file).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import select
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RUNNER = Path(__file__).with_name("hostile_runner.py")
HTTP_REPLY = (
    b'HTTP/1.0 200 OK\r\nContent-Type: application/ld+json\r\nContent-Length: 15\r\n\r\n{"@context":{}}'
)


class Recorder:
    """A local TCP server that records every connection attempt (and answers it like HTTP)."""

    def __init__(self) -> None:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.server.settimeout(0.05)
        self.port: int = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            try:
                conn.settimeout(0.5)
                self.requests.append(conn.recv(4096))
                conn.sendall(HTTP_REPLY)
            except OSError:
                pass
            finally:
                conn.close()

    def wait_for(self, count: int, seconds: float = 2.0) -> bool:
        deadline = time.monotonic() + seconds
        while self.connections < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.connections >= count

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.server.close()


_IN_ACCESS, _IN_OPEN = 0x00000001, 0x00000020


class Canary:
    """A secret file outside every input; inotify reports any open or read of it, by anyone."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "secret.txt"
        self.path.write_text("CANARY-7f3a: a file outside the input was read if this shows up\n")
        self.text = self.path.read_text()
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        if libc.inotify_add_watch(self._fd, os.fsencode(self.path), _IN_ACCESS | _IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch failed")

    def touched(self) -> int:
        """How many open/read events happened since the last call."""
        events = 0
        while True:
            ready, _, _ = select.select([self._fd], [], [], 0)
            if not ready:
                return events
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return events
            offset = 0
            while offset < len(data):
                _, mask, _, length = struct.unpack_from("iIII", data, offset)
                events += bool(mask & (_IN_ACCESS | _IN_OPEN))
                offset += 16 + length

    def close(self) -> None:
        os.close(self._fd)


@dataclass
class Outcome:
    """What reading one case did (see hostile_runner.py)."""

    error: str | None
    classes: list[str]
    message: str
    seconds: float
    peak_mb: float
    opens: list[str]
    events: list[str]
    timed_out: bool = False

    @property
    def is_warphoto_error(self) -> bool:
        return "WarphotoError" in self.classes


class ReaderProcess:
    """A long-lived Python process that reads cases on request; restarted after a hang."""

    #: the program it runs, and what its start-up failure calls it
    runner = RUNNER
    what = "reader"

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, str(self.runner)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else b""
        if line.strip() != b"ready":
            process.kill()
            raise RuntimeError(f"the {self.what} process did not start: {line!r}")
        return process

    def read(self, path: Path, format: str, *, how: str = "read", hang_after: float = 30.0) -> Outcome:
        """Read ``path`` as ``format`` in the reader process; kill it after ``hang_after`` seconds."""
        if self._process is None or self._process.poll() is not None:
            self._process = self._start()
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps({"path": str(path), "format": format, "how": how}).encode() + b"\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], hang_after)
        line = process.stdout.readline() if ready else b""
        if not line:
            process.kill()
            process.wait()
            self._process = None
            return Outcome(
                None, [], "no answer: the reader hung or died", hang_after, 0.0, [], [], timed_out=True
            )
        answer: dict[str, Any] = json.loads(line)
        return Outcome(**answer)

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


INGEST_RUNNER = Path(__file__).parent / "ingest" / "hostile_ingest_runner.py"


class IngestReaderProcess(ReaderProcess):
    """The same watched reader process, reading each image through ``warphoto.imagefile``."""

    runner = INGEST_RUNNER
    what = "ingest reader"
