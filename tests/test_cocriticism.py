"""Co-criticism against chance: the statistics by hand, on the bundled store and on letters."""

from __future__ import annotations

import csv
import io
import json
import math
import time
from collections import Counter, defaultdict
from itertools import combinations

import numpy as np
import pytest

from inspectgraph import queries
from inspectgraph.analysis import (
    benjamini_hochberg,
    cocriticism,
    partnership_graph,
    partnership_graph_from_store,
    poisson_upper_tail,
    rank_by_lift,
    recurring_partnerships,
    type_partnerships,
)
from inspectgraph.graph.stores import open_store

NEW_KEYS = {"expected", "lift", "lift_low", "lift_high", "p_adjusted"}

# Two inspections. d1: 4 findings, A in 3, B in 2, both in 2, C in 1.
# d2: 3 findings, A in 1, B in 2, C in 2; A with B once, B with C once.
HAND = [
    ("d1", "AB"),
    ("d1", "AB"),
    ("d1", "A"),
    ("d1", "C"),
    ("d2", "AB"),
    ("d2", "BC"),
    ("d2", "C"),
]


def test_expected_lift_and_p_value_by_hand():
    stats = cocriticism(HAND, resamples=0)
    ab, bc = stats["A", "B"], stats["B", "C"]
    # d1: A, B, C named 3, 2, 1 times (M = 6, Q = 14), two findings name two (P = 2);
    # d2: 1, 2, 2 times (M = 5, Q = 9), P = 2. E_ab = sum_d 2 P_d m_a m_b / (M_d^2 - Q_d)
    e_ab = 2 * 2 * 3 * 2 / (36 - 14) + 2 * 2 * 1 * 2 / (25 - 9)
    e_bc = 2 * 2 * 2 * 1 / (36 - 14) + 2 * 2 * 2 * 2 / (25 - 9)
    assert ab["observed"] == 3 and ab["expected"] == pytest.approx(e_ab)
    assert bc["observed"] == 1 and bc["expected"] == pytest.approx(e_bc)
    assert ab["lift"] == pytest.approx(3 / e_ab) and bc["lift"] == pytest.approx(1 / e_bc)
    assert ab["p_value"] == pytest.approx(1 - math.exp(-e_ab) * (1 + e_ab + e_ab**2 / 2))
    assert bc["p_value"] == pytest.approx(1 - math.exp(-e_bc))
    # three pairs could have been named together (A-C never was): BH over three
    p = sorted([ab["p_value"], bc["p_value"], 1.0])
    hand = [min(1.0, min(p[j] * 3 / (j + 1) for j in range(i, 3))) for i in range(3)]
    assert [ab["p_adjusted"], bc["p_adjusted"]] == pytest.approx(hand[:2])
    assert ab["per_100_findings"] == pytest.approx(300 / 7)
    assert ab["expected_per_100_findings"] == pytest.approx(100 * e_ab / 7)
    assert ab["lift_low"] is None and ab["lift_high"] is None  # no resamples asked


def test_expected_counts_add_up_to_the_observed_ones():
    """Chance shares out each inspection's co-mentions, so over every pair (named together
    or not) expected and observed totals agree: lifts are centred on 1, even when most
    findings name a single agency (an independence model puts every pair below 1 then)."""
    rng = np.random.default_rng(11)
    findings = [
        (f"d{d}", set(rng.choice(list("ABCDEF"), size=rng.choice([1, 1, 1, 2, 3]), replace=False)))
        for d in range(30)
        for _ in range(10)
    ]
    stats = cocriticism(findings, resamples=0)
    observed = sum(len(u) * (len(u) - 1) // 2 for _, u in findings)
    assert sum(s["observed"] for s in stats.values()) == observed
    # the unobserved pairs' expectation is what is missing from the rows
    assert sum(s["expected"] for s in stats.values()) <= observed


def test_two_agencies_always_named_together_are_exactly_as_expected():
    """When the only co-mentions an inspection can hold are of one pair, chance gives them all."""
    findings = [("d", {"council", "police"})] * 3 + [("d", {"council"}), ("d", {"police"})]
    stats = cocriticism(findings, resamples=50)
    assert stats["council", "police"]["lift"] == pytest.approx(1.0)


def test_benjamini_hochberg_by_hand():
    p = [0.01, 0.04, 0.03, 0.20]
    # sorted 0.01 0.03 0.04 0.20 -> *4/1 *4/2 *4/3 *4/4 = .04 .06 .0533 .2 -> running minimum
    assert benjamini_hochberg(p).tolist() == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.2])
    assert benjamini_hochberg(p, m=5).tolist() == pytest.approx([0.05, 0.2 / 3, 0.2 / 3, 0.25])
    with pytest.raises(ValueError):
        benjamini_hochberg(p, m=3)


