"""Letters and reports built into the graph: provenance, joining inspections, agencies
resolved through the registry, the SHACL gate, the command line."""

import hashlib
import re
import shutil

import pytest
from fixtures_stores import copy_bundled
from rdflib import URIRef

from inspectgraph.errors import InputError
from inspectgraph.extract import read_document
from inspectgraph.graph.build import build
from inspectgraph.graph.documents import DocumentsError, find_sources
from inspectgraph.graph.stores import open_store
from inspectgraph.ontology import ID

DOCS = [
    "inspections/80566_sunderland_2021-08-20.txt",  # ILACS report, in the official history
    "focused-visits/80566_sunderland_2023-11-29.txt",  # in the Sunderland records
    "focused-visits/80469_gateshead_2021-10-27.txt",  # in no other source
    "inspections/80566_sunderland_2015-07-20.txt",  # SIF report
]
IG = "https://w3id.org/inspectgraph/def/"


_BUILT = {}


@pytest.fixture
def built(corpus, tmp_path_factory, bundled_templates):
    """The bundled data and the four documents, built once for the module's tests: the
    documents built into a copy of the run's bundled store (what build(store) leaves)."""
    if "store" not in _BUILT:
        target = tmp_path_factory.mktemp("docs") / "s"
        store, _ = copy_bundled("oxigraph", bundled_templates, target, servers=None)
        _BUILT["store"] = store
        _BUILT["report"] = build(store, documents=find_sources([corpus / d for d in DOCS]))
    return _BUILT["store"], _BUILT["report"]


def rows(store, query, **bindings):
    return store.query(
        query, {k: URIRef(v) if v.startswith("http") else v for k, v in bindings.items()}
    ).dicts()


@pytest.mark.slow  # two seconds or more: the full suite only
def test_reports_join_the_inspections_other_sources_describe(built):
    store, report = built
    assert report.documents == 4 and report.findings > 500
    joined = rows(
        store,
        f"""SELECT ?report ?inspection WHERE {{
        ?report a <{IG}Report> ; <http://www.w3.org/ns/prov#wasGeneratedBy> ?inspection ;
                <http://purl.org/dc/terms/identifier> ?hash .
        FILTER(STRSTARTS(STR(?hash), "sha256:"))  # read from a document, not a records file
    }}""",
    )
    by_inspection = {str(r["inspection"]).rsplit("/", 1)[1] for r in joined}
    assert {
        "sunderland-ilacs-2021-08-20",
        "sunderland-focused-visit-2023-11-29",
        "sunderland-sif-2015-07-20",
        "gateshead-focused-visit-2021-10-27",
    } == by_inspection
    # one inspection, one date: the report did not duplicate the official inspection
    dates = rows(
        store,
        "SELECT DISTINCT ?d WHERE { ?i <http://purl.org/dc/terms/date> ?d }",
        i=str(ID["inspection/sunderland-ilacs-2021-08-20"]),
    )
    assert len(dates) == 1
    assert report.new_inspections == 1  # only the Gateshead visit is known from its letter alone


COMPACT_QUOTES = f"""SELECT ?report ?exact ?prefix ?suffix ?start WHERE {{
    ?f <{IG}exact> ?exact ; <{IG}prefix> ?prefix ; <{IG}suffix> ?suffix ; <{IG}start> ?start ;
       <http://www.w3.org/ns/prov#wasDerivedFrom> ?report }}"""
ANNOTATION_QUOTES = """SELECT ?report ?exact ?prefix ?suffix ?start ?end WHERE {
    ?f <https://w3id.org/inspectgraph/def/quotation> ?q .
    ?q a <http://www.w3.org/ns/oa#SpecificResource> ;
       <http://www.w3.org/ns/oa#hasSource> ?report ; <http://www.w3.org/ns/oa#hasSelector> ?t, ?p .
    ?t a <http://www.w3.org/ns/oa#TextQuoteSelector> ; <http://www.w3.org/ns/oa#exact> ?exact ;
       <http://www.w3.org/ns/oa#prefix> ?prefix ; <http://www.w3.org/ns/oa#suffix> ?suffix .
    ?p a <http://www.w3.org/ns/oa#TextPositionSelector> ;
       <http://www.w3.org/ns/oa#start> ?start ; <http://www.w3.org/ns/oa#end> ?end }"""


