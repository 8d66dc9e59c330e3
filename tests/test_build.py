"""The compiled build (mypyc): which modules it compiles, and which build these tests run on."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from warphoto import _build

REPO = Path(__file__).resolve().parent.parent


def test_the_build_is_the_one_expected() -> None:
    # CI runs the suite twice: on the plain Python modules, then with WARPHOTO_EXPECT_COMPILED=1
    # on the compiled ones; a stray compiled module in src/ would shadow edits to its .py file
    if os.environ.get("WARPHOTO_EXPECT_COMPILED") == "1":
        assert _build.compiled_modules() == list(_build.COMPILABLE), _build.describe()
    else:
        assert _build.compiled_modules() == [], (
            f"{_build.describe()}: compiled modules shadow their .py files; remove them "
            "(find src -name '*.so' -delete) or set WARPHOTO_EXPECT_COMPILED=1 to test them"
        )


def test_the_build_hook_compiles_the_modules_named_here() -> None:
    hook = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"][
        "hooks"
    ]["mypyc"]
    assert hook["enable-by-default"] is False
    named = sorted(
        path.removeprefix("src/").removesuffix(".py").replace("/", ".") for path in hook["include"]
    )
    assert named == sorted(_build.COMPILABLE)


def test_version_says_which_build() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "warphoto", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().endswith(f"({_build.describe()})")
