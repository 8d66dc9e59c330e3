"""`warphoto redact IMAGE -o COPY`: ExifTool finds no removed value; image data and original unchanged."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need, need_tool
from tests.test_cli import run
from warphoto.formats._jpeg import parse_jpeg

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
IMAGES = [
    "iptc-photometadata/reference-image/IPTC-PhotometadataRef-Std2023.2.jpg",
    "images/exiftool-test-images/GPS.jpg",
    "images/exiftool-test-images/Canon.jpg",
]
#: tags (ExifTool names, group-less) whose values the public profile removes
SECRET_TAG_PARTS = (
    "GPS",
    "Serial",
    "PersonInImage",
    "CreatorWork",
    "ImageRegion",
    "AdditionalModelInformation",
    "ModelReleaseID",
)
SECRET_TAGS = frozenset({"OwnerName", "CameraOwnerName", "FileName"})


def _tags(exiftool: str, path: Path) -> dict[str, object]:
    out = subprocess.run([exiftool, "-j", "-a", "-G1", "-n", str(path)], capture_output=True, check=True)
    tags: dict[str, object] = json.loads(out.stdout)[0]
    return tags


def _secret_values(tags: dict[str, object]) -> set[str]:
    values: set[str] = set()
    for key, value in tags.items():
        group, _, name = key.partition(":")
        if group in ("System", "File", "ExifTool") or not (
            name in SECRET_TAGS or any(p in name for p in SECRET_TAG_PARTS)
        ):
            continue
        for item in value if isinstance(value, list) else [value]:
            text = str(item)
            if len(text) >= 5 and text not in ("(Binary data)",):  # short values occur by chance
                values.add(text)
    return values


@pytest.mark.parametrize("name", IMAGES)
def test_the_copy_holds_no_removed_value(name: str, tmp_path: Path) -> None:
    exiftool = need_tool("exiftool")
    source = REFERENCE / name
    need(source.is_file(), f"the reference image {source}")
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    secrets = _secret_values(_tags(exiftool, source))
    assert secrets, "the image holds no value the test could look for"
    copy = tmp_path / "copy.jpg"
    done = run("redact", source, "-o", copy, "--profile", "public")
    assert done.returncode == 0, done.stderr
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # the original is only read
    seen = subprocess.run([exiftool, "-a", "-G1", "-n", str(copy)], capture_output=True, check=True).stdout
    assert sorted(s for s in secrets if s.encode() in seen) == []
    assert sorted(s for s in secrets if s.encode() in copy.read_bytes()) == []
    original, redacted = parse_jpeg(source.read_bytes()), parse_jpeg(copy.read_bytes())
    assert redacted.tail == original.tail  # the compressed image data, byte for byte


def test_the_copy_never_replaces_the_original(tmp_path: Path) -> None:
    source = REFERENCE / IMAGES[1]
    need(source.is_file(), f"the reference image {source}")
    image = tmp_path / "photo.jpg"
    image.write_bytes(source.read_bytes())
    done = run("redact", image, "-o", image, "--profile", "public", "--force")
    assert done.returncode == 2 and "cannot replace the original" in done.stderr
    assert image.read_bytes() == source.read_bytes()
    done = run("redact", image, "-o", tmp_path / "c.jpg", "--profile", "nosuch")
    assert done.returncode == 2 and "unknown profile" in done.stderr
    assert not (tmp_path / "c.jpg").exists()
