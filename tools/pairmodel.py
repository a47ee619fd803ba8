"""Could a small model choose the co-criticised pairs better than the rules? (measurement)

A weakness or mixed finding naming two or more agency types pairs them all
(:func:`inspectgraph.extract.strict.criticised_pairs`). This tool scores a logistic model
that keeps or leaves out each such type, from features the rules already compute (its kind
of cue, the word before it, whether the rules make it the failing party, where it stands,
how many types the sentence names, the polarity cue and its kind, the document type), by
leave-one-draw-out cross-validation over the strict labels (``tests/devset/strict*.tsv``):
a *draw* is ``dev`` or one ``holdoutN`` with its pair-enriched ``holdoutNp``. For each draw
left out, a model is fitted (numpy, Newton's method, ridge penalty on standardised
features) on the other draws, its threshold chosen by an inner leave-one-draw-out over
those draws (highest pair F1), and the draw left out is scored.

``python -m tools.pairmodel lodo`` uses the rules of this tree on every draw: the rules were
written from those draws, so it measures the model on top of fitted rules.
``python -m tools.pairmodel lodo --frozen`` scores holdout11 to holdout14 on the rules
frozen when each was scored blind (:data:`FROZEN`, run from ``git archive`` of those commits
in a temporary folder), the one honest estimate for letters no rule was written from;
each model is trained on the frozen outputs of the other three draws and the present
rules' outputs of every draw but the one left out.

Nothing of the model is used by the extraction (see docs/extraction.md, "A learned pair
filter, measured by leave-one-draw-out"): in both modes it bought a little precision for
much more recall.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np

from inspectgraph.extract.agencies import MASH_NAMED, WORKFORCE, agency_mentions
from inspectgraph.extract.core import JOINT_TYPES, _named_mentions, read_manifest
from inspectgraph.extract.labels import label
from inspectgraph.extract.lexicon import default_lexicon, tokenize
from inspectgraph.extract.strict import WEAK, criticised_pairs
from inspectgraph.extract.structure import parse

from .evalscore import REPO, _Cache, _default_corpus, read_strict_labels

__all__ = ["FEATURES", "PairModel", "draw_of", "fit", "lodo", "main", "pair_features"]

L2 = 1.0  # ridge penalty on the standardised weights
SPARSE_MIN = 5  # a cue phrase, word before or polarity cue enters the model when seen this often
THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)

#: The commits whose rules were scored once on each blind draw (docs/extraction.md).
FROZEN = {"11": "aeafdd6", "12": "0a60de0", "13": "17a6ab7", "14": "5c8e0a4"}

# the word before a mention, skipping determiners and quantifiers
_BEFORE = re.compile(
    r"(?i)\b(\w+)\s+(?:(?:the|a|an|its|their|all|other|some|many|most|key|relevant|"
    r"local|wider|partner|statutory|these|those|each|every)\s+){0,3}[‘'\"(]?$"
)
PREPOSITIONS = frozenset(
    "to from with for of in at into across between among amongst through within on about "
    "towards around including as".split()
)
GENERIC_PARTNERS = re.compile(r"(?i)\b(?:partner|partners|agenc|professional|multi-?\s?agency)")
TYPE_GROUPS = ("local_authority", "multi_agency", "police", "health", "education")
LIST_JOIN = re.compile(r"[\s,]*(?:and|or|,)?[\s,]*(?:the\s+)?")

#: The dense features; sparse ones (``cue=``, ``before=``, ``polarity cue=``) follow.
FEATURES = (
    "type:local_authority",
    "type:multi_agency",
    "type:police",
    "type:health",
    "type:education",
    "type:safeguarding_partnership",
    "type:other",
    "council workforce word",
    "generic partners",
    "after a preposition",
    "after by",
    "failing party",
    "every type failing",
    "named first",
    "position",
    "three or more types",
    "in a list of agencies",
    "mixed",
    "polarity from the section",
    "joint letter",
    "inspection report",
    "named organisation",
    "named twice or more",
    "weakness cues",
    "strength cues",
)


def draw_of(split: str) -> str:
    """The draw of a split: ``holdout13`` and ``holdout13p`` are one (``13``).

    >>> draw_of("holdout13p"), draw_of("holdout13"), draw_of("dev")
    ('13', '13', 'dev')
    """
    m = re.fullmatch(r"holdout(\d+)p?", split)
    return m.group(1) if m else split


def _cue_kind(cue: str) -> str:
    cue = " ".join(cue.lower().replace("’", "'").split())
    if cue.startswith("section:"):
        return "section"
    if cue.startswith("narrative under"):
        return "narrative / " + cue.rsplit(" / ", 1)[-1]
    return cue


def _doc_kind(inspection: str | None) -> str:
    if inspection in JOINT_TYPES:
        return "joint"
    if inspection and inspection != "focused_visit":
        return "report"
    return "visit"


def pair_features(
    text: str,
    mentions,
    polarity: str,
    polarity_cue: str,
    criticised: list[str],
    criticised_why: str,
    inspection: str | None = None,
    polarity_counts: Counter | None = None,
) -> dict[str, dict[str, float]]:
    """For each agency type of a weakness or mixed finding naming two or more, its features
    (name -> value); an empty dict for any other finding.

    ``mentions`` are (start, end, type, phrase) as :func:`~inspectgraph.extract.agencies.
    agency_mentions` gives them, ``criticised`` and ``criticised_why`` what
    :func:`~inspectgraph.extract.agencies.criticised_agencies` said, ``polarity_counts`` the
    polarity cues of the sentence by concept.

    >>> text = "Police do not always share information with children's social care."
    >>> m = [(0, 6, "police", "Police"), (44, 66, "local_authority", "children's social care")]
    >>> f = pair_features(text, m, "weakness", "not always", ["police"], "named before: not")
    >>> f["police"]["failing party"], f["local_authority"]["after a preposition"]
    (1.0, 1.0)
    """
    types = sorted({m[2] for m in mentions})
    if polarity not in WEAK or len(types) < 2:
        return {}
    counts = polarity_counts or Counter()
    n = max(1, len(text))
    first = min(m[0] for m in mentions)
    kind = _doc_kind(inspection)
    every_fails = criticised_why.startswith(("no failure", "none named")) or set(criticised) >= set(
        types
    )
    out = {}
    for t in types:
        own = [m for m in mentions if m[2] == t]
        others = [m for m in mentions if m[2] != t]
        phrases = [" ".join(m[3].lower().replace("’", "'").split()) for m in own]
        before = []
        for m in own:
            b = _BEFORE.search(text[: m[0]])
            before.append(b.group(1).lower() if b else "")
        f = dict.fromkeys(FEATURES, 0.0)
        group = t if t in TYPE_GROUPS or t == "safeguarding_partnership" else "other"
        f["type:" + group] = 1.0
        f["council workforce word"] = float(
            t == "local_authority" and all(p in WORKFORCE or p.endswith("workers") for p in phrases)
        )
        f["generic partners"] = float(
            t == "multi_agency"
            and not any(MASH_NAMED.search(m[3]) for m in own)
            and any(GENERIC_PARTNERS.search(m[3]) for m in own)
        )
        f["after a preposition"] = float(all(w in PREPOSITIONS for w in before))
        f["after by"] = float("by" in before)
        f["failing party"] = float(t in criticised and not every_fails)
        f["every type failing"] = float(every_fails)
        f["named first"] = float(own[0][0] == first)
        f["position"] = own[0][0] / n
        f["three or more types"] = float(len(types) >= 3)
        f["in a list of agencies"] = float(
            any(
                LIST_JOIN.fullmatch(text[min(m[1], o[1]) : max(m[0], o[0])])
                for m in own
                for o in others
                if abs(o[0] - m[1]) <= 12 or abs(m[0] - o[1]) <= 12
            )
        )
        f["mixed"] = float(polarity == "mixed")
        f["polarity from the section"] = float(
            polarity_cue.startswith(("section:", "narrative under"))
        )
        f["joint letter"] = float(kind == "joint")
        f["inspection report"] = float(kind == "report")
        f["named organisation"] = float(any(m[3].startswith("named: ") for m in own))
        f["named twice or more"] = float(len(own) >= 2)
        f["weakness cues"] = float(min(3, counts.get("weakness", 0)))
        f["strength cues"] = float(min(3, counts.get("strength", 0)))
        for p in phrases:
            f["cue=" + p] = 1.0
        for w in before:
            f["before=" + (w or "-")] = 1.0
        f["polarity cue=" + _cue_kind(polarity_cue)] = 1.0
        out[t] = f
    return out


@dataclass
class PairModel:
    """A logistic model: a weight per feature name, the standardisation and a threshold a
    type's probability must reach to enter the pairs."""

    features: tuple[str, ...]
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float = 0.5

    def probability(self, f: dict[str, float]) -> float:
        x = np.array([f.get(name, 0.0) for name in self.features])
        z = self.bias + float(((x - self.mean) / self.scale) @ self.weights)
        return 1.0 / (1.0 + math.exp(-z))

    def paired(self, features: dict[str, dict[str, float]]) -> list[str]:
        kept = [t for t, f in sorted(features.items()) if self.probability(f) >= self.threshold]
        return kept if len(kept) >= 2 else []


