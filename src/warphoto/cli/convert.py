"""`warphoto convert`: write records in other formats, to one file or side by side in a folder.

A refused run writes nothing. Every output name is known and checked before the first file
is written: from the input's name alone when that decides it, else (a format that writes
one file per photograph of a collection, or a collection as a ZIP) after a first pass that
reads and checks every input, so the per-photograph and ZIP names are checked too.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from warphoto import formats, io
from warphoto._atomic import atomic_write_bytes
from warphoto.batch import Outcome
from warphoto.cli._common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    STDIO,
    Loaded,
    Problem,
    UsageError,
    check_engine_options,
    cli_message,
    display_name,
    err,
    input_format,
    load,
    located_issues,
    named_format,
    needs_image,
    output_format,
    plural,
    writes_archive,
)
from warphoto.cli.inputs import expand_inputs
from warphoto.cli.lines import convert_lines, is_lines, read_lines, streams
from warphoto.cli.options import writer_options
from warphoto.cli.progress import report_bugs, run_batch
from warphoto.errors import FormatError, WarphotoError
from warphoto.model.graph import standalone_records
from warphoto.safety import Profile, ProfileError, load_profile, redact
from warphoto.validation import Issue

#: the stem of the outputs of standard input in --out-dir
STDIN_STEM = "stdin"


@dataclass(frozen=True)
class ConvertPlan:
    """Everything a worker needs to convert one input: the same for every file of a run."""

    formats: tuple[str, ...]
    out_dir: str | None
    output: str | None
    input_format: str | None
    force: bool
    validate: bool
    #: folder arguments: an input inside one keeps its sub-folders under out_dir
    folders: tuple[str, ...] = ()
    #: writer options of each format, from -O
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: the bytes of standard input, when ``-`` is an input
    stdin: bytes | None = None
    #: the safety profile (--profile): each input is redacted before any writer sees it
    profile: Profile | None = None
    #: when the run redacts: one time for every redaction step it adds
    redacted_at: dt.datetime | None = None

    def root_of(self, path: str) -> str | None:
        """The first folder argument that holds ``path``, if any."""
        for folder in self.folders:
            relative = os.path.relpath(path, folder)
            if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
                return folder
        return None

    def options_for(self, name: str) -> dict[str, Any]:
        return self.options.get(name, {})

    @property
    def names_need_content(self) -> bool:
        """Whether an output's name depends on what the input holds (one file per photograph, a ZIP)."""
        if self.output is not None:
            return False
        return any(
            formats.get(name).per_photograph or writes_archive(formats.get(name)) for name in self.formats
        )


def _stem(path: str, fmt: formats.Format | None) -> str:
    """The file name without the extension its format claims (``a.edm.xml`` -> ``a``)."""
    if path == STDIO:
        return STDIN_STEM
    name = os.path.basename(path)
    if fmt is not None:
        for ext in sorted(fmt.extensions, key=len, reverse=True):
            if name.lower().endswith(ext) and len(name) > len(ext):
                return name[: -len(ext)]
    return os.path.splitext(name)[0]


def targets_for(path: str, plan: ConvertPlan) -> list[tuple[str, str]]:
    """(format, output path) for each format of one input, from its name alone."""
    if plan.output is not None:
        return [(plan.formats[0], plan.output)]
    assert plan.out_dir is not None
    try:
        source_format: formats.Format | None = input_format(path, plan.input_format)
    except FormatError:
        source_format = None
    stem = _stem(path, source_format)
    root = plan.root_of(path) if path != STDIO else None
    sub = os.path.relpath(os.path.dirname(path), root) if root is not None else "."
    folder = os.path.normpath(os.path.join(plan.out_dir, sub))
    return [(name, os.path.join(folder, stem + formats.get(name).extensions[0])) for name in plan.formats]


def _photo_target(target: str, record: dict[str, Any], number: int, used: set[str]) -> str:
    """``out/gallery.xmp`` -> ``out/gallery.photo-01.xmp``: the last part of the photograph's @id."""
    ident = str(record.get("@id", "")).rstrip("/#").rsplit("/", 1)[-1]
    tail = re.sub(r"[^A-Za-z0-9._-]+", "-", ident).strip("-.")
    if not tail or tail in used:  # no usable @id, or two photographs whose @ids end alike
        tail = f"photo-{number:02d}"
        while tail in used:
            tail += "-"
    used.add(tail)
    folder, name = os.path.split(target)
    stem, dot, extension = name.partition(".")
    return os.path.join(folder, f"{stem}.{tail}{dot}{extension}")


@dataclass(frozen=True)
class Output:
    """One file a conversion writes: its format, its path, and which photograph (per-photograph formats)."""

    format: str
    path: str
    #: the index of the photograph in ``standalone_records(document)``; None: the whole document
    photograph: int | None = None


