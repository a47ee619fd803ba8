"""The national section of ``make bench`` (``BENCH_NATIONAL=1 make bench``, or
``python -m inspectgraph.bench --national``): the real corpus, not a synthetic one.

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

A repetition stops once a measurement has used ``budget`` seconds (the baseline's national
queries take minutes): the table shows how many runs each median has.
"""

from __future__ import annotations

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

REPO = Path(__file__).resolve().parents[2]


def baseline_query(name: str):
    """The named query ``name`` as written at :data:`BASELINE`."""
    from . import queries

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

    from .graph import partnership_graph
    from .sparql import inject_one_of

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


def _alternate(before, after, reps: int, budget: float) -> dict:
    """Run ``before`` and ``after`` alternately (the first round first one, then the other
    first), each until ``reps`` runs or ``budget`` seconds; medians and last results."""
    times: dict[str, list[float]] = {"before": [], "after": []}
    results: dict = {}
    for r in range(reps):
        order = [("before", before), ("after", after)]
        for name, fn in order if r % 2 == 0 else order[::-1]:
            spent = sum(times[name])
            if times[name] and spent + times[name][-1] > budget:
                continue
            started = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - started)
    return {
        "before": statistics.median(times["before"]),
        "before_n": len(times["before"]),
        "after": statistics.median(times["after"]),
        "after_n": len(times["after"]),
        "results": results,
    }


def build_national(corpora: list[Path], folder: Path) -> dict:
    """Build the corpora into ``folder/store`` with the command line: time and memory."""
    command = [sys.executable, "-m", "inspectgraph", "build", "--store", str(folder / "store")]
    for corpus in corpora:
        command += ["--corpus", str(corpus)]
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
        return {"error": f"exit {proc.returncode}: {' '.join(tail)}", "seconds": seconds}
    output = proc.stdout + proc.stderr
    found = re.search(r"peak memory process ([0-9,]+) MB, largest worker ([0-9,]+) MB", output)
    summary = [line.strip() for line in proc.stdout.splitlines() if line.startswith("documents:")]
    return {
        "seconds": seconds,
        "process_mb": float(found.group(1).replace(",", "")) if found else None,
        "worker_mb": float(found.group(2).replace(",", "")) if found else None,
        "summary": summary[0] if summary else "",
    }


def measure_national(store_path: Path, *, reps: int = 3, budget: float = 60.0, say=print) -> dict:
    """Every measurement of the module on the national store at ``store_path``."""
    import pyoxigraph as ox

    from . import queries
    from .graph import partnership_graph_from_store, recurring_partnerships
    from .stores import open_store

    out: dict = {"store": str(store_path), "queries": [], "analysis": []}
    store = open_store(store_path, read_only=True)
    out["triples"] = len(store)
    for name, values in CASES:
        old, new = baseline_query(name), queries.get(name)
        m = _alternate(
            lambda old=old, values=values: store.query(old.text, old.bindings(values)).rows,
            lambda new=new, values=values: store.query(*new.prepare(values)).rows,
            reps,
            budget,
        )
        results = m.pop("results")
        m.update(
            query=name,
            params=values,
            rows=len(results["after"]),
            same=_cells(results["before"]) == _cells(results["after"]),
        )
        say(f"  {name} {values}: {m}")
        out["queries"].append(m)
    for label, scope in SCOPES:
        m = _alternate(
            lambda scope=scope: recurring_partnerships(baseline_analysis(store, **scope)),
            lambda scope=scope: recurring_partnerships(
                partnership_graph_from_store(store, **scope)
            ),
            reps,
            budget,
        )
        results = m.pop("results")
        m.update(scope=label, pairs=len(results["after"]))
        m["same"] = results["before"] == results["after"]
        say(f"  partnerships {label}: {m}")
        out["analysis"].append(m)
    store.close()
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
    for scope in ([], ["--la", "Sunderland"]):
        times = []
        for _ in range(reps):
            started = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "inspectgraph", "partnerships", "--store", str(store_path),
                 *scope],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            times.append(time.perf_counter() - started)
        cli.append(
            {"scope": " ".join(scope) or "national", "seconds": statistics.median(times),
             "n": len(times), "ok": proc.returncode == 0}
        )  # fmt: skip
    out["cli"] = cli
    say(f"  reference {out['reference']}, cli {cli}")
    return out


def run(corpora: list[Path], store: Path | None, *, reps: int, budget: float) -> dict:
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
        results.update(measure_national(store, reps=reps, budget=budget, say=say))
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


def render_national(results: dict, info: dict) -> str:
    """The national section as Markdown."""
    lines = ["## National store", ""]
    if "skipped" in results:
        return "\n".join([*lines, f"Skipped: {results['skipped']}.", ""])
    lines += [
        "Generated by `python -m inspectgraph.bench --national` (`BENCH_NATIONAL=1 make bench`); "
        "see `src/inspectgraph/benchnational.py`. *before* is the commit before the rewrite of "
        f"#16 ({BASELINE}: its query texts and its way of reading the analysis's input) on the "
        "same store, run alternately with *after* (this code); medians (n = 3 unless marked).",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    lines += [""]
    build = results.get("build")
    if build:
        if "error" in build:
            lines += [f"Build failed after {build['seconds']:.0f} s: {build['error']}", ""]
        else:
            met = (
                "met"
                if build["seconds"] <= 60 and (build["process_mb"] or 1e9) <= 1024
                else "**not met**"
            )
            lines += [
                f"Build of both corpora: {build['seconds']:.1f} s wall, peak RSS "
                f"{build['process_mb']:,.0f} MB (build process), largest worker "
                f"{build['worker_mb']:,.0f} MB; target ≤ 60 s and ≤ 1 GB: {met}. "
                f"`{build['summary']}`",
                "",
            ]
    else:
        lines += [f"Store measured: `{results['store']}` (not built by this run).", ""]
    lines += [
        f"{results.get('triples', 0):,} triples.",
        "",
        "| named query | parameters | rows | before | after | speed-up | same rows | ≤ 2 s |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for m in results["queries"]:
        params = " ".join(f"{k}={v}" for k, v in m["params"].items()) or "(defaults)"
        lines.append(
            f"| {m['query']} | {params} | {m['rows']:,} | {_s(m['before'], m['before_n'])} "
            f"| {_s(m['after'], m['after_n'])} | {m['before'] / m['after']:.1f}× "
            f"| {'yes' if m['same'] else '**no**'} | {'yes' if m['after'] <= 2 else '**no**'} |"
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
        lines.append(
            f"| {m['scope']} | {m['pairs']:,} | {_s(m['before'], m['before_n'])} "
            f"| {_s(m['after'], m['after_n'])} | {m['before'] / m['after']:.1f}× "
            f"| {'yes' if m['same'] else '**no**'} | {m['after'] / ref['seconds']:.2f}× |"
        )
    national = results["analysis"][0]["after"]
    lines += [
        "",
        f"Reference on raw pyoxigraph (the fewest patterns that count pairs of agencies in "
        f"weakness findings, {ref['pairs']:,} pairs): {_s(ref['seconds'], ref['n'])}. "
        f"National analysis ÷ reference: {national / ref['seconds']:.2f}× (target ≤ 1.5×); "
        f"national analysis {_s(national)} (target ≤ 1 s).",
        "",
    ]
    for c in results["cli"]:
        lines.append(
            f"- `inspectgraph partnerships` ({c['scope']}), whole process: "
            f"{_s(c['seconds'], c['n'])}{'' if c['ok'] else ' (**failed**)'} (target ≤ 3 s)"
        )
    lines.append("")
    return "\n".join(lines)
