"""Accuracy of the extraction, measured on the hand-labelled development set (``make eval``).

``python -m inspectgraph.extract.eval [--corpus DIR] [--devset DIR]`` prints

* polarity precision/recall/F1 per class and macro-F1, agency-type and theme micro
  precision/recall/F1 on the labelled sentences (``tests/devset/findings.tsv``), for the
  ``dev`` part (used while writing the rules), the ``holdout`` part (not looked at while
  tuning, then scored once), the ``holdout2`` part (a fresh holdout drawn and labelled
  blind after that) and all; a sentence the segmenter does not find exactly is labelled on its own;
* visit-theme accuracy on every focused-visit letter (``tests/devset/visit_themes.tsv``),
  and against Ofsted's own *Visit Theme* for the letters of the in-year file;
* agreement of the judgements read from every ILACS report of the corpus with Ofsted's
  official ILACS inspection history (and of the inspection type, standard or short).

The labels and offsets are ours; the texts are read from the corpus at run time.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from .core import extract, read_manifest
from .devset import SPLITS, UNLABELLED
from .labels import label
from .structure import parse

__all__ = ["agreement", "evaluate", "main", "per_class", "prf"]

REPO = Path(__file__).resolve().parents[3]
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


class _Cache:
    def __init__(self, corpus: Path, manifest: dict):
        self.corpus, self.manifest, self.items = corpus, manifest, {}

    def get(self, rel: str):
        if rel not in self.items:
            self.items[rel] = extract(self.corpus / rel, manifest_row=self.manifest.get(rel))
        return self.items[rel]


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
        x = cache.get(row["path"])
        text = x.rendition.text
        start, end = int(row["start"]), int(row["end"])
        if hashlib.sha256(text[start:end].encode()).hexdigest()[:10] != row["sha"]:
            mismatched += 1
            continue
        found = next((f for f in x.findings if f.start == start and f.end == end), None)
        if found is not None:
            exact += 1
            p, themes, agencies = found.polarity, found.themes, found.agencies
        else:
            structure = parse(text)
            section = structure.section_at(start)
            lab = label(
                " ".join(text[start:end].split()),
                section=section.key if section else None,
                heading=section.heading if section else "",
                visit_theme=x.document.visit_theme,
            )
            p, themes, agencies = lab.polarity, lab.themes, lab.agencies
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


def evaluate(corpus: Path, devset: Path) -> dict:
    """All the figures, as a dict."""
    manifest = read_manifest(corpus / "manifest.csv")
    cache = _Cache(corpus, manifest)
    rows = _read_tsv(devset / "findings.tsv")
    result = {}
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


def _pct(a, b):
    return f"{100 * a / b:.1f} %" if b else "n/a"


# measures over the rows labelled for themes and agency types (holdout2 is polarity-only)
_TAGGED = {
    "agency types micro-F1",
    "  without local authority F1",
    "theme micro-F1",
    "theme precision",
    "theme recall",
}


def report(result: dict) -> str:
    lines = []
    add = lines.append
    add(
        f"Development set: {result['all']['n']} labelled sentences from "
        f"{result['documents']} documents ("
        + ", ".join(f"{p} {result[p]['n']}" for p in SPLITS)
        + "); themes and agency types labelled on "
        f"{result['all']['n_themes_agencies']} of them"
    )
    add("")
    parts = (*SPLITS, "all")
    add(f"{'sentences':<29} " + "  ".join(f"{p:<8}" for p in parts))
    for name, getter in [
        ("polarity macro-F1", lambda m: m["polarity_macro_f1"]),
        ("polarity accuracy", lambda m: m["polarity_accuracy"]),
        ("weakness recall", lambda m: m["polarity"]["weakness"][1]),
        ("weakness precision", lambda m: m["polarity"]["weakness"][0]),
        ("agency types micro-F1", lambda m: m["agencies"][2]),
        ("  without local authority F1", lambda m: m["agencies_without_la"][2]),
        ("theme micro-F1", lambda m: m["themes"][2]),
        ("theme precision", lambda m: m["themes"][0]),
        ("theme recall", lambda m: m["themes"][1]),
        ("exact segmentation", lambda m: m["exact_segmentation"] / max(1, m["n"])),
    ]:
        cells = [
            "n/a  "
            if name in _TAGGED and not result[p]["n_themes_agencies"]
            else f"{getter(result[p]):.3f}"
            for p in parts
        ]
        add(f"{name:<29} " + "  ".join(f"{c:<8}" for c in cells))
    add("")
    for part in parts:
        add("")
        add(f"polarity ({part}){' ' * (9 - len(part))}precision  recall  F1     support")
        for c, (p, r, f, n) in result[part]["polarity"].items():
            add(f"  {c:<14} {p:.3f}      {r:.3f}   {f:.3f}  {n}")
        conf = result[part]["confusion"]
        add("  labelled \\ predicted  " + " ".join(f"{c[:8]:>8}" for c in POLARITIES))
        for g in POLARITIES:
            add(f"  {g:<21} " + " ".join(f"{conf[(g, q)]:>8}" for q in POLARITIES))
    if "agreement" in result:
        a = result["agreement"]
        add("")
        add(
            f"annotator agreement (sentences labelled twice, independently): {a['agree']}/{a['n']} "
            f"({_pct(a['agree'], a['n'])}), Cohen's kappa {a['kappa']:.3f}, "
            f"macro-F1 of the second pass against the first {a['macro_f1']:.3f}"
        )
    vt = result["visit_theme"]
    add("")
    add(
        f"visit theme: {vt['right']}/{vt['n']} letters right ({_pct(vt['right'], vt['n'])}); "
        f"against Ofsted's in-year Visit Theme: {vt['official'][0]}/{vt['official'][1]}"
    )
    j = result["judgements"]
    add(
        f"ILACS judgements: {j['docs_right']}/{j['reports']} reports wholly right "
        f"({_pct(j['docs_right'], j['reports'])}), {j['areas_right']}/{j['areas']} grades "
        f"({_pct(j['areas_right'], j['areas'])}); matched to the official history: "
        f"{j['matched']}/{j['reports']}; inspection type (standard/short): "
        f"{j['types_right']}/{j['matched']}"
    )
    for rel, why, official, got in j["errors"][:10]:
        add(f"  {rel}: {why} {official} {got}")
    for rel, want, got in vt["errors"][:10]:
        add(f"  visit theme {rel}: labelled {want}, extracted {got}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=_default_corpus())
    parser.add_argument("--devset", type=Path, default=REPO / "tests" / "devset")
    args = parser.parse_args(argv)
    if not (args.corpus / "manifest.csv").exists():
        print(f"error: no corpus at {args.corpus} (set INSPECTGRAPH_CORPUS)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    result = evaluate(args.corpus, args.devset)
    print(report(result))
    print(f"\n({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
