"""Identifiers of agencies and the links to the areas they serve (ONS geographies)."""

import textwrap

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL

from inspectgraph.errors import ValidationFailed
from inspectgraph.graph.build import build
from inspectgraph.model.records import RecordsError, parse_records
from inspectgraph.ontology import ID, IG

ONS = "http://statistics.data.gov.uk/id/statistical-geography/"
HEAD = "format: inspectgraph-records/1\nagencies:\n"


def triples(store, s, p):
    """The triples with subject ``s`` and predicate ``p`` in any of the store's graphs (a
    pattern query: a scan of every quad, once per call, was most of this module's time)."""
    rows = store.query("SELECT DISTINCT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"s": s, "p": p})
    return {(s, p, o) for (o,) in rows.rows}


@pytest.mark.parametrize(
    "agency, code",
    [
        ("sunderland-city-council", "E08000024"),
        ("northumbria-police", "E23000007"),
        ("sunderland-ccg", "E38000176"),
        ("nhs-north-east-and-north-cumbria-icb", "E54000050"),
    ],
)
def test_bundled_agencies_carry_their_area_code_and_link_to_the_area(bundled_store, agency, code):
    a = ID[f"agency/{agency}"]
    assert triples(bundled_store, a, IG.gssCode) == {(a, IG.gssCode, Literal(code))}
    assert triples(bundled_store, a, DCTERMS.spatial) == {(a, DCTERMS.spatial, URIRef(ONS + code))}


def test_an_agency_is_never_made_its_area(bundled_store):
    quads = list(bundled_store.quads())  # one scan: the store holds the national history
    assert not [q for q in quads if q[1] == OWL.sameAs]
    areas = {o for _, p, o, _ in quads if p == DCTERMS.spatial}
    assert areas and not areas & {s for s, _, _, _ in quads}


@pytest.mark.parametrize(
    "identifiers, message",
    [
        ("{ons_pfa: E08000024}", "ons_pfa 'E08000024' must start with E23 or W15"),
        ("{ons_icb: E38000176}", "ons_icb 'E38000176' must start with E54"),
        ("{ons_ccg: E54000050}", "ons_ccg 'E54000050' must start with E38"),
        ("{gss: E08000024, ons_pfa: E23000007}", "give one area code, not gss and ons_pfa"),
        ("{gss: 'E08 000024'}", "gss 'E08 000024' must be 1 to 20 letters and digits"),
        ("{ods: QHM}", "unknown key 'ods'"),
    ],
)
def test_identifier_keys_are_checked_when_read(identifiers, message):
    text = HEAD + f"  - {{id: a, label: A, type: police, identifiers: {identifiers}}}\n"
    with pytest.raises(RecordsError) as info:
        parse_records(textwrap.dedent(text), "ids.yaml")
    assert any(message in p for p in info.value.problems), info.value.problems


@pytest.mark.slow
def test_area_code_of_the_wrong_form_is_refused_by_the_shapes(new_store, tmp_path, kind):
    path = tmp_path / "pfa.yaml"
    path.write_text(
        HEAD + "  - {id: a, label: A, type: police, identifiers: {ons_pfa: E2300007}}\n"
    )
    with new_store("s") as store:
        with pytest.raises(ValidationFailed) as info:
            build(store, [path])
        assert "gssCode" in info.value.report and len(store) == 0
