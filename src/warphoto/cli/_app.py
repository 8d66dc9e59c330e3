"""The ``warphoto`` program: the argument parser of every command, and ``main``."""

from __future__ import annotations

import argparse
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
from warphoto.cli import convert, formats, images, inspect, validate
from warphoto.cli._common import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_USAGE,
    CommandParser,
    Interrupted,
    Parents,
    UsageError,
    err,
)
from warphoto.errors import ValidationError, WarphotoError


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

    parser = argparse.ArgumentParser(
        prog="warphoto",
        formatter_class=_Formatter,
        description="Metadata of documentary and war photographs as Linked Data: check records, "
        "convert them between JSON-LD, RDF, XMP, NewsML-G2 and EDM, and embed them in JPEGs.",
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
    parents = Parents(common, batch, reading, _Formatter)
    validate.add_parser(commands, parents)
    convert.add_parser(commands, parents)
    inspect.add_parser(commands, parents)
    images.add_parsers(commands, parents)
    formats.add_parser(commands, parents)
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
        if args.command not in ("validate", "convert"):
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
