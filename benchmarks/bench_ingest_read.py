"""Reading image metadata: warphoto.imagefile beside ExifTool, and the EXIF libraries measured for it.

    python benchmarks/bench_ingest_read.py              # ingest vs exiftool over the reference images
    python benchmarks/bench_ingest_read.py --libraries  # also Pillow, exifread, piexif (if installed)
    python benchmarks/bench_ingest_read.py --repeat 20  # each image read 20 times (a bigger folder)
    python benchmarks/bench_ingest_read.py --mwg        # also metadata + MWG + SHA-256 vs exiftool -use MWG
    python benchmarks/bench_ingest_read.py --large 500  # also a 500 MB file: fixity vs sha256sum

The folder is ``../shared/reference/images/exiftool-test-images`` (49 real images; set
WARPHOTO_SHARED to move it). ExifTool runs once over the folder (``exiftool -j -n -r DIR``, one
process, as a user would run it); ingest reads every file in this process, one core. The ratio
is ExifTool's time over ingest's. ``--libraries`` reads the EXIF of the same files with each
library (whatever it needs: ``Image.open().getexif()`` with its Exif and GPS IFDs,
``exifread.process_file(details=False)``, ``piexif.load``) and feeds each the hostile images of
tests/ingest/hostile_images.py, counting the errors that are not the library's own (a bare
exception a caller could not tell from a bug) and the hangs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("WARPHOTO_SHARED", REPO.parent / "shared"))
FOLDER = SHARED / "reference" / "images" / "exiftool-test-images"


def _files() -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in sorted(FOLDER.iterdir()) if p.is_file()]


def _time(function: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def bench_exiftool(repeat: int) -> None:
    from warphoto.errors import ReadError
    from warphoto.imagefile import read_metadata

    paths = [p for p, _ in _files()] * repeat

    def ingest() -> None:
        for path in paths:
            with contextlib.suppress(ReadError):  # JPEG XL
                read_metadata(path)

    ours = _time(ingest)
    theirs = _time(
        lambda: subprocess.run(
            ["exiftool", "-j", "-n", "-q", *map(str, paths)], capture_output=True, check=False
        ),
        1,
    )
    print(
        f"| reading {len(paths)} images | ingest {ours * 1000:.1f} ms ({ours / len(paths) * 1e6:.0f} µs/image) "
        f"| exiftool -j -n {theirs * 1000:.0f} ms | {theirs / ours:.0f}x |"
    )


def bench_mwg(repeat: int) -> None:
    """Metadata, MWG reading and fixity of every image, beside ``exiftool -use MWG`` for the same fields."""
    from warphoto.errors import ReadError
    from warphoto.imagefile import file_fixity, gps_position, mwg_values, read_metadata

    paths = [p for p, _ in _files()] * repeat

    def ingest() -> None:
        for path in paths:
            with contextlib.suppress(ReadError):  # JPEG XL
                meta = read_metadata(path)
                mwg_values(meta)
                gps_position(meta.exif)
            file_fixity(path, dimensions=False)

    fields = ["-MWG:all", "-Make", "-Model", "-GPSLatitude", "-GPSLongitude", "-ImageSize", "-FileSize"]
    ours = _time(ingest)
    theirs = _time(
        lambda: subprocess.run(
            ["exiftool", "-use", "MWG", "-j", "-n", "-q", *fields, *map(str, paths)],
            capture_output=True,
            check=False,
        ),
        1,
    )
    print(
        f"| MWG fields, GPS, camera, size and SHA-256 of {len(paths)} images | ingest {ours * 1000:.1f} ms "
        f"| exiftool -use MWG (same fields, no hash) {theirs * 1000:.0f} ms | {theirs / ours:.0f}x |"
    )


def bench_large(megabytes: int) -> None:
    """A large TIFF (metadata at the front, zeros after): ingest's fixity beside ``sha256sum``."""
    import tempfile

    from tests.ingest.images import tiny_tiff

    from warphoto.imagefile import file_fixity, read_metadata

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.tif"
        with open(path, "wb") as handle:
            handle.write(tiny_tiff(">"))
            handle.write(b"\x00" * (megabytes * 1024 * 1024))
        ours = _time(lambda: (file_fixity(path), read_metadata(path)))
        theirs = _time(lambda: subprocess.run(["sha256sum", str(path)], capture_output=True, check=True))
    print(
        f"| a {megabytes} MB TIFF | ingest (fixity + metadata) {ours * 1000:.0f} ms "
        f"| sha256sum {theirs * 1000:.0f} ms | {ours / theirs:.2f}x the time of sha256sum |"
    )