def test_poisson_tail_against_a_direct_sum():
    for k, mu in [(1, 0.3), (5, 2.0), (20, 30.0), (60, 30.0), (300, 250.0)]:
        terms = [math.exp(-mu + i * math.log(mu) - math.lgamma(i + 1)) for i in range(k + 2000)]
        # the smaller side summed directly, so that neither loses digits to cancellation
        direct = sum(terms[k:]) if k > mu else 1 - sum(terms[:k])
        assert poisson_upper_tail(k, mu) == pytest.approx(direct, rel=1e-9)


def test_bootstrap_is_seeded_and_brackets_the_lift():
    rng = np.random.default_rng(5)
    findings = [
        (f"d{d}", set(rng.choice(list("ABCDE"), size=rng.integers(1, 4), replace=False)))
        for d in range(40)
        for _ in range(12)
    ]
    first = cocriticism(findings, seed=3, resamples=300)
    assert first == cocriticism(findings, seed=3, resamples=300)
    assert first != cocriticism(findings, seed=4, resamples=300)
    for s in first.values():
        assert s["lift_low"] <= s["lift_high"]
        assert s["lift_low"] <= s["lift"] * 1.05 and s["lift"] <= s["lift_high"] * 1.05


def test_bootstrap_by_hand_on_two_inspections():
    """With two inspections, a draw is (d1, d1), (d1, d2) or (d2, d2): three lifts only."""
    stats = cocriticism(HAND, resamples=400, seed=0, level=0.5)
    ab = stats["A", "B"]
    e1, e2 = 2 * 2 * 3 * 2 / (36 - 14), 2 * 2 * 1 * 2 / (25 - 9)
    possible = {2 / e1, 3 / (e1 + e2), 1 / e2}
    assert min(possible) <= ab["lift_low"] <= ab["lift_high"] <= max(possible)


def test_pairs_of_types_are_measured_on_findings_naming_the_types():
    rows = []
    for f, agencies in {
        "f1": [("p1", "police"), ("c1", "local_authority")],
        "f2": [("c1", "local_authority"), ("t1", "local_authority")],
        "f3": [("c1", "local_authority")],
        "f4": [("h1", "health")],
    }.items():
        for a, t in agencies:
            rows.append(
                {
                    "finding": f,
                    "agency": a,
                    "agencyLabel": a,
                    "typeKey": t,
                    "inspection": "i1",
                    "date": "2020-01-01",
                    "summary": "s",
                }
            )
    G = partnership_graph(rows, resamples=0)
    by_type = {tuple(r["agency_types"]): r for r in type_partnerships(G, min_inspections=1)}
    # type sets {police, la}, {la}, {la}, {health}: la 3, police 1, health 1 (M = 5,
    # Q = 11), one co-mention (P = 1): expected 2 * 1 * 3 * 1 / (25 - 11) = 3 / 7
    assert by_type["local_authority", "police"]["expected"] == round(3 / 7, 3)
    assert by_type["local_authority", "police"]["lift"] == pytest.approx(7 / 3, abs=1e-3)
    # two councils in one finding: a pair of one type has no type-level model
    assert by_type["local_authority", "local_authority"]["lift"] is None


def test_rank_by_lift_keeps_the_supported_pairs_in_order_of_the_lower_bound():
    G = partnership_graph(_rows(HAND * 3), resamples=200, seed=1)
    rows = recurring_partnerships(G, min_inspections=1)
    ranked = rank_by_lift(rows, min_findings=3)
    assert [r["agencies"] for r in ranked] == [["A", "B"], ["B", "C"]]
    assert rank_by_lift(rows, min_findings=4) == [ranked[0]]