@pytest.mark.slow
def test_the_web_annotation_export_round_trips_and_slices_the_rendition_exactly(built, corpus):
    """compact finding -> Web Annotation export -> parse: the same quotes and offsets, and
    both selectors slice the document's stored rendition exactly."""
    import pyoxigraph as ox

    from inspectgraph.graph.export import serialize

    store, report = built
    compact = {
        (str(r["report"]), str(r["exact"]), str(r["prefix"]), str(r["suffix"]), int(r["start"]))
        for r in rows(store, COMPACT_QUOTES)
    }
    back = ox.Store()
    back.bulk_load(serialize(store, "nq"), format=ox.RdfFormat.N_QUADS)
    exported = set()
    for r in back.query(ANNOTATION_QUOTES, use_default_graph_as_union=True):
        report_iri, exact, prefix, suffix = (
            r[k].value for k in ("report", "exact", "prefix", "suffix")
        )
        exported.add((report_iri, exact, prefix, suffix, int(r["start"].value)))
        assert int(r["end"].value) == int(r["start"].value) + len(exact)
    assert exported == compact and len(compact) >= report.findings
    for path in DOCS:
        doc = read_document(corpus / path)
        assert doc.sha256 == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        # the document's report, identified by its file and the hash of its rendition
        reports = rows(
            store,
            f"""SELECT ?report WHERE {{ ?report <http://purl.org/dc/terms/identifier>
            "{path}", "sha256:{doc.sha256}" }}""",
        )
        [document_report] = [str(r["report"]) for r in reports]
        found = [q for q in exported if q[0] == document_report]
        assert found, path
        for _, exact, prefix, suffix, start in found:
            assert doc.text[start : start + len(exact)] == exact
            assert doc.text[:start].endswith(prefix)
            assert doc.text[start + len(exact) :].startswith(suffix)


def test_a_finding_is_compact(built):
    """One type, the quotation folded onto the finding, the cues as one value: about a dozen
    triples a finding, with a short IRI. Its themes (about one a finding, as many as the theme
    rules find) are counted apart: at most eleven triples a finding besides them."""
    store, report = built
    [[quads]] = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{ID}graph/document/")) }}'
    ).rows
    [[themes]] = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{ID}graph/document/") '
        f'&& STRSTARTS(STR(?o), "{IG}theme/")) }}'
    ).rows
    assert int(quads) - int(themes) <= 11 * report.findings
    assert int(themes) <= 2 * report.findings
    types = rows(
        store, f"SELECT DISTINCT ?t WHERE {{ ?f a <{IG}Finding> ; <{IG}exact> ?e ; a ?t }}"
    )
    assert {str(r["t"]) for r in types} == {f"{IG}Finding"}
    cues = rows(store, f"SELECT ?f (COUNT(?c) AS ?n) WHERE {{ ?f <{IG}cues> ?c }} GROUP BY ?f")
    assert cues and {int(r["n"]) for r in cues} == {1}
    longest = rows(
        store,
        f"SELECT (MAX(STRLEN(STR(?f))) AS ?n) WHERE {{ ?f a <{IG}Finding> ; <{IG}exact> ?e }}",
    )
    assert int(longest[0]["n"]) <= 80


def test_generic_mentions_resolve_to_the_authoritys_own_agencies(built):
    store, _ = built
    concerned = rows(
        store,
        f"""SELECT DISTINCT ?inspection ?agency WHERE {{
        ?f <{IG}fromInspection> ?inspection ; <{IG}concerns> ?agency }}""",
    )
    by = {}
    for r in concerned:
        by.setdefault(str(r["inspection"]).rsplit("/", 1)[1], set()).add(
            str(r["agency"]).rsplit("/", 1)[1]
        )
    assert "northumbria-police" in by["sunderland-ilacs-2021-08-20"]
    assert "together-for-children" in by["sunderland-ilacs-2021-08-20"]  # delivering in 2021
    assert "sunderland-city-council" in by["sunderland-sif-2015-07-20"]  # before TfC existed
    assert "together-for-children" not in by["sunderland-sif-2015-07-20"]
    gateshead = by["gateshead-focused-visit-2021-10-27"]
    # the front door is named ("all front door teams"); health is not: "poor mental health
    # and neglect" is the families' need, not an agency (it was one before the strict reading)
    assert {"gateshead-borough-council", "gateshead-mash"} <= gateshead
    assert "gateshead-health-partners" not in gateshead
    assert "nhs-north-east-and-north-cumbria-icb" not in gateshead  # ICBs begin in July 2022
    assert (
        "nhs-north-east-and-north-cumbria-icb" in by["sunderland-focused-visit-2023-11-29"]
        or "sunderland-health-partners" not in by["sunderland-focused-visit-2023-11-29"]
    )
    # the inspectorate is the author, never a partner ("judged good or better by Ofsted")
    assert all("ofsted" not in agencies for agencies in by.values()), by
    # no finding concerns a generic placeholder of another authority
    for inspection, agencies in by.items():
        la = inspection.split("-")[0]
        assert all(
            not a.endswith(("-mash", "-schools", "-health-partners")) or a.startswith(la)
            for a in agencies
        ), inspection


