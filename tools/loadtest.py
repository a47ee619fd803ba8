"""A bounded load test of the SPARQL endpoint, beside ``oxigraph serve-read-only``.

Concurrent clients (threads, loopback only) send a seeded mix of the named queries —
national and per authority, small and large results, and one that cannot finish within
the time limit — for a fixed time to ``inspectgraph serve`` and then, in the same run, to
``oxigraph serve-read-only`` over a copy of the same store with the same time limit.
Before the clients start, each query is sent once alone (which also warms the page cache);
every answer under load is checked against the row count given then, so a truncated
result counts as such, not as an answer. Both servers read the same copy of the store
(ours through its snapshot of hard links), one after the other.

Reported per server: answers, time-limit errors (a clean 503 for ours), other errors,
truncated results, throughput (answers per second), p50/p95/p99 latency of the answers,
and the peak memory of the server with its worker processes.
"""

from __future__ import annotations

import collections
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

__all__ = ["MIX", "load_test", "render_load"]

AUTHORITIES = ("Sunderland", "Norfolk", "Dorset", "Brent", "Derbyshire", "Gateshead")
#: (label, named query or None, parameters or SPARQL text, weight)
MIX = [
    ("partnerships, national", "partnerships", {}, 3),
    ("partnerships, one authority", "partnerships", {"la": "*"}, 3),
    ("finding-agencies, national (large)", "finding-agencies", {"polarity": ""}, 1),
    ("finding-agencies, one authority", "finding-agencies", {"la": "*"}, 3),
    ("criticised-findings, national (large)", "criticised-findings", {}, 1),
    ("inspections, one authority", "inspections", {"la": "*"}, 3),
    ("local-authorities, national", "local-authorities", {}, 2),
    ("judgement-history, national", "judgement-history", {}, 2),
    ("findings-by-theme, national", "findings-by-theme", {"theme": "front_door"}, 2),
    (
        "over the time limit",
        None,
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }",
        1,
    ),
]


def _texts(seed: int) -> list[tuple[str, str, int]]:
    """(label, SPARQL text, weight), authorities drawn with ``seed``; one text per
    authority so that per-authority queries vary."""
    from inspectgraph.graph.sparql import inject_values
    from inspectgraph.queries import get

    rng = random.Random(seed)
    out = []
    for label, name, params, weight in MIX:
        if name is None:
            out.append((label, params, weight))
            continue
        query = get(name)
        for la in rng.sample(AUTHORITIES, 3) if params.get("la") == "*" else [None]:
            values = {**params, **({"la": la} if la else {})}
            text = inject_values(*query.prepare(values))
            out.append((f"{label}{f' ({la})' if la else ''}", text, weight))
    return out


def patience_for(time_limit: float) -> float:
    """How long a client waits for an answer by default: well past the time limit, since a
    server that misses it (Oxigraph's cannot stop some queries) is measured, not cut off."""
    return time_limit * 3 + 30


def warm_pass(
    url: str, texts: list[tuple[str, str, int]], time_limit: float, patience: float | None = None
) -> dict:
    """Each query once, alone: its row count (``None`` when it does not finish within the
    time limit even alone, or no answer comes within ``patience`` seconds). Also fills the
    page cache before the clients start."""
    counts: dict[str, int | None] = {}
    wait = patience_for(time_limit) if patience is None else patience
    for label, text, _ in texts:
        status, data, _took = _ask(url, text, wait)
        counts[label] = _rows(data) if status == 200 else None
    return counts