def outputs_for(path: str, plan: ConvertPlan, document: dict[str, Any]) -> list[Output]:
    """Every file converting ``document`` (read from ``path``) writes, by name."""
    outputs: list[Output] = []
    collection = plan.output is None and "@graph" in document
    for name, target in targets_for(path, plan):
        fmt = formats.get(name)
        archive = writes_archive(fmt)
        if collection and fmt.per_photograph:
            used: set[str] = set()
            for index, record in enumerate(standalone_records(document)):
                outputs.append(Output(name, _photo_target(target, record, index + 1, used), index))
        elif collection and archive and target.endswith(fmt.extensions[0]):
            outputs.append(Output(name, target[: -len(fmt.extensions[0])] + archive))
        else:
            outputs.append(Output(name, target))
    return outputs


@dataclass(frozen=True)
class ConvertReport:
    """What `convert` did (or, in the first pass, would do) with one input."""

    path: str
    written: tuple[str, ...] = ()
    issues: tuple[Issue, ...] = ()
    problem: Problem | None = None
    #: (output path, message) for outputs that could not be written
    write_errors: tuple[tuple[str, str], ...] = ()
    #: the files the input would be written to (the first pass)
    planned: tuple[str, ...] = ()

    @property
    def convertible(self) -> bool:
        return self.problem is None and not self.issues


def _read(path: str, plan: ConvertPlan) -> Loaded | ConvertReport:
    """One input, read, checked (unless the plan says not) and redacted (with a profile); or why not."""
    loaded = _read_checked(path, plan)
    if isinstance(loaded, ConvertReport) or plan.profile is None or is_lines(path, plan.input_format):
        return loaded  # JSON Lines are redacted a record at a time as they are read
    try:  # every writer works only from the redacted document
        document = redact(loaded.document, plan.profile, now=plan.redacted_at)
        return replace(loaded, document=document, data=None)
    except WarphotoError as error:
        return ConvertReport(path, problem=Problem.of(error))


def _read_checked(path: str, plan: ConvertPlan) -> Loaded | ConvertReport:
    """One input, read and (unless the plan says not) checked; or the report of why not."""
    if is_lines(path, plan.input_format):
        return read_lines(path, plan)
    try:
        loaded = load(path, plan.input_format, plan.stdin)
    except (WarphotoError, OSError) as error:
        return ConvertReport(path, problem=Problem.of(error))
    issues = located_issues(loaded) if plan.validate else []
    return ConvertReport(path, issues=tuple(issues)) if issues else loaded


def check_file(path: str, plan: ConvertPlan) -> ConvertReport:
    """The first pass: read and check one input and name every file it would be written to."""
    loaded = _read(path, plan)
    if isinstance(loaded, ConvertReport):
        return loaded
    return ConvertReport(path, planned=tuple(o.path for o in outputs_for(path, plan, loaded.document)))


def convert_file(path: str, plan: ConvertPlan) -> ConvertReport:
    """Read one input, check it, write it in each asked format (each file atomically)."""
    if streams(path, plan):
        return convert_lines(path, plan)
    loaded = _read(path, plan)
    if isinstance(loaded, ConvertReport):
        return loaded
    document = loaded.document
    photographs = standalone_records(document) if "@graph" in document else []
    written: list[str] = []
    failed: list[tuple[str, str]] = []
    for output in outputs_for(path, plan, document):
        content = document if output.photograph is None else photographs[output.photograph]
        try:
            payload = io.dumps(content, output.format, **plan.options_for(output.format))
            raw = payload.encode("utf-8") if isinstance(payload, str) else payload
            if output.path == STDIO:
                sys.stdout.buffer.write(raw)
                sys.stdout.buffer.flush()
            else:
                os.makedirs(os.path.dirname(output.path) or ".", exist_ok=True)
                atomic_write_bytes(output.path, raw, overwrite=plan.force)
        except FileExistsError:
            failed.append((output.path, "file exists; pass --force to replace it"))
        except (WarphotoError, OSError) as error:
            failed.append((output.path, cli_message(str(error), output.format)))
        else:
            written.append(output.path)
    return ConvertReport(path, tuple(written), (), None, tuple(failed))


def convert_formats(names: Sequence[str], output: str | None) -> tuple[str, ...]:
    """The formats --to names (``all``: every format written from a record alone)."""
    if not names:
        if output is None or output == STDIO:
            raise UsageError("say which format to write: --to FORMAT (see `warphoto formats`)")
        return (output_format(output).name,)
    chosen: list[str] = []
    for entry in names:
        for name in (n.strip() for n in entry.split(",")):
            if not name:
                continue
            if name == "all":
                chosen += [f.name for f in formats.all_formats() if f.can_write and not needs_image(f)]
                continue
            fmt = named_format("--to", name)
            if not fmt.can_write:
                raise UsageError(f"--to {name}: warphoto can read {fmt.name} but not write it")
            if needs_image(fmt):
                raise UsageError(
                    f"--to {name}: {fmt.name} goes into an existing image: use `warphoto embed IMAGE RECORD`"
                )
            chosen.append(fmt.name)
    return tuple(dict.fromkeys(chosen))


