"""A remote SPARQL 1.1 endpoint as a store (Oxigraph server, Fuseki, QLever, GraphDB, Virtuoso).

- **Queries** go through SPARQLWrapper (POST, URL-encoded), results as SPARQL JSON
  (SELECT, ASK) or Turtle (CONSTRUCT, DESCRIBE), converted to rdflib terms.
  Parameters are never formatted into the text: they travel as a ``VALUES`` block
  written by rdflib's ``term.n3()`` (:func:`inspectgraph.graph.sparql.inject_values`).
- **Writes** are one SPARQL 1.1 Update request when they fit under
  ``max_request_bytes`` (32 MiB; Oxigraph refuses more than 128 MiB;
  ``$INSPECTGRAPH_REQUEST_BYTES`` overrides it) — ``DROP SILENT GRAPH`` then
  ``INSERT DATA`` for every named graph — so an engine that runs each request as a
  transaction (Oxigraph, Fuseki/TDB2, GraphDB, RDF4J) replaces all the graphs or none.
  A larger write is staged: every graph is uploaded under a staging name
  (``urn:x-inspectgraph:staging:…``, its predicates wrapped so that no query naming a
  predicate sees it) in as many requests as needed, and one small last request switches
  them all in (drop the old graph, insert the staged triples unwrapped, drop the staging
  graph). Until that request the live graphs are untouched; a writer that dies before it
  leaves staging graphs that the next write removes. On an engine that does not run a
  request as one transaction, a failure during the last request can leave some graphs
  switched and others not: write again.
- **The union of the named graphs.** Our queries expect the default graph to be the
  union of all named graphs (one per source). Engines differ: Oxigraph does it with
  ``--union-default-graph``, Fuseki with ``tdb2:unionDefaultGraph``, GraphDB and
  Virtuoso by default. On first use the store checks whether a triple of some named
  graph is visible without ``GRAPH``; if not, every query names its dataset through the
  protocol (``default-graph-uri`` and ``named-graph-uri`` for each of our graphs),
  which every SPARQL 1.1 engine understands. A query with its own ``FROM`` keeps it.
- **The update endpoint** defaults from the query endpoint: ``…/query`` becomes
  ``…/update`` (Oxigraph, Fuseki), ``…/repositories/NAME`` becomes
  ``…/repositories/NAME/statements`` (GraphDB, RDF4J); otherwise the same URL.
- **Credentials** in the URL (``https://user:password@host/…``) are sent as HTTP
  basic authentication, never in the URL itself; ``$INSPECTGRAPH_ENDPOINT_TOKEN``, if
  set, as a bearer token (QLever's access token, API gateways).
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from ...errors import StoreError
from ...version import __version__
from ..sparql import dataset_clause, for_engine, has_dataset_clause, inject_values
from .base import Quad, QueryResult, Store

__all__ = ["RemoteStore", "default_update_endpoint"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
AGENT = f"inspectgraph/{__version__} (SPARQLWrapper)"
#: Graph names of a write being staged (never shown as the store's graphs).
STAGING = "urn:x-inspectgraph:staging:"
#: Prefix of the predicates of staged triples.
STAGED = "urn:x-inspectgraph:staged:"
#: Default size limit of one update request; ``$INSPECTGRAPH_REQUEST_BYTES`` overrides it.
MAX_REQUEST_BYTES = 32 * 2**20
_PROBE = (
    "SELECT ?s ?p ?o (EXISTS { ?s ?p ?o } AS ?inDefault) WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"
)


def default_update_endpoint(endpoint: str) -> str:
    """The update URL that goes with a query URL, by the engines' conventions.

    >>> default_update_endpoint("http://localhost:7878/query")
    'http://localhost:7878/update'
    >>> default_update_endpoint("http://localhost:7200/repositories/kg")
    'http://localhost:7200/repositories/kg/statements'
    >>> default_update_endpoint("http://localhost:3030/ds")
    'http://localhost:3030/ds'
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    segments = path.split("/")
    if segments[-1] == "query":
        path = "/".join(segments[:-1] + ["update"])
    elif len(segments) >= 2 and segments[-2] == "repositories":
        path = f"{path}/statements"
    else:
        return endpoint
    return urllib.parse.urlunsplit(parts._replace(path=path))


