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
import datetime as dt
import functools
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["BACKENDS", "main", "measure", "render_markdown"]

BACKENDS = ["rdflib", "pyoxigraph", "oxigraph", "memory", "remote"]
BASELINES = ("rdflib", "pyoxigraph")
TARGETS = {  # (metric, against, ratio): what the issue asks of the default store at L
    "partnerships vs rdflib": ("partnerships", "rdflib", 40.0),
    "partnerships vs raw pyoxigraph": ("partnerships", "pyoxigraph", 1.2),
    "load vs rdflib": ("load", "rdflib", 8.0),
}


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
    from inspectgraph.graph.sparql import inject_values
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
            text, b = prepared
            result = ds.query(text, initBindings=b)
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
            solutions = raw.query(inject_values(*prepared), use_default_graph_as_union=True)
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
    from inspectgraph.graph.sparql import inject_values
    from inspectgraph.graph.stores import open_store

    raw = ox.Store.read_only(str(workdir / "pyoxigraph" / "pyoxigraph"))
    ours = open_store(workdir / "oxigraph" / "oxigraph", read_only=True)
    out = {}
    for name in ("partnerships", "finding-agencies"):
        prepared = queries.get(name).prepare({})
        text = inject_values(*prepared)
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


def machine() -> dict:
    """What the numbers were measured on."""
    import pyoxigraph
    import rdflib

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    from importlib.metadata import version

    try:
        oxigraph_cli = version("oxigraph")
    except Exception:  # noqa: BLE001 - optional
        oxigraph_cli = "not installed"
    return {
        "date": dt.datetime.now().isoformat(timespec="minutes"),
        "system": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": memory,
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__
        if hasattr(pyoxigraph, "__version__")
        else version("pyoxigraph"),
        "oxigraph server": oxigraph_cli,
        "rdflib": rdflib.__version__,
        "load average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def corpus_row() -> str:
    """The development corpus (``INSPECTGRAPH_CORPUS``, default ``../shared/corpus``) to a
    validated graph: ``inspectgraph build --corpus`` into a fresh embedded store, timed,
    with the peak resident memory of the build process and of its largest worker."""
    import shutil

    corpus = Path(os.environ.get("INSPECTGRAPH_CORPUS", "../shared/corpus"))
    if not (corpus / "manifest.csv").is_file():
        return f"Skipped: no corpus at {corpus} (set INSPECTGRAPH_CORPUS)."
    folder = Path(tempfile.mkdtemp(prefix="inspectgraph-bench-corpus-"))
    try:
        started = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "inspectgraph",
                "build",
                "--corpus",
                str(corpus),
                "--store",
                str(folder / "store"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
        return f"Failed (exit {proc.returncode}): {' '.join(tail)}"
    # the build reports its own peak, of its whole process tree where it can (this
    # process's counters also hold earlier runs')
    found = re.search(r"process tree ([0-9,.]+) MB", proc.stdout + proc.stderr) or re.search(
        r"peak memory process ([0-9,]+) MB", proc.stdout + proc.stderr
    )
    peak = float(found.group(1).replace(",", "")) if found else float("nan")
    report = [
        line.strip()
        for line in proc.stdout.splitlines()
        if line.startswith(("documents:", "store "))
    ]
    met = "met" if seconds <= 60 and peak <= 1024 else "**not met**"
    return (
        f"`inspectgraph build --corpus {corpus}`: {seconds:.1f} s wall, build process tree "
        f"{peak:,.0f} MB peak RSS (target ≤ 60 s and ≤ 1 GB: {met}). The build reported: "
        + "; ".join(f"`{line}`" for line in report)
    )


def _speedup(baseline: dict | None, row: dict, metric: str) -> float | None:
    """How many times faster than ``baseline`` ``row`` is on ``metric``."""
    return None if baseline is None else baseline[metric] / row[metric]


def _overhead(baseline: dict | None, row: dict, metric: str) -> float | None:
    """How many times slower than ``baseline`` ``row`` is on ``metric`` (1 = as fast)."""
    return None if baseline is None else row[metric] / baseline[metric]


def _fmt_s(seconds: float | None, n: int | None = None) -> str:
    if seconds is None:
        return "—"
    text = f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
    return text if n is None or n >= 5 else f"{text} (n={n})"


def _ratio(value: float | None) -> str:
    return "—" if value is None else (f"{value:.0f}×" if value >= 10 else f"{value:.2f}×")


def render_markdown(results: dict, info: dict, args) -> str:
    """The report: machine, one table per size, ratios and targets."""
    lines = [
        "## Measurements",
        "",
        "Generated by `make bench` (`python -m tools.bench "
        f"--sizes {','.join(results)} --reps {args.reps}`); see "
        "`tools/bench.py` for what each column measures.",
        "",
        "### Machine",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    lines += [
        "",
        "Times are medians of the runs shown (n = 5 unless marked). "
        "*×rdflib* is how many times faster than plain rdflib in memory, "
        "*÷pyoxigraph* how many times slower than raw pyoxigraph on disk (1.00× = as fast), "
        "both measured in the same run.",
        "",
    ]
    targets = []
    for size, entry in results.items():
        rows = entry["backends"]
        base = {r["backend"]: r for r in rows if r["backend"] in BASELINES and "error" not in r}
        summary = entry["data"]
        lines += [
            f"### {size}: {summary['triples']:,} triples",
            "",
            f"{summary['las']} local authorities, {summary['agencies']} agencies, "
            f"{summary['inspections']:,} inspections, {summary['findings']:,} findings, "
            f"{summary['graphs']} named graphs; N-Quads {summary['bytes'] / 1e6:.1f} MB, "
            f"generated in {summary['seconds']:.1f} s (seed {args.seed}).",
            "",
            "| backend | load | triples/s | partnerships | finding-agencies | analysis "
            "| page | peak RSS | load ×rdflib | partnerships ×rdflib "
            "| partnerships ÷pyoxigraph |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in rows:
            if "error" in r:
                lines.append(f"| {r['backend']} | failed: {r['error']} |" + " |" * 10)
                continue
            rss = r["rss"] / 2**20
            rss_text = f"{rss:,.0f} MB" + (
                f" + server {r['server_rss'] / 2**20:,.0f} MB" if "server_rss" in r else ""
            )
            vs_rdflib = functools.partial(_speedup, base.get("rdflib"), r)
            vs_raw = functools.partial(_overhead, base.get("pyoxigraph"), r)
            lines.append(
                f"| {r['backend']} | {_fmt_s(r['load'])} | {summary['triples'] / r['load']:,.0f} "
                f"| {_fmt_s(r['partnerships'], r['partnerships_n'])} "
                f"| {_fmt_s(r['finding_agencies'], r['finding_agencies_n'])} "
                f"| {_fmt_s(r['analysis'])} | {_fmt_s(r['page'])} | {rss_text} "
                f"| {_ratio(vs_rdflib('load'))} | {_ratio(vs_rdflib('partnerships'))} "
                f"| {_ratio(vs_raw('partnerships'))} |"
            )
            if r["backend"] == "oxigraph":
                for label, (metric, against, target) in TARGETS.items():
                    if against not in base:
                        continue
                    value = vs_rdflib(metric) if against == "rdflib" else vs_raw(metric)
                    paired = entry.get("paired", {}).get(metric)
                    if against == "pyoxigraph" and paired:
                        value = paired["ours"] / paired["raw"]
                        label += " (interleaved runs)"
                    met = value >= target if against == "rdflib" else value <= target
                    want = f"≥ {target:g}×" if against == "rdflib" else f"≤ {target:g}×"
                    targets.append((size, label, value, want, met))
        if "paired" in entry:
            lines += [""] + [
                f"Interleaved on the stores left on disk, {name}: default store "
                f"{_fmt_s(v['ours'])}, raw pyoxigraph {_fmt_s(v['raw'])} "
                f"({v['ours'] / v['raw']:.2f}×)."
                for name, v in entry["paired"].items()
            ]
        lines += [
            "",
            f"Result sizes: {rows[0].get('pairs', '?')} pairs from the partnerships "
            f"query, {rows[0].get('incidence_rows', '?'):,} finding-agency rows, "
            f"{rows[0].get('agencies', '?')} agencies and {rows[0].get('edges', '?')} "
            "pairs drawn.",
            "",
        ]
    lines += [
        "### Targets (default store)",
        "",
        "| size | target | measured | wanted | met |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    lines += [
        f"| {s} | {label} | {_ratio(v)} | {want} | {'yes' if met else '**no**'} |"
        for s, label, v, want, met in targets
    ]
    lines += ["", "### The development corpus", "", corpus_row(), ""]
    return "\n".join(lines)


START, END = "<!-- bench:start -->", "<!-- bench:end -->"
NATIONAL_MARKERS = ("<!-- bench-national:start -->", "<!-- bench-national:end -->")


def write_report(path: Path, report: str, markers: tuple[str, str] = (START, END)) -> None:
    """Write ``report`` into ``path`` between the bench markers (``markers``), keeping the
    text around them (the discussion of the figures); a file without them gets the report
    appended (a new file: the report alone)."""
    start, end = markers
    block = f"{start}\n{report.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    elif text:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    else:
        text = block + "\n"
    path.write_text(text, encoding="utf-8")


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
        from .benchnational import default_corpora, render_national, run

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
