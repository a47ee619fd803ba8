"""The national section of ``make bench`` (``BENCH_NATIONAL=1 make bench``, or
``python -m tools.bench --national``): the real corpus, not a synthetic one.

- **build**: ``inspectgraph build --corpus ../shared/corpus --corpus ../shared/corpus-joint``
  into a fresh store, wall time and the peak resident memory the build reports (its process
  and its largest worker); skipped with ``--national-store`` (an existing national store);
- **named queries**: every offline named query with typical parameters, as written now
  (:meth:`~inspectgraph.queries.NamedQuery.prepare`) and as written at the commit before the
  rewrite of #16 (``BASELINE``, read with ``git show``, else the copies in
  ``tests/data/queries-<commit>``), run alternately on the same store (interleaved medians),
  with whether they return the same rows;
- **partnership analysis** (national, ``--la``, ``--region``, ``--since``): query and analysis
  (1000 bootstrap draws) as now (the co-criticism index) and as at the baseline (the
  authorities first, then ``finding-agencies`` and ``criticised-findings`` as then written,
  then the same analysis code), interleaved; the whole ``inspectgraph partnerships`` process;
  and a reference on raw pyoxigraph over the same store in the same run: the fewest patterns
  that count pairs of agencies in weakness findings (the engine's floor for the question).

- **page**: the national partnership page (every agency in a pair) drawn in headless Chromium:
  load to first drawing, then a pan, a zoom and a hover (each to the next drawing);
- **findings**: the whole ``inspectgraph findings`` process, ``--la Sunderland`` and unfiltered.

Every query and analysis runs in a child process with a time limit (``limit`` seconds), so that
one run completes whatever the baseline costs: a run over the limit is shown as ``> limit``
and not repeated, and its rows are not compared. The child times the query alone (not its
start-up). A repetition stops once a measurement has used ``budget`` seconds: the table shows
how many runs each median has.
"""

from __future__ import annotations

import csv
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["BASELINE", "CASES", "SCOPES", "measure_national", "render_national"]

#: The commit before the rewrite (#16): the queries and analysis measured against.
BASELINE = "2535590"

#: Typical parameters of each offline named query.
CASES = [
    ("agencies", {}),
    ("agencies", {"type": "police"}),
    ("criticised-findings", {"la": "Sunderland"}),
    ("criticised-findings", {}),
    ("finding-agencies", {"la": "Sunderland"}),
    ("finding-agencies", {"region": "north_east"}),
    ("finding-agencies", {}),
    ("finding-agencies", {"polarity": ""}),
    ("findings-by-theme", {"theme": "front_door", "la": "Sunderland"}),
    ("findings-by-theme", {"theme": "front_door"}),
    ("findings-for-agency", {"agency": "Northumbria Police"}),
    ("inspections", {"la": "Sunderland"}),
    ("inspections", {}),
    ("judgement-history", {"la": "Sunderland"}),
    ("judgement-history", {}),
    ("local-authorities", {"region": "north_east"}),
    ("local-authorities", {}),
    ("partnerships", {"la": "Sunderland"}),
    ("partnerships", {}),
    ("partnerships", {"polarity": ""}),
    ("theme-agency-counts", {"la": "Sunderland"}),
    ("theme-agency-counts", {}),
]

#: The scopes of the partnership analysis.
SCOPES = [
    ("national", {}),
    ("--la Sunderland", {"la": "Sunderland"}),
    ("--region north_east", {"region": "north_east"}),
    ("--since 2022-01-01", {"since": "2022-01-01"}),
]

REFERENCE = """PREFIX ig: <https://w3id.org/inspectgraph/def/>
SELECT ?a ?b (COUNT(?f) AS ?findings) WHERE {
  ?f ig:polarity <https://w3id.org/inspectgraph/def/polarity/weakness> ;
     ig:concerns ?a, ?b .
  FILTER(STR(?a) < STR(?b))
}
GROUP BY ?a ?b"""

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"

