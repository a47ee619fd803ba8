"""What an answer of the endpoint looks like: the media types and ``format=`` values it
offers for each kind of result, content negotiation (``Accept``), and the HTTP errors its
parts raise (:class:`HTTPError`: a status and one line of text)."""

from __future__ import annotations

import pyoxigraph as ox

__all__ = [
    "FORMAT_MEDIA",
    "GRAPH_TYPES",
    "OX_GRAPH_FORMATS",
    "PLAIN_TEXT",
    "RESULT_TYPES",
    "HTTPError",
    "negotiate",
    "parse_accept",
    "status_line",
]

# media type -> (result kind, format key); kinds: "solutions" (SELECT, ASK), "graph"
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/turtle": "ttl",
    "application/x-turtle": "ttl",
    "text/n3": "ttl",  # Turtle is N3
    "text/rdf+n3": "ttl",
    "application/n3": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "jsonld",
    "application/x-json+ld": "jsonld",
    "application/rdf+xml": "rdf",
    "application/xml": "rdf",
}
FORMAT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}
OX_GRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}
# format= (or output=) values, as clients send them, per kind of result
FORMAT_ALIASES = {
    "graph": {
        "ttl": "ttl",
        "turtle": "ttl",
        "n3": "ttl",
        "nt": "nt",
        "ntriples": "nt",
        "n-triples": "nt",
        "jsonld": "jsonld",
        "json-ld": "jsonld",
        "json": "jsonld",
        "rdf": "rdf",
        "rdfxml": "rdf",
        "rdf+xml": "rdf",
        "xml": "rdf",
    },
    "solutions": {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"},
    "boolean": {"json": "json", "xml": "xml"},
}


class HTTPError(Exception):
    def __init__(self, status: int, message: str, headers: list | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or []


STATUS = {
    200: "200 OK",
    303: "303 See Other",
    400: "400 Bad Request",
    403: "403 Forbidden",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    406: "406 Not Acceptable",
    413: "413 Content Too Large",
    414: "414 URI Too Long",
    415: "415 Unsupported Media Type",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}
PLAIN_TEXT = "text/plain; charset=utf-8"


def status_line(status: int) -> str:
    return STATUS.get(status, f"{status} Error")


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` header -> media ranges with their q, best first (stable for ties).

    >>> parse_accept("text/csv;q=0.5, application/json")
    [('application/json', 1.0), ('text/csv', 0.5)]
    """
    ranges = []
    for i, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        q = 1.0
        for param in pieces[1:]:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranges.append((pieces[0].lower(), q, i))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, q) for media, q, _ in ranges if q > 0]


def negotiate(accept: str, fmt: str | None, kind: str) -> str:
    """The format key to answer with, for a result of ``kind`` (boolean, solutions, graph)."""
    offered = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
    allowed = set(offered.values())
    if kind == "boolean":
        allowed = {"json", "xml"}
    if fmt:
        key = FORMAT_ALIASES[kind].get(fmt.lower())
        if key is not None:
            return key
        if not accept.strip():
            raise HTTPError(
                406,
                f"format={fmt} does not fit this query; use one of "
                f"{', '.join(sorted(FORMAT_ALIASES[kind]))}",
            )
        # a client's format= that does not fit (SPARQLWrapper sends one): Accept decides
    default = "ttl" if kind == "graph" else "json"
    if not accept.strip():
        return default
    for media, _q in parse_accept(accept):
        if media in ("*/*", "application/*") or (media == "text/*" and kind == "graph"):
            return default
        if media == "text/*":
            return "csv" if kind == "solutions" else default
        key = offered.get(media)
        if key in allowed:
            return key
    raise HTTPError(
        406,
        f"none of the accepted types ({accept}) fits this query; offered: "
        + ", ".join(m for m, k in offered.items() if k in allowed),
    )