def remove_temporary_files(targets: Sequence[str]) -> None:
    """Remove the temporary files of atomic writes to ``targets`` that a stopped worker left behind.

    Workers clean up after themselves when stopped; this also covers a worker that was killed
    outright. The names are those of :func:`warphoto._atomic.atomic_write_bytes`: ``.NAME.XXXX.tmp``.
    """
    by_folder: dict[str, set[str]] = {}
    for target in targets:
        by_folder.setdefault(os.path.dirname(target), set()).add(os.path.basename(target))
    for folder, names in by_folder.items():
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            if entry.startswith(".") and entry.endswith(".tmp") and entry[1:-4].rsplit(".", 1)[0] in names:
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, entry))


def refuse_clashes(planned: Mapping[str, Sequence[str]], force: bool) -> None:
    """A UsageError when two inputs would write one file, or (without --force) an output exists."""
    owners: dict[str, str] = {}
    existing: list[str] = []
    for path, targets in planned.items():
        for target in targets:
            if target == STDIO:
                continue
            key = os.path.normcase(os.path.abspath(target))
            if key in owners:
                raise UsageError(
                    f"{display_name(owners[key])} and {display_name(path)} would both be written to {target}"
                )
            owners[key] = path
            if not force and os.path.lexists(target):
                existing.append(target)
    if existing:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise UsageError(f"{existing[0]} exists{more}; refusing to overwrite: pass --force to replace")


def _reports(outcomes: Sequence[Outcome[ConvertReport]]) -> list[ConvertReport]:
    return [
        outcome.value
        if outcome.value is not None
        else ConvertReport(outcome.path, problem=Problem.of_failure(outcome))
        for outcome in outcomes
    ]


def _tell(reports: Sequence[ConvertReport]) -> int:
    """Say on stderr what went wrong with each input; the exit status it makes."""
    status = EXIT_OK
    for report in reports:
        shown = display_name(report.path)
        if report.problem is not None:
            err(f"{report.problem.where(shown)}: error: {report.problem.message}")
            status = EXIT_USAGE
        for issue in report.issues:
            err(str(issue))
        if report.issues:
            err(f"{shown}: not converted: {plural(len(report.issues), 'validation issue')}")
            status = max(status, EXIT_INVALID)
        for target, message in report.write_errors:
            err(f"{'<stdout>' if target == STDIO else target}: not written: {message}")
            status = max(status, EXIT_INVALID)
    return status


def run(args: argparse.Namespace) -> int:
    """Convert record files to other formats, side by side in a folder or to one file."""
    if args.input_format:
        named_format("--from", args.input_format)
    check_engine_options(args)
    if args.engine is not None:
        from warphoto.cli.engine import run_convert

        return run_convert(args)
    names = convert_formats(args.to, args.output)  # an unknown format is the first thing said
    if (args.output is None) == (args.out_dir is None):
        raise UsageError("give exactly one of -o FILE and --out-dir DIR")
    options = writer_options(args.option, names)
    try:
        profile = load_profile(args.profile) if args.profile is not None else None
    except ProfileError as error:
        raise UsageError(f"--profile: {error}") from error
    inputs = expand_inputs(args.inputs)
    for argument, message in inputs.missing:
        raise UsageError(f"{argument}: {message}")
    if not inputs.files:
        raise UsageError("no record files found in " + ", ".join(args.inputs))
    if args.output is not None and (len(inputs.files) != 1 or len(names) != 1):
        raise UsageError("-o FILE takes one input and one format; use --out-dir DIR for more")
    plan = ConvertPlan(
        names,
        args.out_dir,
        args.output,
        args.input_format,
        args.force,
        not args.no_validate,
        tuple(inputs.folders),
        options,
        inputs.stdin,
        profile,
        dt.datetime.now(dt.UTC) if profile is not None else None,
    )
    progress = args.progress and args.output != STDIO
    checked: dict[str, ConvertReport] = {}
    if plan.names_need_content:  # first pass: read and check every input, name every output
        outcomes = run_batch(
            functools.partial(check_file, plan=plan), inputs.files, args.jobs, "check", progress
        )
        report_bugs(outcomes, args.debug)
        checked = {report.path: report for report in _reports(outcomes)}
        planned = {path: report.planned for path, report in checked.items() if report.convertible}
        plan = replace(plan, validate=False)  # checked already
    else:
        planned = {path: tuple(target for _, target in targets_for(path, plan)) for path in inputs.files}
    refuse_clashes(planned, args.force)  # before anything is written
    targets = [target for outputs in planned.values() for target in outputs]
    outcomes = run_batch(
        functools.partial(convert_file, plan=plan),
        list(planned),
        args.jobs,
        "convert",
        progress,
        cleanup=functools.partial(remove_temporary_files, targets),
    )
    report_bugs(outcomes, args.debug)
    converted = {report.path: report for report in _reports(outcomes)}
    reports = [converted.get(path) or checked[path] for path in inputs.files]
    status = _tell(reports)
    if args.output != STDIO:
        written = sum(len(r.written) for r in reports)
        done = sum(1 for r in reports if r.written)
        where = args.output if args.output is not None else args.out_dir
        print(
            f"converted {done} of {plural(len(reports), 'file')} to {', '.join(names)}: "
            f"{plural(written, 'file')} written to {where}"
        )
        if args.verbose:
            for report in reports:
                for target in report.written:
                    print(f"  {display_name(report.path)} -> {target}")
    return status
