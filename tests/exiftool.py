"""One ``exiftool -stay_open`` process, driven over a pipe: the tests' and benchmarks' referee."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from warphoto.formats import xmp


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


# ------------------------------------------------------------------------ what ExifTool should see


def _flat(value: Any, key: str, out: dict[str, Any]) -> None:
    if isinstance(value, xmp.Alt):
        for lang, text in value.items():
            out[key if lang == "x-default" else f"{key}-{lang}"] = text
    elif isinstance(value, list):
        out[key] = [_item(v) for v in value]
    elif isinstance(value, xmp.Struct):
        out[key] = _item(value)
    else:
        out[key] = value


def _item(value: Any) -> Any:
    if isinstance(value, xmp.Struct):
        inner: dict[str, Any] = {}
        for member, item in value.items():
            _flat(item, member.rpartition("}")[2], inner)
        return inner
    if isinstance(value, list):
        return [_item(v) for v in value]
    return value


def exiftool_view(record: dict[str, Any], *, ours: bool = True) -> dict[str, Any]:
    """ExifTool's -G1 tags and values for the crosswalk properties of our packet of ``record``."""
    iptc, _ = xmp.properties(record)
    rows = {row.clark: row for row in xmp.crosswalk_rows()}
    out: dict[str, Any] = {}
    for clark, value in iptc:
        row = rows.get(clark)  # the others are IPTC's own keys (test_xmp_exiftool.iptc_native_tags)
        if row is not None and (ours or row.namespace != xmp.WARPHOTO_XMP_NS):
            _flat(value, row.exiftool, out)
    return out
