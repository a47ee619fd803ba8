"""Growing the hand-labelled development set without storing letter texts.

``python -m tools.devset sample --out SHEET.tsv`` chooses documents of the
corpus that are not in ``tests/devset/findings.tsv`` yet — stratified by layout and year,
one per local authority not yet labelled, with a fixed seed — draws up to ``--per-doc``
sentences of each at random from the findings the segmenter finds, and writes a labelling
sheet *with* the sentences' text (keep it outside the repository: letter texts are not
bundled). New documents alternate between the ``dev`` and ``holdout`` splits, so no
document is in both; ``--split`` puts them all in one split instead (``holdout2`` is the
second holdout, drawn after the rules had been tuned against ``holdout``).
``--plan recent`` draws from the letters and reports of 2023-2025 instead, and
``--jtai N --area-send M`` adds joint-inspection letters from the joint corpus
(``--joint-corpus``, default ``corpus-joint`` beside the corpus): half the JTAI letters from
2016-2020, half from 2022 on. A joint letter's path is written ``corpus-joint/<path>``, and its
sentences are drawn from its whole body (the segmenter does not know these layouts yet), each
with the nearest heading above it. Documents in ``findings.tsv`` or ``strict.tsv`` are never drawn,
nor those of a labels file given with ``--exclude`` (a holdout kept outside the repository).
``--plan any`` takes documents of every layout and year (bounded by ``--max-docs``), and
``--per-joint-doc`` draws more sentences from each joint letter, where co-criticised pairs are.
Only the document structure is read (no label is computed), so a blind sheet stays blind.

The annotator fills the ``polarity`` column following the guideline in
``docs/extraction.md``, without seeing what the extractor predicts, and
``python -m tools.devset merge SHEET.tsv`` appends the labelled rows to
``tests/devset/findings.tsv`` without their text (path, offsets, hash and labels only).
Rows added this way are labelled for polarity only: their ``themes`` and ``agencies``
are ``?`` and the theme and agency scores skip them.

>>> stratum({"document_type": "focused_visit", "published": "2019-05-07"}, "focused_visit")
'focused_visit 2019'
>>> stratum({"document_type": "inspection_report", "published": "2015-05-13"}, "sif")
'sif 2015'
"""

from __future__ import annotations

import argparse
import bisect
import csv
import hashlib
import random
import re
import sys
from pathlib import Path

__all__ = [
    "FIELDS",
    "PAIR_GROUPS",
    "SPLITS",
    "UNLABELLED",
    "choose_documents",
    "merge",
    "sample",
    "sample_pairs",
    "sample_unread",
    "stratum",
]

FIELDS = ["path", "start", "end", "sha", "split", "polarity", "themes", "agencies"]
UNLABELLED = "?"  # themes/agencies not labelled (polarity-only rows)
# dev: used to write the rules; holdout: scored once the rules were frozen (then looked at);
# holdout2: a fresh holdout drawn and labelled blind after that; holdout3 to holdout5 likewise,
# each scored once with the rules frozen before it was (see docs/extraction.md).
# holdout6: drawn from recent letters and joint inspections, labelled blind under the strict
# agency reading (strict.tsv columns), scored once after the rules were frozen.
# holdout7: likewise, weighted towards joint letters for the co-criticised pairs they hold.
# holdout8: likewise, drawn after the strict rules of issue 15's second round were frozen.
# holdout9: likewise, a random draw of the documents left unlabelled; holdout9p beside it, a
# pair-enriched draw (sample_pairs) of the rest, for pair figures on more than 20 gold pairs.
# holdout10 and holdout10p: the sentences nobody had read (sample_unread) of holdout9's documents
# and of the 22 documents in no labels file: a random draw and a pair-enriched one.
# holdout11 and holdout11p: the next unread sentences of the same 70 documents (seed 2052).
# holdout12 and holdout12p: the unread sentences of 80 other documents drawn at random (seed 2062).
SPLITS = (
    "dev",
    "holdout",
    "holdout2",
    "holdout3",
    "holdout4",
    "holdout5",
    "holdout6",
    "holdout7",
    "holdout8",
    "holdout9",
    "holdout9p",
    "holdout10",
    "holdout10p",
    "holdout11",
    "holdout11p",
    "holdout12",
    "holdout12p",
)
JOINT_PREFIX = "corpus-joint/"

