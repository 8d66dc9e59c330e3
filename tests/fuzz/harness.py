"""What the atheris harnesses (``fuzz_readers.py``, ``fuzz_ingest.py``) share: libFuzzer's
default bounds and the start of a run."""

from __future__ import annotations

from collections.abc import Callable, Sequence

#: libFuzzer bounds used unless given on the command line
DEFAULT_FLAGS = ("-timeout=10", "-rss_limit_mb=2048", "-max_len=300000")


def fuzz(argv0: str, libfuzzer_args: Sequence[str], test_one_input: Callable[[bytes], None]) -> None:
    """Run atheris on ``test_one_input``, with :data:`DEFAULT_FLAGS` unless the arguments set them."""
    import atheris

    given = {arg.split("=")[0] for arg in libfuzzer_args}
    flags = [flag for flag in DEFAULT_FLAGS if flag.split("=")[0] not in given]
    atheris.Setup([argv0, *flags, *libfuzzer_args], test_one_input)
    atheris.Fuzz()
