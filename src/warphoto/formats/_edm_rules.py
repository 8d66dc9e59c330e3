"""Europeana's Schematron rules for EDM (external), as Python checks over an ``rdf:RDF`` tree.

Europeana Metis validates submitted EDM twice: against the XSD (``EDM.xsd``) and against
Schematron assertions embedded in those XSDs and compiled into ``schematron.xsl``
(europeana/metis-schema, ``src/main/resources/schema_xsds/``). That stylesheet needs XSLT 2.0,
so warphoto re-states each assertion here, one function per rule, each with a stable id.
The EDM writer runs every check on the document it built and refuses to return a document
that breaks one (:class:`~warphoto.errors.WriteError` naming the rule).

Rule ids and what they assert (context in brackets):

===================================  ==========================================================
``one-provided-cho``                 exactly one edm:ProvidedCHO per rdf:RDF
``one-aggregation``                  exactly one ore:Aggregation per rdf:RDF
``cho-subject-type-temporal-spatial`` [edm:ProvidedCHO] a non-empty dc:subject, dc:type,
                                     dcterms:temporal or dcterms:spatial
``cho-title-or-description``         [edm:ProvidedCHO] a non-empty dc:title or dc:description
``cho-language-for-text``            [edm:ProvidedCHO] dc:language when edm:type is TEXT
``aggregation-shown-at-or-by``       [ore:Aggregation] edm:isShownAt or edm:isShownBy with rdf:resource
``aggregation-data-provider``        [ore:Aggregation] a non-empty edm:dataProvider
``aggregation-provider``             [ore:Aggregation] a non-empty edm:provider
``aggregation-rights``               [ore:Aggregation] edm:rights with rdf:resource
``rights-statement``                 [edm:rights] one of the rights statements Europeana accepts
``no-empty-resource``                [*] no empty rdf:resource
``no-empty-about``                   [*] no empty rdf:about
``no-empty-lang``                    [*] no empty xml:lang
``no-resource-and-text``             [*] no element with both rdf:resource and text
``webresource-haspart-not-literal``  [edm:WebResource] dcterms:hasPart is not a literal
``digital-source-type``              [edm:WebResource] schema:digitalSourceType is one of the three
                                     IPTC digital source types Europeana allows (https:// form)
``intended-usage``                   [edm:WebResource] edm:intendedUsage is a
                                     http://data.europeana.eu/vocabulary/usageArea/ term
===================================  ==========================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from warphoto.formats._edm_names import ABOUT, DC, DCTERMS, EDM, ORE, RESOURCE, SCHEMA, XML_LANG

__all__ = [
    "ALLOWED_DIGITAL_SOURCE_TYPES",
    "RIGHTS_PATTERNS",
    "RULES",
    "Violation",
    "check",
    "is_valid_rights_statement",
]


#: the rights statements Europeana accepts (schematron.xsl, variable license_patterns)
RIGHTS_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"^http://creativecommons\.org/licenses/(by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd|by-nd-nc)/1\.0/((fi|il|nl)/)?$",
        r"^http://creativecommons\.org/licenses/(by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd)/2\.0/"
        r"((au|at|be|br|ca|cl|hr|uk|fr|de|it|jp|nl|pl|kr|es|tw)/)?$",
        r"^http://creativecommons\.org/licenses/(by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd)/2\.1/((au|es|jp)/)$",
        r"^http://creativecommons\.org/licenses/(by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd)/2\.5/"
        r"((ar|au|br|bg|ca|cn|co|hr|dk|hu|in|il|it|mk|my|mt|mx|nl|pe|pl|pt|scotland|si|za|es|se|ch|tw)/)?$",
        r"^http://creativecommons\.org/licenses/(by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd)/3\.0/"
        r"((au|at|br|cl|cn|cr|hr|cz|ec|eg|ee|fr|de|gr|gt|hk|igo|ie|it|lu|nl|nz|no|ph|pl|pt|pr|ro|rs|sg|za|es|ch|tw"
        r"|th|ug|us|ve|vn)/)?$",
        r"^http://creativecommons\.org/licenses/(by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd)/4\.0/$",
        r"^http://creativecommons\.org/publicdomain/(zero|mark)/1\.0/$",
        r"^http://rightsstatements\.org/vocab/(NoC-NC|NoC-OKLR|InC|InC-EDU|InC-OW-EU|CNE)/1\.0/$",
    )
)

#: schema:digitalSourceType values Europeana allows on an edm:WebResource
ALLOWED_DIGITAL_SOURCE_TYPES = frozenset(
    {
        "https://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
        "https://cv.iptc.org/newscodes/digitalsourcetype/dataDrivenMedia",
        "https://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation",
    }
)
USAGE_AREA = "http://data.europeana.eu/vocabulary/usageArea/"


def is_valid_rights_statement(iri: str) -> bool:
    """True when ``iri`` is a rights statement Europeana accepts for edm:rights."""
    return any(p.match(iri) for p in RIGHTS_PATTERNS)


@dataclass(frozen=True)
class Violation:
    """One broken rule: its id, what it asks for, and where (line and rdf:about when known)."""

    rule: str
    message: str
    node: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f" ({self.node})" if self.node else ""
        return f"Europeana rule {self.rule}{where}: {self.message}"


Check = Callable[[Any], Iterator[Violation]]


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _nonempty(elements: list[Any]) -> bool:
    return any(e.get(RESOURCE) is not None or "".join(e.itertext()).strip() for e in elements)


def _v(rule: str, message: str, element: Any) -> Violation:
    return Violation(rule, message, element.get(ABOUT), getattr(element, "sourceline", None))


def _one_cho(root: Any) -> Iterator[Violation]:
    count = len(root.findall(_q(EDM, "ProvidedCHO")))
    if count != 1:
        yield _v(
            "one-provided-cho",
            f"an rdf:RDF must hold exactly one edm:ProvidedCHO, this one has {count}",
            root,
        )


def _one_aggregation(root: Any) -> Iterator[Violation]:
    count = len(root.findall(_q(ORE, "Aggregation")))
    if count != 1:
        yield _v(
            "one-aggregation", f"an rdf:RDF must hold exactly one ore:Aggregation, this one has {count}", root
        )


def _cho_subject(root: Any) -> Iterator[Violation]:
    for cho in root.findall(_q(EDM, "ProvidedCHO")):
        found = [
            e
            for tag in (_q(DC, "subject"), _q(DC, "type"), _q(DCTERMS, "temporal"), _q(DCTERMS, "spatial"))
            for e in cho.findall(tag)
        ]
        if not _nonempty(found):
            yield _v(
                "cho-subject-type-temporal-spatial",
                "a ProvidedCHO must have a non-empty dc:subject, dc:type, "
                "dcterms:temporal or dcterms:spatial "
                "(give the photograph keywords, about, genre, recordedAt or contentLocation)",
                cho,
            )


def _cho_title(root: Any) -> Iterator[Violation]:
    for cho in root.findall(_q(EDM, "ProvidedCHO")):
        titles = [t for t in cho.findall(_q(DC, "title")) if "".join(t.itertext()).strip()]
        descriptions = cho.findall(_q(DC, "description"))
        if not titles and not _nonempty(descriptions):
            yield _v(
                "cho-title-or-description",
                "a ProvidedCHO must have a non-empty dc:title or dc:description "
                "(give the photograph a headline or a caption)",
                cho,
            )


def _cho_language(root: Any) -> Iterator[Violation]:
    for cho in root.findall(_q(EDM, "ProvidedCHO")):
        types = ["".join(t.itertext()).strip() for t in cho.findall(_q(EDM, "type"))]
        if "TEXT" in types and cho.find(_q(DC, "language")) is None:
            yield _v("cho-language-for-text", "dc:language is mandatory when edm:type is TEXT", cho)


def _shown(root: Any) -> Iterator[Violation]:
    for agg in root.findall(_q(ORE, "Aggregation")):
        links = agg.findall(_q(EDM, "isShownAt")) + agg.findall(_q(EDM, "isShownBy"))
        if not any(e.get(RESOURCE) is not None for e in links):
            yield _v(
                "aggregation-shown-at-or-by",
                "an ore:Aggregation must have edm:isShownAt or edm:isShownBy "
                "(give the photograph a url or a file with a contentUrl)",
                agg,
            )


def _party(rule: str, tag: str, label: str) -> Check:
    def check(root: Any) -> Iterator[Violation]:
        for agg in root.findall(_q(ORE, "Aggregation")):
            found = agg.findall(_q(EDM, tag))
            if not found:
                yield _v(rule, f"an ore:Aggregation must have an edm:{tag} (pass {label}=...)", agg)
            elif not _nonempty(found):
                yield _v(rule, f"an ore:Aggregation must have a non-empty edm:{tag} (pass {label}=...)", agg)

    return check


def _rights(root: Any) -> Iterator[Violation]:
    for agg in root.findall(_q(ORE, "Aggregation")):
        if not any(e.get(RESOURCE) for e in agg.findall(_q(EDM, "rights"))):
            yield _v(
                "aggregation-rights",
                "an ore:Aggregation must have edm:rights with rdf:resource "
                "(pass rights=... a rights statement URI)",
                agg,
            )


def _rights_statement(root: Any) -> Iterator[Violation]:
    for element in root.iter(_q(EDM, "rights")):
        value = element.get(RESOURCE)
        if value is not None and not is_valid_rights_statement(value):
            yield _v(
                "rights-statement",
                f"{value!r} is not a rights statement Europeana accepts: use a Creative Commons licence or "
                "public domain tool (http://creativecommons.org/...) or a rightsstatements.org statement "
                "(http://rightsstatements.org/vocab/InC/1.0/ and others)",
                element.getparent(),
            )


def _every(rule: str, test: Callable[[Any], bool], message: str) -> Check:
    def check(root: Any) -> Iterator[Violation]:
        for element in root.iter():
            if isinstance(element.tag, str) and not test(element):
                name = element.prefix + ":" + element.tag.split("}")[1] if element.prefix else element.tag
                yield Violation(rule, message.format(name=name), element.get(ABOUT), element.sourceline)

    return check


def _haspart(root: Any) -> Iterator[Violation]:
    for resource in root.findall(_q(EDM, "WebResource")):
        for part in resource.findall(_q(DCTERMS, "hasPart")):
            if (part.text or "").strip():
                yield _v(
                    "webresource-haspart-not-literal",
                    "dcterms:hasPart of an edm:WebResource must not be a literal",
                    resource,
                )


def _digital_source_type(root: Any) -> Iterator[Violation]:
    for resource in root.findall(_q(EDM, "WebResource")):
        for element in resource.findall(_q(SCHEMA, "digitalSourceType")):
            value = element.get(RESOURCE)
            if value not in ALLOWED_DIGITAL_SOURCE_TYPES:
                yield _v(
                    "digital-source-type",
                    f"schema:digitalSourceType {value!r} is not allowed; Europeana accepts only "
                    + ", ".join(sorted(ALLOWED_DIGITAL_SOURCE_TYPES)),
                    resource,
                )


def _intended_usage(root: Any) -> Iterator[Violation]:
    for resource in root.findall(_q(EDM, "WebResource")):
        for element in resource.findall(_q(EDM, "intendedUsage")):
            value = element.get(RESOURCE) or ""
            if not value.startswith(USAGE_AREA):
                yield _v(
                    "intended-usage", f"edm:intendedUsage {value!r} must be a {USAGE_AREA} term", resource
                )


#: every rule: id -> check
RULES: dict[str, Check] = {
    "one-provided-cho": _one_cho,
    "one-aggregation": _one_aggregation,
    "cho-subject-type-temporal-spatial": _cho_subject,
    "cho-title-or-description": _cho_title,
    "cho-language-for-text": _cho_language,
    "aggregation-shown-at-or-by": _shown,
    "aggregation-data-provider": _party("aggregation-data-provider", "dataProvider", "data_provider"),
    "aggregation-provider": _party("aggregation-provider", "provider", "provider"),
    "aggregation-rights": _rights,
    "rights-statement": _rights_statement,
    "no-empty-resource": _every(
        "no-empty-resource",
        lambda e: e.get(RESOURCE) != "",
        "empty rdf:resource attribute is not allowed for {name}",
    ),
    "no-empty-about": _every(
        "no-empty-about", lambda e: e.get(ABOUT) != "", "empty rdf:about attribute is not allowed for {name}"
    ),
    "no-empty-lang": _every(
        "no-empty-lang", lambda e: e.get(XML_LANG) != "", "empty xml:lang attribute is not allowed for {name}"
    ),
    "no-resource-and-text": _every(
        "no-resource-and-text",
        lambda e: not (e.get(RESOURCE) is not None and (e.text or "").strip()),
        "{name} must not have both an rdf:resource attribute and a text value",
    ),
    "webresource-haspart-not-literal": _haspart,
    "digital-source-type": _digital_source_type,
    "intended-usage": _intended_usage,
}


def check(root: Any) -> list[Violation]:
    """Every rule ``root`` (an ``rdf:RDF`` element) breaks, in rule order."""
    return [violation for rule in RULES.values() for violation in rule(root)]