# How many new documents of each layout, per publication year (the corpus spans 2013-2024).
PLAN = {
    "focused_visit": {
        "2018": 3,
        "2019": 2,
        "2020": 2,
        "2021": 3,
        "2022": 2,
        "2023": 2,
        "2024": 3,
    },
    "ilacs": {
        "2018": 1,
        "2019": 2,
        "2020": 1,
        "2021": 1,
        "2022": 2,
        "2023": 2,
        "2024": 3,
    },
    "sif": {"2014": 2, "2015": 2, "2016": 2, "2017": 1},
}
# The recent letters and reports (2023-2025), for a holdout of what the rules will meet next.
PLAN_RECENT = {
    "focused_visit": {"2023": 6, "2024": 7, "2025": 3},
    "ilacs": {"2023": 8, "2024": 9},
}
# "any": every layout and year qualifies, in the seeded order (``--max-docs`` bounds the draw)
PLANS = {"default": PLAN, "recent": PLAN_RECENT, "any": {}}
# sections of a joint letter that hold no finding: addressees, letterhead, sign-off
_NOT_FINDINGS = {"letterhead", "closing", "colophon", "information_about_this_inspection"}


def stratum(row: dict, layout: str) -> str:
    """The sampling stratum of a manifest row: layout family and publication year."""
    return f"{layout} {row['published'][:4]}"


def _layout_family(layout: str) -> str | None:
    if layout.startswith("focused"):
        return "focused_visit"
    if layout == "ilacs":
        return "ilacs"
    if layout.startswith("sif"):
        return "sif"
    return None


def _labelled_paths(devset: Path, exclude: tuple[Path, ...] = ()) -> list[dict]:
    """The rows of the labelled files, whose documents a new draw leaves out: the devset's
    and any ``exclude`` labels file (e.g. a holdout kept outside the repository)."""
    rows = _read(devset / "findings.tsv")
    if (devset / "strict.tsv").exists():
        rows += _read(devset / "strict.tsv")
    for path in exclude:
        if not path.is_file():
            raise ValueError(f"{path}: no such labels file to exclude")
        found = _read(path)
        if found and "path" not in found[0]:
            raise ValueError(f"{path}: no 'path' column (not a labels file)")
        rows += found
    return rows


def _layout(path: Path) -> str:
    from inspectgraph.extract.structure import parse
    from inspectgraph.extract.text import read_document

    return parse(read_document(path).text).layout


