"""The partnership graph: agencies joined when inspectors' findings concern them together.

Rules
-----
- A finding of the chosen polarity (by default *weakness*) that concerns agencies
  A1..An joins every pair of them: a finding about three agencies counts once for
  each of its three pairs. A finding about one agency adds that agency as a node
  but joins nothing.
- Per pair we count distinct findings, distinct inspections and distinct calendar
  years (of the inspection's date), and keep the first and last inspection dates,
  the themes (with counts) and one example finding: the earliest, ties broken by IRI.
- A pair is *recurring* when it was criticised together in at least two distinct
  inspections (``min_inspections``).
- Order, strongest first: inspections, then findings, then years (all descending),
  then the two labels alphabetically, so every backend gives the same order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

__all__ = [
    "PairStats",
    "partnership_graph",
    "partnership_graph_from_store",
    "recurring_partnerships",
]


@dataclass
class PairStats:
    """Evidence for one pair of agencies."""

    findings: set[str] = field(default_factory=set)
    inspections: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    dates: list[str] = field(default_factory=list)
    themes: Counter = field(default_factory=Counter)
    example: tuple[str, str, str] | None = None  # (date, finding IRI, summary)
    las: set[str] = field(default_factory=set)


def partnership_graph(rows: Iterable[Mapping[str, object]]) -> nx.Graph:
    """Build the partnership graph from finding-agency incidence rows.

    Each row is one (finding, agency[, theme]) with keys ``finding``, ``agency``,
    ``agencyLabel``, ``typeKey``, ``inspection``, ``date`` (ISO), ``summary`` and
    ``themeKey``, as returned by the named query ``finding-agencies``; ``laLabel``
    (the inspected local authority) is optional.

    Nodes are agency IRIs with ``label`` and ``agency_type``; edges carry
    ``findings``, ``inspections``, ``years`` (counts), ``first``, ``last``,
    ``themes`` (keys, most frequent first), ``example`` and ``example_finding``.

    Examples
    --------
    >>> rows = [
    ...     {"finding": "f1", "agency": "p", "agencyLabel": "Police", "typeKey": "police",
    ...      "inspection": "i1", "date": "2019-02-07", "summary": "Too little information.",
    ...      "themeKey": "front_door"},
    ...     {"finding": "f1", "agency": "c", "agencyLabel": "Council", "typeKey": "local_authority",
    ...      "inspection": "i1", "date": "2019-02-07", "summary": "Too little information.",
    ...      "themeKey": "front_door"},
    ... ]
    >>> G = partnership_graph(rows)
    >>> G.edges["p", "c"]["findings"], G.edges["p", "c"]["inspections"]
    (1, 1)
    """
    by_finding: dict[str, dict] = {}
    labels: dict[str, tuple[str, str]] = {}
    for row in rows:
        f, a = str(row["finding"]), str(row["agency"])
        labels[a] = (str(row["agencyLabel"]), str(row.get("typeKey") or "other"))
        entry = by_finding.setdefault(
            f,
            {
                "agencies": set(),
                "inspection": str(row["inspection"]),
                "date": str(row["date"]),
                "summary": str(row.get("summary") or ""),
                "themes": set(),
                "council": str(row.get("laLabel") or ""),
            },
        )
        entry["agencies"].add(a)
        if row.get("themeKey"):
            entry["themes"].add(str(row["themeKey"]))
    stats: dict[tuple[str, str], PairStats] = {}
    for f, entry in by_finding.items():
        for a, b in combinations(sorted(entry["agencies"]), 2):
            s = stats.setdefault((a, b), PairStats())
            s.findings.add(f)
            s.inspections.add(entry["inspection"])
            s.years.add(int(entry["date"][:4]))
            s.dates.append(entry["date"])
            s.themes.update(entry["themes"])
            if entry["council"]:
                s.las.add(entry["council"])
            candidate = (entry["date"], f, entry["summary"])
            if s.example is None or candidate[:2] < s.example[:2]:
                s.example = candidate
    G = nx.Graph()
    for agency, (label, agency_type) in sorted(labels.items()):
        G.add_node(agency, label=label, agency_type=agency_type)
    for (a, b), s in sorted(stats.items()):
        G.add_edge(
            a,
            b,
            findings=len(s.findings),
            inspections=len(s.inspections),
            years=len(s.years),
            first=min(s.dates),
            last=max(s.dates),
            themes=[t for t, _ in sorted(s.themes.items(), key=lambda kv: (-kv[1], kv[0]))],
            example=s.example[2] if s.example else "",
            example_finding=s.example[1] if s.example else "",
            inspection_ids=sorted(s.inspections),
            las=sorted(s.las),
        )
    return G


def partnership_graph_from_store(store, *, polarity: str = "weakness", la: str = "") -> nx.Graph:
    """Run the ``finding-agencies`` named query on ``store`` and build the graph."""
    from inspectgraph import queries

    q = queries.get("finding-agencies")
    result = store.query(q.text, q.bindings({"polarity": polarity, "la": la}))
    rows = [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in result.dicts()]
    return partnership_graph(rows)


def recurring_partnerships(G: nx.Graph, min_inspections: int = 2) -> list[dict]:
    """Pairs criticised together in at least ``min_inspections`` inspections, strongest first.

    Each item has ``agencies`` (the two labels, alphabetical), ``iris``, ``findings``,
    ``inspections``, ``years``, ``first``, ``last``, ``themes`` and ``example``.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("p", label="Police"); G.add_node("c", label="Council")
    >>> G.add_edge("p", "c", findings=3, inspections=2, years=1, first="2019-02-07",
    ...            last="2019-06-14", themes=["front_door"], example="Too little.")
    >>> [r["agencies"] for r in recurring_partnerships(G)]
    [['Council', 'Police']]
    >>> recurring_partnerships(G, min_inspections=3)
    []
    """
    out = []
    for a, b, d in G.edges(data=True):
        if d["inspections"] < min_inspections:
            continue
        (la, ia), (lb, ib) = sorted([(G.nodes[a]["label"], a), (G.nodes[b]["label"], b)])
        out.append(
            {
                "agencies": [la, lb],
                "iris": [ia, ib],
                "findings": d["findings"],
                "inspections": d["inspections"],
                "years": d["years"],
                "first": d["first"],
                "last": d["last"],
                "themes": list(d["themes"]),
                "example": d["example"],
            }
        )
    out.sort(
        key=lambda r: (
            -r["inspections"],
            -r["findings"],
            -r["years"],
            r["agencies"][0],
            r["agencies"][1],
        )
    )
    return out
