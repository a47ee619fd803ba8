"""A read-only SPARQL 1.1 Protocol endpoint over a store: ``inspectgraph serve``.

Why not ``oxigraph serve-read-only``? It was evaluated (0.5.13, on a built store) and
misses four requirements: its query time limit ends a streamed response with an
error line *after* a ``200 OK`` and partial results (a 1.2 GB truncated TSV in the
test), it has no cap on result rows or request size, and its query page (YASGUI)
offers remote endpoints and prefix look-ups. So this module is a small WSGI
application over pyoxigraph, with the evaluation in a worker process:

- **Protocol**: query by GET, POST form and POST direct (``application/sparql-query``),
  ``default-graph-uri`` / ``named-graph-uri``; updates are refused (403), as are
  malformed requests (400, 405, 413, 414, 415). Without a dataset in the request or
  the query, the default graph is the union of the named graphs (one per source).
- **Content negotiation**: SPARQL JSON, XML, CSV and TSV results; Turtle, N-Triples,
  JSON-LD and RDF/XML graphs (``Accept``, or ``format=json|xml|csv|tsv|ttl|nt|jsonld|rdf``).
- **Service description** at the endpoint URL without a query (Turtle by default).
- **Limits**: queries run in threads of a worker process (pyoxigraph evaluates and
  writes results without the GIL); a query over the time limit ends in a ``503`` with an
  explanation, never in truncated results, and its process is replaced and killed (see
  :class:`WorkerPool`); results are written whole (by pyoxigraph) before the response
  starts, and more rows than ``max_rows`` is an error, not a cut. ``SERVICE`` (federated query) is refused: the endpoint never
  fetches other URLs. Request bodies and URLs are limited in size.
- **CORS** headers only when asked (``cors=True``).
- **The query page** at ``/`` works offline: no script, style or font from elsewhere
  (its Content-Security-Policy forbids it), with the named queries as examples.

The served data is a snapshot taken at start-up (a RocksDB backup, hard links where
possible), so ``inspectgraph build`` can keep writing to the store meanwhile.
"""

from __future__ import annotations

import collections
import io
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pyoxigraph as ox

from ..errors import StoreError

__all__ = ["Endpoint", "EndpointConfig", "SparqlApp", "serve"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

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
    cors: bool = False  #: send Access-Control-Allow-Origin: *
    title: str = "inspectgraph SPARQL endpoint"
    examples: list[dict] = field(default_factory=list)  #: [{name, title, query}] for the page
    site: bool = True  #: serve the browsable pages (/browse, /id/..., /def/...; see .site)


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


def _status_line(status: int) -> str:
    return STATUS.get(status, f"{status} Error")


# ---------------------------------------------------------------------- evaluation (workers)


def open_dataset(source: dict) -> ox.Store:
    """The pyoxigraph store a worker queries: a read-only RocksDB or an in-memory copy."""
    if source["kind"] == "oxigraph":
        return ox.Store.read_only(source["path"])
    store = ox.Store()
    store.load(path=source["path"], format=ox.RdfFormat.N_QUADS)
    return store


def evaluate(store: ox.Store, job: dict) -> tuple[int, str, bytes]:
    """Run one query job; (HTTP status, content type, body), never partial results."""
    kwargs: dict = {}
    if job["default"] is not None or job["named"] is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default"] or []]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named"] or []]
    elif not job["has_dataset"]:
        kwargs["use_default_graph_as_union"] = True
        hidden = job.get("hidden")
        if hidden:  # graphs of an interrupted bulk write (see stores.oxigraph)
            visible = [g for g in store.named_graphs() if g.value not in hidden]
            kwargs = {"default_graph": visible, "named_graphs": visible}
    try:
        result = store.query(job["query"], base_iri=job.get("base"), **kwargs)
        if isinstance(result, (bool, ox.QueryBoolean)):
            fmt = negotiate(job["accept"], job["format"], "boolean")
            return 200, FORMAT_MEDIA[fmt], write_boolean(bool(result), fmt)
        if isinstance(result, ox.QuerySolutions):
            fmt = negotiate(job["accept"], job["format"], "solutions")
            return 200, FORMAT_MEDIA[fmt], write_solutions(result, fmt, job["max_rows"])
        fmt = negotiate(job["accept"], job["format"], "graph")
        return 200, FORMAT_MEDIA[fmt], write_graph(result, fmt, job["max_rows"])
    except HTTPError as exc:
        return _plain_text(exc.status, str(exc))
    except SyntaxError as exc:
        return _plain_text(400, f"SPARQL syntax error: {exc}")
    except (ValueError, OSError, TypeError) as exc:
        return _plain_text(500, f"query failed: {exc}")


