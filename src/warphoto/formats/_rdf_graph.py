"""RDF graphs through rdflib: a record as an rdflib Graph (``to_graph``), and the readers of
N-Triples, Turtle and RDF/XML, which parse with rdflib (XML through the hardened parser first)
and frame the graph back into a record or a collection (:func:`graph_to_document`).

Its own module so that writing RDF, which never needs rdflib, does not load it.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import rdflib
from rdflib import BNode, Graph, Literal, URIRef

from warphoto import _resources
from warphoto._xml import parse_xml
from warphoto.errors import ReadError
from warphoto.formats._terms import (
    ID,
    LANG,
    RDF_TYPE,
    TYPED,
    XSD_BOOLEAN,
    XSD_DOUBLE,
    XSD_INTEGER,
    XSD_STRING,
    Term,
    decode_bnode_label,
    terms,
)
from warphoto.formats._triples import BNODE, IRI, LANG_LITERAL, Triple, TripleEmitter

Document = dict[str, Any]


# ------------------------------------------------------------------------------ rdflib graph


def _rdflib_triples(triples: Iterable[Triple]) -> Iterator[tuple[Any, Any, Any]]:
    nodes: dict[str, Any] = {}

    def node(value: str) -> Any:
        n = nodes.get(value)
        if n is None:
            n = nodes[value] = BNode(value[2:]) if value.startswith("_:") else URIRef(value)
        return n

    for s, p, o, kind, extra in triples:
        if kind == IRI:
            obj: Any = node(o)
        elif kind == BNODE:
            obj = node("_:" + o)
        elif kind == LANG_LITERAL:
            obj = Literal(o, lang=extra)
        elif extra == XSD_STRING:
            obj = Literal(o)
        else:
            obj = Literal(o, datatype=URIRef(extra or XSD_STRING))
        yield node(s), node(p), obj


def to_graph(obj: Any) -> Graph:
    """An rdflib Graph of a record, a collection, or an iterable of records."""
    from warphoto.io import as_document

    graph = Graph()
    for prefix, ns in terms().prefixes.items():
        graph.bind(prefix, ns)
    for triple in _rdflib_triples(TripleEmitter().document(as_document(obj), [])):
        graph.add(triple)
    return graph


# ------------------------------------------------------------------------------ parsing


class _KeepLabels(dict[str, Any]):
    """An N-Triples blank node context that keeps the document's labels."""

    def get(self, key: str, default: Any = None) -> Any:
        return key


def _turtle_parser() -> Any:
    from rdflib.plugins.parsers import notation3

    class _Sink(notation3.SinkParser):
        def anonymousNode(self, ln: str) -> BNode:
            return BNode(ln)

    return _Sink, notation3.RDFSink


def _line_col(message: str) -> tuple[int | None, int | None]:
    match = re.search(r"line (\d+)", message)
    if match:
        return int(match.group(1)), None
    match = re.search(r":(\d+):(\d+):", message)
    if match:
        return int(match.group(1)), int(match.group(2))
    return None, None


def _decode(data: str | bytes, source: str | None) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ReadError(
            f"not UTF-8 text: {error.reason}", source=source, line=line, offset=error.start
        ) from None


def _parse_ntriples(text: str, graph: Graph, source: str | None) -> None:
    try:
        graph.parse(data=text, format="nt", bnode_context=_KeepLabels())
    except Exception as error:
        line = None
        for number, single in enumerate(text.splitlines(), 1):
            if not single.strip() or single.lstrip().startswith("#"):
                continue
            try:
                Graph().parse(data=single + "\n", format="nt")
            except Exception:
                line = number
                break
        message = (str(error).splitlines() or [type(error).__name__])[0]
        raise ReadError(f"malformed N-Triples: {message}", source=source, line=line) from None


def _parse_turtle(text: str, graph: Graph, source: str | None) -> None:
    sink_cls, rdf_sink = _turtle_parser()
    try:
        base = source if source and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source) else ""
        parser = sink_cls(rdf_sink(graph), baseURI=base, turtle=True)
        parser.loadBuf(text)
    except RecursionError:  # its message says where Python was, which varies: one message
        raise ReadError(
            "malformed Turtle: it nests too deeply to read (maximum recursion depth exceeded)", source=source
        ) from None
    except Exception as error:
        lines = getattr(error, "lines", None)
        line = lines + 1 if isinstance(lines, int) else _line_col(str(error))[0]
        why = getattr(error, "_why", None) or (str(error).splitlines() or [type(error).__name__])[0]
        raise ReadError(f"malformed Turtle: {why}", source=source, line=line) from None


