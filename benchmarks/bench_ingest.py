"""Ingest speed: a folder of real images to records, beside ExifTool; a large file beside sha256sum.

    python benchmarks/bench_ingest.py                 # the shared images copied 20 times
    python benchmarks/bench_ingest.py --copies 50     # a bigger folder
    python benchmarks/bench_ingest.py --large 256     # also a 256 MB JPEG: ingest vs sha256sum

Folder row: the readable images of ``../shared/reference/images/exiftool-test-images`` (set
WARPHOTO_SHARED to move it) copied COPIES times into a temporary folder. ``warphoto.ingest`` runs
over every file in this process, one core: metadata (EXIF, IIM, XMP), MWG reconciliation, the
record, SHA-256. ExifTool runs once over the folder as a user would, ``exiftool -use MWG -j -n
-r`` asking for the same fields (MWG Description, Creator, Copyright, Keywords, City, State,
Country, DateTimeOriginal; GPS; Make, Model, lens, exposure; image size). The ratio is CPU time
(user + system: ExifTool's from the children's rusage), so that other work on a shared machine
does not count; wall times are printed too.

Large-file row: a JPEG of LARGE MB (a small image and its metadata, then filler after EOI, which
readers ignore) read by ``warphoto.ingest`` and hashed by ``sha256sum``: hashing should be the
bound.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
SHARED = Path(os.environ.get("WARPHOTO_SHARED", REPO.parent / "shared"))
FOLDER = SHARED / "reference" / "images" / "exiftool-test-images"
SKIP = {".jxl"}
FIELDS = (
    "-MWG:Description", "-MWG:Creator", "-MWG:Copyright", "-MWG:Keywords", "-MWG:City", "-MWG:State",
    "-MWG:Country", "-MWG:DateTimeOriginal", "-GPSLatitude", "-GPSLongitude", "-GPSAltitude", "-Make",
    "-Model", "-LensModel", "-SerialNumber", "-ExposureTime", "-FNumber", "-ISO", "-FocalLength",
    "-Orientation", "-ImageWidth", "-ImageHeight",
)  # fmt: skip


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_folder(target: Path, copies: int) -> list[Path]:
    images = [p for p in sorted(FOLDER.iterdir()) if p.is_file() and p.suffix.lower() not in SKIP]
    paths = []
    for copy in range(copies):
        folder = target / f"copy{copy:03d}"
        folder.mkdir()
        for image in images:
            path = folder / image.name
            shutil.copyfile(image, path)
            paths.append(path)
    return paths


def run_ingest(paths: list[Path]) -> tuple[float, float]:
    import warphoto

    warphoto.ingest(paths[0])  # imports and tables loaded before the clock starts
    cpu, wall = _cpu_self(), time.perf_counter()
    for path in paths:
        warphoto.ingest(path)
    return _cpu_self() - cpu, time.perf_counter() - wall


def run_exiftool(folder: Path) -> tuple[float, float]:
    cpu, wall = _cpu_children(), time.perf_counter()
    subprocess.run(
        ["exiftool", "-use", "MWG", "-j", "-n", "-r", *FIELDS, str(folder)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return _cpu_children() - cpu, time.perf_counter() - wall


def folder_row(copies: int) -> None:
    with tempfile.TemporaryDirectory(prefix="warphoto-bench-") as tmp:
        paths = build_folder(Path(tmp), copies)
        ours_cpu, ours_wall = run_ingest(paths)
        theirs_cpu, theirs_wall = run_exiftool(Path(tmp))
    n = len(paths)
    print(f"folder: {n} images ({copies} copies of {n // copies})")
    print(
        f"  warphoto.ingest          cpu {ours_cpu:7.2f} s  wall {ours_wall:7.2f} s  {n / ours_cpu:8.0f} images/cpu-s"
    )
    print(
        f"  exiftool -use MWG -j -r  cpu {theirs_cpu:7.2f} s  wall {theirs_wall:7.2f} s  {n / theirs_cpu:8.0f} images/cpu-s"
    )
    print(f"  ratio (exiftool cpu / ingest cpu): {theirs_cpu / ours_cpu:.1f}x")


def large_row(megabytes: int) -> None:
    sys.path.insert(0, str(REPO))
    from tests.jpeg_bytes import tiny_jpeg  # the repository's smallest JPEG

    import warphoto

    with tempfile.TemporaryDirectory(prefix="warphoto-bench-") as tmp:
        path = Path(tmp) / "large.jpg"
        block = os.urandom(1 << 20)
        with open(path, "wb") as handle:
            handle.write(tiny_jpeg())
            for _ in range(megabytes):
                handle.write(block)
        size = path.stat().st_size
        warphoto.ingest(path)  # warm the page cache for both
        cpu_c = _cpu_children()
        wall = time.perf_counter()
        subprocess.run(["sha256sum", str(path)], check=True, stdout=subprocess.DEVNULL)
        sum_wall, sum_cpu = time.perf_counter() - wall, _cpu_children() - cpu_c
        cpu, wall = _cpu_self(), time.perf_counter()
        warphoto.ingest(path)
        ours_cpu, ours_wall = _cpu_self() - cpu, time.perf_counter() - wall
    mb = size / 1e6
    print(f"large file: {mb:.0f} MB")
    print(f"  warphoto.ingest  cpu {ours_cpu:6.2f} s  wall {ours_wall:6.2f} s  {mb / ours_wall:7.0f} MB/s")
    print(f"  sha256sum        cpu {sum_cpu:6.2f} s  wall {sum_wall:6.2f} s  {mb / sum_wall:7.0f} MB/s")
    print(f"  ingest / sha256sum (wall): {ours_wall / sum_wall:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--large", type=int, default=0, metavar="MB")
    args = parser.parse_args()
    if shutil.which("exiftool") is None:
        sys.exit("exiftool is not installed")
    folder_row(args.copies)
    if args.large:
        large_row(args.large)


if __name__ == "__main__":
    main()
