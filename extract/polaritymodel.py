"""A logistic check on the rules' weakness verdict (see :mod:`.polarity`).

The rules of :mod:`.polarity` decide each sentence's polarity; this module weighs what they
saw -- their verdict and the kind of reason behind it, the cue classes and cue phrases the
lexicon finds, negations, contrast words, the section and whether the sentence opens its
list item, the inspection type, the sentence's length and its words -- in a logistic
regression for "the sentence states a weakness" (a weakness or mixed finding). Where the
model's probability falls on the other side of one half from the rules' verdict, the
verdict changes, and the finding's polarity cue says so with the probability and the
features that weighed most ("model 0.27 over the rule's weakness (not always): -1.3
phrase:strength:well, ...").

The weights (``data/polarity_model.json``) are fitted by ``python -m tools.polaritylodo
--write`` on every strict-labelled sentence; the command's leave-one-draw-out figures are
in docs/extraction.md. No weights file: the rules stand alone.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

__all__ = ["MODEL_PATH", "correct", "features", "load_model", "probability"]

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "polarity_model.json"

WEAK = frozenset({"weakness", "mixed"})

# word classes (of the lower-case tokens): negations, contrast words, modals, qualifiers
NEGATIONS = frozenset(
    {"not", "no", "never", "nor", "without", "cannot", "none", "unable", "unclear"}
)
CONTRASTS = frozenset({"but", "however", "although", "though", "while", "whilst", "despite", "yet"})
MODALS = frozenset({"should", "must", "could", "would", "need", "needs", "needed"})
QUALIFIERS = frozenset({"some", "most", "many", "few", "too", "sometimes"})
WORD = re.compile(r"[a-z][a-z'-]+")
BASELINE = ("bias", "rule=", "reason=")

# the reason the rules give, by its opening words
REASONS = (
    ("section: ", "section"),
    ("narrative under ", "narrative"),
    ("recommendation: ", "recommendation"),
    ("no cue", "no_cue"),
    ("described: ", "described"),
    ("description: ", "description"),
    ("figures ", "figures"),
)


def _reason(cue: str) -> str:
    for prefix, kind in REASONS:
        if cue.startswith(prefix):
            return kind
    return "cue"


def features(
    text: str,
    polarity: str,
    cue: str,
    matches,
    *,
    section: str | None,
    list_item: bool,
    inspection: str | None,
    words: list[str],
) -> dict[str, float]:
    """The features of one sentence: name -> value (1 for a present indicator).

    ``polarity`` and ``cue`` are the rules' verdict and reason, ``matches`` the polarity
    matcher's cues of the text and ``words`` its lower-case tokens.
    """
    wset = set(words)
    f = _base_features(
        text, polarity, cue, matches, section, list_item, inspection, len(words), wset
    )
    for w in wset:
        if WORD.fullmatch(w):
            f[f"w:{w}"] = 1.0
    return f


def _base_features(text, polarity, cue, matches, section, list_item, inspection, n, wset):
    """The features but the words (see :func:`features`); ``wset`` the set of the words."""
    reason = _reason(cue)
    f: dict[str, float] = {
        "bias": 1.0,
        f"rule={polarity}": 1.0,
        f"reason={reason}": 1.0,
        f"rule={polarity}&reason={reason}": 1.0,
        f"section={section or 'none'}": 1.0,
        f"type={inspection or 'none'}": 1.0,
    }
    if section:
        f[f"list_item={list_item}"] = 1.0
    if reason == "cue":
        for part in cue.split(" / "):
            f[f"cue={part.split(' … ')[0].strip().lower()}"] = 1.0
    counts: dict[str, int] = {}
    for _s, _e, concept, found in matches:
        counts[concept] = counts.get(concept, 0) + 1
        f[f"phrase:{concept}:{' '.join(found.lower().split())}"] = 1.0
    for concept, k in counts.items():
        f[f"has:{concept}"] = math.log1p(k)
    if wset & NEGATIONS or any(w.startswith("lack") or w.endswith("n't") for w in wset):
        f["negation"] = 1.0
    if wset & CONTRASTS:
        f["contrast"] = 1.0
    if wset & MODALS:
        f["modal"] = 1.0
    if wset & QUALIFIERS or any(w.startswith("vari") for w in wset):
        f["qualifier"] = 1.0
    if ";" in text:
        f["semicolon"] = 1.0
    f[f"length={'<12' if n < 12 else '<25' if n < 25 else '<40' if n < 40 else '40+'}"] = 1.0
    return f


@lru_cache(maxsize=4)
def load_model(path: str = str(MODEL_PATH)) -> dict | None:
    """The bundled weights (``{"weights": {feature: weight}, ...}``), None without a file."""
    p = Path(path)
    if not p.exists():
        return None
    with p.open(encoding="utf-8") as fh:
        return json.load(fh)


def _word_weights(model: dict) -> dict[str, float]:
    """The weights of the word features by word (kept in the model dict)."""
    held = model.get("_words")
    if held is None:
        held = model["_words"] = {
            k[2:]: v for k, v in model["weights"].items() if k.startswith("w:")
        }
    return held


def probability(f: dict[str, float], weights: dict[str, float]) -> float:
    """The logistic model's probability of a weakness from the features ``f``."""
    return _sigmoid(sum(weights.get(k, 0.0) * v for k, v in f.items()))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _score(model, text, polarity, cue, matches, section, list_item, inspection, words) -> float:
    """:func:`probability` of the :func:`features`, the words' weights looked up by word."""
    weights = model["weights"]
    wset = set(words)
    base = _base_features(
        text, polarity, cue, matches, section, list_item, inspection, len(words), wset
    )
    word_weights = _word_weights(model)
    z = sum(weights.get(k, 0.0) * v for k, v in base.items())
    z += sum(word_weights.get(w, 0.0) for w in wset)
    return _sigmoid(z)


