"""The linked-data site of `inspectgraph serve`: the graph's IRIs dereference as HTML or
RDF, the pages show what the store holds (demo store, real corpus letters), every value
stays text, and the pages work offline in headless Chromium."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from inspectgraph.endpoint.evaluation import evaluate
from inspectgraph.endpoint.serve import Endpoint, EndpointConfig, SparqlApp
from inspectgraph.endpoint.site import data as site_data
from inspectgraph.endpoint.site import pages as site_pages
from inspectgraph.graph.stores import open_store

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
ID = "https://w3id.org/inspectgraph/id/"
IG = "https://w3id.org/inspectgraph/def/"
SUNDERLAND = "/id/agency/sunderland-city-council"
# four real letters and reports of the corpus: three of Sunderland's, one of Gateshead's
CORPUS_DOCS = (
    "focused-visits/80566_sunderland_2021-05-11.txt",
    "focused-visits/80566_sunderland_2023-11-29.txt",
    "inspections/80566_sunderland_2021-08-20.txt",
    "focused-visits/80469_gateshead_2021-10-27.txt",
)
FOCUSED_VISIT = "/id/inspection/sunderland-focused-visit-2021-05-11"


class InProcessPool:
    """The endpoint's worker pool, evaluating in this process (same `evaluate`)."""

    def __init__(self, path: Path):
        self.store = ox.Store.read_only(str(path))
        self.triples = len(self.store)

    def run(self, job, timeout):
        return evaluate(self.store, job)


def make_app(path: Path, config: EndpointConfig | None = None) -> SparqlApp:
    pool = InProcessPool(path)
    names = sorted(g.value for g in pool.store.named_graphs())
    return SparqlApp(pool, config or EndpointConfig(), names)


def get(app, target: str, accept: str = "text/html", method: str = "GET"):
    """(status, headers, body) of one request to the WSGI application."""
    path, _, query = target.partition("?")
    environ: dict = {}
    setup_testing_defaults(environ)
    environ.update(
        PATH_INFO=path.encode("utf-8").decode("latin-1"),
        QUERY_STRING=query,
        REQUEST_METHOD=method,
        HTTP_ACCEPT=accept,
    )
    seen = {}

    def start_response(status, headers):
        seen["status"] = int(status.split()[0])
        seen["headers"] = dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture(scope="module")
def demo(built_store_dir):
    return make_app(built_store_dir)


@pytest.fixture(scope="module")
def corpus_store(corpus, corpus_rows_copier, tmp_path_factory):
    """The bundled records and four real corpus documents, built by the command line."""
    from click.testing import CliRunner

    from inspectgraph.cli.main import cli

    root = tmp_path_factory.mktemp("site-corpus")
    folder = corpus_rows_copier(
        corpus, root / "corpus", lambda rows: [r for r in rows if r["path"] in CORPUS_DOCS]
    )
    store = root / "store"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(folder), "--store", str(store)])
    assert result.exit_code == 0, result.output[-2000:]
    return store


@pytest.fixture(scope="module")
def real(corpus_store):
    return make_app(corpus_store)


def store_rows(path: Path, query: str) -> list[tuple]:
    with open_store(path, read_only=True) as store:
        return store.query(site_data.PREFIXES + query).rows


def text_of(body: bytes) -> str:
    """The page's text, tags removed and entities decoded (whitespace folded)."""
    no_style = re.sub(r"<style>.*?</style>", "", body.decode("utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", no_style)).split())


# ---------------------------------------------------------------------- content negotiation


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("*/*", "text/turtle"),
        ("", "text/turtle"),
        ("application/ld+json;q=0.5, text/turtle;q=0.9", "text/turtle"),
        ("application/json", "application/ld+json"),
    ],
)
def test_an_iri_dereferences_by_content_negotiation(demo, accept, media):
    status, headers, body = get(demo, SUNDERLAND, accept)
    assert status == 200
    assert headers["Content-Type"].startswith(media)
    assert "Accept" in headers["Vary"]
    if media != "text/html":
        fmt = {
            "text/turtle": "turtle",
            "application/ld+json": "json-ld",
            "application/n-triples": "nt",
            "application/rdf+xml": "xml",
        }[media]
        g = Graph().parse(data=body, format=fmt)
        assert (URIRef(ID + "agency/sunderland-city-council"), None, None) in g


