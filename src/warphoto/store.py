"""RDF stores: records into an embedded Oxigraph store or a SPARQL 1.1 endpoint, and queries.

Each loaded file is one named graph, named by the file's absolute ``file:`` URI
(:func:`graph_name`); loading it again replaces that graph. The triples are warphoto's own
N-Triples (``warphoto.dumps(record, "ntriples")``), the same as ``convert --to ntriples``.

* :class:`EmbeddedStore`: a ``pyoxigraph.Store`` in a folder (the ``store`` extra:
  ``pip install 'warphoto[store]'``). The new triples are parsed first (a refusal leaves
  the old graph); then the old graph is removed, and the new triples added in one
  transaction. ``bulk=True`` uses the bulk loader instead, which is not transactional.
* :class:`Endpoint`: a SPARQL 1.1 Graph Store HTTP Protocol endpoint (``PUT URL?graph=``)
  for loading, a SPARQL 1.1 Protocol query endpoint for queries; the standard library's
  ``urllib`` with a timeout. Only ``http``/``https`` URLs the user names are ever contacted.

Queries give an :class:`Answer`: SPARQL 1.1 JSON results (SELECT, ASK) or N-Triples
(CONSTRUCT, DESCRIBE). In the embedded store the default graph of a query is the union of
every graph (as ``oxigraph serve --union-default-graph``).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from warphoto.errors import WarphotoError

__all__ = [
    "Answer",
    "EmbeddedStore",
    "Endpoint",
    "EndpointError",
    "Store",
    "StoreError",
    "graph_name",
]

#: the media types asked of an endpoint: JSON results for SELECT/ASK, N-Triples for CONSTRUCT
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
_JSON_RESULTS = ("application/sparql-results+json", "application/json")
_NTRIPLES = ("application/n-triples", "text/plain")


class StoreError(WarphotoError):
    """An RDF store could not be opened, loaded or queried (or pyoxigraph is missing)."""


class EndpointError(StoreError):
    """A SPARQL endpoint refused a request or could not be reached; names the URL and the status."""

    def __init__(self, url: str, status: int | None, message: str) -> None:
        self.url = url
        self.status = status
        where = f"{url}: HTTP {status}" if status is not None else url
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Answer:
    """What a query gave: ``bindings`` or ``boolean`` (SPARQL JSON results), or ``triples`` (N-Triples)."""

    kind: Literal["bindings", "boolean", "triples"]
    data: bytes

    def results(self) -> dict[str, Any]:
        """The SPARQL 1.1 JSON results document (SELECT and ASK)."""
        document: dict[str, Any] = json.loads(self.data)
        return document


class Store(Protocol):
    """Where ``warphoto load`` puts graphs and ``warphoto query`` asks."""

    def replace_graph(self, name: str, ntriples: bytes) -> None: ...

    def query(self, sparql: str) -> Answer: ...


def graph_name(path: str | os.PathLike[str]) -> str:
    """The name of the graph a file is loaded into: its absolute ``file:`` URI."""
    return Path(path).resolve().as_uri()


def _answer_of_json(data: bytes, source: str) -> Answer:
    try:
        document = json.loads(data)
    except ValueError as error:
        raise StoreError(f"{source}: the query results are not JSON: {error}") from None
    if not isinstance(document, dict):
        raise StoreError(f"{source}: the query results are not a SPARQL JSON results document")
    return Answer("boolean" if "boolean" in document else "bindings", data)


# --------------------------------------------------------------------------- embedded


def _pyoxigraph() -> Any:
    try:
        import pyoxigraph
    except ImportError:
        raise StoreError(
            "the embedded store needs pyoxigraph: pip install 'warphoto[store]' (or use --endpoint URL)"
        ) from None
    return pyoxigraph


class EmbeddedStore:
    """An Oxigraph store in the folder ``path`` (created when missing, unless ``read_only``).

    ``bulk=True`` loads with pyoxigraph's bulk loader: faster for files of many megabytes,
    slower for small ones, and not transactional (a failure leaves part of the file's graph).
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False, bulk: bool = False) -> None:
        self.path = os.fspath(path)
        self.bulk = bulk
        self._ox = _pyoxigraph()
        if read_only and not os.path.isdir(self.path):
            raise StoreError(f"{self.path}: no store here (load records into it with `warphoto load`)")
        try:
            self._store = self._ox.Store.read_only(self.path) if read_only else self._ox.Store(self.path)
        except OSError as error:
            raise StoreError(f"{self.path}: cannot open the store: {error}") from None

    def replace_graph(self, name: str, ntriples: bytes) -> None:
        """Make the graph ``name`` hold exactly ``ntriples`` (parsed before the old graph goes).

        Blank nodes get fresh ids: two files' ``_:b0`` stay two nodes.
        """
        ox = self._ox
        graph = ox.NamedNode(name)
        if self.bulk:
            self._bulk_replace(graph, ntriples)
            return
        try:
            parsed = ox.parse(ntriples, ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True)
            quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in parsed]
        except SyntaxError as error:
            raise StoreError(f"{name}: Oxigraph refused the N-Triples: {error}") from None
        try:
            self._store.remove_graph(graph)
            self._store.extend(quads)
            self._store.flush()
        except OSError as error:
            raise StoreError(f"{self.path}: cannot write graph {name}: {error}") from None

    def _bulk_replace(self, graph: Any, ntriples: bytes) -> None:
        try:
            self._store.remove_graph(graph)
            self._store.bulk_load(ntriples, self._ox.RdfFormat.N_TRIPLES, to_graph=graph)
        except (SyntaxError, OSError) as error:
            raise StoreError(
                f"{self.path}: bulk load of graph {graph.value} failed, which may leave part of it: "
                f"{error}; load the file again"
            ) from None

    def query(self, sparql: str) -> Answer:
        ox = self._ox
        try:
            result = self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise StoreError(f"malformed SPARQL query: {error}") from None
        except OSError as error:
            raise StoreError(f"{self.path}: cannot query the store: {error}") from None
        if isinstance(result, ox.QueryTriples):
            return Answer("triples", result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")
        return _answer_of_json(result.serialize(format=ox.QueryResultsFormat.JSON), self.path)

    def count(self, name: str | None = None) -> int:
        """The number of triples in the graph ``name`` (in every graph when None)."""
        graph = self._ox.NamedNode(name) if name is not None else None
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, graph))


