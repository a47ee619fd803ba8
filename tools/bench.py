"""Benchmarks: ``make bench`` or ``python -m tools.bench [--sizes S,M,L]``.

For each size of seeded synthetic inspection graph (:mod:`tools.synthetic`;
S ≈ 10k, M ≈ 100k, L ≈ 1M triples) and each backend, in a fresh subprocess (so that
peak memory is the backend's own):

- **load**: an N-Quads file of the whole graph into an empty store;
- **partnerships**: the ``partnerships`` named query (the SPARQL aggregate), median;
- **finding-agencies**: the named query the analysis reads (the largest result), median;
- **analysis**: from the finding-agencies rows, the partnership graph (networkx),
  its centralities and communities (what ``inspectgraph partnerships`` and ``viz`` do
  after the query);
- **page**: writing the interactive HTML page of the result;
- **peak RSS** of the process (and, for the remote backend, of the server too).

Backends: two baselines — plain **rdflib** (``Dataset.parse`` and ``Dataset.query``)
and raw **pyoxigraph** on disk (``bulk_load`` and ``query``, results left as
pyoxigraph terms) — and inspectgraph's three stores: the default embedded
**oxigraph**, rdflib **memory** and **remote** (a local ``oxigraph serve`` with
``--union-default-graph``, on disk). Ratios compare each backend with both
baselines measured in the same run.

Latencies are medians of ``--reps`` runs (default 5). A run of a slow backend that
would exceed ``--budget`` seconds per measurement stops after fewer runs (at least
one); the table shows how many were made.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .benchreport import NATIONAL_MARKERS, machine, render_markdown, write_report

__all__ = [
    "BACKENDS",
    "main",
    "measure",
]


BACKENDS = ["rdflib", "pyoxigraph", "oxigraph", "memory", "remote"]


# ---------------------------------------------------------------------- one backend, one size


def _timed(fn, reps: int, budget: float) -> tuple[float, int, object]:
    """(median seconds, runs made, last result); stops early once over ``budget``."""
    times = []
    result = None
    while len(times) < reps:
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
        if sum(times) + times[-1] > budget:
            break
    return statistics.median(times), len(times), result


def measure(
    backend: str, nquads: Path, workdir: Path, *, reps: int = 5, budget: float = 150.0
) -> dict:
    """Measure one backend on one N-Quads file (call it in a fresh process)."""
    import resource

    from inspectgraph import queries
    from inspectgraph.analysis import centrality, communities, partnership_graph
    from inspectgraph.graph.sparql import for_engine, inject_values
    from inspectgraph.viz import write_partnership_page

    out: dict = {"backend": backend}
    # each query as it runs for no parameters (its optional lines dropped, concept tables filled)
    partnerships = queries.get("partnerships").prepare({})
    incidence = queries.get("finding-agencies").prepare({})
    server = None

    if backend == "rdflib":
        from rdflib import Dataset

        ds = Dataset(default_union=True)

        def load():
            ds.parse(str(nquads), format="nquads")

        def run(prepared):
            # the shape our memory store would run: the baselines get each engine's fast shape
            text, b = prepared
            result = ds.query(for_engine(text, {"rdflib"}), initBindings=b)
            return [
                {str(k): ("" if v is None else str(v)) for k, v in row.asdict().items()}
                for row in result
            ]

        count = lambda: len(ds)  # noqa: E731
    elif backend == "pyoxigraph":
        import pyoxigraph as ox

        raw = ox.Store(str(workdir / "pyoxigraph"))

        def load():
            raw.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)

        def run(prepared):
            text, b = prepared
            solutions = raw.query(
                inject_values(for_engine(text, set()), b), use_default_graph_as_union=True
            )
            names = [v.value for v in solutions.variables]
            return [{n: ("" if s[n] is None else s[n].value) for n in names} for s in solutions]

        count = lambda: len(raw)  # noqa: E731
    else:
        from inspectgraph.graph.stores import open_store

        if backend == "remote":
            from inspectgraph.testing import OxigraphServer

            server = OxigraphServer(workdir / "server", union_default_graph=True).start()
            store = open_store(server.query_url, kind="remote")
        else:
            store = open_store(workdir / backend, kind=backend)

        def load():
            store.load(nquads)

        def run(prepared):
            result = store.query(*prepared)
            return [
                {k: ("" if v is None else str(v)) for k, v in row.items()} for row in result.dicts()
            ]

        count = lambda: len(store)  # noqa: E731

    try:
        started = time.perf_counter()
        load()
        out["load"] = time.perf_counter() - started
        out["triples"] = count()
        out["partnerships"], out["partnerships_n"], rows = _timed(
            lambda: run(partnerships), reps, budget
        )
        out["pairs"] = len(rows)
        out["finding_agencies"], out["finding_agencies_n"], rows = _timed(
            lambda: run(incidence), reps, budget
        )
        out["incidence_rows"] = len(rows)

        # the analysis proper, from the rows just read (their query is timed above)
        started = time.perf_counter()
        G = partnership_graph(rows)
        for node, values in centrality(G, seed=0).items():
            G.nodes[node]["degree_centrality"] = values["degree"]
            G.nodes[node]["betweenness"] = values["betweenness"]
        for node, community in communities(G, seed=0).items():
            G.nodes[node]["community"] = community
        out["analysis"] = time.perf_counter() - started
        out["agencies"], out["edges"] = G.number_of_nodes(), G.number_of_edges()

        started = time.perf_counter()
        write_partnership_page(G, workdir / f"{backend}.html", seed=0)
        out["page"] = time.perf_counter() - started
        out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if server is not None:
            out["server_rss"] = server.peak_rss()
    finally:
        if server is not None:
            server.stop()
    return out


def measure_paired(workdir: Path, reps: int = 5) -> dict:
    """The default store against raw pyoxigraph on the stores the two runs left on disk,
    their queries interleaved run by run, so a noisy machine slows both alike."""
    import pyoxigraph as ox

    from inspectgraph import queries
    from inspectgraph.graph.sparql import for_engine, inject_values
    from inspectgraph.graph.stores import open_store

    raw = ox.Store.read_only(str(workdir / "pyoxigraph" / "pyoxigraph"))
    ours = open_store(workdir / "oxigraph" / "oxigraph", read_only=True)
    out = {}
    for name in ("partnerships", "finding-agencies"):
        prepared = queries.get(name).prepare({})
        text = inject_values(for_engine(prepared[0], set()), prepared[1])
        times: dict[str, list[float]] = {"raw": [], "ours": []}
        for _ in range(reps + 1):  # the first round warms both caches and is not counted
            started = time.perf_counter()
            solutions = raw.query(text, use_default_graph_as_union=True)
            names = [v.value for v in solutions.variables]
            [{n: s[n] for n in names} for s in solutions]
            times["raw"].append(time.perf_counter() - started)
            started = time.perf_counter()
            ours.query(*prepared).dicts()
            times["ours"].append(time.perf_counter() - started)
        out[name] = {k: statistics.median(v[1:]) for k, v in times.items()}
    return out


# ---------------------------------------------------------------------- the whole run


def _worker(argv: list[str]) -> None:
    if argv[0] == "paired":
        result = measure_paired(Path(argv[1]), int(argv[2]))
    else:
        backend, nquads, workdir, reps, budget = argv
        result = measure(backend, Path(nquads), Path(workdir), reps=int(reps), budget=float(budget))
    sys.stdout.write("\n" + json.dumps(result) + "\n")


def _run_backend(backend: str, nquads: Path, workdir: Path, reps: int, budget: float) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.bench",
            "--worker",
            backend,
            str(nquads),
            str(workdir),
            str(reps),
            str(budget),
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"backend": backend, "error": tail}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--worker"]:
        _worker(argv[1:])
        return 0
    from .synthetic import SIZES, generate

    parser = argparse.ArgumentParser(
        prog="python -m tools.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sizes",
        default=os.environ.get("BENCH_SIZES", "S,M,L"),
        help="comma-separated: S, M, L or a number of triples (default $BENCH_SIZES or S,M,L)",
    )
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument(
        "--budget",
        type=float,
        default=150.0,
        help="seconds one latency measurement may take before it stops repeating (default 150)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--national",
        action="store_true",
        default=bool(os.environ.get("BENCH_NATIONAL")),
        help="also measure the national store (see tools.benchnational; default on "
        "when $BENCH_NATIONAL is set); --sizes '' for the national section alone",
    )
    parser.add_argument(
        "--national-store",
        type=Path,
        default=os.environ.get("BENCH_NATIONAL_STORE") or None,
        help="measure this national store instead of building one ($BENCH_NATIONAL_STORE)",
    )
    parser.add_argument("--national-reps", type=int, default=3)
    parser.add_argument(
        "--national-budget",
        type=float,
        default=60.0,
        help="seconds one national measurement may take before it stops repeating (default 60)",
    )
    parser.add_argument(
        "--national-limit",
        type=float,
        default=120.0,
        help="seconds one national query or analysis may run before it is stopped (default 120)",
    )
    parser.add_argument("--out", type=Path, help="write the Markdown report here")
    parser.add_argument("--json", type=Path, help="write the raw measurements here")
    args = parser.parse_args(argv)
    backends = [b for b in args.backends.split(",") if b]
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        parser.error(f"unknown backends {sorted(unknown)}; known: {', '.join(BACKENDS)}")
    info = machine()
    if args.national:
        from .benchnationalcases import default_corpora, run
        from .benchnationalreport import render_national

        national = run(
            default_corpora(),
            args.national_store,
            reps=args.national_reps,
            budget=args.national_budget,
            limit=args.national_limit,
        )
        section = render_national(national, machine())
        print(section)
        if args.json:
            args.json.with_suffix(".national.json").write_text(json.dumps(national, indent=1))
        if args.out:
            write_report(args.out, section, NATIONAL_MARKERS)
    if not [s for s in args.sizes.split(",") if s.strip()]:
        return 0
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="inspectgraph-bench-") as tmp:
        for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
            triples = SIZES.get(size.upper()) or int(size)
            started = time.perf_counter()
            data = generate(triples, seed=args.seed)
            nquads = Path(tmp) / f"{size}.nq"
            nquads.write_bytes(data.nquads())
            summary = {
                **data.summary(),
                "bytes": nquads.stat().st_size,
                "seconds": time.perf_counter() - started,
            }
            del data
            print(
                f"{size}: {summary['triples']:,} triples in {summary['seconds']:.1f} s",
                file=sys.stderr,
            )
            rows = []
            for backend in backends:
                result = _run_backend(
                    backend, nquads, Path(tmp) / size / backend, args.reps, args.budget
                )
                print(f"  {backend}: {json.dumps(result)}", file=sys.stderr)
                rows.append(result)
            results[size] = {"data": summary, "backends": rows}
            ok = {r["backend"] for r in rows if "error" not in r}
            if {"pyoxigraph", "oxigraph"} <= ok:
                proc = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "tools.bench",
                        "--worker",
                        "paired",
                        str(Path(tmp) / size),
                        str(args.reps),
                    ],
                    capture_output=True,
                    text=True,
                )
                if proc.returncode == 0:
                    results[size]["paired"] = json.loads(proc.stdout.strip().splitlines()[-1])
                    print(f"  paired: {json.dumps(results[size]['paired'])}", file=sys.stderr)
            if args.json:  # after each size, so a long run that is cut short keeps its results
                args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1))
            nquads.unlink()
    info["load average"] += (
        " at start, " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + " at end"
    )
    report = render_markdown(results, info, args)
    print(report)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1))
    if args.out:
        write_report(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
