"""Seeded synthetic inspection graphs shaped like the real one, for benchmarks and scale tests.

The generator writes :class:`~inspectgraph.model.records.Records` (the same dataclasses a
curated YAML file is parsed into) and maps them with :func:`~inspectgraph.model.rdfmap.records_to_graph`,
so a synthetic graph has exactly the shape of a built one and every named query and
analysis runs on it. Its shape follows the real data:

- 153 local authorities (as in England), each with its council, its safeguarding
  partnership and, for about one in seven, a company delivering its services;
- agencies shared across authorities as in life: 39 police forces and 42 health
  bodies each covering a block of neighbouring authorities, 12 probation regions and
  one national family-court service;
- inspections in date order from 2009 (SIF inspections and monitoring visits, then
  ILACS inspections, focused visits and joint targeted inspections from 2018) with
  graded judgements for full inspections;
- findings of the four polarities, each about 1 to 3 of the 25 themes (skewed: the
  front door and management oversight come up far more than private fostering) and
  1 to 4 agencies (the council nearly always, the police most often with front-door
  themes), most with a quotation whose selectors locate it in a made-up letter.

Everything is labelled *synthetic* (``Synthetic LA 017``, ``Synthetic Police 03``): no
name, finding or quote is real. Equal ``seed`` and ``triples`` give identical graphs.

>>> data = generate(3000, seed=1)
>>> data.triples >= 3000, len(data.las)
(True, 153)
>>> generate(3000, seed=1).digest() == data.digest()
True
"""

from __future__ import annotations

import datetime as dt
import gc
import random
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from inspectgraph.model.rdfmap import graph_iri, records_to_graph
from inspectgraph.model.records import Agency, Document, Finding, Inspection, Quote, Records
from inspectgraph.ontology import concept_keys, ontology_graph

__all__ = ["SIZES", "Synthetic", "generate"]

#: Named sizes in triples, as ``make bench`` uses them.
SIZES = {"S": 10_000, "M": 100_000, "L": 1_000_000}

N_LAS = 153
N_POLICE = 39
N_HEALTH = 42
N_PROBATION = 12
N_INSPECTORS = 120
FIRST_YEAR, LAST_YEAR = 2009, 2024
LAST_DATE = dt.date(LAST_YEAR, 12, 15)

# how often each agency kind is concerned by a finding besides the council
PARTNER_ODDS = {
    "police": 0.45,
    "health": 0.35,
    "partnership": 0.15,
    "company": 0.6,
    "probation": 0.05,
    "courts": 0.05,
}
POLARITY_WEIGHTS = {"weakness": 45, "strength": 40, "neutral": 10, "mixed": 5}
# themes that pull in the police or health (the front door is the classic police one)
POLICE_THEMES = {
    "front_door",
    "information_sharing",
    "exploitation_and_missing",
    "domestic_abuse",
    "child_protection",
    "youth_justice",
}
HEALTH_THEMES = {"mental_health", "disabled_children", "neglect", "early_help", "child_protection"}

_SUBJECTS = [
    "Social workers",
    "Managers",
    "Partners",
    "Leaders",
    "Practitioners",
    "Staff in the front door",
    "Independent reviewing officers",
    "Senior leaders",
]
_VERBS = [
    "do not consistently record",
    "have improved how they review",
    "rarely share",
    "understand well",
    "are slow to act on",
    "routinely check",
    "do not always escalate",
    "carefully consider",
]
_OBJECTS = [
    "the risks to children",
    "information from the police",
    "plans for children",
    "the quality of assessments",
    "decisions about thresholds",
    "the views of children",
    "strategy discussions",
    "return home interviews",
]
_TAILS = [
    "in a timely way",
    "across the partnership",
    "for most children",
    "when concerns escalate",
    "since the last inspection",
    "at the front door",
]


