"""`warphoto bag`: a collection's image files and metadata delivered as a BagIt bag."""

from __future__ import annotations

import argparse
import os

from warphoto import formats
from warphoto.cli._common import EXIT_OK, UsageError, cli_message, err, plural
from warphoto.cli.options import writer_options
from warphoto.custody.delivery import DEFAULT_FORMATS, bag
from warphoto.errors import FormatError, WriteError

__all__ = ["run"]


def _formats(asked: list[str]) -> list[str]:
    """The default formats, then those asked for (names or aliases, repeated or comma-separated)."""
    names = list(DEFAULT_FORMATS)
    for item in asked:
        for name in filter(None, (part.strip() for part in item.split(","))):
            try:
                fmt = formats.get(name)
            except FormatError as error:
                raise UsageError(f"--format {name}: {error}") from None
            if fmt.dumps is None:
                raise UsageError(f"--format {name}: {fmt.name} cannot be written from a record")
            if fmt.name not in names:
                names.append(fmt.name)
    return names


def run(args: argparse.Namespace) -> int:
    if os.path.lexists(args.output) and not args.force:
        raise UsageError(f"{args.output} exists; refusing to overwrite: pass --force to replace it")
    names = _formats(args.format)
    options = writer_options(args.option, names)
    profile = None
    if args.profile is not None:
        from warphoto.safety import ProfileError, load_profile

        try:
            profile = load_profile(args.profile)
        except ProfileError as error:
            raise UsageError(f"--profile: {error}") from error
    try:
        done = bag(
            args.collections,
            args.output,
            metadata_formats=names,
            options=options,
            source_organization=args.source_organization,
            files=args.files,
            force=args.force,
            profile=profile,
        )
    except WriteError as error:  # a writer's message in command-line words (-O edm.provider=...)
        text = str(error).replace("pass force=True (--force)", "pass --force")
        for name in names:
            text = cli_message(text, name)
        raise WriteError(text) from error
    redacted = f" (safety profile {profile.name})" if profile is not None else ""
    images, metadata = plural(len(done.images), "image file"), plural(len(done.metadata), "metadata file")
    err(f"bagged {images}{redacted} and {metadata} ({', '.join(names)}) into {done.path}")
    return EXIT_OK
