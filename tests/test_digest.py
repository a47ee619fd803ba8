"""The store digest's short path gives rdflib's value to the character.

A store's digest is SHA-256 over its quads' canonical lines (:func:`canonical_quad`: each
term's ``n3()`` from rdflib, an xsd:string literal written plain). Both on-disk backends
now write those lines without building rdflib terms where rdflib's answer is known
(:func:`canonical_text`, :class:`CanonicalText`). Here the new digest is compared with
the rdflib path over literals chosen to break an escaper -- quotes, backslashes, newlines,
carriage returns, tabs, control characters, characters outside the BMP, language tags,
lexical forms rdflib rewrites ("01" as an xsd:integer), custom datatypes, blank nodes --
on the Oxigraph and the memory backend, and term by term over generated literals.
The bundled data's digest on every backend is the one the README's demo prints
(tests/test_build.py; tests/test_demo.py checks the demo's whole output)."""

from __future__ import annotations

import warnings

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, URIRef

from inspectgraph.graph.stores import canonical_quad, digest_of, open_store
from inspectgraph.graph.stores.base import canonical_text, default_graph, sorted_digest
from inspectgraph.graph.stores.oxterms import CanonicalText, from_ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CUSTOM = "https://example.org/dt#code"
GRAPH = ox.NamedNode("https://example.org/graph/hostile")

TEXTS = [
    "",
    "plain",
    'say "hello"',
    'ends with a quote"',
    'ends with an escaped quote\\"',
    "back\\slash and \\n written out",
    "line one\nline two",
    'newline then a quote at the end\n"',
    'triple """ quotes\ninside',
    '"""',
    'x"""\n',
    "carriage\rreturn",
    "both\r\nkinds",
    "tab\there",
    "controls \x00 \x01 \x08 \x0b \x0c \x1f \x7f",
    "outside the BMP: \U0001d11e \U0001f600",
    "accents é ü ß, and \u2028 \u2029",
    "\n",
    "\\",
    '\\"',
    "trailing backslash \\",
]
#: (lexical form, datatype): forms rdflib keeps, rewrites ("01" -> "1") or writes specially
TYPED = [
    ("01", XSD + "integer"),
    ("-0", XSD + "integer"),
    ("abc", XSD + "integer"),
    ("1", XSD + "boolean"),
    ("0", XSD + "boolean"),
    ("true", XSD + "boolean"),
    ("2020-01-05", XSD + "date"),
    ("2020-1-5", XSD + "date"),
    ("2020-01-05Z", XSD + "date"),
    ("2020-01-05T10:00:00+01:00", XSD + "dateTime"),
    ("1.50", XSD + "decimal"),
    ("1", XSD + "decimal"),
    ("1e0", XSD + "double"),
    ("INF", XSD + "double"),
    ("NaN", XSD + "float"),
    ("not a number", XSD + "double"),
    ("  two\tspaces \n", XSD + "normalizedString"),
    ("  a   token ", XSD + "token"),
    ("P1Y2M", XSD + "duration"),
    ("2020", XSD + "gYear"),
    ("<b>bold</b>", RDF + "XMLLiteral"),
    ('A-1 "quoted"\nnext', CUSTOM),
    ("", CUSTOM),
    ("2020-01-05", "urn:x-other:date"),
]
LANGUAGES = ["en", "en-gb", "cy", "de-ch-1996"]


