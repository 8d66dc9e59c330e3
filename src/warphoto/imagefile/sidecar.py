"""XMP sidecars beside an image: for ``photo.jpg``, ``photo.jpg.xmp`` and ``photo.xmp``.

When both exist, ``photo.jpg.xmp`` wins: it names this one image, while ``photo.xmp`` may be
shared by ``photo.jpg`` and ``photo.tif`` (darktable and ExifTool's ``%f.%e.xmp`` write the
first form, Adobe's tools the second). Both are returned, and :attr:`Sidecars.warning` says that
the other was not used. The extension's case is matched as found on disk (``photo.XMP``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Sidecars", "find_sidecars"]


@dataclass(frozen=True)
class Sidecars:
    """The sidecar to read (``chosen``), every candidate found, and a warning when there were two."""

    chosen: Path | None
    found: tuple[Path, ...]
    warning: str | None = None


def _existing(folder: Path, stem: str, names: set[str]) -> Path | None:
    for suffix in (".xmp", ".XMP", ".Xmp"):
        if stem + suffix in names:
            return folder / (stem + suffix)
    return None


def find_sidecars(image: str | os.PathLike[str]) -> Sidecars:
    """The XMP sidecars of ``image`` (see the module's notes for which one wins)."""
    path = Path(image)
    folder = path.parent
    try:
        names = set(os.listdir(folder))
    except OSError:
        return Sidecars(None, ())
    full = _existing(folder, path.name, names)
    short = _existing(folder, path.stem, names) if path.suffix else None
    found = tuple(p for p in (full, short) if p is not None)
    if full is not None and short is not None:
        warning = (
            f"{path.name}: both {full.name} and {short.name} exist; {full.name} is read, {short.name} is not"
        )
        return Sidecars(full, found, warning)
    return Sidecars(found[0] if found else None, found)
