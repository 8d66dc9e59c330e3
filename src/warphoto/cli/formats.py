"""`warphoto formats`: every format, its extensions, read/write, and what it cannot carry."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap

from warphoto import formats
from warphoto.cli._common import EXIT_OK


def run(args: argparse.Namespace) -> int:
    """List the formats: name, file extensions, read/write, and what each cannot carry."""
    rows = formats.all_formats()
    if args.format == "json":
        listing = [
            {
                "name": f.name,
                "title": f.title,
                "extensions": list(f.extensions),
                "media_type": f.media_type,
                "read": f.can_read,
                "write": f.can_write,
                "binary": f.binary,
                "aliases": list(f.aliases),
                "cannot_carry": list(f.cannot_carry),
                "options": dict(f.options),
                "read_options": dict(f.read_options),
            }
            for f in rows
        ]
        json.dump(listing, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    table = [("FORMAT", "EXTENSIONS", "READ", "WRITE", "CANNOT CARRY")]
    for f in rows:
        table.append(
            (
                f.name,
                " ".join(f.extensions),
                "yes" if f.can_read else "no",
                "yes" if f.can_write else "no",
                ", ".join(f.cannot_carry) if f.cannot_carry else "-",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    indent = sum(widths) + 2 * len(widths)
    room = max(40, shutil.get_terminal_size((120, 24)).columns - indent)
    for row in table:
        head = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  "
        lines = textwrap.wrap(row[4], room, break_on_hyphens=False) or [""]
        print(head + lines[0])
        for more in lines[1:]:
            print(" " * indent + more)
    return EXIT_OK
