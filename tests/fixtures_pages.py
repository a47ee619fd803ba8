"""Fixtures of the pages' tests: one headless Chromium a run, and hostile payloads (script
in every label, title, quote and description) in records and graphs.
"""

from __future__ import annotations

import json
import os

import networkx as nx
import pytest

CHROMIUM = "/usr/bin/chromium"


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def unavailable(reason: str):
    """Skip a test whose tool is missing, but fail it in CI, where every tool is required."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required when CI=true)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium, launched once per test run (each test opens its own
    context or page and closes it)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"Debian Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright (Python) is not installed (pip install playwright)")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


XSS_PAYLOADS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(2)",
    "</textarea><svg onload=alert(3)>",
    "\"'><iframe src=javascript:alert(4)>",
    "</script><script>alert(5)</script>",
    "{{7*7}}${7*7}",
]


def hostile_records() -> str:
    p = [json.dumps(x) for x in XSS_PAYLOADS]  # JSON strings are valid YAML scalars
    return f"""format: inspectgraph-records/1
title: {p[0]}
agencies:
  - {{id: evil-council, label: {p[0]}, type: local_authority, alt_labels: [{p[6]}]}}
  - {{id: evil-police, label: {p[1]}, type: police, description: {p[2]}}}
  - {{id: evil-health, label: {p[3]}, type: health}}
inspections:
  - id: evil-2020
    la: evil-council
    type: focused_visit
    visit_theme: {p[4]}
    documents: [{{id: letter, title: {p[5]}, published: 2020-01-01}}]
  - id: evil-2021
    la: evil-council
    type: focused_visit
    documents: [{{id: letter, title: {p[2]}, published: 2021-01-01}}]
findings:
  - {{id: f1, inspection: evil-2020, polarity: weakness, themes: [front_door],
      agencies: [evil-council, evil-police, evil-health], summary: {p[3]}, evidence: {p[5]}}}
  - {{id: f2, inspection: evil-2021, polarity: weakness, themes: [front_door],
      agencies: [evil-council, evil-police], summary: {p[1]}}}
"""


@pytest.fixture
def hostile_pages(tmp_path, cli_run):
    """Two partnership pages built from records with XSS payloads in every text field."""
    source = tmp_path / "evil.yaml"
    source.write_text(hostile_records())
    store = tmp_path / "store"
    assert cli_run("build", source, "--store", store).exit_code == 0
    page = tmp_path / "evil.html"
    result = cli_run(
        "viz", "partnerships", "--pairs", "all", "--out", page, "--la", XSS_PAYLOADS[6],
        "--store", store,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = cli_run(
        "viz", "partnerships", "--pairs", "all", "--out", tmp_path / "all.html", "--store", store
    )
    assert result.exit_code == 0, result.output
    return tmp_path / "all.html", page


@pytest.fixture
def xss_payloads() -> list[str]:
    return list(XSS_PAYLOADS)


@pytest.fixture
def demo_graph():
    """A partnership graph as the analysis gives it (for the page and figures): ten real
    agencies around Sunderland, with invented counts, communities and finding text."""
    iri = "https://w3id.org/inspectgraph/id/{}".format
    G = nx.Graph()
    agencies = [
        ("sunderland-city-council", "Sunderland City Council", "local_authority", 0),
        ("together-for-children", "Together for Children", "local_authority", 0),
        ("northumbria-police", "Northumbria Police", "police", 1),
        ("sunderland-ccg", "NHS Sunderland CCG", "health", 1),
        ("south-tyneside-sunderland-nhs", "South Tyneside and Sunderland NHS FT", "health", 1),
        (
            "sunderland-safeguarding-partnership",
            "Sunderland Safeguarding Partnership",
            "safeguarding_partnership",
            0,
        ),
        ("national-probation-service", "National Probation Service", "probation", 2),
        ("sunderland-yos", "Sunderland Youth Offending Service", "youth_justice", 2),
        ("cafcass", "Cafcass", "courts_cafcass", 2),
        ("gentoo", "Gentoo Group", "housing", 3),
    ]
    for key, label, kind, community in agencies:
        G.add_node(iri(key), label=label, agency_type=kind, community=community)
    pairs = [
        ("northumbria-police", "together-for-children", 9, 4, 3),
        ("northumbria-police", "sunderland-city-council", 5, 3, 3),
        ("together-for-children", "sunderland-city-council", 7, 4, 4),
        ("together-for-children", "sunderland-ccg", 3, 2, 2),
        ("sunderland-ccg", "south-tyneside-sunderland-nhs", 2, 1, 1),
        ("northumbria-police", "sunderland-safeguarding-partnership", 2, 2, 2),
        ("together-for-children", "sunderland-safeguarding-partnership", 4, 3, 2),
        ("national-probation-service", "sunderland-yos", 2, 1, 1),
        ("sunderland-yos", "together-for-children", 1, 1, 1),
        ("cafcass", "together-for-children", 1, 1, 1),
        ("gentoo", "sunderland-city-council", 1, 1, 1),
    ]
    for u, v, findings, inspections, years in pairs:
        G.add_edge(
            iri(u),
            iri(v),
            findings=findings,
            inspections=inspections,
            years=years,
            first="2019-05-15",
            last=f"{2019 + years}-02-01",
            themes=["information sharing", "front door"],
            example="Strategy discussions were not always held promptly.",
        )
    nx.set_node_attributes(G, nx.degree_centrality(G), "degree_centrality")
    nx.set_node_attributes(G, nx.betweenness_centrality(G), "betweenness")
    return G


#: Markup, script and entities for every field of a partnership page: drawn, they must
#: stay text.
PAGE_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "javascript:alert(3)",
    "\"'><svg onload=alert(4)>",
    "&lt;script&gt; & <!-- -->",
]


@pytest.fixture
def page_payloads() -> list[str]:
    return list(PAGE_PAYLOADS)


@pytest.fixture
def payload_graph(page_payloads):
    """A chain of agencies named by the payloads, each pair carrying them in its themes,
    dates and example finding."""
    G = nx.Graph()
    for i, p in enumerate(page_payloads):
        G.add_node(f"https://w3id.org/inspectgraph/id/evil-{i}?q={p}", label=p, agency_type=p)
    nodes = list(G)
    for i in range(len(nodes) - 1):
        G.add_edge(
            nodes[i],
            nodes[i + 1],
            findings=1,
            inspections=i + 1,
            years=1,
            first=page_payloads[i],
            last="2020-01-01",
            themes=page_payloads,
            example=page_payloads[i],
        )
    return G
