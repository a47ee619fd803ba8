"""Statistical neighbours: for each local authority, the ten authorities most like it, as
the Department for Education lists them for children's services benchmarking.

The lists are bundled as data (``data/neighbours.csv``, keyed by DfE LA code, nearest
first), generated (``python -m tools.generate_neighbours``) from the corpus's
``outcomes/ofsted_la_provider_lookup.csv`` (its
``stat_neighbours`` column), the lookup the registry's ``las.csv`` is generated from; they
join the graph through the DfE codes it carries (``ig:dfeCode``).

>>> neighbour_codes("394")[:3]  # Sunderland: Redcar and Cleveland, South Tyneside, Hartlepool
['807', '393', '805']
>>> neighbour_codes("999")
[]
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

__all__ = ["DATA", "neighbour_codes", "neighbour_lists"]

DATA = Path(__file__).resolve().parents[1] / "data" / "neighbours.csv"


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
