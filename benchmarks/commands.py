"""The commands end to end: `warphoto validate` and `warphoto convert` on JSON Lines files, each
run in a fresh process beside the naive path, as ratios, with peak memory.

    python benchmarks/commands.py                 # 100,000 benchmark records (a few minutes)
    python benchmarks/commands.py --count 20000   # a smaller file
    python benchmarks/commands.py --only benchmarks --formats ntriples   # some rows only
    python benchmarks/commands.py --markdown      # the table for docs/performance.md

Two files of JSON Lines, as warphoto writes them (one compact record a line):
``benchmarks`` (the seeded records of benchmarks/records.py, about 80 triples each) and
``gallery`` (the example gallery's photographs as standalone records, shared entities embedded,
repeated with fresh ids up to the count).

Rows, each a fresh process whose CPU time and peak resident memory (``wait4``) are its own:

* ``warphoto validate FILE`` and ``warphoto convert FILE --to F -o OUT`` as a user runs them,
  on the whole file (the commands read JSON Lines a record at a time); ``--to xmp`` writes one
  sidecar per record, so it runs on a smaller file (``--cli-count``);
* ``check_lines(FILE)``: the library's JSON Lines validator, record by record (what
  ``validate`` calls), on the whole file;
* naive: ``check-jsonschema`` on the same records as one collection file (its own
  format checkers, our schemas from disk), and rdflib (parse the JSON-LD, serialize) for
  convert; timed on ``--naive-count`` records (they run at a few hundred records a second),
  compared as records per second.

The machine is shared and wall times are noisy: rates are records per CPU second of the
command's process (user + system; all rows run on one core), each row timed once, and the
load average is printed beside the table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

CONTEXT = "https://w3id.org/warphoto/context.jsonld"
CONVERT_FORMATS = ("ntriples", "rdfxml", "jsonld", "xmp")
_RDFLIB_FORMATS = {"ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld", "xmp": "pretty-xml"}
_SUFFIX = {"ntriples": ".nt", "rdfxml": ".rdf", "jsonld": ".jsonld", "xmp": ".xmp"}


# --------------------------------------------------------------------------- inputs


def benchmark_records(count: int) -> Any:
    from records import records

    done = 0
    while done < count:
        batch = records(min(10_000, count - done), seed=done)
        for index, record in enumerate(batch):
            record["@id"] = f"https://example.org/archive/photo/{done + index}"
            yield record
        done += len(batch)


def gallery_records(count: int) -> Any:
    from warphoto.model import standalone_records

    gallery = json.loads((ROOT / "docs" / "examples" / "kharkiv-2022.jsonld").read_text(encoding="utf-8"))
    photographs = standalone_records(gallery)
    for index in range(count):
        record = dict(photographs[index % len(photographs)])
        record["@id"] = f"{record['@id']}/copy-{index}"
        yield record


def write_jsonl(path: Path, records: Any) -> int:
    from warphoto.formats.jsonl import record_line

    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(record_line(record))
            count += 1
    return count


def write_collection(source: Path, target: Path, count: int) -> None:
    graph = []
    with source.open("rb") as handle:
        for line, _ in zip(handle, range(count), strict=False):
            record = json.loads(line)
            record.pop("@context", None)
            graph.append(record)
    target.write_text(json.dumps({"@context": CONTEXT, "@graph": graph}, ensure_ascii=False), encoding="utf-8")


# --------------------------------------------------------------------------- running


def run(command: list[str]) -> tuple[float, float, int, str]:
    """CPU seconds, peak RSS (MB) and exit status of ``command`` in a fresh process; its stderr tail.

    CPU time (user + system, from ``wait4``) rather than wall time: on a shared machine the
    other processes' load stretches wall time, not the CPU time a run needs. The commands run
    on one core (``-j 1``), so on an idle machine the two agree.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    error = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    print(f"  {' '.join(command)[-90:]}: {cpu:.1f} s CPU, {wall:.1f} s wall", file=sys.stderr, flush=True)
    return cpu, usage.ru_maxrss / 1024, process.returncode, error.decode("utf-8", "replace")[-300:]


def _warphoto() -> list[str]:
    script = shutil.which("warphoto")
    return [script] if script else [sys.executable, "-m", "warphoto"]


_CHECK_LINES = "import sys; from warphoto.streaming import check_lines; r = check_lines(sys.argv[1]); sys.exit(0 if r.valid else 1)"
_RDFLIB = (
    "import sys, json; from rdflib import Graph; from warphoto.formats.jsonld import document_loader; "
    "import pyld.jsonld as j; data = open(sys.argv[1], encoding='utf-8').read(); "
    "ctx = json.load(open(sys.argv[3], encoding='utf-8')); doc = json.loads(data); doc['@context'] = ctx['@context']; "
    "g = Graph(); g.parse(data=json.dumps(doc), format='json-ld'); "
    "g.serialize(destination=sys.argv[2], format=sys.argv[4])"
)


def prepare(folder: Path, kind: str, count: int, cli_count: int, naive_count: int) -> None:
    """Write the input files (in a child process, so that the parent stays small: a forked
    child's peak memory starts from its parent's)."""
    from warphoto import _resources

    (folder / "context.jsonld").write_text(json.dumps(_resources.context_document()), encoding="utf-8")
    make = benchmark_records if kind == "benchmarks" else gallery_records
    big = folder / f"{kind}-{count}.jsonl"
    write_jsonl(big, make(count))
    write_jsonl(folder / f"{kind}-{cli_count}.jsonl", make(cli_count))
    write_collection(big, folder / f"{kind}-{naive_count}.json", naive_count)


