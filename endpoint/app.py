"""The endpoint's WSGI application: ``/`` the query page, ``/sparql`` the SPARQL 1.1
Protocol (query by GET, POST form or POST direct; updates refused), the service
description, and the linked-data site (:mod:`.site`); the queries go to a worker pool."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

import pyoxigraph as ox

from .negotiation import (
    FORMAT_MEDIA,
    OX_GRAPH_FORMATS,
    PLAIN_TEXT,
    HTTPError,
    negotiate,
    parse_accept,
    status_line,
)

__all__ = ["EndpointConfig", "SparqlApp"]

SD = "http://www.w3.org/ns/sparql-service-description#"
#: the row cap of the site's own queries (see SparqlApp.run_query)
SITE_MAX_ROWS = 5_000_000
FORMATS_NS = "http://www.w3.org/ns/formats/"


@dataclass
class EndpointConfig:
    """Settings of an endpoint; the defaults suit a laptop."""

    timeout: float = 30.0  #: seconds a query may run (evaluation and serialisation)
    max_rows: int = 500_000  #: more result rows (or triples) than this is an error
    max_request_bytes: int = 1_000_000  #: longest accepted request body or URL query
    workers: int = 16  #: queries evaluated at once (threads of the worker process)
    #: resident memory (MB) of the server and its workers past which the shared worker
    #: process is replaced (see WorkerPool); 0: no budget
    memory_budget: int = 1280
    #: resident memory (MB) of the server and its workers that is never passed for
    #: longer than a tenth of a second: past it the largest process is killed (its
    #: queries are sent again, or answered 503; see WorkerPool); None: 1.4 × the budget
    #: (1,792 MB by default), 0: no limit
    memory_limit: int | None = None
    cors: bool = False  #: send Access-Control-Allow-Origin: *
    title: str = "inspectgraph SPARQL endpoint"
    examples: list[dict] = field(default_factory=list)  #: [{name, title, query}] for the page
    site: bool = True  #: serve the browsable pages (/browse, /id/..., /def/...; see .site)


class SparqlApp:
    """WSGI application: ``/`` the query page, ``/sparql`` the SPARQL endpoint."""

    def __init__(
        self,
        pool,  # a WorkerPool, or serveremote's RemotePool
        config: EndpointConfig,
        graph_names: list[str],
        hidden: frozenset[str] = frozenset(),
    ):
        self.pool = pool
        self.config = config
        self.graph_names = graph_names
        self.hidden = hidden
        self.site = None
        if config.site:
            from .site import Site

            self.site = Site(self.run_query)

    def run_query(self, query: str, accept: str) -> tuple[int, str, bytes]:
        """Evaluate one query as the endpoint does, over the union of the graphs: (HTTP
        status, content type, body). The site's pages read the data through this, under
        the time limit but not the row cap (their queries are bounded by design; a
        national authority's findings by theme are a few thousand rows)."""
        job = {
            "query": query,
            "default": None,
            "named": None,
            "has_dataset": False,
            "accept": accept,
            "format": None,
            "max_rows": max(self.config.max_rows, SITE_MAX_ROWS),
            "hidden": self.hidden,
            "base": None,
        }
        try:
            return self.pool.run(job, self.config.timeout)
        except HTTPError as exc:
            return exc.status, PLAIN_TEXT, f"{exc}\n".encode()

    def __call__(self, environ, start_response):
        try:
            status, headers, body = self.route(environ)
        except HTTPError as exc:
            status = status_line(exc.status)
            headers = [("Content-Type", PLAIN_TEXT), *exc.headers]
            body = f"{exc}\n".encode()
        headers = [
            *headers,
            ("Content-Length", str(len(body))),
            ("X-Content-Type-Options", "nosniff"),
        ]
        if self.config.cors:
            headers += [
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Expose-Headers", "Content-Type"),
            ]
        start_response(status, headers)
        return [body]

    def route(self, environ):
        path = environ.get("PATH_INFO", "") or "/"
        method = environ["REQUEST_METHOD"].upper()
        if path in ("/sparql", "/sparql/"):
            return self.sparql(environ, method)
        if path in ("/", "/index.html"):
            if method not in ("GET", "HEAD"):
                raise HTTPError(405, f"{method} not allowed here", [("Allow", "GET")])
            from .servepage import render_page

            body = render_page(self.config.title, self.config.examples, len(self.graph_names))
            if method == "HEAD":
                body = b""
            return (
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Security-Policy", PAGE_CSP),
                    ("Cache-Control", "no-cache"),
                ],
                body,
            )
        if self.site is not None and self.site.handles(path):
            return self.site.route(environ, method, path)
        raise HTTPError(
            404, f"nothing at {path}: the endpoint is /sparql, the query page /, the site /browse"
        )

    def sparql(self, environ, method):
        if method == "OPTIONS":
            if not self.config.cors:
                raise HTTPError(
                    405,
                    "cross-origin requests are off (inspectgraph serve --cors)",
                    [("Allow", "GET, POST")],
                )
            return (
                "200 OK",
                [
                    ("Access-Control-Allow-Methods", "GET, POST"),
                    ("Access-Control-Allow-Headers", "Content-Type, Accept"),
                    ("Access-Control-Max-Age", "600"),
                ],
                b"",
            )
        if method not in ("GET", "POST"):
            raise HTTPError(
                405, f"the SPARQL protocol uses GET or POST, not {method}", [("Allow", "GET, POST")]
            )
        raw_url = environ.get("QUERY_STRING", "")
        if len(raw_url) > self.config.max_request_bytes:
            raise HTTPError(
                414,
                f"the URL is longer than {self.config.max_request_bytes} bytes; "
                "send the query by POST",
            )
        params = _parse_params(raw_url, "the URL")
        query = None
        if method == "POST":
            media, charset = _content_type(environ.get("CONTENT_TYPE", ""))
            body = self._body(environ)
            if media == "application/x-www-form-urlencoded":
                for key, values in _parse_params(_ascii(body), "the form").items():
                    params.setdefault(key, []).extend(values)
            elif media == "application/sparql-query":
                if charset not in (None, "utf-8", "utf8"):
                    raise HTTPError(400, f"a direct POST must be UTF-8, not {charset}")
                try:
                    query = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise HTTPError(400, "the query is not valid UTF-8") from None
            elif media == "application/sparql-update":
                raise HTTPError(403, "this endpoint is read-only: updates are refused")
            elif not media:
                raise HTTPError(
                    415,
                    "a POST needs a Content-Type: "
                    "application/x-www-form-urlencoded or application/sparql-query",
                )
            else:
                raise HTTPError(
                    415,
                    f"cannot read a {media} body: use "
                    "application/x-www-form-urlencoded or application/sparql-query",
                )
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            raise HTTPError(403, "this endpoint is read-only: updates are refused")
        queries = params.get("query", [])
        if query is not None:
            if queries:
                raise HTTPError(400, "the query is both in the body and in the URL")
            queries = [query]
        if len(queries) > 1:
            raise HTTPError(400, "more than one query in the request")
        if not queries:
            if method == "POST":
                raise HTTPError(400, "no query in the request")
            return self.service_description(environ)
        query = queries[0]
        if any(word == "SERVICE" for word, _ in _keywords(query)):
            raise HTTPError(400, "SERVICE (federated query) is disabled on this endpoint")
        default = params.get("default-graph-uri")
        named = params.get("named-graph-uri")
        for iri in (default or []) + (named or []):
            if not _IRI_OK(iri):
                raise HTTPError(400, f"not an absolute IRI: {iri!r}")
        fmt = (params.get("format") or params.get("output") or [None])[0]
        job = {
            "query": query,
            "default": default,
            "named": named,
            "has_dataset": _has_dataset(query),
            "accept": environ.get("HTTP_ACCEPT", ""),
            "format": fmt,
            "max_rows": self.config.max_rows,
            "hidden": self.hidden,
            "base": _base_url(environ) + environ.get("PATH_INFO", "/sparql"),
        }
        status, content_type, body = self.pool.run(job, self.config.timeout)
        return (
            status_line(status),
            [("Content-Type", content_type), ("Vary", "Accept")],
            body,
        )

    def _body(self, environ) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise HTTPError(400, "bad Content-Length") from None
        if length > self.config.max_request_bytes:
            raise HTTPError(
                413, f"the request body is larger than {self.config.max_request_bytes} bytes"
            )
        return environ["wsgi.input"].read(length) if length > 0 else b""

    def service_description(self, environ):
        accept = environ.get("HTTP_ACCEPT", "")
        ranked = [m for m, _ in parse_accept(accept)]
        if ranked and ranked[0] in ("text/html", "application/xhtml+xml"):
            return (
                "303 See Other",
                [("Location", "/"), ("Content-Type", "text/plain")],
                b"the query page is at /\n",
            )
        fmt = negotiate(accept, None, "graph")
        endpoint = _base_url(environ) + environ.get("PATH_INFO", "/sparql")
        body = ox.serialize(self.describe(endpoint), format=OX_GRAPH_FORMATS[fmt])
        return "200 OK", [("Content-Type", FORMAT_MEDIA[fmt]), ("Vary", "Accept")], body

    def describe(self, endpoint: str) -> list[ox.Triple]:
        """The SPARQL 1.1 Service Description of this endpoint, as triples."""
        sd = lambda name: ox.NamedNode(SD + name)  # noqa: E731
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        service = ox.BlankNode("service")
        dataset = ox.BlankNode("dataset")
        default = ox.BlankNode("defaultGraph")
        triples = [
            ox.Triple(service, rdf_type, sd("Service")),
            ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
            ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
            ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
            ox.Triple(
                service,
                sd("defaultEntailmentRegime"),
                ox.NamedNode("http://www.w3.org/ns/entailment/Simple"),
            ),
            ox.Triple(
                service,
                ox.NamedNode("http://purl.org/dc/terms/title"),
                ox.Literal(self.config.title),
            ),
            ox.Triple(service, sd("defaultDataset"), dataset),
            ox.Triple(dataset, rdf_type, sd("Dataset")),
            ox.Triple(dataset, sd("defaultGraph"), default),
            ox.Triple(default, rdf_type, sd("Graph")),
            ox.Triple(
                default,
                ox.NamedNode("http://rdfs.org/ns/void#triples"),
                ox.Literal(
                    str(self.pool.triples),
                    datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"),
                ),
            ),
        ]
        for name in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
        ):
            triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS_NS + name)))
        for i, name in enumerate(self.graph_names):
            node = ox.BlankNode(f"namedGraph{i}")
            triples += [
                ox.Triple(dataset, sd("namedGraph"), node),
                ox.Triple(node, rdf_type, sd("NamedGraph")),
                ox.Triple(node, sd("name"), ox.NamedNode(name)),
            ]
        return triples


PAGE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'self'"
)


def _keywords(query: str):
    from ..graph.sparql import keywords

    return keywords(query)


def _has_dataset(query: str) -> bool:
    from ..graph.sparql import has_dataset_clause

    return has_dataset_clause(query)


def _IRI_OK(iri: str) -> bool:  # noqa: N802
    import re

    return re.fullmatch(r'[A-Za-z][A-Za-z0-9+.-]*:[^<>"{}|^`\\\x00-\x20]*', iri) is not None


def _ascii(body: bytes) -> str:
    try:
        return body.decode("ascii")
    except UnicodeDecodeError:
        raise HTTPError(400, "a form body must be percent-encoded ASCII") from None


def _parse_params(text: str, where: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(
            text, keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        raise HTTPError(400, f"{where} is not valid percent-encoded UTF-8") from None


def _content_type(header: str) -> tuple[str, str | None]:
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for p in parts[1:]:
        if p.lower().startswith("charset="):
            charset = p[8:].strip('"').lower()
    return parts[0].lower(), charset


def _base_url(environ) -> str:
    host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}"
