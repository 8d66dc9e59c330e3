"""The C2PA check ``warphoto verify`` runs on a file whose SHA-256 matches its record: does the
file's manifest store still validate (its hard binding, the hash of the asset's bytes, among
the rest)? Needs c2pa-python (``warphoto[c2pa]``); without it, or for a file without a
manifest, there is nothing to say."""

from __future__ import annotations

from pathlib import Path

from warphoto.errors import ReadError
from warphoto.imagefile.c2pa import outcome
from warphoto.imagefile.c2pa_reader import c2pa_available, read_c2pa

__all__ = ["c2pa_binding_problem"]

#: the validation codes of a C2PA hard binding that no longer matches the asset's bytes
HARD_BINDING_CODES = frozenset(
    {"assertion.dataHash.mismatch", "assertion.bmffHash.mismatch", "assertion.boxesHash.mismatch"}
)


def c2pa_binding_problem(path: Path) -> str | None:
    """What is wrong with the C2PA manifest store of ``path``: its hard binding or anything else
    that makes it invalid (tampered); None when it validates, or when there is none to check."""
    if not c2pa_available():
        return None
    try:
        reading = read_c2pa(path)
    except ReadError as error:
        return f"C2PA: {error.message}"
    if reading.store is None:
        return None
    state, codes = outcome(reading.store)
    if not state.startswith("tampered"):
        return None
    binding = sorted(HARD_BINDING_CODES.intersection(codes))
    what = "the hard binding no longer matches the file's bytes" if binding else "the manifest is " + state
    return f"C2PA: {what} ({', '.join(codes)})"
