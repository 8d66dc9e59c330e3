"""Coverage-guided fuzzing of ``warphoto.imagefile`` (the image metadata readers) with atheris.

Not a test module (pytest does not collect it). Each input goes to
``warphoto.imagefile.read_metadata_bytes``; it may read, or raise a ``ReadError`` that names a byte
offset; anything else (a bare exception, a ReadError without an offset) is a crash. Seeds: one
valid image of each container (tests/ingest/seeds.py)::

    python tests/fuzz/fuzz_ingest.py --make-corpus /tmp/fuzz/ingest
    python tests/fuzz/fuzz_ingest.py /tmp/fuzz/ingest -max_total_time=300 -timeout=10 -rss_limit_mb=2048

Every crash found belongs in tests/test_fuzz_readers.py with its fix.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # for tests.ingest.seeds, when run as a script

import atheris  # noqa: E402

from tests.fuzz.harness import fuzz  # noqa: E402
from tests.ingest.seeds import ingest_seeds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--make-corpus", metavar="DIR", type=Path, help="write the seeds into DIR and exit")
    options, libfuzzer_args = parser.parse_known_args()
    if options.make_corpus is not None:
        options.make_corpus.mkdir(parents=True, exist_ok=True)
        for name, data in ingest_seeds().items():
            (options.make_corpus / name).write_bytes(data)
        return
    with atheris.instrument_imports(include=["warphoto.imagefile", "warphoto.formats._jpeg"]):
        from warphoto.errors import ReadError
        from warphoto.imagefile import read_metadata_bytes

    def test_one_input(data: bytes) -> None:
        try:
            read_metadata_bytes(data, source="<fuzz>")
        except ReadError as error:
            if error.offset is None:
                raise AssertionError(f"a ReadError without a byte offset: {error}") from error

    fuzz(sys.argv[0], libfuzzer_args, test_one_input)


if __name__ == "__main__":
    main()
