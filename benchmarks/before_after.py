"""The validation and reading paths of an earlier commit beside this tree's, in one run.

    python benchmarks/before_after.py 375f208         # the commit before issue 19's work
    python benchmarks/before_after.py b66ddb0         # the JSON Lines checker too (commands streaming)
    python benchmarks/before_after.py --xmp 375f208   # XMP writing and reading (issue 13)

The earlier tree (src, schemas, vocab) is extracted with ``git archive`` into a temporary
folder; both trees are timed in fresh processes, taken in turns (three times each; the best of
three passes inside each), on the same seeded records, so that the load of a shared
machine weighs on both alike. Prints each path's records per second and the ratio.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2])
from records import records
import warphoto
from warphoto._json import parse_json
recs = records(1500, seed=7)
compact = [json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode() for r in recs]
spaced = [json.dumps(r).encode() for r in recs]
def rate(f, items):
    best = 0.0
    for _ in range(3):
        start = time.process_time()
        for item in items:
            f(item)
        best = max(best, len(items) / (time.process_time() - start))
    return best
gallery = json.load(open(sys.argv[3], encoding="utf-8"))
from warphoto.model import standalone_records
photos = standalone_records(gallery) * 40
rows = {}
try:
    from warphoto.streaming import LinesChecker
except ImportError:  # an earlier tree without the JSON Lines checker
    LinesChecker = None
try:
    from warphoto.formats._rdf_text import NTriplesWriter
except ImportError:  # before the RDF writers were split out of _triples
    from warphoto.formats._triples import NTriplesWriter
if LinesChecker is not None:
    photo_lines = [json.dumps({**p, "@id": f"{p['@id']}/copy-{n}"}, ensure_ascii=False,
                              separators=(",", ":")).encode() for n, p in enumerate(photos)]
    def checker():
        state = {"checker": LinesChecker(None), "number": 0}
        def check(line):
            state["number"] += 1
            return state["checker"].check(line, state["number"])
        return check
    def check_and_write():
        check, write = checker(), NTriplesWriter().write
        return lambda line: write(check(line).record)
    rows["LinesChecker.check (a benchmark line)"] = rate(checker(), compact)
    rows["LinesChecker.check (a gallery line)"] = rate(checker(), photo_lines)
    rows["LinesChecker.check + N-Triples (a benchmark line)"] = rate(check_and_write(), compact)
print(json.dumps({
    **rows,
    "warphoto.is_valid (gallery photograph, standalone)": rate(warphoto.is_valid, photos),
    "warphoto.is_valid (record in memory)": rate(warphoto.is_valid, recs),
    "parse_json (a compact line)": rate(parse_json, compact),
    "parse_json (json.dumps default: ASCII, spaced)": rate(parse_json, spaced),
    "parse_json + is_valid (a line read and checked)": rate(lambda line: warphoto.is_valid(parse_json(line)), compact),
}))
"""

XMP_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from warphoto.formats import xmp
from warphoto.model import standalone_records
photos = standalone_records(json.load(open(sys.argv[3], encoding="utf-8")))
packets = [xmp.render(p)[0] for p in photos]
reference = open(sys.argv[4], "rb").read()
def rate(f, items, rounds):
    best = 0.0
    for _ in range(3):
        start = time.process_time()
        for _ in range(rounds):
            for item in items:
                f(item)
        best = max(best, rounds * len(items) / (time.process_time() - start))
    return best
print(json.dumps({
    "xmp.render (example photographs)": rate(xmp.render, photos, 20),
    "xmp.loads (example photographs)": rate(xmp.loads, packets, 20),
    "xmp.loads (IPTC reference packet)": rate(xmp.loads, [reference], 100),
    "mean packet bytes": sum(map(len, packets)) / len(packets),
}))
"""
REFERENCE_PACKET = (
    ROOT.parent / "shared/reference/iptc-photometadata/reference-image/IPTC-PhotometadataRef-Std2023.2.xmp"
)


def main(argv: list[str]) -> int:
    xmp_mode = "--xmp" in argv
    argv = [a for a in argv if a != "--xmp"]
    child = XMP_CHILD if xmp_mode else CHILD
    rev = argv[0] if argv else "375f208"
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src", "schemas", "vocab"],
                                 check=True, capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        trees = {f"before ({rev})": str(Path(folder) / "src"), "after (this tree)": str(ROOT / "src")}
        found: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
        for _ in range(3):
            for name, src in trees.items():
                run = subprocess.run([sys.executable, "-c", child, src, str(ROOT / "benchmarks"),
                                      str(ROOT / "docs" / "examples" / "kharkiv-2022.jsonld"),
                                      str(REFERENCE_PACKET)],
                                     check=True, capture_output=True, text=True)  # fmt: skip
                found[name].append(json.loads(run.stdout))
    before, after = (found[name] for name in trees)
    print("| path | before rec/s | after rec/s | ratio |\n|---|---:|---:|---:|")
    for key in (k for k in after[0] if k in before[0]):
        old, new = max(r[key] for r in before), max(r[key] for r in after)
        print(f"| {key} | {old:,.0f} | {new:,.0f} | {new / old:.1f}x |")
    load = os.getloadavg()
    print(f"\nload average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
