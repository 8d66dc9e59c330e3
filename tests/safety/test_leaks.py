"""No removed value leaves: every built-in profile, every format, every byte (ZIP members unpacked)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import warphoto
from tests.safety.secrets import Secrets, output_bytes, secret_collection, writers
from warphoto import formats
from warphoto.safety import BUILTIN, KINDS, Profile

SECRETS = Secrets()


def removed_kinds(profile: Profile) -> set[str]:
    """The kinds of the corpus a profile must not let out."""
    kinds = {kind for kind in KINDS if profile.action(kind) != "keep"} | {"restricted"}
    if "caption" in profile.free_text:
        kinds.add("caption")
    if profile.coordinates == "town":
        kinds.add("streets")
    return kinds


def leaks(data: bytes, kinds: set[str]) -> list[str]:
    tokens = {**SECRETS.by_kind(), "streets": SECRETS.streets()}
    return [f"{kind}: {t}" for kind in sorted(kinds) for t in tokens[kind] if t.encode() in data]


PROFILES = [
    *BUILTIN.values(),
    Profile(name="captions", audience="partners", free_text=("caption",)),
    Profile(name="town", audience="partners", persons_shown="keep", coordinates="town", file_names="keep"),
]


@pytest.mark.parametrize("fmt", writers(), ids=lambda f: f.name)
@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_no_removed_value_in_any_output_byte(profile: Profile, fmt: formats.Format) -> None:
    redacted = warphoto.redact(secret_collection(), profile)
    assert leaks(output_bytes(redacted, fmt), removed_kinds(profile)) == []


@pytest.mark.parametrize("fmt", writers(), ids=lambda f: f.name)
def test_the_corpus_leaks_without_redaction(fmt: formats.Format) -> None:
    # the check can fail: unredacted, each format carries secrets of the kinds it has a place for
    assert leaks(output_bytes(secret_collection(), fmt), {*SECRETS.by_kind(), "streets"})


def test_what_the_partner_profile_keeps_stays() -> None:
    redacted = warphoto.redact(secret_collection(), "partner")
    data = json.dumps(redacted).encode()
    assert SECRETS.person_name.encode() in data and SECRETS.caption_name.encode() in data
    assert SECRETS.file_name.encode() in data and SECRETS.region_name.encode() in data


def _places(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for n in document["@graph"] for p in n.get("contentLocation", []) if isinstance(p, dict)]


def test_coarsened_coordinates_are_within_the_grid() -> None:
    profile = BUILTIN["partner"]
    redacted = warphoto.redact(secret_collection(), profile)
    geo = [p["geo"] for p in _places(redacted) if "geo" in p]
    assert len(geo) == 1 and set(geo[0]) == {"latitude", "longitude"}  # elevation goes too
    lat, lon = float(SECRETS.latitude), float(SECRETS.longitude)
    assert abs(geo[0]["latitude"] - lat) * 111.32 <= profile.grid_km / 2 + 1e-6
    assert geo[0]["longitude"] != lon and abs(geo[0]["longitude"] - lon) < 0.02


def test_public_removes_coordinates_and_restricted_places() -> None:
    redacted = warphoto.redact(secret_collection(), "public")
    places = _places(redacted)
    assert [p.get("name") for p in places] == [{"en": "Village square"}, None]  # the restricted: a stub
    assert all("geo" not in p for p in places)


def test_coarsening_to_the_town_keeps_the_town() -> None:
    redacted = warphoto.redact(secret_collection(), PROFILES[-1])
    nodes = {n.get("@id"): n for n in redacted["@graph"]}
    photo = redacted["@graph"][0]
    street = nodes[photo["locationCreated"]]
    assert set(street) == {"@id", "@type", "containedInPlace"}  # no name: only the town it lies in
    city = nodes[street["containedInPlace"]]
    assert city["name"] == {"en": "Kharkiv"} and "geo" not in city
    assert nodes[city["containedInPlace"]]["countryCode"] == "UA"
    assert photo["legacyCity"] == "Kharkiv" and "legacySublocation" not in photo
    assert all("geo" not in p for p in _places(redacted))
    text = photo["provenance"][-1]["description"]["en"]
    assert "coordinates: kept to the town" in text and "street-level places: removed" in text


def test_a_removed_file_name_is_scrubbed_from_every_text() -> None:
    redacted = warphoto.redact(secret_collection(), "public")
    ingested = redacted["@graph"][0]["provenance"][0]["description"]["en"]
    assert ingested == "ingested: XMP read from (file name removed)"


def test_persons_shown_stay_shown_without_names() -> None:
    redacted = warphoto.redact(secret_collection(), "public")
    photo = redacted["@graph"][0]
    assert len(photo["personShown"]) == 2
    for entry in photo["personShown"]:
        person = entry["person"]
        described = (
            person
            if isinstance(person, dict)
            else next(n for n in redacted["@graph"] if n.get("@id") == person)
        )
        assert set(described) <= {"@id", "@type"}
        assert str(described.get("@id", "_:")).startswith("_:")


def test_the_original_is_unchanged_and_the_result_valid() -> None:
    original = secret_collection()
    before = copy.deepcopy(original)
    for profile in BUILTIN:
        warphoto.validate(warphoto.redact(original, profile))
    assert original == before


def test_the_redaction_is_a_provenance_step_without_values() -> None:
    redacted = warphoto.redact(secret_collection(), "public")
    step = redacted["@graph"][0]["provenance"][-1]
    assert step["additionalType"] == ["http://id.loc.gov/vocabulary/preservation/eventType/red"]
    text = step["description"]["en"]
    for kind in ("persons shown", "coordinates", "serial numbers", "contact details", "file names"):
        assert kind in text
    assert "'public'" in text and step["startedAtTime"]["@type"] == "xsd:dateTime"
    assert leaks(json.dumps(step).encode(), set(SECRETS.by_kind())) == []


def test_a_record_restricted_beyond_the_audience_is_refused() -> None:
    record = copy.deepcopy(secret_collection()["@graph"][0])
    record["@context"] = "https://w3id.org/warphoto/context.jsonld"
    record["accessAudience"] = "partners"
    del record["creator"], record["locationCreated"]
    del record["personShown"][1]
    with pytest.raises(warphoto.WriteError, match="restricted beyond"):
        warphoto.redact(record, "public")
    assert "accessAudience" not in warphoto.redact(record, "partner")


def test_a_restricted_photograph_leaves_a_collection() -> None:
    collection = secret_collection()
    collection["@graph"][0]["accessAudience"] = "archive-only"
    redacted = warphoto.redact(collection, "partner")
    assert all("Photograph" not in n.get("@type", []) for n in redacted["@graph"])


def test_an_unknown_audience_gets_the_strictest_treatment() -> None:
    collection = secret_collection()
    place = collection["@graph"][0]["contentLocation"][0]
    place["accessAudience"] = "donors"  # the validator rejects it; redact still treats it as archive-only
    redacted = warphoto.redact(collection, "partner")
    assert set(_places(redacted)[0]) == {"@type"}  # a stub: no name, no coordinates
    step = redacted["@graph"][0]["provenance"][-1]["description"]["en"]
    assert "1 unknown audience(s) treated as archive-only" in step
