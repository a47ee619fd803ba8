"""`inspectgraph describe`: DCAT and VoID computed from the store, valid against its shapes."""

import hashlib
from collections import Counter

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS, VOID

from inspectgraph.errors import InputError
from inspectgraph.graph.annotation import annotation_quads
from inspectgraph.graph.build import build
from inspectgraph.linking.describe import OGL, dataset_shapes, describe, validate_description
from inspectgraph.linking.link import LINKS_GRAPH, links_graph
from inspectgraph.linking.reconcile import Link
from inspectgraph.ontology import ID

WD = "http://www.wikidata.org/entity/"
ONS = "http://statistics.data.gov.uk/id/statistical-geography/"
DATASET = ID["dataset"]
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # not rdflib's DCAT: pytest probes module globals


@pytest.fixture(scope="module")
def linked_stores(bundled_templates, tmp_path_factory, oxigraph_servers):
    """{kind: [store, server, description]}: the linked store of each backend, made the
    first time a test asks for it and shared by the module's tests, which only read it."""
    made: dict = {}
    yield made
    for store, server, _ in made.values():
        store.close()
        if server is not None:
            oxigraph_servers.release(server)


@pytest.fixture
def linked_store(linked_stores, kind, bundled_templates, tmp_path_factory, oxigraph_servers):
    """The bundled data plus a links graph of three links (as `link` writes them), once
    per backend for the module (the tests only read it: one copy of the bundled data and
    one links graph per backend, not one per test)."""
    from fixtures_stores import copy_bundled

    if kind not in linked_stores:
        target = tmp_path_factory.mktemp(f"linked-{kind}") / "s"
        store, server = copy_bundled(kind, bundled_templates, target, oxigraph_servers)
        linked_stores[kind] = [store, server, None]
        _add_links(store)
    return linked_stores[kind][0]


@pytest.fixture
def described(linked_store, linked_stores, kind):
    """``describe(linked_store)``, computed once per backend for the module's tests."""
    entry = linked_stores[kind]
    if entry[2] is None:
        entry[2] = describe(linked_store)
    return entry[2]


def _add_links(store) -> None:
    links = [
        Link(
            ID["agency/northumbria-police"],
            "Northumbria Police",
            SKOS.exactMatch,
            URIRef(WD + "Q9000000010"),
            "Northumbria Police",
            "label-type",
            0.9,
            "2025-01-02T03:04:05+00:00",
        ),
        Link(
            ID["agency/sunderland-ccg"],
            "Sunderland CCG",
            SKOS.closeMatch,
            URIRef(WD + "Q9000000020"),
            "NHS Sunderland CCG",
            "label-type",
            0.8,
            "2025-01-02T03:04:05+00:00",
        ),
        Link(
            URIRef(ONS + "E08000024"),
            "E08000024",
            SKOS.exactMatch,
            URIRef(WD + "Q9000000001"),
            "City of Sunderland",
            "gss-code",
            1.0,
            "2025-01-02T03:04:05+00:00",
        ),
    ]
    times = {
        "label-type": ["2025-01-02T03:04:05+00:00"],
        "gss-code": ["2025-01-02T03:04:05+00:00"],
    }
    store.replace_graphs({LINKS_GRAPH: links_graph(links, "http://127.0.0.1:1/q", times)})


def value(g, s, p):
    return g.value(s, p).toPython()


@pytest.mark.slow
def test_description_counts_come_from_the_store(linked_store, described):
    g = described
    quads = list(linked_store.quads())  # one scan, counted below by graph
    triples = {(s, p, o) for s, p, o, _ in quads}
    assert not list(annotation_quads(linked_store))  # the bundled data quotes no letter
    assert value(g, DATASET, VOID.triples) == len(triples)
    assert value(g, DATASET, VOID.distinctSubjects) == len({s for s, _, _ in triples})
    assert value(g, DATASET, VOID.properties) == len({p for _, p, _ in triples})
    assert g.value(DATASET, DCTERMS.license) == OGL
    # one subset per named graph with its own count
    per_graph = Counter(gr for *_, gr in quads)
    for name in linked_store.graph_names():
        n = per_graph[name]
        assert (DATASET, VOID.subset, name) in g and value(g, name, VOID.triples) == n
    # class partitions
    findings = {s for s, p, o in triples if p == RDF.type and str(o).endswith("def/Finding")}
    [part] = [
        p for p in g.subjects(VOID["class"], URIRef("https://w3id.org/inspectgraph/def/Finding"))
    ]
    assert value(g, part, VOID.entities) == len(findings)
    period = g.value(DATASET, DCTERMS.temporal)
    # the bundled data: the national judgement history from 2009 to 2025
    assert (str(g.value(period, DCAT.startDate)), str(g.value(period, DCAT.endDate))) == (
        "2009-08-07",
        "2025-05-14",
    )
    assert URIRef(ONS + "E08000024") in set(g.objects(DATASET, DCTERMS.spatial))


