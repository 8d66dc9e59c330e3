"""`warphoto load`: records into an RDF store, one named graph per input file.

Every input is read, checked and turned into N-Triples before anything is loaded: a run with
an unreadable or invalid input loads nothing. Then each file's graph is replaced in turn.
"""

from __future__ import annotations

import argparse

from warphoto import io
from warphoto.cli._common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    STDIO,
    Problem,
    UsageError,
    err,
    load,
    located_issues,
    plural,
)
from warphoto.cli.inputs import expand_inputs
from warphoto.errors import FormatError, ReadError, WriteError
from warphoto.store import EmbeddedStore, Endpoint, Store, StoreError, graph_name


def open_target(args: argparse.Namespace, *, read_only: bool = False) -> Store:
    """The store of ``--store DIR`` or the endpoint of ``--endpoint URL``."""
    if args.store is not None:
        return EmbeddedStore(args.store, read_only=read_only, bulk=getattr(args, "bulk", False))
    return Endpoint(args.endpoint, timeout=args.timeout)


def _prepare(path: str, args: argparse.Namespace) -> bytes | int:
    """The N-Triples of one input, or the exit status its problems call for (reported here)."""
    try:
        loaded = load(path, args.input_format)
    except (ReadError, FormatError, OSError) as error:
        problem = Problem.of(error)
        err(f"{problem.where(path)}: error: {problem.message}")
        return EXIT_USAGE
    if not args.no_validate:
        issues = located_issues(loaded)
        for issue in issues:
            err(str(issue))
        if issues:
            return EXIT_INVALID
    try:
        text = io.dumps(loaded.document, "ntriples")
    except WriteError as error:
        err(f"{path}: error: {error}")
        return EXIT_INVALID
    return text.encode("utf-8") if isinstance(text, str) else text


def run(args: argparse.Namespace) -> int:
    """Load every input (replacing its graph), or nothing when any input is unreadable or invalid."""
    if args.bulk and args.store is None:
        raise UsageError("--bulk is for the embedded store (--store DIR); an endpoint loads as it does")
    if STDIO in args.inputs:
        raise UsageError("load reads files, not standard input: each file becomes the graph named by its URI")
    found = expand_inputs(args.inputs)
    status = EXIT_OK
    for argument, message in found.missing:
        err(f"{argument}: error: {message}")
        status = EXIT_USAGE
    if not found.files and not found.missing:
        raise UsageError("no record files found in the inputs")
    prepared: list[tuple[str, bytes]] = []
    try:
        for path in found.files:
            outcome = _prepare(path, args)
            if isinstance(outcome, int):
                status = max(status, outcome)
            else:
                prepared.append((path, outcome))
    except KeyboardInterrupt:
        err("interrupted; nothing loaded")
        raise
    if status != EXIT_OK:
        bad = len(found.files) + len(found.missing) - len(prepared)
        err(f"nothing loaded: {plural(bad, 'input')} of {len(found.files) + len(found.missing)} failed")
        return status
    return _load_all(open_target(args), prepared, args)


def _load_all(target: Store, prepared: list[tuple[str, bytes]], args: argparse.Namespace) -> int:
    """Replace each file's graph in turn; on a failure or an interrupt, say how far it got."""
    where = args.store if args.store is not None else args.endpoint
    triples = 0
    done = 0
    try:
        for path, ntriples in prepared:
            try:
                target.replace_graph(graph_name(path), ntriples)
            except StoreError as error:
                err(f"error: {path}: {error}")
                err(
                    f"{plural(done, 'file')} of {len(prepared)} loaded into {where} before this one; "
                    f"{path} and the rest were not (run again to load them)"
                )
                return EXIT_USAGE
            done += 1
            triples += len(set(ntriples.splitlines()) - {b""})
            if args.verbose:
                print(f"loaded {path} into graph <{graph_name(path)}>")
    except KeyboardInterrupt:
        err(
            f"interrupted: {plural(done, 'file')} of {len(prepared)} loaded into {where}; "
            "run again to load the rest (reloading replaces)"
        )
        raise
    print(f"loaded {plural(len(prepared), 'file')} ({plural(triples, 'triple')}) into {where}")
    return EXIT_OK
