"""Seeded, realistic photograph records for the benchmarks (about 80 triples each).

Latin and Cyrillic names, captions in two languages, a place hierarchy (town, region,
country), persons shown, an event, a file with its digest and a three-step provenance chain.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

CONTEXT = "https://w3id.org/warphoto/context.jsonld"

_TOWNS = [
    ("Izium", "Ізюм", 49.2083, 37.2556, "Kharkiv Oblast"),
    ("Balakliia", "Балаклія", 49.4627, 36.8587, "Kharkiv Oblast"),
    ("Kupiansk", "Куп'янськ", 49.7106, 37.6156, "Kharkiv Oblast"),
    ("Lyman", "Лиман", 48.9892, 37.8028, "Donetsk Oblast"),
    ("Kherson", "Херсон", 46.6354, 32.6169, "Kherson Oblast"),
    ("Bucha", "Буча", 50.5436, 30.2122, "Kyiv Oblast"),
]
_GIVEN = [
    ("Olena", "Олена"),
    ("Mykola", "Микола"),
    ("Tetyana", "Тетяна"),
    ("Andrii", "Андрій"),
    ("Iryna", "Ірина"),
]
_FAMILY = [("Kovalenko", "Коваленко"), ("Shevchuk", "Шевчук"), ("Bondar", "Бондар"), ("Melnyk", "Мельник")]
_PHOTOGRAPHERS = ["Evgeniy Maloletka", "Yasuyoshi Chiba", "Leo Correa", "Kostiantyn Liberov", "Juan Barreto"]
_WARNINGS = ["death", "suffering", "violence"]


def record(index: int, rng: random.Random) -> dict[str, Any]:
    """One standalone photograph record."""
    town, town_uk, lat, lon, region = rng.choice(_TOWNS)
    given, given_uk = rng.choice(_GIVEN)
    family, family_uk = rng.choice(_FAMILY)
    photographer = rng.choice(_PHOTOGRAPHERS)
    day = rng.randint(1, 28)
    month = rng.randint(1, 12)
    base = f"https://example.org/archive/photo/{index}"
    digest = hashlib.sha256(f"file-{index}".encode()).hexdigest()
    ukraine = {
        "@id": "https://www.wikidata.org/wiki/Q212",
        "@type": "Country",
        "name": {"en": "Ukraine", "uk": "Україна"},
        "countryCode": "UA",
    }
    oblast = {
        "@id": f"_:region-{region[:4].lower()}",
        "@type": "State",
        "name": {"en": region},
        "containedInPlace": ukraine,
    }
    place = {
        "@id": f"_:town-{town.lower()}",
        "@type": "City",
        "name": {"en": town, "uk": town_uk},
        "alternateName": {"en": [town.replace("ii", "iy")]},
        "geo": {"latitude": lat, "longitude": lon},
        "containedInPlace": oblast,
    }
    person = {"@type": "Person", "name": {"en": f"{given} {family}", "uk": f"{given_uk} {family_uk}"}}
    author = {
        "@id": f"_:photographer-{photographer.split()[-1].lower()}",
        "@type": "Person",
        "name": {"en": photographer},
        "jobTitle": {"en": "Photographer", "uk": "Фотограф"},
    }
    event = {
        "@type": "Event",
        "name": {"en": f"Retaking of {town}", "uk": f"Звільнення {town_uk}"},
        "startDate": {"@value": f"2022-{month:02d}", "@type": "xsd:gYearMonth"},
        "location": place["@id"],
    }
    return {
        "@context": CONTEXT,
        "@id": base,
        "@type": ["ImageObject", "Photograph"],
        "headline": {"en": f"Aftermath in {town}", "uk": f"Наслідки в {town_uk}"},
        "caption": {
            "en": f"{given} {family}, {rng.randint(20, 90)}, stands near a destroyed house in {town}, {region}.",
            "uk": f"{given_uk} {family_uk} стоїть біля зруйнованого будинку в {town_uk}.",
        },
        "keywords": {"en": ["war", "Ukraine", town], "uk": ["війна", town_uk]},
        "identifier": f"AP22{index:08d}",
        "altText": {"en": f"A person standing in front of a ruined house in {town}"},
        "dateCreated": {"@value": f"2022-{month:02d}", "@type": "xsd:gYearMonth"},
        "creator": [author],
        "creditText": f"{photographer}/AP Photo",
        "copyrightNotice": {"en": f"© 2022 AP Photo/{photographer}"},
        "copyrightHolder": [{"@id": "_:ap", "@type": "Organization", "name": {"en": "The Associated Press"}}],
        "license": "https://example.org/licences/editorial",
        "acquireLicensePage": "https://example.org/licensing",
        "usageTerms": {"en": "Editorial use only"},
        "recordedAt": [event],
        "contentWarning": [f"http://cv.iptc.org/newscodes/contentwarning/{rng.choice(_WARNINGS)}"],
        "contentLocation": [place],
        "personShown": [{"person": person, "age": rng.randint(20, 90)}],
        "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
        "associatedMedia": [
            {
                "@type": "ImageObject",
                "contentUrl": f"https://example.org/archive/files/{index}.jpg",
                "encodingFormat": "image/jpeg",
                "contentSize": rng.randint(1_000_000, 9_000_000),
                "sha256": digest,
                "fileRole": "master",
            }
        ],
        "provenance": [
            {
                "@type": "Activity",
                "additionalType": ["http://id.loc.gov/vocabulary/preservation/eventType/cre"],
                "startDate": {"@value": f"2022-{month:02d}-{day:02d}", "@type": "xsd:date"},
                "qualifiedAssociation": [
                    {"agent": author["@id"], "hadRole": "http://id.loc.gov/vocabulary/relators/pht"}
                ],
            },
            {
                "@type": "Activity",
                "additionalType": ["http://id.loc.gov/vocabulary/preservation/eventType/tra"],
                "startDate": {"@value": f"2023-{month:02d}-{day:02d}", "@type": "xsd:date"},
            },
            {
                "@type": "Activity",
                "additionalType": ["http://id.loc.gov/vocabulary/preservation/eventType/ing"],
                "startedAtTime": {
                    "@value": f"2024-{month:02d}-{day:02d}T10:00:00+02:00",
                    "@type": "xsd:dateTime",
                },
            },
        ],
    }


def records(count: int, seed: int = 2022) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [record(i, rng) for i in range(count)]


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (VmHWM, which, unlike ru_maxrss, starts afresh at exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
