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
- A pair *persists* in a local authority when it was criticised together in successive
  inspections of that authority: successive among the authority's inspections that have
  findings in the analysis (the chosen polarity, region and period). ``persistence`` is the
  longest such run over all authorities (1: never twice in a row), ``persistent_in`` the
  authorities where a run of two or more happened.
- Order, strongest first: inspections, then findings, then years (all descending),
  then the two labels alphabetically, so every backend gives the same order.
- Every pair is also measured against chance (:mod:`.cocriticism`): the count expected when
  each inspection's co-mentions are shared out by how often each agency is named, the lift, its
  bootstrap interval and a Benjamini--Hochberg adjusted p-value. Pairs of agency types are
  measured the same way, a finding naming a type when it names an agency of that type.
  ``rank_by_lift`` orders pairs by the lower end of the lift's interval.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from ..model.agency_types import agency_type_label
from .cocriticism import STATISTIC_KEYS, cocriticism
from .incidence import findings_from_rows
from .scope import Scope

__all__ = [
    "CRITICISM",
    "PairStats",
    "graph_from_findings",
    "partnership_graph",
    "partnership_graph_from_store",
    "rank_by_lift",
    "recurring_partnerships",
    "type_partnership_graph",
    "type_partnerships",
]

#: Default bootstrap draws of the lift intervals.
RESAMPLES = 1000

#: The findings that criticise: a pair is co-criticised when both agencies are named in one
#: weakness or one mixed finding (praise with a reservation criticises too).
CRITICISM = "weakness,mixed"

# graph attribute holding what the type-level statistics need (left out of exports)
_INCIDENCE = "_incidence"


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
    by_la: dict[str, set[str]] = field(default_factory=dict)  # council -> inspections


def partnership_graph(
    rows: Iterable[Mapping[str, object]],
    *,
    criticised: int | None = None,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> nx.Graph:
    """Build the partnership graph from finding-agency incidence rows.

    Each row is one (finding, agency[, theme]) with keys ``finding``, ``agency``,
    ``agencyLabel``, ``typeKey``, ``inspection``, ``date`` (ISO), ``summary`` and
    ``themeKey``, as returned by the named query ``finding-agencies``; ``laLabel``
    and ``council`` (the inspected local authority's label and IRI) are optional.

    Nodes are agency IRIs with ``label`` and ``agency_type``; edges carry
    ``findings``, ``inspections``, ``years`` (counts), ``first``, ``last``,
    ``themes`` (keys, most frequent first), ``example``, ``example_finding``,
    ``las`` (labels of the authorities), ``persistence`` and ``persistent_in`` (see the
    module), and the statistics against chance of :func:`.cocriticism.cocriticism`
    (``expected``, ``lift``, ``lift_low``, ``lift_high``, ``p_value``, ``p_adjusted``,
    ``per_100_findings``, ``expected_per_100_findings``) from ``resamples`` bootstrap draws
    seeded with ``seed``. ``criticised`` is the number of findings of the polarity in the
    analysis (with or without agencies), the denominator of the rates; by default the
    findings in ``rows``. Nodes also get ``authorities``: the labels of the inspected
    authorities whose findings name the agency.

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
    >>> G.edges["p", "c"]["lift"]  # one finding naming both: exactly what chance gives
    1.0
    """
    by_finding, labels = findings_from_rows(rows)
    return graph_from_findings(
        by_finding, labels, criticised=criticised, resamples=resamples, seed=seed
    )


def graph_from_findings(
    by_finding: Mapping[str, dict],
    labels: Mapping[str, tuple[str, str]],
    *,
    criticised: int | None = None,
    resamples: int = RESAMPLES,
    seed: int = 0,
    summaries=None,
) -> nx.Graph:
    """The partnership graph of :func:`partnership_graph` from findings already grouped:
    finding -> ``agencies`` (a set of IRIs), ``inspection``, ``date``, ``summary``,
    ``themes`` (a set of keys), ``council`` (the authority's label) and ``la`` (its IRI);
    ``labels`` maps each agency to (label, type key). A finding that names one agency only
    counts its mention, so its key need not be a finding IRI. ``summaries``, when given,
    is called with the example findings' IRIs and returns their summaries (for findings
    read without them)."""
    authorities: dict[str, set[str]] = {}
    for entry in by_finding.values():
        if entry["council"]:
            for a in entry["agencies"]:
                authorities.setdefault(a, set()).add(entry["council"])
    # each authority's inspections with findings, in date order (for persistence)
    la_inspections: dict[str, set[tuple[str, str]]] = {}
    for entry in by_finding.values():
        if entry["la"]:
            la_inspections.setdefault(entry["la"], set()).add((entry["date"], entry["inspection"]))
    position = {
        la: {i: n for n, (_, i) in enumerate(sorted(items))} for la, items in la_inspections.items()
    }
    la_label = {e["la"]: e["council"] or e["la"] for e in by_finding.values()}
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
            if entry["la"]:
                s.by_la.setdefault(entry["la"], set()).add(entry["inspection"])
            candidate = (entry["date"], f, entry["summary"])
            if s.example is None or candidate[:2] < s.example[:2]:
                s.example = candidate
    if summaries is not None and stats:
        found = summaries(sorted({s.example[1] for s in stats.values() if s.example}))
        for s in stats.values():
            if s.example:
                s.example = (*s.example[:2], str(found.get(s.example[1]) or ""))
    incidence = [(e["inspection"], frozenset(e["agencies"])) for e in by_finding.values()]
    total = len(by_finding) if criticised is None else criticised
    chance = cocriticism(incidence, total=total, resamples=resamples, seed=seed)
    G = nx.Graph()
    G.graph[_INCIDENCE] = {
        "findings": incidence,
        "types": {a: t for a, (_, t) in labels.items()},
        "total": total,
        "resamples": resamples,
        "seed": seed,
    }
    for agency, (label, agency_type) in sorted(labels.items()):
        G.add_node(
            agency,
            label=label,
            agency_type=agency_type,
            authorities=sorted(authorities.get(agency, ())),
        )
    for (a, b), s in sorted(stats.items()):
        runs = {
            la: _longest_run(sorted(position[la][i] for i in inspections))
            for la, inspections in s.by_la.items()
        }
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
            finding_ids=sorted(s.findings),
            years_seen=sorted(s.years),
            las=sorted(s.las),
            persistence=max(runs.values(), default=1 if s.inspections else 0),
            persistent_in=sorted(la_label[la] for la, n in runs.items() if n >= 2),
            **{k: chance[a, b][k] for k in STATISTIC_KEYS},
        )
    return G