def rows(count: int, cli_count: int, naive_count: int, folder: Path, kinds: list[str],
         convert_formats: tuple[str, ...] = CONVERT_FORMATS) -> list[dict[str, Any]]:  # fmt: skip
    context_file = folder / "context.jsonld"
    out: list[dict[str, Any]] = []
    for kind in kinds:
        subprocess.run([sys.executable, __file__, "--prepare", str(folder), kind, str(count), str(cli_count),
                        str(naive_count)], check=True)  # fmt: skip
        big = folder / f"{kind}-{count}.jsonl"
        small = folder / f"{kind}-{cli_count}.jsonl"
        naive_json = folder / f"{kind}-{naive_count}.json"
        size_mb = big.stat().st_size / 1e6

        def row(name: str, ours: tuple[float, float, int, str], n: int, naive: tuple[float, float, int, str] | None,
                naive_n: int, note: str = "", kind: str = kind) -> None:  # fmt: skip
            seconds, peak, code, error = ours
            record = {"file": kind, "command": name, "records": n, "seconds": seconds, "rate": n / seconds,
                      "peak_mb": peak, "status": code, "note": note or error.strip().splitlines()[-1:] }  # fmt: skip
            if naive is not None:
                record.update(naive_seconds=naive[0], naive_rate=naive_n / naive[0], naive_peak_mb=naive[1],
                              ratio=(n / seconds) / (naive_n / naive[0]))  # fmt: skip
            out.append(record)
            print(json.dumps(record), file=sys.stderr, flush=True)

        schema = str(ROOT / "schemas" / "collection.schema.json")
        naive_validate = run(["check-jsonschema", "--schemafile", schema, "--base-uri", f"file://{schema}", str(naive_json)])
        streamed = run([sys.executable, "-c", _CHECK_LINES, str(big)])
        row("check_lines (library, streaming)", streamed, count, naive_validate, naive_count, f"{size_mb:.0f} MB")
        row("warphoto validate", run([*_warphoto(), "validate", "-j", "1", str(big)]), count, naive_validate,
            naive_count)  # fmt: skip
        for name in convert_formats:
            target = folder / f"out{_SUFFIX[name]}"
            naive_target = folder / f"naive{_SUFFIX[name]}"
            naive = run([sys.executable, "-c", _RDFLIB, str(naive_json), str(naive_target), str(context_file),
                         _RDFLIB_FORMATS[name]])  # fmt: skip
            output = ["--out-dir", str(folder / "xmp")] if name == "xmp" else ["-o", str(target)]
            source, n = (small, cli_count) if name == "xmp" else (big, count)
            ours = run([*_warphoto(), "convert", str(source), "--to", name, *output, "--force", "-j", "1"])
            shutil.rmtree(folder / "xmp", ignore_errors=True)
            row(f"warphoto convert --to {name}", ours, n, naive, naive_count)
            for leftover in (target, naive_target):
                leftover.unlink(missing_ok=True)
    return out


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| file | command | records | records/CPU s | peak MB | naive records/CPU s | naive peak MB | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if "rate" not in r:
            lines.append(f"| {r['file']} | {r['command']} | {r['records']:,} | {r['note']} | | | | |")
            continue
        if r["status"] not in (0, 1):  # 1: invalid records found, still a full run; else refused or failed
            note = " ".join(r["note"]) if isinstance(r["note"], list) else r["note"]
            lines.append(f"| {r['file']} | {r['command']} | {r['records']:,} | exit {r['status']}: {note[-80:]} | | | | |")
            continue
        failed = "" if r["status"] == 0 else f" (exit {r['status']})"
        naive = (f"{r['naive_rate']:,.0f} | {r['naive_peak_mb']:,.0f} | **{r['ratio']:,.0f}x**"
                 if "naive_rate" in r else " | | ")  # fmt: skip
        lines.append(f"| {r['file']} | {r['command']}{failed} | {r['records']:,} | {r['rate']:,.0f} | "
                     f"{r['peak_mb']:,.0f} | {naive} |")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--prepare"]:
        folder, kind, count, cli_count, naive_count = argv[1:]
        prepare(Path(folder), kind, int(count), int(cli_count), int(naive_count))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000, help="records in the streamed file")
    parser.add_argument("--cli-count", type=int, default=20_000, help="records for --to xmp (a sidecar each)")
    parser.add_argument("--naive-count", type=int, default=1_000, help="records for the naive paths")
    parser.add_argument("--only", action="append", choices=["benchmarks", "gallery"], help="one file only")
    parser.add_argument("--formats", default=",".join(CONVERT_FORMATS), help="convert rows (comma-separated)")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir="/dev/shm" if os.path.isdir("/dev/shm") else None) as folder:
        results = rows(args.count, args.cli_count, args.naive_count, Path(folder), args.only or ["benchmarks", "gallery"],
                       tuple(f for f in args.formats.split(",") if f))  # fmt: skip
    load = os.getloadavg()
    print(table(results) if args.markdown else json.dumps(results, indent=1))
    print(f"\nload average after the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
