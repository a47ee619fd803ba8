"""`inspectgraph serve` as a server: a snapshot of the store, the memory backend, the command,
its errors, and the offline query page."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from inspectgraph.endpoint.serve import Endpoint, EndpointConfig
from inspectgraph.graph.build import build
from inspectgraph.graph.stores import open_store

sys.path.insert(0, str(Path(__file__).parent))
from serve_client import FINDINGS, ask  # noqa: E402


@pytest.mark.slow
def test_serves_a_snapshot_while_the_store_is_rebuilt(tmp_path, mini):
    path = tmp_path / "s"
    with open_store(path) as store:
        build(store)
    with Endpoint(path, config=EndpointConfig(memory_limit=0, memory_budget=0, workers=1)) as ep:
        with open_store(path) as store:  # serving does not lock the store
            build(store, [mini])
        names = json.loads(ask(ep.url, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }")[2])
        graphs = {b["g"]["value"] for b in names["results"]["bindings"]}
        assert "https://w3id.org/inspectgraph/id/graph/mini" not in graphs
    assert not list(tmp_path.glob(".serve-*"))  # the snapshot is gone


@pytest.mark.slow
def test_memory_store_can_be_served(tmp_path, mini):
    with open_store(tmp_path / "m", kind="memory") as store:
        build(store, [mini])
        expected = store.query(FINDINGS).rows
    with Endpoint(
        tmp_path / "m",
        kind="memory",
        config=EndpointConfig(memory_limit=0, memory_budget=0, workers=1),
    ) as ep:
        body = json.loads(ask(ep.url, FINDINGS)[2])
        got = [(b["f"]["value"], b["d"]["value"]) for b in body["results"]["bindings"]]
    assert got == [(str(f), str(d)) for f, d in expected]


@pytest.mark.slow  # two seconds or more: the full suite only
def test_serve_command_runs_until_terminated(tmp_path, mini):
    store_dir = tmp_path / "store"
    with open_store(store_dir) as store:
        build(store, [mini])
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inspectgraph",
            "serve",
            "--store",
            str(store_dir),
            "--port",
            "0",
            "--workers",
            "1",
            "--quiet",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()
        assert line.startswith(f"Serving {store_dir} (")
        url = line.split(" at ")[1].split()[0]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/sparql")
        assert json.loads(ask(url, "ASK { ?s ?p ?o }")[2])["boolean"] is True
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    assert not list(tmp_path.glob(".serve-*"))


def test_serve_command_errors_are_one_line(tmp_path, cli_run):
    result = cli_run("serve", "--store", tmp_path / "none")
    assert result.exit_code == 2
    assert (
        result.output.strip() == f"Error: {tmp_path / 'none'}: no store here (run "
        f"`inspectgraph build --store {tmp_path / 'none'}` first)"
    )


@pytest.mark.browser
def test_query_page_works_offline(endpoint, browser):
    """Headless Chromium: the page makes no request beyond its own endpoint, runs an
    example named query and shows its rows."""
    foreign = []
    page = browser.new_page()
    try:

        def route(r):
            if r.request.url.startswith(endpoint.base_url):
                return r.continue_()
            foreign.append(r.request.url)
            return r.abort()

        page.route("**/*", route)
        page.goto(endpoint.base_url + "/")
        page.select_option(
            "#examples",
            label=next(
                o
                for o in page.locator("#examples option").all_inner_texts()
                if o.startswith("agencies ")
            ),
        )
        page.click("#run")
        page.wait_for_selector("#results table tr:nth-child(2)", timeout=30_000)
        rows = page.locator("#results table tr").count() - 1
        assert rows >= 5
        assert "row" in page.inner_text("#status")
        page.fill("#query", "SELECT * WHERE { ?s ?p }")
        page.click("#run")
        page.wait_for_selector("#error:not(:empty)", timeout=30_000)
        assert "syntax" in page.inner_text("#error").lower()
    finally:
        page.close()
    assert foreign == []
