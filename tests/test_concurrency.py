"""Concurrency: the validators, every writer and every reader used from 8 threads at once give
exactly what one thread gives (issue #6, item 5).

The corpus is the example gallery (whole, and split into standalone records), the valid and
invalid records of ``tests/data``, a few generated records (``tests/strategies.py``), the
outputs of every writer, and the malformed inputs of ``tests/data/malformed``, so the error
paths run concurrently too. Each of 8 threads (released together by a barrier) runs every
task in its own shuffled order, several times over, with the interpreter switching threads
as often as it can; every result (the value, or the error's class and message) must equal
the one-thread result.

The RDF text writers share per-process caches (``warphoto.formats._rdf_text``) that are
cleared when they grow past ``_CACHE_LIMIT``: one test lowers the limit so that caches are
cleared under the writers' feet all the time. Another starts a fresh interpreter whose
first use of warphoto comes from 8 threads at once (lazily built registries and tables).
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import rdflib
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import warphoto
from warphoto import formats
from warphoto.formats import _rdf_blocks, _rdf_text

from . import strategies
from .conftest import EXAMPLE_GALLERY
from .formats.test_edm import OPTIONS as EDM_OPTIONS
from .formats.test_newsml import STAMP
from .jpeg_bytes import tiny_jpeg

DATA = Path(__file__).resolve().parent / "data"
THREADS = 8

Document = dict[str, Any]
#: what a call gave: ("ok", value) or ("error", class name, message, issues)
Outcome = tuple[Any, ...]
Task = tuple[str, Callable[[], Any]]


def _outcome(call: Callable[[], Any]) -> Outcome:
    try:
        value = call()
    except Exception as error:
        return ("error", type(error).__name__, str(error), getattr(error, "issues", None))
    if isinstance(value, bytes) and value.startswith(b"PK\x03\x04"):
        # a ZIP (EDM of a collection) stamps its members with the time of writing: compare contents
        with zipfile.ZipFile(io.BytesIO(value)) as archive:
            return ("ok", "zip", [(member.filename, archive.read(member)) for member in archive.infolist()])
    return ("ok", value)


def _writer_options(name: str) -> dict[str, Any]:
    """What a writer needs to write deterministically: EDM's settings, a NewsML-G2 stamp, a JPEG."""
    return {
        "edm": dict(EDM_OPTIONS),
        "newsml": {"version_created": STAMP},
        "jpeg": {"image": tiny_jpeg()},
    }.get(name, {})


def _writers() -> list[formats.Format]:
    writable = [f for f in formats.all_formats() if f.can_write]
    assert {"edm", "jpeg", "jsonld", "newsml", "ntriples", "rdfxml", "turtle", "xmp"} <= {
        f.name for f in writable
    }
    return writable


# --------------------------------------------------------------------------- the corpus


def _drawn(strategy: st.SearchStrategy[Document], count: int) -> list[Document]:
    """``count`` records drawn from ``strategy``, the same ones every run."""
    found: list[Document] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(record: Document) -> None:
        found.append(record)

    collect()
    return found


def _edge_record() -> Document:
    """A record that goes through every cache of the RDF text writers, and their slow paths."""
    return {
        "@context": "https://w3id.org/warphoto/context.jsonld",
        "@id": "https://example.org/photos/edge",
        "@type": ["ImageObject", "Photograph", "https://example.org/ns#Print"],
        "headline": {"en": "Izium", "uk": "Ізюм", "sr-Latn": "Izjum", "@none": "Izium"},
        "keywords": {"en": ["bridge", 'river "Donets" <north>', "a & b"], "uk": ["міст"]},
        "dateCreated": {"@value": "2022-09", "@type": "xsd:gYearMonth"},
        "creator": [{"@id": "_:maker", "@type": "Person", "name": {"en": "A. Maker"}}, "_:maker"],
        "contentLocation": [
            {
                "@id": "https://example.org/places/izium",
                "@type": "City",
                "name": {"en": "Izium"},
                "geo": {"@type": "GeoCoordinates", "latitude": 49.2123, "longitude": 37.2564},
            }
        ],
        "https://example.org/ns#ratio": [0.5, 1.25e-7, 3, True],
        "https://example.org/ns#note": [
            {"@value": "a note", "@language": "de"},
            {"@value": "2022-09-21", "@type": "xsd:date"},
            {"@value": "7", "@type": "https://example.org/ns#Count"},
        ],
        "dcterms:rights": "line one\nline two",
    }