def _plain_text(status: int, message: str) -> tuple[int, str, bytes]:
    """An answer that is one line of text: (HTTP status, content type, body)."""
    return status, PLAIN_TEXT, f"{message}\n".encode()


def _worker_process(argv: list[str]) -> None:  # pragma: no cover - runs in a child process
    """A worker: ``python -m inspectgraph.endpoint.serve --worker SOURCE_JSON``; jobs ``(id, job)``
    arrive on standard input and answers ``(id, answer)`` leave on standard output
    (pickled, length-prefixed). Each job runs in a thread of its own over the one store:
    pyoxigraph lets go of the GIL while it evaluates, so the threads use every core and
    share one block cache."""
    import os
    import signal
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's business
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # stray prints must not corrupt the protocol
    jobs = Connection(0, writable=False)
    source = json.loads(argv[0])
    store = open_dataset(source)
    answers.send(("ready", len(store) if source.get("count", True) else -1))
    lock = threading.Lock()  # one answer on the pipe at a time

    def work(job_id: int, job: dict) -> None:
        status, content_type, body = evaluate(store, job)
        with lock:  # the body goes as it is, not pickled (a copy less of a large result)
            answers.send((job_id, status, content_type))
            answers.send_bytes(body)
        del body, job
        _give_memory_back()  # after each query: under load a worker is never idle

    while True:
        try:
            message = jobs.recv()
        except EOFError:
            return
        if message is None:
            return
        threading.Thread(target=work, args=message, daemon=True).start()


