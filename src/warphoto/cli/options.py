"""Writer options on the command line: ``-O FORMAT.NAME=VALUE``, or ``-O NAME=VALUE`` for all with NAME.

The options are the registry's (``Format.options``), so what ``--help`` lists, what
``-O`` accepts and what ``warphoto.dumps`` accepts are the same.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import Any

from warphoto import formats
from warphoto.cli._common import UsageError, needs_image
from warphoto.errors import FormatError


def _value(text: str) -> Any:
    """VALUE is read as JSON when it is JSON (``4``, ``true``, ``null``), else as text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def writer_options(pairs: Sequence[str], names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The options of each format written (``names``), from ``-O`` pairs; a UsageError for a wrong one."""
    chosen = {name: formats.get(name) for name in names}
    options: dict[str, dict[str, Any]] = {name: {} for name in names}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"-O takes FORMAT.NAME=VALUE or NAME=VALUE, not {pair!r}")
        scope, dot, name = key.rpartition(".")
        if dot:
            try:
                fmt = formats.get(scope)
            except FormatError as error:
                raise UsageError(f"-O {key}: {error}") from None
            if fmt.name not in chosen:
                raise UsageError(
                    f"-O {key}: {fmt.name} is not written by this command (--to {', '.join(names)})"
                )
            if name not in fmt.options:
                known = ", ".join(sorted(fmt.options)) or "none"
                raise UsageError(f"-O {key}: {fmt.name} has no option {name!r}; its options: {known}")
            options[fmt.name][name] = _value(text)
            continue
        takers = [n for n, fmt in chosen.items() if key in fmt.options]
        if not takers:
            known = "; ".join(f"{n}: {', '.join(sorted(fmt.options)) or 'none'}" for n, fmt in chosen.items())
            raise UsageError(f"-O {key}: no format written here takes the option {key!r}; options: {known}")
        for taker in takers:
            options[taker][key] = _value(text)
    return options


def options_help(width: int = 100) -> str:
    """Every writable format's options, for ``--help``."""
    lines = ["writer options (-O FORMAT.NAME=VALUE, or -O NAME=VALUE for every format that takes NAME):"]
    for fmt in formats.all_formats():
        if not fmt.options or needs_image(fmt):  # written by `embed`, not `convert`
            continue
        lines.append(f"  {fmt.name}:")
        for name, text in sorted(fmt.options.items()):
            lines += textwrap.wrap(
                f"{name}: {text}", width, initial_indent="    ", subsequent_indent="      "
            )
    return "\n".join(lines)
