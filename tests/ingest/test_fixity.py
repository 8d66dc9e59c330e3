"""Fixity: SHA-256 streamed in chunks, size, media type, pixel size, file name."""

from __future__ import annotations

import hashlib
import tracemalloc
from pathlib import Path

import pytest

from warphoto.errors import ReadError
from warphoto.imagefile import file_fixity
from warphoto.imagefile import fixity as fixity_module

from .seeds import ingest_seeds


def test_fixity_of_an_image(tmp_path: Path) -> None:
    data = ingest_seeds()["seed.webp"]
    path = tmp_path / "photo.webp"
    path.write_bytes(data)
    result = file_fixity(path)
    assert result.sha256 == hashlib.sha256(data).hexdigest() and result.size == len(data)
    assert (result.name, result.media_type, result.width, result.height) == (
        "photo.webp",
        "image/webp",
        100,
        50,
    )


def test_an_unreadable_image_still_gets_its_hash(tmp_path: Path) -> None:
    path = tmp_path / "broken.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe1\xff\xff")
    result = file_fixity(path)
    assert result.media_type == "image/jpeg" and result.width is None
    assert result.sha256 == hashlib.sha256(b"\xff\xd8\xff\xe1\xff\xff").hexdigest()
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert file_fixity(text).media_type is None


def test_hashing_is_streamed_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "large.bin"
    with open(path, "wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: 64 MB of zeros
    tracemalloc.start()
    try:
        result = file_fixity(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.size == 64 * 1024 * 1024
    assert result.sha256 == "3b6a07d0d404fab4e23b6d34bc6696a6a312dd92821332385e5af7c01c421351"
    assert peak < 4 * fixity_module.CHUNK_BYTES, f"peak {peak} bytes"


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="cannot read"):
        file_fixity(tmp_path / "absent.jpg")
