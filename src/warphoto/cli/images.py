"""`warphoto embed` and `warphoto extract`: a record into a JPEG as XMP, and out of it again."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from warphoto import formats, io
from warphoto._atomic import atomic_write_bytes
from warphoto.cli._common import (
    EXIT_OK,
    STDIN_NAME,
    STDIO,
    UsageError,
    cli_message,
    display_name,
    input_format,
    load,
    named_format,
    needs_image,
    output_format,
)
from warphoto.cli.inputs import read_stdin
from warphoto.errors import WriteError


def _image_format() -> formats.Format:
    candidates = [f for f in formats.all_formats() if needs_image(f) and f.can_read]
    for fmt in candidates:
        if "jpeg" in fmt.name or "jpg" in fmt.name:
            return fmt
    if candidates:
        return candidates[0]
    raise UsageError("this installation of warphoto has no JPEG format")


def _write_out(target: str, raw: bytes, force: bool) -> None:
    """``raw`` to standard output (``-``) or to ``target``, which is not replaced without ``force``."""
    if target == STDIO:
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return
    try:
        atomic_write_bytes(target, raw, overwrite=force)
    except FileExistsError:
        raise UsageError(f"{target} exists; refusing to overwrite: pass --force to replace") from None


def embed(args: argparse.Namespace) -> int:
    """Write a record into a JPEG as XMP: in place, to -o FILE, or (-o -) to standard output."""
    fmt = _image_format()
    if fmt.dumps is None:
        raise UsageError(f"the {fmt.name} format cannot embed records")
    if args.record == STDIO:  # validated: embed only what is valid
        record_format = input_format(STDIO, args.input_format)
        record = io.loads(read_stdin(), record_format.name, source=STDIN_NAME)
    else:
        record = io.read(args.record, args.input_format)
    with open(args.image, "rb") as handle:
        image = handle.read()
    options: dict[str, Any] = {"image": image}
    if args.id:
        options["id"] = args.id
    try:
        result = fmt.dumps(record, **options)
    except WriteError as error:  # "pass id=..." is --id on the command line
        raise WriteError(cli_message(str(error), id_option="--id IRI")) from error
    if not isinstance(result, bytes):
        raise WriteError(f"the {fmt.name} format returned {type(result).__name__}, not the image bytes")
    if args.output is None or args.output == args.image:
        atomic_write_bytes(args.image, result, overwrite=True)
        target = args.image
    else:
        _write_out(args.output, result, args.force)
        target = args.output
    if target != STDIO:
        print(f"embedded {display_name(args.record)} into {target}")
    return EXIT_OK


def extract(args: argparse.Namespace) -> int:
    """Read the XMP of a JPEG and write it as a sidecar (or any format) to stdout or -o FILE."""
    fmt = _image_format()
    if args.to:
        out_format = named_format("--to", args.to)
    elif args.output and args.output != STDIO:
        out_format = output_format(args.output)
    else:
        out_format = formats.get("xmp")
    if not out_format.can_write or needs_image(out_format):
        raise UsageError(f"cannot extract to {out_format.name}; choose another format with --to")
    if args.output and args.output != STDIO and os.path.lexists(args.output) and not args.force:
        raise UsageError(f"{args.output} exists; refusing to overwrite: pass --force to replace")
    stdin = read_stdin() if args.image == STDIO else None
    document = load(args.image, fmt.name, stdin).document
    payload = io.dumps(document, out_format.name)
    raw = payload.encode("utf-8") if isinstance(payload, str) else payload
    target = args.output or STDIO
    _write_out(target, raw, args.force)
    if target != STDIO:
        print(f"extracted {display_name(args.image)} to {target} ({out_format.name})")
    return EXIT_OK
