"""What every command shares: exit statuses, errors, reading one input, messages in command-line words."""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from warphoto import formats, io
from warphoto._sourcemap import SourceMap, escape_token
from warphoto.batch import Failure, Outcome
from warphoto.errors import FormatError, ReadError
from warphoto.validation import Issue, iter_issues

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

#: the argument that names standard input (an input) or standard output (``-o -``)
STDIO = "-"
#: the name standard input goes by in reports and messages
STDIN_NAME = "<stdin>"
#: the format of standard input without --from
STDIN_FORMAT = "jsonld"


class UsageError(Exception):
    """The command line asks for something that cannot be done; exit 2 with the message."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM, turned into an exception so that a run stops the same way as on Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class CommandParser(argparse.ArgumentParser):
    """An argument parser whose ``--help`` may end with text made only when asked for.

    (The writer options of ``convert --help`` come from every format module: importing them
    all for every command would slow each one down.)
    """

    def __init__(self, *args: Any, more_help: Callable[[], str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.more_help = more_help

    def format_help(self) -> str:
        text = super().format_help()
        return f"{text}\n{self.more_help()}\n" if self.more_help is not None else text


def err(message: str) -> None:
    print(f"warphoto: {message}", file=sys.stderr)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def readable_formats() -> list[formats.Format]:
    return [f for f in formats.all_formats() if f.can_read]


def needs_image(fmt: formats.Format) -> bool:
    """A format written into an existing image (JPEG): `convert` cannot make one from a record alone."""
    return fmt.media_type.startswith("image/")


def writes_archive(fmt: formats.Format) -> str | None:
    """The ``.zip`` extension of a format that writes a collection as a ZIP (EDM), else None."""
    return next((ext for ext in fmt.extensions if ext.endswith(".zip")), None)


_JSON_LINES_EXTENSIONS = (".jsonl", ".ndjson", ".jsonlines")


def _is_json_text(fmt: formats.Format) -> tuple[bool, bool]:
    """(is JSON text, is JSON Lines) for a format, from its extensions and media type."""
    lines = any(ext in _JSON_LINES_EXTENSIONS for ext in fmt.extensions)
    return (lines or "json" in fmt.media_type.lower(), lines)


# --------------------------------------------------------------------------- command-line words

_LIBRARY_OPTION = r"(?<![\w.?&/=-]){name}="


def cli_message(text: str, format_name: str | None = None, *, id_option: str | None = None) -> str:
    """A library message in command-line words.

    The library says ``pass provider=...``; the command line takes ``-O edm.provider=...``.
    Every writer option of ``format_name`` named with ``=`` is rewritten so; ``id=`` becomes
    ``id_option`` (``--id IRI`` for embed) when given; ``format=...`` becomes ``--from``/``--to``
    and ``overwrite=True`` becomes ``--force``.
    """
    text = text.replace("pass overwrite=True to replace it", "pass --force to replace it")
    if id_option is not None:
        text = re.sub(_LIBRARY_OPTION.format(name="id") + r"(\.\.\.)?", id_option + " ", text)
        text = text.replace(id_option + "  ", id_option + " ")
    if format_name is not None:
        fmt = formats.get(format_name)
        for name in sorted(fmt.options, key=len, reverse=True):
            text = re.sub(_LIBRARY_OPTION.format(name=re.escape(name)), f"-O {fmt.name}.{name}=", text)
    return text


def named_format(option: str, name: str) -> formats.Format:
    """The format ``name`` given to ``option`` (``--to``, ``--from``); a FormatError saying which option."""
    try:
        return formats.get(name)
    except FormatError as error:
        raise FormatError(f"{option} {name}: {error}") from None


def input_format(path: str, name: str | None) -> formats.Format:
    """The format to read ``path`` in: ``--from`` when given, else from the name (stdin: JSON-LD)."""
    if name:
        return named_format("--from", name)
    if path == STDIO:
        return formats.get(STDIN_FORMAT)
    try:
        return formats.for_path(path)
    except FormatError:
        raise FormatError(
            f"cannot tell the format of {path!r} from its name; say it with --from FORMAT "
            "(`warphoto formats` lists them)"
        ) from None


def output_format(path: str) -> formats.Format:
    """The format of an output named ``path`` (``-o FILE`` without ``--to``)."""
    try:
        return formats.for_path(path)
    except FormatError:
        raise FormatError(
            f"cannot tell the format of {path!r} from its name; say it with --to FORMAT "
            "(`warphoto formats` lists them)"
        ) from None


def display_name(path: str) -> str:
    return STDIN_NAME if path == STDIO else path


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """Why a file could not be read (or written): message and, when known, where."""

    message: str
    line: int | None = None
    column: int | None = None
    kind: str = "ReadError"

    def where(self, path: str) -> str:
        text = path
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text

    @classmethod
    def of(cls, error: BaseException) -> Problem:
        """The problem an exception raised while reading one input stands for."""
        if isinstance(error, ReadError):
            return cls(error.message, error.line, error.column, type(error).__name__)
        if isinstance(error, OSError):
            return cls(f"cannot read file: {error.strerror or error}", kind="OSError")
        return cls(str(error), kind=type(error).__name__)

    @classmethod
    def of_failure(cls, outcome: Outcome[Any]) -> Problem:
        """The problem of an outcome that carries no value: what its worker raised."""
        failure = outcome.failure or Failure("Error", "unknown failure", False)
        message = (
            failure.message if failure.expected else f"internal error ({failure.kind}): {failure.message}"
        )
        return cls(message, kind=failure.kind)


# --------------------------------------------------------------------------- reading one input


@dataclass(frozen=True)
class Loaded:
    """One input, read (not validated): its format, its document and, for stdin, its bytes."""

    path: str
    format: formats.Format
    document: dict[str, Any]
    data: bytes | None = None

    def source_bytes(self) -> bytes:
        """The bytes the document was read from (a file is read again: only when issues need lines)."""
        if self.data is not None:
            return self.data
        with open(self.path, "rb") as handle:
            return handle.read()


def load(path: str, format_name: str | None, stdin: bytes | None = None) -> Loaded:
    """Read one input in its format with ``warphoto.io``, without validating.

    ``path`` ``-`` is standard input, whose bytes the caller read once (``stdin``).
    Raises ReadError, FormatError or OSError.
    """
    fmt = input_format(path, format_name)
    if not fmt.can_read:
        raise ReadError(f"warphoto can write {fmt.name} but not read it", source=display_name(path))
    if path == STDIO:
        data = stdin if stdin is not None else b""
        return Loaded(path, fmt, io.loads(data, fmt.name, source=STDIN_NAME, validate=False), data)
    return Loaded(path, fmt, io.read(path, fmt.name, validate=False))


_UNKNOWN_KEY = re.compile(r"""unknown key ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def _unknown_key(issue: Issue) -> str | None:
    """For an unknown-key issue (reported on its object), the first key it names: the line to point at."""
    keys = issue.extra.get("keys") if isinstance(issue.extra, dict) else None
    if isinstance(keys, (list, tuple)) and keys and isinstance(keys[0], str):
        return keys[0]
    if issue.rule != "schema:additionalProperties":
        return None
    match = _UNKNOWN_KEY.search(issue.message)
    if match is None:
        return None
    key = ast.literal_eval(match.group(1))  # the message shows the key as a Python repr
    return key if isinstance(key, str) else None


