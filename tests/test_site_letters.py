"""The linked-data site on real corpus letters: quotes in reading order, paging, reports
and findings, hostile labels that stay text, and the pages in headless Chromium."""

from __future__ import annotations

import html
import json
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Graph

from inspectgraph.endpoint.serve import Endpoint, EndpointConfig
from inspectgraph.endpoint.site import data as site_data
from inspectgraph.endpoint.site import pieces as site_pieces
from inspectgraph.graph.stores import open_store

sys.path.insert(0, str(Path(__file__).parent))
from site_app import (  # noqa: E402
    ARTIFACTS,
    CORPUS_DOCS,
    FOCUSED_VISIT,
    IG,
    SUNDERLAND,
    get,
    make_app,
    store_rows,
    text_of,
)


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


@pytest.mark.slow
def test_long_lists_are_paged(real, corpus_store, monkeypatch):
    monkeypatch.setattr(site_data, "PAGE_SIZE", 10)
    monkeypatch.setattr(site_pieces, "PAGE_SIZE", 10)
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@contextmanager
def site_in_browser(browser, store):
    """The site over ``store`` open in :func:`open_checked`'s page: yields (endpoint, page);
    once the block is done, nothing has left the server and no script failed or asked."""
    config = EndpointConfig(memory_limit=0, memory_budget=0, timeout=60)
    with Endpoint(store, config=config) as ep:
        context, page, report = open_checked(browser, ep.base_url)
        try:
            yield ep, page
        finally:
            context.close()
    assert report == {"foreign": [], "errors": [], "dialogs": []}


@pytest.mark.browser
def test_site_pages_in_headless_chromium(browser, corpus_store, hostile_store, xss_payloads):
    """Home, an authority, an agency and an inspection (real letters) and the hostile
    records' pages: nothing leaves the server, no script error, payloads shown as text.
    Screenshots go to test-artifacts/ for a look by eye."""
    ARTIFACTS.mkdir(exist_ok=True)
    with site_in_browser(browser, corpus_store) as (ep, page):
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
    with site_in_browser(browser, hostile_store) as (ep, page):
        page.goto(ep.base_url + "/id/agency/evil-council")
        assert page.locator("h1").inner_text() == xss_payloads[0]
        assert page.evaluate("document.scripts.length") == 0
        page.screenshot(path=str(ARTIFACTS / "site-hostile-authority.png"), full_page=True)
        page.goto(ep.base_url + "/id/inspection/evil-2020")
        assert xss_payloads[4] in page.locator("mark").first.inner_text()
        assert page.evaluate("document.scripts.length") == 0
        page.screenshot(path=str(ARTIFACTS / "site-hostile-inspection.png"), full_page=True)


@pytest.mark.slow
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


@pytest.mark.slow
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
