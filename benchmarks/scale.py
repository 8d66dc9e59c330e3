"""Scale: streaming conversion in constant memory, and parallel batches.

    python benchmarks/scale.py            # 100,000 and 1,000,000 records; -j 1 and -j 2 on 100,000
    python benchmarks/scale.py --quick    # 10,000 and 100,000 records; -j on 20,000

Streaming: JSON Lines -> N-Triples and -> RDF/XML through ``warphoto.iter_read`` and
``warphoto.write_stream``, each run in a fresh process whose peak RSS is reported; the
ratio of times between the two sizes shows whether time grows linearly.
Parallel: ``warphoto convert FOLDER --to ntriples -j N`` over the same records split
into files of 100 records each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from records import peak_rss_mb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))


def make_jsonl(path: Path, count: int) -> None:
    from records import records

    with path.open("w", encoding="utf-8") as handle:
        done = 0
        while done < count:
            batch = records(min(10_000, count - done), seed=done)
            for index, record in enumerate(batch):
                record["@id"] = f"https://example.org/archive/photo/{done + index}"
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            done += len(batch)


def stream_child(source: str, target: str, format_name: str) -> None:
    import warphoto

    start = time.perf_counter()
    count = warphoto.write_stream(warphoto.iter_read(source), target, format_name)
    elapsed = time.perf_counter() - start
    peak = peak_rss_mb()
    print(json.dumps({"seconds": elapsed, "peak_mb": peak, "written": count}))


def stream(source: Path, format_name: str, folder: Path) -> dict[str, float]:
    target = folder / f"out.{format_name}"
    run = subprocess.run(
        [sys.executable, __file__, "--child", str(source), str(target), format_name],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    target.unlink()
    result: dict[str, float] = json.loads(run.stdout)
    return result


def parallel(count: int, folder: Path) -> dict[int, float]:
    from records import records

    inputs = folder / "batch"
    inputs.mkdir()
    for start in range(0, count, 100):
        chunk = records(100, seed=start)
        lines = []
        for index, record in enumerate(chunk):
            record["@id"] = f"https://example.org/archive/photo/{start + index}"
            lines.append(json.dumps(record, ensure_ascii=False))
        (inputs / f"part-{start // 100:05d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    times = {}
    for jobs in (1, 2):
        out = folder / f"out-{jobs}"
        begin = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "warphoto", "convert", str(inputs), "--to", "ntriples", "--out-dir", str(out),
             "-j", str(jobs), "--no-progress"],
            check=True, capture_output=True, env={**os.environ, "CI": "1"},
        )  # fmt: skip
        times[jobs] = time.perf_counter() - begin
    return times


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--skip-stream", action="store_true")
    parser.add_argument("--skip-parallel", action="store_true")
    args = parser.parse_args()
    if args.child:
        stream_child(*args.child)
        return 0

    small, large = (10_000, 100_000) if args.quick else (100_000, 1_000_000)
    batch = 20_000 if args.quick else 100_000
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as name:
        folder = Path(name)
        if not args.skip_stream:
            print("| records | format | seconds | records/s | peak RSS MB |")
            print("|---:|---|---:|---:|---:|")
            results: dict[tuple[int, str], dict[str, float]] = {}
            for count in (small, large):
                source = folder / f"in-{count}.jsonl"
                make_jsonl(source, count)
                for format_name in ("ntriples", "rdfxml"):
                    result = stream(source, format_name, folder)
                    results[(count, format_name)] = result
                    print(f"| {count:,} | {format_name} | {result['seconds']:.1f} | "
                          f"{count / result['seconds']:,.0f} | {result['peak_mb']:.0f} |", flush=True)  # fmt: skip
                source.unlink()
            for format_name in ("ntriples", "rdfxml"):
                ratio = results[(large, format_name)]["seconds"] / results[(small, format_name)]["seconds"]
                print(f"\n{format_name}: {large // small}x the records took {ratio:.2f}x the time")
        if not args.skip_parallel:
            times = parallel(batch, folder)
            print(f"\nconvert {batch:,} records ({batch // 100} files) to N-Triples: -j 1 {times[1]:.1f} s, "
                  f"-j 2 {times[2]:.1f} s, speed-up {times[1] / times[2]:.2f}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
