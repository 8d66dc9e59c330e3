"""README's API tour runs as written."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

from tests.conftest import REPO


def test_the_api_tour_runs(tmp_path: Path) -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text, re.S)
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(here)
    assert "schema:dateCreated" in printed.getvalue()
    assert (tmp_path / "photo-1.xmp").is_file()
