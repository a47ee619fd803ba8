"""The scorers of ``make eval``: each measure of the extraction against the hand labels.

Each scorer returns plain dicts of counts and (precision, recall, F1) tuples;
:func:`evaluate` gathers them for :func:`tools.evalreport.report` to print. The command,
and what it measures, is described in :mod:`tools.eval`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
from collections import Counter, defaultdict
from pathlib import Path

from inspectgraph.errors import InputError
from inspectgraph.extract.core import JOINT_TYPES, ExtractedFinding, extract, read_manifest
from inspectgraph.extract.labels import label
from inspectgraph.extract.lexicon import default_lexicon
from inspectgraph.extract.strict import (
    JOINT_PREFIX,
    Prediction,
    annotator_agreement,
    joint_folder,
    read_labels,
    score,
)
from inspectgraph.extract.structure import parse

from .devsetsheet import SPLITS, UNLABELLED

__all__ = ["agreement", "evaluate", "per_class", "prf"]

REPO = Path(__file__).resolve().parents[1]
POLARITIES = ("strength", "weakness", "neutral", "mixed")
HISTORY = "outcomes/ofsted_LA_inspection_outcomes_31Mar2025_ILACS_inspection_history.csv"
IN_YEAR = "outcomes/ofsted_LA_inspection_outcomes_31Mar2025_In-year_inspections.csv"
LOOKUP = "outcomes/ofsted_la_provider_lookup.csv"
HISTORY_AREAS = {
    "Overall effectiveness": "overall_effectiveness",
    "The impact of leaders on social work practice with children and families": "impact_of_leaders",
    "The experiences and progress of children who need help and protection": "help_and_protection",
    "The experiences and progress of children in care": "children_in_care",
    "The experiences and progress of care leavers": "care_leavers",
}
OFFICIAL_THEMES = {
    "Front door": "front_door",
    "Children in need/subject to a plan": "children_in_need",
    "Children in care": "children_in_care",
    "Care leavers": "care_leavers",
    "Achieving permanence": "achieving_permanence",
    "Vulnerable adolescents": "vulnerable_adolescents",
}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0 where undefined).

    >>> prf(8, 2, 0)
    (0.8, 1.0, 0.888...)
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def per_class(confusion: Counter) -> dict[str, tuple[float, float, float, int]]:
    """Precision, recall, F1 and support of each polarity from ``{(gold, predicted): n}``.

    >>> per_class(Counter({("strength", "strength"): 3, ("neutral", "strength"): 1}))["strength"]
    (0.75, 1.0, 0.8571428571428571, 3)
    """
    per = {}
    for c in POLARITIES:
        tp = confusion[(c, c)]
        fp = sum(v for (g, p), v in confusion.items() if p == c and g != c)
        fn = sum(v for (g, p), v in confusion.items() if g == c and p != c)
        per[c] = prf(tp, fp, fn) + (tp + fn,)
    return per


def agreement(first: list[dict], second: list[dict]) -> dict:
    """How far a second, independent labelling of the same sentences agrees with the first.

    Rows are matched by path and offsets; returns the number compared, the number agreeing,
    Cohen's kappa and the macro-F1 of the second pass scored against the first.

    >>> a = [{"path": "x", "start": "0", "end": "9", "polarity": p} for p in ("strength",)]
    >>> agreement(a, a)["kappa"], agreement(a, a)["agree"]
    (1.0, 1)
    """
    gold = {(r["path"], r["start"], r["end"]): r["polarity"] for r in first}
    pairs = Counter(
        (gold[key], r["polarity"])
        for r in second
        if (key := (r["path"], r["start"], r["end"])) in gold
    )
    n = sum(pairs.values())
    agree = sum(v for (g, p), v in pairs.items() if g == p)
    by_first = Counter({g: 0 for g in POLARITIES})
    by_second = Counter({g: 0 for g in POLARITIES})
    for (g, p), v in pairs.items():
        by_first[g] += v
        by_second[p] += v
    expected = sum(by_first[c] * by_second[c] for c in POLARITIES) / max(1, n) ** 2
    observed = agree / max(1, n)
    kappa = 1.0 if expected == 1 else (observed - expected) / (1 - expected)
    per = per_class(pairs)
    return {
        "n": n,
        "agree": agree,
        "kappa": kappa,
        "macro_f1": sum(v[2] for v in per.values()) / len(per),
        "confusion": pairs,
    }


def _grade(text: str) -> str | None:
    t = text.strip().lower()
    if not t:
        return None
    return "requires_improvement" if t.startswith("requires") else t


def _default_corpus() -> Path:
    return Path(os.environ.get("INSPECTGRAPH_CORPUS", REPO.parent / "shared" / "corpus"))


def _default_joint(corpus: Path) -> Path:
    return corpus.parent / "corpus-joint"


class _Cache:
    """Extractions of the documents of the main corpus and, for paths starting with
    ``corpus-joint/``, of the joint corpus (read on first use)."""

    def __init__(self, corpus: Path, manifest: dict, joint: Path | None = None):
        self.corpus, self.manifest, self.items = corpus, manifest, {}
        self.joint = joint if joint is not None else _default_joint(corpus)
        self._joint_manifest: dict | None = None

    def get(self, rel: str):
        if rel not in self.items:
            if rel.startswith(JOINT_PREFIX):
                inner = rel[len(JOINT_PREFIX) :]
                row = self.joint_manifest().get(inner)
                self.items[rel] = extract(self.joint / inner, manifest_row=row)
            else:
                self.items[rel] = extract(self.corpus / rel, manifest_row=self.manifest.get(rel))
        return self.items[rel]

    def joint_manifest(self) -> dict:
        if self._joint_manifest is None:
            if not (self.joint / "manifest.csv").exists():
                raise InputError(
                    f"{self.joint}: no joint corpus there (labels name corpus-joint/ paths; "
                    "give --joint-corpus DIR)"
                )
            self._joint_manifest = read_manifest(self.joint / "manifest.csv")
        return self._joint_manifest


def predict(row: dict, cache: _Cache) -> tuple[Prediction, bool] | None:
    """The extractor's labels of a labelled sentence and whether the segmenter found it.

    A sentence the segmenter does not find exactly is labelled on its own, in the section
    that contains it; None when the corpus text under the offsets has changed.
    """
    x = cache.get(row["path"])
    text = x.rendition.text
    start, end = int(row["start"]), int(row["end"])
    if hashlib.sha256(text[start:end].encode()).hexdigest()[:10] != row["sha"]:
        return None
    found = next((f for f in x.findings if f.start == start and f.end == end), None)
    if found is None:
        section = parse(text).section_at(start)
        found = label(
            " ".join(text[start:end].split()),
            section=section.key if section else None,
            heading=section.heading if section else "",
            visit_theme=x.document.visit_theme,
            joint=x.document.type in JOINT_TYPES,
            inspection=x.document.type,
        )
    prediction = Prediction(
        found.polarity,
        list(found.themes),
        list(found.agencies),
        getattr(found, "criticised", None),
    )
    return prediction, isinstance(found, ExtractedFinding)


def sentence_metrics(rows: list[dict], cache: _Cache) -> dict:
    """Polarity, agency and theme scores for labelled sentences."""
    pol = Counter()  # (gold, predicted)
    ag = Counter()
    th = Counter()
    ag_no_la = Counter()
    exact = 0
    mismatched = 0
    labelled = 0  # rows with theme and agency labels
    for row in rows:
        got = predict(row, cache)
        if got is None:
            mismatched += 1
            continue
        pred, found = got
        exact += found
        p, themes, agencies = pred.polarity, pred.themes, pred.agencies
        pol[(row["polarity"], p)] += 1
        if row["themes"] == UNLABELLED or row["agencies"] == UNLABELLED:
            continue  # a polarity-only row (see devset.py)
        labelled += 1
        for counter, gold, pred in ((ag, row["agencies"], agencies), (th, row["themes"], themes)):
            g, q = set(gold.split()), set(pred)
            counter["tp"] += len(g & q)
            counter["fp"] += len(q - g)
            counter["fn"] += len(g - q)
        g = set(row["agencies"].split()) - {"local_authority"}
        q = set(agencies) - {"local_authority"}
        ag_no_la["tp"] += len(g & q)
        ag_no_la["fp"] += len(q - g)
        ag_no_la["fn"] += len(g - q)
    out = {
        "n": sum(pol.values()),
        "n_themes_agencies": labelled,
        "exact_segmentation": exact,
        "changed_text": mismatched,
    }
    per = per_class(pol)
    out["polarity"] = per
    out["polarity_macro_f1"] = sum(v[2] for v in per.values()) / len(per)
    out["polarity_accuracy"] = sum(v for (g, p), v in pol.items() if g == p) / max(1, out["n"])
    out["agencies"] = prf(ag["tp"], ag["fp"], ag["fn"])
    out["agencies_without_la"] = prf(ag_no_la["tp"], ag_no_la["fp"], ag_no_la["fn"])
    out["themes"] = prf(th["tp"], th["fp"], th["fn"])
    out["confusion"] = pol
    return out


def visit_theme_metrics(devset: Path, corpus: Path, cache: _Cache) -> dict:
    rows = _read_tsv(devset / "visit_themes.tsv")
    right, errors = 0, []
    for row in rows:
        got = cache.get(row["path"]).document.visit_theme
        if got == row["visit_theme"]:
            right += 1
        else:
            errors.append((row["path"], row["visit_theme"], got))
    official = _official_visit_themes(corpus, cache)
    return {"n": len(rows), "right": right, "errors": errors, "official": official}


def _official_visit_themes(corpus: Path, cache: _Cache) -> tuple[int, int]:
    path = corpus / IN_YEAR
    if not path.exists():
        return 0, 0
    gss = _gss_by_urn(corpus)
    letters = defaultdict(list)
    for rel, row in cache.manifest.items():
        if row.get("document_type") == "focused_visit":
            for key in gss.get(row["urn"], ()):
                letters[key].append((dt.date.fromisoformat(row["published"]), rel))
    n = right = 0
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            theme = OFFICIAL_THEMES.get(row["Visit Theme"].strip())
            if not theme:
                continue
            published = dt.date.fromisoformat(row["Publication date"][:10])
            near = {
                rel
                for key in _la_keys(row)
                for date, rel in letters.get(key, [])
                if abs((date - published).days) <= 45
            }
            for rel in sorted(near):
                n += 1
                right += cache.get(rel).document.visit_theme == theme
    return right, n


def _gss_by_urn(corpus: Path) -> dict[str, tuple[str, str]]:
    """URN -> (DfE LA code, GSS code). Ofsted's files link each LA as
    .../provider/44/<DfE code> and give its GSS code; either may have changed since."""
    with (corpus / LOOKUP).open(encoding="utf-8-sig", newline="") as f:
        return {row["urn"]: (row["la_code"], row["la_code_new"]) for row in csv.DictReader(f)}


def _la_keys(row: dict) -> tuple[str, str]:
    return (
        row.get("Web link", "").rstrip("/").rsplit("/", 1)[-1],
        row.get("Local authority area code", ""),
    )


def judgement_metrics(corpus: Path, cache: _Cache) -> dict:
    """Extracted judgements of every ILACS report against Ofsted's ILACS history."""
    gss = _gss_by_urn(corpus)
    history = defaultdict(list)
    with (corpus / HISTORY).open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            for key in _la_keys(row):
                history[key].append(row)
    reports = areas = areas_right = docs_right = unmatched = types_right = 0
    errors = []
    for rel, row in sorted(cache.manifest.items()):
        if row.get("document_type") != "inspection_report":
            continue
        x = cache.get(rel)
        if x.document.layout != "ilacs":
            continue
        reports += 1
        published = dt.date.fromisoformat(row["published"])
        rows = {id(h): h for key in gss.get(row["urn"], ()) for h in history.get(key, [])}
        candidates = [
            (abs((dt.date.fromisoformat(h["Publication date"][:10]) - published).days), h)
            for h in rows.values()
        ]
        candidates = [c for c in candidates if c[0] <= 60]
        if not candidates:
            unmatched += 1
            errors.append((rel, "no official record", {}, {}))
            continue
        official_row = min(candidates, key=lambda c: c[0])[1]
        official = {}
        for column, area in HISTORY_AREAS.items():
            grade = _grade(official_row.get(column, ""))
            if grade:
                official[area] = grade
        if "care_leavers" not in official and "children_in_care" in official:
            official["children_in_care_and_care_leavers"] = official.pop("children_in_care")
        got = {j.area: j.grade for j in x.judgements}
        ok = all(got.get(a) == g for a, g in official.items()) and set(got) == set(official)
        docs_right += ok
        areas += len(official)
        areas_right += sum(got.get(a) == g for a, g in official.items())
        official_type = (
            "ilacs_short" if "Short" in official_row["Inspection type"] else "ilacs_standard"
        )
        types_right += x.document.type == official_type
        if not ok:
            errors.append((rel, "grades differ", official, got))
    return {
        "reports": reports,
        "matched": reports - unmatched,
        "docs_right": docs_right,
        "areas": areas,
        "areas_right": areas_right,
        "types_right": types_right,
        "errors": errors,
    }