@dataclass
class Synthetic:
    """A generated graph: one named graph per source, plus the ontology graph."""

    graphs: dict[URIRef, Graph]
    records: list[Records]
    seed: int
    target: int
    las: list[str] = field(default_factory=list)
    inspections: int = 0
    findings: int = 0

    @property
    def triples(self) -> int:
        """Number of triples over all named graphs."""
        return sum(len(g) for g in self.graphs.values())

    def quads(self):
        """Every quad as rdflib terms, graph by graph."""
        for name, g in self.graphs.items():
            for s, p, o in g:
                yield s, p, o, name

    def nquads(self) -> bytes:
        """The whole dataset as N-Quads (UTF-8), in a stable order."""
        import pyoxigraph as ox

        from inspectgraph.graph.stores.oxterms import to_ox

        quads = (
            ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)))
            for s, p, o, g in self.quads()
        )
        lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
        lines.sort()
        return b"".join(lines)

    def digest(self) -> str:
        """The content digest the stores compute (see :mod:`inspectgraph.graph.stores.base`)."""
        from inspectgraph.graph.stores.base import digest_of

        return digest_of(self.quads())

    def summary(self) -> dict[str, int]:
        agencies = sum(len(r.agencies) for r in self.records)
        return {
            "triples": self.triples,
            "graphs": len(self.graphs),
            "las": len(self.las),
            "agencies": agencies,
            "inspections": self.inspections,
            "findings": self.findings,
        }


