"""Letters and reports built into the graph: provenance, joining inspections, agencies
resolved through the registry, the SHACL gate, the command line."""

import hashlib
import re
import shutil

import pytest
from rdflib import URIRef

from inspectgraph.build import build
from inspectgraph.documents import DocumentsError, find_sources
from inspectgraph.errors import InputError
from inspectgraph.extract import read_document
from inspectgraph.ontology import ID
from inspectgraph.stores import open_store

DOCS = [
    "inspections/80566_sunderland_2021-08-20.txt",  # ILACS report, in the official history
    "focused-visits/80566_sunderland_2023-11-29.txt",  # in the Sunderland records
    "focused-visits/80469_gateshead_2021-10-27.txt",  # in no other source
    "inspections/80566_sunderland_2015-07-20.txt",  # SIF report
]
IG = "https://w3id.org/inspectgraph/def/"


_BUILT = {}


@pytest.fixture
def built(corpus, tmp_path_factory):
    """The bundled data and the four documents, built once for the module's tests."""
    if "store" not in _BUILT:
        store = open_store(tmp_path_factory.mktemp("docs") / "s")
        _BUILT["store"] = store
        _BUILT["report"] = build(store, documents=find_sources([corpus / d for d in DOCS]))
    return _BUILT["store"], _BUILT["report"]


def rows(store, query, **bindings):
    return store.query(
        query, {k: URIRef(v) if v.startswith("http") else v for k, v in bindings.items()}
    ).dicts()


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


def test_every_selector_slices_the_stored_rendition_exactly(built, corpus):
    store, _ = built
    for path in DOCS:
        doc = read_document(corpus / path)
        found = rows(
            store,
            f"""SELECT ?hash ?exact ?prefix ?suffix ?start ?end WHERE {{
            ?report <http://purl.org/dc/terms/identifier> "{path}",  ?hash .
            FILTER(STRSTARTS(STR(?hash), "sha256:"))
            ?q <http://www.w3.org/ns/oa#hasSource> ?report ;
               <http://www.w3.org/ns/oa#hasSelector> ?t, ?p .
            ?t <http://www.w3.org/ns/oa#exact> ?exact ; <http://www.w3.org/ns/oa#prefix> ?prefix ;
               <http://www.w3.org/ns/oa#suffix> ?suffix .
            ?p <http://www.w3.org/ns/oa#start> ?start ; <http://www.w3.org/ns/oa#end> ?end .
        }}""",
        )
        assert found, path
        assert {str(r["hash"]) for r in found} == {f"sha256:{doc.sha256}"}
        assert doc.sha256 == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        for r in found:
            start, end = int(r["start"]), int(r["end"])
            assert doc.text[start:end] == str(r["exact"])
            assert doc.text[:start].endswith(str(r["prefix"]))
            assert doc.text[end:].startswith(str(r["suffix"]))


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

    from inspectgraph.shacl import validate_graph

    g = Graph()
    for s, p, o, _ in store.quads():
        g.add((s, p, o))
    assert validate_graph(g) == []
    before = store.digest()
    build(store, documents=find_sources([corpus / DOCS[2]]))
    assert store.digest() == before


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


def test_build_corpus_command_reports_progress_time_and_memory(cli_run, mini_corpus, tmp_path):
    folder = mini_corpus
    result = cli_run("build", "--corpus", folder, "--store", tmp_path / "s", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "documents" in result.output  # the progress bar's label
    assert re.search(r"documents: 2 letters and reports, [\d,]+ findings", result.output)
    assert re.search(
        r"[\d,]+ triples, digest \w+, [\d.]+ s, peak memory process \d+ MB", result.output
    )
    # a single document, with its manifest row found beside it
    result = cli_run("build", folder / DOCS[2], "--store", tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert "documents: 1 letters and reports" in result.output


@pytest.mark.slow
def test_keep_going_skips_bad_documents_and_builds_the_good_ones(corpus, tmp_path, cli_run):
    bad = tmp_path / "letter.pdf"
    shutil.copy(corpus / "pdf" / "80429_birmingham_2012-10-19_not-a-pdf.pdf", bad)
    store = tmp_path / "s"
    good = corpus / DOCS[2]
    result = cli_run("build", good, bad, "--store", store)
    assert result.exit_code == 2 and "letter.pdf" in result.output
    result = cli_run("build", good, bad, "--keep-going", "--store", store)
    assert result.exit_code == 0, result.output
    assert "skipped: letter.pdf: " in result.output
    with open_store(store, read_only=True) as s:
        names = [str(n) for n in s.graph_names()]
    assert any("/graph/document/" in n for n in names)
