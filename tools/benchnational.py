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

The cases measured are in :mod:`tools.benchnationalcases`, the Markdown section in
:mod:`tools.benchnationalreport`; this module is the command, and the entry point of every
child run (``python -m tools.benchnational KIND ...``, here or in a baseline's checkout).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from . import benchnationalcases as cases
from .benchnationalcases import BASELINE, REPO, checkout, child, measure_national
from .benchnationalreport import render_national

__all__ = ["main"]


KINDS = ("query-before", "query-after", "analysis-before", "analysis-after")


def main(argv: list[str]) -> int:
    """``python -m tools.benchnational --store DIR [--baseline COMMIT] [--out FILE]``: the
    national section on an existing store, *before* being another commit's own code."""
    import argparse

    from .bench import NATIONAL_MARKERS, machine, write_report

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
            # the cases' module reads it when it starts a *before* child
            cases.BASELINE_TREE = checkout(args.baseline, Path(tmp), args.repo)
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