def hostile_quads() -> list[ox.Quad]:
    s = ox.NamedNode("https://example.org/s")
    blank = ox.BlankNode("b0")
    quads = []
    for i, text in enumerate(TEXTS):
        p = ox.NamedNode(f"https://example.org/p{i}")
        quads.append(ox.Quad(s, p, ox.Literal(text), GRAPH))
        quads.append(
            ox.Quad(
                blank,
                p,
                ox.Literal(text + " (string)", datatype=ox.NamedNode(XSD + "string")),
                GRAPH,
            )
        )
        quads.append(ox.Quad(s, p, ox.Literal(text, language=LANGUAGES[i % len(LANGUAGES)]), GRAPH))
        quads.append(ox.Quad(s, p, ox.Literal(text, datatype=ox.NamedNode(CUSTOM)), GRAPH))
    for i, (lexical, datatype) in enumerate(TYPED):
        p = ox.NamedNode(f"https://example.org/t{i}")
        quads.append(ox.Quad(s, p, ox.Literal(lexical, datatype=ox.NamedNode(datatype)), GRAPH))
    quads.append(ox.Quad(s, ox.NamedNode("https://example.org/knows"), blank, GRAPH))
    quads.append(ox.Quad(blank, ox.NamedNode("https://example.org/é/ü?q=1#x"), s, GRAPH))
    return quads


def rdflib_digest(store) -> str:
    """The digest as it was computed before the short path: rdflib's n3() of every term."""
    return sorted_digest(canonical_quad(*q) for q in store.quads())


@pytest.fixture(scope="module")
def hostile_stores(tmp_path_factory):
    """The hostile quads, as N-Quads, in an Oxigraph and a memory store."""
    data = ox.serialize(hostile_quads(), format=ox.RdfFormat.N_QUADS)
    root = tmp_path_factory.mktemp("hostile")
    stores = {}
    with warnings.catch_warnings():  # rdflib warns of the ill-typed numbers
        warnings.simplefilter("ignore")
        for kind in ("oxigraph", "memory"):
            store = stores[kind] = open_store(root / kind, kind=kind)
            store.load_stream([(URIRef(GRAPH.value), data)])
        yield stores
    for store in stores.values():
        store.close()


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("kind", ["oxigraph", "memory"])
def test_the_digest_of_hostile_literals_is_rdflibs(hostile_stores, kind):
    store = hostile_stores[kind]
    assert len(store) == len(hostile_quads())
    assert store.digest() == rdflib_digest(store) == digest_of(store.quads())


@pytest.mark.filterwarnings("ignore")
def test_both_backends_agree_on_hostile_literals(tmp_path):
    # Left out, as the backends differ there whatever the digest's path: blank nodes (each
    # parser labels them its own way) and xsd:decimal (Oxigraph keeps the value, "1.50"
    # coming back as "1.5"; rdflib keeps the lexical form). "01" as an xsd:integer is
    # rewritten by both (Oxigraph as it stores it, rdflib as it writes it).
    quads = [
        q
        for q in hostile_quads()
        if not isinstance(q.subject, ox.BlankNode)
        and not isinstance(q.object, ox.BlankNode)
        and not (isinstance(q.object, ox.Literal) and q.object.datatype.value == XSD + "decimal")
    ]
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    digests = {}
    for kind in ("oxigraph", "memory"):
        with open_store(tmp_path / kind, kind=kind) as store:
            store.load_stream([(URIRef(GRAPH.value), data)])
            digests[kind] = store.digest()
            assert digests[kind] == rdflib_digest(store)
    assert digests["oxigraph"] == digests["memory"]


@pytest.mark.filterwarnings("ignore")
def test_each_hostile_term_is_written_as_rdflib_writes_it():
    text = CanonicalText()
    for quad in hostile_quads():
        for term in (quad.subject, quad.predicate, quad.graph_name):
            assert text.node(term) == from_ox(term).n3()
        o = quad.object
        expected = canonical_quad(URIRef("s:"), URIRef("p:"), from_ox(o), None)
        if isinstance(o, ox.Literal):
            assert f"<s:> <p:> {text.literal(o)} ." == expected, o
            rdflib_term = from_ox(o)
            assert f"<s:> <p:> {canonical_text(rdflib_term)} ." == expected, o
        else:
            assert f"<s:> <p:> {text.node(o)} ." == expected


def test_blank_nodes_and_the_default_graph():
    b = BNode("x1")
    quads = [(b, URIRef("https://example.org/p"), BNode("x2"), None)]
    assert digest_of(quads) == sorted_digest(canonical_quad(*q) for q in quads)


