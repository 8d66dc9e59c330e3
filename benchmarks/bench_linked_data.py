"""Throughput of warphoto's Linked Data writers against the general processors (rdflib, pyld).

    python benchmarks/bench_linked_data.py            # full run (about a minute or two)
    python benchmarks/bench_linked_data.py --quick    # a few seconds
    python benchmarks/bench_linked_data.py --stream 1000000   # also stream a million records to N-Triples

Records are generated from a fixed seed and look like the example gallery's photographs
(caption in two languages, keywords, photographer, place hierarchy with coordinates, person
shown, two files, two provenance steps): about 80 triples each. Each path is timed on the same
records; the ratios are against the reference path (rdflib parses the compact JSON-LD, then
serialises RDF/XML). Streaming runs in a child process so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

CONTEXT = "https://w3id.org/warphoto/context.jsonld"
WORDS_EN = [
    "war",
    "occupation",
    "grief",
    "exhumation",
    "shelling",
    "ruins",
    "village",
    "soldiers",
    "checkpoint",
    "bridge",
    "school",
]
WORDS_UK = [
    "війна",
    "окупація",
    "горе",
    "ексгумація",
    "обстріл",
    "руїни",
    "село",
    "солдати",
    "блокпост",
    "міст",
    "школа",
]
TOWNS = [
    ("Izium", "Ізюм", 49.2083, 37.2569),
    ("Balakliia", "Балаклія", 49.4627, 36.8586),
    ("Kupiansk", "Куп'янськ", 49.7106, 37.6156),
    ("Tsupivka", "Цупівка", 50.0833, 36.4167),
]
PEOPLE = ["Evgeniy Maloletka", "Leo Correa", "Kostiantyn Liberov", "Yasuyoshi Chiba", "Juan Barreto"]


def make_record(rng: random.Random, n: int) -> dict[str, Any]:
    town, town_uk, lat, lon = rng.choice(TOWNS)
    photographer = rng.choice(PEOPLE)
    day = rng.randint(10, 28)
    words = rng.sample(range(len(WORDS_EN)), 4)
    return {
        "@context": CONTEXT,
        "@id": f"https://example.org/photos/{n}",
        "@type": ["ImageObject", "Photograph"],
        "identifier": f"AP-{n:08d}",
        "headline": {"en": f"Aftermath in {town}", "uk": f"Наслідки в {town_uk}"},
        "caption": {
            "en": f"Residents of {town} walk past a destroyed building, September {day}, 2022.",
            "uk": f"Мешканці {town_uk} проходять повз зруйнований будинок, {day} вересня 2022 року.",
        },
        "keywords": {"en": [WORDS_EN[i] for i in words], "uk": [WORDS_UK[i] for i in words]},
        "about": ["http://cv.iptc.org/newscodes/mediatopic/16000000"],
        "dateCreated": rng.choice(
            [
                {"@value": "2022-09", "@type": "xsd:gYearMonth"},
                {"@value": f"2022-09-{day:02d}", "@type": "xsd:date"},
                {
                    "@value": f"2022-09-{day:02d}T{rng.randint(6, 19):02d}:{rng.randint(0, 59):02d}:00+03:00",
                    "@type": "xsd:dateTime",
                },
            ]
        ),
        "creator": [
            {
                "@id": f"_:p{PEOPLE.index(photographer)}",
                "@type": "Person",
                "name": {"en": photographer},
                "jobTitle": {"en": "photographer"},
                "sameAs": [f"https://www.wikidata.org/wiki/Q{rng.randint(10**6, 10**8)}"],
            }
        ],
        "creditText": f"{photographer}/AP",
        "copyrightNotice": {"en": "Copyright 2022 The Associated Press. All rights reserved."},
        "copyrightHolder": [
            {
                "@id": "_:ap",
                "@type": "Organization",
                "name": {"en": "The Associated Press"},
                "url": "https://apnews.com/",
            }
        ],
        "license": "https://example.org/licensing/editorial",
        "acquireLicensePage": "https://example.org/licensing",
        "contentWarning": ["http://cv.iptc.org/newscodes/contentwarning/death"],
        "contentLocation": [
            {
                "@id": f"_:{town.lower()}",
                "@type": "City",
                "name": {"en": town, "uk": town_uk},
                "geo": {"latitude": lat, "longitude": lon},
                "containedInPlace": {
                    "@id": "_:kharkiv-oblast",
                    "@type": "State",
                    "name": {"en": "Kharkiv region", "uk": "Харківська область"},
                    "containedInPlace": {
                        "@id": "_:ukraine",
                        "@type": "Country",
                        "name": {"en": "Ukraine", "uk": "Україна"},
                        "countryCode": "UA",
                        "sameAs": ["http://www.wikidata.org/entity/Q212"],
                    },
                },
            }
        ],
        "personShown": [
            {
                "person": {"@type": "Person", "name": {"en": "Olga Valkova"}},
                "description": {"en": "resident"},
                "age": rng.randint(20, 90),
            }
        ],
        "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
        "isPartOf": "https://example.org/galleries/kharkiv-2022",
        "position": n % 40 + 1,
        "associatedMedia": [
            {
                "@id": f"https://example.org/files/{n}.cr2",
                "@type": "ImageObject",
                "contentUrl": f"https://example.org/files/{n}.cr2",
                "encodingFormat": "image/x-canon-cr2",
                "width": 6000,
                "height": 4000,
                "contentSize": rng.randint(10**7, 4 * 10**7),
                "sha256": f"{rng.getrandbits(256):064x}",
                "fileRole": "master",
            },
            {
                "@type": "ImageObject",
                "contentUrl": f"https://example.org/files/{n}.jpg",
                "encodingFormat": "image/jpeg",
                "width": 1600,
                "height": 1067,
                "fileRole": "derivative",
            },
        ],
        "provenance": [
            {
                "@type": "Activity",
                "additionalType": ["http://id.loc.gov/vocabulary/preservation/eventType/cap"],
                "startDate": {"@value": "2022-09", "@type": "xsd:gYearMonth"},
                "qualifiedAssociation": [
                    {
                        "agent": f"_:p{PEOPLE.index(photographer)}",
                        "hadRole": "http://id.loc.gov/vocabulary/relators/pht",
                    }
                ],
            },
            {
                "@type": "Activity",
                "additionalType": ["http://id.loc.gov/vocabulary/preservation/eventType/ing"],
                "startDate": {"@value": "2022-10-02", "@type": "xsd:date"},
                "used": [f"https://example.org/files/{n}.cr2"],
            },
        ],
    }


def records(count: int, seed: int = 2022) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [make_record(rng, n) for n in range(count)]


def iter_records(count: int, seed: int = 2022) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for n in range(count):
        yield make_record(rng, n)


# ------------------------------------------------------------------------------ paths


def _inline(record: dict[str, Any]) -> str:
    from warphoto._resources import context_document

    doc = dict(record)
    doc["@context"] = context_document()["@context"]
    return json.dumps(doc, ensure_ascii=False)


def path_reference_rdflib_rdfxml(batch: list[dict[str, Any]]) -> None:
    from rdflib import Graph

    for record in batch:
        Graph().parse(data=_inline(record), format="json-ld").serialize(format="xml")


def path_pyld_nquads(batch: list[dict[str, Any]]) -> None:
    from pyld import jsonld

    from warphoto.formats.jsonld import document_loader

    options = {"format": "application/n-quads", "documentLoader": document_loader}
    for record in batch:
        jsonld.to_rdf(record, options)


def path_rdflib_ntriples(batch: list[dict[str, Any]]) -> None:
    from rdflib import Graph

    for record in batch:
        Graph().parse(data=_inline(record), format="json-ld").serialize(format="nt")


def _ours(fmt: str, **options: Any) -> Callable[[list[dict[str, Any]]], None]:
    from warphoto.formats import get

    dumps = get(fmt).dumps
    assert dumps is not None

    def run(batch: list[dict[str, Any]]) -> None:
        for record in batch:
            dumps(record, **options)

    return run


def timed(
    function: Callable[[list[dict[str, Any]]], None], batch: list[dict[str, Any]], min_seconds: float
) -> float:
    """Records per second (repeats the batch until ``min_seconds`` have passed)."""
    done = 0
    start = time.perf_counter()
    while True:
        function(batch)
        done += len(batch)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return done / elapsed


def stream_child(count: int) -> None:
    """Child process: stream ``count`` generated records to N-Triples in /dev/null."""
    from warphoto.streaming import write_stream

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with open("/dev/null", "w", encoding="utf-8") as sink:
        lines = write_stream(iter_records(count, seed=7), sink, "ntriples")
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "records": count,
                "triples": lines,
                "seconds": elapsed,
                "peak_mb": peak / 1024,
                "start_mb": before / 1024,
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small samples, short timings")
    parser.add_argument(
        "--stream",
        type=int,
        default=None,
        help="records to stream to N-Triples (default: 20,000 quick, 1,000,000 full)",
    )
    parser.add_argument("--stream-child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stream_child is not None:
        stream_child(args.stream_child)
        return 0

    from warphoto.formats.rdf import document_triples

    quick = args.quick
    sample = records(400 if quick else 2000)
    slow_sample = sample[: 10 if quick else 40]
    seconds = 0.5 if quick else 2.0
    triples = sum(len(set(document_triples(r))) for r in sample) / len(sample)
    print(f"records: {len(sample)} generated (seed 2022), {triples:.1f} triples each on average")
    print(f"python {sys.version.split()[0]}; timing each path for at least {seconds:.1f} s\n")

    rows: list[tuple[str, float]] = []
    reference = timed(path_reference_rdflib_rdfxml, slow_sample, seconds)
    rows.append(("reference: rdflib JSON-LD parse -> RDF/XML", reference))
    rows.append(("rdflib JSON-LD parse -> N-Triples", timed(path_rdflib_ntriples, slow_sample, seconds)))
    rows.append(("pyld toRdf (N-Quads)", timed(path_pyld_nquads, slow_sample, seconds)))
    rows.append(("warphoto RDF/XML", timed(_ours("rdfxml"), sample, seconds)))
    rows.append(("warphoto Turtle", timed(_ours("turtle"), sample, seconds)))
    rows.append(("warphoto N-Triples", timed(_ours("ntriples"), sample, seconds)))
    rows.append(("warphoto compact JSON-LD (one line)", timed(_ours("jsonld", indent=None), sample, seconds)))
    rows.append(("warphoto compact JSON-LD (indent=2)", timed(_ours("jsonld"), sample, seconds)))
    rows.append(("warphoto JSON Lines", timed(_ours("jsonl"), sample, seconds)))
    width = max(len(name) for name, _ in rows)
    print(f"{'path':<{width}}  {'records/s':>12}  {'vs reference':>12}")
    for name, rate in rows:
        print(f"{name:<{width}}  {rate:>12,.0f}  {rate / reference:>11.1f}x")

    count = args.stream if args.stream is not None else (20_000 if quick else 1_000_000)
    if count:
        result = subprocess.run(
            [sys.executable, __file__, "--stream-child", str(count)],
            capture_output=True,
            text=True,
            check=True,
        )
        info = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"\nstreaming {info['records']:,} records ({info['triples']:,} triples) to N-Triples: "
            f"{info['seconds']:.1f} s, {info['records'] / info['seconds']:,.0f} records/s "
            f"(record generation included), peak RSS {info['peak_mb']:.0f} MB "
            f"(interpreter and imports {info['start_mb']:.0f} MB)"
        )
    return 0


if __name__ == "__main__":
    copy.copy(None)
    raise SystemExit(main())
