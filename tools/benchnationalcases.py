"""The measured cases of the national bench (:mod:`tools.benchnational`): what is run and how.

The named queries (:data:`CASES`) and partnership scopes (:data:`SCOPES`), each run
before and after in child processes (:func:`child`, started as ``python -m
tools.benchnational KIND ...``), the build, the page in Chromium and the ``findings``
processes; :func:`measure_national` gathers them for :func:`tools.benchnationalreport.render_national`.
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

__all__ = ["BASELINE", "CASES", "SCOPES", "default_corpora", "measure_national", "run"]

#: The commit before the rewrite (#16): the queries and analysis measured against.
BASELINE = "2535590"

#: Typical parameters of each offline named query, and the widest (every polarity, the
#: largest theme, the agency concerned by most findings, every pair).
CASES = [
    ("agencies", {}),
    ("agencies", {"type": "police"}),
    ("criticised-findings", {"la": "Sunderland"}),
    ("criticised-findings", {}),
    ("criticised-findings", {"polarity": ""}),
    ("finding-agencies", {"la": "Sunderland"}),
    ("finding-agencies", {"region": "north_east"}),
    ("finding-agencies", {}),
    ("finding-agencies", {"polarity": ""}),
    ("findings-by-theme", {"theme": "front_door", "la": "Sunderland"}),
    ("findings-by-theme", {"theme": "front_door"}),
    ("findings-by-theme", {"theme": "children_in_care"}),
    ("findings-for-agency", {"agency": "Northumbria Police"}),
    ("findings-for-agency", {"agency": "Achieving for Children"}),
    ("inspections", {"la": "Sunderland"}),
    ("inspections", {}),
    ("judgement-history", {"la": "Sunderland"}),
    ("judgement-history", {}),
    ("local-authorities", {"region": "north_east"}),
    ("local-authorities", {}),
    ("partnerships", {"la": "Sunderland"}),
    ("partnerships", {}),
    ("partnerships", {"polarity": ""}),
    ("partnerships", {"polarity": "", "min_inspections": 1}),
    ("theme-agency-counts", {"la": "Sunderland"}),
    ("theme-agency-counts", {}),
    ("theme-agency-counts", {"polarity": ""}),
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
