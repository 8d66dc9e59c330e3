"""`ingest --engine dask|spark`: the images spread over partitions, each partition ingested by a task.

Each task ingests its images as ``-j 1`` does (:func:`~warphoto.cli.ingest.ingest_file`) and
writes their records, one JSON line each, atomically to its part file (``part-00003.jsonl``) in
a hidden folder beside the output; it sends back only each image's report, notes and record
``@id``. When every image was read and gave a valid record, the driver gives a repeated ``@id``
an id of its own (as ``-j 1`` does) and joins the parts, in order, into ``-o FILE`` (the same
JSON-LD collection, byte for byte, as ``-j 1`` but for each record's ingest time), atomically.
Otherwise nothing is written.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from warphoto import _resources, engines
from warphoto._atomic import AtomicStream
from warphoto.batch import default_jobs
from warphoto.cli._common import EXIT_OK
from warphoto.cli.engine import _address, _by_files, _partitions, parts_folder
from warphoto.cli.reports import FileReport
from warphoto.validation import Issue

__all__ = ["Summary", "ingest_partition", "part_path", "run_ingest"]

#: a record's lines inside the collection's ``@graph`` (json.dumps(indent=2) at depth 2)
_INDENT = "    "


@dataclass(frozen=True)
class Summary:
    """What one image of a partition gave the driver: its report, notes and record ``@id`` (None if none)."""

    report: FileReport
    notes: tuple[Issue, ...] = ()
    record_id: str | None = None


def part_path(folder: str, index: int) -> str:
    """The part file of partition ``index``: ``part-00003.jsonl``."""
    return os.path.join(folder, f"part-{index:05d}.jsonl")


def ingest_partition(index: int, paths: Sequence[str], *, folder: str) -> list[Summary]:
    """Ingest one partition's images; write their records to its part file atomically.

    A partition run again (a lost worker) writes the same part again: no duplicates.
    """
    from warphoto.cli.ingest import ingest_file

    done: list[Summary] = []

    def lines() -> Iterator[str]:
        for path in paths:
            item = ingest_file(path)
            record = item.record
            done.append(Summary(item.report, item.notes, None if record is None else str(record["@id"])))
            if record is not None:
                yield json.dumps({k: v for k, v in record.items() if k != "@context"}, ensure_ascii=False)

    engines.write_lines(part_path(folder, index), lines())
    return done


def _records(parts: Sequence[str]) -> Iterator[dict[str, Any]]:
    for part in parts:
        with open(part, encoding="utf-8") as handle:
            for line in handle:
                record: dict[str, Any] = json.loads(line)
                yield record


def _write_collection(sink: AtomicStream, records: Iterator[dict[str, Any]], new_ids: dict[int, str]) -> int:
    """The collection ``ingest -o`` writes (``json.dumps(indent=2)``), a record at a time; the count."""
    head = json.dumps({"@context": _resources.CONTEXT_IRI}, ensure_ascii=False, indent=2)[:-2]
    sink.write((head + ',\n  "@graph": [').encode("utf-8"))
    count = 0
    for count, record in enumerate(records, 1):
        if count - 1 in new_ids:
            record["@id"] = new_ids[count - 1]
        text = json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n" + _INDENT)
        sink.write(((",\n" if count > 1 else "\n") + _INDENT + text).encode("utf-8"))
    sink.write(("\n  ]\n}\n" if count else "]\n}\n").encode("utf-8"))
    return count


def run_ingest(args: argparse.Namespace, files: Sequence[str], reports: list[FileReport]) -> int:
    """`ingest --engine`: ingest the partitions into parts, then (all good) join them into -o FILE."""
    from warphoto.cli.ingest import distinct_ids, refuse_failed, said_done

    address = _address(args)
    groups = _by_files(files, _partitions(args))
    with parts_folder(args.output) as parts_dir:
        with engines.session(args.engine, address=address, workers=default_jobs()) as job:
            done = [
                item
                for part in job.map(functools.partial(ingest_partition, folder=parts_dir), groups)
                for item in part
            ]
        reports += [item.report for item in done]
        notes = [note for item in done for note in item.notes]
        status = refuse_failed(args, reports, notes)
        if status is not None:
            return status
        new_ids = distinct_ids([(item.report.path, item.record_id) for item in done if item.record_id])
        parts = [part_path(parts_dir, index) for index in range(len(groups))]
        with AtomicStream(args.output, overwrite=args.force) as sink:
            count = _write_collection(sink, _records(parts), new_ids)
            sink.commit()
    said_done(args, count, args.output, len(notes))
    return EXIT_OK