@pytest.mark.slow
def test_the_web_annotation_form_of_the_quotations_is_counted(new_store, mini):
    """The description counts the dataset as `export` writes it: each quoted finding's
    quotation as an oa:SpecificResource with a TextQuoteSelector and a TextPositionSelector."""
    with new_store() as store:
        build(store, [mini])
        g = describe(store)
        triples = {(s, p, o) for s, p, o, _ in store.quads()}
        expanded = {(s, p, o) for s, p, o, _ in annotation_quads(store)}
        mini_graph = next(n for n in store.graph_names() if str(n).endswith("/mini"))
        in_mini = sum(1 for *_, gr in store.quads() if gr == mini_graph)
    assert len(expanded) == 12  # one quotation, both selectors
    assert value(g, DATASET, VOID.triples) == len(triples | expanded)
    assert value(g, mini_graph, VOID.triples) == in_mini + len(expanded)
    for cls in ("SpecificResource", "TextQuoteSelector", "TextPositionSelector"):
        [part] = g.subjects(VOID["class"], URIRef(f"http://www.w3.org/ns/oa#{cls}"))
        assert value(g, part, VOID.entities) == 1
    [part] = g.subjects(VOID.property, URIRef("http://www.w3.org/ns/oa#exact"))
    assert value(g, part, VOID.triples) == 1


@pytest.mark.slow
def test_one_linkset_per_target_with_counts_from_the_graph(linked_store, described):
    g = described
    linksets = {s: g for s in g.subjects(RDF.type, VOID.Linkset) if (DATASET, VOID.subset, s) in g}
    by_target = {
        (
            str(g.value(s, VOID.subjectsTarget)).rsplit("/", 1)[1],
            str(g.value(s, VOID.objectsTarget)).rsplit("/", 1)[1],
        ): s
        for s in linksets
    }
    assert set(by_target) == {
        ("dataset", "wikidata"),
        ("dataset", "ons-statistical-geography"),
        ("ons-statistical-geography", "wikidata"),
    }
    to_wikidata = by_target[("dataset", "wikidata")]
    assert value(g, to_wikidata, VOID.triples) == 2
    parts = {
        g.value(p, VOID.linkPredicate): value(g, p, VOID.triples)
        for p in g.objects(to_wikidata, VOID.subset)
    }
    assert parts == {SKOS.exactMatch: 1, SKOS.closeMatch: 1}
    spatial = by_target[("dataset", "ons-statistical-geography")]
    agencies_with_areas = {s for s, p, _, _ in linked_store.quads() if p == DCTERMS.spatial}
    # every council (its area's GSS code) and the agencies with ONS area codes
    assert value(g, spatial, VOID.triples) == len(agencies_with_areas) >= 153
    assert value(g, by_target[("ons-statistical-geography", "wikidata")], VOID.triples) == 1
    wikidata = g.value(to_wikidata, VOID.objectsTarget)
    assert str(g.value(wikidata, VOID.uriSpace)) == WD


def test_distributions_and_endpoint(linked_store, tmp_path):
    export = tmp_path / "graph.nq"
    export.write_bytes(b"<http://e/a> <http://e/b> <http://e/c> <http://e/g> .\n")
    g = describe(
        linked_store,
        distributions=[export],
        base_url="https://example.org/data/",
        endpoint_url="https://example.org/sparql",
    )
    dists = set(g.objects(DATASET, DCAT.distribution))
    [dist] = [d for d in dists if g.value(d, DCAT.downloadURL)]
    assert str(g.value(dist, DCAT.downloadURL)) == "https://example.org/data/graph.nq"
    assert str(g.value(dist, DCAT.mediaType)).endswith("/application/n-quads")
    assert value(g, dist, DCAT.byteSize) == export.stat().st_size
    checksum = g.value(dist, URIRef("http://spdx.org/rdf/terms#checksum"))
    assert (
        str(g.value(checksum, URIRef("http://spdx.org/rdf/terms#checksumValue")))
        == hashlib.sha256(export.read_bytes()).hexdigest()
    )
    assert str(g.value(DATASET, VOID.sparqlEndpoint)) == "https://example.org/sparql"
    [service] = g.subjects(RDF.type, DCAT.DataService)
    assert str(g.value(service, DCAT.endpointURL)) == "https://example.org/sparql"
    with pytest.raises(InputError, match="needs --base-url"):
        describe(linked_store, distributions=[export])


@pytest.mark.slow
def test_the_dataset_shapes_catch_a_bad_description(described):
    good = described
    assert validate_description(good) == []
    bad = Graph() + good
    bad.remove((DATASET, DCTERMS.license, None))
    [linkset] = [
        s
        for s in bad.subjects(VOID.objectsTarget, ID["dataset/wikidata"])
        if (DATASET, VOID.subset, s) in bad and bad.value(s, VOID.subjectsTarget) == DATASET
    ]
    bad.set((linkset, VOID.triples, Literal(5)))
    dist = URIRef("http://e/dist")
    bad.add((DATASET, DCAT.distribution, dist))
    bad.add((dist, RDF.type, DCAT.Distribution))
    problems = "\n".join(validate_description(bad))
    assert "exactly one licence" in problems
    assert "not the sum of its subsets" in problems
    assert "needs a URL" in problems
    assert len(dataset_shapes()) > 50


@pytest.mark.slow
def test_describe_command(cli_run, built_store_dir, tmp_path):
    out = tmp_path / "void.ttl"
    result = cli_run(
        "describe",
        "--out",
        out,
        "--endpoint-url",
        "https://example.org/sparql",
        "--title",
        "My inspections",
        "--store",
        built_store_dir,
    )
    assert result.exit_code == 0, result.output
    g = Graph().parse(out)
    assert str(g.value(DATASET, DCTERMS.title)) == "My inspections"
    assert validate_description(g) == []
    result = cli_run("describe", "--out", tmp_path / "v.jsonld", "--store", built_store_dir)
    assert result.exit_code == 0 and len(Graph().parse(tmp_path / "v.jsonld", format="json-ld"))
    result = cli_run("describe", "--distribution", out, "--store", built_store_dir)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: --distribution needs --base-url: the address the files are downloaded from"
    ]
