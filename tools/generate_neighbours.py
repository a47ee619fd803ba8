"""Regenerate the bundled statistical neighbours (``data/neighbours.csv``) from the provider
lookup of the corpus's outcomes folder.

``python -m tools.generate_neighbours --corpus DIR``
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from inspectgraph.sources.neighbours import DATA, neighbour_lists

__all__ = ["generate"]

_HEADER = (
    "# Statistical neighbours of English local authorities (children's services), ten per\n"
    "# authority, nearest first: DfE LA codes from the stat_neighbours column of\n"
    "# ofsted_la_provider_lookup.csv (the corpus's outcomes folder, the provider lookup that\n"
    "# data/registry/las.csv is generated from), which carries the Department\n"
    "# for Education's statistical neighbour lists. Former authorities have none.\n"
    "# Regenerate: python -m tools.generate_neighbours --corpus DIR\n"
)


def generate(lookup: Path) -> str:
    """The text of ``data/neighbours.csv`` from the provider lookup file."""
    with lookup.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = io.StringIO()
    out.write(_HEADER)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["dfe_code", "name", "neighbours"])
    for row in sorted(rows, key=lambda r: int(r["la_code"])):
        codes = [c.strip() for c in row["stat_neighbours"].split(",") if c.strip()]
        writer.writerow([row["la_code"], row["local_authority_ons_name"], " ".join(codes)])
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.generate_neighbours --corpus DIR``: regenerate the bundled lists."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.generate_neighbours")
    parser.add_argument("--corpus", type=Path, required=True)
    args = parser.parse_args(argv)
    DATA.write_text(
        generate(args.corpus / "outcomes" / "ofsted_la_provider_lookup.csv"), encoding="utf-8"
    )
    neighbour_lists.cache_clear()
    print(f"wrote {len(neighbour_lists())} authorities' neighbours to {DATA}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