#: A checkout of another commit to measure as *before* (``--baseline COMMIT``): its own query
#: texts and analysis code, run by its own ``tools.benchnational`` in a child process;
#: None for :data:`BASELINE`'s query texts run by this code.
BASELINE_TREE: Path | None = None


def checkout(commit: str, folder: Path, repo: Path = REPO) -> Path:
    """The files of ``commit`` (``git archive``) under ``folder/inspectgraph``: a tree whose
    package a child process imports with ``PYTHONPATH=folder``."""
    tree = folder / "inspectgraph"
    tree.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", commit], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return folder


def _baseline_env() -> dict:
    """The environment of a child that runs :data:`BASELINE_TREE`'s code."""
    path = os.pathsep.join(filter(None, [str(BASELINE_TREE), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def baseline_query(name: str):
    """The named query ``name`` as written at :data:`BASELINE`."""
    from inspectgraph import queries

    try:
        text = subprocess.run(
            ["git", "-C", str(REPO), "show", f"{BASELINE}:queries/{name}.rq"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        text = (REPO / "tests" / "data" / f"queries-{BASELINE}" / f"{name}.rq").read_text()
    return queries.parse_query(text, name, f"{BASELINE}:queries/{name}.rq")


def baseline_analysis(store, *, polarity="weakness,mixed", la="", region="", since="", until=""):
    """The partnership graph as :data:`BASELINE` read it: the authorities by the named query
    ``local-authorities``, then ``finding-agencies`` and ``criticised-findings`` (as then
    written) for their findings, then the same analysis code."""
    from rdflib import Literal

    from inspectgraph.analysis import partnership_graph
    from inspectgraph.graph.sparql import inject_one_of

    q, counted = baseline_query("finding-agencies"), baseline_query("criticised-findings")
    text, count_text = q.text, counted.text
    if la or region:
        chosen = baseline_query("local-authorities")
        found = store.query(chosen.text, chosen.bindings({"la": la, "region": region}))
        councils = sorted({row["council"] for row in found.dicts()}, key=str)
        if not councils:
            return partnership_graph([])
        text = inject_one_of(text, "council", councils)
        count_text = inject_one_of(count_text, "council", councils)
    keys = [k.strip() for k in polarity.split(",") if k.strip()]
    if len(keys) > 1:
        text = inject_one_of(text, "polarityKey", [Literal(k) for k in keys])
        count_text = inject_one_of(count_text, "polarityKey", [Literal(k) for k in keys])
        polarity = ""
    params = {"polarity": polarity, "since": since or None, "until": until or None}
    result = store.query(text, q.bindings(params))
    rows = [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in result.dicts()]
    counts = store.query(count_text, counted.bindings(params)).dicts()
    criticised = sum(int(row["findings"].toPython()) for row in counts)
    return partnership_graph(rows, criticised=criticised)


def _cells(rows) -> list[tuple[str, ...]]:
    """Rows as text, GROUP_CONCAT lists sorted (their order is the engine's)."""
    out = []
    for row in rows:
        cells = []
        for term in row:
            text = "" if term is None else str(term)
            for sep in ("; ", ", "):
                if sep in text and len(text) < 200:
                    text = sep.join(sorted(text.split(sep)))
            cells.append(text)
        out.append(tuple(cells))
    return out


def child(argv: list[str]) -> None:
    """``python -m tools.benchnational KIND STORE NAME VALUES``: one timed run in this
    process, printed as JSON (``seconds``, ``cpu`` and the result)."""
    import json

    from inspectgraph import queries
    from inspectgraph.analysis import partnership_graph_from_store, recurring_partnerships
    from inspectgraph.graph.stores import open_store

    kind, store_path, name, values = argv[0], argv[1], argv[2], json.loads(argv[3])
    store = open_store(Path(store_path), read_only=True)
    started, cpu = time.perf_counter(), time.process_time()
    if kind == "query-before":
        old = baseline_query(name)
        result = _cells(store.query(old.text, old.bindings(values)).rows)
    elif kind == "query-after":
        result = _cells(store.query(*queries.get(name).prepare(values)).rows)
    elif kind == "analysis-before":
        result = recurring_partnerships(baseline_analysis(store, **values))
    elif kind == "analysis-after":
        result = recurring_partnerships(partnership_graph_from_store(store, **values))
    else:
        raise SystemExit(f"unknown kind {kind!r}")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "result": result}, default=str))


def _in_child(kind: str, store: Path, name: str, values: dict, limit: float) -> dict | None:
    """One run of :func:`child` in a fresh process; ``None`` past ``limit`` seconds."""
    import json

    command = [sys.executable, "-m", "tools.benchnational", kind, str(store), name,
               json.dumps(values)]  # fmt: skip
    where: dict = {}
    if BASELINE_TREE is not None and kind.endswith("-before"):
        # the other commit's code as it runs itself: its "after" is this run's "before"
        command[3] = kind.replace("-before", "-after")
        where = {"cwd": BASELINE_TREE / "inspectgraph", "env": _baseline_env()}
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=limit + 30, **where)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} {name} {values}: {proc.stderr.strip()[-300:]}")
    out = json.loads(proc.stdout)
    return None if out["seconds"] > limit else out