def located_issues(loaded: Loaded) -> list[Issue]:
    """Every issue of the document, with the file name and (for JSON text) the line and column."""
    document = loaded.document
    issues = list(iter_issues(document))
    if not issues:
        return []
    is_json, is_lines = _is_json_text(loaded.format)
    source_map = SourceMap.from_bytes(loaded.source_bytes(), lines=is_lines) if is_json else None
    located = []
    for issue in issues:
        position = None
        if source_map is not None:
            key = _unknown_key(issue)
            offset = source_map.key_offset(f"{issue.pointer}/{escape_token(key)}", document) if key else None
            if offset is None:
                offset = source_map.offset(issue.pointer, document)
            position = source_map.line_column(offset) if offset is not None else None
        line, column = position if position else (None, None)
        located.append(replace(issue, source=display_name(loaded.path), line=line, column=column, extra={}))
    located.sort(key=lambda i: (i.line is None, i.line or 0, i.column or 0))
    return located


def count_records(document: dict[str, Any]) -> int:
    graph = document.get("@graph")
    return len(graph) if isinstance(graph, list) else 1


def check_engine_options(args: argparse.Namespace) -> None:
    """A UsageError for --scheduler/--master/--partitions without --engine (here, not in
    ``cli.engine``, so that a command without --engine does not import the engines)."""
    for option, value in (("--scheduler", args.scheduler), ("--master", args.master)):
        if value is not None and args.engine is None:
            raise UsageError(f"{option} goes with --engine")
    if args.partitions is not None and args.engine is None:
        raise UsageError("--partitions goes with --engine")