def test_an_iri_rdflib_refuses_is_refused_as_rdflib_refuses_it():
    bad = URIRef("https://example.org/a b")
    with pytest.raises(Exception) as ours:
        digest_of([(bad, bad, bad, None)])
    with pytest.raises(Exception) as theirs:
        canonical_quad(bad, bad, bad, None)
    assert str(ours.value) == str(theirs.value)


# characters pyoxigraph can hold: any but the lone surrogates
CHARACTERS = st.characters(blacklist_categories=("Cs",))
DATATYPES = [
    None,
    XSD + "string",
    XSD + "integer",
    XSD + "boolean",
    XSD + "date",
    XSD + "decimal",
    XSD + "double",
    XSD + "token",
    CUSTOM,
]


@pytest.mark.filterwarnings("ignore")
@given(
    text=st.one_of(
        st.text(CHARACTERS, max_size=30),
        st.text(st.sampled_from('"\\\n\r\t x01.'), max_size=12),
    ),
    language=st.sampled_from([None, *LANGUAGES]),
    datatype=st.sampled_from(DATATYPES),
)
def test_any_literal_is_written_as_rdflib_writes_it(text, language, datatype):
    if language:
        literal = ox.Literal(text, language=language)
    elif datatype:
        literal = ox.Literal(text, datatype=ox.NamedNode(datatype))
    else:
        literal = ox.Literal(text)
    rdflib_term = from_ox(literal)
    assert CanonicalText().literal(literal) == canonical_text(rdflib_term)
    expected = canonical_quad(URIRef("s:"), URIRef("p:"), rdflib_term, None)
    assert f"<s:> <p:> {canonical_text(rdflib_term)} ." == expected


@pytest.mark.filterwarnings("ignore")
def test_a_memory_store_reopens_to_the_quads_rdflibs_parser_reads(tmp_path):
    """The memory store's file is read by pyoxigraph when that gives rdflib's own quads (the
    hostile literals, blank nodes, the default graph) and by rdflib's parser when it would
    not (a capital in a language tag, which pyoxigraph lowers; a literal typed xsd:string,
    which it makes plain)."""
    from collections import Counter

    from rdflib import Dataset, Literal

    from inspectgraph.graph.stores.memory import MemoryStore, _read_by_pyoxigraph

    def shape(quads):  # blank nodes are new on every parse: compared by how many
        blanks = {t for q in quads for t in q if isinstance(t, BNode)}
        return len(blanks), Counter(tuple("_:" if t in blanks else t for t in q) for q in quads)

    data = ox.serialize(hostile_quads(), format=ox.RdfFormat.N_QUADS)
    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    extras = {
        "read by pyoxigraph": [],
        "a capital": [(s, p, Literal("x", lang="en-GB"))],
        "xsd:string": [(s, p, Literal("y", datatype=URIRef(XSD + "string")))],
    }
    for case, triples in extras.items():
        with MemoryStore(tmp_path / case) as store:
            store.load_stream([(URIRef(GRAPH.value), data)])
            store._ds.add((s, p, BNode()))  # in the default graph
            for triple in triples:
                store._ds.add(triple)
            store._save()
            written = list(store.quads())
        snapshot = tmp_path / case / "store.nq"
        assert _read_by_pyoxigraph(Dataset(), snapshot.read_bytes()) == (not triples), case
        reference = Dataset(default_union=True)
        reference.parse(snapshot, format="nquads")
        reference_store = MemoryStore()
        reference_store._ds = reference
        with MemoryStore(tmp_path / case, read_only=True) as reopened:
            assert shape(list(reopened.quads())) == shape(list(reference_store.quads())), case
            assert shape(list(reopened.quads())) == shape(written), case