def _alternate_children(kinds, store, name, values, reps, budget, limit) -> dict:
    """``before`` and ``after`` (``kinds``) alternately in child processes: medians of the
    runs within ``limit`` (one run past it ends that side), and the last results."""
    times: dict[str, list[float]] = {"before": [], "after": []}
    cpu: dict[str, list[float]] = {"before": [], "after": []}
    over = {"before": False, "after": False}
    results: dict = {}
    for r in range(reps):
        order = ["before", "after"] if r % 2 == 0 else ["after", "before"]
        for side in order:
            if over[side] or (times[side] and sum(times[side]) + times[side][-1] > budget):
                continue
            out = _in_child(kinds[side], store, name, values, limit)
            if out is None:
                over[side] = True
                continue
            times[side].append(out["seconds"])
            cpu[side].append(out["cpu"])
            results[side] = out["result"]
    return {
        side_key: value
        for side in ("before", "after")
        for side_key, value in (
            (side, statistics.median(times[side]) if times[side] else None),
            (f"{side}_n", len(times[side])),
            (f"{side}_over", over[side]),
            (f"{side}_cpu", statistics.median(cpu[side]) if cpu[side] else None),
        )
    } | {"results": results, "limit": limit}


def build_national(corpora: list[Path], folder: Path) -> dict:
    """Build the corpora into ``folder/store`` with the command line: time and memory."""
    command = [sys.executable, "-m", "inspectgraph", "build", "--store", str(folder / "store")]
    for corpus in corpora:
        command += ["--corpus", str(corpus)]
    import resource

    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
        return {"error": f"exit {proc.returncode}: {' '.join(tail)}", "seconds": seconds}
    output = proc.stdout + proc.stderr
    found = re.search(r"peak memory process ([0-9,]+) MB, largest worker ([0-9,]+) MB", output)
    tree = re.search(r"process tree ([0-9,]+) MB", output)
    summary = [line.strip() for line in proc.stdout.splitlines() if line.startswith("documents:")]
    return {
        "seconds": seconds,
        "cpu": cpu,
        "tree_mb": float(tree.group(1).replace(",", "")) if tree else None,
        "process_mb": float(found.group(1).replace(",", "")) if found else None,
        "worker_mb": float(found.group(2).replace(",", "")) if found else None,
        "summary": summary[0] if summary else "",
    }


