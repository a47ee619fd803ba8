"""Durability and load benchmarks: ``make bench`` runs them after :mod:`tools.bench`.

- **crash** (issue 19's experiment at national scale): the demo store (the bundled build),
  then ``build --corpus CORPUS`` on top of it, killed with SIGKILL at moments drawn from
  its own progress (:mod:`tools.killtest`), the final write included; after each
  kill, is the store exactly as before, exactly as after, or a mix?
- **load** (:mod:`tools.loadtest`): concurrent clients sending a mix of named
  queries to ``inspectgraph serve`` and to ``oxigraph serve-read-only`` over the same store.

``python -m tools.benchdurable --crash CORPUS --load STORE --out docs/benchmarks.md``
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .killtest import build_command, fresh_copy, kill_at, moments, state_of, timeline

__all__ = ["crash_experiment", "main", "render_crash"]

START, END = "<!-- durable:start -->", "<!-- durable:end -->"


def crash_experiment(
    corpus: list[Path],
    workdir: Path,
    *,
    count: int = 5,
    final: int = 3,
    seed: int = 19,
    env: dict | None = None,
    keep: Path | None = None,
    say=print,
) -> dict:
    """Kill ``build --corpus`` on top of the demo store ``count`` times; ``env`` selects
    the code under test (e.g. ``PYTHONPATH`` of another checkout); ``keep``: where to copy
    the store the uninterrupted build made."""
    from inspectgraph.graph.build import build
    from inspectgraph.graph.stores import open_store

    template = workdir / "demo"
    if not template.exists():
        with open_store(template) as store:
            build(store)
    store = fresh_copy(template, workdir / "store")
    before = state_of(store)
    cmd = build_command(store, corpus)
    started = time.perf_counter()
    reference = timeline(cmd, env)
    after = state_of(store)
    say(f"reference build: {time.perf_counter() - started:.0f} s, {after.triples:,} triples")
    if keep is not None:  # the built store, for the load test
        shutil.copytree(store, keep)
    trials = []
    for moment in moments(reference, count, seed, final=final):
        fresh_copy(template, store)
        killed, seconds, lines = kill_at(cmd, moment, reference, env)
        found = state_of(store)
        if found == before:
            verdict = "as before"
        elif found == after:
            verdict = "as after"
        else:
            lost = {g: n for g, n in before.graphs.items() if found.graphs.get(g) != n}
            verdict = f"mix: {len(lost)} graph(s) of before lost or changed"
        trial = {
            "seconds": round(seconds, 1),
            "phase": lines[-1] if lines else "start-up",
            "killed": killed,
            "triples": found.triples,
            "verdict": verdict,
        }
        say(json.dumps(trial))
        trials.append(trial)
    return {
        "before": before.triples,
        "after": after.triples,
        "build_seconds": reference.times[-1],
        "trials": trials,
    }


def render_crash(results: dict[str, dict]) -> str:
    """{label: crash_experiment result} as a Markdown table."""
    lines = [
        "| code | killed at (s) | phase (last progress line) | triples after the kill | store |",
        "| --- | ---: | --- | ---: | --- |",
    ]
    for label, result in results.items():
        for t in result["trials"]:
            killed = f"{t['seconds']}" if t["killed"] else f"{t['seconds']} (finished)"
            lines.append(
                f"| {label} | {killed} | {t['phase']} | {t['triples']:,} | {t['verdict']} |"
            )
    first = next(iter(results.values()))
    lines += [
        "",
        f"Before: {first['before']:,} triples (the demo store); after: {first['after']:,} "
        f"triples; one uninterrupted build took {first['build_seconds']:.0f} s.",
    ]
    return "\n".join(lines)


def write_block(path: Path, text: str, start: str = START, end: str = END) -> None:
    """Replace the text between ``start`` and ``end`` in ``path`` (appended if absent)."""
    block = f"{start}\n{text.strip()}\n{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in old and end in old:
        head, rest = old.split(start, 1)
        new = head + block + rest.split(end, 1)[1]
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.benchdurable", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--crash", type=Path, action="append", help="corpus to build (repeat)")
    parser.add_argument("--kills", type=int, default=10, help="kill moments (default 10)")
    parser.add_argument(
        "--compare",
        type=Path,
        help="also run the crash experiment with the code of this source directory "
        "(e.g. a checkout of main's src/), labelled 'before'",
    )
    parser.add_argument(
        "--load",
        type=Path,
        help="store to load-test (copied first); default with --crash: the store it built",
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--time-limit", type=float, default=30.0, help="both servers' (default 30 s, serve's)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=16,
        help="inspectgraph serve --workers (default 16, serve's)",
    )
    parser.add_argument("--out", type=Path, help="Markdown file to write the tables into")
    parser.add_argument("--json", type=Path, help="raw results")
    args = parser.parse_args(argv)
    say = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    sections, raw = [], {}
    with tempfile.TemporaryDirectory(prefix="inspectgraph-durable-") as tmp:
        if args.crash:
            results = {}
            if args.compare:
                say(f"crash experiment, code of {args.compare}")
                results["before"] = crash_experiment(
                    args.crash,
                    Path(tmp) / "before",
                    count=args.kills,
                    env={"PYTHONPATH": str(args.compare)},
                    say=say,
                )
            say("crash experiment, this code")
            built = Path(tmp) / "built"
            results["after" if args.compare else "this code"] = crash_experiment(
                args.crash, Path(tmp) / "after", count=args.kills, keep=built, say=say
            )
            args.load = args.load or built  # the load test runs on the store it built
            raw["crash"] = results
            sections.append("### SIGKILL during `build --corpus` on top of the demo store\n")
            sections.append(render_crash(results))
        if args.load:
            from .loadtest import load_test, render_load

            result = load_test(
                args.load,
                Path(tmp),
                clients=args.clients,
                seconds=args.seconds,
                time_limit=args.time_limit,
                workers=args.workers,
            )
            raw["load"] = result
            sections.append(
                f"\n### Load: {args.clients} concurrent clients for {args.seconds:.0f} s "
                f"per server, a store of {result['triples']:,} triples\n"
            )
            sections.append(render_load(result))
        if args.json:
            args.json.write_text(json.dumps(raw, indent=1, default=str))
    text = "\n".join(sections)
    print(text)
    if args.out:
        write_block(args.out, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
