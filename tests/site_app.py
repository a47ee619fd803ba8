"""Requests to the linked-data site's WSGI application in this process (the endpoint's
own `evaluate`), for tests/test_site*.py."""

from __future__ import annotations

import html
import re
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pyoxigraph as ox

from inspectgraph.endpoint.serve import EndpointConfig, SparqlApp, evaluate
from inspectgraph.endpoint.site import data as site_data
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


def store_rows(path: Path, query: str) -> list[tuple]:
    with open_store(path, read_only=True) as store:
        return store.query(site_data.PREFIXES + query).rows


def text_of(body: bytes) -> str:
    """The page's text, tags removed and entities decoded (whitespace folded)."""
    no_style = re.sub(r"<style>.*?</style>", "", body.decode("utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", no_style)).split())
