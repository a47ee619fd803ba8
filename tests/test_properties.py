"""Property-based tests (hypothesis): parsing never half-accepts; RDF round-trips."""

from __future__ import annotations

import re
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from inspectgraph.errors import InputError
from inspectgraph.graph.export import EXPORT_FORMATS, QUAD_FORMATS, serialize
from inspectgraph.graph.stores import open_store
from inspectgraph.model.records import RecordsError, parse_records
from inspectgraph.testing import assert_isomorphic

KEYS = [
    "id",
    "label",
    "type",
    "la",
    "documents",
    "title",
    "published",
    "inspection",
    "polarity",
    "themes",
    "agencies",
    "summary",
    "quote",
    "exact",
    "start",
    "end",
    "identifiers",
    "gss",
    "alt_labels",
    "judgements",
    "junk",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.text(max_size=20),
    st.sampled_from(["police", "front_door", "weakness", "2020-01-01", "2020-02-30", "a", "acme"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
    ),
    max_leaves=12,
)
documents = st.fixed_dictionaries(
    {"format": st.sampled_from(["inspectgraph-records/1", "other"])},
    optional={
        "agencies": st.lists(
            st.dictionaries(st.sampled_from(KEYS), values, max_size=6), max_size=3
        ),
        "inspections": values,
        "findings": values,
        "title": scalars,
    },
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_records_parsing_rejects_or_accepts_never_half_accepts(doc):
    text = yaml.safe_dump(doc, allow_unicode=True)
    try:
        records = parse_records(text, "prop.yaml")
    except RecordsError as exc:
        assert str(exc).startswith("prop.yaml: ") and exc.problems
        return
    # accepted: every item of every list became a record
    assert len(records.agencies) == len(doc.get("agencies") or [])
    for name in ("inspections", "findings"):
        assert len(getattr(records, name)) == len(doc.get(name) or [])


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
)
literals = st.one_of(
    texts.map(Literal),
    st.tuples(texts, st.sampled_from(["en", "en-GB", "cy"])).map(
        lambda t: Literal(t[0], lang=t[1])
    ),
    st.integers(-(10**12), 10**12).map(Literal),
    st.dates().map(Literal),
    st.booleans().map(Literal),
)
local_names = st.text(
    alphabet=string.ascii_letters + string.digits + "-_~", min_size=1, max_size=12
)
predicate_names = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,10}", fullmatch=True)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(local_names, predicate_names, literals), min_size=1, max_size=8))
def test_rdf_export_import_round_trips(triples):
    store = open_store(kind="oxigraph")
    g = Graph()
    for s, p, o in triples:
        g.add((URIRef(f"https://example.org/s/{s}"), URIRef(f"https://example.org/p/{p}"), o))
    name = URIRef("https://w3id.org/inspectgraph/id/graph/prop")
    store.replace_graphs({name: g})
    for fmt in EXPORT_FORMATS:
        if fmt == "xml" and any(
            re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", str(o)) for *_, o in triples
        ):
            with pytest.raises(InputError, match="XML forbids"):
                serialize(store, fmt)
            continue
        data = serialize(store, fmt)
        back = Graph()
        if fmt in QUAD_FORMATS:
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(data=data, format={"nq": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt])
            for s, p, o, _g in ds.quads((None, None, None, None)):
                back.add((s, p, o))
        else:
            back.parse(data=data, format={"ttl": "turtle", "nt": "nt", "xml": "xml"}[fmt])
        expected = Graph()
        for s, p, o, _g in store.quads():
            expected.add((s, p, o))
        assert_isomorphic(back, expected)
