"""The logistic check on the rules' weakness verdict (extract/polaritymodel.py): it changes a
verdict only across its margin, says so in the finding's polarity cue with the probability
and the features that weighed most, and its fast scoring equals the plain weighted sum of
its features. The real findings are sentences whose rule verdict the bundled model
changes (docs/extraction.md, "A logistic check on the weakness verdict"); they are dev data, so these
are tests of the mechanism and its explanation, not of accuracy; each is found by
a short phrase of a corpus document, no letter text is stored."""

from __future__ import annotations

import json

import pytest
from extract_helpers import finding as _finding

from inspectgraph.extract import polaritymodel
from inspectgraph.extract.labels import label
from inspectgraph.extract.lexicon import default_lexicon, tokenize
from inspectgraph.extract.polarity import _polarity

# (corpus folder fixture, path, phrase, rules' verdict, polarity after the model)
CASES = [
    # a weakness cue inside what an action tackles, a negated hindrance, few exclusions
    (
        "corpus",
        "focused-visits/80562_stockport_2024-02-28.txt",
        "take action to reduce, the detrimental impact",
        "weakness",
        "strength",
    ),
    (
        "corpus",
        "inspections/80458_darlington_2022-12-02.txt",
        "have not deterred leaders",
        "weakness",
        "strength",
    ),
    (
        "corpus",
        "inspections/80442_buckinghamshire_2018-01-29.txt",
        "receive very few fixed-term exclusions",
        "weakness",
        "strength",
    ),
    # a shortfall for some children, stated without a cue the rules know
    (
        "corpus",
        "inspections/80458_darlington_2022-12-02.txt",
        "a strategy meeting is held during the assessment",
        "strength",
        "weakness",
    ),
    (
        "corpus",
        "focused-visits/80524_milton-keynes_2023-01-13.txt",
        "experience many carers before they achieve permanence",
        "strength",
        "mixed",
    ),
]


@pytest.mark.parametrize(("folder", "rel", "phrase", "rule", "polarity"), CASES)
def test_the_model_changes_the_verdict_and_says_why(request, folder, rel, phrase, rule, polarity):
    f = _finding(request.getfixturevalue(folder), rel, phrase)
    cue = f.cues[f"polarity:{f.polarity}"]
    assert f.polarity == polarity, cue
    assert cue.startswith("model ") and f"over the rule's {rule} (" in cue, cue
    # the evidence that decided, each feature with its signed contribution
    why = cue.rsplit("): ", 1)[1]
    assert why.startswith("+" if polarity in ("weakness", "mixed") else "-"), cue


def _rule(text, section=None):
    lex = default_lexicon()
    tokens = tokenize(text)
    polarity, cue = _polarity(text, section, "", lex, tokens)
    return polarity, cue, lex.matcher("polarity").find(text, tokens), tokens[2]


SENTENCES = [
    "Health partners do not always share information with the MASH.",
    "However, a small number of children wait too long for an assessment.",
    "Managers provide regular and reflective supervision.",
    "Plans are due to be reviewed in 2025.",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_the_fast_score_is_the_weighted_sum_of_the_features(text):
    model = polaritymodel.load_model()
    assert model is not None
    polarity, cue, matches, words = _rule(text)
    f = polaritymodel.features(
        text, polarity, cue, matches, section=None, list_item=True, inspection=None, words=words
    )
    fast = polaritymodel._score(model, text, polarity, cue, matches, None, True, None, words)
    assert fast == pytest.approx(polaritymodel.probability(f, model["weights"]), abs=1e-9)


def test_no_model_leaves_the_rules_alone_and_a_margin_holds_a_verdict():
    text = "Managers provide regular and reflective supervision."
    polarity, cue, matches, words = _rule(text)
    args = dict(section=None, list_item=True, inspection=None, words=words)
    assert polarity == "strength"
    assert polaritymodel.correct(text, polarity, cue, matches, model={}, **args) == (polarity, cue)
    # a model whose only weight is a bias of probability 0.55: beyond one half, not beyond
    # a margin of 0.1
    z = 0.2007  # logit(0.55)
    near = {"weights": {"bias": z}, "threshold": 0.5, "margin": 0.1}
    assert polaritymodel.correct(text, polarity, cue, matches, model=near, **args)[0] == "strength"
    far = {"weights": {"bias": 3.0}, "threshold": 0.5, "margin": 0.1}
    new, why = polaritymodel.correct(text, polarity, cue, matches, model=far, **args)
    assert new == "mixed" and why.startswith("model 0.95 over the rule's strength")


def test_the_bundled_weights_are_small_and_plain():
    data = json.loads(polaritymodel.MODEL_PATH.read_text(encoding="utf-8"))
    assert set(data) >= {"weights", "threshold", "margin", "penalty", "sentences"}
    assert 0 < len(data["weights"]) < 6000
    assert all(isinstance(v, float) for v in data["weights"].values())


def test_sections_keep_their_verdicts():
    # an improvement list's point stays a weakness, and an introduction stays neutral
    lab = label(
        "Improve the quality of plans.", section="what_needs_to_improve", heading="What needs"
    )
    assert lab.polarity == "weakness"
    assert label("Inspectors looked at the front door.", section="introduction").polarity == (
        "neutral"
    )
