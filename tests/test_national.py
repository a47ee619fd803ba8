"""The whole development corpus, extracted once and built once into one store, then asked
the project's question.

One extraction of every letter and report (`corpus_extractions`) and one build of them
all (`national`, which reuses that extraction), both fixtures of conftest.py made once per
test run and shared by the tests below, which live in this one file so that one xdist
worker makes both (--dist loadfile): every finding slices its text, every ILACS report has
its judgement table, the evaluation's figures that touch few documents, the build's own
report, the Sunderland case on the national store, and a regional page.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_the_build_reports_documents_findings_triples_time_and_memory(national):
    _, output, documents = national
    found = re.search(r"documents: ([\d,]+) letters and reports, ([\d,]+) findings", output)
    assert found, output[-2000:]
    assert int(found.group(1).replace(",", "")) == documents  # every manifest row
    assert int(found.group(2).replace(",", "")) > 100 * documents
    assert re.search(r"[\d,]+ triples, .* [\d.]+ s, peak memory process \d+ MB", output)
    assert "official outcomes: " in output


def test_sunderland_on_the_national_store_still_ranks_police_and_the_company_first(
    national, cli_run
):
    store, _, _ = national
    result = cli_run("partnerships", "--la", "Sunderland", "--json", "--store", store)
    assert result.exit_code == 0, result.output
    top = json.loads(result.output)[0]
    assert top["agencies"] == ["Northumbria Police", "Together for Children"]
    assert top["persistence"] >= 2 and top["persistent_in"] == ["Sunderland City Council"]


def test_a_regional_page_of_the_national_store_groups_agencies_by_type(national, cli_run, tmp_path):
    store, _, _ = national
    out = tmp_path / "north-east.json"
    result = cli_run(
        "viz", "partnerships", "--region", "north_east", "--group", "type", "--pairs", "all",
        "--out", out, "--store", store,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    pairs = {frozenset((labels[e["source"]], labels[e["target"]])) for e in data["links"]}
    assert frozenset(("Northumbria Police", "Together for Children")) in pairs
    # letters of several north-east authorities, resolved to their own organisations
    assert {"police", "local_authority", "health"} <= {n["agency_type"] for n in data["nodes"]}
    assert len({n["label"] for n in data["nodes"] if n["agency_type"] == "local_authority"}) >= 5


def test_a_national_finding_is_compact_and_its_web_annotation_form_round_trips(national):
    """About a dozen quads a finding (counted over every finding); the quotations of a
    seeded tenth of the documents (about 18,000), expanded to the Web Annotation form
    `export` writes, written as N-Quads and parsed back, give the same quotes and offsets.
    The rows are pyoxigraph's own terms, expanded by the same `expand_quotations` as
    `annotation_quads`'s rdflib terms (the two kinds give the same quads:
    tests/test_export.py), which spares rdflib terms and their conversion.

    A tenth, because reading a quotation's five values from the on-disk store costs about
    0.2 ms (the whole store's took 38 CPU-s, two thirds of this test) while the expansion
    is made finding by finding: every finding of the corpus is checked against its text by
    test_every_finding_of_the_whole_corpus_slices_its_text_exactly, and hostile texts are
    round-tripped on every backend by tests/test_backends.py."""
    import random

    import pyoxigraph as ox

    from inspectgraph.graph.annotation import OX_TERMS, QUOTATIONS_QUERY, expand_quotations
    from inspectgraph.graph.stores import open_store

    store_path, output, _ = national
    findings = int(re.search(r"([\d,]+) findings", output).group(1).replace(",", ""))
    in_documents = int(
        re.search(r"([\d,]+) triples\s+in \d+ document graphs", output).group(1).replace(",", "")
    )
    # the documents' graphs: the findings, their reports and inspections, and the
    # co-criticism index (about 0.1 quad a finding)
    assert in_documents <= 12.5 * findings
    with open_store(store_path, read_only=True) as store:
        [[about_findings]] = store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { "
            "?f a <https://w3id.org/inspectgraph/def/Finding> ; ?p ?o }"
        ).rows
        assert int(about_findings) <= 12 * findings  # a finding is a dozen quads at most
    native = ox.Store.read_only(str(store_path))
    documents = sorted(g.value for g in native.named_graphs() if "/graph/document/" in g.value)
    chosen = random.Random(2026).sample(documents, len(documents) // 10)
    rows = []
    for g in chosen:  # graph by graph: the engine scans the whole store for a VALUES ?g
        query = QUOTATIONS_QUERY.replace("GRAPH ?g", f"GRAPH <{g}>")
        query = query.replace("SELECT ?g ", "SELECT ")
        rows += [(ox.NamedNode(g), *r) for r in native.query(query)]
    del native
    compact = {
        (f.value, r.value, e.value, p.value, s.value, int(n.value)) for _, f, r, e, p, s, n in rows
    }
    written = ox.serialize(
        (ox.Quad(*quad) for quad in expand_quotations(rows, OX_TERMS)),
        format=ox.RdfFormat.N_QUADS,
    )
    assert len(compact) == len(rows) > findings // 20
    # parsed back a quad at a time and joined here: the same join as a SPARQL query over
    # a store loaded with them, without indexing two million quads first
    oa, ig = "http://www.w3.org/ns/oa#", "https://w3id.org/inspectgraph/def/"
    typed, values = {}, {}
    for quad in ox.parse(written, format=ox.RdfFormat.N_QUADS):
        s, p, o = quad.subject.value, quad.predicate.value, quad.object.value
        if p == RDF_TYPE:
            typed.setdefault(s, set()).add(o)
        else:
            values.setdefault((s, p), []).append(o)
    exported = set()
    for (f, p), quotes in values.items():
        if p != ig + "quotation":
            continue
        for q in quotes:
            assert oa + "SpecificResource" in typed[q]
            [r] = values[(q, oa + "hasSource")]
            selectors = values[(q, oa + "hasSelector")]
            [t] = [x for x in selectors if oa + "TextQuoteSelector" in typed.get(x, ())]
            [x] = [x for x in selectors if oa + "TextPositionSelector" in typed.get(x, ())]
            [e], [pre], [suf] = (values[(t, oa + k)] for k in ("exact", "prefix", "suffix"))
            [start], [end] = values[(x, oa + "start")], values[(x, oa + "end")]
            assert int(end) - int(start) == len(e)
            exported.add((f, r, e, pre, suf, int(start)))
    assert exported == compact


def test_the_cocriticism_index_and_the_findings_give_identical_partnerships(national):
    """#16.2: every document carries its co-criticism index; the analysis reads it, and
    reading the findings themselves (the full path) gives the identical graph, nationally
    and for an authority, a region and a period."""
    from inspectgraph.analysis import partnership_graph_from_store, recurring_partnerships
    from inspectgraph.analysis.incidence import read_findings
    from inspectgraph.graph.stores import open_store
    from inspectgraph.testing import same_partnership_graph

    store_dir, _, _ = national
    with open_store(store_dir, read_only=True) as store:
        assert read_findings(store, polarity="weakness,mixed")[-1] == "index"
        for scope in ({}, {"la": "Sunderland"}, {"region": "north_east"}, {"since": "2022-01-01"}):
            indexed = partnership_graph_from_store(store, resamples=100, **scope)
            full = partnership_graph_from_store(store, resamples=100, use_index=False, **scope)
            assert indexed.number_of_edges() > 0, scope
            assert same_partnership_graph(indexed, full), scope
            assert recurring_partnerships(indexed) == recurring_partnerships(full), scope


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


def test_every_ilacs_report_has_its_judgement_table(corpus_extractions):
    extractions = corpus_extractions
    for rel, x in extractions.items():
        if x.document.layout == "ilacs":
            areas = {j.area for j in x.judgements}
            assert "overall_effectiveness" in areas and "help_and_protection" in areas, rel
            assert x.document.type in {"ilacs_standard", "ilacs_short"}
        if x.document.type == "focused_visit":
            assert x.document.visit_theme, rel


def test_eval_reaches_the_judgement_and_visit_theme_targets(corpus, corpus_extractions):
    """The figures ``make eval`` prints (only the ones that touch few documents here)."""
    from inspectgraph.extract.core import read_manifest
    from tools.evalscore import _Cache, judgement_metrics, visit_theme_metrics

    cache = _Cache(corpus, read_manifest(corpus / "manifest.csv"))
    cache.items.update(corpus_extractions)  # the same extract() calls, made once per run
    vt = visit_theme_metrics(REPO / "tests" / "devset", corpus, cache)
    assert vt["right"] / vt["n"] >= 0.95
    j = judgement_metrics(corpus, cache)
    assert j["reports"] >= 240 and j["docs_right"] == j["reports"]


def test_the_hand_check_draws_real_co_criticised_pairs_repeatably(national, corpus, tmp_path):
    """#15.6: the hand check's sheet: pairs of distinct organisations from weakness or mixed
    findings, each sentence the corpus's own text at its offsets, the same draw twice; a
    filled sheet tallies, an unfilled one is refused."""
    from inspectgraph.extract.text import read_document
    from inspectgraph.graph.stores import open_store
    from tools.handcheck import draw, main, tally

    store_dir, _, _ = national
    with open_store(store_dir, read_only=True) as store:
        rows = draw(store, count=12, seed=5, corpus=corpus)
        assert rows == draw(store, count=12, seed=5, corpus=corpus)
    assert len(rows) == 12
    for row in rows:
        assert row["agency_a"] != row["agency_b"] and row["polarity"] in ("weakness", "mixed")
        text = read_document(corpus / row["report"]).text
        assert " ".join(text[row["start"] : row["end"]].split()) == row["sentence"]
        assert row["context"] and " ".join(text[: row["start"]].split()).endswith(row["context"])
    with pytest.raises(ValueError, match="without a verdict"):
        tally(rows)
    filled = [dict(r, verdict="joint" if i % 3 else "one-sided") for i, r in enumerate(rows)]
    assert tally(filled)["joint"] == 8 and tally(filled)["pairs"] == 12
    sheet = tmp_path / "sheet.tsv"
    assert main(["draw", "--store", str(store_dir), "--count", "3", "--out", str(sheet)]) == 0
    assert main(["tally", str(sheet)]) == 2  # no verdicts yet: one line, exit 2


def test_each_engines_shape_of_the_named_queries_gives_the_same_rows_nationally(national):
    """#16: the queries that carry a shape for Oxigraph (a subquery that gets the parameters,
    scans joined by hashing) and one for rdflib (lookups) answer alike on the national store;
    both shapes are run by Oxigraph (rdflib would take hours over it)."""
    from inspectgraph import queries
    from inspectgraph.graph.stores import open_store

    cases = [
        ("finding-agencies", {"la": "Sunderland"}),
        ("finding-agencies", {"region": "north_east", "polarity": ""}),
        ("partnerships", {}),
        ("partnerships", {"la": "Sunderland", "min_inspections": 1}),
    ]
    store_dir, _, _ = national
    with open_store(store_dir, read_only=True) as store:
        for name, values in cases:
            text, bindings = queries.get(name).prepare(values)
            store.traits = frozenset()
            own = store.query(text, bindings).rows
            store.traits = frozenset({"rdflib"})
            lookups = store.query(text, bindings).rows
            assert own == lookups and own, (name, values)