def _split_credentials(url: str) -> tuple[str, str | None]:
    """(URL without user:password, value of an Authorization header or None)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"{url}: not an http(s) URL of a SPARQL endpoint")
    if parts.username is None:
        return url, None
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password or "")
    netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    if ":" in (parts.hostname or ""):  # IPv6 literal
        netloc = f"[{parts.hostname}]" + ("" if parts.port is None else f":{parts.port}")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), f"Basic {token}"


def term_from_json(value: dict) -> Identifier:
    """A SPARQL JSON results binding -> rdflib term (xsd:string literals as plain ones).

    >>> term_from_json({"type": "literal", "value": "3",
    ...                 "datatype": "http://www.w3.org/2001/XMLSchema#integer"})
    rdflib.term.Literal('3', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != XSD_STRING:
            return Literal(value["value"], datatype=URIRef(datatype))
        return Literal(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    raise StoreError(f"unsupported term in the endpoint's results: {value!r}")


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint; ``location`` is its query URL.

    ``union_default_graph``: ``None`` (default) checks the endpoint on first use;
    ``True``/``False`` skip the check.
    """

    kind = "remote"

    def __init__(
        self,
        location: str | Path,
        *,
        read_only: bool = False,
        update_endpoint: str | None = None,
        timeout: float | None = None,
        union_default_graph: bool | None = None,
        max_request_bytes: int | None = None,
    ):
        self.endpoint, self._auth = _split_credentials(str(location))
        update = update_endpoint or default_update_endpoint(str(location))
        self.update_endpoint, update_auth = _split_credentials(update)
        token = os.environ.get("INSPECTGRAPH_ENDPOINT_TOKEN")
        if token and self._auth is None:
            self._auth = f"Bearer {token}"
        self._update_auth = update_auth or self._auth
        self.read_only = read_only
        self.timeout = timeout
        self.union_default_graph = union_default_graph
        self.max_request_bytes = max_request_bytes or int(
            os.environ.get("INSPECTGRAPH_REQUEST_BYTES", MAX_REQUEST_BYTES)
        )
        self._names: list[URIRef] | None = None

    # ------------------------------------------------------------------ HTTP

    def _wrapper(self, text: str, dataset):
        from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper

        w = SPARQLWrapper(self.endpoint, agent=AGENT)
        w.setMethod(POST)
        w.setRequestMethod(URLENCODED)
        with warnings.catch_warnings():  # it warns on queries it cannot classify
            warnings.simplefilter("ignore")
            w.setQuery(text)
        w.setReturnFormat(JSON if w.queryType in ("SELECT", "ASK") else TURTLE)
        w.setOnlyConneg(True)
        if self.timeout:
            w.setTimeout(int(self.timeout))
        if self._auth:
            w.addCustomHttpHeader("Authorization", self._auth)
        if isinstance(dataset, tuple):  # (default graphs, named graphs)
            for name in dataset[0]:
                w.addParameter("default-graph-uri", str(name))
            for name in dataset[1]:
                w.addParameter("named-graph-uri", str(name))
        else:  # our graphs, for both
            for name in dataset or ():
                w.addParameter("default-graph-uri", str(name))
                w.addParameter("named-graph-uri", str(name))
        return w

    def _run(self, text: str, dataset=None):
        """(query type, body bytes) of a query, or a one-line StoreError."""
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        w = self._wrapper(text, dataset)
        try:
            response = w.query().response
            return w.queryType, response.read()
        except SPARQLWrapperException as exc:
            detail = _first_line(exc.response if hasattr(exc, "response") else exc)
            raise StoreError(f"{self.endpoint}: {type(exc).__name__}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:  # HTTPError among them
            raise _transport_error(exc, self.endpoint, "", "SPARQL") from exc

    def _post_update(self, update: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.endpoint}: store opened read-only")
        request = urllib.request.Request(
            self.update_endpoint,
            data=update.encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/sparql-update; charset=utf-8",
                "User-Agent": AGENT,
            },
        )
        if self._update_auth:
            request.add_header("Authorization", self._update_auth)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except (urllib.error.URLError, OSError) as exc:  # HTTPError among them
            raise _transport_error(exc, self.update_endpoint, "update refused, ", "update") from exc
        finally:
            self._names = None  # the graphs may have changed, whatever happened

    # ------------------------------------------------------------------ writes

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        from .oxterms import quads_of

        self._write(quads_of(graphs))

    def load(self, source, format: str = "nquads") -> dict[URIRef, int]:
        from .oxinput import parse_quads

        by_graph = parse_quads(source, format)
        self._write(by_graph)
        return {URIRef(g.value): len(qs) for g, qs in by_graph.items()}

    def _write(self, graphs) -> None:
        """Replace ``graphs`` ({NamedNode: [Quad]}): in one update request when it fits
        under the size limit, else staged and switched in one request (see the module
        docstring)."""
        import pyoxigraph as ox

        if self.read_only:
            raise StoreError(f"{self.endpoint}: store opened read-only")
        bodies = {
            g: ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
            if quads
            else b""
            for g, quads in graphs.items()
        }
        if sum(len(b) + 200 for b in bodies.values()) <= self.max_request_bytes:
            parts = []
            for g, body in bodies.items():
                parts.append(f"DROP SILENT GRAPH <{g.value}>")
                if body:
                    parts.append(f"INSERT DATA {{ GRAPH <{g.value}> {{\n{body.decode()}}} }}")
            self._post_update(" ;\n".join(parts))
            return
        self._staged_write(bodies)

    def _staged_write(self, bodies: dict) -> None:
        """Upload every graph under a staging name, in requests under the size limit, then
        switch them all in with one request. Staged triples carry their predicates wrapped
        (``<urn:x-inspectgraph:staged:P>``), so no query naming a predicate sees them."""
        import uuid

        self._drop_staging()  # leftovers of a writer that died before its switch
        token = uuid.uuid4().hex[:12]
        staging = {g: f"{STAGING}{token}:{i}" for i, g in enumerate(bodies)}
        requests: list[str] = []
        pending: list[str] = []
        size = 0
        for g, body in bodies.items():
            for piece in _pieces(_wrap(body), self.max_request_bytes - 200):
                if pending and size + len(piece) + 200 > self.max_request_bytes:
                    requests.append(" ;\n".join(pending))
                    pending, size = [], 0
                pending.append(f"INSERT DATA {{ GRAPH <{staging[g]}> {{\n{piece.decode()}}} }}")
                size += len(piece) + 200
        if pending:
            requests.append(" ;\n".join(pending))
        try:
            for text in requests:
                self._post_update(text)
        except StoreError as exc:
            try:
                self._drop_staging()
                left = "the store is unchanged"
            except StoreError:
                left = f"the store is unchanged; staging graphs {STAGING}{token}:* are left over"
            raise StoreError(f"{exc} (while staging the write: {left})") from exc
        pairs = " ".join(f"(<{stage}> <{g.value}>)" for g, stage in staging.items())
        switch = [
            *(f"DROP SILENT GRAPH <{g.value}>" for g in staging),
            f"INSERT {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ VALUES (?stage ?g) {{ {pairs} }} "
            f'GRAPH ?stage {{ ?s ?w ?o }} BIND(IRI(STRAFTER(STR(?w), "{STAGED}")) AS ?p) }}',
            *(f"DROP SILENT GRAPH <{stage}>" for stage in staging.values()),
        ]
        self._post_update(" ;\n".join(switch))  # the commit: one request, its size by graphs

    def _drop_staging(self) -> None:
        rows = self._select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{STAGING}")) }}'
        )[1]
        if rows:
            self._post_update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for (g,) in rows))

    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        parts = [f"DROP SILENT GRAPH {URIRef(n).n3()}" for n in names]
        if parts:
            self._post_update(" ;\n".join(parts))

    # ------------------------------------------------------------------ reads

    def graph_names(self) -> list[URIRef]:
        if self._names is None:
            rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")[1]
            self._names = sorted(
                URIRef(g)
                for (g,) in rows
                if isinstance(g, URIRef) and not str(g).startswith(STAGING)
            )
        return list(self._names)

    def _union(self) -> bool:
        """Whether the endpoint's default graph is the union of its named graphs."""
        if self.union_default_graph is None:
            rows = self._select(_PROBE)[1]
            if not rows:
                return False  # no named graph yet: name the (empty) dataset, check later
            self.union_default_graph = bool(rows[0][3] is not None and rows[0][3].toPython())
        return self.union_default_graph

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        sparql = for_engine(sparql, self.traits)
        text = inject_values(sparql, bindings) if bindings else sparql
        dataset = None
        if not has_dataset_clause(text):
            if not self._union():
                dataset = self.graph_names()
        elif self._union():
            # some engines (Oxigraph's --union-default-graph) ignore FROM when the default
            # graph is the union; the same dataset through the protocol is always obeyed
            dataset = dataset_clause(text)
        kind, body = self._run(text, dataset)
        if kind in ("SELECT", "ASK"):
            data = _json(body, self.endpoint)
            if "boolean" in data:
                return QueryResult("ask", boolean=bool(data["boolean"]))
            names, rows = self._rows(data)
            return QueryResult("select", vars=names, rows=rows)
        g = Graph()
        try:
            g.parse(data=body, format="turtle")
        except Exception as exc:  # rdflib raises many kinds
            raise StoreError(f"{self.endpoint}: unreadable Turtle in the response: {exc}") from exc
        return QueryResult("graph", graph=g)

    def _select(self, text: str) -> tuple[list[str], list[tuple]]:
        return self._rows(_json(self._run(text)[1], self.endpoint))

    @staticmethod
    def _rows(data: dict) -> tuple[list[str], list[tuple]]:
        names = list(data.get("head", {}).get("vars", []))
        cache: dict[tuple, Identifier] = {}
        rows = []
        for binding in data.get("results", {}).get("bindings", []):
            row = []
            for name in names:
                value = binding.get(name)
                if value is None:
                    row.append(None)
                    continue
                key = tuple(sorted(value.items()))
                term = cache.get(key)
                if term is None:
                    term = cache[key] = term_from_json(value)
                row.append(term)
            rows.append(tuple(row))
        return names, rows

    def quads(self) -> Iterator[Quad]:
        # graph by graph: one response at a time, never the whole store in memory
        pattern = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
        for name in self.graph_names():
            _, rows = self._select(inject_values(pattern, {"g": name}))
            for s, p, o in rows:
                yield s, p, o, name

    def __len__(self) -> int:
        _, rows = self._select(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(!STRSTARTS(STR(?g), "{STAGING}")) }}'
        )
        return int(rows[0][0]) if rows else 0