def choose_documents(
    corpus: Path,
    devset: Path,
    *,
    seed: int = 2025,
    plan_scale: int = 1,
    new_las_only: bool = True,
    plan: str = "default",
    exclude: tuple[Path, ...] = (),
) -> list[str]:
    """Corpus paths of documents not in the set yet, at most one per local authority.

    With ``new_las_only`` (the default) only authorities with no labelled document qualify;
    without it, any document not yet labelled does (the corpus has about 150 authorities, so
    later rounds run out of new ones). ``plan_scale`` multiplies the per-stratum quotas of
    the plan (``default`` or ``recent``, see :data:`PLANS`); the plan ``any`` has no quota and
    takes every document of any layout and year in the seeded order. Documents of the
    ``exclude`` labels files are left out as the devset's are.
    """
    from inspectgraph.extract.core import read_manifest

    manifest = read_manifest(corpus / "manifest.csv")
    existing = _labelled_paths(devset, exclude)
    labelled = {r["path"] for r in existing}
    used_las = {manifest[r["path"]]["local_authority"] for r in existing if r["path"] in manifest}
    rng = random.Random(seed)
    paths = sorted(manifest)
    rng.shuffle(paths)
    if plan == "recent":
        # the newest year's few letters first, so an earlier document of the same authority
        # does not crowd them out (one document per authority)
        newest = max(year for years in PLAN_RECENT.values() for year in years)
        paths.sort(key=lambda rel: manifest[rel]["published"][:4] != newest)
    wanted = {
        (fam, year): n * plan_scale
        for fam, years in PLANS[plan].items()
        for year, n in years.items()
    }
    chosen: list[str] = []
    taken_las: set[str] = set()
    for rel in paths:
        row = manifest[rel]
        la = row["local_authority"]
        if rel in labelled or la in taken_las or (new_las_only and la in used_las):
            continue
        if plan == "any":
            taken_las.add(la)
            chosen.append(rel)
            continue
        year = row["published"][:4]
        if not any(k[1] == year and n > 0 for k, n in wanted.items()):
            continue
        fam = _layout_family(_layout(corpus / rel))
        if fam is None or wanted.get((fam, year), 0) <= 0:
            continue
        wanted[(fam, year)] -= 1
        taken_las.add(la)
        chosen.append(rel)
    return chosen


