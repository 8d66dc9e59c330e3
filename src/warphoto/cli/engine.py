"""`convert` and `validate` with ``--engine dask|spark``: the same command, run as a Dask or Spark job.

* `validate`: the files are spread over the partitions, each file checked whole by
  :func:`~warphoto.cli.validate.validate_file` (a JSON Lines file's duplicate-id check needs all
  its lines), and the reports rendered as with ``-j 1``.
* `convert` (to ntriples, nquads or jsonl, with ``-o FILE``): a first job checks every input as
  ``-j 1`` does (nothing is written if one is invalid); a second writes one part file per
  partition (JSON Lines inputs cut at line ends) atomically into a hidden folder beside the
  output, and the parts are then joined into ``-o FILE`` atomically and removed. With
  ``--profile`` every record is redacted in its partition before the writer sees it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence

from warphoto import engines
from warphoto._atomic import AtomicStream
from warphoto.batch import default_jobs
from warphoto.cli._common import EXIT_OK, STDIO, UsageError, plural
from warphoto.cli.inputs import expand_inputs
from warphoto.cli.lines import is_lines
from warphoto.cli.reports import FileReport
from warphoto.safety import ProfileError, load_profile


def _address(args: argparse.Namespace) -> str | None:
    """--scheduler (Dask) or --master (Spark), refused with the other engine."""
    if args.scheduler is not None and args.engine != "dask":
        raise UsageError("--scheduler goes with --engine dask (Spark: --master URL)")
    if args.master is not None and args.engine != "spark":
        raise UsageError("--master goes with --engine spark (Dask: --scheduler ADDRESS)")
    if args.jobs is not None:
        raise UsageError("-j sets warphoto's own worker processes; with --engine, use --partitions N")
    address: str | None = args.scheduler if args.engine == "dask" else args.master
    return address


def _files(paths: Sequence[str]) -> list[str]:
    inputs = expand_inputs(list(paths))
    for argument, message in inputs.missing:
        raise UsageError(f"{argument}: {message}")
    if STDIO in inputs.files:
        raise UsageError("--engine reads files, not standard input (`-`)")
    if not inputs.files:
        raise UsageError("no record files found in " + ", ".join(paths))
    return inputs.files


def _by_files(files: Sequence[str], partitions: int) -> list[list[str]]:
    """The files in at most ``partitions`` consecutive groups of about equal count."""
    count = max(1, min(partitions, len(files)))
    return [list(files[i * len(files) // count : (i + 1) * len(files) // count]) for i in range(count)]


def _partitions(args: argparse.Namespace) -> int:
    return int(args.partitions) if args.partitions is not None else 2 * default_jobs()


def _validate_part(_index: int, paths: Sequence[str], format_name: str | None) -> list[FileReport]:
    from warphoto.cli.validate import validate_file

    return [validate_file(path, format_name) for path in paths]


def validate_reports(args: argparse.Namespace, files: Sequence[str]) -> list[FileReport]:
    """`validate --engine`: one report per file, in input order, as `-j 1` makes them."""
    address = _address(args)
    if STDIO in files:
        raise UsageError("--engine reads files, not standard input (`-`)")
    if not files:
        return []
    func = functools.partial(_validate_part, format_name=args.input_format)
    parts = engines.run_partitions(
        args.engine, func, _by_files(files, _partitions(args)), address=address, workers=default_jobs()
    )
    return [report for part in parts for report in part]


def _output_name(args: argparse.Namespace) -> str:
    """The one format written: --to, or from -o's extension; refused unless an engine writes it."""
    names = [n.strip() for entry in args.to for n in entry.split(",") if n.strip()]
    if not names:
        by_extension = {ext: name for name, (ext, _) in engines.OUTPUTS.items()}
        name = by_extension.get(os.path.splitext(args.output or "")[1].lower())
        if name is None:
            raise UsageError("say which format to write: --to ntriples, nquads or jsonl")
        return name
    if len(names) != 1 or names[0] not in engines.OUTPUTS:
        raise UsageError(
            f"--engine writes one of {', '.join(engines.OUTPUTS)} (a partition at a time), "
            f"not {', '.join(names)}: run without --engine for the other formats"
        )
    return str(names[0])


@contextlib.contextmanager
def parts_folder(output: str) -> Iterator[str]:
    """A hidden folder beside ``output`` for the partitions' parts, removed afterwards; an
    ``output`` that exists when the parts are joined (without --force) is a UsageError."""
    folder = os.path.dirname(os.path.abspath(output))
    parts_dir = tempfile.mkdtemp(prefix=f".{os.path.basename(output)}.", suffix=".parts", dir=folder)
    try:
        yield parts_dir
    except FileExistsError:
        raise UsageError(f"{output} exists; refusing to overwrite: pass --force to replace") from None
    finally:
        shutil.rmtree(parts_dir, ignore_errors=True)


def _join(parts: Sequence[str], target: str, force: bool) -> None:
    """The parts, in order, as ``target``: whole or not at all."""
    with AtomicStream(target, overwrite=force) as sink:
        for part in parts:
            with open(part, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    sink.write(chunk)
        sink.commit()


def run_convert(args: argparse.Namespace) -> int:
    """`convert --engine`: check every input, convert the partitions to parts, join them into -o."""
    from warphoto.cli.convert import ConvertReport, _tell

    address = _address(args)
    if args.output is None or args.output == STDIO:
        raise UsageError("--engine writes to a file: give -o FILE (parts are joined into it)")
    if args.option:
        raise UsageError("--engine takes no writer options (-O)")
    output = _output_name(args)
    try:
        profile = load_profile(args.profile) if args.profile is not None else None
    except ProfileError as error:
        raise UsageError(f"--profile: {error}") from error
    files = _files(args.inputs)
    if not args.force and os.path.lexists(args.output):
        raise UsageError(f"{args.output} exists; refusing to overwrite: pass --force to replace")
    partitions = _partitions(args)
    with engines.session(args.engine, address=address, workers=default_jobs()) as job:
        if not args.no_validate:
            checks = job.map(
                functools.partial(_validate_part, format_name=args.input_format), _by_files(files, partitions)
            )
            refused = [
                ConvertReport(r.path, issues=r.issues, problem=r.problem)
                for part in checks
                for r in part
                if r.status != "valid"
            ]
            if refused:
                status = _tell(refused)
                print(f"converted 0 of {plural(len(files), 'file')}: nothing written to {args.output}")
                return status
        slices = engines.split_inputs(files, partitions, lambda path: is_lines(path, args.input_format))
        with parts_folder(args.output) as parts_dir:
            func = functools.partial(
                engines.convert_partition,
                output=output,
                folder=parts_dir,
                input_format=args.input_format,
                profile=profile,
                redacted_at=dt.datetime.now(dt.UTC),  # one redaction, one time, in every partition
            )
            counts = job.map(func, slices)
            parts = [engines.part_name(parts_dir, i, output) for i in range(len(slices))]
            _join(parts, args.output, args.force)
    print(
        f"converted {plural(len(files), 'file')} to {output} with {args.engine} "
        f"({plural(len(slices), 'partition')}): {plural(sum(counts), 'line')} written to {args.output}"
    )
    return EXIT_OK
