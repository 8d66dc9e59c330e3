"""`warphoto redact IMAGE -o COPY --profile NAME`: a redacted copy of an image; the original only read."""

from __future__ import annotations

import argparse

from warphoto.cli._common import EXIT_OK, UsageError
from warphoto.safety import ProfileError, load_profile
from warphoto.safety.image import redact_image_file


def run(args: argparse.Namespace) -> int:
    """Write the redacted copy and say what it holds."""
    try:
        profile = load_profile(args.profile)
    except ProfileError as error:
        raise UsageError(f"--profile: {error}") from error
    record = redact_image_file(args.image, args.output, profile, force=args.force)
    step = record.get("provenance", [{}])[-1].get("description", {}).get("en", "")
    print(f"wrote {args.output}: {step}")
    return EXIT_OK
