"""A runner for the W3C SPARQL 1.1 Protocol and Service Description test manifests.

The protocol manifest (``sparql11/protocol/manifest.ttl``) describes each test as
HTTP exchanges in RDF (the ``ht:`` vocabulary): method, path, headers, body with
its character encoding, and the expected status class, result format and ASK
answer. Paths start with ``/sparql/``, replaced by the endpoint's own path. The
data a test needs (``ut:graphData``) is listed so the endpoint can be loaded first.

Outcomes: ``passed``, ``failed`` (with the reason) or ``not applicable`` — the
update tests, which a read-only endpoint cannot pass by design (it refuses updates;
``bad_update_*`` tests, which expect a 4xx, do run).

The service-description manifest only names its three tests; what each checks is
implemented from the SPARQL 1.1 Service Description recommendation.

Run against any endpoint: ``python tests/w3c_protocol.py MANIFEST_DIR URL``.
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection


def manifests_dir() -> Path:
    """Where the W3C SPARQL 1.1 manifests are: ``$INSPECTGRAPH_W3C_TESTS``, else the shared
    folder beside the corpus (``$INSPECTGRAPH_CORPUS/../w3c-rdf-tests/sparql11``), else
    ``../shared/w3c-rdf-tests/sparql11`` beside the repository."""
    if os.environ.get("INSPECTGRAPH_W3C_TESTS"):
        return Path(os.environ["INSPECTGRAPH_W3C_TESTS"])
    corpus = os.environ.get("INSPECTGRAPH_CORPUS")
    shared = Path(corpus).parent if corpus else Path(__file__).resolve().parents[2] / "shared"
    return shared / "w3c-rdf-tests" / "sparql11"


def manifests_or_skip() -> Path:
    """:func:`manifests_dir` for a test: a test that needs the manifests fails without them
    in CI and is skipped elsewhere."""
    import pytest

    path = manifests_dir()
    if not (path / "protocol" / "manifest.ttl").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"W3C SPARQL test manifests missing at {path}")
        pytest.skip(f"W3C SPARQL test manifests not found at {path} (set INSPECTGRAPH_W3C_TESTS)")
    return path


MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
STATUS_CLASS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
RDF_TYPES = {
    "application/rdf+xml",
    "text/turtle",
    "application/n-triples",
    "text/plain",
    "application/xhtml+xml",
    "text/html",
}  # the manifest's RDF/XML, Turtle, N-Triples, RDFa


@dataclass
class Request:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes | None
    statuses: set[str]  # "2xx", "3xx", "4xx"
    boolean: bool | None = None
    format: str | None = None  # "boolean", "tabular", "RDF"


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[Request]
    graph_data: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return self.name.startswith("update_")


def load_manifest(directory: Path) -> list[ProtocolTest]:
    """The tests of ``directory/manifest.ttl``, in manifest order."""
    g = Graph().parse(directory / "manifest.ttl", format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        action = g.value(entry, MF.action)
        requests = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = []
            header_list = g.value(req, HT.headers)
            if header_list is not None:
                for h in Collection(g, header_list):
                    headers.append((str(g.value(h, HT.fieldName)), str(g.value(h, HT.fieldValue))))
            body = None
            content = g.value(req, HT.body)
            if content is not None:
                encoding = str(g.value(content, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(content, CNT.chars)).encode(encoding)
            resp = g.value(req, HT.resp)
            statuses = {str(s)[len(STATUS_CLASS) :] for s in g.objects(resp, MF.expectedStatus)}
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            requests.append(
                Request(
                    str(g.value(req, HT.methodName)),
                    str(g.value(req, HT.absolutePath)),
                    headers,
                    body,
                    statuses,
                    None if boolean is None else boolean.toPython(),
                    None if fmt is None else str(fmt),
                )
            )
        data = []
        for gd in g.objects(entry, UT.graphData):
            data.append(
                (directory / Path(str(g.value(gd, UT.graph))).name, str(g.value(gd, RDFS.label)))
            )
        tests.append(
            ProtocolTest(
                str(entry).split("#")[-1], str(g.value(entry, MF.name)), requests, sorted(data)
            )
        )
    return tests


def graph_data(tests: list[ProtocolTest]) -> dict[str, Path]:
    """Every named graph the tests need: graph IRI -> N-Triples file."""
    return {iri: path for t in tests for path, iri in t.graph_data}


def send(endpoint: str, request: Request) -> tuple[int, str, bytes]:
    """Send one manifest request exactly as described (no headers added but Host and
    Content-Length); returns (status, media type, body)."""
    url = urllib.parse.urlsplit(endpoint)
    rest = request.path[len("/sparql/") :]  # "" or "?query=..."
    path = (url.path or "/") + rest if rest[:1] in ("", "?") else url.path.rstrip("/") + "/" + rest
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.putrequest(request.method, path, skip_accept_encoding=True)
        for name, value in request.headers:
            connection.putheader(name, value)
        body = request.body or b""
        if body or request.method in ("POST", "PUT"):
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body or None)
        response = connection.getresponse()
        media = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        return response.status, media, response.read()
    finally:
        connection.close()


def boolean_of(media: str, body: bytes) -> bool | None:
    if RESULT_TYPES.get(media) == "json":
        value = json.loads(body).get("boolean")
        return value if isinstance(value, bool) else None
    if RESULT_TYPES.get(media) == "xml":
        node = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
        return None if node is None else node.text.strip() == "true"
    return None


def check(request: Request, status: int, media: str, body: bytes) -> str | None:
    """None when the response meets the request's expectations, else why not."""
    klass = f"{status // 100}xx"
    if klass not in request.statuses:
        return f"status {status}, expected {' or '.join(sorted(request.statuses))}"
    if request.format == "boolean" or request.boolean is not None:
        if RESULT_TYPES.get(media) not in ("json", "xml"):
            return f"boolean result as {media or 'no media type'}"
        value = boolean_of(media, body)
        if value is None:
            return "no boolean in the response"
        if request.boolean is not None and value != request.boolean:
            return f"ASK answered {value}, expected {request.boolean}"
    elif request.format == "tabular" and media not in RESULT_TYPES:
        return f"tabular result as {media or 'no media type'}"
    elif request.format == "RDF" and media not in RDF_TYPES:
        return f"RDF result as {media or 'no media type'}"
    return None


