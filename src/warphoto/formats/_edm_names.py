"""EDM names shared by the writer (``edm``), the reader (``_edm_reader``) and the rules (``_edm_rules``).

The namespaces of EDM external and the contextual classes, and how a blank node's label
becomes an IRI (EDM's ``rdf:about`` and ``rdf:resource`` must be IRIs) and back.
"""

from __future__ import annotations

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
EDM = "http://www.europeana.eu/schemas/edm/"
ORE = "http://www.openarchives.org/ore/terms/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
FOAF = "http://xmlns.com/foaf/0.1/"
RDAGR2 = "http://rdvocab.info/ElementsGr2/"
EBUCORE = "http://www.ebu.ch/metadata/ontologies/ebucore/ebucore#"
SCHEMA = "https://schema.org/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {
    "rdf": RDF,
    "edm": EDM,
    "ore": ORE,
    "dc": DC,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "owl": OWL,
    "wgs84_pos": WGS84,
    "foaf": FOAF,
    "rdaGr2": RDAGR2,
    "ebucore": EBUCORE,
    "schema": SCHEMA,
}
ABOUT = f"{{{RDF}}}about"
DATATYPE = f"{{{RDF}}}datatype"
XSD = "http://www.w3.org/2001/XMLSchema#"
RESOURCE = f"{{{RDF}}}resource"
CWARN = "http://cv.iptc.org/newscodes/contentwarning/"
DST_HTTP = "http://cv.iptc.org/newscodes/digitalsourcetype/"
DST_HTTPS = "https://cv.iptc.org/newscodes/digitalsourcetype/"
ANON = "_:wp-anon-"
#: blank node labels become IRIs under this prefix (EDM's rdf:about and rdf:resource must be IRIs)
BLANK = "urn:x-warphoto:blank:"


def blank_iri(ident: str) -> str:
    return BLANK + ident[2:] if ident.startswith("_:") else ident


def unblank(iri: str) -> str:
    return "_:" + iri[len(BLANK) :] if iri.startswith(BLANK) else iri


MAX_ARCHIVE_MEMBERS = 100_000


def qname(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"