def measure_page(store_path: Path, folder: Path) -> dict:
    """The national partnership page in headless Chromium: load to first drawing, then a
    pan, a zoom and a hover over a node, each timed to the next drawing (or tooltip)."""
    from inspectgraph.analysis import partnership_graph_from_store
    from inspectgraph.graph.stores import open_store
    from inspectgraph.viz.html import write_partnership_page

    with open_store(store_path, read_only=True) as store:
        G = partnership_graph_from_store(store)
    path = folder / "national.html"
    write_partnership_page(G, path, title="National partnerships")
    out = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
           "bytes": path.stat().st_size}  # fmt: skip
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return out | {"error": "playwright is not installed"}
    if not os.access(CHROMIUM, os.X_OK):
        return out | {"error": f"no Chromium at {CHROMIUM}"}
    drawn = """() => new Promise(done => {
        const t0 = performance.now();
        window.inspectgraph.network.once("afterDrawing", () => done(performance.now() - t0));
        ACTION;
    })"""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            started = time.perf_counter()
            page.goto(path.resolve().as_uri())
            page.wait_for_function("window.inspectgraphReady === true", timeout=120_000)
            out["draw"] = time.perf_counter() - started
            net = "window.inspectgraph.network"
            out["pan"] = page.evaluate(drawn.replace(
                "ACTION", f"{net}.moveTo({{position: {{x: 200, y: 150}}, animation: false}})"
            )) / 1000  # fmt: skip
            out["zoom"] = page.evaluate(drawn.replace(
                "ACTION", f"{net}.moveTo({{scale: {net}.getScale() * 2, animation: false}})"
            )) / 1000  # fmt: skip
            page.evaluate(f"{net}.fit({{animation: false}})")
            # hover: the mouse over the node with most pairs, until its tooltip shows
            point = page.evaluate(f"""() => {{
                const ids = window.inspectgraph.nodes.getIds();
                let best = ids[0], most = -1;
                for (const id of ids) {{
                    const n = {net}.getConnectedEdges(id).length;
                    if (n > most) {{ most = n; best = id; }}
                }}
                const p = {net}.canvasToDOM({net}.getPositions([best])[best]);
                const box = document.getElementById("graph").getBoundingClientRect();
                return {{x: box.left + p.x, y: box.top + p.y}};
            }}""")
            started = time.perf_counter()
            page.mouse.move(point["x"], point["y"])
            page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
            out["hover"] = time.perf_counter() - started  # includes the page's 150 ms delay
        except Exception as exc:  # noqa: BLE001 - a figure the table shows as failed
            out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        finally:
            browser.close()
    return out


def measure_findings(store_path: Path, limit: float) -> list[dict]:
    """The whole ``inspectgraph findings`` process (CSV to a file), for one authority and
    for every finding, with its peak memory."""
    import resource

    out = []
    for scope in (["--la", "Sunderland"], []):
        command = [sys.executable, "-m", "inspectgraph", "findings", "--store", str(store_path),
                   "--format", "csv", *scope]  # fmt: skip
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        try:
            proc = subprocess.run(command, capture_output=True, text=True, timeout=limit)
            ok = proc.returncode == 0
            rows = sum(1 for _ in csv.reader(io.StringIO(proc.stdout))) - 1  # quotes span lines
        except subprocess.TimeoutExpired:
            rows, ok = None, False
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.append({
            "scope": " ".join(scope) or "every finding", "seconds": seconds, "ok": ok,
            "rows": rows, "cpu": after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime,
        })  # fmt: skip
    return out


