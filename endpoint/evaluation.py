"""A worker process of the endpoint: it opens the store read-only and evaluates the
queries the pool sends it (:mod:`.workers`), each in a thread of its own.

Run as ``python -m inspectgraph.endpoint.evaluation --worker SOURCE_JSON``."""

from __future__ import annotations

import json
import sys
import threading

import pyoxigraph as ox

from .negotiation import FORMAT_MEDIA, HTTPError, negotiate
from .results import plain_text, write_boolean, write_graph, write_solutions

__all__ = ["evaluate", "open_dataset"]


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
        return plain_text(exc.status, str(exc))
    except SyntaxError as exc:
        return plain_text(400, f"SPARQL syntax error: {exc}")
    except (ValueError, OSError, TypeError) as exc:
        return plain_text(500, f"query failed: {exc}")


def _worker_process(argv: list[str]) -> None:  # pragma: no cover - runs in a child process
    """A worker: ``python -m inspectgraph.endpoint.evaluation --worker SOURCE_JSON``; jobs ``(id, job)``
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


if __name__ == "__main__" and sys.argv[1:2] == ["--worker"]:
    _worker_process(sys.argv[2:])
