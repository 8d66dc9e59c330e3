"""`warphoto convert --to ntriples` with -j 1, -j 2, --engine dask and --engine spark on the same input.

The input is COUNT seeded records (benchmarks/records.py) in 4 JSON Lines files, so that -j 2
has files to share out; the engines cut them into --partitions 4. Each run is the installed
command, timed end to end (engine start-up included); a sampler (psutil, every 0.25 s) follows
its process tree for the peak resident memory of each kind of process (the driver, Dask's
workers, Spark's JVM and its Python workers). Its output is checked against -j 1's: the same
triples in the same order, anonymous blank nodes matched one to one (each -j file is its own
document), streamed, so that a million records fit. Prints a Markdown table.

    python benchmarks/bench_engines.py --count 20000
    python benchmarks/bench_engines.py --count 1000000 --only '--engine dask' --work /tmp/engines
"""

from __future__ import annotations

import argparse
import itertools
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import make_jsonl  # noqa: E402

FILES = 4
_ANON = re.compile(r"_:wpb[0-9p]+")
RUNS = {
    "-j 1": ["-j", "1"],
    "-j 2": ["-j", "2"],
    "--engine dask (local cluster, 2 workers)": ["--engine", "dask"],
    "--engine spark (local[2])": ["--engine", "spark", "--master", "local[2]"],
}


def role(process: psutil.Process, root: int) -> str:
    """What a process of the run is: driver, dask worker, spark jvm, python worker, other."""
    if process.pid == root:
        return "driver"
    try:
        line = " ".join(process.cmdline())
    except psutil.Error:
        return "other"
    if "java" in process.name() or "org.apache.spark" in line:
        return "spark jvm"
    if "pyspark.daemon" in line or "pyspark/daemon" in line or "pyspark.worker" in line:
        return "spark python worker"
    if "spawn_main" in line or "dask" in line:
        return "dask worker"
    if "resource_tracker" in line or "bash" in process.name():
        return "other"
    return "python worker" if "python" in process.name() else "other"


@dataclass
class Sampler:
    """The peak RSS (MB) of each process of a run's tree, by role; sampled in a thread."""

    root: int
    peaks: dict[int, float] = field(default_factory=dict)
    cpu: dict[int, float] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.done.wait(0.25):
            try:
                top = psutil.Process(self.root)
                tree = [top, *top.children(recursive=True)]
            except psutil.Error:
                continue
            for process in tree:
                try:
                    rss = process.memory_info().rss / 2**20
                    times = process.cpu_times()
                except psutil.Error:
                    continue
                if process.pid not in self.roles:
                    self.roles[process.pid] = role(process, self.root)
                self.peaks[process.pid] = max(self.peaks.get(process.pid, 0.0), rss)
                self.cpu[process.pid] = times.user + times.system

    def by_role(self) -> dict[str, tuple[int, float]]:
        """role -> (how many processes, the highest peak of one)."""
        out: dict[str, tuple[int, float]] = {}
        for pid, peak in self.peaks.items():
            count, high = out.get(self.roles[pid], (0, 0.0))
            out[self.roles[pid]] = (count + 1, max(high, peak))
        return out


@dataclass
class Run:
    seconds: float
    cpu: float
    memory: dict[str, tuple[int, float]]


