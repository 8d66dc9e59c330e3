"""The wheel carries the schemas and the vocabulary: install it in a fresh venv and validate the gallery."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_GALLERY, REPO

pytestmark = pytest.mark.slow

CHECK = """
import json, sys, warphoto, warphoto._resources as r
assert "site-packages" in warphoto.__file__, warphoto.__file__
assert r.data_root().name == "_data", r.data_root()
warphoto.validate(json.load(open(sys.argv[1], encoding="utf-8")))
print("valid", r.data_root())
"""


def test_wheel_installs_and_validates_the_example(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("warphoto-*.whl")
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # the dependencies come, offline, from the environment running the tests: its site-packages is put
    # on the path as a plain directory, so its .pth files (the editable warphoto among them) are not run
    site_dir = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site_dir, "outer_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    run = subprocess.run(
        [str(python), "-I", "-c", CHECK, str(EXAMPLE_GALLERY)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("valid")
