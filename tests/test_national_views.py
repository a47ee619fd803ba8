"""The national views: the network of agency types, the lift heatmap, and the agency page
that keeps the pairs above chance; written in every format and opened in Chromium."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import networkx as nx
import pytest

from inspectgraph.analysis import partnership_graph, type_partnership_graph
from inspectgraph.viz import write_partnership_page
from inspectgraph.viz.national import heatmap_data, type_network_data, write_national_view

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"


def _type_graph():
    """Three authorities; the police and health are named together far more than chance."""
    return type_partnership_graph(partnership_graph(_rows(), resamples=300, seed=0))


def _rows():
    rows = []
    n = 0
    for la in ("a", "b", "c"):
        agencies = {
            "c": ("local_authority", f"{la} council"),
            "p": ("police", f"{la} police"),
            "h": ("health", f"{la} health"),
            "s": ("education", f"{la} school"),
        }
        for insp in range(2):
            for names in ["ph", "ph", "ph", "c", "c", "cs", "c", "s", "cp", "h"]:
                n += 1
                for key in names:
                    t, label = agencies[key]
                    rows.append(
                        {
                            "finding": f"f{n}",
                            "agency": f"{la}-{key}",
                            "agencyLabel": label,
                            "typeKey": t,
                            "inspection": f"{la}-{insp}",
                            "date": f"202{insp}-01-01",
                            "summary": "s",
                            "laLabel": f"{la} council",
                            "council": la,
                        }
                    )
    return rows


def test_type_graph_plain_data():
    T = _type_graph()
    police_health = T.edges["health", "police"]
    # per inspection: police named 4 times, health 4, the council 5, education 2 (M = 15,
    # Q = 61); 5 findings name two types (P = 5): 2 * 5 * 4 * 4 / (15^2 - 61) expected, x 6
    expected = 6 * 2 * 5 * 4 * 4 / (15**2 - 61)
    assert police_health["findings"] == 18
    assert police_health["expected"] == pytest.approx(expected, abs=1e-3)
    data = type_network_data(T)
    top = data["edges"][0]
    assert top["pair"] == ("health", "police") and top["drawn"]
    assert top["significance"] == "chance" or top["color"] == "#B2182B"
    assert {n["key"] for n in data["nodes"]} == {"local_authority", "police", "health", "education"}
    heat = heatmap_data(T)
    cells = {(heat["types"][c["row"]], heat["types"][c["col"]]): c for c in heat["cells"]}
    assert cells["police", "health"]["text"] == cells["health", "police"]["text"]
    assert cells["police", "health"]["text"].startswith(f"{police_health['lift']:.1f}×")


@pytest.mark.slow
@pytest.mark.parametrize("view", ["types", "heatmap"])
def test_views_in_every_format(view, tmp_path):
    T = _type_graph()
    heads = {"png": b"\x89PNG", "pdf": b"%PDF", "svg": b"<?xml", "html": b"<!DOCTYPE html>"}
    for fmt, head in heads.items():
        path = tmp_path / f"{view}.{fmt}"
        summary = write_national_view(T, path, view=view)
        assert summary["format"] == fmt and path.read_bytes().startswith(head)
    again = tmp_path / "again.svg"
    write_national_view(T, again, view=view)
    assert again.read_bytes() == (tmp_path / f"{view}.svg").read_bytes()  # reproducible
    page = (tmp_path / f"{view}.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)  # nothing to fetch
    assert page.count("<tr") == T.number_of_edges() + 1


@pytest.mark.slow
def test_type_views_from_the_command_line(cli_run, built_store_dir, tmp_path):
    for view in ("types", "heatmap"):
        for fmt in ("html", "png"):
            out = tmp_path / f"{view}.{fmt}"
            result = cli_run("viz", view, "--out", out, "--store", built_store_dir)
            assert result.exit_code == 0, result.output
            assert out.stat().st_size > 1000 and "agency types" in result.output
    bad = tmp_path / "types.xlsx"
    result = cli_run("viz", "types", "--out", bad, "--store", built_store_dir)
    assert result.exit_code != 0 and "types.xlsx" in result.output and not bad.exists()


def test_agency_page_keeps_pairs_above_chance_unless_asked(cli_run, built_store_dir, tmp_path):
    out = tmp_path / "g.json"
    result = cli_run("viz", "partnerships", "--out", out, "--store", built_store_dir)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["graph"]["pairs"] == "above-chance"
    assert all(e["lift_low"] > 1 and e["findings"] >= 3 for e in data["links"])
    if not data["links"]:
        assert "--pairs all" in result.output
    result = cli_run(
        "viz", "partnerships", "--pairs", "all", "--out", out, "--store", built_store_dir
    )
    everything = json.loads(out.read_text())
    assert len(everything["links"]) >= 3 and len(everything["links"]) >= len(data["links"])
    assert {"expected", "lift", "lift_low", "lift_high", "p_adjusted"} <= set(
        everything["links"][0]
    )


def test_authority_network_places_its_partners_beside_it(cli_run, built_store_dir, tmp_path):
    out = tmp_path / "sunderland.json"
    args = ["viz", "partnerships", "--la", "Sunderland", "--pairs", "all", "--width", "lift"]
    result = cli_run(*args, "--out", out, "--store", built_store_dir)
    assert result.exit_code == 0, result.output
    nodes = {n["label"]: (n["x"], n["y"]) for n in json.loads(out.read_text())["nodes"]}
    council = nodes.pop("Sunderland City Council")
    assert council == (0.0, 0.0) and len(nodes) >= 2
    distances = {round(math.dist(council, p), 1) for p in nodes.values()}
    assert len(distances) == 1  # the partners on one ring around it
    for fmt in ("html", "png"):
        result = cli_run(*args, "--out", tmp_path / f"s.{fmt}", "--store", built_store_dir)
        assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- Chromium


@pytest.mark.browser
def test_national_pages_open_offline_in_chromium(browser, tmp_path):
    T = _type_graph()
    for view in ("types", "heatmap"):
        path = tmp_path / f"{view}.html"
        write_national_view(T, path, view=view)
        context = browser.new_context(viewport={"width": 1100, "height": 1400})
        outside, errors = [], []

        def route(r, outside=outside):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m, e=errors: m.type == "error" and e.append(m.text))
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        page.goto(path.resolve().as_uri(), wait_until="load")
        assert outside == [] and errors == []
        box = page.locator("figure svg").bounding_box()
        assert box["width"] > 500 and box["height"] > 300
        assert page.locator("tbody tr").count() == T.number_of_edges()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"national-{view}.png"), full_page=True)
        context.close()
    # the agency page with lines by lift: drawn, its legend in lifts, nothing fetched
    path = tmp_path / "agencies.html"
    G = partnership_graph(_rows(), resamples=100)
    write_partnership_page(G, path, width_by="lift")
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    outside, errors = [], []
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith("file://")
            else (outside.append(r.request.url), r.abort())
        ),
    )
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.inspectgraphReady === true", timeout=30_000)
    assert page.evaluate("window.inspectgraphCounts") == {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
    }
    assert "1× (chance)" in page.inner_text("#legend")
    assert outside == [] and errors == []
    context.close()


def test_an_empty_type_graph_still_draws(tmp_path):
    T = nx.Graph()
    for view in ("types", "heatmap"):
        summary = write_national_view(T, tmp_path / f"{view}.png", view=view)
        assert summary["pairs"] == 0 and (tmp_path / f"{view}.png").stat().st_size > 0
