"""`warphoto validate`: check record files and report every issue with file, line and column."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import sys
import time

from warphoto.cli._common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    Problem,
    UsageError,
    check_engine_options,
    count_records,
    display_name,
    input_format,
    load,
    located_issues,
    named_format,
)
from warphoto.cli.inputs import expand_inputs
from warphoto.cli.lines import is_lines, validate_lines
from warphoto.cli.progress import report_bugs, run_batch
from warphoto.cli.reports import RENDERERS, FileReport, report_from_outcome, summarize_reports
from warphoto.errors import FormatError, WarphotoError
from warphoto.validation import iter_warnings


def validate_file(path: str, format_name: str | None = None, stdin: bytes | None = None) -> FileReport:
    """Read and check one file (``-``: the bytes of stdin); never raises for bad input."""
    if is_lines(path, format_name):
        return validate_lines(path, stdin)
    start = time.perf_counter()
    shown = display_name(path)
    try:
        loaded = load(path, format_name, stdin)
    except (WarphotoError, OSError) as error:
        try:
            name: str | None = input_format(path, format_name).name
        except FormatError:
            name = None
        return FileReport(shown, name, problem=Problem.of(error), seconds=time.perf_counter() - start)
    issues = located_issues(loaded)
    warnings = tuple(
        dataclasses.replace(w, source=shown, line=1, column=1) for w in iter_warnings(loaded.document)
    )
    return FileReport(
        shown,
        loaded.format.name,
        count_records(loaded.document),
        tuple(issues),
        None,
        time.perf_counter() - start,
        warnings,
    )


def run(args: argparse.Namespace) -> int:
    """Check every record file named; report every issue; exit 2/1/0."""
    if args.input_format:
        named_format("--from", args.input_format)  # an unknown name is a usage error before any work
    check_engine_options(args)
    inputs = expand_inputs(args.paths)
    if not inputs.files and not inputs.missing:
        raise UsageError("no record files found in " + ", ".join(args.paths))
    func = functools.partial(validate_file, format_name=args.input_format, stdin=inputs.stdin)
    reports = [
        FileReport(path, problem=Problem(message, kind="FileNotFoundError"))
        for path, message in inputs.missing
    ]
    if args.engine is not None:
        from warphoto.cli.engine import validate_reports

        reports += validate_reports(args, inputs.files)
    else:
        outcomes = run_batch(func, inputs.files, args.jobs, "validate", args.progress)
        reports += [report_from_outcome(o) for o in outcomes]
        report_bugs(outcomes, args.debug)
    RENDERERS[args.format](reports, sys.stdout)
    sys.stdout.flush()
    counts = summarize_reports(reports)
    if counts["unreadable"]:
        return EXIT_USAGE
    return EXIT_INVALID if counts["invalid"] else EXIT_OK
