"""warphoto.write / read: atomic files, modes kept, JPEG metadata written into the picture."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import warphoto
from tests.conftest import REFERENCE, need

RECORD = {
    "@context": "https://w3id.org/warphoto/context.jsonld",
    "@id": "https://example.org/photo/1",
    "@type": ["ImageObject", "Photograph"],
    "caption": {"en": "A destroyed bridge"},
    "dateCreated": {"@value": "2022-09", "@type": "xsd:gYearMonth"},
}


def test_write_then_read_by_file_name(tmp_path: Path) -> None:
    for name in ("photo.jsonld", "photo.ttl", "photo.nt", "photo.rdf", "photo.xmp", "photo.jsonl"):
        path = warphoto.write(RECORD, tmp_path / name)
        assert warphoto.canonical(warphoto.read(path)) == warphoto.canonical(RECORD), name


def test_new_files_get_the_usual_mode_and_replaced_files_keep_theirs(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = warphoto.write(RECORD, tmp_path / "photo.jsonld")
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        path.chmod(0o640)
        warphoto.write(RECORD, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
    finally:
        os.umask(umask)


def test_refuses_to_overwrite_when_asked(tmp_path: Path) -> None:
    path = warphoto.write(RECORD, tmp_path / "photo.jsonld")
    with pytest.raises(warphoto.WriteError, match="file exists"):
        warphoto.write(RECORD, path, overwrite=False)


def test_unknown_extension_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(warphoto.FormatError):
        warphoto.write(RECORD, tmp_path / "photo.docx")


def test_missing_file_is_a_read_error(tmp_path: Path) -> None:
    with pytest.raises(warphoto.ReadError, match="cannot read"):
        warphoto.read(tmp_path / "absent.jsonld")


def test_size_bound(tmp_path: Path) -> None:
    path = warphoto.write(RECORD, tmp_path / "photo.jsonld")
    with pytest.raises(warphoto.ReadError, match="more than the limit"):
        warphoto.read(path, max_bytes=10)


def test_write_jpeg_embeds_into_the_existing_picture(tmp_path: Path) -> None:
    image = REFERENCE / "iptc-photometadata" / "reference-image" / "IPTC-PhotometadataRef-Std2023.2.jpg"
    need(image.is_file(), "the IPTC reference image")
    target = tmp_path / "photo.jpg"
    target.write_bytes(image.read_bytes())
    warphoto.write(RECORD, target)
    assert warphoto.canonical(warphoto.read(target)) == warphoto.canonical(RECORD)
    with pytest.raises(warphoto.WriteError, match="needs the picture"):
        warphoto.write(RECORD, tmp_path / "absent.jpg")