def measure_national(
    store_path: Path,
    *,
    reps: int = 3,
    budget: float = 60.0,
    limit: float = 120.0,
    say=print,
    skip: frozenset[str] = frozenset(),
) -> dict:
    """Every measurement of the module on the national store at ``store_path`` (but those
    named in ``skip``: ``page``, ``findings``)."""
    import pyoxigraph as ox

    from inspectgraph.graph.stores import open_store

    out: dict = {"store": str(store_path), "queries": [], "analysis": [], "limit": limit}
    with open_store(store_path, read_only=True) as store:
        out["triples"] = len(store)
    kinds = {"before": "query-before", "after": "query-after"}
    for name, values in CASES:
        m = _alternate_children(kinds, store_path, name, values, reps, budget, limit)
        results = m.pop("results")
        m.update(
            query=name,
            params=values,
            rows=len(results["after"]) if "after" in results else None,
            same=(results["before"] == results["after"]) if len(results) == 2 else None,
        )
        say(f"  {name} {values}: {m}")
        out["queries"].append(m)
    kinds = {"before": "analysis-before", "after": "analysis-after"}
    for label, scope in SCOPES:
        m = _alternate_children(kinds, store_path, label, scope, reps, budget, limit)
        results = m.pop("results")
        m.update(scope=label, pairs=len(results["after"]) if "after" in results else None)
        m["same"] = (results["before"] == results["after"]) if len(results) == 2 else None
        say(f"  partnerships {label}: {m}")
        out["analysis"].append(m)
    raw = ox.Store.read_only(str(store_path))
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        pairs = [
            tuple(t.value for t in s) for s in raw.query(REFERENCE, use_default_graph_as_union=True)
        ]
        times.append(time.perf_counter() - started)
    out["reference"] = {"seconds": statistics.median(times), "n": len(times), "pairs": len(pairs)}
    del raw
    cli = []
    sides = {"after": {}} if BASELINE_TREE is None else {"before": {"env": _baseline_env()},
                                                          "after": {}}  # fmt: skip
    for scope in ([], ["--la", "Sunderland"]):
        times: dict[str, list[float]] = {side: [] for side in sides}
        ok = True
        for _ in range(reps):
            for side, where in sides.items():  # interleaved
                started = time.perf_counter()
                proc = subprocess.run(
                    [sys.executable, "-m", "inspectgraph", "partnerships", "--store",
                     str(store_path), *scope],
                    capture_output=True, text=True, check=False, **where,
                )  # fmt: skip
                times[side].append(time.perf_counter() - started)
                ok = ok and proc.returncode == 0
        cli.append(
            {"scope": " ".join(scope) or "national", "seconds": statistics.median(times["after"]),
             "n": len(times["after"]), "ok": ok,
             "before": statistics.median(times["before"]) if "before" in times else None}
        )  # fmt: skip
    out["cli"] = cli
    say(f"  reference {out['reference']}, cli {cli}")
    if "page" not in skip:
        with tempfile.TemporaryDirectory(prefix="inspectgraph-bench-page-") as tmp:
            out["page"] = measure_page(store_path, Path(tmp))
        say(f"  page {out['page']}")
    if "findings" not in skip:
        out["findings"] = measure_findings(store_path, limit=max(limit, 600.0))
        say(f"  findings {out['findings']}")
    return out


def run(
    corpora: list[Path], store: Path | None, *, reps: int, budget: float, limit: float = 120.0
) -> dict:
    """Build (unless ``store`` is given) and measure; the results as a dict."""
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="inspectgraph-bench-national-") as tmp:
        if store is None:
            missing = [str(c) for c in corpora if not (c / "manifest.csv").is_file()]
            if missing:
                return {"skipped": f"no corpus at {', '.join(missing)}"}
            print("national: building", file=sys.stderr)
            results["build"] = build_national(corpora, Path(tmp))
            print(f"  build: {results['build']}", file=sys.stderr)
            if "error" in results["build"]:
                return results
            store = Path(tmp) / "store"
        say = lambda line: print(line, file=sys.stderr)  # noqa: E731
        results.update(measure_national(store, reps=reps, budget=budget, limit=limit, say=say))
    return results


def default_corpora() -> list[Path]:
    """``$INSPECTGRAPH_CORPUS`` (default ``../shared/corpus``) and ``corpus-joint`` beside it."""
    corpus = Path(os.environ.get("INSPECTGRAPH_CORPUS", "../shared/corpus"))
    return [corpus, corpus.parent / "corpus-joint"]


def _s(seconds: float | None, n: int | None = None) -> str:
    if seconds is None:
        return "—"
    text = f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"
    return text if n is None or n >= 3 else f"{text} (n={n})"


def _side(m: dict, side: str) -> str:
    if m[side] is None:
        return f"> {m['limit']:.0f} s" if m[f"{side}_over"] else "—"
    text = _s(m[side], m[f"{side}_n"])
    return f"{text} (then > {m['limit']:.0f} s)" if m[f"{side}_over"] else text