def generate(triples: int = SIZES["S"], *, seed: int = 0, ontology: bool = True) -> Synthetic:
    """A synthetic inspection graph of at least ``triples`` triples (ontology included).

    Parameters
    ----------
    triples : int
        Target size; generation stops at the first inspection that reaches it, so the
        result is a few hundred triples larger at most.
    seed : int
        Seed of the random choices: equal seeds give identical graphs.
    ontology : bool
        Include the ontology and concept schemes graph (the named queries need it).

    Returns
    -------
    Synthetic

    Examples
    --------
    >>> data = generate(2000, seed=0)
    >>> sorted(data.summary())
    ['agencies', 'findings', 'graphs', 'inspections', 'las', 'triples']
    >>> len(data.graphs)  # shared agencies, 153 authorities and the ontology
    155
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small rdflib objects: collection passes would dominate
    try:
        return _generate(triples, seed, ontology)
    finally:
        if gc_was_enabled:
            gc.enable()


def _generate(triples: int, seed: int, ontology: bool) -> Synthetic:
    rng = random.Random(seed)
    themes = sorted(concept_keys("themes"))
    theme_weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(themes))]
    rng.shuffle(theme_weights)
    # keep the classic partnership themes among the frequent ones
    for t in ("front_door", "management_oversight", "information_sharing"):
        theme_weights[themes.index(t)] = max(theme_weights)
    inspectors = [f"Synthetic Inspector {i:03d}" for i in range(1, N_INSPECTORS + 1)]

    shared: list[Agency] = []
    police = [f"synthetic-police-{i:02d}" for i in range(1, N_POLICE + 1)]
    health = [f"synthetic-health-{i:02d}" for i in range(1, N_HEALTH + 1)]
    probation = [f"synthetic-probation-{i:02d}" for i in range(1, N_PROBATION + 1)]
    for ids, label, kind in (
        (police, "Synthetic Police", "police"),
        (health, "Synthetic Health Board", "health"),
        (probation, "Synthetic Probation Region", "probation"),
    ):
        for i, agency_id in enumerate(ids, 1):
            shared.append(Agency(agency_id, f"{label} {i:02d}", kind))
    shared.append(
        Agency("synthetic-family-court-service", "Synthetic Family Court Service", "courts_cafcass")
    )
    graphs: dict[URIRef, Graph] = {}
    records: list[Records] = []
    shared_records = Records(
        "synthetic-agencies", title="Synthetic shared agencies", agencies=tuple(shared)
    )
    graphs[graph_iri("synthetic-agencies")] = records_to_graph(shared_records)
    records.append(shared_records)

    # each authority: its own agencies and the shared ones covering it (contiguous blocks)
    las = []
    partners: dict[str, dict[str, str]] = {}
    local: dict[str, list[Agency]] = {}
    for i in range(N_LAS):
        la = f"synthetic-la-{i + 1:03d}"
        las.append(la)
        name = f"Synthetic LA {i + 1:03d}"
        own = [
            Agency(
                la,
                f"{name} Council",
                "local_authority",
                alt_labels=(name,),
                identifiers={
                    "gss": f"E0{9000000 + i:07d}",
                    "ofsted_urn": f"{90000 + i}",
                    "dfe_code": f"{800 + i}",
                },
            ),
            Agency(
                f"{la}-partnership", f"{name} Safeguarding Partnership", "safeguarding_partnership"
            ),
        ]
        p = {
            "council": la,
            "partnership": f"{la}-partnership",
            "police": police[i * N_POLICE // N_LAS],
            "health": health[i * N_HEALTH // N_LAS],
            "probation": probation[i * N_PROBATION // N_LAS],
            "courts": "synthetic-family-court-service",
        }
        if rng.random() < 1 / 7:
            own.append(
                Agency(
                    f"{la}-company", f"{name} Children's Trust", "local_authority", linked_to=(la,)
                )
            )
            p["company"] = f"{la}-company"
        local[la] = own
        partners[la] = p
        records.append(Records(la, title=f"{name} (synthetic)", agencies=tuple(own)))
        graphs[graph_iri(la)] = records_to_graph(records[-1])
    if ontology:
        graphs[graph_iri("ontology")] = ontology_graph()

    data = Synthetic(graphs, records, seed, triples, las)
    total = data.triples
    # about 240 triples per inspection (with its findings): spread each authority's
    # inspections over the years
    per_la = max(1.0, (triples - total) / (240 * N_LAS))
    gap = max(20, int((LAST_YEAR - FIRST_YEAR + 1) * 365 / (per_la + 1)))
    # inspections in date order, round-robin over the authorities in a shuffled order
    next_date = {
        la: dt.date(FIRST_YEAR, 1, 15) + dt.timedelta(days=rng.randrange(gap)) for la in las
    }
    grades = {la: rng.choice(["good", "requires_improvement", "inadequate"]) for la in las}
    order = list(las)
    done: dict[str, tuple[list[Inspection], list[Finding]]] = {la: ([], []) for la in las}
    while total < triples:
        rng.shuffle(order)
        for la in order:
            if total >= triples:
                break
            number = len(done[la][0]) + 1
            inspection = _inspection(rng, la, number, next_date[la], grades, inspectors)
            next_date[la] = min(
                LAST_DATE,
                inspection.documents[0].published
                + dt.timedelta(days=rng.randrange(gap // 2, gap * 3 // 2 + 1)),
            )
            findings = _findings(rng, inspection, partners[la], themes, theme_weights)
            extra = Records(la, inspections=(inspection,), findings=tuple(findings))
            g = graphs[graph_iri(la)]
            before = len(g)
            records_to_graph(extra, g)
            total += len(g) - before
            data.inspections += 1
            data.findings += len(findings)
            done[la][0].append(inspection)
            done[la][1].extend(findings)
    for i, r in enumerate(records):
        if r.source in done:
            records[i] = Records(
                r.source,
                r.title,
                r.description,
                r.agencies,
                tuple(done[r.source][0]),
                tuple(done[r.source][1]),
            )
    return data


def _inspection(
    rng: random.Random,
    la: str,
    number: int,
    date: dt.date,
    grades: dict[str, str],
    inspectors: list[str],
) -> Inspection:
    modern = date.year >= 2018
    grade = grades[la]
    if grade == "inadequate" and rng.random() < 0.6:
        kind = "monitoring_visit"
    elif modern:
        kind = rng.choices(
            ["ilacs_standard", "ilacs_short", "focused_visit", "jtai"], [3, 2, 4, 1]
        )[0]
    else:
        kind = rng.choices(
            ["sif_inspection", "sif_reinspection", "safeguarding_and_lac"], [6, 1, 2]
        )[0]
    judgements: dict[str, str] = {}
    if kind in ("ilacs_standard", "ilacs_short", "sif_inspection", "sif_reinspection"):
        # grades drift: inadequate authorities mostly improve, a few good ones slip
        grade = rng.choices(
            ["outstanding", "good", "requires_improvement", "inadequate"],
            {
                "inadequate": [0, 2, 5, 3],
                "requires_improvement": [1, 4, 4, 1],
                "good": [2, 6, 2, 1],
                "outstanding": [4, 5, 1, 0],
            }[grade],
        )[0]
        grades[la] = grade
        areas = (
            [
                "overall_effectiveness",
                "impact_of_leaders",
                "help_and_protection",
                "children_in_care",
                "care_leavers",
            ]
            if modern
            else [
                "overall_effectiveness",
                "help_and_protection",
                "children_in_care_and_care_leavers",
                "lscb_effectiveness",
            ]
        )
        judgements = {
            a: grade
            if rng.random() < 0.7
            else rng.choice(["good", "requires_improvement", "inadequate"])
            for a in areas
        }
        judgements["overall_effectiveness"] = grade
    start = date - dt.timedelta(days=rng.randrange(30, 60))
    end = start + dt.timedelta(days=rng.randrange(2, 15))
    inspection_id = f"{la}-{number:03d}-{kind.replace('_', '-')}"
    team = tuple(sorted(rng.sample(inspectors, rng.randint(1, 3))))
    doc = Document(
        "letter" if "visit" in kind else "report",
        f"Synthetic {kind.replace('_', ' ')} of {la} ({date.year})",
        date,
    )
    return Inspection(
        inspection_id,
        la,
        kind,
        (doc,),
        start=start,
        end=end,
        inspectors=team,
        judgements=judgements,
        visit_theme="synthetic visit theme" if kind == "focused_visit" else None,
    )


def _findings(
    rng: random.Random,
    inspection: Inspection,
    partners: dict[str, str],
    themes: list[str],
    theme_weights: list[float],
) -> list[Finding]:
    n = max(1, int(rng.gauss(14 if inspection.judgements else 8, 4)))
    findings = []
    offset = rng.randrange(200, 2000)
    for k in range(n):
        polarity = rng.choices(list(POLARITY_WEIGHTS), list(POLARITY_WEIGHTS.values()))[0]
        chosen = set()
        while not chosen or (len(chosen) < 3 and rng.random() < 0.3):
            chosen.add(rng.choices(themes, theme_weights)[0])
        agencies = [partners["council"]] if rng.random() < 0.92 else []
        for kind, odds in PARTNER_ODDS.items():
            if kind not in partners:
                continue
            boost = (kind == "police" and chosen & POLICE_THEMES) or (
                kind == "health" and chosen & HEALTH_THEMES
            )
            if rng.random() < (min(0.9, odds * 1.8) if boost else odds * 0.4):
                agencies.append(partners[kind])
        if not agencies:
            agencies = [partners["council"]]
        sentence = (
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
            f"{rng.choice(_TAILS)}."
        )
        quote = None
        if rng.random() < 0.8:
            exact = sentence[:-1]
            quote = Quote(
                exact, prefix="synthetic. ", suffix=".", start=offset, end=offset + len(exact)
            )
            offset += len(sentence) + rng.randrange(20, 400)
        findings.append(
            Finding(
                f"f{k + 1:02d}",
                inspection.id,
                polarity,
                tuple(sorted(chosen)),
                tuple(agencies),
                f"Synthetic finding: {sentence}",
                quote=quote,
            )
        )
    return findings
