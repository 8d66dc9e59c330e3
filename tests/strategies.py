"""Hypothesis strategies that generate VALID warphoto records (they pass ``warphoto.validate``).

``photographs()`` draws one photograph record with every kind of entity embedded (or referred
to by absolute IRI); ``records()`` draws any kind of record (photograph, gallery, event, place,
person, organization, concept). Both cover partial dates of every precision, intervals,
language maps in en/uk/ru/de, Latin and Cyrillic text, and optional fields present or absent.

Values are chosen to survive every format: numbers have at most 4 decimals, text has no
control characters and no leading or trailing space. Pass ``extensions=True`` to add
extension keys (compact IRIs).
"""

from __future__ import annotations

from itertools import count
from typing import Any

from hypothesis import strategies as st

__all__ = [
    "AWKWARD_TEXT",
    "agents",
    "dates",
    "events",
    "galleries",
    "lang_maps",
    "persons",
    "photograph_lists",
    "photographs",
    "places",
    "records",
    "with_awkward_text",
    "without_blank_text",
]

CONTEXT = "https://w3id.org/warphoto/context.jsonld"
LANGS = ("en", "uk", "ru", "de")

_LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüß"
_CYRILLIC = "абвгдеєжзиіїйклмнопрстуфхцчшщьюяАБВГДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯёыэъ"
_PUNCT = " .,-'()«»—0123456789"

_WORD = st.text(alphabet=_LATIN + _CYRILLIC, min_size=1, max_size=10)


@st.composite
def texts(draw: st.DrawFn, max_words: int = 6) -> str:
    """Non-empty text of Latin and/or Cyrillic words and a little punctuation."""
    words = draw(st.lists(_WORD, min_size=1, max_size=max_words))
    sep = draw(st.sampled_from([" ", ", ", " — ", " ("]))
    text = sep.join(words)
    if draw(st.booleans()):
        text += draw(st.sampled_from([".", "!", " 2022", "»"]))
    return text.strip() or "x"


@st.composite
def lang_maps(draw: st.DrawFn, lists: bool = False) -> dict[str, Any]:
    langs = draw(st.lists(st.sampled_from(LANGS), min_size=1, max_size=4, unique=True))
    if lists:
        return {
            lang: draw(st.lists(texts(max_words=2), min_size=1, max_size=3, unique=True)) for lang in langs
        }
    return {lang: draw(texts()) for lang in langs}


# ------------------------------------------------------------------------------ dates

_YEARS = st.integers(min_value=1850, max_value=2030)


def _year(y: int) -> str:
    return f"{y:04d}"


@st.composite
def _single_date(
    draw: st.DrawFn, year: int | None = None, kinds: tuple[str, ...] = ("y", "ym", "d", "dt")
) -> tuple[str, str]:
    y = draw(_YEARS) if year is None else year
    kind = draw(st.sampled_from(kinds))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    if kind == "y":
        return _year(y), "xsd:gYear"
    if kind == "ym":
        return f"{_year(y)}-{month:02d}", "xsd:gYearMonth"
    if kind == "d":
        return f"{_year(y)}-{month:02d}-{day:02d}", "xsd:date"
    hour, minute, second = draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59))
    offset = draw(st.sampled_from(["Z", "+03:00", "+02:00", "-05:00", "+00:00"]))
    frac = draw(st.sampled_from(["", "", ".5", ".250"]))
    return (
        f"{_year(y)}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{frac}{offset}",
        "xsd:dateTime",
    )


@st.composite
def dates(draw: st.DrawFn, year: int | None = None, intervals: bool = True) -> dict[str, str]:
    """A partial date value object of any precision, or (sometimes) an EDTF interval."""
    if intervals and draw(st.integers(0, 5)) == 0:
        first = draw(_YEARS) if year is None else year
        last = first + draw(st.integers(0, 3))
        start = (
            ".."
            if draw(st.integers(0, 4)) == 0
            else draw(_single_date(year=first, kinds=("y", "ym", "d")))[0]
        )
        end = (
            ".."
            if start != ".." and draw(st.integers(0, 4)) == 0
            else draw(
                _single_date(
                    year=last if last > first else first, kinds=("y",) if last == first else ("y", "ym", "d")
                )
            )[0]
        )
        if start != ".." and end != ".." and last == first:
            end = start  # same year: a one-point interval can never be out of order
        return {"@value": f"{start}/{end}", "@type": "edtf:EDTF"}
    value, kind = draw(_single_date(year=year))
    return {"@value": value, "@type": kind}


