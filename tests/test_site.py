"""The linked-data site of `inspectgraph serve`: the graph's IRIs dereference as HTML or
RDF, the pages show what the store holds (demo store, real corpus letters), every value
stays text, and the pages work offline in headless Chromium."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from inspectgraph.endpoint.serve import EndpointConfig
from inspectgraph.endpoint.site import markup as site_markup

sys.path.insert(0, str(Path(__file__).parent))
from site_app import ID, SUNDERLAND, get, make_app, store_rows, text_of  # noqa: E402


@pytest.fixture(scope="module")
def demo(built_store_dir):
    return make_app(built_store_dir)


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
        assert f'href="{site_markup.local_path(str(council))}"' in body


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
        assert f'href="{site_markup.local_path(str(i))}"' in page
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


def test_the_row_cap_is_for_clients_not_for_the_pages(built_store_dir):
    app = make_app(built_store_dir, EndpointConfig(memory_limit=0, memory_budget=0, max_rows=3))
    status, _, body = get(app, SUNDERLAND)
    assert status == 200 and body.count(b'class="finding ') > 3
    status, _, body = get(
        app, "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D", "text/csv"
    )
    assert status == 400 and b"more than 3 rows" in body