def correct(
    text: str,
    polarity: str,
    cue: str,
    matches,
    *,
    section: str | None,
    list_item: bool,
    inspection: str | None,
    words: list[str],
    model: dict | None = None,
) -> tuple[str, str]:
    """The polarity and cue after the model's check of the rules' weakness verdict.

    Unchanged when the model agrees with the rules (or there is no model); otherwise a
    weakness the model rejects becomes a strength (the strength clause of a mixed finding, or
    a sentence with a strength cue) or neutral, and a sentence it finds a weakness becomes a
    weakness (mixed when the rules had found a strength cue in it).
    """
    model = model if model is not None else load_model()
    if not model:
        return polarity, cue
    weights = model["weights"]
    p = _score(model, text, polarity, cue, matches, section, list_item, inspection, words)
    # a change of the rules' verdict needs the probability a margin beyond the threshold
    threshold, margin = model.get("threshold", 0.5), model.get("margin", 0.0)
    weak = p >= (threshold - margin if polarity in WEAK else threshold + margin)
    if weak == (polarity in WEAK):
        return polarity, cue
    f = features(
        text,
        polarity,
        cue,
        matches,
        section=section,
        list_item=list_item,
        inspection=inspection,
        words=words,
    )
    strength_cue = any(m[2] in ("strength", "awareness", "reduction") for m in matches)
    if weak:
        # a strength cue, or a list of strengths, stays beside the weakness: mixed
        new = (
            "mixed" if polarity == "strength" and _reason(cue) in ("cue", "section") else "weakness"
        )
    elif polarity == "mixed" or strength_cue:
        new = "strength"
    else:
        new = "neutral"
    sign = 1 if weak else -1
    # the evidence that weighed most towards the change (the bias and the rules' own verdict
    # and reason are the baseline it corrects, named before the colon)
    top = sorted(
        ((weights.get(k, 0.0) * v, k) for k, v in f.items() if not k.startswith(BASELINE)),
        key=lambda t: -sign * t[0],
    )[:3]
    why = ", ".join(f"{c:+.1f} {k}" for c, k in top if sign * c > 0)
    return new, f"model {p:.2f} over the rule's {polarity} ({cue}): {why}"
