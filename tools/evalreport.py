"""The tables ``make eval`` prints, from the figures of :func:`tools.evalscore.evaluate`."""

from __future__ import annotations

from .devsetsheet import SPLITS
from .evalscore import POLARITIES

__all__ = ["report", "strict_report"]


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


# measure, getter, target on letters no rule was written from (issue 15)
_STRICT_ROWS = [
    ("sentences", lambda m: str(m["n"]), ""),
    ("documents", lambda m: str(m["documents"]), ""),
    ("weakness precision", lambda m: f"{m['weakness'][0]:.3f}", ">= 0.90"),
    ("weakness recall", lambda m: f"{m['weakness'][1]:.3f}", ">= 0.90"),
    ("pair precision", lambda m: f"{m['pairs'][0]:.3f}", ">= 0.85"),
    ("pair recall", lambda m: f"{m['pairs'][1]:.3f}", ">= 0.80"),
    ("  gold / predicted pairs", lambda m: f"{m['gold_pairs']}/{sum(m['pairs_counts'][:2])}", ""),
    ("agency micro-F1 (strict)", lambda m: f"{m['agencies'][2]:.3f}", ">= 0.90"),
    ("  agency precision", lambda m: f"{m['agencies'][0]:.3f}", ""),
    ("  agency recall", lambda m: f"{m['agencies'][1]:.3f}", ""),
    (
        "theme micro-F1",
        lambda m: f"{m['themes'][2]:.3f}" if m["n_themes"] else "n/a",
        ">= 0.75",
    ),
    (
        "criticised F1",
        lambda m: f"{m['criticised'][2]:.3f}" if m["has_criticised"] else "n/a",
        "",
    ),
    ("exact segmentation", lambda m: f"{m['exact_segmentation'] / max(1, m['n']):.3f}", ""),
    ("changed text (skipped)", lambda m: str(m["changed_text"]), ""),
]


def strict_report(result: dict) -> list[str]:
    """The strict-reading table: one column per split and per split's joint letters."""
    parts = result.get("strict") or {}
    if not parts:
        return ["strict agency reading: no labels file (tests/devset/strict.tsv or --labels)"]
    files = ", ".join(result.get("strict_files", []))
    lines = [
        f"Strict agency reading ({files}; JTAI letters have no graded judgements to agree with)"
    ]
    width = max(9, *(len(p) + 1 for p in parts))
    lines.append(f"{'':<29} " + "".join(f"{p:<{width}}" for p in parts) + "target")
    for name, getter, target in _STRICT_ROWS:
        cells = [getter(m) if m["n"] else "n/a" for m in parts.values()]
        lines.append(f"{name:<29} " + "".join(f"{c:<{width}}" for c in cells) + target)
    return lines


def report(result: dict) -> str:
    lines = []
    add = lines.append
    if "all" not in result:  # only the strict figures were asked for
        return "\n".join(strict_report(result))
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
            if not result[p]["n"] or (name in _TAGGED and not result[p]["n_themes_agencies"])
            else f"{getter(result[p]):.3f}"
            for p in parts
        ]
        add(f"{name:<29} " + "  ".join(f"{c:<8}" for c in cells))
    add("")
    for part in parts:
        if not result[part]["confusion"]:
            continue  # a split with no polarity labels yet (holdout6 lives in the strict file)
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
    if "strict" in result:
        add("")
        lines.extend(strict_report(result))
    if "strict_agreement" in result:
        a = result["strict_agreement"]
        add(
            f"strict annotator agreement ({a['n']} holdout sentences labelled twice, "
            f"independently): polarity {a['agree']}/{a['n']}, Cohen's kappa {a['kappa']:.3f}; "
            f"agency micro-F1 {a['agencies'][2]:.3f}; co-criticised pair F1 {a['pairs'][2]:.3f} "
            "(second pass against the first)"
        )
    return "\n".join(lines)