def _parse_rdfxml(data: str | bytes, graph: Graph, source: str | None) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    parse_xml(raw, source=source)  # refuses entities and external DTDs; malformed XML gives its line
    try:
        graph.parse(
            data=raw, format="xml", preserve_bnode_ids=True, publicID=source or "urn:x-warphoto:input"
        )
    except Exception as error:
        message = str(error)
        line, column = _line_col(message)
        message = re.sub(
            r"^.*?:\d+:\d+:\s*", "", message.splitlines()[0] if message else type(error).__name__
        )
        raise ReadError(f"not valid RDF/XML: {message}", source=source, line=line, column=column) from None


_NORMALIZE_LOCK = threading.Lock()


@contextlib.contextmanager
def _literals_as_written() -> Iterator[None]:
    """rdflib rewrites literals into its canonical form (``...T12:00:00.5Z`` becomes
    ``...T12:00:00.500000+00:00``); dates must keep the form they were written in."""
    with _NORMALIZE_LOCK:
        saved = rdflib.NORMALIZE_LITERALS
        rdflib.NORMALIZE_LITERALS = False
        try:
            yield
        finally:
            rdflib.NORMALIZE_LITERALS = saved


def parse_graph(data: str | bytes, format: str, *, source: str | None = None) -> Graph:
    """An rdflib Graph from RDF/XML ("rdfxml"), Turtle ("turtle") or N-Triples ("ntriples").

    Literals keep their lexical form exactly as written; blank node labels are kept.
    """
    graph = Graph()
    with _literals_as_written():
        if format == "rdfxml":
            _parse_rdfxml(data, graph, source)
        elif format == "turtle":
            _parse_turtle(_decode(data, source), graph, source)
        elif format == "ntriples":
            _parse_ntriples(_decode(data, source), graph, source)
        else:  # pragma: no cover - internal misuse
            raise ValueError(format)
    return graph


# ------------------------------------------------------------------------------ framing

_DATE_TYPES = {
    "http://www.w3.org/2001/XMLSchema#gYear",
    "http://www.w3.org/2001/XMLSchema#gYearMonth",
    "http://www.w3.org/2001/XMLSchema#date",
    "http://www.w3.org/2001/XMLSchema#dateTime",
    "http://id.loc.gov/datatypes/edtf/EDTF",
}
_PHOTOGRAPH = "https://schema.org/Photograph"
_RDF_TYPE = URIRef(RDF_TYPE)


def _literal_value(lit: Literal, term: Term | None) -> Any:
    text = str(lit)
    if lit.language:
        if term is not None and term.kind == LANG:
            return text
        return {"@value": text, "@language": lit.language}
    datatype = str(lit.datatype) if lit.datatype else XSD_STRING
    if term is not None and term.kind == TYPED and datatype == term.datatype:
        if datatype == XSD_INTEGER:
            try:
                return int(text)
            except ValueError:
                return {"@value": text, "@type": terms().compact(datatype)}
        if datatype.endswith("#hexBinary"):
            return text.lower()
        return text
    if datatype == XSD_STRING:
        return text
    if datatype == XSD_INTEGER:
        try:
            return int(text)
        except ValueError:
            pass
    elif datatype == XSD_DOUBLE:
        try:
            return float(text)
        except ValueError:
            pass
    elif datatype == XSD_BOOLEAN and text in ("true", "false"):
        return text == "true"
    return {"@value": text, "@type": terms().compact(datatype)}


_TIME_KEYS = ("startedAtTime", "endedAtTime", "startDate", "endDate", "dateCreated")


def _time_key(node: Mapping[str, Any]) -> tuple[int, str]:
    from warphoto.dates import date_bounds

    for key in _TIME_KEYS:
        value = node.get(key)
        if isinstance(value, dict) and isinstance(value.get("@value"), str):
            try:
                lower, _upper = date_bounds(value["@value"])
            except (ValueError, TypeError):
                continue
            if lower is not None:
                return 0, lower.isoformat()
    return 1, ""


