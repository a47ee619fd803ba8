"""Drawing sentences for a labelling sheet: which documents, and which of their sentences.

The plans and strata of :func:`sample`, the joint letters of :func:`choose_joint`, the
pair-enriched draw of :func:`sample_pairs` and the unread sentences of :func:`sample_unread`.
The files they read and the rows they write are in :mod:`tools.devsetsheet`; the command
that runs them is :mod:`tools.devset`.

>>> stratum({"document_type": "focused_visit", "published": "2019-05-07"}, "focused_visit")
'focused_visit 2019'
>>> stratum({"document_type": "inspection_report", "published": "2015-05-13"}, "sif")
'sif 2015'
"""

from __future__ import annotations

import bisect
import random
import re
from pathlib import Path

from .devsetsheet import JOINT_PREFIX, _labelled_paths, _read, _read_spans, _sheet_row

__all__ = [
    "PAIR_GROUPS",
    "PLANS",
    "choose_documents",
    "choose_joint",
    "sample",
    "sample_pairs",
    "sample_unread",
    "stratum",
]

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
