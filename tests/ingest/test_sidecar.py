"""Sidecars: photo.jpg.xmp and photo.xmp are both found; photo.jpg.xmp wins and the other is reported."""

from __future__ import annotations

from pathlib import Path

from warphoto.ingest import find_sidecars


def test_no_sidecar(tmp_path: Path) -> None:
    image = tmp_path / "photo.jpg"
    image.write_bytes(b"")
    assert find_sidecars(image).chosen is None and find_sidecars(image).found == ()


def test_each_form_alone(tmp_path: Path) -> None:
    image = tmp_path / "photo.jpg"
    (tmp_path / "photo.xmp").write_text("x")
    assert find_sidecars(image).chosen == tmp_path / "photo.xmp"
    (tmp_path / "photo.xmp").unlink()
    (tmp_path / "photo.jpg.xmp").write_text("x")
    sidecars = find_sidecars(image)
    assert sidecars.chosen == tmp_path / "photo.jpg.xmp" and sidecars.warning is None


def test_both_forms_the_full_name_wins_and_it_is_said(tmp_path: Path) -> None:
    image = tmp_path / "photo.jpg"
    (tmp_path / "photo.XMP").write_text("x")
    (tmp_path / "photo.jpg.xmp").write_text("x")
    sidecars = find_sidecars(image)
    assert sidecars.chosen == tmp_path / "photo.jpg.xmp"
    assert sidecars.found == (tmp_path / "photo.jpg.xmp", tmp_path / "photo.XMP")
    assert sidecars.warning is not None and "photo.XMP is not" in sidecars.warning
