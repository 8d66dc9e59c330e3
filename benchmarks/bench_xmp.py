"""XMP sidecar throughput: warphoto against ExifTool (``-stay_open`` batch mode), side by side in one run.

    python benchmarks/bench_xmp.py            # full run
    python benchmarks/bench_xmp.py --quick    # a few seconds
    python benchmarks/bench_xmp.py --check    # exit 1 unless writing >= 100x and reading >= 50x ExifTool

What is measured, for the photographs of the example gallery (each a standalone record):

* write: record -> XMP sidecar file. warphoto: ``xmp.render`` and a plain file write.
  ExifTool: ``-j=record.json sidecar.xmp`` (its JSON import, the IPTC tags of the record),
  with the JSON files prepared beforehand.
* read: XMP sidecar file -> record. warphoto: read the file and ``xmp.loads``. ExifTool:
  ``-j -struct -G1 sidecar.xmp``, with its JSON output parsed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from tests.exiftool import ExifTool, exiftool_view  # noqa: E402

from warphoto.formats import xmp  # noqa: E402
from warphoto.model.graph import standalone_records  # noqa: E402


def exiftool_json(record: dict[str, Any]) -> dict[str, Any]:
    """The record's IPTC properties as ExifTool JSON (the crosswalk names each row's ExifTool tag)."""
    return {"SourceFile": "*", **exiftool_view(record, ours=False)}


REFERENCE_PACKET = (
    REPO.parent / "shared/reference/iptc-photometadata/reference-image/IPTC-PhotometadataRef-Std2023.2.xmp"
)


def reference_rows(folder: Path, rounds: int, tool: ExifTool | None) -> None:
    """The IPTC reference image's full packet (every IPTC property): read and write it, beside
    the floor (the file read and lxml's parse of it) and ExifTool's read."""
    from lxml import etree

    if not REFERENCE_PACKET.is_file():
        print("reference packet not found: no reference row")
        return
    source = folder / "reference.xmp"
    source.write_bytes(REFERENCE_PACKET.read_bytes())
    record = xmp.loads(source.read_bytes())
    timings: dict[str, float] = {}
    start = time.perf_counter()
    for _ in range(rounds):
        etree.fromstring(source.read_bytes().strip(b"\x00 \r\n\t"))
    timings["lxml floor"] = rate(rounds, time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(rounds):
        xmp.loads(source.read_bytes())
    timings["read"] = rate(rounds, time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(rounds):
        data, _ = xmp.render(record)
        (folder / "reference-again.xmp").write_bytes(data)
    timings["write"] = rate(rounds, time.perf_counter() - start)
    line = (
        f"reference packet ({REFERENCE_PACKET.stat().st_size} bytes): read {timings['read']:.0f}/s, "
        f"write {timings['write']:.0f}/s; floor (file read + lxml parse) {timings['lxml floor']:.0f}/s: "
        f"reading runs at {timings['read'] / timings['lxml floor']:.2f} of the floor"
    )
    if tool is not None:
        tool.run("-j", "-struct", "-G1", str(source))
        tool_rounds = max(1, rounds // 50)
        start = time.perf_counter()
        for _ in range(tool_rounds):
            json.loads(tool.run("-j", "-struct", "-G1", str(source)))
        tool_read = rate(tool_rounds, time.perf_counter() - start)
        line += f"; ExifTool reads {tool_read:.0f}/s ({timings['read'] / tool_read:.1f}x)"
    print(line)


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def per_second(rounds: int, files: int, step: Callable[[int, int], object]) -> float:
    """How many ``step(round, index)`` calls a second, over ``rounds`` rounds of ``files`` files."""
    start = time.perf_counter()
    for round_ in range(rounds):
        for index in range(files):
            step(round_, index)
    return rate(rounds * files, time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a short run")
    parser.add_argument(
        "--dir",
        default="/dev/shm" if Path("/dev/shm").is_dir() else None,
        help="where both tools write their sidecars (default: /dev/shm, to time the software, not the disk)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 below 100x (write) / 50x (read) ExifTool"
    )
    args = parser.parse_args(argv)

    gallery = json.loads((REPO / "docs/examples/kharkiv-2022.jsonld").read_text(encoding="utf-8"))
    records = standalone_records(gallery)
    ours_rounds = 20 if args.quick else 200
    tool_rounds = 1 if args.quick else 4
    program = shutil.which("exiftool")

    with tempfile.TemporaryDirectory(prefix="bench-xmp-", dir=args.dir) as tmp:
        folder = Path(tmp)
        for index, record in enumerate(records):
            (folder / f"r{index}.json").write_text(json.dumps([exiftool_json(record)]), encoding="utf-8")

        def write_ours(_round: int, index: int) -> None:
            data, _ = xmp.render(records[index])
            with open(folder / f"w{index}.xmp", "wb") as handle:
                handle.write(data)

        def read_ours(_round: int, index: int) -> None:
            with open(folder / f"w{index}.xmp", "rb") as handle:
                xmp.loads(handle.read())

        ours_write = per_second(ours_rounds, len(records), write_ours)
        ours_read = per_second(ours_rounds, len(records), read_ours)

        mean = sum(len(xmp.render(r)[0]) for r in records) // len(records)
        print(f"records: {len(records)} example photographs; mean packet {mean} bytes; files in {folder}")
        print(f"warphoto  write {ours_write:10.0f} sidecars/s   read {ours_read:10.0f} sidecars/s")
        if program is None:
            print("exiftool not found: no comparison")
            return 1 if args.check else 0

        tool = ExifTool(program)
        try:
            tool.run("-ver")
            # untimed: ExifTool loads its writer and reader modules on first use
            tool.run(f"-j={folder / 'r0.json'}", str(folder / "warm-up.xmp"))
            tool.run("-j", "-struct", "-G1", str(folder / "w0.xmp"))
            tool_write = per_second(
                tool_rounds,
                len(records),
                lambda round_, index: tool.run(
                    f"-j={folder / f'r{index}.json'}", str(folder / f"e{round_}-{index}.xmp")
                ),
            )
            tool_read = per_second(
                tool_rounds,
                len(records),
                lambda _round, index: json.loads(
                    tool.run("-j", "-struct", "-G1", str(folder / f"w{index}.xmp"))
                ),
            )
            reference_rows(folder, ours_rounds * 5, tool)
        finally:
            tool.close()

    write_x, read_x = ours_write / tool_write, ours_read / tool_read
    print(f"exiftool  write {tool_write:10.0f} sidecars/s   read {tool_read:10.0f} sidecars/s   (-stay_open)")
    print(f"ratio     write {write_x:10.1f}x              read {read_x:10.1f}x   (targets: 100x, 50x)")
    if args.check and (write_x < 100 or read_x < 50):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
