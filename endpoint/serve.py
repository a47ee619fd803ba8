"""A read-only SPARQL 1.1 Protocol endpoint over a store: ``inspectgraph serve``.

Why not ``oxigraph serve-read-only``? It was evaluated (0.5.13, on a built store) and
misses four requirements: its query time limit ends a streamed response with an
error line *after* a ``200 OK`` and partial results (a 1.2 GB truncated TSV in the
test), it has no cap on result rows or request size, and its query page (YASGUI)
offers remote endpoints and prefix look-ups. So the endpoint is a small WSGI
application over pyoxigraph, with the evaluation in a worker process, in five parts:
this module (the server: the snapshot, the HTTP server, ``serve``), :mod:`.app` (the WSGI
application and its settings), :mod:`.negotiation` (media types, ``Accept``, HTTP errors),
:mod:`.results` (the result writers), :mod:`.workers` (the worker pool) with
:mod:`.evaluation` (what runs in a worker process).

- **Protocol**: query by GET, POST form and POST direct (``application/sparql-query``),
  ``default-graph-uri`` / ``named-graph-uri``; updates are refused (403), as are
  malformed requests (400, 405, 413, 414, 415). Without a dataset in the request or
  the query, the default graph is the union of the named graphs (one per source).
- **Content negotiation**: SPARQL JSON, XML, CSV and TSV results; Turtle, N-Triples,
  JSON-LD and RDF/XML graphs (``Accept``, or ``format=json|xml|csv|tsv|ttl|nt|jsonld|rdf``).
- **Service description** at the endpoint URL without a query (Turtle by default).
- **Limits**: queries run in threads of a worker process (pyoxigraph evaluates and
  writes results without the GIL); a query over the time limit ends in a ``503`` with an
  explanation, never in truncated results (see :class:`.workers.WorkerPool`); results are written whole (by pyoxigraph) before the response
  starts, and more rows than ``max_rows`` is an error, not a cut. ``SERVICE`` (federated query) is refused: the endpoint never
  fetches other URLs. Request bodies and URLs are limited in size.
- **CORS** headers only when asked (``cors=True``).
- **The query page** at ``/`` works offline: no script, style or font from elsewhere
  (its Content-Security-Policy forbids it), with the named queries as examples.

The served data is a snapshot taken at start-up (a RocksDB backup, hard links where
possible), so ``inspectgraph build`` can keep writing to the store meanwhile.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pyoxigraph as ox

from ..errors import StoreError
from .app import EndpointConfig, SparqlApp
from .workers import WorkerPool

__all__ = ["Endpoint", "EndpointConfig", "SparqlApp", "serve"]


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
        from ..graph.stores.oxigraph import OxigraphStore

        target = Path(tempfile.mkdtemp(prefix=".serve-", dir=self.path.parent)) / "snapshot"
        try:
            OxigraphStore.snapshot(self.path, target)
            self._snapshot = target.parent
            location = target
        except (OSError, StoreError) as exc:
            shutil.rmtree(target.parent, ignore_errors=True)
            if isinstance(exc, StoreError):  # a writer holds the store
                raise
            location = self.path  # e.g. a read-only copy: serve it in place
        view = OxigraphStore(location, read_only=True)
        names = [str(g) for g in view.graph_names()]
        hidden = view.hidden_graphs
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
                limit = self.config.memory_limit
                if limit is None:
                    limit = int(self.config.memory_budget * 1.4)
                self._pool = WorkerPool(
                    source, max(1, self.config.workers), budget, limit * 2**20 or None
                )
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
    from ..graph.sparql import for_engine, inject_values

    examples = []
    for q in queries.registry().values():
        # the text as prepared for the defaults (optional filters left out, names folded)
        text, bindings = q.prepare({p.name: Literal("") for p in q.params if p.required})
        text = for_engine(text, frozenset())  # the examples run on Oxigraph: its shape only
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
