"""Evidence: fixity verified (:func:`verify`), collections delivered as BagIt bags (:func:`bag`),
and custody kept append-only (:func:`append_step`). See ``docs/evidence.md``."""

from warphoto.custody.delivery import Bagged, bag
from warphoto.custody.fixity import HARD_BINDING_CHECKS, FileCheck, InputCheck, verify
from warphoto.custody.steps import append_step, extend_provenance, make_step

__all__ = [
    "HARD_BINDING_CHECKS",
    "Bagged",
    "FileCheck",
    "InputCheck",
    "append_step",
    "bag",
    "extend_provenance",
    "make_step",
    "verify",
]