def run(tests: list[ProtocolTest], endpoint: str, *, read_only: bool = True) -> dict[str, str]:
    """Run the tests against ``endpoint``: {test name: "passed" | "failed: why" |
    "not applicable: why"}."""
    outcomes = {}
    for test in tests:
        if read_only and test.is_update:
            outcomes[test.name] = "not applicable: a read-only endpoint refuses updates"
            continue
        outcome = "passed"
        for i, request in enumerate(test.requests):
            try:
                problem = check(request, *send(endpoint, request))
            except (OSError, ValueError, ET.ParseError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if problem:
                outcome = f"failed: request {i + 1} ({request.method}): {problem}"
                break
        outcomes[test.name] = outcome
    return outcomes


# ---------------------------------------------------------------------- service description

SD_CLASSES = {
    SD.defaultDataset: SD.Dataset,
    SD.defaultGraph: SD.Graph,
    SD.namedGraph: SD.NamedGraph,
    SD.availableGraphs: SD.GraphCollection,
}
SD_LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
SD_FEATURES = {
    SD.DereferencesURIs,
    SD.UnionDefaultGraph,
    SD.RequiresDataset,
    SD.EmptyGraphs,
    SD.BasicFederatedQuery,
}


def service_description_tests(endpoint: str) -> dict[str, str]:
    """The three tests of ``sparql11/service-description/manifest.ttl``."""
    outcomes = {}
    url = urllib.parse.urlsplit(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.request(
            "GET",
            url.path,
            headers={
                "Accept": "text/turtle, application/rdf+xml;q=0.9, application/n-triples;q=0.8"
            },
        )
        response = connection.getresponse()
        media = (response.getheader("Content-Type") or "").split(";")[0].strip()
        body = response.read()
    finally:
        connection.close()
    formats = {
        "text/turtle": "turtle",
        "application/rdf+xml": "xml",
        "application/n-triples": "nt",
        "application/ld+json": "json-ld",
    }
    g = Graph()
    try:
        if response.status != 200 or media not in formats:
            raise ValueError(f"status {response.status}, {media or 'no media type'}")
        g.parse(data=body, format=formats[media], publicID=endpoint)  # relative IRIs: the URL
        outcomes["returns-rdf"] = "passed"
    except Exception as exc:  # rdflib raises many kinds
        outcomes["returns-rdf"] = f"failed: {exc}"
        return {
            **outcomes,
            "has-endpoint-triple": "failed: no RDF",
            "conforms-to-schema": "failed: no RDF",
        }
    services = set(g.subjects(SD.endpoint, URIRef(endpoint)))
    outcomes["has-endpoint-triple"] = (
        "passed" if services else f"failed: no `?service sd:endpoint <{endpoint}>`"
    )
    problems = []
    for service in g.subjects(RDF.type, SD.Service):
        if not list(g.objects(service, SD.endpoint)):
            problems.append("an sd:Service without sd:endpoint")
        languages = set(g.objects(service, SD.supportedLanguage))
        if not languages or not languages <= SD_LANGUAGES:
            problems.append(f"sd:supportedLanguage must be among {sorted(SD_LANGUAGES)}")
        for feature in g.objects(service, SD.feature):
            if feature not in SD_FEATURES and not str(feature).startswith("http"):
                problems.append(f"unknown sd:feature {feature}")
    if not list(g.subjects(RDF.type, SD.Service)):
        problems.append("no sd:Service")
    for prop, cls in SD_CLASSES.items():
        for node in g.objects(None, prop):
            if (node, RDF.type, cls) not in g:
                problems.append(f"the object of {prop} is not typed {cls}")
    for node in g.subjects(RDF.type, SD.NamedGraph):
        if not isinstance(g.value(node, SD.name), URIRef):
            problems.append("an sd:NamedGraph without an IRI sd:name")
    outcomes["conforms-to-schema"] = "passed" if not problems else "failed: " + "; ".join(problems)
    return outcomes


def main(argv: list[str]) -> int:
    directory, endpoint = Path(argv[1]), argv[2]
    tests = load_manifest(directory / "protocol")
    outcomes = run(tests, endpoint) | service_description_tests(endpoint)
    for name, outcome in outcomes.items():
        print(f"{name:40} {outcome}")
    counts = {
        k: sum(1 for o in outcomes.values() if o.startswith(k))
        for k in ("passed", "failed", "not applicable")
    }
    print(counts)
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
