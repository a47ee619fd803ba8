"""Every weakness error of the rules on the strict-labelled sentences, for reading.

``python -m tools.polarityerrors [--corpus DIR] [--out FILE] [--cache FILE]`` extracts each sentence of
``tests/devset/strict*.tsv`` and writes one tab-separated row per sentence whose weakness
verdict (weakness or mixed, as :func:`inspectgraph.extract.strict.score` counts them)
differs from the label: split, error (``FN`` a missed weakness, ``FP`` a false one), gold,
predicted, document type, section, heading, the polarity cue that decided, the path and
the sentence. Then it prints the errors counted by split family (a holdout with its pairs
draw; ``dev`` on its own) and by the kind of reason that decided (the cue's opening words).
"""

from __future__ import annotations

import argparse
import csv
import pickle
import sys
from collections import Counter
from pathlib import Path

from inspectgraph.extract.core import JOINT_TYPES, read_manifest
from inspectgraph.extract.labels import label
from inspectgraph.extract.strict import WEAK
from inspectgraph.extract.structure import parse

from .evalscore import REPO, _Cache, _default_corpus, read_strict_labels

__all__ = ["contexts", "errors", "main"]

COLUMNS = (
    "split",
    "error",
    "gold",
    "predicted",
    "type",
    "section",
    "heading",
    "cue",
    "path",
    "text",
)


def family(split: str) -> str:
    """The draw of a split: a pairs draw goes with its holdout (same letters)."""
    return split[:-1] if split.startswith("holdout") and split.endswith("p") else split


def contexts(corpus: Path, labels: list[Path], joint: Path | None = None) -> list[dict]:
    """Each labelled sentence with what :func:`label` is given for it (the clean text, the
    section, heading, visit theme, inspection type and whether it opens its list item), read
    by extracting its document; a sentence the segmenter does not find exactly is labelled
    on its own, as :func:`tools.evalscore.predict` does."""
    from inspectgraph.extract import core

    recorded: dict[tuple, dict] = {}
    original = core.label

    def record(text, **kw):
        recorded[(text, kw.get("section"), kw.get("inspection"))] = dict(kw, text=text)
        return original(text, **kw)

    core.label = record
    try:
        cache = _Cache(corpus, read_manifest(corpus / "manifest.csv"), joint)
        out = []
        for row in read_strict_labels(labels):
            x = cache.get(row["path"])
            text = x.rendition.text
            start, end = int(row["start"]), int(row["end"])
            found = next((f for f in x.findings if f.start == start and f.end == end), None)
            if found is not None:
                kw = dict(recorded[(found.clean, found.section, x.document.type)])
            else:
                section = parse(text).section_at(start)
                kw = {
                    "text": " ".join(text[start:end].split()),
                    "section": section.key if section else None,
                    "heading": section.heading if section else "",
                    "visit_theme": x.document.visit_theme,
                    "joint": x.document.type in JOINT_TYPES,
                    "inspection": x.document.type,
                }
            kw.pop("lexicon", None)
            kw.pop("named", None)
            out.append({"row": row, "kw": kw})
    finally:
        core.label = original
    return out


def errors(items: list[dict]) -> tuple[list[dict], Counter, Counter]:
    """(the error rows, the labelled sentences per family, weakness counts per family)."""
    out, seen, counts = [], Counter(), Counter()
    for item in items:
        row, kw = item["row"], dict(item["kw"])
        text = kw.pop("text")
        found = label(text, **kw)
        fam = family(row["split"])
        seen[fam] += 1
        gold, pred = row["polarity"] in WEAK, found.polarity in WEAK
        counts[fam, gold, pred] += 1
        if gold == pred:
            continue
        cue = next((v for k, v in found.cues.items() if k.startswith("polarity")), "")
        out.append(
            {
                "split": row["split"],
                "error": "FN" if gold else "FP",
                "gold": row["polarity"],
                "predicted": found.polarity,
                "type": kw.get("inspection") or "",
                "section": kw.get("section") or "",
                "heading": " ".join((kw.get("heading") or "").split()),
                "cue": cue,
                "path": row["path"],
                "text": text,
            }
        )
    return out, seen, counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=_default_corpus())
    parser.add_argument("--devset", type=Path, default=REPO / "tests" / "devset")
    parser.add_argument("--joint-corpus", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None, help="write the rows to FILE (TSV)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="keep each sentence's context in FILE (later runs label it again, fast)",
    )
    args = parser.parse_args(argv)
    if args.cache and args.cache.exists():
        items = pickle.loads(args.cache.read_bytes())
    else:
        labels = sorted(args.devset.glob("strict*.tsv"))
        items = contexts(args.corpus, labels, args.joint_corpus)
        if args.cache:
            args.cache.write_bytes(pickle.dumps(items))
    rows, seen, counts = errors(items)
    fh = args.out.open("w", encoding="utf-8", newline="") if args.out else sys.stdout
    writer = csv.DictWriter(fh, COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    if args.out:
        fh.close()
    print("family\tsentences\tFN\tFP\tP\tR", file=sys.stderr)
    for fam in sorted(seen) + ["all"]:
        tp = sum(n for (f, g, p), n in counts.items() if g and p and fam in (f, "all"))
        fp = sum(n for (f, g, p), n in counts.items() if not g and p and fam in (f, "all"))
        fn = sum(n for (f, g, p), n in counts.items() if g and not p and fam in (f, "all"))
        print(
            f"{fam}\t{sum(seen.values()) if fam == 'all' else seen[fam]}\t{fn}\t{fp}\t"
            f"{tp / max(1, tp + fp):.3f}\t{tp / max(1, tp + fn):.3f}",
            file=sys.stderr,
        )
    kinds = Counter((r["error"], r["cue"].split(":")[0].split(" (")[0][:40]) for r in rows)
    for (err, kind), n in kinds.most_common(30):
        print(f"{err}\t{n}\t{kind}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
