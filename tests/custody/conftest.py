"""Fixtures of the custody tests: real images (copied into tmp_path), ingested, in one collection."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import warphoto
from tests.conftest import REFERENCE, need

IMAGES = REFERENCE / "images" / "exiftool-test-images"
NAMES = ("Nikon.jpg", "XMP.jpg", "MWG.jpg")


def collection_of(records: list[dict[str, Any]]) -> dict[str, Any]:
    context = records[0]["@context"]
    return {"@context": context, "@graph": [{k: v for k, v in r.items() if k != "@context"} for r in records]}


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    """A folder with three images and ``photos.jsonld``: their ingested records, as a collection."""
    need(IMAGES.is_dir(), f"the reference images in {IMAGES}")
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in NAMES:
        shutil.copyfile(IMAGES / name, folder / name)
    records = [warphoto.ingest(folder / name) for name in NAMES]
    (folder / "photos.jsonld").write_text(json.dumps(collection_of(records)), encoding="utf-8")
    return folder / "photos.jsonld"


def flip_byte(path: Path, offset: int = 200) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
