"""NewsML-G2 names shared by the writer (``newsml``) and the reader (``_newsml_reader``).

Namespaces, the scheme aliases of the catalog, and the concept types of places and entities.
"""

from __future__ import annotations

NS = "http://iptc.org/std/nar/2006-10-01/"
XS = "http://www.w3.org/2001/XMLSchema"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_N = "{" + NS + "}"
WPX = "https://w3id.org/warphoto/newsml/"
ANON = "_:wp-anon-"

#: scheme alias -> scheme URI for every alias this module writes (declared in each item's catalog)
SCHEMES: dict[str, str] = {
    "ninat": "http://cv.iptc.org/newscodes/ninature/",
    "cinat": "http://cv.iptc.org/newscodes/cinature/",
    "stat": "http://cv.iptc.org/newscodes/pubstatusg2/",
    "cpnat": "http://cv.iptc.org/newscodes/cpnature/",
    "cpnatexp": "http://cv.iptc.org/newscodes/cpnatureexperimental/",
    "cwarn": "http://cv.iptc.org/newscodes/contentwarning/",
    "drol": "http://cv.iptc.org/newscodes/descriptionrole/",
    "nrol": "http://cv.iptc.org/newscodes/namerole/",
    "crol": "http://cv.iptc.org/newscodes/creatorrole/",
    "medtop": "http://cv.iptc.org/newscodes/mediatopic/",
    "subj": "http://cv.iptc.org/newscodes/subjectcode/",
    "genre": "http://cv.iptc.org/newscodes/genre/",
    "scn": "http://cv.iptc.org/newscodes/scene/",
    "digsrctype": "http://cv.iptc.org/newscodes/digitalsourcetype/",
    "hashtype": "http://cv.iptc.org/newscodes/hashtype/",
    "iso3166-1a2": "http://cvx.iptc.org/iso3166-1a2/",
    "wpx": WPX,
    "wpbn": WPX + "blank/",
}
#: IRIs under these schemes are written as QCodes (others as uri=)
QCODE_SCHEMES = ("cwarn", "medtop", "subj", "genre", "scn", "digsrctype")

#: aliases of the IPTC catalog the reader knows even when an item only has a catalogRef
KNOWN_ALIASES: dict[str, str] = {
    **SCHEMES,
    "iso3166-1a3": "http://cvx.iptc.org/iso3166-1a3/",
    "nprov": "http://cv.iptc.org/newscodes/newsprovider/",
    "rnd": "http://cv.iptc.org/newscodes/rendition/",
    "ctrol": "http://cv.iptc.org/newscodes/contributorrole/",
    "wikidata": "http://www.wikidata.org/entity/",
    "geonames": "http://sws.geonames.org/",
}

PLACE_LEVELS = {
    "Place": "cpnatexp:geoAreaSublocation",
    "City": "cpnatexp:geoAreaCity",
    "State": "cpnatexp:geoAreaProvState",
    "Country": "cpnatexp:geoAreaCountry",
    "Continent": "cpnatexp:geoAreaWorldRegion",
    "AdministrativeArea": "cpnat:geoArea",
}
LEVEL_TYPES = {v: k for k, v in PLACE_LEVELS.items()}
ENTITY_TYPES = {
    "Person": "cpnat:person",
    "Organization": "cpnat:organisation",
    "Event": "cpnat:event",
    "Concept": "cpnat:abstract",
}
TYPE_ENTITIES = {v: k for k, v in ENTITY_TYPES.items()}
SHA256 = "hashtype:SHA-256"
MEDIA_TYPE = "application/vnd.iptc.g2.newsitem+xml"

#: the generator name of the items warphoto writes (its reader keeps their text exactly)
GENERATOR = "warphoto"
