"""Peak memory of checking JSON Lines record by record, at 100,000 and 1,000,000 records.

    python benchmarks/lines_memory.py              # 100,000 and 1,000,000 records
    python benchmarks/lines_memory.py 10000 100000 # other sizes
    python benchmarks/lines_memory.py --commands 1000000  # the commands instead of check_lines

Each size is checked in a fresh process (``warphoto.streaming.check_lines``), once with the
cross-line record-id check (one digest per record) and once without (``unique_ids=False``);
with ``--commands``, ``warphoto validate -j 1 FILE`` and ``warphoto convert FILE --to ntriples``
instead. Peak resident memory comes from ``wait4``. Files are written by a child process so that the
parent stays small (a forked child's peak starts from its parent's).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_CHECK = (
    "import sys; from warphoto.streaming import check_lines; "
    "r = check_lines(sys.argv[1], unique_ids=sys.argv[2] == '1'); print(r.records, len(r.issues))"
)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--prepare"]:
        sys.path.insert(0, str(HERE))
        from commands import benchmark_records, write_jsonl

        write_jsonl(Path(argv[1]), benchmark_records(int(argv[2])))
        return 0
    commands = "--commands" in argv
    sizes = [int(a) for a in argv if a != "--commands"] or [100_000, 1_000_000]
    rows = []
    with tempfile.TemporaryDirectory(dir="/dev/shm" if os.path.isdir("/dev/shm") else None) as folder:
        for size in sizes:
            path = Path(folder) / f"{size}.jsonl"
            subprocess.run([sys.executable, __file__, "--prepare", str(path), str(size)], check=True)
            warphoto = [shutil.which("warphoto") or sys.executable, *([] if shutil.which("warphoto") else ["-m", "warphoto"])]
            runs = {
                "validate": [*warphoto, "validate", "-j", "1", str(path)],
                "convert --to ntriples": [*warphoto, "convert", str(path), "--to", "ntriples", "-o",
                                          str(Path(folder) / "out.nt"), "--force", "-j", "1"],
            } if commands else {unique: [sys.executable, "-c", _CHECK, str(path), unique] for unique in ("1", "0")}  # fmt: skip
            for unique, command in runs.items():
                start = time.perf_counter()
                process = subprocess.Popen(command, stdout=subprocess.PIPE)
                assert process.stdout is not None
                output = process.stdout.read().decode().split()
                _pid, status, usage = os.wait4(process.pid, 0)
                seconds = time.perf_counter() - start
                cpu = usage.ru_utime + usage.ru_stime
                row = {"records": size, "file_mb": round(path.stat().st_size / 1e6),
                       **({"command": unique} if commands else {"unique_ids": unique == "1"}),
                       "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "records_per_cpu_s": round(size / cpu),
                       "peak_mb": round(usage.ru_maxrss / 1024, 1), "checked": output, "exit": status}  # fmt: skip
                rows.append(row)
                print(json.dumps(row), flush=True)
            path.unlink()
            (Path(folder) / "out.nt").unlink(missing_ok=True)
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
