"""docs/tutorial.md's Python scripts run as written and print what the tutorial says they print.

The tutorial's folder of photographs is two images from ``../shared/reference``: the IPTC
reference image and ExifTool's Canon test image.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import warphoto
from tests.conftest import REFERENCE, REPO, need

PHOTOS = {
    "iptc-reference.jpg": REFERENCE
    / "iptc-photometadata"
    / "reference-image"
    / "IPTC-PhotometadataRef-Std2023.2.jpg",
    "canon.jpg": REFERENCE / "images" / "exiftool-test-images" / "Canon.jpg",
}
SCRIPT = re.compile(r"```python\n(.*?)```\n\nIt prints:\n\n```text\n(.*?)```", re.S)


def test_the_tutorial_scripts_run_and_print_what_it_shows(tmp_path: Path) -> None:
    for name, source in PHOTOS.items():
        need(source.is_file(), f"the tutorial's photograph {source}")
        (tmp_path / "photos").mkdir(exist_ok=True)
        shutil.copyfile(source, tmp_path / "photos" / name)
    text = (REPO / "docs" / "tutorial.md").read_text(encoding="utf-8")
    scripts = SCRIPT.findall(text)
    assert len(scripts) == 2
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        for code, shown in scripts:
            with contextlib.redirect_stdout(io.StringIO()) as printed:
                exec(compile(code, "docs/tutorial.md", "exec"), {"__name__": "tutorial"})
            assert printed.getvalue() == shown
    finally:
        os.chdir(here)
    gallery = warphoto.read(tmp_path / "gallery.jsonld")  # validated as it is read
    steps = [step for node in gallery["@graph"] for step in node.get("provenance", [])]
    assert {"startedAtTime", "startDate"} <= {key for step in steps for key in step}
    for name in PHOTOS:  # the photographs were only read
        assert (tmp_path / "photos" / name).read_bytes() == PHOTOS[name].read_bytes()