def _rows(findings):
    return [
        {
            "finding": f"f{n}",
            "agency": a,
            "agencyLabel": a,
            "typeKey": "police" if a == "A" else "health",
            "inspection": d,
            "date": "2020-01-01",
            "summary": "s",
        }
        for n, (d, units) in enumerate(findings)
        for a in units
    ]


# ---------------------------------------------------------------- the bundled store


def test_sunderland_pair_stays_first_and_gains_the_statistics(cli_run, built_store_dir):
    result = cli_run("partnerships", "--la", "Sunderland", "--json", "--store", built_store_dir)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["agencies"] == ["Northumbria Police", "Together for Children"]
    top = rows[0]
    assert {"agencies", "findings", "inspections"} | NEW_KEYS <= set(top)
    assert top["expected"] > 0 and top["lift"] == pytest.approx(
        top["findings"] / top["expected"], abs=1e-3
    )
    assert top["lift_low"] <= top["lift"] <= top["lift_high"] and 0 < top["p_adjusted"] <= 1


def test_statistics_agree_with_a_direct_count_on_the_store(built_store_dir):
    with open_store(built_store_dir, read_only=True) as store:
        G = partnership_graph_from_store(store, polarity="weakness", la="Sunderland", resamples=0)
        _check_against_direct_count(store, G, la="Sunderland")


def test_output_formats_keep_the_old_columns_and_add_the_new(cli_run, built_store_dir):
    old = "agencies findings inspections years first last local_authorities persistence themes example"
    new = "expected lift lift_low lift_high p_adjusted per_100_findings"
    table = cli_run("partnerships", "--table", "--store", built_store_dir).output
    assert table.split("\n")[0].split() == [*old.split(), *new.split()]
    rows = list(
        csv.reader(io.StringIO(cli_run("partnerships", "--csv", "--store", built_store_dir).output))
    )
    assert rows[0] == [*old.split(), *new.split()] and len(rows) >= 3
    typed = cli_run("partnerships", "--by", "type", "--csv", "--store", built_store_dir).output
    assert typed.split("\n")[0].endswith(",".join(new.split()))


def test_rank_lift_on_the_command_line(cli_run, built_store_dir):
    def run(*extra):
        result = cli_run("partnerships", "--json", "--store", built_store_dir, *extra)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    by_count = run()
    assert run("--rank", "count") == by_count
    by_lift = run("--rank", "lift", "--min-inspections", "1")
    assert all(r["findings"] >= 3 for r in by_lift)
    assert [r["lift_low"] for r in by_lift] == sorted(
        (r["lift_low"] for r in by_lift), reverse=True
    )
    loose = run("--rank", "lift", "--min-inspections", "1", "--min-findings", "1")
    assert len(loose) > len(by_lift) and min(r["findings"] for r in loose) < 3
    assert run("--seed", "7") == run("--seed", "7")
    assert run("--resamples", "0")[0]["lift_low"] is None
    types = run("--by", "type", "--rank", "lift", "--min-findings", "1")
    assert types and all(r["lift"] is not None for r in types)


# ---------------------------------------------------------------- letters


def _check_against_direct_count(store, G, *, la=""):
    """Every edge's expected count equals sum_d 2 P_d m_a m_b / (M_d^2 - Q_d), counted from
    the rows (P_d: pairs named together finding by finding; M_d, Q_d: the sum of the
    agencies' counts and of their squares)."""
    q = queries.get("finding-agencies")
    rows = store.query(*q.prepare({"la": la})).dicts()
    agencies: dict[str, set] = defaultdict(set)
    inspection = {}
    for r in rows:
        agencies[str(r["finding"])].add(str(r["agency"]))
        inspection[str(r["finding"])] = str(r["inspection"])
    co = Counter()
    for f, names in agencies.items():
        co[inspection[f]] += len(names) * (len(names) - 1) / 2
    m = Counter((inspection[f], a) for f, names in agencies.items() for a in names)
    total, squares = Counter(), Counter()
    for (d, _), count in m.items():
        total[d] += count
        squares[d] += count * count
    expected = Counter()
    for (d, a), (d2, b) in combinations(sorted(m), 2):
        if d == d2 and co[d]:
            expected[a, b] += 2 * co[d] * m[d, a] * m[d, b] / (total[d] ** 2 - squares[d])
    assert G.number_of_edges() > 0
    for a, b, data in G.edges(data=True):
        a, b = sorted((a, b))
        assert data["expected"] == pytest.approx(expected[a, b]), (a, b)
        assert data["lift"] == pytest.approx(data["findings"] / expected[a, b])


