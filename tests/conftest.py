"""Fixtures shared by the tests (and mirrored by the demo): built stores, the corpus, the CLI."""

from __future__ import annotations

import csv
import gc
import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import settings

from inspectgraph.graph.build import build
from inspectgraph.graph.stores import BACKENDS, open_store
from inspectgraph.testing import OxigraphServer

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "data" / "mini.yaml"


# Hypothesis example counts: `ci` (the default, `make test`) and `check` (`make check`, the
# edit-test loop); HYPOTHESIS_PROFILE picks one.  Tests set deadlines and health checks
# themselves, never their example count, so the profile decides it everywhere.
settings.register_profile("ci", max_examples=40)
settings.register_profile("check", max_examples=10)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# Longest files first.  `make test` hands each test file to one xdist worker (--dist
# loadfile, --no-loadscope-reorder), in the order collected: a long file started last is
# the run's tail while the other worker idles.  Files are ordered by their tests' seconds
# in earlier runs (pytest's cache, written below), a test not timed yet (a new one) counted
# as the median timed test, so that one new test does not throw away every other figure;
# with no test timed (a fresh clone), by these measured seconds (two workers, idle
# machine), then one second a test.
FILE_SECONDS = {
    "test_national.py": 200,  # the whole corpus extracted, then built by the command line
    "test_crash.py": 55,  # SIGKILL trials in subprocesses
    "test_browser.py": 45,
    "test_backends.py": 70,  # every command on every backend
    "test_cli.py": 45,
    "test_site_letters.py": 55,  # a corpus slice built, pages in Chromium
}
DURATIONS_KEY = "inspectgraph/test-seconds"


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected
def pytest_collection_modifyitems(session, config, items):
    cache = getattr(config, "cache", None)
    known = cache.get(DURATIONS_KEY, {}) if cache is not None else {}
    by_file: dict[str, list] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::")[0], []).append(item)

    timed = sorted(known[item.nodeid] for item in items if item.nodeid in known)
    guess = timed[len(timed) // 2] if timed else 1.0  # the median timed test

    def seconds(path: str) -> float:
        tests = by_file[path]
        if timed:
            return sum(known.get(t.nodeid, guess) for t in tests)
        return FILE_SECONDS.get(Path(path).name, float(len(tests)))

    order = sorted(by_file, key=lambda path: (-seconds(path), path))
    items[:] = [item for path in order for item in by_file[path]]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Collect, then freeze what survives, before each test.

    The Oxigraph store calls ``gc.collect()`` whenever it lets go of RocksDB (every close and
    every read-only open), and a full collection walks every object the worker holds: the
    session's fixtures, modules and pytest's own records, about 0.08 CPU-s a time, which
    was a quarter of `make check`.  Frozen objects are skipped by later collections, so those
    walk only what the current test made.  Nothing a test made is frozen before it ends
    (its stores are closed by then), and garbage is collected before each freeze."""
    gc.collect()
    gc.freeze()


_SECONDS: dict[str, float] = {}  # this run's tests: setup + call + teardown


def pytest_runtest_logreport(report):
    _SECONDS[report.nodeid] = _SECONDS.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session):
    """Remember each test's seconds for the next run's order (written by the controlling
    process, which hears every worker's reports, or by a run without workers)."""
    cache = getattr(session.config, "cache", None)
    if cache is None or hasattr(session.config, "workerinput") or not _SECONDS:
        return
    known = cache.get(DURATIONS_KEY, {})
    known.update({k: round(v, 3) for k, v in _SECONDS.items()})
    cache.set(DURATIONS_KEY, known)


def corpus_dir() -> Path | None:
    """The shared Ofsted corpus ($INSPECTGRAPH_CORPUS, default ../shared/corpus), if present."""
    path = Path(os.environ.get("INSPECTGRAPH_CORPUS", REPO.parent / "shared" / "corpus"))
    return path if (path / "manifest.csv").exists() else None


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


@pytest.fixture
def mini() -> Path:
    """A small hand-made records file (tests/data/mini.yaml): three agencies, two visits."""
    return MINI


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("INSPECTGRAPH_CORPUS is not set to the corpus in CI")
        pytest.skip(
            "Ofsted corpus not found: set INSPECTGRAPH_CORPUS (letter texts are not bundled)"
        )
    return path


def corpus_joint_dir() -> Path | None:
    """The joint-inspections corpus: the folder ``corpus-joint`` beside the Ofsted corpus."""
    path = Path(os.environ.get("INSPECTGRAPH_CORPUS", REPO.parent / "shared" / "corpus"))
    joint = path.parent / "corpus-joint"
    return joint if (joint / "manifest.csv").exists() else None


@pytest.fixture(scope="session")
def corpus_joint() -> Path:
    """JTAI and area SEND letters (``corpus-joint``, sibling of $INSPECTGRAPH_CORPUS)."""
    path = corpus_joint_dir()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "the joint corpus (corpus-joint beside INSPECTGRAPH_CORPUS) is missing in CI"
            )
        pytest.skip(
            "joint-inspections corpus not found: corpus-joint beside INSPECTGRAPH_CORPUS "
            "(letter texts are not bundled)"
        )
    return path


@pytest.fixture(scope="session")
def corpus_extractions(corpus) -> dict:
    """Every letter and report of the corpus extracted once per test run, as
    ``extract(path, manifest_row=row)`` gives it: {manifest path: Extraction}.

    Shared by every test that reads the whole corpus (offsets, layouts, the evaluation's
    figures) and by the `national` build; those tests live in test_national.py, so that
    one xdist worker makes it. A test that needs a few documents extracts them itself."""
    from inspectgraph.extract import extract, read_manifest

    rows = read_manifest(corpus / "manifest.csv")
    return {rel: extract(corpus / rel, manifest_row=row) for rel, row in rows.items()}


@pytest.fixture(scope="session")
def national(corpus, corpus_extractions, tmp_path_factory):
    """The whole corpus built once per test run by the command line, as a user builds it
    (`inspectgraph build --corpus ... --store ...`): (store, output, documents).

    The command runs in this process (click's runner) so that it reuses the run's one
    extraction of the corpus: the build's ``extract(path, manifest_row=row)`` calls get
    the results `corpus_extractions` holds for the same file and row (its extraction
    workers are forked from here, so they see them too); anything else is extracted."""
    import inspectgraph.extract as extract_package
    from inspectgraph.cli.main import cli

    real = extract_package.extract
    rows = extract_package.read_manifest(corpus / "manifest.csv")  # as corpus_extractions
    made = {(corpus / rel).resolve(): (rows[rel], x) for rel, x in corpus_extractions.items()}

    def shared(source, **options):
        hit = made.get(Path(source).resolve()) if isinstance(source, (str, Path)) else None
        if hit is not None and options == {"manifest_row": hit[0]}:
            return hit[1]
        return real(source, **options)

    store = tmp_path_factory.mktemp("national") / "store"
    extract_package.extract = shared
    try:
        result = CliRunner().invoke(
            cli, ["build", "--corpus", str(corpus), "--store", str(store)], catch_exceptions=False
        )
    finally:
        extract_package.extract = real
    assert result.exit_code == 0, result.output[-2000:]
    return store, result.output, len(rows)


# two letters of the corpus (one joined to the Sunderland records, one in no other source)
MINI_CORPUS_DOCS = (
    "focused-visits/80566_sunderland_2023-11-29.txt",
    "focused-visits/80469_gateshead_2021-10-27.txt",
)


@pytest.fixture
def mini_corpus(corpus, tmp_path) -> Path:
    """A folder laid out like the corpus (manifest.csv and texts) holding two of its letters."""
    return copy_corpus_rows(
        corpus,
        tmp_path / "mini-corpus",
        lambda rows: [r for r in rows if r["path"] in MINI_CORPUS_DOCS],
    )


@pytest.fixture(scope="session")
def shared_mini_corpus(corpus, tmp_path_factory) -> Path:
    """The `mini_corpus` folder made once per test run, for tests that only read it (and the
    stores built from it, which module fixtures then share)."""
    return copy_corpus_rows(
        corpus,
        tmp_path_factory.mktemp("shared-mini-corpus"),
        lambda rows: [r for r in rows if r["path"] in MINI_CORPUS_DOCS],
    )


@pytest.fixture(scope="session")
def shared_mini_store(shared_mini_corpus, tmp_path_factory) -> Path:
    """The two letters of `shared_mini_corpus` built by the command line (`build --corpus`,
    with the bundled data), once per test run, for tests that only read the store."""
    from inspectgraph.cli.main import cli

    store = tmp_path_factory.mktemp("shared-mini-store") / "store"
    args = ["build", "--corpus", str(shared_mini_corpus), "--store", str(store), "-q"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture(scope="session")
def corpus_rows_copier():
    """:func:`copy_corpus_rows`, for test modules (they do not import conftest)."""
    return copy_corpus_rows


def copy_corpus_rows(corpus: Path, folder: Path, choose) -> Path:
    """A folder laid out like ``corpus`` holding the manifest rows ``choose(rows)`` picks
    (rows sorted by path) and their texts."""
    with (corpus / "manifest.csv").open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        picked = choose(sorted(reader, key=lambda r: r["path"]))
        fields = reader.fieldnames
    for row in picked:
        (folder / row["path"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(corpus / row["path"], folder / row["path"])
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(picked)
    return folder


class ServerPool:
    """Real `oxigraph serve` processes on free loopback ports, started when first needed
    and handed out empty; stopped at the end of the session."""

    def __init__(self):
        self.idle: list[OxigraphServer] = []
        self.all: list[OxigraphServer] = []

    def acquire(self) -> OxigraphServer:
        if self.idle:
            server = self.idle.pop()
            server.clear()
            return server
        server = OxigraphServer().start()
        self.all.append(server)
        return server

    def release(self, server: OxigraphServer) -> None:
        self.idle.append(server)

    def stop(self) -> None:
        for server in self.all:
            server.stop()


@pytest.fixture(scope="session")
def oxigraph_servers():
    """The pool of `oxigraph serve` processes behind the remote backend."""
    pool = ServerPool()
    yield pool
    pool.stop()


@pytest.fixture(
    params=[
        # the fast tier (`make check`) tries the default backend; `make test` tries all three
        pytest.param(name, marks=() if name == "oxigraph" else pytest.mark.slow)
        for name in sorted(BACKENDS)
    ]
)
def kind(request) -> str:
    """Each store backend in turn: embedded Oxigraph, rdflib memory, a remote endpoint."""
    return request.param


@pytest.fixture
def new_store(kind, tmp_path, oxigraph_servers):
    """new_store(name="store"): a new, empty store of the current backend (for remote:
    its own `oxigraph serve`)."""
    taken = []

    def make(name: str = "store"):
        if kind == "remote":
            server = oxigraph_servers.acquire()
            taken.append(server)
            return open_store(server.query_url, kind="remote")
        return open_store(tmp_path / name, kind=kind)

    yield make
    for server in taken:
        oxigraph_servers.release(server)


@pytest.fixture
def store_args(kind, tmp_path, oxigraph_servers):
    """Command-line options selecting a new, empty store of the current backend."""
    if kind == "remote":
        server = oxigraph_servers.acquire()
        yield ["--endpoint", server.query_url]
        oxigraph_servers.release(server)
    elif kind == "memory":
        yield ["--memory", "--store", tmp_path / "store"]
    else:
        yield ["--store", tmp_path / "store"]


@pytest.fixture
def empty_store(new_store):
    with new_store() as store:
        yield store


class BundledTemplates:
    """{kind: directory} of the bundled data built by backend `kind` (oxigraph or memory),
    each built the first time it is asked for and never opened again: `bundled_copy`,
    `bundled_stores` and `built_store_dir` hand out copies, so a test that changes its
    store changes only its own."""

    def __init__(self, root: Path):
        self.root = root
        self.built: dict[str, Path] = {}

    def __getitem__(self, kind: str) -> Path:
        if kind not in self.built:
            with open_store(self.root / kind, kind=kind) as store:
                build(store)
            self.built[kind] = self.root / kind
        return self.built[kind]


@pytest.fixture(scope="session")
def bundled_templates(tmp_path_factory) -> BundledTemplates:
    """The bundled data built once per on-disk backend and test run (see BundledTemplates)."""
    return BundledTemplates(tmp_path_factory.mktemp("bundled-templates"))


def copy_bundled(kind: str, templates: BundledTemplates, target: Path, servers: ServerPool):
    """A new store of backend `kind` holding exactly what `build(store)` writes: the
    template directory copied (Oxigraph's RocksDB files, the memory store's N-Quads file),
    or for remote, a fresh `oxigraph serve` loaded with those N-Quads.

    Returns (store, server or None); the caller releases the server."""
    if kind == "remote":
        server = servers.acquire()
        store = open_store(server.query_url, kind="remote")
        store.load(templates["memory"] / "store.nq")
        return store, server
    shutil.copytree(templates[kind], target)
    return open_store(target, kind=kind), None


@pytest.fixture
def bundled_copy(kind, tmp_path, bundled_templates, oxigraph_servers):
    """bundled_copy(name="store"): a new store of the current backend holding the bundled
    data as a fresh `build(store)` leaves it, for tests that change it (one build per
    backend per test run, copied)."""
    taken = []

    def make(name: str = "store"):
        store, server = copy_bundled(kind, bundled_templates, tmp_path / name, oxigraph_servers)
        taken.append((store, server))
        return store

    yield make
    for store, server in taken:
        store.close()
        if server is not None:
            oxigraph_servers.release(server)


class BundledStores(Mapping):
    """{kind: store} of the bundled data in every backend, each made the first time it is
    asked for (a test of the default backend alone never starts the other two).

    Each is its backend's own build (the on-disk ones copied from their template; the
    remote one built through the endpoint), so tests comparing them compare three builds."""

    def __init__(self, templates: BundledTemplates, root: Path, servers: ServerPool):
        self.templates, self.root, self.servers = templates, root, servers
        self.made: dict = {}

    def __getitem__(self, kind: str):
        if kind not in BACKENDS:
            raise KeyError(kind)
        if kind not in self.made:
            if kind == "remote":
                store = open_store(self.servers.acquire().query_url, kind="remote")
                build(store)
            else:
                store, _ = copy_bundled(kind, self.templates, self.root / kind, self.servers)
            self.made[kind] = store
        return self.made[kind]

    def __iter__(self):
        return iter(sorted(BACKENDS))

    def __len__(self) -> int:
        return len(BACKENDS)


@pytest.fixture(scope="session")
def bundled_stores(bundled_templates, tmp_path_factory, oxigraph_servers):
    """The bundled data in each backend, shared by the tests that only read it (see
    BundledStores)."""
    stores = BundledStores(bundled_templates, tmp_path_factory.mktemp("bundled"), oxigraph_servers)
    yield stores
    for store in stores.made.values():
        store.close()


@pytest.fixture
def bundled_store(bundled_stores, kind):
    return bundled_stores[kind]


@pytest.fixture(scope="session")
def built_store_dir(bundled_templates, tmp_path_factory) -> Path:
    """A directory holding an Oxigraph store with the bundled data, for CLI tests."""
    path = tmp_path_factory.mktemp("cli") / "store"
    shutil.copytree(bundled_templates["oxigraph"], path)
    return path


@pytest.fixture
def cli_run():
    """Run the CLI in-process: cli_run("query", "agencies", ...) -> click Result."""
    from inspectgraph.cli.main import cli

    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


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
