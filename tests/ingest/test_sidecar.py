"""Sidecars: photo.jpg.xmp and photo.xmp are both found; photo.jpg.xmp wins and the other is reported."""

from __future__ import annotations

from pathlib import Path

from warphoto.imagefile import find_sidecars


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


def test_a_sidecar_that_disagrees_with_the_embedded_xmp_is_reported(tmp_path: Path) -> None:
    from warphoto.imagefile import compare_sidecar, read_metadata

    from .seeds import XMP, ingest_seeds

    image = tmp_path / "photo.png"
    image.write_bytes(ingest_seeds()["seed.png"])  # embedded XMP: dc:title "Izium"
    sidecar = XMP.replace(b"Izium", b"Izyum").replace(
        b"</rdf:Description>",
        b"<dc:subject><rdf:Bag><rdf:li>war</rdf:li></rdf:Bag></dc:subject></rdf:Description>",
    )
    meta = read_metadata(image)
    differences = compare_sidecar(meta.xmp_packets, sidecar)
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert [(d.property, d.embedded, d.sidecar) for d in differences] == [
        (f"{dc}subject", None, ("war",)),
        (f"{dc}title", "Izium", "Izyum"),
    ]
    assert "the sidecar 'Izyum'" in str(differences[1])
    assert compare_sidecar(meta.xmp_packets, XMP) == ()


def test_a_sidecar_holding_the_same_xmp_has_no_differences() -> None:
    """Every reference image with XMP, against its own XMP merged into one packet."""
    from warphoto.imagefile import compare_sidecar, read_metadata

    from ..conftest import need
    from .test_exiftool_agreement import IMAGES, image_files

    need(IMAGES.is_dir(), f"the reference images in {IMAGES}")
    checked = 0
    for path in image_files():
        if path.suffix == ".jxl":
            continue
        meta = read_metadata(path)
        merged = meta.merged_xmp()
        if merged is not None:
            assert compare_sidecar(meta.xmp_packets, merged) == (), path.name
            checked += 1
    assert checked >= 10
