"""Coverage-guided fuzzing of warphoto's readers with atheris (libFuzzer for Python).

Not a test module: pytest never collects it (tests/conftest.py ignores this folder's harness).
Each input is handed to ``warphoto.loads(data, TARGET)``; a reader may succeed or raise a
``WarphotoError``, and anything else (a bare KeyError, lxml or rdflib exception, RecursionError)
is a crash: atheris prints the traceback and writes the input to ``crash-<sha1>``.

Build a seed corpus from the example gallery (valid files written by warphoto itself), then fuzz::

    python tests/fuzz/fuzz_readers.py --target xmp --make-corpus /tmp/fuzz/xmp
    python tests/fuzz/fuzz_readers.py --target xmp /tmp/fuzz/xmp \\
        -max_total_time=300 -timeout=10 -rss_limit_mb=2048 -max_len=300000

Targets: xmp, jpeg, jsonld, rdfxml, turtle, ntriples, newsml, edm, jsonl, jsonld-expanded,
schemaorg. Every argument the harness does not know goes to libFuzzer: ``-atheris_runs=N`` (or
``-runs=N``) for a number of inputs, ``-max_total_time=SECONDS`` for a time budget,
``-timeout=SECONDS`` and ``-rss_limit_mb=MB`` to bound one input's time and the process's memory
(defaults: 10 s, 2048 MB), ``-artifact_prefix=DIR/`` for crash files. Replay one input (e.g. a
crash) by passing its path instead of a corpus directory. ``--keep-going DIR`` saves each
distinct crash (exception type and place) into DIR and goes on, instead of stopping at the first.
The corpus directory grows as the fuzzer finds new inputs: keep it out of the repository.
Every crash found belongs in tests/test_fuzz_readers.py (``REGRESSIONS``) with its fix.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import sys
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # for tests.fuzz.corpus, when run as a script

import atheris  # noqa: E402

from tests.fuzz.corpus import TARGETS, seeds, write_corpus  # noqa: E402
from tests.fuzz.harness import fuzz  # noqa: E402

#: readers that parse with rdflib: instrument it too, so the fuzzer is guided through its parsers
RDFLIB_TARGETS = ("rdfxml", "turtle", "ntriples", "jsonld-expanded")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", required=True, choices=TARGETS, help="the reader to fuzz")
    parser.add_argument(
        "--make-corpus", metavar="DIR", type=Path, help="write the seed corpus of --target into DIR and exit"
    )
    parser.add_argument(
        "--keep-going",
        metavar="DIR",
        type=Path,
        help="on a crash, save the input as DIR/crash-<exception>-<sha1> (once per exception type and "
        "place) and go on fuzzing instead of stopping",
    )
    options, libfuzzer_args = parser.parse_known_args()
    if options.make_corpus is not None:
        written = write_corpus(options.make_corpus, options.target)
        print(f"wrote {len(written)} seeds for {options.target} into {options.make_corpus}")
        return

    target: str = options.target
    include = ["warphoto", *(["rdflib"] if target in RDFLIB_TARGETS else [])]
    with atheris.instrument_imports(include=include):
        import warphoto
        from warphoto.errors import WarphotoError

        # readers import modules lazily (formats, rdflib plugins): read every seed once here,
        # while the import hook is on, so that what they import is instrumented too
        for data in seeds(target, limit=3).values():
            warphoto.loads(data, target, validate=False)

    seen: set[tuple[str, str]] = set()
    keep_going: Path | None = options.keep_going

    def test_one_input(data: bytes) -> None:
        if keep_going is None:
            with contextlib.suppress(WarphotoError):
                warphoto.loads(data, target, source="<fuzz>")
            return
        try:
            warphoto.loads(data, target, source="<fuzz>")
        except WarphotoError:
            pass
        except Exception as error:  # a contract breach: record it once per type and place
            frames = traceback.extract_tb(error.__traceback__)
            ours = [f for f in frames if "warphoto" in f.filename] or frames
            where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
            key = (type(error).__name__, where)
            if key not in seen:
                seen.add(key)
                keep_going.mkdir(parents=True, exist_ok=True)
                name = f"crash-{key[0]}-{hashlib.sha1(data).hexdigest()}"
                (keep_going / name).write_bytes(data)
                print(f"\n=== CRASH {key[0]} at {where}: {error!r:.300}\n    saved as {name}", flush=True)

    fuzz(sys.argv[0], libfuzzer_args, test_one_input)


if __name__ == "__main__":
    main()