class _Framer:
    def __init__(self, graph: Graph, as_collection: bool | None, embed: str = "first") -> None:
        if embed not in ("first", "everywhere"):
            raise ValueError(f"embed must be 'first' or 'everywhere', not {embed!r}")
        self.everywhere = embed == "everywhere"
        self.table = terms()
        self.props: dict[Any, list[tuple[Any, Any]]] = {}
        self.types: dict[Any, list[str]] = {}
        for s, p, o in graph:
            if p == _RDF_TYPE and not isinstance(o, Literal):
                self.types.setdefault(s, []).append(str(o))
                self.props.setdefault(s, [])
            else:
                self.props.setdefault(s, []).append((p, o))
        self.incoming: dict[Any, list[tuple[Any, str]]] = {}
        for s, pairs in self.props.items():
            for p, o in pairs:
                if o in self.props and not isinstance(o, Literal):
                    self.incoming.setdefault(o, []).append((s, self.key(p)))
        self.ids: dict[Any, str | None] = {}
        used: set[str] = set()
        for node in self._all_nodes():
            if isinstance(node, BNode):
                label = decode_bnode_label(str(node))
                self.ids[node] = f"_:{label}" if label else None
                if label:
                    used.add(label)
            else:
                self.ids[node] = str(node)
        self._fresh = 0
        self._used = used
        self.placed: set[Any] = set()
        self.as_collection = as_collection
        self.single = False
        self.budget = 0
        self.top: set[Any] = set()

    def _all_nodes(self) -> Iterator[Any]:
        seen: set[Any] = set()
        for s, pairs in self.props.items():
            if s not in seen:
                seen.add(s)
                yield s
            for _p, o in pairs:
                if isinstance(o, BNode) and o not in seen:
                    seen.add(o)
                    yield o

    def key(self, p: Any) -> str:
        term = self.table.by_iri.get(str(p))
        return term.name if term is not None else self.table.compact(str(p))

    def id_of(self, node: Any) -> str:
        if isinstance(node, URIRef):
            return str(node)
        node_id = self.ids.get(node)
        if node_id is None and isinstance(node, BNode) and node not in self.ids:
            label = decode_bnode_label(str(node))
            node_id = self.ids[node] = f"_:{label}" if label else None
        if node_id is None:
            while True:
                self._fresh += 1
                label = f"b{self._fresh}"
                if label not in self._used:
                    break
            self._used.add(label)
            node_id = self.ids[node] = f"_:{label}"
        return node_id

    def frame(self) -> Document:
        nodes = sorted(self.props, key=self._sort_key)
        embeddable_refs = {
            n: [r for r in refs if r[1] not in self.table.reference_only] for n, refs in self.incoming.items()
        }
        roots = [n for n in nodes if not embeddable_refs.get(n)]
        photos = [n for n in nodes if _PHOTOGRAPH in self.types.get(n, ())]
        if self.as_collection is None:
            single = len(roots) == 1 and len(photos) <= 1
        else:
            single = not self.as_collection and len(roots) >= 1
        self.single = bool(single and nodes)
        self.budget = 10 * len(nodes) + 1000
        if self.single:
            top = [roots[0]]
            self.top = set(top)
        else:
            # as warphoto.collect() writes them: every entity with an id once at the top,
            # nodes without an id embedded where they are used
            top_set = set(roots) | set(photos)
            for n in nodes:
                refs = self.incoming.get(n, [])
                if (
                    self.ids.get(n) is not None
                    or len(refs) > 1
                    or any(k in self.table.reference_only for _s, k in refs)
                ):
                    top_set.add(n)
            self.top = top_set
            top = [n for n in nodes if n in top_set]
        built = []
        for n in top:
            self.placed.add(n)
            built.append(self.build(n, {n}))
        leftovers = [n for n in nodes if n not in self.placed]
        while leftovers:
            n = leftovers[0]
            self.top.add(n)
            self.placed.add(n)
            built.append(self.build(n, {n}))
            leftovers = [n for n in nodes if n not in self.placed]
        context = _resources.CONTEXT_IRI
        if len(built) == 1 and self.as_collection is not True:
            return {"@context": context, **built[0]}
        return {"@context": context, "@graph": built}

    def _time_key(self, value: Any) -> tuple[int, str]:
        if isinstance(value, dict):
            return _time_key(value)
        if isinstance(value, str):
            node: Any = BNode(value) if value.startswith("_:") else URIRef(value)
            if value.startswith("_:"):
                node = next((n for n, i in self.ids.items() if i == value), None)
            pairs = self.props.get(node, ())
            dated: dict[str, Any] = {}
            for p, o in pairs:
                key = self.key(p)
                if key in _TIME_KEYS and isinstance(o, Literal):
                    dated[key] = {"@value": str(o)}
            return _time_key(dated)
        return (1, "")

    def _sort_key(self, node: Any) -> tuple[int, str]:
        return (0 if isinstance(node, URIRef) else 1, str(self.ids.get(node) or node))

    def _need_id(self, node: Any) -> bool:
        refs = len(self.incoming.get(node, []))
        return refs > 1 or (refs == 1 and node in self.top)

    def build(self, node: Any, stack: set[Any]) -> Document:
        out: Document = {}
        node_id = self.ids.get(node)
        if node_id is None and self._need_id(node):
            node_id = self.id_of(node)
        if node_id is not None:
            out["@id"] = node_id
        types = sorted(self.table.compact_class(t) for t in self.types.get(node, ()))
        if types:
            out["@type"] = types[0] if len(types) == 1 else types
        grouped: dict[str, list[Any]] = {}
        terms_of: dict[str, Term | None] = {}
        order = self.table.order
        pairs = sorted(
            self.props.get(node, ()),
            key=lambda po: (order.get(self.key(po[0]), 1_000), str(po[0]), str(po[1])),
        )
        for p, o in pairs:
            key = self.key(p)
            term = self.table.by_iri.get(str(p))
            terms_of[key] = term
            grouped.setdefault(key, []).append(self.value(o, key, term, stack))
        for key, values in grouped.items():
            term = terms_of[key]
            if term is not None and term.kind == LANG:
                lang_map: dict[str, Any] = {}
                for lit, text in zip((o for p, o in pairs if self.key(p) == key), values, strict=True):
                    lang = lit.language if isinstance(lit, Literal) and lit.language else "@none"
                    if term.is_set:
                        lang_map.setdefault(lang, []).append(text)
                    elif lang in lang_map:
                        existing = lang_map[lang]
                        lang_map[lang] = [*existing, text] if isinstance(existing, list) else [existing, text]
                    else:
                        lang_map[lang] = text
                out[key] = lang_map
            elif (term is not None and term.is_set) or len(values) > 1:
                if len(values) > 1:
                    values.sort(key=self._time_key)  # provenance steps are listed in time order
                out[key] = values
            else:
                out[key] = values[0]
        return out

    def value(self, obj: Any, key: str, term: Term | None, stack: set[Any]) -> Any:
        if isinstance(obj, Literal):
            return _literal_value(obj, term)
        if obj in self.props and obj not in stack and key not in self.table.reference_only:
            if self.single:
                # a record embeds what it uses where it first uses it (embed="first"), or
                # wherever it uses it (embed="everywhere", as warphoto.standalone_records
                # does), within a budget against blow-up
                if obj not in self.placed or (self.everywhere and self.budget > 0):
                    self.budget -= 1
                    self.placed.add(obj)
                    return self.build(obj, stack | {obj})
            elif obj not in self.placed and obj not in self.top:
                self.placed.add(obj)
                return self.build(obj, stack | {obj})
        ref = self.id_of(obj)
        if term is not None and term.kind == ID:
            return ref
        return {"@id": ref}


def graph_to_document(graph: Graph, *, as_collection: bool | None = None, embed: str = "first") -> Document:
    """Frame an RDF graph back into a record (one root) or a collection (several).

    A graph with one root node (nothing refers to it) and no second photograph or gallery
    becomes one record with everything it refers to embedded; otherwise a collection with
    each photograph, gallery, root and shared entity once at the top (``as_collection``
    forces either shape). In one record, a node used twice is embedded where it is first
    used (in the context's field order) and referred to by ``@id`` elsewhere; with
    ``embed="everywhere"`` it is embedded at every use, as ``standalone_records`` does.
    """
    return _Framer(graph, as_collection, embed).frame()
