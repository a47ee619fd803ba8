"""The whole corpus extracted once (the `corpus_extractions` fixture of conftest.py) and
checked: every finding slices its text, every ILACS report has its judgement table, and
the evaluation's figures that touch few documents.

These tests read every letter and report, so they live in one file: with `--dist loadfile`
one xdist worker runs them all and the corpus is extracted once per run, not once per
worker (they came from test_extract_layouts.py and test_extract_labels.py).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_every_finding_of_the_whole_corpus_slices_its_text_exactly(corpus_extractions):
    extractions = corpus_extractions
    assert len(extractions) > 700
    layouts = Counter()
    agentless = 0
    for rel, x in extractions.items():
        layouts[x.document.layout] += 1
        assert x.findings, rel
        text = x.rendition.text
        for f in x.findings:
            assert text[f.start : f.end] == f.text, (rel, f.start)
            assert f.polarity in {"strength", "weakness", "neutral", "mixed"}
            # a finding names only the agencies its sentence names (none for an agentless one)
            assert all(f"agency:{a}" in f.cues for a in f.agencies)
            assert set(f.criticised) <= set(f.agencies)
            agentless += not f.agencies
            assert all(f"theme:{t}" in f.cues for t in f.themes)
            assert f"polarity:{f.polarity}" in f.cues
    assert layouts["focused_visit"] >= 300 and layouts["ilacs"] >= 240 and layouts["sif"] >= 150
    assert agentless  # no default agency: "plans are not timely" names none


@pytest.mark.slow
def test_every_ilacs_report_has_its_judgement_table(corpus_extractions):
    extractions = corpus_extractions
    for rel, x in extractions.items():
        if x.document.layout == "ilacs":
            areas = {j.area for j in x.judgements}
            assert "overall_effectiveness" in areas and "help_and_protection" in areas, rel
            assert x.document.type in {"ilacs_standard", "ilacs_short"}
        if x.document.type == "focused_visit":
            assert x.document.visit_theme, rel


@pytest.mark.slow
def test_eval_reaches_the_judgement_and_visit_theme_targets(corpus, corpus_extractions):
    """The figures ``make eval`` prints (only the ones that touch few documents here)."""
    from inspectgraph.extract.core import read_manifest
    from inspectgraph.extract.eval import _Cache, judgement_metrics, visit_theme_metrics

    cache = _Cache(corpus, read_manifest(corpus / "manifest.csv"))
    cache.items.update(corpus_extractions)  # the same extract() calls, made once per run
    vt = visit_theme_metrics(REPO / "tests" / "devset", corpus, cache)
    assert vt["right"] / vt["n"] >= 0.95
    j = judgement_metrics(corpus, cache)
    assert j["reports"] >= 240 and j["docs_right"] == j["reports"]