def _give_memory_back() -> None:
    """Return the heap that finished queries freed to the system (glibc keeps it
    otherwise, and a worker would hold its largest moment's memory for good)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


# ---------------------------------------------------------------------- content negotiation


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


# ---------------------------------------------------------------------- result writers

# Results are written by pyoxigraph, not term by term in Python: a third faster on the
# national store's large results, and the same bytes. They are written first as TSV or
# N-Triples, one line per row or triple, through a writer that counts the lines, so that
# a result over the row cap is refused once it passes the cap, before it fills the memory;
# the other formats are converted from that text (a few per cent of the query's time).

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
# characters XML 1.0 cannot carry (TSV escapes tab, newline and return inside values)
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class _LineCap(io.RawIOBase):
    """A binary sink that keeps what is written and stops the writer once it holds more
    than ``limit`` rows (or triples: ``what``), one a line after ``header`` lines."""

    def __init__(self, limit: int, what: str, header: int = 0):
        super().__init__()
        self.limit, self.what = limit, what
        self.lines = -header
        self.parts: collections.deque[bytes] = collections.deque()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            raise HTTPError(
                400,
                f"the result has more than {self.limit} {self.what}, "
                "the limit of this endpoint: add LIMIT (and OFFSET to page), or use "
                "`inspectgraph export` for the whole graph",
            )
        self.parts.append(data)
        return len(data)

    def text(self) -> bytes:
        """Everything written, as one value (the parts are let go)."""
        text = b"".join(self.parts)
        self.parts.clear()
        return text

    def reader(self) -> io.BufferedReader:
        """Everything written, read once: each part is let go as it is read, so that a
        conversion holds little more than its output."""
        return io.BufferedReader(_Drain(self.parts))


class _Drain(io.RawIOBase):
    """Reads a queue of byte strings, removing each once it is read."""

    def __init__(self, parts: collections.deque[bytes]):
        super().__init__()
        self.parts = parts

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self.parts:
            return 0
        head = self.parts[0]
        n = min(len(buffer), len(head))
        buffer[:n] = head[:n]
        if n == len(head):
            self.parts.popleft()
        else:
            self.parts[0] = head[n:]
        return n


def write_solutions(solutions: ox.QuerySolutions, fmt: str, max_rows: int) -> bytes:
    """SELECT results in SPARQL JSON, XML, CSV or TSV; more than ``max_rows`` is an error.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("a,b")))
    >>> print(write_solutions(store.query("SELECT ?o { ?s ?p ?o }"), "csv", 10).decode(), end="")
    o
    "a,b"
    """
    sink = _LineCap(max_rows, "rows", header=1)
    solutions.serialize(sink, format=ox.QueryResultsFormat.TSV)
    if fmt == "tsv":
        return sink.text()
    if fmt == "xml" and any(_NOT_XML.search(part) for part in sink.parts):
        raise HTTPError(
            406, "a value holds a control character that XML 1.0 cannot carry; ask for JSON or TSV"
        )
    parsed = ox.parse_query_results(sink.reader(), format=ox.QueryResultsFormat.TSV)
    return parsed.serialize(format=RESULT_FORMATS[fmt])


def write_graph(triples: ox.QueryTriples, fmt: str, max_triples: int) -> bytes:
    """CONSTRUCT and DESCRIBE results; more than ``max_triples`` is an error."""
    sink = _LineCap(max_triples, "triples")
    triples.serialize(sink, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "nt":
        return sink.text()
    parsed = ox.parse(sink.reader(), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(parsed, format=OX_GRAPH_FORMATS[fmt])


def write_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    return (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
    ).encode()


# ---------------------------------------------------------------------- workers (parent side)


class _Worker:
    """One worker process (``python -m inspectgraph.endpoint.serve --worker``), its pipes, and the
    requests waiting for its answers."""

    def __init__(self, source: dict):
        import subprocess
        from multiprocessing.connection import Connection

        # two malloc arenas, not glibc's eight per core: with a thread per query, each
        # arena kept its own high-water mark of freed memory
        env = {**os.environ, "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "inspectgraph.endpoint.serve", "--worker", json.dumps(source)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        # the connections own their descriptors; the Popen pipe objects are closed now
        self.jobs = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        _ready, self.triples = self.answers.recv()  # EOFError if it could not open the store
        self.lock = threading.Lock()
        self.waiting: dict[int, _Answer] = {}  # job id -> the request waiting for it
        self.draining = False  # takes no new jobs; killed when nobody waits for it
        # jobs still running that nobody waits for: job id -> (query key, overran at)
        self.orphans: dict[int, tuple[str, float]] = {}
        self.on_kill = lambda: None  # the pool's: another worker may drain now
        self.dead = False
        self.taken = 0  # jobs sent to it
        self.over_budget = False  # killed by the memory budget (a suspect running alone)
        self.killed = False
        self._kill_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def submit(self, job_id: int, job: dict) -> _Answer | None:
        """Send ``job``; ``None`` if this worker takes no new jobs (it drains)."""
        answer = _Answer()
        with self.lock:
            if self.draining:
                return None
            if self.dead:
                answer.crashed()
                return answer
            self.waiting[job_id] = answer
            self.taken += 1
            try:
                self.jobs.send((job_id, job))
            except OSError:
                answer.crashed()
        return answer

    def done_with(self, job_id: int) -> None:
        """The request for ``job_id`` has its answer or gave up; a draining worker that
        nobody waits for any more is killed (with any query still running in it)."""
        with self.lock:
            self.waiting.pop(job_id, None)
            finished = self.draining and not self.waiting
        if finished:
            self.kill()

    def _read(self) -> None:
        while True:
            try:
                job_id, status, content_type = self.answers.recv()
                body = self.answers.recv_bytes()
            except (EOFError, OSError):
                break
            with self.lock:
                answer = self.waiting.get(job_id)
                self.orphans.pop(job_id, None)  # it finished after all
            if answer is not None:
                answer.give((status, content_type, body))
            del body
        with self.lock:  # the process died (killed, or out of memory)
            self.dead = True
            for answer in self.waiting.values():
                answer.crashed()
        self.answers.close()

    def stop(self) -> None:
        try:
            with self.lock:
                self.jobs.send(None)
            self.process.wait(timeout=2)
        except Exception:  # noqa: BLE001 - it is going away anyway
            pass
        self.kill()

    def kill(self) -> None:
        """End the process (once: the pool's watcher and a request may both call it)."""
        with self._kill_lock:
            if self.killed:
                return
            self.killed = True
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.jobs.close()
        self.on_kill()


class _Answer:
    """Where a request waits for its worker's answer."""

    def __init__(self):
        self.ready = threading.Event()
        self.result: tuple[int, str, bytes] | None = None

    def give(self, result: tuple[int, str, bytes]) -> None:
        self.result = result
        self.ready.set()

    def crashed(self) -> None:
        self.ready.set()  # with no result


def take_slot(slots: threading.Semaphore, timeout: float, limit: float | None = None) -> None:
    """Wait up to ``timeout`` for one of the queries-at-once ``slots``; a 503 with
    Retry-After when none frees in time (the wait counts against the query's ``limit``,
    by default ``timeout``)."""
    if not slots.acquire(timeout=timeout):
        raise HTTPError(
            503,
            f"every worker stayed busy for the time limit ({limit or timeout:g} s); "
            "try again later",
            [("Retry-After", "5")],
        )


class WorkerPool:
    """Evaluates queries, at most ``size`` at once, in worker processes (threads over one
    store); a query that overruns the time limit is answered 503, never cut short.

    pyoxigraph cannot stop a query, so a query is stopped by ending its process. The
    shared process also runs other clients' queries, so it is not killed at once: a query
    that overruns runs on (an *orphan*: nobody waits for it), since under load most
    overruns are queries a few seconds from their end. When an orphan has run on for
    another time limit, or more than ``max_orphans`` run, the process is set to drain
    (a fresh process takes every new query) and killed when the last request still
    waiting for it has its answer or its own time limit, so that no other query is cut
    short. One process drains at a time. Each drain costs the next queries a cold block
    cache (a query's second run in a process is 1.2–1.8× faster than its first), which is
    why an overrun alone does not drain.

    A query that overran is a *suspect*: the next time it is asked, it runs alone in a
    process of its own (a spare, started beforehand), killed the moment it overruns (as
    Oxigraph's server cancels a query at its limit), so that it neither runs on after
    its 503 nor drains the shared process; one that finishes in time shares again. At
    most a quarter of ``size`` suspects run at once (each has a process and memory of
    its own), and one starts only while the memory is under the budget; otherwise it
    runs in the shared process like any query.

    With ``memory_budget`` (bytes), a thread watches the resident memory of the server
    and its workers: past the budget, the largest suspect running alone is stopped if it
    holds half the budget, else the shared process is set to drain (new queries go to a
    fresh one) and is killed as soon as only orphans remain in it.

    One process for all queries, rather than one each, shares one block cache and one
    heap among them: with 16 clients on the national store, 16 processes answered about
    half as many queries as Oxigraph's server, in 2 GB, and threads about as many
    (docs/benchmarks.md)."""

    #: how many suspect queries are remembered (the least recently seen are forgotten)
    SUSPECTS = 256

    def __init__(self, source: dict, size: int, memory_budget: int | None = None):
        self.source = source
        self.size = max(1, size)
        self.slots = threading.BoundedSemaphore(self.size)
        # suspects at once, each in its own process with its own memory; more wait
        self.alone_slots = threading.BoundedSemaphore(max(1, self.size // 4))
        self.closed = False
        self.grace = 30.0  # how long an orphan may run on (the time limit: see run)
        self.max_orphans = max(1, self.size // 4)  # more in the shared process drain it
        self.memory_budget = memory_budget
        self.recycled = 0  #: shared processes replaced because memory passed the budget
        self.alone_runs = 0  #: suspect queries run in a process of their own
        self.stopped = 0  #: suspects stopped because memory passed the budget
        self.peak_rss = 0  #: the largest resident memory the watcher saw (bytes)
        self.last_rss = 0  #: the resident memory the watcher saw last (bytes)
        self._lock = threading.RLock()  # a worker killed under it calls _drain_next
        self._ids = iter(range(1, 2**62))
        self._suspects: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._alone: set[_Worker] = set()  # processes running one suspect query each
        self._spare: _Worker | None = None  # ready for the next suspect
        self._spare_lock = threading.Lock()
        self._refills: list[threading.Thread] = []  # starting spares (joined by close)
        self._worker = self._start(count=True)
        self._draining: set[_Worker] = set()  # killed by their last request, or close()
        self.triples = self._worker.triples
        threading.Thread(target=self._watch, daemon=True).start()

    def _current(self) -> _Worker:
        """The process taking new queries: a fresh one when the last drains or died."""
        with self._lock:
            if self._worker.draining or self._worker.dead:
                self._worker = self._start()
            return self._worker

    def _start(self, count: bool = False) -> _Worker:
        try:  # only the first process counts the triples (seconds on a national store)
            worker = _Worker({**self.source, "count": count})
        except EOFError:
            raise StoreError(f"{self.source['path']}: a worker could not open the store") from None
        worker.on_kill = self._drain_next
        return worker

    def _overran(self, worker: _Worker, job_id: int, key: str) -> None:
        """``job_id`` overran in ``worker``: it runs on, an orphan, until it finishes or
        its process drains (see :meth:`_drain_next`)."""
        with worker.lock:
            worker.orphans[job_id] = (key, time.monotonic())
        self._suspect(key)
        self._drain_next()

    def _drain_next(self) -> None:
        """Drain the shared process if an orphan in it has run on for another time limit
        (that query becomes a suspect) or more than ``max_orphans`` run in it; not while
        another process drains (one at a time, so that memory holds at most two stores'
        caches and heaps). Called on each overrun, when a process is killed, and by the
        watcher four times a second."""
        with self._lock:
            self._draining = {w for w in self._draining if w.process.poll() is None}
            worker = self._worker
            if self.closed or self._draining or worker.draining:
                return
            now = time.monotonic()
            with worker.lock:
                orphans = list(worker.orphans.values())
            long = [key for key, overran in orphans if now - overran >= self.grace]
            for key in long:
                self._suspect(key)
            if long or len(orphans) > self.max_orphans:
                self._drain(worker)

    def _drain(self, worker: _Worker) -> None:
        """Set the shared ``worker`` to drain (under ``_lock``); killed at once if idle."""
        with worker.lock:
            worker.draining = True
            idle = not worker.waiting
        worker.on_kill = lambda: self._drained(worker)
        self._draining.add(worker)
        self._worker = self._start()  # ready before the next query asks for it
        if idle:
            worker.kill()

    def _drained(self, worker: _Worker) -> None:
        """``worker`` was killed after draining: the orphans still running in it when it
        was killed become suspects (they were not seen to finish); the next may drain."""
        with worker.lock:
            keys = [key for key, _overran in worker.orphans.values()]
        for key in keys:
            self._suspect(key)
        self._drain_next()

    # -- suspects: queries that overran once run alone next time

    def _suspect(self, key: str) -> None:
        with self._lock:
            self._suspects[key] = None
            self._suspects.move_to_end(key)
            while len(self._suspects) > self.SUSPECTS:
                self._suspects.popitem(last=False)
            start_spare = self._spare is None and not self.closed
        if start_spare:
            self._start_refill()

    def _is_suspect(self, key: str) -> bool:
        with self._lock:
            return key in self._suspects

    def _refill(self) -> None:
        """Start a spare process for the next suspect (in the background: a second)."""
        if self.closed:
            return
        try:
            worker = self._start()
        except StoreError:
            return
        worker.on_kill = lambda: None
        with self._spare_lock:
            if self._spare is None and not self.closed:
                self._spare = worker
                return
        worker.kill()

    def _take_spare(self) -> _Worker:
        with self._spare_lock:
            worker, self._spare = self._spare, None
        if worker is None or worker.dead:
            worker = self._start()
            worker.on_kill = lambda: None
        self._start_refill()
        return worker

    def _start_refill(self) -> None:
        thread = threading.Thread(target=self._refill, daemon=True)
        with self._lock:
            self._refills = [t for t in self._refills if t.is_alive()] + [thread]
        thread.start()

    def _run_alone(self, job: dict, key: str, deadline: float) -> tuple[int, str, bytes] | None:
        """A suspect query in a process of its own, killed when it is answered or overruns."""
        worker = self._take_spare()
        with self._lock:
            self._alone.add(worker)
            self.alone_runs += 1
        try:
            answer = worker.submit(next(self._ids), job)
            answered = answer.ready.wait(max(0.0, deadline - time.monotonic()))
            if answered and answer.result is None and worker.over_budget:
                raise HTTPError(
                    503,
                    "the query was stopped when the endpoint's memory passed its budget "
                    f"({self.memory_budget // 2**20} MB); it had overrun the time limit before. "
                    "No partial results are returned. Narrow it down or add LIMIT.",
                )
            if answered and answer.result is None:
                raise HTTPError(500, "the query crashed its worker process (out of memory?)")
            if answered:
                with self._lock:  # in time after all: it may share the process again
                    self._suspects.pop(key, None)
                return answer.result
            return None
        finally:
            worker.kill()  # nothing else runs in it
            with self._lock:
                self._alone.discard(worker)

    # -- the memory budget

    def processes(self) -> list[_Worker]:
        """Every live worker process: the shared one, those draining, alone and spare."""
        with self._lock:
            workers = [self._worker, *self._draining, *self._alone]
        spare = self._spare
        if spare is not None:
            workers.append(spare)
        return [w for w in workers if not w.dead and w.process.poll() is None]

    def resident(self) -> int:
        """Resident memory (bytes) of this process and its worker processes."""
        return _rss(os.getpid()) + sum(_rss(w.process.pid) for w in self.processes())

    def _watch(self) -> None:
        """Drains the shared process when its orphans call for it, or memory does."""
        while not self.closed:
            time.sleep(0.25)
            try:
                self._drain_next()
                if self.memory_budget:
                    total = self.last_rss = self.resident()
                    self.peak_rss = max(self.peak_rss, total)
                    if total > self.memory_budget:
                        self._over_budget()
            except (OSError, StoreError) as exc:  # a worker that could not start: next time
                sys.stderr.write(f"inspectgraph serve: {exc}\n")

    def _over_budget(self) -> None:
        """Past the budget: stop the largest suspect running alone if it holds half
        of the budget (one query can take gigabytes: a cross product held 3.8 GB after 20
        s), else replace the shared process (:meth:`_recycle`)."""
        with self._lock:
            alone = [(_rss(w.process.pid), w) for w in self._alone if not w.dead]
        if alone:
            size, worker = max(alone, key=lambda pair: pair[0])
            if size > self.memory_budget // 2:
                worker.over_budget = True
                self.stopped += 1
                worker.kill()  # its request answers 503 (see _run_alone)
                return
        self._recycle()

    def _recycle(self) -> None:
        """Past the budget: new queries go to a fresh process; the shared one is killed
        as soon as only overrunning queries remain in it. Not while another drains (its
        memory is about to go) nor if the shared process has taken no query yet."""
        with self._lock:
            self._draining = {w for w in self._draining if w.process.poll() is None}
            worker = self._worker
            if self.closed or self._draining or worker.draining or not worker.taken:
                return
            self.recycled += 1
            self._drain(worker)

    # -- running a query

    def run(self, job: dict, timeout: float) -> tuple[int, str, bytes]:
        self.grace = timeout
        deadline = time.monotonic() + timeout
        key = _job_key(job)
        # a suspect runs alone if a place among the few suspects at once is free now and
        # the memory is under the budget; else it shares (waiting, small queries that had
        # overrun under load timed out behind large ones)
        suspect = self._is_suspect(key) and self._take_alone()
        try:
            take_slot(self.slots, max(0.0, deadline - time.monotonic()), timeout)
            try:
                if suspect:
                    result = self._run_alone(job, key, deadline)
                else:
                    result = self._run_shared(job, key, deadline)
            finally:
                self.slots.release()
        finally:
            if suspect:
                self.alone_slots.release()
        if result is None:
            raise HTTPError(
                503,
                f"the query exceeded the time limit of {timeout:g} s and was "
                "stopped; no partial results are returned. Narrow it down or add "
                "LIMIT.",
            )
        return result

    def _take_alone(self) -> bool:
        if self.memory_budget and self.last_rss > self.memory_budget:
            return False
        return self.alone_slots.acquire(blocking=False)

    def _run_shared(self, job: dict, key: str, deadline: float) -> tuple[int, str, bytes] | None:
        job_id = next(self._ids)
        answer = None
        while answer is None:  # a worker set to drain meanwhile takes no new job
            worker = self._current()
            answer = worker.submit(job_id, job)
        try:
            answered = answer.ready.wait(max(0.0, deadline - time.monotonic()))
            if answered and answer.result is None:
                raise HTTPError(500, "the query crashed its worker process (out of memory?)")
            if answered:
                return answer.result
            self._overran(worker, job_id, key)
            return None
        finally:
            worker.done_with(job_id)

    def close(self) -> None:
        self.closed = True
        for thread in list(self._refills):  # a spare starting now is killed as it is ready
            thread.join(timeout=30)
        with self._lock:
            self._worker.stop()
            for worker in [*self._draining, *self._alone]:
                worker.kill()
        with self._spare_lock:
            spare, self._spare = self._spare, None
        if spare is not None:
            spare.kill()


def _job_key(job: dict) -> str:
    """What makes two jobs the same query (the format of the answer aside)."""
    return json.dumps([job["query"], job["default"], job["named"], job.get("base")])


def _rss(pid: int) -> int:
    """Resident memory of process ``pid`` in bytes (0 if gone, or not Linux)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


# ---------------------------------------------------------------------- the WSGI application


class SparqlApp:
    """WSGI application: ``/`` the query page, ``/sparql`` the SPARQL endpoint."""

    def __init__(
        self,
        pool: WorkerPool,
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
            status = _status_line(exc.status)
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
            _status_line(status),
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


# ---------------------------------------------------------------------- running it


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    # clients that connect together wait in the kernel's queue; the standard library's
    # 5 made the sixth of 16 load-test clients meet a reset (docs/benchmarks.md)
    request_queue_size = 128


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


class _LogHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


class Endpoint:
    """A running endpoint over the store at ``path``: start(), url, stop() (or ``with``).

    ``kind`` is ``"oxigraph"`` (a directory of the embedded store), ``"memory"`` (a
    directory holding ``store.nq``) or ``"remote"`` (``path`` is the URL of another
    SPARQL endpoint, whose data is served live: see :mod:`.serveremote`). Port 0 picks
    a free port.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        kind: str = "oxigraph",
        host: str = "127.0.0.1",
        port: int = 0,
        config: EndpointConfig | None = None,
        log: bool = False,
    ):
        self.location = str(path)
        self.path = Path(path)
        self.kind = kind
        self.host = host
        self.port = port
        self.config = config or EndpointConfig()
        self.log = log
        self._snapshot: Path | None = None
        self._pool: WorkerPool | None = None
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The SPARQL endpoint's URL."""
        return f"{self.base_url}/sparql"

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def triples(self) -> int:
        return self._pool.triples if self._pool else 0

    def _source(self) -> tuple[dict, list[str], frozenset[str]]:
        if self.kind == "memory":
            snapshot = self.path / "store.nq"
            if not snapshot.exists():
                raise StoreError(f"{self.path}: no store here (no store.nq)")
            data = ox.Store()
            data.load(path=str(snapshot), format=ox.RdfFormat.N_QUADS)
            names = sorted(g.value for g in data.named_graphs())
            return {"kind": "nquads", "path": str(snapshot)}, names, frozenset()
        if (self.path / "store.nq").exists() and not (self.path / "CURRENT").exists():
            raise StoreError(f"{self.path}: this is an rdflib store: serve it with --memory")
        if self.path.exists() and not (self.path / "CURRENT").exists():
            raise StoreError(f"{self.path}: not an inspectgraph store (no Oxigraph database here)")
        if not self.path.exists():
            raise StoreError(
                f"{self.path}: no store here (run `inspectgraph build --store {self.path}` first)"
            )
        from ..graph.stores.oxigraph import JOURNAL, OxigraphStore
        from ..graph.stores.swap import StoreLock

        target = Path(tempfile.mkdtemp(prefix=".serve-", dir=self.path.parent)) / "snapshot"
        lock = StoreLock(self.path)  # a writer swaps the directory only while holding it
        try:
            if not lock.acquire():
                raise OSError("lock held by a writer")
            writer = ox.Store(str(self.path))
            writer.backup(str(target))
            del writer
            lock.release()
            self._snapshot = target.parent
            location = target
        except OSError as exc:
            lock.release()
            shutil.rmtree(target.parent, ignore_errors=True)
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"{self.path}: the store is being written by another process "
                    "(a build?); serve it when that has finished"
                ) from exc
            location = self.path  # e.g. a read-only copy: serve it in place
        view = OxigraphStore(location, read_only=True)
        names = [str(g) for g in view.graph_names()]
        hidden = frozenset(getattr(g, "value", str(g)) for g in view._hidden) - {JOURNAL.value}
        view.close()
        return {"kind": "oxigraph", "path": str(location)}, names, hidden

    def start(self) -> Endpoint:
        if self.kind == "remote":  # serve --endpoint: another server answers (.serveremote)
            from .serveremote import RemotePool

            self._pool = RemotePool(self.location, self.config)
            source, names, hidden = None, self._pool.graph_names, frozenset()
        else:
            source, names, hidden = self._source()
        try:
            if self._pool is None:
                budget = self.config.memory_budget * 2**20 or None
                self._pool = WorkerPool(source, max(1, self.config.workers), budget)
            app = SparqlApp(self._pool, self.config, names, hidden)
            handler = _LogHandler if self.log else _QuietHandler
            self._server = make_server(
                self.host, self.port, app, server_class=_Server, handler_class=handler
            )
        except OSError as exc:
            self.stop()
            raise StoreError(f"cannot listen on {self.host}:{self.port}: {exc}") from exc
        except BaseException:
            self.stop()
            raise
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def wait(self) -> None:
        """Block until interrupted (Ctrl+C)."""
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(0.5)
        except KeyboardInterrupt:
            pass

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self._snapshot is not None:
            shutil.rmtree(self._snapshot, ignore_errors=True)
            self._snapshot = None

    def __enter__(self) -> Endpoint:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def named_query_examples() -> list[dict]:
    """The named queries as page examples, parameters bound to their defaults by VALUES."""
    from rdflib import Literal

    from .. import queries
    from ..graph.sparql import inject_values

    examples = []
    for q in queries.registry().values():
        # the text as prepared for the defaults (optional filters left out, names folded)
        text, bindings = q.prepare({p.name: Literal("") for p in q.params if p.required})
        body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("#"))
        try:
            body = inject_values(body.strip(), bindings) if bindings else body.strip()
        except ValueError:
            continue
        required = [
            f"folded_{p.name}" if f"folded_{p.name}" in bindings else p.name
            for p in q.params
            if p.required
        ]
        note = (
            f"# set {', '.join('?' + r for r in required)} in the VALUES line\n" if required else ""
        )
        examples.append({"name": q.name, "title": q.title, "query": note + body})
    return examples


def serve(
    path: str | Path,
    *,
    kind: str = "oxigraph",
    host: str = "127.0.0.1",
    port: int = 8000,
    config: EndpointConfig | None = None,
    log: bool = True,
    announce=print,
) -> None:
    """Serve the store at ``path`` until interrupted (what ``inspectgraph serve`` runs)."""
    config = config or EndpointConfig()
    if not config.examples:
        config.examples = named_query_examples()
    endpoint = Endpoint(path, kind=kind, host=host, port=port, config=config, log=log)
    endpoint.start()
    previous = None
    if threading.current_thread() is threading.main_thread():
        import signal

        def stop_on_sigterm(signum, frame):
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        what = "live, read-only" if kind == "remote" else "read-only snapshot"
        announce(
            f"Serving {path} ({endpoint.triples} triples, {what}) at "
            f"{endpoint.url}\nQuery page: {endpoint.base_url}/  (Ctrl+C to stop)"
        )
        endpoint.wait()
    finally:
        endpoint.stop()
        if previous is not None:
            import signal

            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__" and sys.argv[1:2] == ["--worker"]:
    _worker_process(sys.argv[2:])
