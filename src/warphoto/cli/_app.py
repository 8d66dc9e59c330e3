"""The ``warphoto`` program: the arguments of every command (in one parser), and ``main``.

Each command runs in a module of its own (``validate.run``, ``convert.run``, ...).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import textwrap
import traceback
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any, NoReturn

from warphoto import __version__, _build
from warphoto.batch import default_jobs
from warphoto.cli._common import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_USAGE,
    CommandParser,
    Interrupted,
    UsageError,
    err,
)
from warphoto.cli.options import options_help
from warphoto.cli.reports import RENDERERS
from warphoto.errors import ValidationError, WarphotoError


def _command(module: str, function: str = "run") -> Callable[[argparse.Namespace], int]:
    """The command ``function`` of ``warphoto.cli.<module>``, imported only when that command runs
    (the modules of the other commands, images and C2PA among them, cost start-up time)."""

    def run(args: argparse.Namespace) -> int:
        handler: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(f"warphoto.cli.{module}"), function
        )
        return handler(args)

    run.__qualname__ = f"{module}.{function}"
    return run


class _Version(argparse.Action):
    """``--version``: the build is looked up only when asked for (it imports the XMP module)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> NoReturn:
        print(f"warphoto {__version__} ({_build.describe()})")
        parser.exit()


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Wraps descriptions to the terminal; keeps indented lines (the examples) as they are."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for paragraph in text.splitlines():
            if not paragraph or paragraph.startswith(" "):
                lines.append(indent + paragraph)
            else:
                lines.append(textwrap.fill(paragraph, width, initial_indent=indent, subsequent_indent=indent))
        return "\n".join(lines)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (each with --help and an example)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback for every error"
    )
    batch = argparse.ArgumentParser(add_help=False)
    batch.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help=f"worker processes (default: the number of cores, here {default_jobs()})",
    )
    batch.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="no progress bar (it only shows on a terminal, and never when CI is set)",
    )
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--from",
        dest="input_format",
        metavar="FORMAT",
        help="read inputs as FORMAT instead of telling it from the file name (stdin: JSON-LD)",
    )

    engine = argparse.ArgumentParser(add_help=False)
    engine.add_argument(
        "--engine",
        choices=("dask", "spark"),
        default=None,
        help="run as a Dask or Spark job (docs/scale.md; needs warphoto[dask] or warphoto[spark])",
    )
    engine.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="the Dask scheduler (default: a local cluster, one worker a core)",
    )
    engine.add_argument(
        "--master", metavar="URL", help="the Spark master (default: local[*,4], every core, 4 tries a task)"
    )
    engine.add_argument(
        "--partitions", type=_jobs, metavar="N", help="partitions of the input (default: twice the cores)"
    )

    parser = argparse.ArgumentParser(
        prog="warphoto",
        formatter_class=_Formatter,
        description="Metadata of documentary and war photographs as Linked Data: check records, "
        "convert them between JSON-LD, RDF, XMP, NewsML-G2 and EDM, embed them in JPEGs, and ingest "
        "image files (EXIF, IPTC-IIM, XMP) into records.",
        epilog="exit status: 0 all good, 1 a record is invalid, 2 usage error or unreadable input, "
        "130/143 interrupted (Ctrl-C/SIGTERM)\n\nexample:\n  warphoto validate records/ --format github\n\n"
        "`warphoto COMMAND --help` explains each command.",
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help="show the version and the build, and exit"
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback for every error")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=CommandParser
    )
    report = argparse.ArgumentParser(add_help=False)  # validate's and verify's (the same renderers)
    report.add_argument(
        "--format",
        choices=sorted(RENDERERS),
        default="text",
        help="report as text (default), json, junit (JUnit XML) or github (workflow annotations)",
    )
    shared = {"batch": batch, "reading": reading, "engine": engine, "report": report}

    def using(*names: str) -> dict[str, Any]:
        """``add_parser`` keywords: --debug, the options of the parents ``names``, the formatter."""
        return {"parents": [common, *(shared[name] for name in names)], "formatter_class": _Formatter}

    p = commands.add_parser(
        "validate",
        help="check record files against the schemas and rules",
        description="Check record files (JSON-LD, JSON Lines, and every format warphoto reads) against "
        "the schemas and the semantic rules, and report every issue with its file, line and column, "
        "record and JSON path. Folders are searched recursively for files a format can read; glob "
        "patterns (quoted, `**` for any depth) are expanded; `-` reads standard input (JSON-LD unless "
        "--from says otherwise).",
        epilog="exit status: 2 if any input cannot be read (or the command line is wrong), else 1 if any "
        "record is invalid, else 0\n\nexamples:\n  warphoto validate docs/examples/kharkiv-2022.jsonld\n"
        "  warphoto validate records/ 'more/**/*.jsonl' --format junit > report.xml\n"
        "  warphoto validate records/ --format github   # annotations in GitHub Actions\n"
        "  curl -s https://example.org/record.jsonld | warphoto validate -",
        **using("batch", "reading", "engine", "report"),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, glob patterns, or - (stdin)")
    p.set_defaults(handler=_command("validate"))

    p = commands.add_parser(
        "convert",
        help="write records in other formats",
        description="Read record files and write them in another format (or several, or all): to one "
        "file with -o, or side by side in a folder with --out-dir (file name = input name with the "
        "format's extension; inputs found in a folder keep their sub-folders). Inputs are checked "
        "first and an invalid one is not converted (--no-validate skips the check). Every file is "
        "written atomically; existing files are never replaced without --force, and a refused run "
        "writes nothing. `-` reads standard input (JSON-LD unless --from says otherwise); `-o -` "
        "writes to standard output.",
        epilog="exit status: 2 usage error, unreadable input or an output that exists, else 1 if an "
        "input is invalid or a format cannot hold it, else 0\n\nexamples:\n"
        "  warphoto convert docs/examples/kharkiv-2022.jsonld --to turtle -o kharkiv.ttl\n"
        "  warphoto convert records/ --to all --out-dir exported/ -j 4 \\\n"
        "      -O edm.provider='Example Aggregator' -O edm.data_provider='Example Archive' \\\n"
        "      -O edm.rights=http://rightsstatements.org/vocab/InC/1.0/\n"
        "  cat record.jsonld | warphoto convert - --from jsonld --to turtle -o -",
        more_help=options_help,
        **using("batch", "reading", "engine"),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, glob patterns, or - (stdin)")
    p.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="FORMAT",
        help="format to write (repeat or comma-separate for several; `all` for every writable "
        "format; default with -o: from the file name)",
    )
    target = p.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", metavar="FILE", help="write to FILE (`-` for stdout)")
    target.add_argument("--out-dir", metavar="DIR", help="write into DIR (created if missing)")
    p.add_argument(
        "-O",
        "--option",
        action="append",
        default=[],
        metavar="[FORMAT.]NAME=VALUE",
        help="a writer option: FORMAT.NAME=VALUE for one format, NAME=VALUE for every format written "
        "that takes NAME (listed below); VALUE is read as JSON when it is JSON (4, true, null); "
        "EDM needs provider, data_provider and rights",
    )
    p.add_argument("--force", action="store_true", help="replace files that exist")
    p.add_argument("--no-validate", action="store_true", help="convert without checking the records first")
    p.add_argument(
        "--profile",
        metavar="NAME|FILE",
        help="redact every record with a safety profile (public, partner, or a .toml/.json file) "
        "before any format is written (docs/safety.md)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="list every file written")
    p.set_defaults(handler=_command("convert"))

    p = commands.add_parser(
        "inspect",
        help="print the record a file holds",
        description="Read any supported file (a JPEG too; `-` for standard input) and print its record "
        "as JSON-LD (the record form), or a readable summary with --summary. The record is not "
        "validated: use `validate`.",
        epilog="examples:\n  warphoto inspect photo.jpg\n"
        "  warphoto inspect docs/examples/kharkiv-2022.jsonld --summary",
        **using("reading"),
    )
    p.add_argument("file", metavar="FILE", help="the file, or - (stdin)")
    p.add_argument("--summary", action="store_true", help="a readable summary instead of JSON")
    p.add_argument(
        "--ingest",
        action="store_true",
        help="read an image as `warphoto ingest` does (EXIF, IIM, XMP, sidecar; the default for "
        "images other than JPEG) and print how its forms disagree on stderr",
    )
    p.set_defaults(handler=_command("inspect"))

    p = commands.add_parser(
        "embed",
        help="write a record into a JPEG as XMP",
        description="Embed a record in a JPEG as XMP. The image is rewritten atomically, its pixel data "
        "untouched; with -o the result goes to a new file instead (`-o -`: standard output). The "
        "record must be valid; `-` reads it from standard input (JSON-LD unless --from says otherwise).",
        epilog="example:\n  warphoto embed photo.jpg photo.jsonld\n"
        "  warphoto embed photo.jpg photo.xmp -o tagged/photo.jpg\n"
        "  warphoto embed photo.jpg gallery.jsonld --id https://example.org/photos/7",
        **using("reading"),
    )
    p.add_argument("image", metavar="IMAGE", help="the JPEG")
    p.add_argument("record", metavar="RECORD", help="the record, in any format warphoto reads, or - (stdin)")
    p.add_argument("--id", metavar="IRI", help="the photograph to embed, when RECORD is a collection")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write the tagged image here (- for stdout), not over IMAGE"
    )
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(handler=_command("images", "embed"))

    p = commands.add_parser(
        "redact",
        help="write a redacted copy of a JPEG, TIFF, PNG, WebP, HEIF or AVIF (safety profile)",
        description="Write a copy of a JPEG, TIFF, PNG, WebP, HEIF or AVIF whose metadata follows a safety "
        "profile (docs/safety.md): the image is ingested, its record redacted, and the copy carries only the "
        "redacted record's XMP (in a JPEG with the IIM and EXIF IFD0 values MWG readers need) and its "
        "orientation; all other metadata of the original (EXIF with GPS and serials, IIM, maker data, "
        "comments, text chunks, private tags) is left out. The compressed image data is byte-identical "
        "and the original is never written to.",
        epilog="example:\n  warphoto redact photo.jpg -o public/photo.jpg --profile public",
        **using(),
    )
    p.add_argument("image", metavar="IMAGE", help="the JPEG, TIFF, PNG, WebP, HEIF or AVIF image")
    p.add_argument("-o", "--output", metavar="COPY", required=True, help="the redacted copy to write")
    p.add_argument(
        "--profile", metavar="NAME|FILE", required=True, help="public, partner, or a .toml/.json file"
    )
    p.add_argument("--force", action="store_true", help="replace COPY if it exists")
    p.set_defaults(handler=_command("redact"))

    p = commands.add_parser(
        "extract",
        help="read the XMP of a JPEG as a sidecar or any format",
        description="Read the record embedded in a JPEG (`-`: from standard input) and write it as an XMP "
        "sidecar (default), or in the format of -o FILE's name or --to FORMAT; to stdout without -o.",
        epilog="examples:\n  warphoto extract photo.jpg -o photo.xmp\n"
        "  warphoto extract photo.jpg --to jsonld",
        **using(),
    )
    p.add_argument("image", metavar="IMAGE", help="the JPEG, or - (stdin)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (format from its name), not to stdout")
    p.add_argument("--to", metavar="FORMAT", help="format to write (default: xmp, or from -o's name)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(handler=_command("images", "extract"))

    p = commands.add_parser(
        "ingest",
        help="read image files (EXIF, IPTC-IIM, XMP, sidecars) into Photograph records",
        description="Read the metadata photographs carry (EXIF, IPTC-IIM and XMP from JPEG, TIFF, PNG, "
        "WebP, HEIF/AVIF and PSD, and an XMP sidecar beside the image), reconciled by the MWG rules, "
        "with each file's SHA-256, size, media type and pixel size, into one Photograph record per "
        "image: all in one collection with -o, or one FILE.jsonld per image with --out-dir. Folders are "
        "searched recursively for images; glob patterns are expanded. Disagreements between the forms "
        "are printed as notes on stderr. The images are never written to; nothing is written when an "
        "image cannot be read, and existing files are not replaced without --force.",
        epilog="exit status: 2 usage error, an unreadable image or an output that exists, else 1 if a "
        "record is invalid, else 0\n\nexamples:\n  warphoto ingest photos/ -o collection.jsonld -j 4\n"
        "  warphoto ingest 'scans/**/*.tif' --out-dir records/\n"
        "  warphoto ingest /archive/scans -o scans.jsonld --engine dask --scheduler tcp://head:8786",
        **using("batch", "engine"),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="image files, folders or glob patterns")
    target = p.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", metavar="FILE", help="write one collection (JSON-LD) to FILE")
    target.add_argument(
        "--out-dir", metavar="DIR", help="write IMAGE.jsonld per image into DIR (created if missing)"
    )
    p.add_argument(
        "--format",
        choices=sorted(RENDERERS),
        default="text",
        help="report unreadable images as text (default), json, junit or github",
    )
    p.add_argument("--force", action="store_true", help="replace files that exist")
    p.add_argument("-q", "--quiet", action="store_true", help="no notes on how the images were read")
    p.set_defaults(handler=_command("ingest"))

    p = commands.add_parser(
        "formats",
        help="list formats: extensions, read/write, what each cannot carry",
        description="List every format this installation reads or writes, its file extensions, and "
        "the record fields it cannot carry (see docs/loss-table.md). --format json adds titles, media "
        "types, aliases, and the writer and reader options.",
        epilog="example:\n  warphoto formats --format json",
        **using(),
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="a table (default) or JSON")
    p.set_defaults(handler=_command("formats"))

    def target_options(p: argparse.ArgumentParser, verb: str) -> None:
        where = p.add_mutually_exclusive_group(required=True)
        where.add_argument("--store", metavar="DIR", help=f"{verb} the embedded Oxigraph store in DIR")
        where.add_argument("--endpoint", metavar="URL", help=f"{verb} the SPARQL endpoint at URL")
        p.add_argument(
            "--timeout", type=float, default=60.0, metavar="S", help="seconds to wait for the endpoint (60)"
        )

    p = commands.add_parser(
        "load",
        help="load records into an RDF store (embedded Oxigraph or a SPARQL endpoint)",
        description="Load record files (any format warphoto reads) into an RDF store: the embedded "
        "Oxigraph store in --store DIR (pip install 'warphoto[store]'), or a SPARQL 1.1 Graph Store "
        "endpoint (--endpoint URL, HTTP PUT URL?graph=...). Each file is one named graph, named by "
        "its absolute file: URI; loading a file again replaces its graph. The triples are those of "
        "`convert --to ntriples`. Every input is read and checked first: if any is unreadable or "
        "invalid, nothing is loaded.",
        epilog="exit status: 2 usage error, unreadable input or a store/endpoint error, else 1 if a "
        "record is invalid, else 0\n\nexamples:\n"
        "  warphoto load docs/examples/kharkiv-2022.jsonld --store photos.db\n"
        "  warphoto load records/ --endpoint http://localhost:7878/store",
        **using("reading"),
    )
    p.add_argument("inputs", nargs="+", metavar="FILE", help="files, folders or glob patterns")
    target_options(p, "load into")
    p.add_argument("--no-validate", action="store_true", help="load without checking the records first")
    p.add_argument(
        "--bulk",
        action="store_true",
        help="pyoxigraph's bulk loader: faster for files of many MB, slower for small ones, and not "
        "transactional (a failure leaves part of that file's graph)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="list every file loaded, with its graph")
    p.set_defaults(handler=_command("load"))

    p = commands.add_parser(
        "query",
        help="run a SPARQL query against an RDF store",
        description="Run a SPARQL 1.1 query against the embedded store (--store DIR; its default graph "
        "is the union of every loaded graph) or a SPARQL endpoint (--endpoint URL, the query URL as "
        "given). SELECT prints an aligned table, or SPARQL CSV/JSON results with --format; ASK prints "
        "true or false; CONSTRUCT and DESCRIBE print N-Triples.",
        epilog="exit status: 2 usage error, malformed query or a store/endpoint error, else 0\n\n"
        "examples:\n"
        "  warphoto query --store photos.db 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'\n"
        "  warphoto query --endpoint http://localhost:7878/query @photos-in-izium.rq --format csv",
        **using(),
    )
    p.add_argument("query", metavar="SPARQL", help="the query, - (stdin) or @FILE")
    target_options(p, "query")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="SELECT results as an aligned table (default), SPARQL CSV or SPARQL JSON",
    )
    p.set_defaults(handler=_command("query"))

    p = commands.add_parser(
        "verify",
        help="re-hash the files records describe: intact, changed or missing",
        description="For record files and collections (any readable format, JSON Lines too) whose "
        "MediaFiles give a sha256, find each file and recompute its SHA-256 and size: each is intact, "
        "changed or missing. A file is looked for at its file: contentUrl, then as its fileName in the "
        "record file's folder, then in --files DIR. A BagIt bag (a folder with bagit.txt) is checked "
        "against its manifests with the bagit library, and the records in data/metadata/ against data/. "
        "Files are only read.",
        epilog="exit status: 2 if any input cannot be read (or the command line is wrong), else 1 if any "
        "file is changed or missing, else 0\n\nexamples:\n  warphoto verify photos.jsonld\n"
        "  warphoto verify records.jsonl --files /archive/masters --format junit > fixity.xml\n"
        "  warphoto verify delivery-bag/\n"
        "  warphoto verify photos.jsonld --record photos.verified.jsonld   # adds a verification step",
        **using("report"),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="record files, folders, glob patterns, or bags")
    p.add_argument("--files", metavar="DIR", help="a folder to look for files in last (by fileName)")
    p.add_argument(
        "--record",
        metavar="FILE",
        help="also write the records, each with a verification step, to FILE (JSON-LD; never an input)",
    )
    p.add_argument("--force", action="store_true", help="replace the --record FILE if it exists")
    p.set_defaults(handler=_command("verify"))

    p = commands.add_parser(
        "bag",
        help="deliver record files and their images as a BagIt bag",
        description="Write a BagIt 1.0 bag (RFC 8493, with the Library of Congress bagit library): the image "
        "files the records describe in data/ (found as `verify` finds them; each must be intact), the "
        "metadata in data/metadata/ (compact JSON-LD and N-Triples, plus each --format), SHA-256 and "
        "SHA-512 manifests, and bag-info.txt with Source-Organization and Bagging-Date. Each record in "
        "the bag gets a 'packaged for delivery' provenance step. With --profile, the images are redacted "
        "copies (as `warphoto redact` makes them) and the records are redacted. The bag is built beside "
        "BAGDIR and "
        "renamed when complete and valid: a refused run writes nothing.",
        epilog="exit status: 2 usage error, unreadable input, a file not intact or BAGDIR exists "
        "(without --force), else 1 if a record is invalid, else 0\n\nexamples:\n"
        "  warphoto bag photos.jsonld -o delivery-bag --source-organization 'Example Archive'\n"
        "  warphoto bag photos.jsonld -o partner-bag --profile partner\n"
        "  warphoto bag photos.jsonld -o bag --format newsml --format edm \\\n"
        "      -O edm.provider='Example Aggregator' -O edm.data_provider='Example Archive' \\\n"
        "      -O edm.rights=http://rightsstatements.org/vocab/InC/1.0/",
        **using(),
    )
    p.add_argument("collections", nargs="+", metavar="COLLECTION", help="record files (collections) to bag")
    p.add_argument("-o", "--output", required=True, metavar="BAGDIR", help="the bag folder to write")
    p.add_argument(
        "--format",
        action="append",
        default=[],
        metavar="FORMAT",
        help="another metadata format to add (repeat or comma-separate: edm, newsml, turtle, ...)",
    )
    p.add_argument(
        "-O",
        "--option",
        action="append",
        default=[],
        metavar="[FORMAT.]NAME=VALUE",
        help="a writer option, as for convert (EDM needs provider, data_provider and rights)",
    )
    p.add_argument("--source-organization", metavar="NAME", help="Source-Organization in bag-info.txt")
    p.add_argument("--files", metavar="DIR", help="a folder to look for image files in last (by fileName)")
    p.add_argument("--force", action="store_true", help="replace BAGDIR if it exists")
    p.add_argument(
        "--profile",
        metavar="NAME|FILE",
        help="deliver what a safety profile lets out (public, partner, or a .toml/.json file): "
        "redacted copies of the images and redacted records (docs/safety.md)",
    )
    p.set_defaults(handler=_command("bag"))

    return parser


def _on_sigterm(signum: int, frame: FrameType | None) -> NoReturn:
    raise Interrupted(signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except KeyboardInterrupt as interrupt:
        if args.command not in ("validate", "convert", "load"):  # these say how far they got
            err("interrupted; no partial files left")
        return 128 + interrupt.signum if isinstance(interrupt, Interrupted) else EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader of our output went away (`| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_INVALID
    except ValidationError as error:
        if args.debug:
            traceback.print_exc()
        err(f"error: {error}")
        return EXIT_INVALID
    except (WarphotoError, OSError, UsageError) as error:
        if args.debug:
            traceback.print_exc()
        message = str(error)
        if isinstance(error, OSError) and error.strerror:
            message = f"{error.filename}: {error.strerror}" if error.filename else error.strerror
        err(f"error: {message}")
        return EXIT_USAGE
    except Exception as error:  # a bug: say so in one line, the traceback with --debug
        if args.debug:
            traceback.print_exc()
        else:
            err(
                f"internal error ({type(error).__name__}): {error}; this is a bug in warphoto or a format "
                "module: run with --debug for the traceback"
            )
        return EXIT_USAGE
    finally:
        signal.signal(signal.SIGTERM, previous)