def test_findings_by_theme_keeps_findings_that_name_no_agency(built):
    """An agentless finding ("plans are not timely") is still a finding of its theme."""
    from inspectgraph import queries

    store, _ = built
    q = queries.get("findings-by-theme")
    found = store.query(*q.prepare({"theme": "planning_and_review"})).dicts()
    assert found and any(r.get("agencyLabel") is None for r in found)
    assert any(r.get("agencyLabel") is not None for r in found)


def test_criticised_agencies_are_concerned_and_agentless_findings_concern_none(built):
    """ig:criticises is a sub-property of ig:concerns, asserted beside it; findings that name
    no agency concern none (they belong to their inspection); no generic partners node."""
    store, _ = built
    criticised = rows(
        store,
        f"""SELECT ?f ?a WHERE {{ ?f <{IG}criticises> ?a .
        FILTER NOT EXISTS {{ ?f <{IG}concerns> ?a }} }}""",
    )
    assert criticised == []
    assert rows(store, f"SELECT ?f WHERE {{ ?f <{IG}criticises> ?a }} LIMIT 1")
    agentless = rows(
        store,
        f"""SELECT ?f WHERE {{ ?f a <{IG}Finding> ; <{IG}fromInspection> ?i .
        FILTER NOT EXISTS {{ ?f <{IG}concerns> ?a }} }} LIMIT 1""",
    )
    assert agentless


@pytest.mark.slow
def test_the_store_conforms_and_a_rebuild_changes_nothing(built, corpus, cli_run, tmp_path):
    store, _ = built
    from rdflib import Graph

    from inspectgraph.graph.shacl import validate_graph

    g = Graph()
    for s, p, o, _ in store.quads():
        g.add((s, p, o))
    assert validate_graph(g) == []
    before = store.digest()
    build(store, documents=find_sources([corpus / DOCS[2]]))
    assert store.digest() == before


@pytest.mark.slow  # two seconds or more: the full suite only
@pytest.mark.parametrize("kind", ["oxigraph", pytest.param("memory", marks=pytest.mark.slow)])
def test_a_bad_document_is_one_line_and_nothing_is_written(corpus, tmp_path, bundled_copy):
    bad = tmp_path / "letter.pdf"
    shutil.copy(corpus / "pdf" / "80429_birmingham_2012-10-19_not-a-pdf.pdf", bad)
    with bundled_copy("s") as store:  # the bundled data, as build(store) leaves it
        before = store.digest()
        with pytest.raises(DocumentsError) as info:
            build(store, documents=find_sources([corpus / DOCS[2], bad]))
        assert store.digest() == before
    [line] = info.value.problems
    assert line.startswith("letter.pdf: ") and "\n" not in line