@pytest.mark.slow
def test_letters_built_from_the_corpus(mini_corpus, cli_run, tmp_path):
    store_dir = tmp_path / "store"
    result = cli_run("build", "--corpus", mini_corpus, "--store", store_dir, "--jobs", "1")
    assert result.exit_code == 0, result.output
    with open_store(store_dir, read_only=True) as store:
        G = partnership_graph_from_store(store, polarity="weakness", resamples=200, seed=2)
        _check_against_direct_count(store, G)
        counted = queries.get("criticised-findings")
        total = sum(
            int(r["findings"].toPython()) for r in store.query(*counted.prepare({})).dicts()
        )
    assert total >= max(d["findings"] for _, _, d in G.edges(data=True))
    for _, _, d in G.edges(data=True):
        assert d["per_100_findings"] == pytest.approx(100 * d["findings"] / total)
    result = cli_run(
        "partnerships",
        "--by",
        "type",
        "--rank",
        "lift",
        "--min-inspections",
        "1",
        "--min-findings",
        "1",
        "--json",
        "--store",
        store_dir,
    )
    rows = json.loads(result.output)
    assert rows and all(
        {"expected", "lift", "lift_low", "lift_high", "p_adjusted"} <= set(r) for r in rows
    )


@pytest.mark.slow
def test_statistics_take_seconds_at_national_size():
    """~180k findings in ~1k inspections, each authority's own agencies (as nationally)."""
    # drawn at once (a draw per finding took longer than the statistics): each finding
    # names 1, 1, 2, 2 or 3 of its inspection's 13 local agencies, without repeats
    rng = np.random.default_rng(0)
    docs = np.repeat(np.arange(1000), 180)
    sizes = rng.choice([1, 1, 2, 2, 3], size=docs.size)
    picks = rng.random((docs.size, 13)).argsort(axis=1)[:, :3]
    local = [[f"la{d % 150}-{k}" for k in range(12)] + [f"police{d % 40}"] for d in range(1000)]
    findings = [
        (d, {local[d][j] for j in row[:k]})
        for d, k, row in zip(docs.tolist(), sizes.tolist(), picks.tolist(), strict=True)
    ]
    start = time.perf_counter()
    stats = cocriticism(findings, resamples=1000, seed=0)
    assert time.perf_counter() - start < 60 and len(stats) > 1000


def test_several_polarities_give_the_union_of_their_findings(built_store_dir):
    with open_store(built_store_dir, read_only=True) as store:
        both = partnership_graph_from_store(store, polarity="weakness,strength", resamples=0)
        weak = partnership_graph_from_store(store, polarity="weakness", resamples=0)
        strong = partnership_graph_from_store(store, polarity="strength", resamples=0)
    assert weak.number_of_edges() and strong.number_of_edges()

    def findings(G):
        return {(a, b): set(d["finding_ids"]) for a, b, d in G.edges(data=True)}

    union = findings(weak)
    for pair, ids in findings(strong).items():
        union.setdefault(pair, set()).update(ids)
    assert findings(both) == union
    assert both.graph["_incidence"]["total"] == (
        weak.graph["_incidence"]["total"] + strong.graph["_incidence"]["total"]
    )


def test_co_criticism_is_weakness_and_mixed_by_default(built_store_dir):
    """The issue's definition: both agencies named in one weakness or mixed finding; the
    CLI's literal default is the analysis's (it is kept literal so the CLI starts fast)."""
    from inspectgraph import api
    from inspectgraph.analysis import CRITICISM
    from inspectgraph.cli import partnerships as cli_partnerships

    assert CRITICISM == cli_partnerships.CRITICISM == "weakness,mixed"
    with open_store(built_store_dir, read_only=True) as store:
        default = partnership_graph_from_store(store, resamples=0)
        explicit = partnership_graph_from_store(store, polarity="weakness,mixed", resamples=0)
    assert default.graph["_incidence"] == explicit.graph["_incidence"]
    assert api.KnowledgeGraph.partnerships.__kwdefaults__["polarity"] == CRITICISM