def _read_tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def strict_parts(rows: list[dict]) -> dict[str, list[dict]]:
    """The rows of each split, then of each split's letters of each joint-corpus folder
    (``holdout6 jtai``), then all of them; splits in the order of :data:`SPLITS`."""
    order = {s: i for i, s in enumerate(SPLITS)}
    splits = sorted({r["split"] for r in rows}, key=lambda s: (order.get(s, len(order)), s))
    parts: dict[str, list[dict]] = {}
    for split in splits:
        parts[split] = [r for r in rows if r["split"] == split]
    for split in splits:
        folders = sorted({f for r in parts[split] if (f := joint_folder(r["path"]))})
        for folder in folders:
            parts[f"{split} {folder}"] = [
                r for r in parts[split] if joint_folder(r["path"]) == folder
            ]
    if len(splits) > 1:
        parts["all"] = rows
    return parts


def read_strict_labels(paths: list[Path]) -> list[dict]:
    """The rows of strict labels files, checked against the schemes' keys."""
    lexicon = default_lexicon()
    themes = set(lexicon.cues["themes"])
    agencies = set(lexicon.cues["agency-types"])
    rows = []
    for path in paths:
        rows.extend(read_labels(path, themes=themes, agencies=agencies))
    return rows


def strict_metrics(rows: list[dict], cache: _Cache) -> dict:
    """Strict-reading scores of each part of the rows (see :func:`strict_parts`)."""
    predictions = {}
    changed = set()
    exact = set()
    for row in rows:
        key = (row["path"], row["start"], row["end"])
        got = predict(row, cache)
        if got is None:
            changed.add(key)
            continue
        predictions[key], found = got
        if found:
            exact.add(key)
    out = {}
    for part, part_rows in strict_parts(rows).items():
        keys = [(r["path"], r["start"], r["end"]) for r in part_rows]
        items = [
            (r, predictions[k]) for r, k in zip(part_rows, keys, strict=True) if k in predictions
        ]
        result = score(items)
        result["changed_text"] = sum(k in changed for k in keys)
        result["exact_segmentation"] = sum(k in exact for k in keys)
        result["documents"] = len({r["path"] for r in part_rows})
        out[part] = result
    return out


