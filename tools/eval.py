"""Accuracy of the extraction, measured on the hand-labelled development set (``make eval``).

``python -m tools.eval [--corpus DIR] [--devset DIR]`` prints

* polarity precision/recall/F1 per class and macro-F1, agency-type and theme micro
  precision/recall/F1 on the labelled sentences (``tests/devset/findings.tsv``), for the
  ``dev`` part (used while writing the rules), the ``holdout`` part (not looked at while
  tuning, then scored once), the ``holdout2`` part (a fresh holdout drawn and labelled
  blind after that) and all; a sentence the segmenter does not find exactly is labelled on its own;
* visit-theme accuracy on every focused-visit letter (``tests/devset/visit_themes.tsv``),
  and against Ofsted's own *Visit Theme* for the letters of the in-year file;
* agreement of the judgements read from every ILACS report of the corpus with Ofsted's
  official ILACS inspection history (and of the inspection type, standard or short);
* under the strict agency reading (``tests/devset/strict*.tsv``: strict-dev and the holdouts, or the files given with
  ``--labels FILE``, see :mod:`.strict`), per split and for the split's JTAI and area SEND
  letters: weakness precision and recall, co-criticised agency-type pair precision and
  recall, agency-type and theme micro-F1 (JTAI letters carry no graded judgement to agree with).

The labels and offsets are ours; the texts are read from the corpus at run time.

The figures are computed in :mod:`tools.evalscore` and printed by :mod:`tools.evalreport`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from inspectgraph.errors import InputError

from .evalreport import report
from .evalscore import REPO, _default_corpus, evaluate

__all__ = ["main"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=_default_corpus())
    parser.add_argument("--devset", type=Path, default=REPO / "tests" / "devset")
    parser.add_argument(
        "--joint-corpus",
        type=Path,
        default=None,
        help="the joint inspections corpus (default: corpus-joint beside the corpus)",
    )
    parser.add_argument(
        "--labels",
        type=Path,
        action="append",
        default=None,
        metavar="FILE",
        help="score this strict labels file (repeatable) instead of tests/devset/strict*.tsv",
    )
    parser.add_argument(
        "--strict-only",
        action="store_true",
        help="print only the strict-reading scores (fast)",
    )
    args = parser.parse_args(argv)
    if not (args.corpus / "manifest.csv").exists():
        print(f"error: no corpus at {args.corpus} (set INSPECTGRAPH_CORPUS)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        result = evaluate(
            args.corpus,
            args.devset,
            labels=args.labels,
            joint=args.joint_corpus,
            strict_only=args.strict_only,
        )
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(report(result))
    print(f"\n({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