def _pieces(body: bytes, limit: int) -> list[bytes]:
    """N-Triples in pieces of whole lines under ``limit`` bytes; a graph with blank nodes
    stays in one piece (a label names the same node only within one request)."""
    if len(body) <= limit or b"_:" in body:
        return [body] if body else []
    pieces, piece, size = [], [], 0
    for line in body.splitlines(keepends=True):
        if piece and size + len(line) > limit:
            pieces.append(b"".join(piece))
            piece, size = [], 0
        piece.append(line)
        size += len(line)
    if piece:
        pieces.append(b"".join(piece))
    return pieces


def _wrap(ntriples: bytes) -> bytes:
    """Each triple's predicate wrapped as ``<urn:x-inspectgraph:staged:P>``."""
    prefix = b"<" + STAGED.encode()
    out = []
    for line in ntriples.splitlines(keepends=True):
        subject, rest = line.split(b" ", 1)
        out.append(subject + b" " + prefix + rest[1:])
    return b"".join(out)


def _json(body: bytes, endpoint: str) -> dict:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise StoreError(f"{endpoint}: the response is not SPARQL JSON results: {exc}") from exc


def _first_line(detail) -> str:
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", "replace")
    text = str(detail).strip()
    # SPARQLWrapper prefixes its own explanation; keep the endpoint's message
    if "Response:" in text:
        text = text.split("Response:", 1)[1].strip()
        if text.startswith("b'") or text.startswith('b"'):
            text = text[2:-1].encode().decode("unicode_escape", "replace")
    return (text.splitlines() or ["(no message)"])[0][:300]


def _transport_error(exc: OSError, url: str, refused: str, endpoint: str) -> StoreError:
    """A one-line StoreError for an HTTP error answer (``refused`` before its status) or an
    `endpoint` that cannot be reached."""
    if isinstance(exc, urllib.error.HTTPError):
        return StoreError(f"{url}: {refused}HTTP {exc.code}: {_first_line(exc.read())}")
    reason = getattr(exc, "reason", exc)
    return StoreError(f"{url}: cannot reach the {endpoint} endpoint: {reason}")
