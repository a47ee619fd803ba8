"""The benchmarks' report: the machine they ran on, the corpus build's row, the tables of
figures and ratios against the baselines (Markdown), written between markers in
docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["NATIONAL_MARKERS", "machine", "render_markdown", "write_report"]


BASELINES = ("rdflib", "pyoxigraph")


TARGETS = {  # (metric, against, ratio): what the issue asks of the default store at L
    "partnerships vs rdflib": ("partnerships", "rdflib", 40.0),
    "partnerships vs raw pyoxigraph": ("partnerships", "pyoxigraph", 1.2),
    "load vs rdflib": ("load", "rdflib", 8.0),
}


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


START = "<!-- bench:start -->"


END = "<!-- bench:end -->"


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