def _pillow(data: bytes) -> object:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return dict(exif), dict(exif.get_ifd(0x8769)), dict(exif.get_ifd(0x8825))


def _exifread(data: bytes) -> object:
    import logging

    import exifread

    logging.getLogger("exifread").setLevel(logging.CRITICAL)  # it logs every file without EXIF
    return exifread.process_file(io.BytesIO(data), details=False)


def _piexif(data: bytes) -> object:
    import piexif

    return piexif.load(data)


def _ingest(data: bytes) -> object:
    from warphoto.imagefile import read_metadata_bytes

    return read_metadata_bytes(data)


def bench_libraries() -> None:
    from tests.ingest.hostile_images import hostile_images

    from warphoto.errors import ReadError

    files = _files()
    hostile = [(c.name, c.data) for c in hostile_images()]
    libraries: dict[str, tuple[Callable[[bytes], object], tuple[type[BaseException], ...]]] = {
        "warphoto.imagefile": (_ingest, (ReadError,)),
    }
    for name, function, errors in (
        ("Pillow", _pillow, "PIL.UnidentifiedImageError"),
        ("exifread", _exifread, ""),
        ("piexif", _piexif, "piexif.InvalidImageDataError"),
    ):
        try:
            __import__(name if name != "Pillow" else "PIL")
        except ImportError:
            print(f"| {name} | not installed |")
            continue
        own: tuple[type[BaseException], ...] = ()
        if errors:
            module, _, attr = errors.rpartition(".")
            own = (getattr(__import__(module, fromlist=[attr]), attr),)
        libraries[name] = (function, own)
    print(
        "| library | 49 images, best of 3 | images it reads | hostile: own error | hostile: other exception | hostile: no error |"
    )
    print("|---|---|---|---|---|---|")
    for name, (function, own) in libraries.items():
        readable = 0

        def run_all(function: Callable[[bytes], object] = function) -> None:
            for _, data in files:
                with contextlib.suppress(Exception):
                    function(data)

        for _, data in files:
            try:
                function(data)
                readable += 1
            except Exception:
                pass
        seconds = _time(run_all)
        own_errors = other = silent = 0
        for _, data in hostile:
            try:
                function(data)
                silent += 1
            except own:
                own_errors += 1
            except Exception:
                other += 1
        print(
            f"| {name} | {seconds * 1000:.1f} ms | {readable}/{len(files)} | {own_errors} | {other} | {silent} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--libraries", action="store_true", help="also measure Pillow, exifread and piexif")
    parser.add_argument("--repeat", type=int, default=1, help="read each image this many times")
    parser.add_argument("--mwg", action="store_true", help="also the MWG reading and fixity row")
    parser.add_argument(
        "--large", type=int, metavar="MB", help="also a row for one large file of MB megabytes"
    )
    options = parser.parse_args()
    if not FOLDER.is_dir():
        sys.exit(f"no reference images in {FOLDER}")
    bench_exiftool(options.repeat)
    if options.mwg:
        bench_mwg(options.repeat)
    if options.large:
        bench_large(options.large)
    if options.libraries:
        bench_libraries()


if __name__ == "__main__":
    main()