def test_rdf_is_what_the_store_says_about_the_iri(demo, built_store_dir):
    """Every triple with the IRI as subject, once, in each format."""
    iri = URIRef(ID + "agency/northumbria-police")
    expected = {
        (iri, p, o)
        for p, o in store_rows(
            built_store_dir, f"SELECT DISTINCT ?p ?o WHERE {{ {iri.n3()} ?p ?o }}"
        )
    }
    assert len(expected) > 5
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        status, _, body = get(demo, f"/id/agency/northumbria-police?format={fmt}")
        assert status == 200
        assert set(Graph().parse(data=body, format=parser)) == expected


def test_format_parameter_and_extension_override_accept(demo):
    status, headers, body = get(demo, SUNDERLAND + "?format=ttl", "text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    status, headers, body = get(demo, SUNDERLAND + ".jsonld", "text/html")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    assert json.loads(body)
    status, headers, _ = get(demo, SUNDERLAND + ".nt")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    status, headers, _ = get(demo, SUNDERLAND + "?format=html", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert get(demo, SUNDERLAND + "?format=pdf")[0] == 400
    status, _, body = get(demo, SUNDERLAND, "image/png")
    assert status == 406 and b"text/turtle" in body


def test_ontology_terms_and_concepts_dereference(demo):
    for path in ("/def/", "/def/Finding", "/def/theme/front_door", "/def/themes"):
        status, headers, body = get(demo, path, "text/turtle")
        assert status == 200, path
        assert len(Graph().parse(data=body, format="turtle")) > 0, path
        status, headers, body = get(demo, path)
        assert status == 200 and headers["Content-Type"].startswith("text/html"), path
    assert "Front door" in text_of(get(demo, "/def/theme/front_door")[2])
    ontology = get(demo, "/def/")[2].decode()  # the ontology lists its terms
    for term in ("/def/Finding", "/def/exact", "/def/themes", "/def/inspectedBody"):
        assert f'href="{term}"' in ontology


def test_unknown_iris_are_404_and_bad_requests_are_refused(demo):
    for path in ("/id/agency/no-such-agency", "/id/", "/def/NoSuchClass", "/id/agency/x.ttl"):
        status, headers, body = get(demo, path)
        assert status == 404, path
        assert headers["Content-Type"].startswith("text/html")
        assert get(demo, path, "text/turtle")[0] == 404
    status, _, body = get(demo, "/id/<script>alert(1)</script>")
    assert status == 404 and b"<script>alert" not in body and b"&lt;script&gt;" in body
    assert get(demo, "/browse", method="POST")[0] == 405
    assert get(demo, SUNDERLAND + "?page=0")[0] == 400
    assert get(demo, SUNDERLAND + "?polarity=evil")[0] == 400
    assert get(demo, SUNDERLAND + "?theme=no_such_theme")[0] == 404
    assert get(demo, "/elsewhere")[0] == 404


def test_the_query_page_and_endpoint_stay_where_they_were(demo):
    status, headers, body = get(demo, "/")
    assert status == 200 and b"SPARQL" in body and b'id="query"' in body
    status, headers, body = get(
        demo, "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "application/json"
    )
    assert status == 200 and json.loads(body)["boolean"] is True


# ---------------------------------------------------------------------- pages (demo store)


def test_pages_allow_no_script_and_nothing_from_elsewhere(demo):
    for path in ("/browse", SUNDERLAND, "/id/agency/northumbria-police", "/def/"):
        status, headers, body = get(demo, path)
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert b"<script" not in body
        # nothing loaded from anywhere: no src=, no stylesheet link, no url() or @import
        # (links to elsewhere, such as a report on Ofsted's site, are followed only on a click)
        assert not re.search(rb"\ssrc=|<link|url\(|@import", body)


def test_home_finds_authorities_and_agencies_by_name(demo):
    status, _, body = get(demo, "/browse?q=SUNDER")
    text = text_of(body)
    assert status == 200
    assert 'href="/id/agency/sunderland-city-council"' in body.decode()
    assert "Sunderland Safeguarding Children Partnership" in text
    # authorities first
    assert text.index("inspected authority") < text.index("Sunderland Safeguarding")
    status, _, body = get(demo, "/browse?q=northumbria+police")
    assert 'href="/id/agency/northumbria-police"' in body.decode()
    assert "No authority or agency" in text_of(get(demo, "/browse?q=zzqqxx")[2])
    status, _, body = get(demo, "/browse?q=sunderlnd")
    assert "Nearest names" in text_of(body)
    assert 'href="/id/agency/sunderland-city-council"' in body.decode()
    # every authority is listed by region on the home page
    body = get(demo, "/browse")[2].decode()
    with_inspections = store_rows_of(demo, "SELECT DISTINCT ?c WHERE { ?i ig:inspectedBody ?c }")
    for (council,) in with_inspections:
        assert f'href="{site_pages.local_path(str(council))}"' in body


def store_rows_of(app, query: str) -> list[tuple]:
    return app.site.data.rows(query)


def test_authority_page_shows_inspections_grades_themes_and_partnerships(demo, built_store_dir):
    status, _, body = get(demo, SUNDERLAND)
    page = body.decode()
    text = text_of(body)
    assert status == 200
    inspections = store_rows(
        built_store_dir,
        "SELECT DISTINCT ?i WHERE { ?i ig:inspectedBody <https://w3id.org/inspectgraph/id/agency/sunderland-city-council> }",
    )
    assert len(inspections) >= 5
    for (i,) in inspections:
        assert f'href="{site_pages.local_path(str(i))}"' in page
    # the grades: each overall effectiveness judgement, and the chart of them
    grades = store_rows(
        built_store_dir,
        "SELECT DISTINCT ?i ?label WHERE { ?i ig:inspectedBody <https://w3id.org/inspectgraph/id/agency/sunderland-city-council> ; "
        "ig:judgement ?j . ?j ig:area <https://w3id.org/inspectgraph/def/judgement-area/overall_effectiveness> ; "
        "ig:grade/skos:prefLabel ?label }",
    )
    assert {str(g) for (_, g) in grades} <= set(re.findall(r'class="grade g\d">([^<]+)<', page))
    assert page.count("<circle") == len(grades) + 1  # + the 2012 safeguarding judgement
    # themes, with their counts as the store has them
    (front_door,) = store_rows(
        built_store_dir,
        "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?i ig:inspectedBody "
        "<" + ID + "agency/sunderland-city-council> . ?f ig:fromInspection ?i ; dcterms:subject "
        "<https://w3id.org/inspectgraph/def/theme/front_door> }",
    )[0]
    assert "Front door" in text and f"{int(front_door)} findings" in text
    # the co-criticism analysis: the police and the company, with a lift
    assert "Northumbria Police & Together for Children" in text
    assert "Lift" in text and re.search(r'<td class="num">\d+\.\d\d</td>', page)


def test_theme_list_pages_and_filters(demo):
    status, _, body = get(demo, SUNDERLAND + "?theme=front_door")
    text = text_of(body)
    assert status == 200 and "Sunderland: Front door" in text
    all_count = int(re.search(r"(\d+) findings, latest first", text).group(1))
    _, _, body = get(demo, SUNDERLAND + "?theme=front_door&polarity=strength")
    strengths = int(re.search(r"(\d+) findings, latest first", text_of(body)).group(1))
    assert 0 < strengths < all_count
    assert "badge bad" not in body.decode() and "badge good" in body.decode()


def test_agency_page_lists_its_findings_and_authorities(demo, built_store_dir):
    status, _, body = get(demo, "/id/agency/northumbria-police")
    text = text_of(body)
    assert status == 200 and "Northumbria Police" in text
    (n,) = store_rows(
        built_store_dir,
        "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f ig:concerns <https://w3id.org/inspectgraph/id/agency/northumbria-police> }",
    )[0]
    assert text.count("finding ") + text.count("finding themes") >= 1
    assert body.decode().count('class="finding ') == int(n)
    assert "Named in the inspections of" in text and "Sunderland" in text
    assert "Named together with" in text and "Together for Children" in text


# ---------------------------------------------------------------------- pages (real letters)


@pytest.mark.slow  # two seconds or more: the full suite only
def test_inspection_page_quotes_each_finding_in_reading_order(real, corpus_store):
    status, _, body = get(real, FOCUSED_VISIT)
    page = body.decode()
    assert status == 200
    rows = store_rows(
        corpus_store,
        "SELECT DISTINCT ?f ?exact ?start WHERE { ?f ig:fromInspection "
        "<https://w3id.org/inspectgraph/id/inspection/sunderland-focused-visit-2021-05-11> ; ig:exact ?exact ; ig:start ?start }",
    )
    assert len(rows) > 20
    marks = [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", page, flags=re.S)]
    by_start = sorted(rows, key=lambda r: int(r[2]))
    assert marks[: len(by_start)] == [" ".join(str(r[1]).split()) for r in by_start]
    # the context around the first quote is the finding's prefix and suffix
    first = by_start[0][0]
    prefix, suffix = store_rows(
        corpus_store, f"SELECT ?p ?s WHERE {{ {first.n3()} ig:prefix ?p ; ig:suffix ?s }}"
    )[0]
    assert html.escape(" ".join(str(prefix).split())) in page
    assert html.escape(" ".join(str(suffix).split())) in page
    assert "Focused visit to Sunderland children" in text_of(body)


def test_long_lists_are_paged(real, corpus_store, monkeypatch):
    monkeypatch.setattr(site_data, "PAGE_SIZE", 10)
    monkeypatch.setattr(site_pages, "PAGE_SIZE", 10)
    (total,) = store_rows(
        corpus_store,
        "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f ig:fromInspection "
        "<https://w3id.org/inspectgraph/id/inspection/sunderland-focused-visit-2021-05-11> }",
    )[0]
    seen = []
    page = 1
    while True:
        status, _, body = get(real, f"{FOCUSED_VISIT}?page={page}")
        assert status == 200
        found = re.findall(r'href="(/id/finding/[^"]+)">finding<', body.decode())
        if not found:
            break
        assert len(found) <= 10
        seen += found
        if "next →" not in body.decode():
            break
        page += 1
    assert page == -(-int(total) // 10)
    assert len(seen) == len(set(seen)) == int(total)


def test_authority_page_on_real_letters_links_each_quote_to_its_report(real):
    status, _, body = get(real, SUNDERLAND + "?polarity=weakness,mixed")
    page = body.decode()
    assert status == 200
    assert page.count("<details") >= 5
    assert page.count("<mark>") >= 10
    assert "Weakness" in page and "Strength</span>" not in page
    assert re.search(r'href="/id/report/[^"]+">Focused visit to Sunderland children', page)
    status, _, body = get(real, "/id/agency/together-for-children")
    assert status == 200 and body.decode().count("<mark>") >= 10


def test_finding_and_report_pages(real):
    _, _, body = get(real, FOCUSED_VISIT)
    finding = re.search(r'href="(/id/finding/[^"]+)">finding<', body.decode()).group(1)
    status, _, body = get(real, finding)
    page = body.decode()
    assert status == 200 and "<mark>" in page and "exact text" in text_of(body)
    report = re.search(r'href="(/id/report/[^"]+)"', page).group(1)
    status, _, body = get(real, report)
    assert status == 200 and "Pointing here" in text_of(body)


# ---------------------------------------------------------------------- hostile labels


def hostile_records(p: list[str]) -> str:
    q = [json.dumps(x) for x in p]
    return f"""format: inspectgraph-records/1
title: {q[0]}
agencies:
  - {{id: evil-council, label: {q[0]}, type: local_authority, alt_labels: [{q[6]}],
      description: {q[2]}}}
  - {{id: evil-police, label: {q[1]}, type: police, description: {q[2]}}}
inspections:
  - id: evil-2020
    la: evil-council
    type: focused_visit
    judgements: {{overall_effectiveness: good}}
    documents: [{{id: letter, title: {q[5]}, published: 2020-01-01,
                 url: "https://example.org/a?b=1&c='x'"}}]
findings:
  - {{id: f1, inspection: evil-2020, polarity: weakness, themes: [front_door],
      agencies: [evil-council, evil-police], summary: {q[3]},
      quote: {{exact: {q[4]}, prefix: {q[3]}, suffix: {q[1]}, start: 5, end: {5 + len(p[4])}}}}}
"""


@pytest.fixture
def hostile_store(tmp_path, xss_payloads):
    """Records with the shared payloads in every label, title, quote and description."""
    from click.testing import CliRunner

    from inspectgraph.cli.main import cli

    root = tmp_path
    (root / "evil.yaml").write_text(hostile_records(xss_payloads))
    result = CliRunner().invoke(
        cli, ["build", str(root / "evil.yaml"), "--store", str(root / "store")]
    )
    assert result.exit_code == 0, result.output
    return root / "store"


def test_hostile_labels_stay_text(hostile_store, xss_payloads):
    app = make_app(hostile_store)
    paths = [
        "/browse?q=" + "%3Cscript",
        "/id/agency/evil-council",
        "/id/agency/evil-police",
        "/id/inspection/evil-2020",
        "/id/report/evil-2020/letter",
    ]
    for path in paths:
        status, _, body = get(app, path)
        page = body.decode()
        assert status == 200, path
        for payload in xss_payloads:
            if "<" in payload or '"' in payload:
                assert payload not in page, (path, payload)
        assert "<script" not in page and "onerror=" not in page.replace("onerror=alert", "")
        assert 'href="javascript' not in page.lower()
    page = get(app, "/id/agency/evil-council")[2].decode()
    assert html.escape(xss_payloads[0]) in page  # shown, as text


# ---------------------------------------------------------------------- a real browser


def open_checked(browser, base: str):
    """A page that counts every request leaving the server and every script error."""
    report = {"foreign": [], "errors": [], "dialogs": []}
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(r):
        if r.request.url.startswith(base):
            return r.continue_()
        report["foreign"].append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and report["errors"].append(m.text))
    page.on("pageerror", lambda exc: report["errors"].append(str(exc)))

    def on_dialog(dialog):
        report["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return context, page, report


@pytest.mark.browser
def test_site_pages_in_headless_chromium(browser, corpus_store, hostile_store, xss_payloads):
    """Home, an authority, an agency and an inspection (real letters) and the hostile
    records' pages: nothing leaves the server, no script error, payloads shown as text.
    Screenshots go to test-artifacts/ for a look by eye."""
    ARTIFACTS.mkdir(exist_ok=True)
    with Endpoint(corpus_store, config=EndpointConfig(timeout=60)) as ep:
        context, page, report = open_checked(browser, ep.base_url)
        try:
            page.goto(ep.base_url + "/browse")
            page.fill("header input[name=q]", "sunderland")
            page.press("header input[name=q]", "Enter")
            page.wait_for_url("**/browse?q=sunderland")
            page.screenshot(path=str(ARTIFACTS / "site-home.png"), full_page=True)
            page.click("table.results a:text('Sunderland')")
            page.wait_for_url("**" + SUNDERLAND)
            page.click("details.theme summary >> nth=0")
            assert page.locator("details.theme[open] mark").count() >= 1
            page.screenshot(path=str(ARTIFACTS / "site-authority.png"), full_page=True)
            assert page.locator("svg.chart circle").count() >= 3
            page.goto(ep.base_url + "/id/agency/together-for-children")
            assert page.locator("h1").inner_text() == "Together for Children"
            page.screenshot(path=str(ARTIFACTS / "site-agency.png"), full_page=True)
            page.goto(ep.base_url + FOCUSED_VISIT)
            assert page.locator(".finding mark").count() > 20
            page.screenshot(path=str(ARTIFACTS / "site-inspection.png"), full_page=True)
            page.click("a:text('Turtle')")
            assert "ig:" in page.content() or "inspectgraph/def/" in page.content()
        finally:
            context.close()
    assert report == {"foreign": [], "errors": [], "dialogs": []}
    with Endpoint(hostile_store, config=EndpointConfig(timeout=60)) as ep:
        context, page, report = open_checked(browser, ep.base_url)
        try:
            page.goto(ep.base_url + "/id/agency/evil-council")
            assert page.locator("h1").inner_text() == xss_payloads[0]
            assert page.evaluate("document.scripts.length") == 0
            page.screenshot(path=str(ARTIFACTS / "site-hostile-authority.png"), full_page=True)
            page.goto(ep.base_url + "/id/inspection/evil-2020")
            assert xss_payloads[4] in page.locator("mark").first.inner_text()
            assert page.evaluate("document.scripts.length") == 0
            page.screenshot(path=str(ARTIFACTS / "site-hostile-inspection.png"), full_page=True)
        finally:
            context.close()
    assert report == {"foreign": [], "errors": [], "dialogs": []}


def test_a_page_whose_query_overruns_says_so(built_store_dir):
    """The pages read through the endpoint's workers: a query stopped at the time limit
    makes the page a 503 naming it, never a page with part of the data."""
    from inspectgraph.endpoint.negotiation import HTTPError

    app = make_app(built_store_dir)

    def overrun(job, timeout):
        raise HTTPError(503, "the query exceeded the time limit of 30 s and was stopped")

    app.pool.run = overrun
    status, headers, body = get(app, SUNDERLAND)
    assert status == 503 and headers["Content-Type"].startswith("text/html")
    assert "time limit" in text_of(body)
    status, headers, body = get(app, SUNDERLAND, "text/turtle")
    assert status == 503 and b"time limit" in body


def test_head_requests(demo):
    status, headers, body = get(demo, SUNDERLAND, method="HEAD")
    assert status == 200 and body == b"" and headers["Content-Type"].startswith("text/html")


def test_a_finding_carries_its_web_annotation_quotation(real, corpus_store):
    """A finding's RDF adds the Web Annotation form `export` writes, and the quotation's
    IRIs (which the store keeps folded onto the finding) dereference."""
    from inspectgraph.graph.annotation import annotation_quads

    _, _, body = get(real, FOCUSED_VISIT)
    path = re.search(r'href="(/id/finding/[^"]+)">finding<', body.decode()).group(1)
    iri = "https://w3id.org/inspectgraph" + path
    with open_store(corpus_store, read_only=True) as store:
        expected = {
            (s, p, o)
            for s, p, o, _g in annotation_quads(store)
            if str(s) == iri or str(s).startswith(iri + "/quote")
        }
    assert len(expected) >= 10
    served = Graph().parse(data=get(real, path, "text/turtle")[2], format="turtle")
    quotation = {
        t for t in served if str(t[0]).startswith(iri + "/quote") or str(t[1]) == IG + "quotation"
    }
    assert quotation == expected
    status, _, body = get(real, path + "/quote/position", "application/n-triples")
    assert status == 200
    assert {str(t[1]) for t in Graph().parse(data=body, format="nt")} >= {
        "http://www.w3.org/ns/oa#start",
        "http://www.w3.org/ns/oa#end",
    }
    status, headers, _ = get(real, path + "/quote")
    assert status == 303 and headers["Location"] == path
    assert get(real, path + "/quote/other")[0] == 404
    assert get(real, SUNDERLAND + "/quote", "text/turtle")[0] == 404


def test_the_row_cap_is_for_clients_not_for_the_pages(built_store_dir):
    app = make_app(built_store_dir, EndpointConfig(max_rows=3))
    status, _, body = get(app, SUNDERLAND)
    assert status == 200 and body.count(b'class="finding ') > 3
    status, _, body = get(
        app, "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D", "text/csv"
    )
    assert status == 400 and b"more than 3 rows" in body


def test_a_class_most_of_the_graph_points_at_lists_its_first_resources_unsorted(
    real, corpus_store, monkeypatch
):
    """/def/Finding: past SORTED_INCOMING resources the page lists the first of each property
    without sorting them all (which took the engine 40 s on the national store), with the
    true total."""
    (total,) = store_rows(
        corpus_store,
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p WHERE { ?s ?p ig:Finding } }",
    )[0]
    assert int(total) > 20
    monkeypatch.setattr(site_data, "SORTED_INCOMING", 20)
    status, _, body = get(real, "/def/Finding")
    assert status == 200
    page = body.decode()
    assert f"(the first 50 of {int(total)})" in page
    shown = re.findall(r'href="(/id/finding/[^"]+)"', page)
    assert len(set(shown)) == 50
    every = {str(f) for (f,) in store_rows(corpus_store, "SELECT ?f WHERE { ?f a ig:Finding }")}
    assert {"https://w3id.org/inspectgraph" + s for s in shown} <= every