def _as_written_record() -> Document:
    """Literals rdflib would rewrite into its canonical form unless told not to (a process-wide flag)."""
    return {
        "@context": "https://w3id.org/warphoto/context.jsonld",
        "@id": "https://example.org/photos/as-written",
        "@type": ["ImageObject", "Photograph"],
        "dateCreated": {"@value": "2022-09-21T12:00:00.5Z", "@type": "xsd:dateTime"},
        "contentLocation": [{"@id": "_:place", "@type": "Place", "name": {"en": "Balakliia"}}],
    }


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    """Every document of the corpus by a name: valid and invalid, records and collections."""
    gallery = json.loads(EXAMPLE_GALLERY.read_text(encoding="utf-8"))
    corpus: dict[str, Document] = {
        "gallery": gallery,
        "edge": _edge_record(),
        "as-written": _as_written_record(),
    }
    for number, record in enumerate(warphoto.standalone_records(gallery), 1):
        corpus[f"gallery-photo-{number:02}"] = record
    for kind in ("valid", "invalid"):
        for path in sorted((DATA / kind).glob("*.json")):
            if path.name != "expected.json":
                corpus[f"{kind}/{path.stem}"] = json.loads(path.read_text(encoding="utf-8"))
    drawn = _drawn(strategies.photographs(extensions=True), 6) + _drawn(strategies.records(), 6)
    drawn += _drawn(strategies.galleries(extensions=True), 2)
    for number, record in enumerate(drawn):
        corpus[f"drawn-{number:02}"] = record
    invalid = [name for name in corpus if name.startswith("invalid/")]
    assert len(invalid) > 50 and len(corpus) > 120
    return corpus


def _baseline(tasks: list[Task]) -> dict[str, Outcome]:
    """Each task's outcome in this one thread; run twice: the result must not depend on the run."""
    first = {name: _outcome(call) for name, call in tasks}
    again = {name: _outcome(call) for name, call in tasks}
    assert [n for n in first if first[n] != again[n]] == [], "a result differs between two runs"
    return first


def _hammer(tasks: list[Task], expected: dict[str, Outcome], iterations: int) -> int:
    """Run every task in each of 8 threads (shuffled per thread), ``iterations`` times over.

    Returns how many calls were made; fails listing the tasks whose outcome differed.
    """
    barrier = threading.Barrier(THREADS, timeout=120)

    def worker(index: int) -> tuple[int, list[str]]:
        order = list(range(len(tasks)))
        shuffle = random.Random(index).shuffle
        wrong: list[str] = []
        calls = 0
        barrier.wait()  # every thread starts at once
        for _ in range(iterations):
            shuffle(order)
            for position in order:
                name, call = tasks[position]
                got = _outcome(call)
                calls += 1
                if got != expected[name]:
                    wrong.append(f"{name}: {str(got)[:300]}")
        return calls, wrong

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))
    wrong = sorted({line for _calls, lines in results for line in lines})
    assert wrong == [], f"{len(wrong)} results differ from one thread's:\n" + "\n".join(wrong[:20])
    return sum(calls for calls, _wrong in results)


# --------------------------------------------------------------------------- tasks


def _validation_tasks(documents: dict[str, Document]) -> list[Task]:
    tasks: list[Task] = []
    for name, document in documents.items():
        tasks.append((f"validate {name}", lambda d=document: warphoto.validate(d)))
        tasks.append((f"iter_issues {name}", lambda d=document: list(warphoto.iter_issues(d))))
        tasks.append((f"is_valid {name}", lambda d=document: warphoto.is_valid(d)))
    # JSON text is accepted too, and broken JSON is an issue rather than an exception
    text = json.dumps(documents["invalid/date-february-30"], indent=1)
    tasks.append(("iter_issues text", lambda: list(warphoto.iter_issues(text))))
    tasks.append(("iter_issues broken text", lambda: list(warphoto.iter_issues(text[:-40]))))
    return tasks


