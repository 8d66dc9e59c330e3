"""The one module that touches the ``bagit`` library (Library of Congress; no type stubs).

``bagit`` is the ``bagit`` extra (``pip install warphoto[bagit]``); without it these
functions raise a :class:`~warphoto.errors.WriteError` (making a bag) or
:class:`~warphoto.errors.ReadError` (checking one) that says how to install it.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from warphoto.errors import ReadError, WriteError

__all__ = ["BAGIT_TXT", "BagProblem", "check_bag", "is_bag", "make_bag"]

#: the bag declaration of BagIt 1.0 (RFC 8493, section 2.1.1)
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
_INSTALL = "the bagit library is not installed: pip install 'warphoto[bagit]'"


def _bagit(reading: str | None = None) -> Any:
    """The ``bagit`` module; without it a ReadError (checking ``reading``) or a WriteError."""
    try:
        return importlib.import_module("bagit")
    except ImportError:
        if reading is not None:
            raise ReadError(_INSTALL, source=reading) from None
        raise WriteError(_INSTALL) from None


def is_bag(path: str | os.PathLike[str]) -> bool:
    """True for a folder holding ``bagit.txt`` (a bag, valid or not)."""
    return os.path.isfile(os.path.join(path, "bagit.txt"))


def make_bag(folder: str, info: dict[str, str], algorithms: tuple[str, ...]) -> None:
    """Turn ``folder`` into a bag in place (its files move into ``data/``), then validate it."""
    bagit = _bagit()
    with _quiet(bagit):
        _make(bagit, folder, info, algorithms)


def _make(bagit: Any, folder: str, info: dict[str, str], algorithms: tuple[str, ...]) -> None:
    try:
        bagit.make_bag(folder, bag_info=info, checksums=list(algorithms))
        # bagit's make_bag declares BagIt 0.97; the bag is written to 1.0 (RFC 8493), whose
        # differences (none in what we write) do not concern it: declare 1.0, redo the tag manifests
        with open(os.path.join(folder, "bagit.txt"), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(BAGIT_TXT)
        bagit.Bag(folder).save()
        bag = bagit.Bag(folder)
        if bag.version_info != (1, 0):
            raise WriteError(f"bagit read the bag in {folder} as BagIt {bag.version}, not 1.0")
        bag.validate()
    except (bagit.BagError, OSError) as error:
        raise WriteError(f"bagit could not make a valid bag in {folder}: {error}") from error


@dataclass(frozen=True)
class BagProblem:
    """One payload file the bag's manifests disagree with: ``changed`` or ``missing`` (or ``extra``)."""

    path: str
    status: str
    message: str


def _status(bagit: Any, detail: Any) -> str:
    if isinstance(detail, bagit.ChecksumMismatch):
        return "changed"
    if isinstance(detail, bagit.FileMissing):
        return "missing"
    if isinstance(detail, bagit.UnexpectedFile):
        return "extra"
    return "invalid"


def check_bag(folder: str) -> tuple[BagProblem, ...]:
    """Validate a bag with ``bagit`` (every manifest, every algorithm); its problems per payload file.

    ``Bag.validate()`` stops at the first stage that fails (Payload-Oxum, then completeness, then
    checksums); when it fails, each stage is run again on its own so that every file is named.
    A folder that is no readable bag (no ``bagit.txt``, a bad ``bag-info.txt``) is a ReadError.
    """
    bagit = _bagit(folder)
    with _quiet(bagit):
        return _check(bagit, folder)


@contextlib.contextmanager
def _quiet(bagit: Any) -> Iterator[None]:
    """bagit logs each problem it raises; warphoto reports them itself."""
    logger = logging.getLogger(bagit.__name__)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _check(bagit: Any, folder: str) -> tuple[BagProblem, ...]:
    try:
        bag = bagit.Bag(folder)
        bag.validate()
    except bagit.BagValidationError as error:
        problems: dict[str, BagProblem] = {}
        if not getattr(error, "details", None):
            problems[""] = BagProblem("", "invalid", str(error))
        # bagit's own stages (private, in bagit 1.8 and 1.9): every problem of each
        stages = (bag._validate_completeness, lambda: bag._validate_entries(1))
        for stage in stages:
            try:
                stage()
            except bagit.BagValidationError as found:
                for detail in getattr(found, "details", None) or []:
                    path = str(getattr(detail, "path", "") or "")
                    problems.setdefault(path, BagProblem(path, _status(bagit, detail), str(detail)))
            except (bagit.BagError, OSError):
                continue
        return tuple(problems.values())
    except bagit.BagError as error:
        raise ReadError(f"not a readable bag: {error}", source=folder) from error
    return ()
