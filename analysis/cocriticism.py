"""Co-criticism measured against chance: how much more often two agencies are criticised
together than chance pairs them, given how often each is named.

The model
---------
The data are the criticised findings (by default, weakness and mixed findings) that name at
least one agency, each belonging to one inspection *d*. Within *d*, let

- ``m_ad`` be the number of those findings naming agency *a*, ``M_d = sum_a m_ad`` the
  mentions of all agencies, and ``Q_d = sum_a m_ad ** 2``;
- ``P_d = sum_f k_f * (k_f - 1) / 2`` the pairs of agencies named together, finding by
  finding (``k_f`` agencies named in finding *f*): the co-mentions the inspection holds;
- ``O_abd`` the number of findings naming both *a* and *b*.

Chance keeps everything a count ranking mistakes for partnership -- how many agencies each
finding names, how often each agency is named in each inspection, how long the inspection
is -- and only forgets *which* agencies go together. Two mentions drawn at random from the
inspection's ``M_d`` belong to two different agencies *a* and *b* with probability
``2 * m_ad * m_bd / (M_d ** 2 - Q_d)``; sharing the inspection's ``P_d`` co-mentions out in
these proportions gives the expected count. Summed over inspections:

- ``expected = E_ab = sum_d 2 * P_d * m_ad * m_bd / (M_d ** 2 - Q_d)``,
  ``observed = O_ab = sum_d O_abd``; over all pairs the expected counts add up to the
  observed ones, so lifts are centred on 1. (A model in which each agency is named
  independently of the others, ``m_ad * m_bd / n_d``, puts every pair below chance once
  most findings name a single agency, as inspectors' sentences do.)
- ``lift = O_ab / E_ab``: 1 is what chance gives, 2 twice as often as chance;
- ``p_value``: the probability of at least ``O_ab`` co-mentions if the count were Poisson
  with mean ``E_ab``. The exact null (a sum of hypergeometric counts) has the same mean and
  a smaller variance, so this tail is conservative;
- ``p_adjusted``: Benjamini--Hochberg over every pair that could have been co-criticised
  (both named in one inspection, ``E_ab > 0``), so pairs never seen together count in the
  family with p = 1;
- ``lift_low``, ``lift_high``: a percentile interval (95 % by default) from a bootstrap
  over inspections: inspections are drawn with replacement, ``O`` and ``E`` are summed over
  the draw, and ``O* / E*`` is taken; draws holding none of the pair's inspections
  (``E* = 0``) are left out. When one inspection carries all of a pair's evidence the
  interval shrinks to the point: read intervals with the pair's support (findings and
  inspections);
- ``per_100_findings`` and ``expected_per_100_findings``: ``O`` and ``E`` per 100
  criticised findings of the analysis (``total``).

Conditioning on each inspection's own counts removes what a count ranking mistakes for
partnership: agencies that are named often (the council), inspections that are long, and
agencies that only exist in some authorities (a police force meets only its own councils).
Findings that name no agency are outside the model: inspectors write many agentless
sentences ("plans are not timely"), and counting them as chances to name a pair would make
every pair look over-represented.

The functions take and return plain Python data; numpy does the counting.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from itertools import combinations

import numpy as np

__all__ = [
    "STATISTIC_KEYS",
    "benjamini_hochberg",
    "cocriticism",
    "poisson_upper_tail",
]

#: Keys of each pair's statistics, in the order tables show them.
STATISTIC_KEYS = (
    "expected",
    "lift",
    "lift_low",
    "lift_high",
    "p_value",
    "p_adjusted",
    "per_100_findings",
    "expected_per_100_findings",
)

# resamples whose (pairs x inspections) products are formed at once: bounds memory
_CELLS_PER_CHUNK = 20_000_000


def cocriticism(
    findings: Iterable[tuple[Hashable, Iterable[Hashable]]],
    *,
    total: int | None = None,
    resamples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> dict[tuple, dict]:
    """Observed and expected co-criticism of every pair named together (see the module).

    Parameters
    ----------
    findings : iterable of (inspection, units)
        One item per criticised finding: its inspection and the agencies (or agency types,
        or any hashable, sortable units) it names. Items naming no unit are ignored by the
        model.
    total : int or None, optional
        Criticised findings in the analysis, the denominator of the rates per 100 findings;
        by default the number of items given.
    resamples : int, optional (default=1000)
        Bootstrap draws over inspections; 0 leaves ``lift_low`` and ``lift_high`` None.
    seed : int, optional (default=0)
        Seed of the bootstrap: the same data and seed give the same intervals.
    level : float, optional (default=0.95)
        Coverage of the interval.

    Returns
    -------
    dict
        ``(a, b) -> statistics`` (``a < b``) for each pair named together in at least one
        finding: ``observed`` (findings), ``expected``, ``lift``, ``lift_low``,
        ``lift_high``, ``p_value``, ``p_adjusted``, ``per_100_findings`` and
        ``expected_per_100_findings``, plain floats.

    Examples
    --------
    Two inspections. In the first, A, B and C are named 3, 2 and 1 times (M = 6, Q = 14) and
    two findings name two agencies (P = 2); in the second 1, 2 and 2 times (M = 5, Q = 9),
    again P = 2:

    >>> findings = [("d1", "AB"), ("d1", "AB"), ("d1", "A"), ("d1", "C"),
    ...             ("d2", "AB"), ("d2", "BC"), ("d2", "C")]
    >>> stats = cocriticism(findings, resamples=200, seed=1)
    >>> ab = stats["A", "B"]
    >>> ab["observed"], round(ab["expected"], 4)  # 2*2*3*2/(36-14) + 2*2*1*2/(25-9)
    (3, 1.5909)
    >>> round(ab["lift"], 4), round(ab["p_value"], 4)  # 3/1.5909; P(Poisson(1.5909) >= 3)
    (1.8857, 0.2143)
    >>> round(ab["p_adjusted"], 4)  # Benjamini-Hochberg over 3 pairs: the smallest p, times 3
    0.6429
    >>> round(ab["per_100_findings"], 2)
    42.86
    >>> ab["lift_low"] <= ab["lift"] <= ab["lift_high"]
    True
    >>> stats == cocriticism(findings, resamples=200, seed=1)
    True
    >>> sorted(stats)  # A and C are never named together: no row, but counted by BH
    [('A', 'B'), ('B', 'C')]
    """
    items = [(d, tuple(sorted(set(units)))) for d, units in findings]
    if total is None:
        total = len(items)
    named = [(d, units) for d, units in items if units]
    inspections = sorted({d for d, _ in named})
    d_index = {d: i for i, d in enumerate(inspections)}
    co_mentions = np.zeros(len(inspections))  # P_d: pairs named together, finding by finding
    mentions: dict[int, Counter] = defaultdict(Counter)  # inspection -> unit -> findings
    observed_in: Counter = Counter()  # (pair, inspection) -> findings naming both
    for d, units in named:
        i = d_index[d]
        co_mentions[i] += len(units) * (len(units) - 1) / 2
        mentions[i].update(units)
        for pair in combinations(units, 2):
            observed_in[pair, i] += 1
    observed_pairs = sorted({pair for pair, _ in observed_in})
    if not observed_pairs:
        return {}
    wanted = set(observed_pairs)
    # every pair named in one inspection is a test; only observed pairs need their terms
    tested: set = set()  # pairs named in one inspection that holds co-mentions
    terms: dict[tuple, list[tuple[int, float, float]]] = defaultdict(list)
    for i, counts in mentions.items():
        if not co_mentions[i]:  # no finding of this inspection names two agencies
            continue
        units = sorted(counts)
        tested.update(combinations(units, 2))
        m = sum(counts.values())
        share = 2 * co_mentions[i] / (m * m - sum(c * c for c in counts.values()))
        for pair in combinations(units, 2):
            if pair in wanted:
                expected = share * counts[pair[0]] * counts[pair[1]]
                terms[pair].append((i, observed_in.get((pair, i), 0), expected))
    # flat arrays, pair by pair, for numpy's segment sums
    order = {pair: p for p, pair in enumerate(observed_pairs)}
    rows = [(order[pair], i, o, e) for pair, ts in terms.items() for i, o, e in ts]
    rows.sort()
    pair_of = np.array([r[0] for r in rows], dtype=np.int64)
    insp_of = np.array([r[1] for r in rows], dtype=np.int64)
    obs = np.array([r[2] for r in rows], dtype=float)
    exp = np.array([r[3] for r in rows], dtype=float)
    starts = np.flatnonzero(np.r_[True, pair_of[1:] != pair_of[:-1]])
    observed = np.add.reduceat(obs, starts)
    expected = np.add.reduceat(exp, starts)
    lift = observed / expected
    p_values = np.array(
        [poisson_upper_tail(int(o), e) for o, e in zip(observed, expected, strict=True)]
    )
    adjusted = benjamini_hochberg(p_values, m=len(tested))
    low = high = [None] * len(observed_pairs)
    if resamples > 0:
        low, high = _bootstrap(insp_of, obs, exp, starts, len(inspections), resamples, seed, level)
    out = {}
    for p, pair in enumerate(observed_pairs):
        out[pair] = {
            "observed": int(observed[p]),
            "expected": float(expected[p]),
            "lift": float(lift[p]),
            "lift_low": _finite(low[p]),
            "lift_high": _finite(high[p]),
            "p_value": float(p_values[p]),
            "p_adjusted": float(adjusted[p]),
            "per_100_findings": 100.0 * float(observed[p]) / total if total else 0.0,
            "expected_per_100_findings": 100.0 * float(expected[p]) / total if total else 0.0,
        }
    return out


def _finite(value) -> float | None:
    """A plain float, or None for a missing or undefined (NaN) bound."""
    return None if value is None or not math.isfinite(value) else float(value)


def _bootstrap(insp_of, obs, exp, starts, n_inspections, resamples, seed, level):
    """Percentile interval of O*/E* per pair over ``resamples`` draws of inspections."""
    rng = np.random.default_rng(seed)
    # all draws first, so that the numbers do not depend on how the work is chunked;
    # inspections x draws, so that the sums over each pair's rows run down contiguous rows
    weights = rng.multinomial(
        n_inspections, np.full(n_inspections, 1.0 / n_inspections), size=resamples
    ).T.astype(float)
    lifts = np.empty((len(starts), resamples))
    chunk = max(1, _CELLS_PER_CHUNK // max(len(insp_of), 1))
    for first in range(0, resamples, chunk):
        w = weights[insp_of, first : first + chunk]
        o = np.add.reduceat(w * obs[:, None], starts, axis=0)
        e = np.add.reduceat(w * exp[:, None], starts, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            lifts[:, first : first + chunk] = np.where(e > 0, o / e, np.nan)
    tail = (1.0 - level) / 2.0
    return _nan_quantile(lifts, tail), _nan_quantile(lifts, 1.0 - tail)


def _nan_quantile(values: np.ndarray, q: float) -> np.ndarray:
    """Row quantiles ignoring NaN, linearly interpolated (numpy's default method);
    ``np.nanquantile`` loops over the rows in Python.

    >>> _nan_quantile(np.array([[1.0, 3.0, np.nan], [np.nan, 2.0, 4.0]]), 0.5).tolist()
    [2.0, 3.0]
    """
    ordered = np.sort(values, axis=1)  # NaN last
    valid = np.sum(~np.isnan(values), axis=1)
    position = q * np.maximum(valid - 1, 0)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, np.maximum(valid - 1, 0))
    low = np.take_along_axis(ordered, below[:, None], axis=1)[:, 0]
    high = np.take_along_axis(ordered, above[:, None], axis=1)[:, 0]
    result = low + (high - low) * (position - below)
    return np.where(valid > 0, result, np.nan)


def poisson_upper_tail(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu), summed in log space so that neither large counts
    nor tiny probabilities overflow.

    Examples
    --------
    >>> round(poisson_upper_tail(3, 13 / 6), 4)  # 1 - e^-mu (1 + mu + mu^2/2)
    0.3683
    >>> poisson_upper_tail(0, 2.0), poisson_upper_tail(1, 0.0)
    (1.0, 0.0)
    >>> round(poisson_upper_tail(1, 1.0), 6)  # 1 - e^-1
    0.632121
    >>> poisson_upper_tail(400, 100.0) < 1e-80
    True
    >>> round(poisson_upper_tail(950, 1000.0), 3)  # mostly above: close to 1
    0.946
    """
    if k <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    log_mu = math.log(mu)

    def log_term(i: int) -> float:
        return -mu + i * log_mu - math.lgamma(i + 1)

    if k > mu:
        # terms fall from i = k upwards: add them until they stop counting
        first = log_term(k)
        total, term, i = 0.0, 1.0, k
        while term > 1e-17 * total or total == 0.0:
            total += term
            i += 1
            term *= mu / i
        return min(1.0, math.exp(first) * total)
    # 1 - P(X <= k - 1); terms fall from i = k - 1 downwards
    first = log_term(k - 1)
    total, term, i = 0.0, 1.0, k - 1
    while True:
        total += term
        if i == 0 or term < 1e-17 * total:
            break
        term *= i / mu
        i -= 1
    return max(0.0, 1.0 - math.exp(first) * total)


def benjamini_hochberg(p_values: Sequence[float], m: int | None = None) -> np.ndarray:
    """Benjamini--Hochberg adjusted p-values (false discovery rate), capped at 1.

    Parameters
    ----------
    p_values : sequence of float
        The p-values to adjust.
    m : int or None, optional
        Size of the family, when it holds further tests not given here, all with p = 1
        (pairs never named together); by default ``len(p_values)``.

    Examples
    --------
    >>> [round(float(p), 4) for p in benjamini_hochberg([0.01, 0.04, 0.03, 0.20])]
    [0.04, 0.0533, 0.0533, 0.2]
    >>> [round(float(p), 4) for p in benjamini_hochberg([0.01, 0.04, 0.03, 0.20], m=5)]
    [0.05, 0.0667, 0.0667, 0.25]
    """
    p = np.asarray(p_values, dtype=float)
    n = len(p)
    m = n if m is None else m
    if m < n:
        raise ValueError(f"the family ({m}) cannot be smaller than the p-values given ({n})")
    if n == 0:
        return p
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, n + 1)
    scaled = np.minimum.accumulate(scaled[::-1])[::-1]
    adjusted = np.empty(n)
    adjusted[order] = np.minimum(scaled, 1.0)
    return adjusted