def _longest_run(positions: list[int]) -> int:
    """Length of the longest run of consecutive integers in a sorted list.

    >>> _longest_run([0, 1, 3, 4, 5]), _longest_run([2]), _longest_run([])
    (3, 1, 0)
    """
    best = run = 0
    previous = None
    for p in positions:
        run = run + 1 if previous is not None and p == previous + 1 else 1
        best = max(best, run)
        previous = p
    return best


def partnership_graph_from_store(
    store,
    *,
    polarity: str = CRITICISM,
    la: str = "",
    region: str = "",
    since: str = "",
    until: str = "",
    resamples: int = RESAMPLES,
    seed: int = 0,
    use_index: bool | None = None,
) -> nx.Graph:
    """Read the findings of the analysis from ``store`` and build the graph.

    ``polarity`` is a polarity key, several joined by commas (``"weakness,mixed"``: every
    finding that criticises), or ``""`` for all findings.
    ``la`` and ``region`` (a region key or name) restrict the inspected authorities,
    ``since`` and ``until`` (ISO dates) the inspections' publication dates. The findings
    come from the co-criticism index written with each document when it covers them all,
    else from the named queries ``finding-agencies`` and ``criticised-findings`` (the
    denominator of the rates); both give the same graph (:mod:`.incidence`). ``use_index``
    False forces the second path. ``resamples`` and ``seed`` are the bootstrap's."""
    from .incidence import read_findings

    by_finding, labels, criticised, summaries, _path = read_findings(
        store, polarity=polarity, scope=Scope(la, region, since, until), use_index=use_index
    )
    return graph_from_findings(
        by_finding,
        labels,
        criticised=criticised,
        resamples=resamples,
        seed=seed,
        summaries=summaries,
    )