def _writer_tasks(documents: dict[str, Document], names: Sequence[str] | None = None) -> list[Task]:
    tasks: list[Task] = []
    wanted = [formats.get(n) for n in names] if names is not None else _writers()
    for fmt in wanted:
        options = _writer_options(fmt.name)
        for name, document in documents.items():
            tasks.append(
                (
                    f"dumps {fmt.name} {name}",
                    lambda d=document, f=fmt.name, o=options: warphoto.dumps(d, f, **o),
                )
            )
    return tasks


#: the documents whose outputs the readers read (reading is the slow part: a choice of them)
_READ_BACK = (
    "gallery",
    "edge",
    "as-written",
    "gallery-photo-01",
    "gallery-photo-09",
    "valid/photograph-full",
    "valid/collection-shared-entities",
    "valid/extension-keys-on-every-entity",
    "valid/interval-mixed-precision",
    "valid/language-tags",
    "drawn-00",
    "drawn-03",
    "drawn-07",
    "invalid/date-february-30",
    "invalid/duplicate-id",
    "invalid/langmap-empty",
    "invalid/countrycode-xx",
)


def _reader_tasks(documents: dict[str, Document], written: dict[str, Outcome]) -> list[Task]:
    tasks: list[Task] = []
    readable = {f.name for f in formats.all_formats() if f.can_read}
    for fmt in _writers():
        if fmt.name not in readable:
            continue
        for name in _READ_BACK:
            outcome = written[f"dumps {fmt.name} {name}"]
            if outcome[0] == "ok":
                data = outcome[1]
                tasks.append((f"loads {fmt.name} {name}", lambda b=data, f=fmt.name: warphoto.loads(b, f)))
        garbage = b"\x00 not a document <" if fmt.binary else "{ not a document <"
        tasks.append((f"loads {fmt.name} garbage", lambda b=garbage, f=fmt.name: warphoto.loads(b, f)))
    for path in sorted((DATA / "malformed").iterdir()):
        try:
            fmt = formats.for_path(path)
        except warphoto.FormatError:
            continue
        data = path.read_bytes()
        tasks.append((f"loads malformed/{path.name}", lambda b=data, f=fmt.name: warphoto.loads(b, f)))
    assert sum(1 for name, _ in tasks if name.startswith("loads malformed/")) >= 40
    return tasks


# --------------------------------------------------------------------------- tests


def test_validators_from_eight_threads(documents: dict[str, Document], busy_switching: None) -> None:
    tasks = _validation_tasks(documents)
    expected = _baseline(tasks)
    invalid = [n for n, o in expected.items() if n.startswith("validate ") and o[0] == "error"]
    assert len(invalid) > 50  # the error paths are exercised
    assert _hammer(tasks, expected, iterations=6) == THREADS * 6 * len(tasks)


def test_every_writer_from_eight_threads(documents: dict[str, Document], busy_switching: None) -> None:
    tasks = _writer_tasks(documents)
    expected = _baseline(tasks)
    for fmt in _writers():
        outcomes = [o for n, o in expected.items() if n.startswith(f"dumps {fmt.name} ")]
        assert any(o[0] == "ok" for o in outcomes), fmt.name
    assert any(o[0] == "error" for o in expected.values())  # writers refusing, too
    _hammer(tasks, expected, iterations=3)


def test_every_reader_from_eight_threads(documents: dict[str, Document], busy_switching: None) -> None:
    written = _baseline(_writer_tasks({name: documents[name] for name in _READ_BACK}))
    tasks = _reader_tasks(documents, written)
    expected = _baseline(tasks)
    assert sum(1 for o in expected.values() if o[0] == "ok") > 50
    assert sum(1 for o in expected.values() if o[0] == "error") > 50
    normalize = rdflib.NORMALIZE_LITERALS
    _hammer(tasks, expected, iterations=2)
    # the RDF readers turn off rdflib's process-wide literal normalisation while they parse:
    # however the threads interleave, it is restored for everyone else
    assert rdflib.NORMALIZE_LITERALS is normalize


_RDF_TEXT = ("ntriples", "turtle", "rdfxml")


