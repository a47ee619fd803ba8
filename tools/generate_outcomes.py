"""Regenerate the bundled national judgement history (``data/outcomes.csv``) from Ofsted's
official outcome files.

``python -m tools.generate_outcomes FILE... --out data/outcomes.csv``
"""

from __future__ import annotations

from pathlib import Path

from inspectgraph.sources.outcomes import read_outcomes, write_outcomes_csv


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.generate_outcomes FILE... --out data/outcomes.csv``"""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.generate_outcomes")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    outcomes = read_outcomes(args.files)
    write_outcomes_csv(outcomes, args.out)
    print(
        f"wrote {len(outcomes.inspections)} inspections of {len(outcomes.authorities)} "
        f"authorities to {args.out} ({len(outcomes.unplaced)} rows without a publication "
        "date left out)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