def _vocabulary(items: list[dict], min_count: int) -> tuple[str, ...]:
    seen = Counter(
        name for it in items for f in it["features"].values() for name in f if "=" in name
    )
    return FEATURES + tuple(sorted(n for n, c in seen.items() if min_count and c >= min_count))


def _target(item: dict, t: str) -> float:
    # a type is right in the pairs when the labels make the sentence critical and name it
    return float(item["gold_weak"] and t in item["gold_agencies"])


def fit(items: list[dict], l2: float = L2, sparse_min: int = SPARSE_MIN) -> PairModel:
    """A ridge-penalised logistic regression on standardised features (Newton's method).

    >>> items = [{"features": {"a": {"failing party": 1.0}, "b": {}}, "gold_weak": True,
    ...           "gold_agencies": ["a"]}] * 4
    >>> m = fit(items)
    >>> m.probability({"failing party": 1.0}) > 0.5 > m.probability({})
    True
    """
    names = _vocabulary(items, sparse_min)
    rows = [(f, _target(it, t)) for it in items for t, f in sorted(it["features"].items())]
    x = np.array([[f.get(n, 0.0) for n in names] for f, _ in rows]).reshape(-1, len(names))
    y = np.array([v for _, v in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-z @ w))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-9:
            break
    return PairModel(names, w[1:], float(w[0]), mean, scale)