def test_corpus_folders_need_a_manifest(tmp_path):
    with pytest.raises(InputError, match="no manifest.csv"):
        find_sources([], tmp_path)
    (tmp_path / "manifest.csv").write_text("path,urn\nnope.txt,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"manifest.csv row 2: nope.txt: no such file"):
        find_sources([], tmp_path)


@pytest.mark.slow  # two seconds or more: the full suite only
def test_build_corpus_command_reports_progress_time_and_memory(
    cli_run, mini_corpus, corpus, tmp_path
):
    """`build --corpus`, then single documents into the same store: a bad one fails the
    build (exit 2, naming it), and with --keep-going it is skipped and the good one built.
    (The keep-going check was a test of its own, on an empty store: merged here to spare
    two builds of the bundled data.)"""
    folder = mini_corpus
    store = tmp_path / "s"
    result = cli_run("build", "--corpus", folder, "--store", store, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "documents" in result.output  # the progress bar's label
    assert re.search(r"documents: 2 letters and reports, [\d,]+ findings", result.output)
    assert re.search(
        r"[\d,]+ triples, digest \w+, [\d.]+ s, peak memory process \d+ MB", result.output
    )
    names_before = _graph_names(store)
    # a single document, with its manifest row found beside it, and a bad one
    bad = tmp_path / "letter.pdf"
    shutil.copy(corpus / "pdf" / "80429_birmingham_2012-10-19_not-a-pdf.pdf", bad)
    good = folder / DOCS[2]
    result = cli_run("build", good, bad, "--store", store)
    assert result.exit_code == 2 and "letter.pdf" in result.output
    assert _graph_names(store) == names_before  # nothing written
    result = cli_run("build", good, bad, "--keep-going", "--store", store)
    assert result.exit_code == 0, result.output
    assert "skipped: letter.pdf: " in result.output
    assert "documents: 1 letters and reports" in result.output
    assert any("/graph/document/" in n for n in _graph_names(store))


def _graph_names(store) -> list[str]:
    with open_store(store, read_only=True) as s:
        return sorted(str(n) for n in s.graph_names())


def _bad_polarity(monkeypatch):
    """Documents written with a theme where their findings' polarity belongs."""
    import inspectgraph.graph.documents as documents

    real = documents.concept
    monkeypatch.setattr(
        documents,
        "concept",
        lambda scheme, key: (
            real("themes", "front_door") if scheme == "polarity" else real(scheme, key)
        ),
    )


@pytest.mark.slow  # two seconds or more: the full suite only
@pytest.mark.parametrize("empty", [True, False])
def test_a_document_breaking_the_shapes_is_caught_where_it_is_made_and_nothing_is_written(
    corpus, tmp_path, monkeypatch, empty, bundled_templates
):
    """Checked in the extraction worker (the shapes compiled to Python) and streamed to the
    store: a violation leaves the store as it was, empty or not."""
    from inspectgraph.errors import ValidationFailed

    if not empty:  # what build(store) leaves, built once per run and copied
        shutil.copytree(bundled_templates["oxigraph"], tmp_path / "s")
    with open_store(tmp_path / "s") as store:
        before = store.digest()
        _bad_polarity(monkeypatch)
        with pytest.raises(ValidationFailed, match="polarity"):
            build(store, documents=find_sources([corpus / DOCS[2]]), jobs=1)
        assert store.digest() == before
        assert bool(store.graph_names()) is not empty


@pytest.mark.slow  # two seconds or more: the full suite only
def test_strict_also_runs_the_full_shacl_gate(corpus, tmp_path, monkeypatch):
    """With the compiled checks blinded, only `build --strict` (the shapes compiled to SPARQL,
    in a staging store) catches the bad document."""
    from inspectgraph.errors import ValidationFailed
    from inspectgraph.graph import shaclpy

    monkeypatch.setattr(shaclpy, "document_checks", lambda: shaclpy.DocumentChecks())
    _bad_polarity(monkeypatch)
    with open_store(tmp_path / "s") as store:
        with pytest.raises(ValidationFailed, match="polarity"):
            build(store, documents=find_sources([corpus / DOCS[2]]), jobs=1, strict=True)
        assert store.graph_names() == []


@pytest.mark.slow
def test_a_source_url_that_is_no_iri_is_one_line_naming_the_document(
    corpus, tmp_path, corpus_rows_copier
):
    # the store loads the build's N-Quads without checking IRIs again: the worker checks them
    def broken(rows):
        picked = [dict(r) for r in rows if r["path"] == DOCS[2]]
        picked[0]["source_url"] = "https://example.org/a letter"
        return picked

    folder = corpus_rows_copier(corpus, tmp_path / "c", broken)
    store = open_store(tmp_path / "s")
    with pytest.raises(DocumentsError) as info:
        build(store, documents=find_sources([], folder))
    [line] = info.value.problems
    assert line.startswith(DOCS[2] + ": its source URL is not a valid IRI")
    assert not list(store.graph_names())  # nothing written
    store.close()
