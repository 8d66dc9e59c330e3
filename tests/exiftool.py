"""One ``exiftool -stay_open`` process, driven over a pipe: the tests' and benchmarks' referee."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any


class ExifTool:
    """Send ExifTool argument lists and read their output, without a new process per file."""

    def __init__(self, program: str = "exiftool") -> None:
        self.process = subprocess.Popen(
            [program, "-stay_open", "True", "-@", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )

    def run(self, *args: str) -> str:
        """The output of one command (everything before ExifTool's ``{ready}`` marker)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\n".join([*args, "-execute"]) + "\n")
        self.process.stdin.flush()
        lines = []
        while True:
            line = self.process.stdout.readline()
            if not line:
                break
            if line.rstrip().endswith("{ready}"):  # also after output without a final newline (-b)
                lines.append(line.rstrip()[: -len("{ready}")])
                break
            lines.append(line)
        return "".join(lines)

    def read(self, path: Path | str, *, numbers: bool = True) -> dict[str, Any]:
        """``exiftool -j -struct -G1`` of one file, parsed."""
        args = ["-j", "-struct", "-G1", "-charset", "UTF8", *(["-n"] if numbers else []), str(path)]
        result: list[dict[str, Any]] = json.loads(self.run(*args))
        return result[0]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("-stay_open\nFalse\n")
        self.process.stdin.flush()
        self.process.wait(timeout=30)