def choose_joint(
    joint: Path,
    devset: Path,
    *,
    seed: int = 2025,
    jtai: int = 0,
    area_send: int = 0,
    exclude: tuple[Path, ...] = (),
) -> list[str]:
    """Joint-corpus paths (``corpus-joint/...``) not labelled yet, one per local authority:
    ``jtai`` JTAI letters, half of 2016-2020 and half of 2022 on, and ``area_send`` area SEND
    letters."""
    from inspectgraph.extract.core import read_manifest

    manifest = read_manifest(joint / "manifest.csv")
    labelled = {r["path"] for r in _labelled_paths(devset, exclude)}
    rng = random.Random(seed)
    paths = sorted(manifest)
    rng.shuffle(paths)
    wanted = {"jtai old": jtai // 2, "jtai new": jtai - jtai // 2, "area_send": area_send}
    chosen, taken_las = [], set()
    for rel in paths:
        row = manifest[rel]
        if JOINT_PREFIX + rel in labelled or row["local_authority"] in taken_las:
            continue
        if row["document_type"] == "joint_targeted_area_inspection":
            kind = "jtai old" if row["published"][:4] <= "2020" else "jtai new"
        elif row["document_type"] == "area_send_inspection":
            kind = "area_send"
        else:
            continue
        if wanted[kind] <= 0:
            continue
        wanted[kind] -= 1
        taken_las.add(row["local_authority"])
        chosen.append(JOINT_PREFIX + rel)
    return chosen


_TITLE_LINE = re.compile(r"^[A-Z][^.!;:]{2,120}[?]?\d{0,2}$")


def _heading_above(text: str, offset: int) -> str:
    """The nearest short title line above an offset, with a blank line before it."""
    lines = text[:offset].split("\n")
    for i in range(len(lines) - 2, 0, -1):
        line = lines[i].strip()
        if _TITLE_LINE.match(line) and not lines[i - 1].strip() and len(line.split()) <= 14:
            return line
    return ""


def _sheet_sentences(path: Path, joint: bool):
    """The rendition and the (clean, start, end, section key, heading) a sheet may draw from."""
    from inspectgraph.extract import structure as st
    from inspectgraph.extract.text import read_document

    text = read_document(path).text
    structure = st.parse(text)
    sentences = [(s.clean, s.start, s.end, s.section, s.heading) for s in structure.sentences]
    if not joint:
        return text, sentences
    # the whole body of a joint letter (every section but addressees and sign-off), split
    # into sentences as parse() splits a findings section
    found = {(s[1], s[2]) for s in sentences}
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    furniture = st._furniture_lines(lines, text)
    line_starts = [start for start, _ in lines]
    for section in structure.sections:
        if section.key in _NOT_FINDINGS or section.findings or section.end <= section.start:
            continue
        first = max(0, bisect.bisect_left(line_starts, section.start) - 1)
        last = bisect.bisect_left(line_starts, section.end)
        for s in st._sentences(text, lines, furniture, first, last, section):
            if (s.start, s.end) not in found:
                heading = _heading_above(text, s.start) or s.heading
                sentences.append((s.clean, s.start, s.end, s.section, heading))
    sentences.sort(key=lambda s: s[1])
    return text, sentences


def sample(
    corpus: Path,
    devset: Path,
    *,
    per_doc: int = 18,
    seed: int = 2025,
    max_docs: int | None = None,
    split: str | None = None,
    plan_scale: int = 1,
    new_las_only: bool = True,
    plan: str = "default",
    joint: Path | None = None,
    jtai: int = 0,
    area_send: int = 0,
    per_joint_doc: int | None = None,
    exclude: tuple[Path, ...] = (),
) -> list[dict]:
    """Sheet rows (with ``text``, ``section``, ``heading``) for the new documents.

    ``max_docs`` keeps the first documents of the (shuffled) choice; ``split`` puts them all
    in one split instead of alternating; ``jtai`` and ``area_send`` add that many letters of
    the joint corpus ``joint``, with ``per_joint_doc`` sentences each (default ``per_doc``);
    documents of the ``exclude`` labels files are not drawn.
    """
    out = []
    chosen = choose_documents(
        corpus,
        devset,
        seed=seed,
        plan_scale=plan_scale,
        new_las_only=new_las_only,
        plan=plan,
        exclude=exclude,
    )[:max_docs]
    if jtai or area_send:
        joint = joint or corpus.parent / "corpus-joint"
        chosen += choose_joint(
            joint, devset, seed=seed, jtai=jtai, area_send=area_send, exclude=exclude
        )
    for i, rel in enumerate(chosen):
        is_joint = rel.startswith(JOINT_PREFIX)
        path = joint / rel[len(JOINT_PREFIX) :] if is_joint else corpus / rel
        text, sentences = _sheet_sentences(path, is_joint)
        rng = random.Random(f"{seed}:{rel}")
        sentences = [s for s in sentences if len(s[0].split()) >= 3]
        wanted = per_joint_doc if is_joint and per_joint_doc is not None else per_doc
        picked = sorted(rng.sample(sentences, min(wanted, len(sentences))), key=lambda s: s[1])
        part = split or ("dev" if i % 2 == 0 else "holdout")
        out += [_sheet_row(rel, text, sentence, part) for sentence in picked]
    return out


def _sheet_row(rel: str, text: str, sentence: tuple, split: str) -> dict:
    """A labelling sheet's row for one (clean, start, end, section, heading) sentence."""
    clean, start, end, section, heading = sentence
    return {
        "path": rel,
        "start": start,
        "end": end,
        "sha": hashlib.sha256(text[start:end].encode()).hexdigest()[:10],
        "split": split,
        "polarity": "",
        "themes": UNLABELLED,
        "agencies": UNLABELLED,
        "section": section,
        "heading": " ".join(heading.split()),
        "text": clean,
    }


# Broad word groups of agencies, written for drawing a pair-enriched sheet and kept apart
# from the extractor's lexicon, so that the draw does not favour what the rules find:
# a sentence qualifies when it has words of two or more groups.
PAIR_GROUPS = {
    "council": r"council|local authorit|social work|social care|children's services|"
    r"managers?\b|leaders?\b|\bIROs?\b|personal advis",
    "police": r"police|constabular|officers?\b",
    "health": r"health|\bNHS\b|\bGPs?\b|hospital|CAMHS|\bICBs?\b|\bCCGs?\b|nurs(e|ing)|midwi|"
    r"paediatric|clinic",
    "education": r"school|college|educat|headteacher|nurser|early years",
    "probation": r"probation",
    "youth_justice": r"youth offending|youth justice|\bYOT\b|\bYOS\b",
    "housing": r"housing",
    "voluntary": r"voluntary|charit",
    "courts": r"court|cafcass|judge",
    "board": r"\bLSCB\b|safeguarding (children )?(board|partnership|partners)|\bthe board\b",
    "partners": r"partner|agenc|professional|\bMASH\b|front door|multi-agency|"
    r"strategy (meeting|discussion)",
}


def sample_pairs(
    corpus: Path,
    devset: Path,
    *,
    joint: Path | None = None,
    seed: int = 2042,
    per_doc: int = 3,
    count: int = 300,
    split: str = "holdout9p",
    exclude: tuple[Path, ...] = (),
    exclude_docs: tuple[str, ...] = (),
) -> list[dict]:
    """Sheet rows of a pair-enriched draw: sentences naming words of two or more agency groups.

    From every document of the corpus and the joint corpus in no labels file of ``devset``,
    ``exclude`` or ``exclude_docs`` (the rows of split ``split`` do not count: the draw is
    repeatable once its labels are in ``devset``), the sentences a sheet may draw from (at least three
    words) that match two or more :data:`PAIR_GROUPS`; at most ``per_doc`` of each document
    (seeded per document), then ``count`` of them at random (``seed``). Co-criticised pairs
    are rare in a random draw (about 20 in 500 sentences); figures on this draw are
    conditional on its selection.
    """
    from inspectgraph.extract.core import read_manifest

    patterns = [re.compile(p, re.I) for p in PAIR_GROUPS.values()]
    seen = {r["path"] for r in _labelled_paths(devset, exclude)}
    for path in devset.glob("*.tsv"):  # every labels file but the one of this draw itself
        seen |= {r["path"] for r in _read(path) if "path" in r and r.get("split") != split}
    seen |= set(exclude_docs)
    joint = joint or corpus.parent / "corpus-joint"
    documents = []
    for folder, prefix in ((corpus, ""), (joint, JOINT_PREFIX)):
        for row in read_manifest(folder / "manifest.csv").values():
            if prefix + row["path"] not in seen:
                documents.append((prefix + row["path"], folder / row["path"], bool(prefix)))
    pool = []
    for rel, path, is_joint in documents:
        text, sentences = _sheet_sentences(path, is_joint)
        named = [
            s
            for s in sentences
            if len(s[0].split()) >= 3 and sum(1 for p in patterns if p.search(s[0])) >= 2
        ]
        random.Random(f"{seed}:{rel}").shuffle(named)
        pool += [(rel, s, text) for s in named[:per_doc]]
    random.Random(seed).shuffle(pool)
    chosen = sorted(pool[:count], key=lambda x: (x[0], x[1][1]))
    return [_sheet_row(rel, text, sentence, split) for rel, sentence, text in chosen]


def _read_spans(devset: Path, seen_sheets: tuple[Path, ...]) -> dict[str, list[tuple[int, int]]]:
    """Every (start, end) already read, by document: the rows of every labels file of
    ``devset`` and the ``path``/``report`` rows of ``seen_sheets`` (e.g. a hand-check sheet)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for path in [*sorted(devset.glob("*.tsv")), *seen_sheets]:
        for row in _read(path):
            doc = row.get("path") or row.get("report")
            if doc and row.get("start", "").isdigit() and row.get("end", "").isdigit():
                spans.setdefault(doc, []).append((int(row["start"]), int(row["end"])))
    return spans


def sample_unread(
    corpus: Path,
    devset: Path,
    documents: list[str],
    *,
    joint: Path | None = None,
    seed: int = 2051,
    per_doc: int = 4,
    pairs_per_doc: int = 3,
    split: str = "holdout10",
    pair_split: str = "holdout10p",
    seen_sheets: tuple[Path, ...] = (),
) -> list[dict]:
    """Sheet rows of the sentences nobody has read in ``documents`` (corpus-relative paths).

    A sentence overlapping any span of a labels file in ``devset`` or of ``seen_sheets`` is
    left out. Of the rest (at least three words), each document gives up to
    ``pairs_per_doc`` sentences with words of two or more :data:`PAIR_GROUPS` (split
    ``pair_split``) and then ``per_doc`` others at random (split ``split``), each seeded per
    document, so the draw is repeatable once its own labels are in ``devset`` (its rows do
    not count as read).
    """
    patterns = [re.compile(p, re.I) for p in PAIR_GROUPS.values()]
    spans = _read_spans(devset, seen_sheets)
    own = {
        (r["path"], int(r["start"]), int(r["end"]))
        for path in devset.glob("*.tsv")
        for r in _read(path)
        if r.get("split") in (split, pair_split)
    }
    joint = joint or corpus.parent / "corpus-joint"
    out = []
    for rel in documents:
        is_joint = rel.startswith(JOINT_PREFIX)
        path = joint / rel[len(JOINT_PREFIX) :] if is_joint else corpus / rel
        if not path.is_file():
            raise ValueError(f"{path}: no such document")
        text, sentences = _sheet_sentences(path, is_joint)
        read = [s for s in spans.get(rel, []) if (rel, *s) not in own]
        unread = [
            s
            for s in sentences
            if len(s[0].split()) >= 3 and not any(s[1] < e and b < s[2] for b, e in read)
        ]
        rng = random.Random(f"{seed}:{rel}")
        named = [s for s in unread if sum(1 for p in patterns if p.search(s[0])) >= 2]
        rng.shuffle(named)
        paired = named[:pairs_per_doc]
        rest = [s for s in unread if s not in paired]
        plain = rng.sample(rest, min(per_doc, len(rest)))
        out += [_sheet_row(rel, text, s, pair_split) for s in paired]
        out += [_sheet_row(rel, text, s, split) for s in plain]
    return sorted(out, key=lambda r: (r["path"], r["start"]))


def merge(sheet: Path, devset: Path) -> int:
    """Append the labelled rows of a sheet to ``findings.tsv``; returns how many."""
    rows = _read(sheet)
    valid = {"strength", "weakness", "neutral", "mixed"}
    bad = [r for r in rows if r["polarity"] not in valid]
    if bad:
        raise ValueError(f"{sheet}: {len(bad)} rows without a valid polarity")
    target = devset / "findings.tsv"
    have = {(r["path"], r["start"], r["end"]) for r in _read(target)}
    new = [r for r in rows if (r["path"], r["start"], r["end"]) not in have]
    with target.open("a", encoding="utf-8", newline="") as f:
        for r in new:
            f.write("\t".join(str(r[k]) for k in FIELDS) + "\n")
    return len(new)


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _sample_from(args) -> list[dict]:
    """The sheet rows the ``sample`` command's options ask for."""
    return sample(
        args.corpus,
        args.devset,
        per_doc=args.per_doc,
        seed=args.seed,
        max_docs=args.max_docs,
        split=args.split,
        plan_scale=args.plan_scale,
        new_las_only=not args.any_la,
        plan=args.plan,
        joint=args.joint_corpus,
        jtai=args.jtai,
        area_send=args.area_send,
        per_joint_doc=args.per_joint_doc,
        exclude=tuple(args.exclude),
    )


def main(argv=None) -> int:
    from .eval import REPO, _default_corpus

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample", help="write a labelling sheet for new documents")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--per-doc", type=int, default=18)
    s.add_argument("--seed", type=int, default=2025)
    s.add_argument("--max-docs", type=int, default=None)
    s.add_argument("--split", choices=list(SPLITS), default=None)
    s.add_argument("--plan-scale", type=int, default=1, help="multiply the per-stratum quotas")
    s.add_argument(
        "--any-la",
        action="store_true",
        help="also draw documents of authorities that already have labelled documents",
    )
    s.add_argument("--plan", choices=sorted(PLANS), default="default")
    s.add_argument("--joint-corpus", type=Path, default=None)
    s.add_argument("--jtai", type=int, default=0, help="JTAI letters to add (half pre-2021)")
    s.add_argument("--area-send", type=int, default=0, help="area SEND letters to add")
    s.add_argument(
        "--per-joint-doc", type=int, default=None, help="sentences per joint letter (--per-doc)"
    )
    s.add_argument(
        "--exclude",
        type=Path,
        action="append",
        default=[],
        help="a labels file (path column) whose documents are not drawn; repeatable",
    )
    pairs = sub.add_parser(
        "sample-pairs",
        help="write a pair-enriched sheet: sentences naming words of two or more agency groups",
    )
    pairs.add_argument("--out", type=Path, required=True)
    pairs.add_argument("--seed", type=int, default=2042)
    pairs.add_argument("--per-doc", type=int, default=3)
    pairs.add_argument("--count", type=int, default=300)
    pairs.add_argument("--split", default="holdout9p")
    pairs.add_argument("--joint-corpus", type=Path, default=None)
    pairs.add_argument("--exclude", type=Path, action="append", default=[])
    unread = sub.add_parser(
        "sample-unread",
        help="write a sheet of the sentences nobody has read in the listed documents",
    )
    unread.add_argument("--out", type=Path, required=True)
    unread.add_argument(
        "--documents", type=Path, required=True, help="a file of corpus-relative paths, one a line"
    )
    unread.add_argument("--seed", type=int, default=2051)
    unread.add_argument("--per-doc", type=int, default=4)
    unread.add_argument("--pairs-per-doc", type=int, default=3)
    unread.add_argument("--split", default="holdout10")
    unread.add_argument("--pair-split", default="holdout10p")
    unread.add_argument("--joint-corpus", type=Path, default=None)
    unread.add_argument(
        "--seen",
        type=Path,
        action="append",
        default=[],
        help="a sheet (path or report, start, end) of sentences already read; repeatable",
    )
    m = sub.add_parser("merge", help="append a labelled sheet to findings.tsv")
    m.add_argument("sheet", type=Path)
    for p in (s, pairs, unread, m):
        p.add_argument("--corpus", type=Path, default=_default_corpus())
        p.add_argument("--devset", type=Path, default=REPO / "tests" / "devset")
    args = parser.parse_args(argv)
    if args.command in ("sample", "sample-pairs", "sample-unread"):
        from inspectgraph.extract.core import InputError

        try:
            if args.command == "sample":
                rows = _sample_from(args)
            elif args.command == "sample-unread":
                documents = args.documents.read_text(encoding="utf-8").split()
                rows = sample_unread(
                    args.corpus,
                    args.devset,
                    documents,
                    joint=args.joint_corpus,
                    seed=args.seed,
                    per_doc=args.per_doc,
                    pairs_per_doc=args.pairs_per_doc,
                    split=args.split,
                    pair_split=args.pair_split,
                    seen_sheets=tuple(args.seen),
                )
            else:
                rows = sample_pairs(
                    args.corpus,
                    args.devset,
                    joint=args.joint_corpus,
                    seed=args.seed,
                    per_doc=args.per_doc,
                    count=args.count,
                    split=args.split,
                    exclude=tuple(args.exclude),
                )
        except (InputError, ValueError) as err:
            print(f"devset {args.command}: {err}", file=sys.stderr)
            return 1
        with args.out.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(
                f,
                fieldnames=[*FIELDS, "criticised", "section", "heading", "text"],
                delimiter="\t",
                restval="",
            )
            w.writeheader()
            w.writerows(rows)
        print(f"{len(rows)} sentences of {len({r['path'] for r in rows})} documents -> {args.out}")
    else:
        print(f"{merge(args.sheet, args.devset)} rows added")
    return 0


if __name__ == "__main__":
    sys.exit(main())