def pair_counts(items: list[dict], model: PairModel | None = None) -> Counter:
    """True, false and missed pairs of ``items``: the rules' pairs, or the model's."""
    c = Counter()
    for it in items:
        q = it["rule_pairs"]
        if model is not None and it["features"]:
            q = set(combinations(model.paired(it["features"]), 2))
        g = it["gold_pairs"]
        c["tp"] += len(g & q)
        c["fp"] += len(q - g)
        c["fn"] += len(g - q)
    return c


def agency_counts(items: list[dict]) -> Counter:
    """Agency types of ``items`` against the labels (the model leaves them unchanged)."""
    c = Counter()
    for it in items:
        g, q = set(it["gold_agencies"]), set(it["agencies"])
        c["tp"] += len(g & q)
        c["fp"] += len(q - g)
        c["fn"] += len(g - q)
    return c


def prf(c: Counter) -> tuple[float, float, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _item(row, text, polarity, agencies, criticised, cues, mentions, inspection, lex) -> dict:
    gold_agencies = set(row["agencies"].split())
    counts = Counter(c for _s, _e, c, _f in lex.matcher("polarity").find(text))
    return {
        "draw": draw_of(row["split"]),
        "text": text,
        "gold_weak": row["polarity"] in WEAK,
        "gold_agencies": sorted(gold_agencies),
        "gold_pairs": criticised_pairs(row["polarity"], gold_agencies),
        "agencies": sorted(agencies),
        "rule_pairs": criticised_pairs(polarity, agencies),
        "features": pair_features(
            text,
            mentions,
            polarity,
            cues.get(f"polarity:{polarity}", ""),
            list(criticised or []),
            cues.get("criticised", ""),
            inspection,
            counts,
        ),
    }


# run by the interpreter under a frozen commit's code (see frozen_items): the rules' reading
# of each labelled sentence, as JSON lines
_FROZEN_DUMP = r"""
import hashlib, json, sys
from pathlib import Path
sys.meta_path = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/inspectgraph"]
import inspectgraph
assert inspectgraph.__file__.startswith(sys.argv[1]), inspectgraph.__file__
from inspectgraph.extract.core import JOINT_TYPES, _named_mentions, read_manifest
from inspectgraph.extract.labels import label
try:
    from inspectgraph.extract.lexicon import default_lexicon, tokenize
except ImportError:
    from inspectgraph.extract.labels import default_lexicon, tokenize
try:
    from inspectgraph.extract.agencies import agency_mentions
except ImportError:
    from inspectgraph.extract.labels import agency_mentions
from inspectgraph.extract.structure import parse
try:
    from tools.evalscore import _Cache, read_strict_labels
except ImportError:
    from tools.eval import _Cache, read_strict_labels
corpus = Path(sys.argv[2])
cache = _Cache(corpus, read_manifest(corpus / "manifest.csv"))
lex = default_lexicon()
named_of = {}
for row in read_strict_labels([Path(p) for p in sys.argv[3:]]):
    x = cache.get(row["path"])
    text = x.rendition.text
    start, end = int(row["start"]), int(row["end"])
    if hashlib.sha256(text[start:end].encode()).hexdigest()[:10] != row["sha"]:
        continue
    found = next((f for f in x.findings if f.start == start and f.end == end), None)
    joint = x.document.type in JOINT_TYPES
    if found is None:
        section = parse(text).section_at(start)
        clean = " ".join(text[start:end].split())
        found = label(clean, section=section.key if section else None,
                      heading=section.heading if section else "",
                      visit_theme=x.document.visit_theme, joint=joint,
                      inspection=x.document.type)
    else:
        clean = found.clean
    if row["path"] not in named_of:
        named_of[row["path"]] = _named_mentions(x.document)
    named = named_of[row["path"]](clean)
    mentions = agency_mentions(clean, lex, tokenize(clean), joint=joint)
    if named:
        mentions = sorted([m for m in mentions if not any(m[0] < n[1] and n[0] < m[1] for n in named)]
                          + [(s, e, t, "named: " + nm) for s, e, t, nm in named])
    mentions = [list(m) for m in mentions if m[2] in found.agencies]
    print(json.dumps({"row": row, "text": clean, "polarity": found.polarity,
                      "agencies": list(found.agencies), "criticised": list(found.criticised or []),
                      "cues": dict(found.cues), "mentions": mentions,
                      "inspection": x.document.type}))
"""


def present_items(corpus: Path, devset: Path) -> list[dict]:
    """Every labelled sentence as the rules of this tree read it."""
    cache = _Cache(corpus, read_manifest(corpus / "manifest.csv"))
    lex = default_lexicon()
    named_of = {}
    out = []
    for row in read_strict_labels(sorted(devset.glob("strict*.tsv"))):
        x = cache.get(row["path"])
        text = x.rendition.text
        start, end = int(row["start"]), int(row["end"])
        if hashlib.sha256(text[start:end].encode()).hexdigest()[:10] != row["sha"]:
            continue
        found = next((f for f in x.findings if f.start == start and f.end == end), None)
        joint = x.document.type in JOINT_TYPES
        if row["path"] not in named_of:
            named_of[row["path"]] = _named_mentions(x.document)
        if found is None:
            section = parse(text).section_at(start)
            clean = " ".join(text[start:end].split())
            found = label(
                clean,
                section=section.key if section else None,
                heading=section.heading if section else "",
                visit_theme=x.document.visit_theme,
                named=named_of[row["path"]](clean),
                joint=joint,
                inspection=x.document.type,
            )
        else:
            clean = found.clean
        named = named_of[row["path"]](clean)
        mentions = agency_mentions(clean, lex, tokenize(clean), joint=joint)
        if named:
            mentions = sorted(
                [m for m in mentions if not any(m[0] < n[1] and n[0] < m[1] for n in named)]
                + [(s, e, t, f"named: {nm}") for s, e, t, nm in named]
            )
        mentions = [m for m in mentions if m[2] in found.agencies]
        out.append(
            _item(
                row,
                clean,
                found.polarity,
                found.agencies,
                found.criticised,
                found.cues,
                mentions,
                x.document.type,
                lex,
            )
        )
    return out


def frozen_items(corpus: Path, devset: Path) -> list[dict]:
    """The sentences of each blind draw of :data:`FROZEN` as that draw's frozen rules read
    them (the commit's tree from ``git archive``, run in a subprocess)."""
    lex = default_lexicon()
    out = []
    with tempfile.TemporaryDirectory(prefix="pairmodel-") as tmp:
        for draw, commit in FROZEN.items():
            tree = Path(tmp) / commit
            (tree / "inspectgraph").mkdir(parents=True)
            archive = subprocess.run(
                ["git", "-C", str(REPO), "archive", commit], check=True, capture_output=True
            ).stdout
            subprocess.run(
                ["tar", "-x", "-C", str(tree / "inspectgraph")], input=archive, check=True
            )
            files = [
                str(devset / f"strict-holdout{draw}.tsv"),
                str(devset / f"strict-holdout{draw}p.tsv"),
            ]
            lines = subprocess.run(
                [sys.executable, "-c", _FROZEN_DUMP, str(tree), str(corpus), *files],
                check=True,
                capture_output=True,
                text=True,
                cwd=tmp,
            ).stdout.splitlines()
            for line in lines:
                o = json.loads(line)
                mentions = [tuple(m) for m in o["mentions"]]
                out.append(
                    _item(
                        o["row"],
                        o["text"],
                        o["polarity"],
                        o["agencies"],
                        o["criticised"],
                        o["cues"],
                        mentions,
                        o["inspection"],
                        lex,
                    )
                )
    return out


def lodo(
    present: list[dict],
    frozen: list[dict] | None = None,
    l2: float = L2,
    sparse_min: int = SPARSE_MIN,
) -> dict:
    """Leave-one-draw-out: for each draw scored (the frozen draws when ``frozen`` is
    given, else every draw), the rules' and the model's pair counts, the agency counts and
    the threshold chosen by the inner leave-one-draw-out."""
    frozen = frozen or []
    frozen_draws = {it["draw"] for it in frozen}

    def train_set(excluded: set) -> list[dict]:
        return [it for it in frozen + present if it["draw"] not in excluded]

    def test_set(draw: str) -> list[dict]:
        pool = frozen if draw in frozen_draws else present
        return [it for it in pool if it["draw"] == draw]

    def choose(excluded: set) -> float:
        pooled = {t: Counter() for t in THRESHOLDS}
        for d in sorted({it["draw"] for it in train_set(excluded)}):
            model = fit(train_set(excluded | {d}), l2, sparse_min)
            for t in THRESHOLDS:
                model.threshold = t
                pooled[t] += pair_counts(test_set(d), model)
        return max(THRESHOLDS, key=lambda t: (round(prf(pooled[t])[2], 9), -t))

    scored = sorted(frozen_draws) if frozen else sorted({it["draw"] for it in present})
    scored.sort(key=lambda d: (d != "dev", int(d) if d.isdigit() else 0))
    out = {}
    for d in scored:
        model = fit(train_set({d}), l2, sparse_min)
        model.threshold = choose({d})
        test = test_set(d)
        out[d] = {
            "sentences": len(test),
            "threshold": model.threshold,
            "rules": pair_counts(test),
            "model": pair_counts(test, model),
            "agencies": agency_counts(test),
        }
    return out


def _fmt(c: Counter) -> str:
    p, r, _ = prf(c)
    return f"{p:.3f} {r:.3f} ({c['tp'] + c['fn']}/{c['tp'] + c['fp']})"


def table(result: dict) -> str:
    """The per-draw and pooled figures as text."""
    lines = [
        f"{'draw':7}{'sentences':>10}{'threshold':>10}  {'rules: pair P R (gold/pred)':28}"
        f"{'model: pair P R (gold/pred)':28}agency F1"
    ]
    total = {k: Counter() for k in ("rules", "model", "agencies")}
    for d, r in result.items():
        lines.append(
            f"{d:7}{r['sentences']:>10}{r['threshold']:>10}  {_fmt(r['rules']):28}"
            f"{_fmt(r['model']):28}{prf(r['agencies'])[2]:.3f}"
        )
        for k in total:
            total[k] += r[k]
    lines.append(
        f"{'pooled':7}{sum(r['sentences'] for r in result.values()):>10}{'':>10}  "
        f"{_fmt(total['rules']):28}{_fmt(total['model']):28}{prf(total['agencies'])[2]:.3f}"
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("lodo",))
    parser.add_argument("--corpus", type=Path, default=_default_corpus())
    parser.add_argument("--devset", type=Path, default=REPO / "tests" / "devset")
    parser.add_argument(
        "--frozen",
        action="store_true",
        help="score holdout11-14 on the rules frozen when each was scored blind",
    )
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--sparse-min", type=int, default=SPARSE_MIN)
    args = parser.parse_args(argv)
    if not (args.corpus / "manifest.csv").exists():
        print(f"error: no corpus at {args.corpus} (set INSPECTGRAPH_CORPUS)", file=sys.stderr)
        return 2
    present = present_items(args.corpus, args.devset)
    frozen = frozen_items(args.corpus, args.devset) if args.frozen else None
    print(table(lodo(present, frozen, args.l2, args.sparse_min)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