def convert(command: str, inputs: list[Path], target: Path, options: list[str]) -> Run:
    """One run, its outputs (one per input with -j, one joined with --engine) in ``target``."""
    target.mkdir()
    if "--engine" in options:
        args = [command, "convert", *map(str, inputs), "--to", "ntriples", "-o", str(target / "all.nt")]
    else:
        args = [command, "convert", *map(str, inputs), "--to", "ntriples", "--out-dir", str(target)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen([*args, *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = Sampler(process.pid)
    thread = threading.Thread(target=sampler.run, daemon=True)
    thread.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    sampler.done.set()
    thread.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{stderr.decode()[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # the processes waited for count in RUSAGE_CHILDREN; Spark's JVM and Python workers only in the samples
    return Run(seconds, max(reaped, sum(sampler.cpu.values())), sampler.by_role())


def outputs(folder: Path) -> list[Path]:
    """The outputs of a run in input order: the joined file of --engine, or -j's file per input."""
    if (folder / "all.nt").exists():
        return [folder / "all.nt"]
    return [folder / f"part{index}.nt" for index in range(FILES)]


def _lines(paths: list[Path]) -> Iterator[tuple[int, str]]:
    for document, path in enumerate(paths):
        with path.open(encoding="utf-8", newline="\n") as handle:
            for line in handle:
                yield document, line


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 24), b""))


def same_triples(reference: list[Path], other: list[Path]) -> tuple[bool, int]:
    """Whether the files hold the same triples in the same order (blank nodes matched one to one)."""
    forward: dict[tuple[int, str], tuple[int, str]] = {}
    taken: set[tuple[int, str]] = set()
    count = 0
    for pair in itertools.zip_longest(_lines(reference), _lines(other)):
        if pair[0] is None or pair[1] is None:
            return False, count
        (document, mine), (other_document, theirs) = pair
        count += 1
        if mine == theirs and "_:wpb" not in mine:
            continue
        if _ANON.sub("_:b", mine) != _ANON.sub("_:b", theirs):
            return False, count
        for label, found in zip(_ANON.findall(mine), _ANON.findall(theirs), strict=True):
            other_label = (other_document, found)
            known = forward.get((document, label))
            if known is None:
                if other_label in taken:
                    return False, count
                forward[(document, label)] = other_label
                taken.add(other_label)
            elif known != other_label:
                return False, count
    return True, count


def inputs_in(folder: Path, count: int) -> list[Path]:
    """COUNT records in FILES JSON Lines files in ``folder`` (made once, kept with --work)."""
    inputs = [folder / f"part{index}.jsonl" for index in range(FILES)]
    stamp = folder / f"records-{count}"
    if stamp.exists() and all(path.exists() for path in inputs):
        return inputs
    everything = folder / "all.jsonl"
    make_jsonl(everything, count)
    with everything.open("rb") as handle:
        total = sum(1 for _ in handle)
    with everything.open("rb") as handle:
        for index, path in enumerate(inputs):
            size = (index + 1) * total // FILES - index * total // FILES
            with path.open("wb") as out:
                out.writelines(itertools.islice(handle, size))
    everything.unlink()
    stamp.touch()
    return inputs


def memory(run: Run) -> str:
    parts = [f"{name}: {high:,.0f} MB (of {n})" for name, (n, high) in sorted(run.memory.items())]
    return "; ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000, help="records in all (default 20,000)")
    parser.add_argument("--only", action="append", default=[], help="run only rows starting with this")
    parser.add_argument("--partitions", type=int, default=4, help="--partitions of the engines (4)")
    parser.add_argument(
        "--work", type=Path, help="keep the inputs here (made once), not in a temporary folder"
    )
    args = parser.parse_args()
    command = shutil.which("warphoto", path=str(Path(sys.executable).parent)) or "warphoto"
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        folder = Path(tmp)
        if args.work is not None:
            args.work.mkdir(parents=True, exist_ok=True)
        inputs = inputs_in(args.work or folder, args.count)
        print(f"{args.count:,} records ({FILES} JSON Lines files) to N-Triples, load {psutil.getloadavg()}\n")
        print(
            "| run | seconds | CPU s | records/s | µs per record over -j 1 | peak RSS | same triples as -j 1 |"
        )
        print("|---|---|---|---|---|---|---|", flush=True)
        reference: list[Path] | None = None
        base: float | None = None
        for name, options in RUNS.items():
            if args.only and not any(name.startswith(o) for o in args.only) and name != "-j 1":
                continue
            extra = ["--partitions", str(args.partitions)] if "--engine" in options else []
            out = folder / re.sub(r"[^a-z0-9]+", "-", name)
            run = convert(command, inputs, out, [*options, *extra])
            if reference is None:
                reference, base = outputs(out), run.seconds
                same, lines = True, sum(count_lines(path) for path in reference)
            else:
                same, lines = same_triples(reference, outputs(out))
                shutil.rmtree(out)
            assert base is not None
            over = (run.seconds - base) / args.count * 1e6
            print(
                f"| {name} | {run.seconds:.1f} | {run.cpu:.1f} | {args.count / run.seconds:,.0f} | {over:+.0f} | "
                f"{memory(run)} | {'yes' if same else 'NO'} ({lines:,} triples) |",
                flush=True,
            )
        print(f"\nload after: {psutil.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