def recurring_partnerships(G: nx.Graph, min_inspections: int = 2) -> list[dict]:
    """Pairs criticised together in at least ``min_inspections`` inspections, strongest first.

    Each item has ``agencies`` (the two labels, alphabetical), ``iris``, ``findings``,
    ``inspections``, ``years``, ``first``, ``last``, ``themes``, ``example``,
    ``local_authorities`` (how many authorities' inspections criticised the pair),
    ``persistence`` and ``persistent_in`` (see the module), then the statistics against
    chance (``expected``, ``lift``, ``lift_low``, ``lift_high``, ``p_value``,
    ``p_adjusted``, ``per_100_findings``, ``expected_per_100_findings``; None when the
    graph has none), rounded for reading.

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
                "local_authorities": len(d.get("las") or ()),
                "persistence": d.get("persistence", 1),
                "persistent_in": list(d.get("persistent_in") or ()),
                **_rounded(d),
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


def type_partnerships(G: nx.Graph, min_inspections: int = 2) -> list[dict]:
    """Pairs of agency *types* criticised together, summed over all pairs of agencies: the
    national pattern behind authority-specific pairs (each council and its own police
    force count towards "local_authority -- police").

    Each item has ``agency_types`` (the two keys, alphabetical), ``pairs`` (how many pairs
    of agencies), ``findings``, ``inspections``, ``local_authorities``, ``years`` (distinct
    counts), ``first``, ``last``, ``persistence`` (the longest run of successive
    inspections of one authority over its pairs), ``persistent_in`` (authorities with a run
    of two or more) and ``themes``; kept when at least ``min_inspections`` inspections.
    Strongest first, as :func:`recurring_partnerships`. Then the statistics against chance
    of :func:`recurring_partnerships`, with a finding naming a type when it names an
    agency of that type (a graph built by :func:`partnership_graph` carries what they need;
    a pair of one type has none: None).

    Examples
    --------
    >>> G = nx.Graph()
    >>> for n, t in [("p1", "police"), ("c1", "local_authority"), ("p2", "police"),
    ...              ("c2", "local_authority")]:
    ...     G.add_node(n, label=n, agency_type=t)
    >>> G.add_edge("p1", "c1", findings=2, inspections=2, years=2, first="2019-01-01",
    ...            last="2020-01-01", themes=["front_door"], finding_ids=["f1", "f2"],
    ...            inspection_ids=["i1", "i2"], las=["A"], years_seen=[2019, 2020],
    ...            persistence=2, persistent_in=["A"])
    >>> G.add_edge("p2", "c2", findings=1, inspections=1, years=1, first="2021-01-01",
    ...            last="2021-01-01", themes=["front_door"], finding_ids=["f3"],
    ...            inspection_ids=["i3"], las=["B"], years_seen=[2021], persistence=1,
    ...            persistent_in=[])
    >>> [(r["agency_types"], r["pairs"], r["inspections"], r["local_authorities"])
    ...  for r in type_partnerships(G)]
    [(['local_authority', 'police'], 2, 3, 2)]
    """
    groups: dict[tuple[str, str], dict] = {}
    for a, b, d in G.edges(data=True):
        key = tuple(
            sorted(
                (
                    str(G.nodes[a].get("agency_type") or "other"),
                    str(G.nodes[b].get("agency_type") or "other"),
                )
            )
        )
        g = groups.setdefault(
            key,
            {
                "pairs": 0,
                "findings": set(),
                "inspections": set(),
                "las": set(),
                "years": set(),
                "dates": [],
                "persistence": 0,
                "persistent_in": set(),
                "themes": Counter(),
            },
        )
        g["pairs"] += 1
        g["findings"].update(d.get("finding_ids") or ())
        g["inspections"].update(d.get("inspection_ids") or ())
        g["las"].update(d.get("las") or ())
        g["years"].update(d.get("years_seen") or ())
        g["dates"] += [d["first"], d["last"]]
        g["persistence"] = max(g["persistence"], d.get("persistence", 1))
        g["persistent_in"].update(d.get("persistent_in") or ())
        g["themes"].update(d.get("themes") or ())
    chance = _type_chance(G)
    out = []
    for (ta, tb), g in groups.items():
        if len(g["inspections"]) < min_inspections:
            continue
        out.append(
            {
                "agency_types": [ta, tb],
                "pairs": g["pairs"],
                "findings": len(g["findings"]),
                "inspections": len(g["inspections"]),
                "local_authorities": len(g["las"]),
                "years": len(g["years"]),
                "first": min(g["dates"]),
                "last": max(g["dates"]),
                "persistence": g["persistence"],
                "persistent_in": sorted(g["persistent_in"]),
                "themes": [
                    t for t, _ in sorted(g["themes"].items(), key=lambda kv: (-kv[1], kv[0]))
                ],
                **_rounded(chance.get((ta, tb), {})),
            }
        )
    out.sort(
        key=lambda r: (
            -r["inspections"],
            -r["findings"],
            -r["local_authorities"],
            r["agency_types"],
        )
    )
    return out


def _type_chance(G: nx.Graph) -> dict[tuple[str, str], dict]:
    """Statistics against chance of the pairs of agency types, from the findings kept on a
    graph made by :func:`partnership_graph` (empty for any other graph)."""
    data = G.graph.get(_INCIDENCE)
    if not data:
        return {}
    types = data["types"]
    findings = [
        (inspection, {str(types.get(a) or "other") for a in agencies})
        for inspection, agencies in data["findings"]
    ]
    return cocriticism(
        findings, total=data["total"], resamples=data["resamples"], seed=data["seed"]
    )


def type_partnership_graph(G: nx.Graph, min_inspections: int = 1) -> nx.Graph:
    """The graph of agency types: one node per type, one edge per pair of types criticised
    together (of two different types) in at least ``min_inspections`` inspections.

    Nodes carry ``label`` and ``agency_type`` (the key), ``agencies`` (how many agencies of
    the type) and ``findings`` (criticised findings naming the type); edges every key of
    :func:`type_partnerships`.

    Examples
    --------
    >>> rows = [{"finding": f, "agency": a, "agencyLabel": a, "typeKey": t,
    ...          "inspection": "i1", "date": "2019-02-07", "summary": "s"}
    ...         for f, a, t in [("f1", "p", "police"), ("f1", "c", "local_authority"),
    ...                         ("f2", "c", "local_authority")]]
    >>> T = type_partnership_graph(partnership_graph(rows, resamples=0))
    >>> sorted(T.nodes(data="findings")), T.edges["local_authority", "police"]["findings"]
    ([('local_authority', 2), ('police', 1)], 1)
    """
    data = G.graph.get(_INCIDENCE) or {}
    types = data.get("types") or dict(G.nodes(data="agency_type"))
    findings: Counter = Counter()
    for _, agencies in data.get("findings", ()):
        findings.update({str(types.get(a) or "other") for a in agencies})
    agencies = Counter(str(t or "other") for t in types.values())
    T = nx.Graph()
    T.graph.update({k: v for k, v in G.graph.items() if not str(k).startswith("_")})
    for key in sorted(agencies):
        T.add_node(
            key,
            label=agency_type_label(key),
            agency_type=key,
            agencies=agencies[key],
            findings=findings[key],
        )
    for row in type_partnerships(G, min_inspections=min_inspections):
        ta, tb = row["agency_types"]
        if ta != tb:
            T.add_edge(ta, tb, **row)
    return T


def _rounded(stats: Mapping) -> dict:
    """The statistics against chance of one pair, rounded for tables and JSON (p-values to
    three significant digits, the rest to three decimals); None where missing.

    >>> _rounded({"lift": 2.34567, "p_adjusted": 0.000123456})["p_adjusted"]
    0.000123
    >>> _rounded({})["lift"] is None
    True
    """
    out = {}
    for key in STATISTIC_KEYS:
        value = stats.get(key)
        if value is None:
            out[key] = None
        elif key.startswith("p_"):
            out[key] = float(f"{value:.3g}")
        else:
            out[key] = round(float(value), 3)
    return out


def rank_by_lift(rows: list[dict], min_findings: int = 3) -> list[dict]:
    """The pairs supported by at least ``min_findings`` findings, most over-represented
    first: by the lower end of the lift's interval, then the lift, then the given order.
    Pairs without an interval (pairs of one agency type) are left out.

    Examples
    --------
    >>> rows = [{"agencies": ["a", "b"], "findings": 9, "lift": 1.5, "lift_low": 1.1},
    ...         {"agencies": ["a", "c"], "findings": 4, "lift": 6.0, "lift_low": 2.0},
    ...         {"agencies": ["b", "c"], "findings": 2, "lift": 9.0, "lift_low": 5.0}]
    >>> [r["agencies"] for r in rank_by_lift(rows)]
    [['a', 'c'], ['a', 'b']]
    """
    kept = [r for r in rows if r["findings"] >= min_findings and r.get("lift_low") is not None]
    return sorted(kept, key=lambda r: (-r["lift_low"], -r["lift"]))