def _shared_caches() -> dict[str, dict[Any, Any]]:
    caches: dict[str, dict[Any, Any]] = {}
    for name, tables in (
        ("ntriples", _rdf_text._nt_tables()),
        ("turtle", _rdf_blocks._turtle_tables()),
        ("rdfxml", _rdf_blocks._rdfxml_tables()),
    ):
        for cache in ("refs", "types", "langs", "preds", "datatypes", "numbers"):
            caches[f"{name}.{cache}"] = getattr(tables, cache)
    return caches


@pytest.mark.parametrize("limit", [1, 5])
def test_rdf_writers_while_shared_caches_are_cleared(
    documents: dict[str, Document], busy_switching: None, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    tasks = _writer_tasks(documents, _RDF_TEXT)
    expected = _baseline(tasks)  # with the caches as they grow in normal use
    caches = _shared_caches()
    sizes = {name: len(cache) for name, cache in caches.items()}
    for syntax in _RDF_TEXT:  # filled in normal use
        assert all(sizes[f"{syntax}.{cache}"] > limit for cache in ("refs", "types", "langs", "datatypes")), (
            sizes
        )
    assert sizes["ntriples.numbers"] > 1 and sizes["turtle.preds"] > 1, sizes
    monkeypatch.setattr(_rdf_text, "_CACHE_LIMIT", limit)
    for cache in caches.values():
        cache.clear()  # so that the writers fill them again, and clear them every few entries
    _hammer(tasks, expected, iterations=15)
    # every cache was cleared again and again under the writers
    assert all(len(cache) <= limit for cache in caches.values()), {n: len(c) for n, c in caches.items()}


_FIRST_USE = """
import io, json, sys, threading, zipfile
from concurrent.futures import ThreadPoolExecutor
import warphoto

gallery = json.loads(open(sys.argv[1], encoding="utf-8").read())
options = json.loads(sys.argv[2])
names = json.loads(sys.argv[3])
options["jpeg"] = {"image": bytes.fromhex(options["jpeg"]["image"])}
barrier = threading.Barrier(8, timeout=60)

def shown(value):
    if isinstance(value, bytes) and value.startswith(b"PK\\x03\\x04"):  # a ZIP: its members, not their times
        archive = zipfile.ZipFile(io.BytesIO(value))
        return repr([(member.filename, archive.read(member)) for member in archive.infolist()])
    return repr(value)

def outcome(call):
    try:
        return shown(call())
    except Exception as error:
        return f"raised {type(error).__name__}: {error}"

def work(index, together=True):
    if together:
        barrier.wait()
    results = {}
    photo = warphoto.standalone_records(gallery)[0]
    for name in names[index:] + names[:index]:  # each thread starts with another format
        results["validate " + name] = outcome(lambda: warphoto.validate(photo))
        try:
            data = warphoto.dumps(photo, name, **options.get(name, {}))
        except Exception as error:
            results["dumps " + name] = f"raised {type(error).__name__}: {error}"
            continue
        results["dumps " + name] = shown(data)
        results["loads " + name] = outcome(lambda: warphoto.loads(data, name))
    return results

with ThreadPoolExecutor(max_workers=8) as pool:
    together = list(pool.map(work, range(8)))
alone = work(0, together=False)
wrong = {f"{key}: {result[key][:200]}" for result in together for key in result if result[key] != alone[key]}
errors = [f"{key}: {value[:200]}" for key, value in alone.items() if value.startswith("raised ")]
print(json.dumps({"differ": sorted(wrong), "errors": errors}))
"""


def test_first_use_from_eight_threads_in_a_fresh_interpreter() -> None:
    """The registry of formats, compiled tables and schemas are built on first use: by 8 threads at once."""
    names = [fmt.name for fmt in _writers()]
    options = {name: _writer_options(name) for name in names}
    options["jpeg"] = {"image": tiny_jpeg().hex()}
    for _run in range(3):
        result = subprocess.run(
            [sys.executable, "-c", _FIRST_USE, str(EXAMPLE_GALLERY), json.dumps(options), json.dumps(names)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == {"differ": [], "errors": []}, result.stdout
