"""The model classes: frozen, typed, and exact over the record dict."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

import warphoto
from warphoto import (
    Collection,
    GeoCoordinates,
    LangText,
    LangTextList,
    PartialDate,
    Person,
    PersonShown,
    Photograph,
    Place,
    canonical,
)
from warphoto.model import collect, standalone_records

VALID = Path(__file__).resolve().parent.parent / "data" / "valid"


def _izium() -> Place:
    ukraine = Place(id="_:ukraine", types=("Country",), name=LangText({"en": "Ukraine"}), country_code="UA")
    return Place(
        id="_:izium",
        types=("City",),
        name=LangText({"en": "Izium", "uk": "Ізюм"}),
        alternate_name=LangTextList({"en": ["Izyum"], "ru": ["Изюм"]}),
        geo=GeoCoordinates(latitude=49.2083, longitude=37.2556),
        contained_in_place=ukraine,
    )


def _photo(number: int, **changes: Any) -> Photograph:
    maloletka = Person(id="_:maloletka", name=LangText({"en": "Evgeniy Maloletka"}))
    base = Photograph(
        id=f"https://example.org/photo/{number}",
        caption=LangText({"en": "Tetyana, 68, collects wood"}),
        date_created=PartialDate.parse("2022-09"),
        creator=(maloletka,),
        content_location=(_izium(),),
        person_shown=(PersonShown(person=Person(name=LangText({"en": "Tetyana"})), age=68),),
    )
    return dataclasses.replace(base, **changes)


def test_objects_are_frozen() -> None:
    photo = _photo(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        photo.caption = None  # type: ignore[misc]


def test_to_dict_is_a_valid_record_and_from_dict_inverts_it() -> None:
    record = _photo(1).to_dict()
    warphoto.validate(record)
    assert record["dateCreated"] == {"@value": "2022-09", "@type": "xsd:gYearMonth"}
    back = Photograph.from_dict(record)
    assert back == _photo(1)
    assert back.to_dict() == record


def test_unknown_keys_survive_a_round_trip() -> None:
    record = _photo(1).to_dict()
    record["dcterms:spatial"] = {"@id": "https://www.geonames.org/707292"}
    record["contentLocation"][0]["https://example.org/ns#localName"] = "Izium town"
    back = Photograph.from_dict(record)
    assert back.extra == {"dcterms:spatial": {"@id": "https://www.geonames.org/707292"}}
    assert back.to_dict() == record


def test_language_text_is_a_read_only_mapping() -> None:
    text = LangText({"en": "Izium", "uk": "Ізюм"})
    assert text["uk"] == "Ізюм"
    assert dict(text) == {"en": "Izium", "uk": "Ізюм"}
    assert text.best("de", "uk") == "Ізюм"
    with pytest.raises(KeyError):
        text["fr"]


def test_shared_entities_are_written_once_in_a_collection() -> None:
    collection = Collection([_photo(n) for n in range(1, 16)]).to_dict()
    warphoto.validate(collection)
    ids = [node.get("@id") for node in collection["@graph"]]
    assert ids.count("_:maloletka") == 1
    assert ids.count("_:izium") == 1
    assert ids.count("_:ukraine") == 1
    photos = [n for n in collection["@graph"] if "Photograph" in n["@type"]]
    assert len(photos) == 15
    assert all(p["creator"] == ["_:maloletka"] and p["contentLocation"] == ["_:izium"] for p in photos)


def test_conflicting_descriptions_of_one_id_are_refused() -> None:
    other = dataclasses.replace(
        _photo(2), creator=(Person(id="_:maloletka", name=LangText({"en": "E. M."})),)
    )
    with pytest.raises(warphoto.ValidationError) as caught:
        Collection([_photo(1), other]).to_dict()
    assert caught.value.issues[0].rule == "semantic:conflicting-descriptions"


def test_standalone_and_collect_invert_each_other(example_gallery: dict[str, Any]) -> None:
    records = standalone_records(example_gallery, types=("Photograph", "ImageGallery"))
    for record in records:
        warphoto.validate(record)
    rebuilt = canonical(collect(records))["@graph"]
    reachable = {node["@id"] for node in rebuilt}
    original = [n for n in canonical(collect([example_gallery]))["@graph"] if n["@id"] in reachable]
    assert rebuilt == original
    assert len(reachable) >= len(example_gallery["@graph"]) - 3  # only unreferenced nodes may drop out


def test_example_gallery_round_trips_through_the_model(example_gallery: dict[str, Any]) -> None:
    collection = Collection.from_dict(example_gallery)
    assert canonical(collection.to_dict()) == canonical(collect([example_gallery]))


def test_example_gallery_is_in_canonical_collection_form(example_gallery: dict[str, Any]) -> None:
    assert canonical(collect([example_gallery])) == canonical(example_gallery)


@pytest.mark.parametrize("path", sorted(VALID.glob("*.json*")), ids=lambda p: p.name)
def test_valid_corpus_round_trips_through_the_model(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    if "@graph" in document:
        assert canonical(Collection.from_dict(document).to_dict()) == canonical(collect([document]))
    else:
        from warphoto.model._base import entity_from_dict

        node = entity_from_dict(document)
        assert canonical(node.to_dict()) == canonical(document)
