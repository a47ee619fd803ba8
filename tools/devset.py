"""Growing the hand-labelled development set without storing letter texts.

``python -m tools.devset sample --out SHEET.tsv`` chooses documents of the
corpus that are not in ``tests/devset/findings.tsv`` yet — stratified by layout and year,
one per local authority not yet labelled, with a fixed seed — draws up to ``--per-doc``
sentences of each at random from the findings the segmenter finds, and writes a labelling
sheet *with* the sentences' text (keep it outside the repository: letter texts are not
bundled). New documents alternate between the ``dev`` and ``holdout`` splits, so no
document is in both; ``--split`` puts them all in one split instead (``holdout2`` is the
second holdout, drawn after the rules had been tuned against ``holdout``).
``--plan recent`` draws from the letters and reports of 2023-2025 instead, and
``--jtai N --area-send M`` adds joint-inspection letters from the joint corpus
(``--joint-corpus``, default ``corpus-joint`` beside the corpus): half the JTAI letters from
2016-2020, half from 2022 on. A joint letter's path is written ``corpus-joint/<path>``, and its
sentences are drawn from its whole body (the segmenter does not know these layouts yet), each
with the nearest heading above it. Documents in ``findings.tsv`` or ``strict.tsv`` are never drawn,
nor those of a labels file given with ``--exclude`` (a holdout kept outside the repository).
``--plan any`` takes documents of every layout and year (bounded by ``--max-docs``), and
``--per-joint-doc`` draws more sentences from each joint letter, where co-criticised pairs are.
Only the document structure is read (no label is computed), so a blind sheet stays blind.

The annotator fills the ``polarity`` column following the guideline in
``docs/extraction.md``, without seeing what the extractor predicts, and
``python -m tools.devset merge SHEET.tsv`` appends the labelled rows to
``tests/devset/findings.tsv`` without their text (path, offsets, hash and labels only).
Rows added this way are labelled for polarity only: their ``themes`` and ``agencies``

The command is here; the sampling is in :mod:`tools.devsetsample`, the files' columns, reading
and merging in :mod:`tools.devsetsheet`.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from .devsetsample import PLANS, sample, sample_pairs, sample_unread
from .devsetsheet import FIELDS, SPLITS, merge

__all__ = ["main"]


def _keywords(args, names: str, **renamed: str) -> dict:
    """The parsed options ``names`` (separated by spaces) as keywords of the same names, and
    ``renamed`` (keyword=option); repeatable options (lists) as tuples."""
    pairs = [(name, name) for name in names.split()] + list(renamed.items())
    values = {key: getattr(args, option) for key, option in pairs}
    return {key: tuple(v) if isinstance(v, list) else v for key, v in values.items()}


def _sample_from(args) -> list[dict]:
    """The sheet rows the ``sample`` command's options ask for."""
    return sample(
        args.corpus,
        args.devset,
        new_las_only=not args.any_la,
        **_keywords(
            args,
            "per_doc seed max_docs split plan_scale plan jtai area_send per_joint_doc exclude",
            joint="joint_corpus",
        ),
    )


def main(argv=None) -> int:
    from .evalscore import REPO, _default_corpus

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample", help="write a labelling sheet for new documents")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--per-doc", type=int, default=18)
    s.add_argument("--seed", type=int, default=2025)
    s.add_argument("--max-docs", type=int, default=None)
    s.add_argument("--split", choices=list(SPLITS), default=None)
    s.add_argument("--plan-scale", type=int, default=1, help="multiply the per-stratum quotas")
    s.add_argument(
        "--any-la",
        action="store_true",
        help="also draw documents of authorities that already have labelled documents",
    )
    s.add_argument("--plan", choices=sorted(PLANS), default="default")
    s.add_argument("--joint-corpus", type=Path, default=None)
    s.add_argument("--jtai", type=int, default=0, help="JTAI letters to add (half pre-2021)")
    s.add_argument("--area-send", type=int, default=0, help="area SEND letters to add")
    s.add_argument(
        "--per-joint-doc", type=int, default=None, help="sentences per joint letter (--per-doc)"
    )
    s.add_argument(
        "--exclude",
        type=Path,
        action="append",
        default=[],
        help="a labels file (path column) whose documents are not drawn; repeatable",
    )
    pairs = sub.add_parser(
        "sample-pairs",
        help="write a pair-enriched sheet: sentences naming words of two or more agency groups",
    )
    pairs.add_argument("--out", type=Path, required=True)
    pairs.add_argument("--seed", type=int, default=2042)
    pairs.add_argument("--per-doc", type=int, default=3)
    pairs.add_argument("--count", type=int, default=300)
    pairs.add_argument("--split", default="holdout9p")
    pairs.add_argument("--joint-corpus", type=Path, default=None)
    pairs.add_argument("--exclude", type=Path, action="append", default=[])
    unread = sub.add_parser(
        "sample-unread",
        help="write a sheet of the sentences nobody has read in the listed documents",
    )
    unread.add_argument("--out", type=Path, required=True)
    unread.add_argument(
        "--documents", type=Path, required=True, help="a file of corpus-relative paths, one a line"
    )
    unread.add_argument("--seed", type=int, default=2051)
    unread.add_argument("--per-doc", type=int, default=4)
    unread.add_argument("--pairs-per-doc", type=int, default=3)
    unread.add_argument("--split", default="holdout10")
    unread.add_argument("--pair-split", default="holdout10p")
    unread.add_argument("--joint-corpus", type=Path, default=None)
    unread.add_argument(
        "--seen",
        type=Path,
        action="append",
        default=[],
        help="a sheet (path or report, start, end) of sentences already read; repeatable",
    )
    m = sub.add_parser("merge", help="append a labelled sheet to findings.tsv")
    m.add_argument("sheet", type=Path)
    for p in (s, pairs, unread, m):
        p.add_argument("--corpus", type=Path, default=_default_corpus())
        p.add_argument("--devset", type=Path, default=REPO / "tests" / "devset")
    args = parser.parse_args(argv)
    if args.command in ("sample", "sample-pairs", "sample-unread"):
        from inspectgraph.extract.core import InputError

        try:
            if args.command == "sample":
                rows = _sample_from(args)
            elif args.command == "sample-unread":
                documents = args.documents.read_text(encoding="utf-8").split()
                options = "seed per_doc pairs_per_doc split pair_split"
                rows = sample_unread(
                    args.corpus,
                    args.devset,
                    documents,
                    **_keywords(args, options, joint="joint_corpus", seen_sheets="seen"),
                )
            else:
                options = "seed per_doc count split exclude"
                rows = sample_pairs(
                    args.corpus, args.devset, **_keywords(args, options, joint="joint_corpus")
                )
        except (InputError, ValueError) as err:
            print(f"devset {args.command}: {err}", file=sys.stderr)
            return 1
        with args.out.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(
                f,
                fieldnames=[*FIELDS, "criticised", "section", "heading", "text"],
                delimiter="\t",
                restval="",
            )
            w.writeheader()
            w.writerows(rows)
        print(f"{len(rows)} sentences of {len({r['path'] for r in rows})} documents -> {args.out}")
    else:
        print(f"{merge(args.sheet, args.devset)} rows added")
    return 0


if __name__ == "__main__":
    sys.exit(main())
