"""Loading N-Triples: triples/s into the embedded Oxigraph store beside rdflib's in-memory Graph.parse.

COUNT seeded records (benchmarks/records.py) as one N-Triples document (warphoto.scale, as
`convert --to ntriples` writes it), then each of: `warphoto load`'s default (parse, then add
in one transaction: ``EmbeddedStore.replace_graph``), its ``--bulk`` loader, and rdflib's
``Graph().parse(format="nt")`` into memory. Each store is new; one run each; the triple count
of each is checked against the distinct lines. Prints a Markdown table.

    python benchmarks/bench_load.py --count 2000
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil  # type: ignore[import-untyped]
from rdflib import Graph

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from records import records  # noqa: E402

from warphoto import scale  # noqa: E402
from warphoto.store import EmbeddedStore  # noqa: E402

NAME = "https://example.org/graph/benchmark"


def ntriples(count: int) -> bytes:
    def numbered() -> list[dict[str, object]]:
        out = records(count, seed=0)
        for index, record in enumerate(out):
            record["@id"] = f"https://example.org/archive/photo/{index}"
        return out

    return "".join(line + "\n" for line in scale.ntriples_lines(numbered())).encode("utf-8")


def into_store(data: bytes, folder: Path, *, bulk: bool) -> tuple[float, int]:
    """Seconds to load ``data`` into a new store in ``folder``, and the triples it then holds."""
    store = EmbeddedStore(folder / ("bulk" if bulk else "store"), bulk=bulk)
    start = time.perf_counter()
    store.replace_graph(NAME, data)
    seconds = time.perf_counter() - start
    counted = store.count(NAME)
    del store
    gc.collect()  # close the store before its folder is removed
    return seconds, counted


def into_rdflib(data: bytes) -> tuple[float, int]:
    graph = Graph()
    start = time.perf_counter()
    graph.parse(data=data, format="nt")
    return time.perf_counter() - start, len(graph)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2_000, help="records (default 2,000, 79 triples each)")
    args = parser.parse_args()
    data = ntriples(args.count)
    distinct = len(set(data.splitlines()))
    print(
        f"{args.count:,} records, {distinct:,} distinct triples ({len(data) / 2**20:.1f} MB), load {psutil.getloadavg()}\n"
    )
    print("| load | seconds | triples/s | triples counted |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs: dict[str, Callable[[], tuple[float, int]]] = {
            "embedded Oxigraph store, `warphoto load` (parse, then one transaction)": lambda: into_store(
                data, folder, bulk=False
            ),
            "embedded Oxigraph store, `warphoto load --bulk`": lambda: into_store(data, folder, bulk=True),
            "rdflib `Graph().parse(format='nt')`, in memory": lambda: into_rdflib(data),
        }
        for name, func in runs.items():
            seconds, counted = func()
            print(f"| {name} | {seconds:.1f} | {distinct / seconds:,.0f} | {counted:,} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
