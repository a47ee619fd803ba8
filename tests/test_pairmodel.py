"""The measurement of a learned pair filter (``tools/pairmodel.py``, docs/extraction.md, "A
learned pair filter, measured by leave-one-draw-out"): the features of a real finding, found by
a short phrase of a corpus document (no letter text is stored; skipped without the corpus),
and the model's fitting and cross-validation on small made-up items."""

from __future__ import annotations

from collections import Counter

import pytest
from extract_helpers import finding as _finding

from inspectgraph.extract.agencies import agency_mentions
from inspectgraph.extract.lexicon import default_lexicon, tokenize
from tools.pairmodel import THRESHOLDS, draw_of, fit, lodo, pair_counts, pair_features


def test_features_of_a_real_finding(request):
    """A finding "Work with the Police to address … police protection notifications to children's social
    care", under a heading of improvements: the police are the failing party and named first,
    the council is named after "to", and the polarity comes from the section."""
    folder = request.getfixturevalue("corpus")
    f = _finding(
        folder,
        "focused-visits/80541_redcar-and-cleveland_2023-08-08.txt",
        "inappropriate police protection",
    )
    assert (f.polarity, f.agencies, f.criticised) == (
        "weakness",
        ["local_authority", "police"],
        ["police"],
    )
    lex = default_lexicon()
    mentions = agency_mentions(f.clean, lex, tokenize(f.clean))
    features = pair_features(
        f.clean,
        mentions,
        f.polarity,
        f.cues[f"polarity:{f.polarity}"],
        f.criticised,
        f.cues["criticised"],
        "focused_visit",
    )
    police, council = features["police"], features["local_authority"]
    assert police["failing party"] == 1.0 and police["named first"] == 1.0
    assert police["before=with"] == 1.0
    assert council["failing party"] == 0.0 and council["before=to"] == 1.0
    assert council["cue=children's social care"] == 1.0
    assert council["polarity cue=section"] == police["polarity cue=section"] == 1.0
    assert council["inspection report"] == council["joint letter"] == 0.0


def test_no_features_outside_critical_findings_of_two_types():
    m = [(0, 6, "police", "Police"), (20, 26, "health", "health")]
    assert pair_features("Police work well with health.", m, "strength", "well", [], "") == {}
    assert pair_features("Police do not share.", m[:1], "weakness", "not", ["police"], "") == {}


def test_draws():
    assert [draw_of(s) for s in ("dev", "holdout9", "holdout9p", "holdout14p")] == [
        "dev",
        "9",
        "9",
        "14",
    ]


def _item(draw, weak, gold, feats):
    from itertools import combinations

    pairs = set(combinations(sorted(gold), 2)) if weak else set()
    return {
        "draw": draw,
        "gold_weak": weak,
        "gold_agencies": sorted(gold),
        "agencies": sorted(feats),
        "gold_pairs": pairs,
        "rule_pairs": set(combinations(sorted(feats), 2)),
        "features": feats,
    }


def _items():
    out = []
    for d in ("1", "2", "3"):
        for k in range(6):
            # the failing party is right; a type named only after a preposition often is not
            out.append(
                _item(
                    d,
                    True,
                    {"police", "health"} if k % 3 else {"police"},
                    {
                        "police": {"failing party": 1.0},
                        "health": {"after a preposition": 1.0},
                    },
                )
            )
    return out


def test_fit_is_deterministic_and_learns_the_signal():
    items = _items()
    a, b = fit(items), fit(items)
    assert list(a.weights) == list(b.weights) and a.bias == b.bias
    assert a.probability({"failing party": 1.0}) > a.probability({"after a preposition": 1.0})


def test_rules_pairs_and_model_pairs_are_counted():
    items = _items()
    assert pair_counts(items) == Counter({"tp": 12, "fp": 6})
    model = fit(items)
    model.threshold = 0.99  # nothing enters: every pair is lost
    assert pair_counts(items, model) == Counter({"fn": 12})


def test_lodo_scores_each_draw_with_a_threshold_of_the_grid():
    result = lodo(_items())
    assert list(result) == ["1", "2", "3"]
    for r in result.values():
        assert r["threshold"] in THRESHOLDS
        assert r["rules"]["tp"] + r["rules"]["fn"] == 4
        assert r["agencies"] == Counter({"tp": 10, "fp": 2})


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