# ------------------------------------------------------------------------------ ids


#: a per-record namespace, so that records drawn separately never share an id
_SALT = st.integers(0, 10**9)


class _Ids:
    """Unique ids inside one generated record (validation refuses an id described twice)."""

    def __init__(self, salt: int = 0) -> None:
        self._n = count()
        self._salt = f"r{salt}/" if salt else ""

    def iri(self, kind: str) -> str:
        return f"https://example.org/{self._salt}{kind}/{next(self._n)}"

    def node(self, draw: st.DrawFn, kind: str) -> str | None:
        choice = draw(st.integers(0, 3))
        if choice == 0:
            return None
        if choice == 1:
            return f"_:{kind}{self._salt[1:-1]}{next(self._n)}"
        if choice == 2:
            return f"_:{kind}-{self._salt[1:-1]}{next(self._n)}.x"
        return self.iri(kind)


def _maybe(draw: st.DrawFn, value_strategy: st.SearchStrategy[Any], p: int = 2) -> Any:
    """The drawn value, or None about 1 in ``p`` times."""
    return None if draw(st.integers(0, p - 1)) == 0 else draw(value_strategy)


def _put(node: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        node[key] = value


_SAMEAS = st.sampled_from(
    [
        "https://www.wikidata.org/wiki/Q160046",
        "https://sws.geonames.org/707688/",
        "http://www.wikidata.org/entity/Q1899",
        "https://uk.wikipedia.org/wiki/Ізюм",
    ]
)


def _id_node(draw: st.DrawFn, ids: _Ids, kind: str, type_: Any, required_id: bool = False) -> dict[str, Any]:
    node: dict[str, Any] = {}
    node_id = ids.iri(kind) if required_id else ids.node(draw, kind)
    if node_id is not None:
        node["@id"] = node_id
    node["@type"] = type_
    return node


# ------------------------------------------------------------------------------ entities


def _concept(draw: st.DrawFn, ids: _Ids) -> dict[str, Any]:
    node = _id_node(draw, ids, "concept", "Concept", required_id=True)
    _put(node, "prefLabel", _maybe(draw, lang_maps()))
    _put(node, "inScheme", _maybe(draw, st.just("http://cv.iptc.org/newscodes/scene/")))
    return node


def _organization(draw: st.DrawFn, ids: _Ids) -> dict[str, Any]:
    node = _id_node(draw, ids, "org", "Organization")
    node["name"] = draw(lang_maps())
    _put(node, "alternateName", _maybe(draw, lang_maps(lists=True), 3))
    _put(node, "description", _maybe(draw, lang_maps(), 3))
    _put(node, "sameAs", _maybe(draw, st.lists(_SAMEAS, min_size=1, max_size=2, unique=True), 3))
    _put(node, "url", _maybe(draw, st.just(ids.iri("site")), 3))
    return node


def _person(draw: st.DrawFn, ids: _Ids, affiliation: bool = True) -> dict[str, Any]:
    node = _id_node(draw, ids, "person", "Person")
    node["name"] = draw(lang_maps())
    _put(node, "alternateName", _maybe(draw, lang_maps(lists=True), 3))
    _put(node, "description", _maybe(draw, lang_maps(), 3))
    _put(node, "jobTitle", _maybe(draw, lang_maps(), 3))
    _put(node, "sameAs", _maybe(draw, st.lists(_SAMEAS, min_size=1, max_size=2, unique=True), 3))
    if affiliation and draw(st.integers(0, 2)) == 0:
        node["affiliation"] = [_organization(draw, ids) if draw(st.booleans()) else ids.iri("org")]
    return node


def _agent(draw: st.DrawFn, ids: _Ids) -> Any:
    choice = draw(st.integers(0, 4))
    if choice == 0:
        return ids.iri("agent")
    if choice == 1:
        return _organization(draw, ids)
    return _person(draw, ids)


_PLACE_LEVELS = ("Place", "City", "State", "Country")


def _place(draw: st.DrawFn, ids: _Ids, level: int | None = None) -> dict[str, Any]:
    if level is None:
        level = draw(st.integers(0, 3))
    type_ = (
        _PLACE_LEVELS[level]
        if draw(st.integers(0, 5))
        else draw(st.sampled_from(["AdministrativeArea", "Continent"]))
    )
    node = _id_node(draw, ids, "place", type_)
    node["name"] = draw(lang_maps())
    _put(node, "alternateName", _maybe(draw, lang_maps(lists=True), 3))
    _put(node, "description", _maybe(draw, lang_maps(), 4))
    if type_ == "Country":
        node["countryCode"] = draw(st.sampled_from(["UA", "PL", "DE", "GE", "MD"]))
    if draw(st.booleans()):
        geo: dict[str, Any] = {}
        if draw(st.booleans()):
            geo["@type"] = "GeoCoordinates"
        geo["latitude"] = draw(st.integers(-900000, 900000)) / 10000
        geo["longitude"] = draw(st.integers(-1800000, 1800000)) / 10000
        if draw(st.booleans()):
            geo["elevation"] = draw(
                st.one_of(st.integers(-400, 8000), st.integers(-4000, 80000).map(lambda v: v / 10))
            )
        node["geo"] = geo
    _put(node, "sameAs", _maybe(draw, st.lists(_SAMEAS, min_size=1, max_size=2, unique=True), 3))
    if level < 3 and draw(st.booleans()):
        node["containedInPlace"] = (
            _place(draw, ids, level + 1) if draw(st.integers(0, 2)) else ids.iri("place")
        )
    return node


def _event(draw: st.DrawFn, ids: _Ids, depth: int = 0) -> dict[str, Any]:
    node = _id_node(draw, ids, "event", "Event")
    node["name"] = draw(lang_maps())
    _put(node, "description", _maybe(draw, lang_maps(), 3))
    _put(node, "additionalType", _maybe(draw, st.just(["https://www.wikidata.org/wiki/Q178561"]), 3))
    if draw(st.booleans()):
        year = draw(_YEARS)
        node["startDate"] = draw(dates(year=year, intervals=False))
        if draw(st.booleans()):
            node["endDate"] = {"@value": _year(year + draw(st.integers(0, 2))), "@type": "xsd:gYear"}
    if draw(st.booleans()):
        node["location"] = _place(draw, ids) if draw(st.booleans()) else ids.iri("place")
    if depth == 0 and draw(st.integers(0, 3)) == 0:
        node["superEvent"] = ids.iri("event")
    if depth == 0 and draw(st.integers(0, 3)) == 0:
        node["subEvent"] = [_event(draw, ids, depth + 1)]
    _put(node, "sameAs", _maybe(draw, st.lists(_SAMEAS, min_size=1, max_size=1), 3))
    return node


def _mediafile(draw: st.DrawFn, ids: _Ids) -> dict[str, Any]:
    node = _id_node(draw, ids, "file", "ImageObject")
    node["contentUrl"] = ids.iri("files") + draw(st.sampled_from([".jpg", ".tif", "/Ізюм.jpg"]))
    _put(
        node,
        "encodingFormat",
        _maybe(draw, st.sampled_from(["image/jpeg", "image/tiff", "image/x-canon-cr2"])),
    )
    if draw(st.booleans()):
        node["width"] = draw(st.integers(1, 20000))
        node["height"] = draw(st.integers(1, 20000))
    _put(node, "contentSize", _maybe(draw, st.integers(0, 2**40)))
    _put(node, "sha256", _maybe(draw, st.binary(min_size=32, max_size=32).map(bytes.hex)))
    _put(node, "fileRole", _maybe(draw, st.sampled_from(["master", "derivative"])))
    return node


_PREMIS = st.sampled_from(
    [
        "http://id.loc.gov/vocabulary/preservation/eventType/cap",
        "http://id.loc.gov/vocabulary/preservation/eventType/tra",
        "http://id.loc.gov/vocabulary/preservation/eventType/ing",
        "http://id.loc.gov/vocabulary/preservation/eventType/fix",
    ]
)
_ROLES = st.sampled_from(
    [
        "http://id.loc.gov/vocabulary/relators/pht",
        "http://id.loc.gov/vocabulary/relators/pbl",
        "http://id.loc.gov/vocabulary/relators/cur",
    ]
)


def _activity(draw: st.DrawFn, ids: _Ids, year: int) -> dict[str, Any]:
    node = _id_node(draw, ids, "step", "Activity")
    _put(node, "additionalType", _maybe(draw, st.lists(_PREMIS, min_size=1, max_size=1)))
    # a full date-time is prov:startedAtTime; a year, month or day is schema:startDate
    start = draw(dates(year=year, intervals=False))
    node["startedAtTime" if start["@type"] == "xsd:dateTime" else "startDate"] = start
    if draw(st.integers(0, 2)) == 0:
        node["endDate"] = {"@value": _year(year + 1), "@type": "xsd:gYear"}
    if draw(st.booleans()):
        associations = []
        for _ in range(draw(st.integers(1, 2))):
            association: dict[str, Any] = {"agent": _agent(draw, ids)}
            if draw(st.booleans()):
                association["@type"] = "Association"
            _put(association, "hadRole", _maybe(draw, _ROLES))
            associations.append(association)
        node["qualifiedAssociation"] = associations
    if draw(st.integers(0, 2)) == 0:
        node["atLocation"] = _place(draw, ids) if draw(st.booleans()) else ids.iri("place")
    if draw(st.integers(0, 2)) == 0:
        node["used"] = [ids.iri("file")]
    if draw(st.integers(0, 2)) == 0:
        node["generated"] = [_mediafile(draw, ids)]
    _put(node, "description", _maybe(draw, lang_maps(), 3))
    return node


_CW = st.sampled_from(
    [
        "http://cv.iptc.org/newscodes/contentwarning/death",
        "http://cv.iptc.org/newscodes/contentwarning/suffering",
        "http://cv.iptc.org/newscodes/contentwarning/violence",
        "http://cv.iptc.org/newscodes/contentwarning/nudity",
    ]
)
_LICENSES = st.sampled_from(
    [
        "https://creativecommons.org/licenses/by/4.0/",
        "https://example.org/licensing/editorial",
        "http://rightsstatements.org/vocab/InC/1.0/",
    ]
)


def _texts_or_one(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    """IPTC arrays: several values, or (as packets in the wild hold them) one value alone."""
    if draw(st.integers(0, 3)) == 0:
        return draw(strategy)
    return draw(st.lists(strategy, min_size=1, max_size=3, unique=True))  # RDF keeps no duplicates


@st.composite
def iptc_structures(draw: st.DrawFn) -> dict[str, Any]:
    """IPTC properties without a schema.org shape (vocab/crosswalk/iptc.csv), a few at a time."""
    out: dict[str, Any] = {}
    _put(out, "editor", _maybe(draw, texts(max_words=3)))
    _put(out, "jobId", _maybe(draw, st.from_regex(r"\A[A-Z]{2,4}-[0-9]{1,5}\Z")))
    _put(out, "source", _maybe(draw, texts(max_words=2), 3))
    _put(out, "legacyCity", _maybe(draw, texts(max_words=2), 3))
    _put(out, "extDescrAccessibility", _maybe(draw, lang_maps(), 3))
    _put(out, "otherConstraints", _maybe(draw, lang_maps(), 3))
    _put(out, "contentRating", _maybe(draw, st.sampled_from([-1, 0, 1, 2.5, 5]), 3))
    _put(out, "maxAvailWidth", _maybe(draw, st.integers(1, 100_000), 3))
    _put(out, "modelAge", _maybe(draw, st.lists(st.integers(0, 120), min_size=1, max_size=3, unique=True), 3))
    _put(
        out,
        "organisationInImageName",
        _maybe(
            draw,
            st.lists(texts(max_words=2), min_size=1, max_size=2, unique=True),
            3,
        ),
    )
    if draw(st.integers(0, 3)) == 0:
        out["creatorContactInfo"] = {"ciAdrCity": draw(texts(max_words=2)), "ciEmailWork": "desk@example.org"}
    if draw(st.integers(0, 3)) == 0:
        artwork: dict[str, Any] = {"aoTitle": draw(lang_maps())}
        _put(
            artwork,
            "aoCreator",
            _maybe(draw, st.lists(texts(max_words=2), min_size=1, max_size=3, unique=True)),
        )
        _put(artwork, "aoDateCreated", _maybe(draw, st.sampled_from(["1503", "1937-06-04"])))
        out["artworkOrObject"] = [artwork]
    if draw(st.integers(0, 3)) == 0:
        point = st.builds(lambda x, y: {"rbX": x, "rbY": y}, st.integers(0, 100), st.integers(0, 100))
        boundary: dict[str, Any] = {"rbShape": "polygon", "rbUnit": "pixel"}
        boundary["rbVertices"] = draw(st.lists(point, min_size=3, max_size=4))
        region: dict[str, Any] = {"regionBoundary": boundary, "rId": draw(st.from_regex(r"\Ar[0-9]{1,3}\Z"))}
        if draw(st.booleans()):
            region["rCtype"] = [
                {
                    "entityId": _texts_or_one(
                        draw, st.just("http://cv.iptc.org/newscodes/imageregiontype/human")
                    )
                }
            ]
        out["imageRegion"] = [region]
    if draw(st.integers(0, 3)) == 0:
        out["licensor"] = [
            {"licensorName": draw(texts(max_words=2)), "licensorUrl": "https://example.org/lic"}
        ]
        # IPTC maps the first licensor's URL to acquireLicensePage: a record gives both or neither
        out["acquireLicensePage"] = "https://example.org/lic"
    if draw(st.integers(0, 4)) == 0:
        out["productShown"] = {"productName": draw(lang_maps()), "productGtin": "4006381333931"}
    return out


def _extensions(draw: st.DrawFn, node: dict[str, Any]) -> None:
    if draw(st.integers(0, 2)) == 0:
        node["dcterms:rights"] = draw(texts())
    if draw(st.integers(0, 3)) == 0:
        node["wp:note"] = {"@value": draw(texts()), "@language": draw(st.sampled_from(LANGS))}


@st.composite
def photographs(
    draw: st.DrawFn, extensions: bool = False, context: bool = True, salt: int | None = None
) -> dict[str, Any]:
    """One valid photograph record with its related entities embedded.

    ``salt`` puts every id under its own namespace (records drawn with different salts never
    share an id); by default it is drawn.
    """
    ids = _Ids(draw(_SALT) if salt is None else salt)
    record: dict[str, Any] = {}
    if context:
        record["@context"] = CONTEXT
    record["@id"] = ids.iri("photo")
    record["@type"] = draw(st.sampled_from([["ImageObject", "Photograph"], ["Photograph", "ImageObject"]]))
    _put(record, "identifier", _maybe(draw, st.from_regex(r"\A[A-Z]{2,4}-[0-9]{3,8}\Z")))
    _put(record, "headline", _maybe(draw, lang_maps()))
    _put(record, "title", _maybe(draw, lang_maps(), 3))
    _put(record, "caption", _maybe(draw, lang_maps()))
    _put(record, "altText", _maybe(draw, lang_maps(), 3))
    _put(record, "keywords", _maybe(draw, lang_maps(lists=True)))
    if draw(st.booleans()):
        record["about"] = [_concept(draw, ids) if draw(st.booleans()) else ids.iri("concept")]
    if draw(st.integers(0, 2)) == 0:
        record["genre"] = [_concept(draw, ids)]
    year = draw(_YEARS)
    created = draw(st.integers(0, 4))
    if created:
        record["dateCreated"] = draw(dates(year=year))
    if draw(st.integers(0, 3)):
        record["creator"] = [_agent(draw, ids) for _ in range(draw(st.integers(1, 2)))]
    _put(record, "creditText", _maybe(draw, texts(max_words=3)))
    _put(record, "copyrightNotice", _maybe(draw, lang_maps()))
    if draw(st.integers(0, 2)) == 0:
        record["copyrightHolder"] = [_agent(draw, ids)]
    _put(record, "license", _maybe(draw, _LICENSES))
    _put(record, "acquireLicensePage", _maybe(draw, st.just("https://example.org/licensing"), 3))
    _put(record, "usageTerms", _maybe(draw, lang_maps(), 3))
    _put(record, "instructions", _maybe(draw, texts(), 3))
    _put(record, "contentWarning", _maybe(draw, st.lists(_CW, min_size=1, max_size=3, unique=True), 3))
    if draw(st.booleans()):
        record["contentLocation"] = [_place(draw, ids) for _ in range(draw(st.integers(1, 2)))]
    if draw(st.integers(0, 2)) == 0:
        record["locationCreated"] = _place(draw, ids) if draw(st.booleans()) else ids.iri("place")
    if draw(st.booleans()):
        shown = []
        for _ in range(draw(st.integers(1, 2))):
            item: dict[str, Any] = {
                "person": _person(draw, ids, affiliation=False)
                if draw(st.integers(0, 3))
                else ids.iri("person")
            }
            if draw(st.integers(0, 2)) == 0:
                item["@type"] = "PersonShown"
            _put(item, "description", _maybe(draw, lang_maps()))
            _put(item, "age", _maybe(draw, st.integers(0, 150)))
            shown.append(item)
        record["personShown"] = shown
    if draw(st.booleans()):
        record["recordedAt"] = [_event(draw, ids) if draw(st.integers(0, 2)) else ids.iri("event")]
    _put(
        record,
        "digitalSourceType",
        _maybe(draw, st.just("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture")),
    )
    if draw(st.booleans()):
        record["isPartOf"] = ids.iri("gallery")
        record["position"] = draw(st.integers(1, 500))
    if draw(st.booleans()):
        record["associatedMedia"] = [_mediafile(draw, ids) for _ in range(draw(st.integers(1, 2)))]
    if draw(st.integers(0, 2)) == 0:
        record["provenance"] = [_activity(draw, ids, year + i) for i in range(draw(st.integers(1, 3)))]
    _put(record, "url", _maybe(draw, st.just(ids.iri("page")), 3))
    if draw(st.integers(0, 2)) == 0:
        record.update(draw(iptc_structures()))
    if extensions:
        _extensions(draw, record)
    return record


@st.composite
def galleries(draw: st.DrawFn, extensions: bool = False) -> dict[str, Any]:
    ids = _Ids(draw(_SALT))
    record: dict[str, Any] = {"@context": CONTEXT, "@id": ids.iri("gallery"), "@type": "ImageGallery"}
    _put(record, "headline", _maybe(draw, lang_maps(), 5))
    _put(record, "description", _maybe(draw, lang_maps()))
    if draw(st.booleans()):
        record["author"] = [_agent(draw, ids)]
    if draw(st.booleans()):
        record["publisher"] = _organization(draw, ids) if draw(st.booleans()) else ids.iri("org")
    _put(record, "datePublished", _maybe(draw, dates(intervals=False)))
    _put(record, "inLanguage", _maybe(draw, st.sampled_from(LANGS)))
    _put(record, "contentWarning", _maybe(draw, st.lists(_CW, min_size=1, max_size=2, unique=True), 3))
    if draw(st.booleans()):
        record["hasPart"] = [ids.iri("photo") for _ in range(draw(st.integers(1, 4)))]
    _put(record, "url", _maybe(draw, st.just(ids.iri("page"))))
    if extensions:
        _extensions(draw, record)
    return record


def _standalone(builder: Any) -> Any:
    @st.composite
    def strategy(draw: st.DrawFn) -> dict[str, Any]:
        ids = _Ids(draw(_SALT))
        node = builder(draw, ids)
        if "@id" not in node:
            node["@id"] = ids.iri("entity")
        return {"@context": CONTEXT, **node}

    return strategy()


def events() -> st.SearchStrategy[dict[str, Any]]:
    return _standalone(_event)  # type: ignore[no-any-return]


def places() -> st.SearchStrategy[dict[str, Any]]:
    return _standalone(_place)  # type: ignore[no-any-return]


def persons() -> st.SearchStrategy[dict[str, Any]]:
    return _standalone(_person)  # type: ignore[no-any-return]


def agents() -> st.SearchStrategy[dict[str, Any]]:
    return _standalone(_organization)  # type: ignore[no-any-return]


def concepts() -> st.SearchStrategy[dict[str, Any]]:
    return _standalone(_concept)  # type: ignore[no-any-return]


@st.composite
def photograph_lists(draw: st.DrawFn, min_size: int = 1, max_size: int = 5) -> list[dict[str, Any]]:
    """Several photographs whose ids never collide (a valid collection when put in one @graph)."""
    size = draw(st.integers(min_size, max_size))
    return [draw(photographs(salt=index + 1)) for index in range(size)]


def records(extensions: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Any valid record: mostly photographs, also galleries and standalone entities."""
    return st.one_of(
        photographs(extensions=extensions),
        photographs(extensions=extensions),
        galleries(extensions=extensions),
        events(),
        places(),
        persons(),
        agents(),
        concepts(),
    )


#: text the writers must escape (or may pass through) in one syntax or another: quotes,
#: backslash, line ends and tab, markup, a line separator, DEL, astral and combining characters
AWKWARD_TEXT = st.text(alphabet="ab \"\\\n\r\t<>&']]\u2028\x7f\x85😀e\u0301Ї", min_size=1, max_size=12)


_AWKWARD_LANG_MAPS = ("name", "caption", "headline", "description", "alternateName")
_AWKWARD_STRINGS = ("creditText", "identifier")


def with_awkward_text(value: Any, draw: Any) -> Any:
    """``value`` (a valid record) with every language-map text and plain string field drawn from
    :data:`AWKWARD_TEXT`; ``draw`` is a ``st.data()`` draw. The generated records' own text never
    needs escaping: this puts quotes, backslashes, line ends and markup in."""
    if isinstance(value, list):
        return [with_awkward_text(item, draw) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in _AWKWARD_LANG_MAPS and isinstance(item, dict):
            out[key] = {
                lang: draw(st.lists(AWKWARD_TEXT, min_size=len(text), max_size=len(text), unique=True))
                if isinstance(text, list)
                else draw(AWKWARD_TEXT)
                for lang, text in item.items()
            }
        elif key in _AWKWARD_STRINGS and isinstance(item, str):
            out[key] = draw(AWKWARD_TEXT)
        else:
            out[key] = with_awkward_text(item, draw)
    return out


def without_blank_text(value: Any, *, strip: bool, strings: bool = True) -> Any:
    """What a format that drops text made only of whitespace (and, with ``strip``, trims the
    whitespace around text) makes of the fields :func:`with_awkward_text` fills: language maps,
    and with ``strings`` the plain string fields too."""

    def text(item: str) -> str:
        return item.strip() if strip else item

    if isinstance(value, list):
        return [without_blank_text(item, strip=strip, strings=strings) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in _AWKWARD_LANG_MAPS and isinstance(item, dict):
            kept: dict[str, Any] = {}
            for lang, texts in item.items():
                if isinstance(texts, list):
                    texts = [text(t) for t in texts if t.strip()]
                    if texts:
                        kept[lang] = texts
                elif texts.strip():
                    kept[lang] = text(texts)
            if kept:
                out[key] = kept
        elif strings and key in _AWKWARD_STRINGS and isinstance(item, str):
            if item.strip():
                out[key] = text(item)
        else:
            out[key] = without_blank_text(item, strip=strip, strings=strings)
    return out