# --------------------------------------------------------------------------- endpoint


class Endpoint:
    """A SPARQL endpoint at ``url``: Graph Store protocol for loading, SPARQL protocol for queries."""

    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        scheme = urllib.parse.urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise StoreError(f"{url}: an endpoint is an http:// or https:// URL")
        self.url = url
        self.timeout = timeout

    def _send(self, request: urllib.request.Request) -> tuple[str, bytes]:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            body = error.read(300).decode("utf-8", "replace").strip()
            raise EndpointError(self.url, error.code, body or str(error.reason)) from None
        except urllib.error.URLError as error:
            raise EndpointError(self.url, None, f"cannot reach the endpoint: {error.reason}") from None
        except TimeoutError:
            raise EndpointError(self.url, None, f"no answer within {self.timeout:g} s") from None
        except OSError as error:
            raise EndpointError(self.url, None, f"connection failed: {error}") from None

    def graph_url(self, name: str) -> str:
        """The Graph Store protocol URL of the graph ``name`` (``URL?graph=name``)."""
        joiner = "&" if urllib.parse.urlsplit(self.url).query else "?"
        return f"{self.url}{joiner}{urllib.parse.urlencode({'graph': name})}"

    def replace_graph(self, name: str, ntriples: bytes) -> None:
        """HTTP PUT of the N-Triples to the graph: the endpoint replaces it in one request."""
        request = urllib.request.Request(
            self.graph_url(name),
            data=ntriples,
            method="PUT",
            headers={"Content-Type": "application/n-triples"},
        )
        self._send(request)

    def query(self, sparql: str) -> Answer:
        """POST the query (form-encoded, SPARQL 1.1 Protocol); JSON results or N-Triples back."""
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode({"query": sparql}).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT},
        )
        media_type, data = self._send(request)
        if media_type in _NTRIPLES:
            return Answer("triples", data)
        if media_type in _JSON_RESULTS:
            return _answer_of_json(data, self.url)
        raise EndpointError(self.url, None, f"answered in {media_type}, not SPARQL JSON results or N-Triples")
