"""Statistical neighbours: for each local authority, the ten authorities most like it, as
the Department for Education lists them for children's services benchmarking.

The lists are bundled as data (``data/neighbours.csv``, keyed by DfE LA code, nearest
first), generated from the corpus's ``outcomes/ofsted_la_provider_lookup.csv`` (its
``stat_neighbours`` column), the lookup the registry's ``las.csv`` is generated from; they
join the graph through the DfE codes it carries (``ig:dfeCode``).

>>> neighbour_codes("394")[:3]  # Sunderland: Redcar and Cleveland, South Tyneside, Hartlepool
['807', '393', '805']
>>> neighbour_codes("999")
[]
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path

__all__ = ["DATA", "generate", "neighbour_codes", "neighbour_lists"]

DATA = Path(__file__).resolve().parents[1] / "data" / "neighbours.csv"

_HEADER = (
    "# Statistical neighbours of English local authorities (children's services), ten per\n"
    "# authority, nearest first: DfE LA codes from the stat_neighbours column of\n"
    "# ofsted_la_provider_lookup.csv (the corpus's outcomes folder, the provider lookup that\n"
    "# data/registry/las.csv is generated from), which carries the Department\n"
    "# for Education's statistical neighbour lists. Former authorities have none.\n"
    "# Regenerate: python -m inspectgraph.sources.neighbours --corpus DIR\n"
)


@lru_cache(maxsize=1)
def neighbour_lists() -> dict[str, list[str]]:
    """``{DfE code: [neighbour DfE codes, nearest first]}`` for every authority bundled."""
    text = DATA.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return {
        row["dfe_code"]: row["neighbours"].split()
        for row in csv.DictReader(lines)
        if row["neighbours"].strip()
    }


def neighbour_codes(dfe_code: str) -> list[str]:
    """The DfE codes of the statistical neighbours of the authority ``dfe_code``, nearest
    first (``[]`` for an authority without a list)."""
    return list(neighbour_lists().get(str(dfe_code), []))


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
    """``python -m inspectgraph.sources.neighbours --corpus DIR``: regenerate the bundled lists."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m inspectgraph.sources.neighbours")
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
