"""The shapes compiled to SPARQL find what pySHACL finds."""

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, XSD

from inspectgraph.graph.shacl import validate_graph
from inspectgraph.graph.shaclsparql import Unsupported, compile_shapes, run_checks
from inspectgraph.model.rdfmap import add_quote
from inspectgraph.ontology import ID, IG, ontology_graph, shapes_graph

OA = "http://www.w3.org/ns/oa#"


def sparql_violations(g: Graph):
    store = ox.Store()
    store.bulk_load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(
        ontology_graph().serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES
    )
    return run_checks(store, compile_shapes(shapes_graph(), ontology_graph()))


def keys(violations):
    return {(v.focus.strip("<>"), v.path.strip("<>")) for v in violations}


@pytest.fixture(scope="module")
def bundled_graph(bundled_stores):
    g = Graph()
    for s, p, o, _ in bundled_stores["oxigraph"].quads():
        g.add((s, p, o))
    return g


def corrupted(g: Graph) -> Graph:
    bad = Graph() + g
    inspection = ID["inspection/sunderland-ilacs-2021-08-20"]
    bad.add((inspection, DCTERMS.date, Literal("2021-08-21", datatype=XSD.date)))  # maxCount
    bad.add((inspection, IG.endDate, Literal("2022-01-01", datatype=XSD.date)))  # after date
    bad.add((ID["agency/sunderland-city-council"], IG.gssCode, Literal("X1")))  # pattern
    bad.remove((ID["agency/northumbria-police"], RDFS.label, None))  # minCount
    bad.add((ID["finding/x/y"], RDF.type, IG.Finding))  # empty finding
    finding = next(bad.subjects(RDF.type, IG.Finding))
    bad.add((finding, IG.polarity, URIRef("https://w3id.org/inspectgraph/def/theme/front_door")))
    quote = URIRef(f"{finding}/q2")
    bad.add((finding, IG.quotation, quote))  # second quotation, not a SpecificResource
    sel = URIRef(f"{quote}/pos")
    bad.add((sel, RDF.type, URIRef(OA + "TextPositionSelector")))
    bad.add((sel, URIRef(OA + "start"), Literal(-3)))  # minInclusive
    bad.add((sel, URIRef(OA + "end"), Literal("x")))  # datatype
    # the compact quotation: a second exact text, a negative offset, an offset without
    # its exact text (SPARQL constraint), an exact text without its report
    report = next(bad.subjects(RDF.type, IG.Report))
    findings = set(bad.subjects(RDF.type, IG.Finding)) - {finding, ID["finding/x/y"]}
    quoted = sorted(findings)[:5]
    for f in quoted:
        bad.remove((f, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))
        add_quote(bad, f, report, "words", prefix="the ", suffix=".", start=40)
    bad.add((quoted[0], IG.exact, Literal("another")))  # maxCount
    bad.add((quoted[1], IG.start, Literal(-1)))  # maxCount, minInclusive
    bad.remove((quoted[2], IG.exact, None))  # prefix, start without exact
    bad.remove((quoted[3], URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))
    bad.add((quoted[4], IG.cues, Literal(3)))  # datatype
    return bad


@pytest.mark.slow
def test_the_bundled_data_conforms_under_both(bundled_graph):
    assert sparql_violations(bundled_graph) == []


@pytest.mark.slow
def test_both_validators_find_the_same_violations(bundled_graph):
    bad = corrupted(bundled_graph)
    # pySHACL also lists the nested results of a failed sh:node (the untyped quotation);
    # both report the finding whose quotation fails
    typed = {str(s) for s in bad.subjects(RDF.type, None)}
    expected = {
        k for k in keys(validate_graph(bad)) if k[0] in typed and "/inspectgraph/def/" not in k[0]
    }
    assert len(expected) >= 13
    assert keys(sparql_violations(bad)) == expected


def test_unknown_constraints_are_refused_not_skipped():
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:uniqueLang true ] .""",
        format="turtle",
    )
    with pytest.raises(Unsupported):
        compile_shapes(shapes)


@pytest.mark.slow
def test_the_shapes_compiled_to_python_find_what_sparql_finds_in_a_document(bundled_graph, corpus):
    """A real letter's graph, corrupted, checked as the extraction worker checks it (its own
    triples, the other graphs as context) and as the full gate does (everything together in
    a staging store): the same violations."""
    from inspectgraph.graph import shaclpy
    from inspectgraph.graph.documents import _set_context, document_quads, find_sources
    from inspectgraph.graph.shaclpy import Lit

    [source] = find_sources([corpus / "focused-visits/80469_gateshead_2021-10-27.txt"])
    result = document_quads(source, {}, [])
    assert not result.problem and result.new_inspection

    def plain(t):
        return Lit(t.value, t.datatype.value) if isinstance(t, ox.Literal) else t.value

    triples = {
        (plain(q.subject), plain(q.predicate), plain(q.object))
        for q in ox.parse(result.nquads, format=ox.RdfFormat.N_QUADS)
    }
    ig, xsd = str(IG._NS), "http://www.w3.org/2001/XMLSchema#"
    findings = sorted(s for s, p, o in triples if p == str(RDF.type) and o == ig + "Finding")
    [inspection] = {o for s, p, o in triples if p == ig + "fromInspection"}
    [report] = {s for s, p, o in triples if p == str(RDF.type) and o == ig + "Report"}
    bad = set(triples)
    bad.add((findings[0], ig + "polarity", str(ID["theme/front_door"])))  # node, maxCount
    bad.add((findings[1], str(DCTERMS.description), Lit("")))  # minLength, maxCount
    bad.add((findings[2], ig + "start", Lit("-5", xsd + "integer")))  # minInclusive, maxCount
    bad -= {t for t in bad if t[0] == findings[3] and t[1] == ig + "exact"}  # QuoteLocated
    bad.add((findings[4], ig + "concerns", str(ID["agency/nobody"])))  # class
    bad.add((findings[5], ig + "cues", Lit("3", xsd + "integer")))  # datatype
    bad -= {t for t in bad if t[0] == findings[6] and t[1] == ig + "fromInspection"}  # minCount
    bad.add((report, str(DCTERMS.issued), Lit("soon")))  # datatype, maxCount
    bad.add((inspection, ig + "endDate", Lit("2099-01-01", xsd + "date")))  # lessThanOrEquals
    bad.add((str(ID["agency/nameless"]), str(RDF.type), "http://www.w3.org/ns/org#Organization"))

    context = shaclpy.index(bundled_graph)
    compiled = shaclpy.document_checks().check(shaclpy.index(bad), context)
    as_graph = Graph()
    for s, p, o in bad:
        as_graph.add(
            (
                URIRef(s),
                URIRef(p),
                Literal(o.value, datatype=URIRef(o.datatype)) if isinstance(o, Lit) else URIRef(o),
            )
        )
    expected = keys(sparql_violations(bundled_graph + as_graph))
    assert len(keys(compiled)) >= 10
    assert keys(compiled) == expected
    # and the worker reports them: the context is set for the processes that extract
    _set_context(context)
    try:
        assert document_quads(source, {}, []).violations == []
    finally:
        _set_context(None)
