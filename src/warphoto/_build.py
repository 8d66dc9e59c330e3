"""Which of warphoto's modules run compiled (mypyc) in this installation."""

from __future__ import annotations

import importlib
from importlib.machinery import EXTENSION_SUFFIXES

#: the modules the compiled build compiles (pyproject.toml, the mypyc build hook)
COMPILABLE = (
    "warphoto.formats._triples",
    "warphoto.formats._rdf_text",
    "warphoto.formats._rdf_blocks",
    "warphoto.formats.xmp",
    "warphoto.formats._xmp_table",
    "warphoto.formats._xmp_kinds",
    "warphoto.formats._xmp_writer",
    "warphoto.formats._xmp_parser",
)


def compiled_modules() -> list[str]:
    """The modules of :data:`COMPILABLE` that were imported from an extension module."""
    compiled = []
    for name in COMPILABLE:
        path = getattr(importlib.import_module(name), "__file__", None) or ""
        if path.endswith(tuple(EXTENSION_SUFFIXES)):
            compiled.append(name)
    return compiled


def describe() -> str:
    """One line for ``--version`` and benchmark tables: pure Python, or what is compiled."""
    compiled = compiled_modules()
    if not compiled:
        return "pure Python"
    return "compiled with mypyc: " + ", ".join(name.removeprefix("warphoto.") for name in compiled)
