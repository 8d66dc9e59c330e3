"""Seed inputs for the reader fuzzers: valid files written by warphoto from the example gallery.

Shared by ``tests/test_fuzz_readers.py`` (Hypothesis mutation tests) and
``tests/fuzz/fuzz_readers.py`` (the atheris harness, which writes them as its seed corpus).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from tests.jpeg_bytes import tiny_jpeg

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_GALLERY = REPO / "docs" / "examples" / "kharkiv-2022.jsonld"

#: the readers fuzzed, by the format name ``warphoto.loads`` takes
TARGETS = (
    "xmp",
    "jpeg",
    "jsonld",
    "rdfxml",
    "turtle",
    "ntriples",
    "newsml",
    "edm",
    "jsonl",
    "jsonld-expanded",
    "schemaorg",
)

#: options the EDM writer needs (the reader needs none)
EDM_OPTIONS = {
    "provider": "Example Aggregator",
    "data_provider": "Example Photo Archive",
    "rights": "http://rightsstatements.org/vocab/InC/1.0/",
}


def gallery() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE_GALLERY.read_text(encoding="utf-8"))
    return data


def _as_bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def seeds(target: str, *, limit: int | None = None) -> dict[str, bytes]:
    """Valid inputs for ``target``, by file name: one per photograph (the first ``limit``), the
    whole gallery where the format holds a collection, a JPEG with extended XMP, a ZIP of EDM."""
    import warphoto
    from warphoto.formats import jpeg

    whole = gallery()
    records = warphoto.standalone_records(whole)[:limit]
    options: dict[str, Any] = EDM_OPTIONS if target == "edm" else {}
    out: dict[str, bytes] = {}
    for index, record in enumerate(records):
        name = f"{target}-{index:02d}"
        if target == "jpeg":
            out[name] = jpeg.embed(tiny_jpeg(), record)
        else:
            out[name] = _as_bytes(warphoto.dumps(record, target, **options))
    if target == "jpeg":  # a lossless copy too large for one APP1 segment: extended XMP
        media = [
            {"@type": "ImageObject", "contentUrl": f"https://example.org/{i:03d}.jpg", "sha256": f"{i:064x}"}
            for i in range(400)
        ]
        out["jpeg-extended"] = jpeg.embed(tiny_jpeg(), {**records[0], "associatedMedia": media})
    if target not in ("xmp", "jpeg"):  # formats that hold a collection
        out[f"{target}-gallery"] = _as_bytes(warphoto.dumps(whole, target, **options))
    if target == "edm":  # a ZIP of EDM documents, which the EDM reader also takes
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in list(out.items())[:2]:
                archive.writestr(f"{name}.xml", data)
        out["edm-archive"] = buffer.getvalue()
    return out


def write_corpus(directory: Path, target: str) -> list[Path]:
    """Write the seeds of ``target`` into ``directory`` (created if needed); return the files."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in seeds(target).items():
        path = directory / name
        path.write_bytes(data)
        written.append(path)
    return written
