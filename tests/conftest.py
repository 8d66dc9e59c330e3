"""Shared test fixtures: the example gallery, ../shared reference data, external tools.

Tests that need ``../shared`` or a system tool skip when it is absent, except when
``WARPHOTO_REQUIRE_EXTERNAL=1`` (set by .ci/run): then a missing one is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from tests.exiftool import ExifTool

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_GALLERY = REPO / "docs" / "examples" / "kharkiv-2022.jsonld"
SHARED = Path(os.environ.get("WARPHOTO_SHARED", REPO.parent / "shared"))
REFERENCE = SHARED / "reference"

#: the atheris harness is a program, not a test module (see its docstring)
collect_ignore = ["fuzz/fuzz_readers.py"]

settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def require_external() -> bool:
    return os.environ.get("WARPHOTO_REQUIRE_EXTERNAL") == "1"


def need(condition: bool, what: str) -> None:
    """Skip (or, in CI, fail) when an external prerequisite is missing."""
    if condition:
        return
    if require_external():
        pytest.fail(f"{what} is required in CI (WARPHOTO_REQUIRE_EXTERNAL=1) but missing")
    pytest.skip(f"{what} not available")


@pytest.fixture
def reference_dir() -> Path:
    need(REFERENCE.is_dir(), f"reference data in {REFERENCE}")
    return REFERENCE


def need_module(name: str) -> Any:
    """Import a module a test needs, skipping (failing in CI) when it is not installed."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        need(False, f"the Python module {name!r}")


def need_tool(name: str) -> str:
    path = shutil.which(name)
    need(path is not None, f"the program {name!r}")
    assert path is not None
    return path


@pytest.fixture(scope="module")
def exiftool() -> Iterator[ExifTool]:
    """One ``exiftool -stay_open`` process per test module (skips, or fails in CI, without ExifTool)."""
    from tests.exiftool import ExifTool

    tool = ExifTool(need_tool("exiftool"))
    yield tool
    tool.close()


@pytest.fixture(scope="session")
def example_gallery() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE_GALLERY.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def example_photographs(example_gallery: dict[str, Any]) -> list[dict[str, Any]]:
    """Each photograph of the example gallery as a standalone record (shared entities embedded)."""
    from warphoto.model import standalone_records

    return standalone_records(example_gallery)


@pytest.fixture
def busy_switching() -> Iterator[None]:
    """Make the interpreter switch threads every few microseconds (instead of every 5 ms)."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def pytest_report_header() -> str:
    from warphoto import _build

    return f"warphoto build: {_build.describe()}"
