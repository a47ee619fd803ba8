"""The notebook side of the API: query rows as DataFrames, the graph inline in an iframe."""

import html.parser
import sys

import pytest
from rdflib import Literal, URIRef

import inspectgraph
from inspectgraph.notebook import Rows

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


@pytest.fixture(scope="module")
def kg():
    with inspectgraph.open() as k:
        k.build()
        yield k


def test_query_rows_are_dicts_with_columns_and_a_typed_dataframe(kg):
    rows = kg.query("partnerships", la="Sunderland")
    assert isinstance(rows, list) and isinstance(rows[0], dict)
    assert rows.columns == list(rows[0])
    df = rows.df
    assert list(df.columns) == rows.columns and len(df) == len(rows)
    assert df["findings"].dtype.kind == "i"
    assert df.iloc[0]["aLabel"] == rows[0]["aLabel"]
    history = kg.query("judgement-history", la="Sunderland").df
    assert history["date"].dtype.kind == "M" and history["rank"].dtype.kind == "i"


def test_rows_in_a_notebook_and_without_pandas(monkeypatch):
    rows = Rows(
        ["a", "d"],
        [
            (URIRef("http://e/<x>"), Literal("2020-01-02", datatype=XSD_DATE)),
            (Literal("<b>bold</b>"), None),
        ],
    )
    table = rows._repr_html_()
    assert "&lt;b&gt;bold&lt;/b&gt;" in table and "<b>" not in table and "2 rows" in table
    assert rows.df["d"].isna().tolist() == [False, True]
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ModuleNotFoundError, match="pip install pandas"):
        rows.df  # noqa: B018


def test_query_rejects_bad_parameters_like_the_command_line(kg):
    with pytest.raises(inspectgraph.errors.InputError, match="unknown parameter"):
        kg.query("partnerships", nope=1)


class _Frame(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.attrs = dict(attrs)


def iframe_attrs(markup):
    parser = _Frame()
    parser.feed(markup)
    return parser.attrs


def test_show_embeds_the_offline_page_in_a_sandboxed_iframe(kg, tmp_path, cli_run, built_store_dir):
    view = kg.show(seed=0)
    attrs = iframe_attrs(view._repr_html_())
    assert attrs["sandbox"] == "allow-scripts"  # scripts run, cannot reach the notebook
    assert attrs["srcdoc"] == view.html  # escaped once, read back whole
    assert "src" not in attrs
    # the same page the command line writes
    out = tmp_path / "p.html"
    args = ["viz", "partnerships", "--pairs", "all", "--out", out, "--store", built_store_dir]
    assert cli_run(*args).exit_code == 0
    assert view.html == out.read_text(encoding="utf-8")
    assert "https://" not in view.html.split("<script", 1)[0].replace(
        "https://w3id.org", ""
    )  # no external stylesheet or font in the head
    assert view.save(tmp_path / "v.html").read_text(encoding="utf-8") == view.html


@pytest.mark.slow
def test_figure_and_exports_from_the_api(kg, tmp_path):
    fig = kg.figure(title="T")
    assert [t.get_text() for t in fig.texts] == ["T"]
    assert kg.export_partnerships(tmp_path / "g.json")["format"] == "json"
    assert kg.export(tmp_path / "g.nt") > 1000


@pytest.mark.browser
def test_show_renders_inside_the_iframe_in_chromium(kg, tmp_path, browser):
    host = tmp_path / "notebook.html"
    host.write_text(
        "<!DOCTYPE html><html><body><h1>Notebook</h1>"
        f"{kg.show(height=500)._repr_html_()}</body></html>",
        encoding="utf-8",
    )
    requests = []
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    try:
        page.on("request", lambda r: requests.append(r.url))
        page.goto(host.as_uri())
        frame = page.frames[1]
        frame.wait_for_function("window.inspectgraphReady === true", timeout=30_000)
        counts = frame.evaluate("window.inspectgraphCounts")
        page.screenshot(path=str(tmp_path / "notebook.png"))
    finally:
        page.close()
    assert counts == {"nodes": 3, "edges": 3}
    assert [u for u in requests if not u.startswith(("file://", "about:"))] == []
