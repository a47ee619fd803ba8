"""``inspectgraph serve --endpoint URL``: another SPARQL endpoint's data through our
endpoint, query page and site.

:class:`RemotePool` stands where the worker pool of :mod:`inspectgraph.endpoint.workers` stands
(``run(job, timeout)`` -> HTTP status, content type, body): each query goes to the
remote endpoint through the remote store backend's rules (:mod:`inspectgraph.graph.stores.
remote`: its credentials, and the union of the named graphs as the default graph,
named through the protocol when the engine does not do it), asking for SPARQL JSON or
N-Triples, and the answer is rewritten in the format the client negotiated here. So a
client sees the same protocol, formats, limits and errors as over a local store: the
time limit stops the request and answers 503, more rows than ``max_rows`` is a 400, and
the remote's errors become one line naming it (400 for a query it refuses, 502 for a
server that fails or cannot be reached).
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from ..graph.sparql import dataset_clause, has_dataset_clause, keywords
from ..graph.stores.remote import AGENT, RemoteStore
from .negotiation import FORMAT_MEDIA, OX_GRAPH_FORMATS, HTTPError, negotiate
from .results import plain_text, write_boolean, write_solutions
from .workers import take_slot

__all__ = ["RemotePool", "query_form"]

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def _at_most(results, limit: int, what: str) -> list:
    """All of ``results``, or an error once there are more than ``limit``: the triples are
    read one at a time so that a huge result is refused before it fills the memory."""
    kept = []
    for item in results:
        if len(kept) >= limit:
            raise HTTPError(
                400,
                f"the result has more than {limit} {what}, the limit of this endpoint: add "
                "LIMIT (and OFFSET to page), or use `inspectgraph export` for the whole graph",
            )
        kept.append(item)
    return kept


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first such keyword.

    >>> query_form('PREFIX ex: <http://e/> CONSTRUCT { ?s ex:select "ASK" } WHERE { ?s ?p ?o }')
    'CONSTRUCT'
    """
    for word, depth in keywords(query):
        if depth == 0 and word in FORMS:
            return word
    raise HTTPError(400, "SPARQL syntax error: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def ox_term(value: dict):
    """A SPARQL JSON results term as a pyoxigraph term."""
    kind = value.get("type")
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return ox.Literal(value["value"], language=value["xml:lang"])
        if value.get("datatype"):
            return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(value["value"])
    if kind == "triple":
        inner = value["value"]
        return ox.Triple(
            ox_term(inner["subject"]), ox_term(inner["predicate"]), ox_term(inner["object"])
        )
    raise ValueError(f"unsupported term in the endpoint's results: {value!r}")


class RemotePool:
    """Queries answered by a remote SPARQL endpoint, at most ``config.workers`` at once."""

    def __init__(self, url: str, config):
        self.store = RemoteStore(url, read_only=True, timeout=config.timeout)
        self.url = self.store.endpoint
        self.slots = threading.BoundedSemaphore(max(1, config.workers))
        self.closed = False
        # reached once now, so that a wrong URL is an error at start, not on every page
        self.graph_names = [str(g) for g in self.store.graph_names()]
        self.union = self.store._union() if self.graph_names else True
        rows = self.store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        self.triples = int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def run(self, job: dict, timeout: float) -> tuple[int, str, bytes]:
        deadline = time.monotonic() + timeout
        take_slot(self.slots, timeout)
        try:
            return self._evaluate(job, deadline, timeout)
        except HTTPError as exc:
            if exc.status == 503:
                raise
            return plain_text(exc.status, str(exc))
        finally:
            self.slots.release()

    def _evaluate(self, job: dict, deadline: float, timeout: float) -> tuple[int, str, bytes]:
        query = job["query"]
        form = query_form(query)
        kind = {"ASK": "boolean", "SELECT": "solutions"}.get(form, "graph")
        fmt = negotiate(job["accept"], job["format"], kind)
        accept = "application/n-triples" if kind == "graph" else "application/sparql-results+json"
        body = self._ask(query, accept, self._dataset(job), deadline, timeout)
        if kind == "graph":
            try:
                triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
                kept = _at_most(triples, job["max_rows"], "triples")
            except SyntaxError as exc:
                raise HTTPError(502, f"{self.url}: unreadable N-Triples: {exc}") from None
            return 200, FORMAT_MEDIA[fmt], ox.serialize(kept, format=OX_GRAPH_FORMATS[fmt])
        try:  # the endpoint's SPARQL JSON read by pyoxigraph, then written as ours are
            results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise HTTPError(502, f"{self.url}: unreadable SPARQL JSON results: {exc}") from None
        if isinstance(results, ox.QueryBoolean):
            return 200, FORMAT_MEDIA[fmt], write_boolean(bool(results), fmt)
        return 200, FORMAT_MEDIA[fmt], write_solutions(results, fmt, job["max_rows"])

    def _dataset(self, job: dict) -> tuple[list[str], list[str]] | None:
        """(default graphs, named graphs) to send with the query, or None for none."""
        if job["default"] is not None or job["named"] is not None:
            return list(job["default"] or []), list(job["named"] or [])
        if has_dataset_clause(job["query"]):
            # some engines ignore FROM when their default graph is the union (see
            # stores.remote); the same dataset through the protocol is always obeyed
            return dataset_clause(job["query"]) if self.union else None
        if self.union:
            return None
        return list(self.graph_names), list(self.graph_names)

    def _ask(self, query: str, accept: str, dataset, deadline: float, timeout: float) -> bytes:
        fields = [("query", query)]
        if dataset is not None:
            fields += [("default-graph-uri", g) for g in dataset[0]]
            fields += [("named-graph-uri", g) for g in dataset[1]]
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(fields).encode("ascii"),
            method="POST",
            headers={
                "Accept": accept,
                "Content-Type": "application/x-www-form-urlencoded",
                "User-Agent": AGENT,
            },
        )
        if self.store._auth:
            request.add_header("Authorization", self.store._auth)
        left = deadline - time.monotonic()
        if left <= 0:
            raise _overrun(timeout)
        try:
            with urllib.request.urlopen(request, timeout=left) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            line = detail[0] if detail else exc.reason
            status = 400 if 400 <= exc.code < 500 else 502
            raise HTTPError(status, f"{self.url} answered {exc.code}: {line}") from None
        except TimeoutError:
            raise _overrun(timeout) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                raise _overrun(timeout) from None
            raise HTTPError(
                502, f"{self.url}: cannot reach the SPARQL endpoint: {reason}"
            ) from None

    def close(self) -> None:
        self.closed = True


def _overrun(timeout: float) -> HTTPError:
    return HTTPError(
        503,
        f"the query exceeded the time limit of {timeout:g} s and was stopped; no partial "
        "results are returned. Narrow it down or add LIMIT.",
    )