def _speedup(m: dict) -> str:
    if m["after"] is None:
        return "—"
    if m["before"] is None:
        return f"> {m['limit'] / m['after']:.0f}×" if m["before_over"] else "—"
    return f"{m['before'] / m['after']:.1f}×"


def _same(m: dict) -> str:
    return "not compared" if m["same"] is None else ("yes" if m["same"] else "**no**")


def render_national(results: dict, info: dict) -> str:
    """The national section as Markdown."""
    lines = ["## National store", ""]
    if "skipped" in results:
        return "\n".join([*lines, f"Skipped: {results['skipped']}.", ""])
    limit = results.get("limit", 120.0)
    before = (
        f"commit {results['baseline']} (its own code, run from a checkout of it)"
        if results.get("baseline")
        else f"the commit before the rewrite of #16 ({BASELINE}: its query texts and its way of "
        "reading the analysis's input)"
    )
    lines += [
        "Generated by `python -m tools.bench --national` (`BENCH_NATIONAL=1 make bench`) or "
        "`python -m tools.benchnational`; see `tools/benchnational.py`. *before* is "
        f"{before} on the "
        "same store, run alternately with *after* (this code), each run in a child process timing "
        f"the query alone, with a limit of {limit:.0f} s (a run past it is shown as *> "
        f"{limit:.0f} s*, not repeated, and its rows not compared); medians (n = 3 unless "
        "marked).",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    lines += [""]
    build = results.get("build")
    if build:
        if "error" in build:
            lines += [f"Build failed after {build['seconds']:.0f} s: {build['error']}", ""]
        else:
            peak = build.get("tree_mb") or build["process_mb"] or 1e9
            met = "met" if build["seconds"] <= 60 and peak <= 1024 else "**not met**"
            lines += [
                f"Build of both corpora: {build['seconds']:.1f} s wall, "
                f"{build.get('cpu', 0):.0f} CPU seconds (user + system; ≤ 120 on 2 cores is "
                f"what 60 s wall needs), peak RSS {peak:,.0f} MB (process tree; build process "
                f"{build['process_mb']:,.0f} MB, largest worker {build['worker_mb']:,.0f} MB); "
                f"target ≤ 60 s and ≤ 1 GB: {met}. `{build['summary']}`",
                "",
            ]
    else:
        lines += [f"Store measured: `{results['store']}` (not built by this run).", ""]
    lines += [
        f"{results.get('triples', 0):,} triples.",
        "",
        "| named query | parameters | rows | before | after | speed-up | after, CPU | same rows "
        "| ≤ 2 s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for m in results["queries"]:
        params = " ".join(f"{k}={v}" for k, v in m["params"].items()) or "(defaults)"
        rows = "—" if m["rows"] is None else f"{m['rows']:,}"
        fast = m["after"] is not None and m["after"] <= 2
        lines.append(
            f"| {m['query']} | {params} | {rows} | {_side(m, 'before')} | {_side(m, 'after')} "
            f"| {_speedup(m)} | {_s(m['after_cpu'])} | {_same(m)} | {'yes' if fast else '**no**'} |"
        )
    if "reference" not in results:  # a run cut short: the queries only
        return "\n".join([*lines, "", "(The run stopped before the partnership analysis.)", ""])
    ref = results["reference"]
    lines += [
        "",
        "Partnership analysis (query and analysis, 1000 bootstrap draws; `recurring_partnerships` "
        "of the graph compared):",
        "",
        "| scope | pairs | before | after | speed-up | same pairs | after ÷ reference |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for m in results["analysis"]:
        pairs = "—" if m["pairs"] is None else f"{m['pairs']:,}"
        ratio = "—" if m["after"] is None else f"{m['after'] / ref['seconds']:.2f}×"
        lines.append(
            f"| {m['scope']} | {pairs} | {_side(m, 'before')} | {_side(m, 'after')} "
            f"| {_speedup(m)} | {_same(m)} | {ratio} |"
        )
    national = results["analysis"][0]["after"] or float("nan")
    lines += [
        "",
        f"Reference on raw pyoxigraph (the fewest patterns that count pairs of agencies in "
        f"weakness findings, {ref['pairs']:,} pairs): {_s(ref['seconds'], ref['n'])}. "
        f"National analysis ÷ reference: {national / ref['seconds']:.2f}× (target ≤ 1.5×); "
        f"national analysis {_s(national)} (target ≤ 1 s).",
        "",
    ]
    for c in results["cli"]:
        before = f" (before: {_s(c['before'])})" if c.get("before") is not None else ""
        lines.append(
            f"- `inspectgraph partnerships` ({c['scope']}), whole process: "
            f"{_s(c['seconds'], c['n'])}{before}{'' if c['ok'] else ' (**failed**)'} "
            "(target ≤ 3 s)"
        )
    page = results.get("page")
    if page:
        lines += ["", f"National partnership page ({page['nodes']:,} agencies, {page['edges']:,} "
                  f"pairs, {page['bytes'] / 1e6:.1f} MB) in headless Chromium: "]  # fmt: skip
        if "draw" in page:
            lines[-1] += (
                f"drawn in {_s(page['draw'])} (target ≤ 5 s: "
                f"{'met' if page['draw'] <= 5 else '**not met**'}); then a pan redrawn in "
                f"{_s(page.get('pan'))}, a zoom in {_s(page.get('zoom'))}, a hover's tooltip "
                f"in {_s(page.get('hover'))} (the page waits 150 ms before showing one)."
            )
        if "error" in page:
            lines[-1] += f" **Failed**: {page['error']}."
    for f in results.get("findings", []):
        rows = "—" if f["rows"] is None else f"{f['rows']:,} rows"
        lines.append(
            f"- `inspectgraph findings` ({f['scope']}), whole process: {_s(f['seconds'])} wall, "
            f"{f['cpu']:.0f} CPU s, {rows}{'' if f['ok'] else ' (**failed or over the limit**)'}"
        )
    lines.append("")
    return "\n".join(lines)


KINDS = ("query-before", "query-after", "analysis-before", "analysis-after")


def main(argv: list[str]) -> int:
    """``python -m tools.benchnational --store DIR [--baseline COMMIT] [--out FILE]``: the
    national section on an existing store, *before* being another commit's own code."""
    import argparse

    from .bench import NATIONAL_MARKERS, machine, write_report

    global BASELINE_TREE
    parser = argparse.ArgumentParser(prog="python -m tools.benchnational", description=main.__doc__)
    parser.add_argument("--store", type=Path, required=True, help="a national store (read only)")
    parser.add_argument(
        "--baseline",
        help=f"a commit whose own code is *before* (default: {BASELINE}'s query texts, this code)",
    )
    parser.add_argument(
        "--repo", type=Path, default=REPO, help="the git repository holding the baseline"
    )
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per measurement")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per run")
    parser.add_argument(
        "--skip", default="", help="comma-separated parts not measured: page, findings"
    )
    parser.add_argument("--out", type=Path, help="rewrite the national section of this file")
    parser.add_argument("--json", type=Path, help="write the raw measurements here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="inspectgraph-baseline-") as tmp:
        if args.baseline:
            BASELINE_TREE = checkout(args.baseline, Path(tmp), args.repo)
        say = lambda line: print(line, file=sys.stderr)  # noqa: E731
        results = measure_national(
            args.store,
            reps=args.reps,
            budget=args.budget,
            limit=args.limit,
            say=say,
            skip=frozenset(p.strip() for p in args.skip.split(",") if p.strip()),
        )
    if args.baseline:
        results["baseline"] = args.baseline
    section = render_national(results, machine())
    print(section)
    if args.json:
        args.json.write_text(__import__("json").dumps(results, indent=1, default=str))
    if args.out:
        write_report(args.out, section, NATIONAL_MARKERS)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] and sys.argv[1] in KINDS:
        child(sys.argv[1:])
    else:
        sys.exit(main(sys.argv[1:]))
