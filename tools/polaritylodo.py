"""Leave-one-draw-out figures of the polarity model (:mod:`inspectgraph.extract.polaritymodel`).

``python -m tools.polaritylodo [--corpus DIR] [--write]`` extracts every sentence of the
strict labels (``tests/devset/strict*.tsv``) with the rules alone, recording the model's
features, then for each draw (a holdout and its pairs draw, ``holdout13`` with
``holdout13p``, drawn from the same letters; ``dev`` on its own) fits the logistic
regression on the other draws and scores the draw left out: weakness precision and recall
(weakness or mixed, as :func:`inspectgraph.extract.strict.score` counts them) of the rules
and of the rules checked by the model. The L2 penalty of each fold is chosen by an inner
leave-one-draw-out over that fold's training draws alone, so no figure is fitted to the draw
it scores. ``--write`` then fits on every draw (penalty chosen the same way) and writes
``data/polarity_model.json``.

The features and the penalty grid are fixed in the code; the vocabulary (features seen in at
least :data:`MIN_COUNT` training sentences) is taken from each fold's training draws.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from inspectgraph.extract import polaritymodel
from inspectgraph.extract.core import read_manifest
from inspectgraph.extract.strict import WEAK
from inspectgraph.extract.structure import parse

from .evalscore import REPO, _Cache, _default_corpus, predict, read_strict_labels

MIN_COUNT = 3
PENALTIES = (1.0, 3.0, 10.0, 30.0)
THRESHOLD = 0.5
MARGINS = (0.0, 0.1, 0.2)
FREE = ("rule=", "reason=")
EXCLUDE: tuple[str, ...] = ()  # feature prefixes left out (--no-words: the words)


def collect(corpus: Path, labels: list[Path], joint: Path | None = None):
    """(rows, feature dicts, rule verdicts) of the labelled sentences, rules alone."""
    recorded: dict[tuple, dict] = {}
    original = polaritymodel.correct

    def record(text, polarity, cue, matches, *, section, list_item, inspection, words, model=None):
        recorded[(text, section, inspection)] = polaritymodel.features(
            text,
            polarity,
            cue,
            matches,
            section=section,
            list_item=list_item,
            inspection=inspection,
            words=words,
        )
        return polarity, cue

    polaritymodel.correct = record
    try:
        cache = _Cache(corpus, read_manifest(corpus / "manifest.csv"), joint)
        rows, feats, rule = [], [], []
        for row in read_strict_labels(labels):
            got = predict(row, cache)
            if got is None:
                continue
            x = cache.get(row["path"])
            start, end = int(row["start"]), int(row["end"])
            found = next((f for f in x.findings if f.start == start and f.end == end), None)
            if found is not None:
                key = (found.clean, found.section, x.document.type)
            else:  # labelled on its own by predict()
                section = parse(x.rendition.text).section_at(start)
                text = " ".join(x.rendition.text[start:end].split())
                key = (text, section.key if section else None, x.document.type)
            f = recorded[key]
            rows.append(row)
            feats.append(f)
            rule.append(got[0].polarity)
    finally:
        polaritymodel.correct = original
    return rows, feats, rule


def group_of(split: str) -> str:
    """The draw of a split: a pairs draw goes with its holdout (same letters)."""
    return split[:-1] if split.startswith("holdout") and split.endswith("p") else split


class Sparse:
    """A sparse matrix of feature values (coordinates), with the two products Newton needs."""

    def __init__(self, feats: list[dict], vocab: dict[str, int]):
        rows, cols, vals = [], [], []
        for i, f in enumerate(feats):
            for k, v in f.items():
                j = vocab.get(k)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                    vals.append(v)
        self.rows, self.cols = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
        self.vals = np.array(vals, dtype=float)
        self.shape = (len(feats), len(vocab))

    def dot(self, w: np.ndarray) -> np.ndarray:
        return np.bincount(self.rows, self.vals * w[self.cols], minlength=self.shape[0])

    def tdot(self, u: np.ndarray) -> np.ndarray:
        return np.bincount(self.cols, self.vals * u[self.rows], minlength=self.shape[1])


def vocabulary(feats: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for f in feats:
        for k in f:
            counts[k] += 1
    keys = sorted(
        k
        for k, n in counts.items()
        if (n >= MIN_COUNT and not k.startswith(EXCLUDE)) or k == "bias"
    )
    return {k: i for i, k in enumerate(keys)}


def unpenalised(vocab: dict[str, int]) -> list[int]:
    """The columns fitted without penalty: the bias and the rules' verdict and reason, so
    that the other features correct the rules only as far as they carry evidence."""
    return [i for k, i in vocab.items() if k == "bias" or k.startswith(FREE)]


def fit(X: Sparse, y: np.ndarray, penalty: float, free: list[int]) -> np.ndarray:
    """L2-penalised logistic regression (the ``free`` columns unpenalised) by Newton-CG."""
    n, d = X.shape
    w = np.zeros(d)
    reg = np.full(d, penalty)
    reg[free] = 0.0
    for _ in range(30):
        z = X.dot(w)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        grad = X.tdot(p - y) + reg * w
        if np.linalg.norm(grad) < 1e-6 * n:
            break
        s = p * (1 - p)

        def hv(v, s=s):
            return X.tdot(s * X.dot(v)) + reg * v + 1e-8 * v

        # conjugate gradient for the Newton step
        step = np.zeros(d)
        r = -grad.copy()
        q = r.copy()
        rr = r @ r
        for _ in range(100):
            hq = hv(q)
            alpha = rr / (q @ hq)
            step += alpha * q
            r -= alpha * hq
            rr_new = r @ r
            if rr_new < 1e-8 * (grad @ grad):
                break
            q = r + (rr_new / rr) * q
            rr = rr_new
        w += step
    return w


def prob(X: Sparse, w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(X.dot(w), -30, 30)))


def prf(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float, int, int, int]:
    tp = int((gold & pred).sum())
    fp = int((~gold & pred).sum())
    fn = int((gold & ~pred).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, tp, fp, fn


def _train_predict(feats, y, train, test, penalty):
    vocab = vocabulary([feats[i] for i in train])
    X = Sparse([feats[i] for i in train], vocab)
    w = fit(X, y[train].astype(float), penalty, unpenalised(vocab))
    return prob(Sparse([feats[i] for i in test], vocab), w)


def decide(p: np.ndarray, before: np.ndarray, margin: float) -> np.ndarray:
    """The model's verdicts: a change of the rules' verdict needs the probability
    ``margin`` beyond one half."""
    return np.where(before, p >= THRESHOLD - margin, p >= THRESHOLD + margin)


def choose(feats, y, before, groups, idx) -> tuple[float, float]:
    """The (penalty, margin) of the best pooled F1 in leave-one-draw-out over ``idx`` alone."""
    draws = sorted({groups[i] for i in idx})
    best = None
    for penalty in PENALTIES:
        p = np.zeros(len(y))
        for d in draws:
            train = [i for i in idx if groups[i] != d]
            test = [i for i in idx if groups[i] == d]
            p[test] = _train_predict(feats, y, train, test, penalty)
        for margin in MARGINS:
            pred = decide(p, before, margin)
            pr, r, *_ = prf(y[idx], pred[idx])
            f1 = 2 * pr * r / (pr + r) if pr + r else 0.0
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, penalty, margin)
    return best[1], best[2]


def lodo(feats, y, before, groups, *, nested: bool = True):
    """Model verdicts of each sentence from the draws other than its own."""
    pred = np.zeros(len(y), dtype=bool)
    chosen = {}
    draws = sorted(set(groups))
    for d in draws:
        train = [i for i, g in enumerate(groups) if g != d]
        test = [i for i, g in enumerate(groups) if g == d]
        penalty, margin = (
            choose(feats, y, before, groups, train) if nested else (PENALTIES[1], MARGINS[0])
        )
        chosen[d] = f"{penalty:g}, {margin:g}"
        p = _train_predict(feats, y, train, test, penalty)
        pred[test] = decide(p, before[test], margin)
        print(f"  {d}: penalty {penalty}, margin {margin}", file=sys.stderr, flush=True)
    return pred, chosen


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=_default_corpus())
    parser.add_argument("--devset", type=Path, default=REPO / "tests" / "devset")
    parser.add_argument("--joint-corpus", type=Path, default=None)
    parser.add_argument("--flat", action="store_true", help="a fixed penalty, no inner LODO")
    parser.add_argument("--cache", type=Path, default=None, help="keep the features in FILE")
    parser.add_argument("--write", action="store_true", help="write data/polarity_model.json")
    parser.add_argument("--no-words", action="store_true", help="leave out the word features")
    args = parser.parse_args(argv)
    global EXCLUDE
    EXCLUDE = ("w:",) if args.no_words else ()
    t0 = time.perf_counter()
    labels = sorted(args.devset.glob("strict*.tsv"))
    if args.cache and args.cache.exists():
        rows, feats, rule = pickle.loads(args.cache.read_bytes())
    else:
        rows, feats, rule = collect(args.corpus, labels, args.joint_corpus)
        if args.cache:
            args.cache.write_bytes(pickle.dumps((rows, feats, rule)))
    print(f"{len(rows)} sentences ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    y = np.array([r["polarity"] in WEAK for r in rows])
    before = np.array([p in WEAK for p in rule])
    groups = [group_of(r["split"]) for r in rows]
    after, chosen = lodo(feats, y, before, groups, nested=not args.flat)
    print(report(rows, y, before, after, groups, chosen))
    if args.write:
        idx = list(range(len(rows)))
        penalty, margin = (
            (PENALTIES[1], MARGINS[0]) if args.flat else choose(feats, y, before, groups, idx)
        )
        vocab = vocabulary(feats)
        w = fit(Sparse(feats, vocab), y.astype(float), penalty, unpenalised(vocab))
        weights = {k: round(float(w[i]), 4) for k, i in vocab.items() if abs(w[i]) >= 5e-4}
        out = {
            "about": "weights of inspectgraph.extract.polaritymodel, written by "
            "python -m tools.polaritylodo --write",
            "sentences": len(rows),
            "penalty": penalty,
            "threshold": THRESHOLD,
            "margin": margin,
            "weights": dict(sorted(weights.items())),
        }
        path = REPO / "data" / "polarity_model.json"
        path.write_text(json.dumps(out, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path} ({len(weights)} weights, penalty {penalty})", file=sys.stderr)
    print(f"\n({time.perf_counter() - t0:.0f} s)")
    return 0


def report(rows, y, before, after, groups, chosen) -> str:
    lines = [
        "| draw | sentences | weak (gold) | rules P | rules R | model P | model R | penalty, margin |",
        "|---|---|---|---|---|---|---|---|",
    ]
    order = sorted(set(groups), key=lambda g: (g != "dev", len(g), g))
    for d in order + ["pooled"]:
        idx = [i for i, g in enumerate(groups) if d in ("pooled", g)]
        b = prf(y[idx], before[idx])
        a = prf(y[idx], after[idx])
        pen = chosen.get(d, "")
        lines.append(
            f"| {d} | {len(idx)} | {int(y[idx].sum())} | {b[0]:.3f} | {b[1]:.3f} | "
            f"{a[0]:.3f} | {a[1]:.3f} | {pen} |"
        )
    flips = int((before != after).sum())
    good = int(((before != after) & (after == y)).sum())
    lines.append(f"\nverdicts changed: {flips} ({good} to the label, {flips - good} away from it)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