def evaluate(
    corpus: Path,
    devset: Path,
    *,
    labels: list[Path] | None = None,
    joint: Path | None = None,
    strict_only: bool = False,
) -> dict:
    """All the figures, as a dict.

    ``labels`` are the strict labels files to score (default every ``devset/strict*.tsv``:
    strict-dev and the holdouts); ``joint`` the joint corpus (default: the corpus's sibling
    ``corpus-joint``); ``strict_only`` leaves out everything but the strict-reading scores.
    """
    manifest = read_manifest(corpus / "manifest.csv")
    cache = _Cache(corpus, manifest, joint)
    if labels is None:  # the strict-dev labels and every strict holdout
        labels = sorted(devset.glob("strict*.tsv"))
    result = {"strict_files": [str(p) for p in labels]}
    strict_rows = read_strict_labels(labels) if labels else []
    result["strict"] = strict_metrics(strict_rows, cache) if labels else {}
    second_strict = devset / "second_pass_strict.tsv"
    if strict_rows and second_strict.exists():
        again = _read_tsv(second_strict)
        result["strict_agreement"] = {
            **agreement(strict_rows, again),
            **annotator_agreement(strict_rows, again),
        }
    if strict_only:
        return result
    rows = _read_tsv(devset / "findings.tsv")
    for part in SPLITS:
        result[part] = sentence_metrics([r for r in rows if r["split"] == part], cache)
    result["all"] = sentence_metrics(rows, cache)
    result["visit_theme"] = visit_theme_metrics(devset, corpus, cache)
    result["judgements"] = judgement_metrics(corpus, cache)
    result["documents"] = len({r["path"] for r in rows})
    second = devset / "second_pass.tsv"
    if second.exists():
        result["agreement"] = agreement(rows, _read_tsv(second))
    return result