class _Memory(threading.Thread):
    """Samples the resident memory of a process and its descendants, and the machine's
    load average (the machine may be shared: the figures say how busy it was)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()
        self.loads: list[float] = []

    def run(self) -> None:
        import psutil

        root = psutil.Process(self.pid)
        while not self.stop.wait(0.2):
            self.loads.append(os.getloadavg()[0])
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            self.peak = max(self.peak, total)


def _ask(url: str, text: str, timeout: float) -> tuple[int, bytes, float]:
    body = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Accept": "application/sparql-results+json"}
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
            return response.status, data, time.perf_counter() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.perf_counter() - started
    except (OSError, urllib.error.URLError) as exc:
        return 0, str(exc).encode(), time.perf_counter() - started


def _rows(data: bytes) -> int | None:
    try:
        return len(json.loads(data)["results"]["bindings"])
    except (ValueError, KeyError, TypeError):
        return None


def run_clients(
    url: str,
    texts: list[tuple[str, str, int]],
    expected: dict[str, int | None],
    *,
    clients: int,
    seconds: float,
    time_limit: float,
    seed: int,
    patience: float | None = None,
) -> dict:
    """``clients`` threads sending the mix to ``url`` for ``seconds``; each waits up to
    ``patience`` seconds for an answer (default :func:`patience_for` the time limit)."""
    records: list[tuple[str, str, float, str]] = []  # (label, outcome, seconds, detail)
    finished: list[tuple[str, float]] = []  # (outcome, when)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    labels = [t[0] for t in texts]
    weights = [t[2] for t in texts]
    by_label = {t[0]: t[1] for t in texts}
    wait = patience_for(time_limit) if patience is None else patience

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        while time.monotonic() < deadline:
            label = rng.choices(labels, weights)[0]
            status, data, took = _ask(url, by_label[label], wait)
            want = expected[label]
            if status == 200:
                rows = _rows(data)
                if rows is None or (want is not None and rows < want):
                    outcome = "truncated"
                elif want is not None and rows != want:
                    outcome = "wrong"
                else:
                    outcome = "answer"
            elif status == 503 and b"memory passed its" in data:
                outcome = "memory limit"  # ours: stopped by the memory budget or limit
            elif status == 503 or (want is None and status in (500, 504)):
                outcome = "time limit"
            else:
                outcome = "error"
            with lock:
                records.append((label, outcome, took, f"{status} {data[:120]!r}"))
                finished.append((outcome, time.monotonic()))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    answers = sorted(r[2] for r in records if r[1] == "answer")

    def pct(q: float) -> float | None:
        if not answers:
            return None
        return answers[min(len(answers) - 1, int(q * len(answers)))]

    counts = {
        k: sum(1 for r in records if r[1] == k)
        for k in ("answer", "time limit", "memory limit", "truncated", "wrong", "error")
    }
    by_label: dict[str, dict[str, int]] = {}
    for label, outcome, _took, _detail in records:
        by_label.setdefault(label, collections.Counter())[outcome] += 1
    return {
        **counts,
        "by_label": {label: dict(c) for label, c in sorted(by_label.items())},
        "seconds": elapsed,  # until the last request sent in the window came back
        # answers that came back within the window, per second of it
        "throughput": sum(1 for o, t in finished if o == "answer" and t <= deadline) / seconds,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": statistics.fmean(answers) if answers else None,
        "examples": sorted(
            {(r[0], r[1], r[3][:160]) for r in records if r[1] not in ("answer", "time limit")}
        )[:5],
    }


def _wait_for(url: str, process: subprocess.Popen, limit: float = 300.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}) before answering {url}")
        status, _, _ = _ask(url, "ASK {}", 5)
        if status == 200:
            return
        time.sleep(0.1)  # each try is one ASK: cheap to ask often
    raise RuntimeError(f"{url} did not answer within {limit:.0f} s")


def load_test(
    store: Path,
    workdir: Path,
    *,
    clients: int = 16,
    seconds: float = 60.0,
    time_limit: float = 10.0,
    workers: int = 16,
    seed: int = 19,
    patience: float | None = None,
    say=lambda m: print(m, file=sys.stderr, flush=True),
) -> dict:
    """Run the mix against both servers, one after the other; returns their figures.
    ``patience``: how long a client waits for an answer (default :func:`patience_for`)."""
    from inspectgraph.testing import free_port

    served = workdir / "served"
    shutil.rmtree(served, ignore_errors=True)
    shutil.copytree(store, served)
    texts = _texts(seed)
    triples = _triples(served)
    servers = {
        "inspectgraph serve": lambda port: (
            [
                sys.executable,
                "-m",
                "inspectgraph",
                "serve",
                "--store",
                str(served),
                "--port",
                str(port),
                "--timeout",
                str(time_limit),
                "--workers",
                str(workers),
                "--quiet",
            ],
            f"http://127.0.0.1:{port}/sparql",
        ),
        "oxigraph serve-read-only": lambda port: (
            [
                _oxigraph(),
                "serve-read-only",
                "--location",
                str(served),
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
                "--timeout-s",
                str(int(time_limit)),
            ],
            f"http://127.0.0.1:{port}/query",
        ),
    }
    results = {
        "triples": triples,
        "clients": clients,
        "seconds": seconds,
        "time_limit": time_limit,
        "workers": workers,
        "expected": {},
        "servers": {},
    }
    expected: dict = {}
    for name, make in servers.items():
        cmd, url = make(free_port())
        log = workdir / f"{name.split()[0]}.log"  # ours says there when it kills a worker
        with open(log, "wb") as sink:
            process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=sink)
        try:
            _wait_for(url, process)
            say(f"load test: {name}, each query alone")
            alone = warm_pass(url, texts, time_limit, patience)
            if not expected:  # the first server's answers alone are the reference
                expected.update(alone)
                results["expected"] = dict(expected)
            results.setdefault("alone", {})[name] = alone
            memory = _Memory(process.pid)
            memory.start()
            say(f"load test: {name}, {clients} clients for {seconds:.0f} s")
            figures = run_clients(
                url,
                texts,
                expected,
                clients=clients,
                seconds=seconds,
                time_limit=time_limit,
                seed=seed,
                patience=patience,
            )
            memory.stop.set()
            memory.join()
            figures["peak_mb"] = memory.peak / 2**20
            figures["limit_kills"] = log.read_bytes().count(b"memory past the limit")
            loads = memory.loads or [os.getloadavg()[0]]
            figures["load"] = [min(loads), statistics.fmean(loads), max(loads)]
            say(f"  {json.dumps(figures, default=str)}")
            results["servers"][name] = figures
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
    return results


def _triples(store: Path) -> int:
    import pyoxigraph as ox

    return len(ox.Store.read_only(str(store)))


def _oxigraph() -> str:
    from inspectgraph.testing import _oxigraph_executable

    return _oxigraph_executable()


def render_load(result: dict) -> str:
    """The load test's table (Markdown), with the issue's targets against oxigraph's."""
    servers = result["servers"]
    lines = [
        f"{result['clients']} clients, {result['seconds']:.0f} s per server, time limit "
        f"{result['time_limit']:g} s, inspectgraph serve with {result['workers']} workers; "
        "answers/s counts the complete answers returned within the window; latencies are "
        "those of complete answers; *drain* is how long the last request sent in the window "
        "took to come back after it; *load* is the machine's load average (1 minute) "
        "during the server's window, mean (min–max).",
        "",
        "| server | answers | time-limit errors | other errors | truncated or wrong | "
        "answers/s | p50 (s) | p95 (s) | p99 (s) | drain (s) | peak memory (MB) | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def s(v):
        return "–" if v is None else f"{v:.2f}"

    for name, f in servers.items():
        lines.append(
            f"| {name} | {f['answer']} | {f['time limit']} | {f['error']} | "
            f"{f['truncated'] + f['wrong']} | {f['throughput']:.2f} | {s(f['p50'])} | "
            f"{s(f['p95'])} | {s(f['p99'])} | {f['seconds'] - result['seconds']:.0f} | "
            f"{f['peak_mb']:.0f} | {_load(f.get('load'))} |"
        )
    ours = servers.get("inspectgraph serve")
    theirs = servers.get("oxigraph serve-read-only")
    if ours and theirs and theirs["throughput"] and theirs["p95"]:
        throughput = ours["throughput"] / theirs["throughput"]
        p95 = (ours["p95"] or 0) / theirs["p95"]
        lines += [
            "",
            "| target | measured | wanted | met |",
            "| --- | ---: | ---: | --- |",
            f"| memory stops (a 503 for a query running alone, stopped past the memory budget "
            f"or limit) | {ours.get('memory limit', 0)} | – | – |",
            f"| worker processes killed past the memory limit (their queries sent again) | "
            f"{ours.get('limit_kills', 0)} | – | – |",
            f"| errors beyond time limits | {ours['error'] + ours['truncated'] + ours['wrong']} "
            f"| 0 | {'yes' if ours['error'] + ours['truncated'] + ours['wrong'] == 0 else '**no**'} |",
            f"| peak memory | {ours['peak_mb']:.0f} MB | ≤ 2048 MB | "
            f"{'yes' if ours['peak_mb'] <= 2048 else '**no**'} |",
            f"| throughput vs oxigraph | {throughput:.2f}× | ≥ 0.8× | "
            f"{'yes' if throughput >= 0.8 else '**no**'} |",
            f"| p95 vs oxigraph | {p95:.2f}× | ≤ 1.5× | {'yes' if p95 <= 1.5 else '**no**'} |",
        ]
    labels = sorted({label for f in servers.values() for label in f.get("by_label", {})})
    if labels:
        names = list(servers)
        lines += [
            "",
            "Outcomes per query (answers / time-limit errors / memory stops, truncated, "
            "wrong or other errors), and its rows when asked alone:",
            "",
            "| query | rows alone | " + " | ".join(names) + " |",
            "| --- | ---: |" + " ---: |" * len(names),
        ]
        for label in labels:
            rows = result.get("expected", {}).get(label)
            cells = []
            for name in names:
                c = servers[name].get("by_label", {}).get(label, {})
                bad = sum(c.get(k, 0) for k in ("memory limit", "truncated", "wrong", "error"))
                cells.append(f"{c.get('answer', 0)} / {c.get('time limit', 0)} / {bad}")
            alone = "over the limit" if rows is None else f"{rows:,}"
            lines.append(f"| {label} | {alone} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _load(load: list[float] | None) -> str:
    if not load:
        return "–"
    low, mean, high = load
    return f"{mean:.1f} ({low:.0f}–{high:.0f})"
