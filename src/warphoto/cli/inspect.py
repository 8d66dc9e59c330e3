"""`warphoto inspect`: print the record a file holds, as JSON or as a short summary."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from typing import Any

from warphoto.cli._common import EXIT_OK, STDIO, display_name, err, load
from warphoto.cli.inputs import read_stdin


def _text(value: Any) -> str | None:
    """A readable string for a plain or language-mapped value (English first)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "@value" in value:
            return str(value["@value"])
        for key in ("en", "x-default", *value):
            if key in value:
                return _text(value[key])
    if isinstance(value, list) and value:
        return ", ".join(t for t in (_text(v) for v in value) if t)
    return None


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type", [])
    return [kind] if isinstance(kind, str) else [str(k) for k in kind]


def _short(text: str, width: int = 72) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def summarize(document: dict[str, Any]) -> str:
    """A few readable lines about a record or collection: what it holds, and each photograph."""
    nodes = document["@graph"] if isinstance(document.get("@graph"), list) else [document]
    by_id = {n["@id"]: n for n in nodes if isinstance(n, dict) and isinstance(n.get("@id"), str)}

    def name_of(ref: Any) -> str | None:
        if isinstance(ref, list):
            names = [n for n in (name_of(r) for r in ref) if n]
            return ", ".join(names) if names else None
        node = by_id.get(ref) if isinstance(ref, str) else ref
        if isinstance(node, dict):
            return _text(node.get("name")) or _text(node.get("headline")) or node.get("@id")
        return ref if isinstance(ref, str) else None

    counts = Counter(" / ".join(_types(n)) or "(untyped)" for n in nodes if isinstance(n, dict))
    lines = [
        ("collection of " if "@graph" in document else "one record: ")
        + ", ".join(f"{count} {kind}" for kind, count in counts.most_common())
    ]
    fields = (
        ("headline", "headline"),
        ("title", "title"),
        ("caption", "caption"), ("name", "name"), ("date", "dateCreated"), ("published", "datePublished"),
        ("creator", "creator"), ("author", "author"), ("credit", "creditText"), ("shows", "contentLocation"),
        ("event", "recordedAt"), ("position", "position"), ("warning", "contentWarning"),
    )  # fmt: skip
    for node in nodes:
        if not isinstance(node, dict):
            continue
        kinds = _types(node)
        if not {"Photograph", "ImageGallery", "ImageObject"}.intersection(kinds) or (
            kinds == ["ImageObject"] and "contentUrl" in node
        ):
            continue
        lines.append("")
        lines.append(f"{' / '.join(kinds)}  {node.get('@id', '(no @id)')}")
        for label, key in fields:
            if key not in node:
                continue
            value = node[key]
            shown = (
                name_of(value)
                if key in ("creator", "author", "contentLocation", "recordedAt")
                else _text(value)
                if not isinstance(value, (int, float))
                else str(value)
            )
            if key == "contentWarning":
                warnings = value if isinstance(value, list) else [value]
                shown = ", ".join(str(w).rsplit("/", 1)[-1] for w in warnings)
            if shown:
                lines.append(f"  {label + ':':<10} {_short(shown)}")
        people = node.get("personShown")
        if isinstance(people, list) and people:
            names = [name_of(p.get("person")) if isinstance(p, dict) else None for p in people]
            lines.append(f"  {'people:':<10} {_short(', '.join(n for n in names if n))}")
        files = node.get("associatedMedia")
        if isinstance(files, list) and files:
            lines.append(f"  {'files:':<10} {len(files)}")
    return "\n".join(lines)


def _ingested(path: str) -> dict[str, Any]:
    """The record ``warphoto ingest`` makes of an image; how it was read goes to stderr."""
    from warphoto.imagefile.record import ingest
    from warphoto.validation import Issue

    notes: list[Issue] = []
    record = ingest(path, issues=notes)
    for note in notes:
        err(f"note: {note}")
    return record


def _is_other_image(path: str, input_format: str | None) -> bool:
    """An image file (not a JPEG, whose XMP the jpeg format reads) named without --from."""
    from warphoto.cli.ingest import IMAGE_EXTENSIONS

    suffix = os.path.splitext(path)[1].lower()
    return input_format is None and suffix in IMAGE_EXTENSIONS and suffix not in (".jpg", ".jpeg", ".jpe")


def run(args: argparse.Namespace) -> int:
    """Print the record a file holds (``-``: standard input), as JSON or as a summary."""
    if args.file != STDIO and (
        getattr(args, "ingest", False) or _is_other_image(args.file, args.input_format)
    ):
        document, format_name = _ingested(args.file), "image, ingested"
    else:
        stdin = read_stdin() if args.file == STDIO else None
        loaded = load(args.file, args.input_format, stdin)
        document, format_name = loaded.document, loaded.format.name
    if args.summary:
        print(f"{display_name(args.file)} ({format_name})")
        print(summarize(document))
    else:
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return EXIT_OK
