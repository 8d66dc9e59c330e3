"""A real Oxigraph server (``oxigraph serve``) on a free local port: the store tests' referee."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def oxigraph_program() -> str | None:
    """The ``oxigraph`` command beside this Python (the ``oxigraph`` wheel), or on PATH."""
    return shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class OxigraphServer:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT``, started and waited for."""

    def __init__(self, program: str, location: Path, *, union: bool = True, wait: float = 30.0) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [program, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(
            [*args, *(["--union-default-graph"] if union else [])],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + wait
        while not self._answers():
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"oxigraph serve exited with {self.process.returncode}: {error}")
            if time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"oxigraph serve did not answer within {wait:g} s")
            time.sleep(0.1)

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    def _answers(self) -> bool:
        request = urllib.request.Request(f"{self.base}/query?query=ASK%7B%7D")
        try:
            with urllib.request.urlopen(request, timeout=1) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stderr:
            self.process.stderr.close()
