"""Real-browser tests of the partnership page: headless Debian Chromium.

The page is opened from a ``file://`` URL with every other request aborted
and counted; a page that works offline makes none.  Without Chromium or
Playwright the tests are skipped, unless ``CI=true``, where they fail.
"""

from pathlib import Path

import networkx as nx
import pytest

from inspectgraph.viz import write_partnership_page

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"


def open_page(browser, path, *, hover=None):
    """Open `path`, wait until the graph is drawn; return what happened."""
    report = {"aborted": [], "requests": [], "dialogs": [], "errors": []}
    context = browser.new_context(viewport={"width": 1400, "height": 900})

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            report["aborted"].append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()

    def on_request(request):
        if not request.url.startswith("file://"):
            report["requests"].append(request.url)

    def on_dialog(dialog):
        report["dialogs"].append(dialog.message)
        dialog.dismiss()

    def on_console(msg):
        if msg.type == "error":
            report["errors"].append(msg.text)

    page.on("request", on_request)
    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: report["errors"].append(str(exc)))
    page.goto(Path(path).resolve().as_uri())
    page.wait_for_function("window.inspectgraphReady === true", timeout=30_000)
    report["counts"] = page.evaluate("window.inspectgraphCounts")
    report["page"] = page
    report["context"] = context
    return report


def assert_offline_and_clean(report):
    assert report["aborted"] == [], "page tried to reach the network"
    assert report["requests"] == [], "page made non-file requests"
    assert report["dialogs"] == [], "a dialog was opened (script injection?)"
    assert report["errors"] == [], "console errors or uncaught exceptions"


def test_demo_page_draws_offline(browser, tmp_path, demo_graph):
    G = demo_graph
    path = tmp_path / "partnerships.html"
    write_partnership_page(G, path, title="Sunderland partnerships (demo)")
    report = open_page(browser, path)
    try:
        assert report["counts"] == {"nodes": 10, "edges": 11}
        assert_offline_and_clean(report)
        page = report["page"]
        legend = page.inner_text("#legend")
        assert "Police" in legend and "Local authority" in legend
        assert "inspections" in legend
        assert page.inner_text("h1") == "Sunderland partnerships (demo)"
        assert page.evaluate("document.querySelector('#graph canvas') !== null")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "partnerships.png"))
    finally:
        report["context"].close()


def test_thousand_node_page_draws_offline(browser, tmp_path):
    G = nx.gnm_random_graph(1000, 2000, seed=3)
    types = ["local_authority", "police", "health", "education", "probation", "mystery"]
    for v in G:
        G.nodes[v].update(label=f"Agency {v}", agency_type=types[v % len(types)])
    for k, (u, v) in enumerate(G.edges):
        G.edges[u, v].update(findings=k % 7 + 1, inspections=k % 4 + 1, example=f"F{k}")
    path = tmp_path / "big.html"
    write_partnership_page(G, path, seed=0)
    report = open_page(browser, path)
    try:
        assert report["counts"] == {"nodes": 1000, "edges": 2000}
        assert_offline_and_clean(report)
        ARTIFACTS.mkdir(exist_ok=True)
        report["page"].screenshot(path=str(ARTIFACTS / "partnerships-1000.png"))
    finally:
        report["context"].close()


def test_payload_page_runs_no_injected_code(browser, tmp_path, payload_graph, page_payloads):
    G = payload_graph
    path = tmp_path / "evil.html"
    write_partnership_page(G, path, title=page_payloads[0] + page_payloads[1])
    report = open_page(browser, path)
    try:
        page = report["page"]
        assert report["counts"] == {"nodes": len(page_payloads), "edges": len(page_payloads) - 1}
        assert page.inner_text("h1") == page_payloads[0] + page_payloads[1]
        # No element was created from the data anywhere in the document.
        assert page.evaluate("document.querySelectorAll('img, svg[onload], iframe').length") == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 3

        # Hover the <img> payload node: its tooltip shows the markup as text.
        target = page.evaluate(
            """() => {
                const ig = window.inspectgraph;
                const id = ig.nodes.getIds().find(i => ig.nodes.get(i).label.startsWith('<img'));
                const p = ig.network.canvasToDOM(ig.network.getPosition(id));
                const box = document.querySelector('#graph').getBoundingClientRect();
                return {x: box.left + p.x, y: box.top + p.y};
            }"""
        )
        page.mouse.move(target["x"], target["y"] + 1)
        page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
        tip = page.evaluate(
            """() => {
                const t = document.querySelector('div.vis-tooltip');
                return {text: t.textContent, elements: t.querySelectorAll('*').length,
                        tags: Array.from(t.querySelectorAll('*')).map(e => e.tagName)};
            }"""
        )
        assert page_payloads[1] in tip["text"]
        assert tip["tags"] == ["DIV"]  # only our text container

        # Hover the middle of the widest edge: the example finding is text too.
        box = page.locator("#graph").bounding_box()
        page.mouse.move(box["x"] + 5, box["y"] + 5)  # empty canvas corner
        page.wait_for_selector("div.vis-tooltip", state="hidden", timeout=10_000)
        target = page.evaluate(
            """() => {
                const ig = window.inspectgraph;
                const e = ig.edges.get().sort((a, b) => b.width - a.width)[0];
                const a = ig.network.getPosition(e.from), b = ig.network.getPosition(e.to);
                const p = ig.network.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
                const box = document.querySelector('#graph').getBoundingClientRect();
                return {x: box.left + p.x, y: box.top + p.y, example: e.title.textContent};
            }"""
        )
        page.mouse.move(target["x"], target["y"])
        page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
        tip = page.evaluate(
            """() => {
                const t = document.querySelector('div.vis-tooltip');
                return {text: t.textContent,
                        tags: Array.from(t.querySelectorAll('*')).map(e => e.tagName)};
            }"""
        )
        assert "Example finding:" in tip["text"]
        assert page_payloads[len(page_payloads) - 2] in tip["text"]
        assert tip["tags"] == ["DIV"]
        page.wait_for_timeout(300)
        assert_offline_and_clean(report)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "partnerships-payloads.png"))
    finally:
        report["context"].close()


def test_demo_command_page_matches_the_analysis(browser, tmp_path, cli_run):
    """`inspectgraph demo` writes a page that Chromium draws offline with exactly the
    agencies and pairs of the partnership analysis."""
    from inspectgraph.analysis import partnership_graph_from_store
    from inspectgraph.graph.stores import open_store

    result = cli_run("demo", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    with open_store(tmp_path / "store", read_only=True) as store:
        G = partnership_graph_from_store(store)
    G.remove_nodes_from([n for n in list(G) if G.degree(n) == 0])
    report = open_page(browser, tmp_path / "partnerships.html")
    try:
        assert report["counts"] == {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
        assert G.number_of_edges() >= 3
        assert_offline_and_clean(report)
        ARTIFACTS.mkdir(exist_ok=True)
        report["page"].screenshot(path=str(ARTIFACTS / "demo-partnerships.png"))
    finally:
        report["context"].close()


def test_hostile_records_page_runs_no_script(browser, hostile_pages):
    """Records with script payloads in every text field: no dialog, no script, no error."""
    for path in hostile_pages:
        report = open_page(browser, path)
        try:
            assert_offline_and_clean(report)
            assert report["page"].evaluate("document.querySelectorAll('script').length") == 3
        finally:
            report["context"].close()
