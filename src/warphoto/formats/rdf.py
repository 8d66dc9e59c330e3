"""RDF formats: N-Triples, Turtle and RDF/XML (writers and readers), and ``to_graph``.

Writers emit triples straight from the record dict (:mod:`warphoto.formats._triples`,
``_rdf_text`` and ``_rdf_blocks``); the graphs are isomorphic to what pyld and rdflib make
of the same record's compact JSON-LD.
Readers parse with rdflib (XML through the hardened parser first) and frame the graph back
into a record or a collection (:func:`graph_to_document`); they and ``to_graph`` live in
:mod:`warphoto.formats._rdf_graph`, loaded on first use, so writing RDF does not load rdflib.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from warphoto.errors import ReadError
from warphoto.formats import Format, register
from warphoto.formats._rdf_blocks import RdfXmlWriter, TurtleWriter
from warphoto.formats._rdf_text import NTriplesWriter
from warphoto.formats._triples import Triple, TripleEmitter
from warphoto.formats.jsonld import FRAMING_OPTIONS

if TYPE_CHECKING:
    from warphoto.formats._rdf_graph import graph_to_document, parse_graph, to_graph

__all__ = [
    "document_triples",
    "graph_to_document",
    "iter_ntriples",
    "parse_graph",
    "to_graph",
    "to_ntriples",
    "to_rdfxml",
    "to_turtle",
]

Document = dict[str, Any]


def document_triples(document: Mapping[str, Any]) -> list[Triple]:
    """Every triple of a record or collection, in our internal tuple form."""
    return TripleEmitter().document(document, [])


# ------------------------------------------------------------------------------ writers
#
# Text straight from the record (warphoto.formats._triples): no triples in between.


def iter_ntriples(records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """N-Triples lines for records one at a time (one document: blank node labels are shared)."""
    writer = NTriplesWriter()
    for record in records:
        yield writer.write(record)


def to_ntriples(document: Mapping[str, Any], **_options: Any) -> str:
    return NTriplesWriter().write(document)


def to_turtle(document: Mapping[str, Any], **_options: Any) -> str:
    return TurtleWriter.header() + TurtleWriter().write(document)


def to_rdfxml(document: Mapping[str, Any], **_options: Any) -> str:
    return RdfXmlWriter.header() + RdfXmlWriter().write(document) + RdfXmlWriter.FOOTER


def iter_rdfxml(records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """RDF/XML for records one at a time: the header, one block per record, the footer.

    One document: blank node labels are shared across records, as in :func:`iter_ntriples`.
    """
    yield RdfXmlWriter.header()
    writer = RdfXmlWriter()
    for record in records:
        yield writer.write(record)
    yield RdfXmlWriter.FOOTER


_GRAPH_NAMES = ("graph_to_document", "parse_graph", "to_graph")


def __dir__() -> list[str]:
    return sorted({*globals(), *_GRAPH_NAMES})


def __getattr__(name: str) -> Any:
    """``to_graph``, ``parse_graph`` and ``graph_to_document``, from the module that loads rdflib."""
    if name in _GRAPH_NAMES:
        from warphoto.formats import _rdf_graph

        return getattr(_rdf_graph, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ------------------------------------------------------------------------------ registry


def _loader(name: str) -> Callable[..., Document]:
    def loads(
        data: str | bytes,
        *,
        source: str | None = None,
        as_collection: bool | None = None,
        embed: str = "first",
        **_options: Any,
    ) -> Document:
        from warphoto.formats._rdf_graph import graph_to_document, parse_graph

        try:
            return graph_to_document(
                parse_graph(data, name, source=source), as_collection=as_collection, embed=embed
            )
        except RecursionError:
            raise ReadError("the graph nests too deeply to frame into a record", source=source) from None

    loads.__name__ = f"loads_{name}"
    return loads


_CANNOT = ("the order of arrays (JSON-LD @set: carries no meaning)",)

# the three RDF syntaxes differ only in these: each is read with rdflib and framed into records
for _name, _title, _extensions, _media_type, _dumps, _aliases, _notes in (
    (
        "ntriples",
        "N-Triples",
        (".nt",),
        "application/n-triples",
        to_ntriples,
        ("nt", "n-triples"),
        "one triple a line; streams in constant memory (warphoto.streaming.write_stream)",
    ),
    ("turtle", "Turtle", (".ttl",), "text/turtle", to_turtle, ("ttl",), ""),
    (
        "rdfxml",
        "RDF/XML",
        (".rdf", ".owl"),
        "application/rdf+xml",
        to_rdfxml,
        ("rdf", "xml", "rdf/xml"),
        "read through the hardened XML parser: no entities, no DTDs",
    ),
):
    register(
        Format(
            name=_name,
            title=_title,
            extensions=_extensions,
            media_type=_media_type,
            dumps=_dumps,
            loads=_loader(_name),
            aliases=_aliases,
            read_options=FRAMING_OPTIONS,
            notes=_notes,
        )
    )
del _name, _title, _extensions, _media_type, _dumps, _aliases, _notes
