"""`warphoto convert --to ntriples` with -j 1, -j 2, --engine dask and --engine spark on the same input.

The input is COUNT seeded records (benchmarks/records.py) in 4 JSON Lines files, so that -j 2
has files to share out; the engines cut them into --partitions 4. Each run is the installed
command, timed end to end (engine start-up included), and its output is checked: the same
sorted triples as -j 1, blank nodes renumbered. Prints a Markdown table.

    python benchmarks/bench_engines.py --count 20000
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import make_jsonl  # noqa: E402

FILES = 4
_ANON = re.compile(r"_:wpb[0-9p]+\b")
RUNS = {
    "-j 1": ["-j", "1"],
    "-j 2": ["-j", "2"],
    "--engine dask (local cluster, 2 workers)": ["--engine", "dask", "--partitions", "4"],
    "--engine spark (local[2])": ["--engine", "spark", "--master", "local[2]", "--partitions", "4"],
}


def canonical(paths: list[Path]) -> list[str]:
    """The triples of the files, sorted, anonymous blank nodes numbered by first appearance.

    Each file is its own document (-j writes one per input, each numbering from ``_:wpb1``),
    so the same label in two files is two nodes.
    """
    lines: list[str] = []
    count = 0
    for path in paths:
        names: dict[str, str] = {}

        def name(match: re.Match[str], names: dict[str, str] = names) -> str:
            nonlocal count
            if match.group(0) not in names:
                count += 1
                names[match.group(0)] = f"_:a{count}"
            return names[match.group(0)]

        lines += _ANON.sub(name, path.read_text(encoding="utf-8")).splitlines()
    return sorted(lines)


def convert(command: str, inputs: list[Path], target: Path, options: list[str]) -> float:
    """Seconds for one run; its outputs (one per input with -j, one joined with --engine) in ``target``."""
    target.mkdir()
    start = time.perf_counter()
    if "--engine" in options:
        args = [command, "convert", *map(str, inputs), "--to", "ntriples", "-o", str(target / "all.nt")]
    else:
        args = [command, "convert", *map(str, inputs), "--to", "ntriples", "--out-dir", str(target)]
    subprocess.run([*args, *options], check=True, capture_output=True)
    return time.perf_counter() - start


def outputs(folder: Path) -> list[Path]:
    """The outputs of a run in input order: the joined file of --engine, or -j's file per input."""
    if (folder / "all.nt").exists():
        return [folder / "all.nt"]
    return [folder / f"part{index}.nt" for index in range(FILES)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000, help="records in all (default 20,000)")
    parser.add_argument("--only", action="append", default=[], help="run only rows starting with this")
    args = parser.parse_args()
    command = shutil.which("warphoto", path=str(Path(sys.executable).parent)) or "warphoto"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        everything = folder / "all.jsonl"
        make_jsonl(everything, args.count)
        lines = everything.read_bytes().splitlines(keepends=True)
        everything.unlink()
        inputs = []
        for index in range(FILES):
            path = folder / f"part{index}.jsonl"
            path.write_bytes(b"".join(lines[index * len(lines) // FILES : (index + 1) * len(lines) // FILES]))
            inputs.append(path)
        reference: list[str] | None = None
        print(f"{args.count:,} records ({FILES} JSON Lines files) to N-Triples\n")
        print("| run | seconds | records/s | µs per record over -j 1 | same triples as -j 1 |")
        print("|---|---|---|---|---|")
        base: float | None = None
        for name, options in RUNS.items():
            if args.only and not any(name.startswith(o) for o in args.only) and name != "-j 1":
                continue
            out = folder / re.sub(r"[^a-z0-9]+", "-", name)
            seconds = convert(command, inputs, out, options)
            triples = canonical(outputs(out))
            if reference is None:
                reference, base = triples, seconds
            assert base is not None
            over = (seconds - base) / args.count * 1e6
            print(
                f"| {name} | {seconds:.1f} | {args.count / seconds:,.0f} | {over:+.0f} | "
                f"{'yes' if triples == reference else 'NO'} ({len(triples):,} triples) |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