def test_what_pyoxigraph_reads_otherwise_goes_to_rdflibs_parser():
    """An escaped "#" spelling xsd:string, and a language direction (which pyoxigraph drops
    and rdflib refuses), are never read by pyoxigraph."""
    from rdflib import Dataset

    from inspectgraph.graph.stores.memory import _read_by_pyoxigraph

    typed = b'<s:a> <s:b> "x"^^<http://www.w3.org/2001/XMLSchema\\u0023string> .\n'
    direction = b'<s:a> <s:b> "x"@en--ltr .\n'
    for data in (typed, direction):
        ds = Dataset()
        assert not _read_by_pyoxigraph(ds, data) and len(ds) == 0, data
    assert _read_by_pyoxigraph(Dataset(), b'<s:a> <s:b> "x"@en .\n')


def test_the_memory_stores_bulk_fill_leaves_the_state_addn_leaves():
    """`fill_memory` (how a memory store's file is read) leaves rdflib's Memory store in the
    state `Memory.addN` of the same quads leaves, index by index and in the same order: a
    triple in two graphs, one added twice, the default graph, blank nodes, the first triple
    again in a second graph; then both answer and change alike."""
    from rdflib import Dataset, Literal

    from inspectgraph.graph.stores.memory import (
        _MEMORY_STATE,
        MemoryStore,
        fill_memory,
        knows_memory_layout,
        memory_quads,
    )

    e = "https://example.org/"
    s, p, q = URIRef(e + "s"), URIRef(e + "p"), URIRef(e + "q")
    blank = BNode()
    triples = [
        (s, p, Literal("one")),
        (s, q, Literal("deux", lang="fr")),
        (blank, p, Literal(3)),
        (s, p, blank),
        (URIRef(e + "t"), p, Literal("\U0001f600")),
        (URIRef(e + "t"), q, s),  # in the first quad's graph alone
    ]

    def quads_for(ds):
        a, b = ds.graph(URIRef(e + "a")), ds.graph(URIRef(e + "b"))
        default = default_graph(ds)
        t = triples
        return [(*t[0], a), (*t[1], a), (*t[2], b), (*t[1], b), (*t[1], a), (*t[3], default),
                (*t[0], b), (*t[4], b), (*t[3], a), (*t[5], a)]  # fmt: skip

    def state(ds):
        store = ds.store
        out = {n: getattr(store, "_Memory__" + n) for n in _MEMORY_STATE}
        out["context_obj_map"] = {k: g.identifier for k, g in out["context_obj_map"].items()}
        out["all_contexts"] = {g.identifier for g in out["all_contexts"]}
        orders = {n: _orders(out[n]) for n in ("spo", "pos", "osp", "contextTriples")}
        # the order of each triple's graphs (which the store's contexts(triple) follows)
        orders["tripleContexts"] = {t: list(c) for t, c in out["tripleContexts"].items()}
        orders["defaultContexts"] = list(out["defaultContexts"])
        return out, orders

    reference, filled = Dataset(default_union=True), Dataset(default_union=True)
    reference.store.addN(quads_for(reference))
    if not knows_memory_layout():  # another rdflib: the public methods, not the fast paths
        assert not fill_memory(filled.store, quads_for(filled))
        assert memory_quads(reference.store) is None
        return
    assert fill_memory(filled.store, quads_for(filled))
    assert state(filled) == state(reference)
    for ds in (reference, filled):
        ds.remove((s, q, None))
        ds.graph(URIRef(e + "b")).add((s, q, Literal("again")))
    assert state(filled) == state(reference)
    assert sorted(filled.quads()) == sorted(reference.quads())
    assert not fill_memory(filled.store, quads_for(filled))  # only an empty store
    # the memory store reads its quads from the indexes, in the order Dataset.quads gives
    store = MemoryStore()
    store._ds = filled
    default = default_graph(filled).identifier
    expected = [(s, p, o, None if g == default else g) for s, p, o, g in filled.quads()]
    assert list(store.quads()) == expected and len(expected) == 8


def _orders(value):
    """The key order of nested dicts (what iteration over them gives)."""
    if isinstance(value, dict):
        return [(k, _orders(v)) for k, v in value.items()]
    return None
