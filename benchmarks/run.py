"""warphoto benchmarks: our paths beside the naive ones, measured in one run, as ratios.

    python benchmarks/run.py            # the full table (a few minutes)
    python benchmarks/run.py --quick    # fewer records, for a smoke run
    python benchmarks/run.py --markdown # the table as Markdown, for docs/performance.md
    python benchmarks/run.py --only N-Triples --only "RDF/XML"   # some rows only

Each row runs in a fresh process (so its peak memory is its own) on one core, over the
same seeded records (benchmarks/records.py, about 80 triples each).
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import multiprocessing
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from records import peak_rss_mb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent))

Task = Callable[[list[dict[str, Any]]], int]


# --------------------------------------------------------------------------- the paths


def ours_validate(records: list[dict[str, Any]]) -> int:
    import warphoto

    for record in records:
        if not warphoto.is_valid(record):
            raise AssertionError(record["@id"])
    return len(records)


def naive_validate_per_call(records: list[dict[str, Any]]) -> int:
    import jsonschema

    from warphoto import _resources
    from warphoto.validation import _format_checker, _registry

    schema = _resources.schema("record")
    for record in records:
        jsonschema.validate(record, schema, cls=jsonschema.Draft202012Validator, registry=_registry(),
                            format_checker=_format_checker())  # fmt: skip
    return len(records)


def naive_validate_reused(records: list[dict[str, Any]]) -> int:
    from warphoto.validation import schema_validator

    validator = schema_validator("record")
    for record in records:
        validator.validate(record)
    return len(records)


def ours_dumps(format_name: str, records: list[dict[str, Any]]) -> int:
    import warphoto

    for record in records:
        warphoto.dumps(record, format_name)
    return len(records)


def _ours_dumps(format_name: str) -> Task:
    return functools.partial(ours_dumps, format_name)


def _expanded_context(record: dict[str, Any]) -> dict[str, Any]:
    from warphoto import _resources

    document = copy.copy(record)
    document["@context"] = _resources.context_document()["@context"]
    return document


def rdflib_path(rdflib_format: str, records: list[dict[str, Any]]) -> int:
    import rdflib

    for record in records:
        graph = rdflib.Graph().parse(data=_expanded_context(record), format="json-ld")  # type: ignore[arg-type]
        graph.serialize(format=rdflib_format)
    return len(records)


def _rdflib_path(rdflib_format: str) -> Task:
    return functools.partial(rdflib_path, rdflib_format)


def pyld_to_rdf(records: list[dict[str, Any]]) -> int:
    from pyld import jsonld

    for record in records:
        jsonld.to_rdf(_expanded_context(record), {"format": "application/n-quads"})
    return len(records)


def pyld_compact(records: list[dict[str, Any]]) -> int:
    from pyld import jsonld

    from warphoto import _resources

    context = _resources.context_document()
    for record in records:
        jsonld.compact(_expanded_context(record), context)
    return len(records)


# The XMP and JPEG rows do what ExifTool does beside them: each record ends in a file (a plain
# write, as ExifTool's; warphoto.write also fsyncs, which these rows leave out) and each read
# starts from one. Both tools' files go to memory (/dev/shm where there is one), to time the
# software, not the disk: on this machine's disk the same rows moved tenfold between runs.
_FILES = "/dev/shm" if os.path.isdir("/dev/shm") else None


def ours_xmp_write(records: list[dict[str, Any]]) -> int:
    from warphoto.formats import xmp

    with tempfile.TemporaryDirectory(dir=_FILES) as folder:
        for index, record in enumerate(records):
            data, _extended = xmp.render(record)
            with open(os.path.join(folder, f"{index}.xmp"), "wb") as handle:
                handle.write(data)
    return len(records)


def ours_xmp_read(records: list[dict[str, Any]]) -> int:
    import warphoto
    from warphoto.formats import xmp

    with tempfile.TemporaryDirectory(dir=_FILES) as folder:
        paths = []
        for index, record in enumerate(records):
            paths.append(os.path.join(folder, f"{index}.xmp"))
            Path(paths[-1]).write_bytes(xmp.render(record)[0])
        start = time.perf_counter()
        for path in paths:
            with open(path, "rb") as handle:
                warphoto.loads(handle.read(), "xmp", validate=False)
        _ELAPSED_OVERRIDE.append(time.perf_counter() - start)
    return len(records)


def _tiny_jpeg() -> bytes:
    ref = HERE.parent.parent / "shared" / "reference" / "iptc-photometadata" / "reference-image"
    image = ref / "IPTC-PhotometadataRef-Std2023.2.jpg"
    return image.read_bytes()


def ours_jpeg_embed(records: list[dict[str, Any]]) -> int:
    from warphoto.formats import jpeg

    with tempfile.TemporaryDirectory(dir=_FILES) as folder:
        image = os.path.join(folder, "in.jpg")
        Path(image).write_bytes(_tiny_jpeg())
        for index, record in enumerate(records):
            with open(image, "rb") as handle:
                data = jpeg.embed(handle.read(), record)
            with open(os.path.join(folder, f"{index}.jpg"), "wb") as handle:
                handle.write(data)
    return len(records)


def _exiftool() -> Any:
    from tests.exiftool import ExifTool

    return ExifTool()


def _iptc_json(record: dict[str, Any], target: str) -> dict[str, Any]:
    """What ExifTool is asked to write: every IPTC property our packet holds for the record (as
    ``benchmarks/bench_xmp.py``), so both tools write the same IPTC metadata; ours also writes
    the warphoto namespace."""
    from bench_xmp import exiftool_json

    return {**exiftool_json(record), "SourceFile": target}


#: untimed calls first: ExifTool loads its writer and reader modules on first use
_EXIFTOOL_WARM_UP = 10


def _exiftool_jobs(records: list[dict[str, Any]], folder: str, image: str | None) -> list[tuple[str, str]]:
    """(JSON source, target) per record, and as many more for the warm-up, first."""
    jobs = []
    for index, record in enumerate([*records[:_EXIFTOOL_WARM_UP], *records]):
        target = os.path.join(folder, f"{index}.{'jpg' if image else 'xmp'}")
        source = os.path.join(folder, f"{index}.json")
        Path(source).write_text(json.dumps([_iptc_json(record, image or target)]), encoding="utf-8")
        jobs.append((source, target))
    return jobs


def exiftool_xmp_write(records: list[dict[str, Any]]) -> int:
    tool = _exiftool()
    with tempfile.TemporaryDirectory(dir=_FILES) as folder:
        jobs = _exiftool_jobs(records, folder, None)
        for index, (source, target) in enumerate(jobs):
            if index == _EXIFTOOL_WARM_UP:
                start = time.perf_counter()
            tool.run("-charset", "UTF8", f"-j={source}", target)  # a missing .xmp target is created
        _ELAPSED_OVERRIDE.append(time.perf_counter() - start)
        written = sum(1 for _source, target in jobs if os.path.getsize(target) > 0)
        if written != len(jobs):
            raise AssertionError(f"exiftool wrote {written} of {len(jobs)} sidecars")
    tool.close()
    return len(records)


def exiftool_xmp_read(records: list[dict[str, Any]]) -> int:
    import warphoto

    tool = _exiftool()
    with tempfile.TemporaryDirectory(dir=_FILES) as folder:
        paths = []
        for index, record in enumerate([*records[:_EXIFTOOL_WARM_UP], *records]):
            path = os.path.join(folder, f"{index}.xmp")
            data = warphoto.dumps(record, "xmp")
            Path(path).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
            paths.append(path)
        for index, path in enumerate(paths):
            if index == _EXIFTOOL_WARM_UP:
                start = time.perf_counter()
            json.loads(tool.run("-j", "-struct", "-G1", path))
        _ELAPSED_OVERRIDE.append(time.perf_counter() - start)
    tool.close()
    return len(records)


def exiftool_jpeg_embed(records: list[dict[str, Any]]) -> int:
    tool = _exiftool()
    with tempfile.TemporaryDirectory(dir=_FILES) as folder:
        image = os.path.join(folder, "in.jpg")
        Path(image).write_bytes(_tiny_jpeg())
        jobs = _exiftool_jobs(records, folder, image)
        for index, (source, target) in enumerate(jobs):
            if index == _EXIFTOOL_WARM_UP:
                start = time.perf_counter()
            tool.run("-charset", "UTF8", f"-j={source}", "-o", target, image)
        _ELAPSED_OVERRIDE.append(time.perf_counter() - start)
    tool.close()
    return len(records)


_ELAPSED_OVERRIDE: list[float] = []  # a task that measures only part of its work records it here


# --------------------------------------------------------------------------- running


def _measure(task: Task, count: int, seed: int) -> tuple[float, float]:
    """Records per second and peak RSS (MB) of one task, in this (fresh) process."""
    from records import records

    data = records(count, seed)
    task(data[: min(20, count)])  # warm up imports and caches
    _ELAPSED_OVERRIDE.clear()
    start = time.perf_counter()
    done = task(data)
    elapsed = _ELAPSED_OVERRIDE[-1] if _ELAPSED_OVERRIDE else time.perf_counter() - start
    peak = peak_rss_mb()
    return done / elapsed, peak


def _in_fresh_process(task: Task, count: int, seed: int) -> tuple[float, float]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_measure, (task, count, seed))


def _format_registered(name: str) -> bool:
    from warphoto import formats

    try:
        return formats.get(name).can_write
    except Exception:
        return False


def rows(quick: bool) -> list[tuple[str, Task, list[tuple[str, Task, int]], int]]:
    """(path, ours, [(naive name, naive task, count)], count)."""
    n = 300 if quick else 3000
    slow = 30 if quick else 200
    has_exiftool = shutil.which("exiftool") is not None
    table: list[tuple[str, Task, list[tuple[str, Task, int]], int]] = [
        ("validate", ours_validate,
         [("jsonschema.validate per call", naive_validate_per_call, slow // 3 or 10),
          ("jsonschema validator reused", naive_validate_reused, slow)], n),
        ("compact JSON-LD", _ours_dumps("jsonld"), [("pyld compact", pyld_compact, slow)], n),
        ("RDF/XML", _ours_dumps("rdfxml"), [("rdflib JSON-LD -> RDF/XML", _rdflib_path("xml"), slow)], n),
        ("Turtle", _ours_dumps("turtle"), [("rdflib JSON-LD -> Turtle", _rdflib_path("turtle"), slow)], n),
        # issue #3 sets the N-Triples target against its reference path, rdflib JSON-LD -> RDF/XML
        ("N-Triples", _ours_dumps("ntriples"),
         [("pyld to_rdf", pyld_to_rdf, slow), ("rdflib JSON-LD -> N-Triples", _rdflib_path("nt"), slow),
          ("rdflib JSON-LD -> RDF/XML", _rdflib_path("xml"), slow)], n),
    ]  # fmt: skip
    exif = has_exiftool
    table.append(
        (
            "XMP write",
            ours_xmp_write,
            [("exiftool -stay_open", exiftool_xmp_write, slow)] if exif else [],
            n,
        )
    )
    table.append(
        ("XMP read", ours_xmp_read, [("exiftool -stay_open", exiftool_xmp_read, slow)] if exif else [], n)
    )
    table.append(
        (
            "JPEG embed",
            ours_jpeg_embed,
            [("exiftool -stay_open", exiftool_jpeg_embed, slow)] if exif else [],
            n,
        )
    )
    table.append(("NewsML-G2", _ours_dumps("newsml"), [], n))
    table.append(("EDM", _edm_task(), [], n))
    needed = {"compact JSON-LD": "jsonld", "RDF/XML": "rdfxml", "Turtle": "turtle", "N-Triples": "ntriples",
              "XMP write": "xmp", "XMP read": "xmp", "JPEG embed": "jpeg", "NewsML-G2": "newsml", "EDM": "edm"}  # fmt: skip
    return [row for row in table if row[0] not in needed or _format_registered(needed[row[0]])]


def ours_edm(records: list[dict[str, Any]]) -> int:
    import warphoto

    settings = {
        "provider": "Example Aggregator",
        "data_provider": "Example Archive",
        "rights": "http://rightsstatements.org/vocab/InC/1.0/",
    }
    for record in records:
        warphoto.dumps(record, "edm", **settings)
    return len(records)


def _edm_task() -> Task:
    return ours_edm


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from warphoto import _build

    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}; "
            f"warphoto {_build.describe()}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer records: a smoke run")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--only", action="append", metavar="PATH",
                        help="measure only this row (its path name, e.g. 'N-Triples'); repeatable")  # fmt: skip
    args = parser.parse_args(argv)

    lines = []
    header = ("path", "ours rec/s", "ours MB", "naive path", "naive rec/s", "naive MB", "ratio")
    selected = [row for row in rows(args.quick) if not args.only or row[0] in args.only]
    if not selected:
        parser.error(f"no row is named {args.only}; the rows are {[row[0] for row in rows(args.quick)]}")
    for path, ours, naives, count in selected:
        try:
            rate, peak = _in_fresh_process(ours, count, args.seed)
        except Exception as error:  # a path that fails is reported, not hidden
            lines.append((path, "failed", "", str(error)[:60], "", "", ""))
            continue
        if not naives:
            lines.append((path, f"{rate:,.0f}", f"{peak:.0f}", "(no naive path)", "", "", ""))
        for name, naive, naive_count in naives:
            naive_rate, naive_peak = _in_fresh_process(naive, naive_count, args.seed)
            lines.append((path, f"{rate:,.0f}", f"{peak:.0f}", name, f"{naive_rate:,.0f}", f"{naive_peak:.0f}",
                          f"{rate / naive_rate:,.0f}x"))  # fmt: skip
        print(f"  measured {path}", file=sys.stderr)

    print(f"machine: {machine()}")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]
        for row in [header, *lines]:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
