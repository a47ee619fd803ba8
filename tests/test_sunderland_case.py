"""The bundled Sunderland case against its sources in the shared corpus."""

from __future__ import annotations

import re

from inspectgraph.graph.build import bundled_sources
from inspectgraph.model.records import load_records


def sunderland():
    from inspectgraph.sources.registry import load_registry

    [path] = [p for p in bundled_sources() if p.name == "sunderland.yaml"]
    # the council, TfC, the police force and the partnership are in the bundled registry
    known = frozenset(a.id for a in load_registry().records_agencies())
    return load_records(path, known_agencies=known)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def test_summaries_are_our_own_words_not_the_reports(corpus):
    """No run of eight words of a summary appears in the report it summarises."""
    records = sunderland()
    texts = {}
    for x in records.inspections:
        for d in x.documents:
            if d.corpus_path:
                texts[x.id] = words((corpus / d.corpus_path).read_text(encoding="utf-8"))
    checked = 0
    for f in records.findings:
        if f.inspection not in texts:
            continue
        source = " " + " ".join(texts[f.inspection]) + " "
        w = words(f.summary)
        for i in range(len(w) - 7):
            run = " ".join(w[i : i + 8])
            assert f" {run} " not in source, f"{f.id}: copied run '{run}'"
        checked += 1
    assert checked >= 30


def test_corpus_paths_exist_and_facts_match_the_manifest(corpus):
    import csv

    manifest = {row["path"]: row for row in csv.DictReader((corpus / "manifest.csv").open())}
    for x in sunderland().inspections:
        for d in x.documents:
            if d.corpus_path:
                row = manifest[d.corpus_path]
                assert row["urn"] == "80566"
                assert row["published"] == d.published.isoformat(), d.corpus_path
                if row["source_url"]:
                    assert d.url == row["source_url"]


def test_official_grades_agree_with_the_outcome_files(corpus):
    import csv

    history = (
        corpus / "outcomes" / "ofsted_LA_inspection_outcomes_31Mar2025_ILACS_inspection_history.csv"
    )
    rows = [
        r
        for r in csv.DictReader(history.open(encoding="utf-8-sig"))
        if r["Local authority name"] == "Sunderland"
    ]
    by_published = {r["Publication date"][:10]: r for r in rows}
    for x in sunderland().inspections:
        published = x.documents[0].published.isoformat()
        if published in by_published:
            official = by_published[published]["Overall effectiveness"].lower()
            assert x.judgements["overall_effectiveness"].replace("_", " ") in official
