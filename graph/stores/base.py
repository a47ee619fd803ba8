"""The small interface every store backend implements.

Terms crossing the interface are rdflib terms, whatever the backend, so the
analyses, renderers and tests never see a backend's own term classes.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import struct
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier, Node, _invalid_uri_chars

__all__ = [
    "Quad",
    "QueryResult",
    "Store",
    "canonical_quad",
    "default_graph",
    "digest_of",
    "sorted_digest",
    "read_dataset",
]

Quad = tuple[Node, Node, Node, Node | None]


@dataclass
class QueryResult:
    """Result of a SPARQL query: rows for SELECT, a boolean for ASK, a graph otherwise."""

    kind: str  # "select", "ask" or "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def dicts(self) -> list[dict[str, Identifier | None]]:
        """Rows as dicts keyed by variable name."""
        return [dict(zip(self.vars, row, strict=True)) for row in self.rows]


def canonical_quad(s: Node, p: Node, o: Node, g: Node | None) -> str:
    """One N-Quads line in a backend-independent form (plain and xsd:string literals agree)."""
    if isinstance(o, Literal) and o.datatype == XSD.string:
        o = Literal(str(o))
    graph = f" {g.n3()}" if g is not None else ""
    return f"{s.n3()} {p.n3()} {o.n3()}{graph} ."


def digest_of(quads: Iterable[Quad]) -> str:
    """SHA-256 over the sorted canonical lines: equal for equal graphs on any backend."""
    return sorted_digest(_canonical_line(*q) for q in quads)


#: A character rdflib refuses in an IRI it writes (``URIRef.n3``), one search for them all.
NOT_IN_IRI = re.compile("[" + re.escape(_invalid_uri_chars) + "]")


def canonical_text(term: Node) -> str:
    """The text of an object in :func:`canonical_quad`: ``term.n3()``, an xsd:string literal
    written as a plain one, without rdflib's per-call overhead where its answer is known
    (IRIs, blank nodes, plain and language-tagged strings); any other term is rdflib's own."""
    if isinstance(term, Literal):
        if term.language:
            return f"{term._quote_encode()}@{term.language}"
        datatype = term.datatype
        if datatype is None or datatype == XSD.string:
            return term._quote_encode()  # rdflib's escaping, as n3() applies it
        return term.n3()
    return _node_text(term)


def _node_text(term: Node) -> str:
    """``term.n3()`` of a subject, predicate or graph name."""
    if isinstance(term, URIRef):
        if NOT_IN_IRI.search(term) is None:
            return f"<{term}>"
        return term.n3()  # rdflib's refusal, word for word
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3()


def _canonical_line(s: Node, p: Node, o: Node, g: Node | None) -> str:
    """:func:`canonical_quad`'s line, the short way (the same text, tested)."""
    graph = "" if g is None else " " + _node_text(g)
    return f"{_node_text(s)} {_node_text(p)} {canonical_text(o)}{graph} ."


#: Lines sorted in memory at a time by :func:`sorted_digest`; more are spilled to disk.
DIGEST_RUN = 250_000
_LENGTH = struct.Struct(">I")


def sorted_digest(lines: Iterable[str], run: int = DIGEST_RUN) -> str:
    """SHA-256 over ``lines`` in sorted order, each followed by a newline.

    Lines are sorted as UTF-8 bytes, which is their order as strings; runs of ``run``
    lines are sorted and spilled to a temporary file, then merged, so that a store of
    millions of quads is digested in bounded memory (a line may hold newlines: a
    literal's long quotes, hence the length before each line in the spill file)."""
    h = hashlib.sha256()
    batch: list[bytes] = []
    with tempfile.NamedTemporaryFile(prefix="inspectgraph-digest-") as spill:
        runs: list[tuple[int, int]] = []  # (offset, count) of each sorted run
        for line in lines:
            batch.append(line.encode("utf-8", "surrogatepass"))
            if len(batch) >= run:
                runs.append(_spill(spill, batch))
                batch = []
        batch.sort()
        if runs:
            if batch:
                runs.append(_spill(spill, batch))
            spill.flush()
            for line in heapq.merge(*(_read_run(spill.name, *r) for r in runs)):
                h.update(line)
                h.update(b"\n")
        elif batch:  # the common case: one run, hashed in one call
            h.update(b"\n".join(batch))
            h.update(b"\n")
    return h.hexdigest()


def _spill(spill, batch: list[bytes]) -> tuple[int, int]:
    batch.sort()
    offset = spill.tell()
    for line in batch:
        spill.write(_LENGTH.pack(len(line)))
        spill.write(line)
    return offset, len(batch)


def _read_run(path, offset: int, count: int) -> Iterator[bytes]:
    with open(path, "rb", buffering=1 << 20) as stream:
        stream.seek(offset)
        for _ in range(count):
            (size,) = _LENGTH.unpack(stream.read(_LENGTH.size))
            yield stream.read(size)


def read_dataset(source: str | Path | bytes, format: str = "nquads") -> dict[URIRef, Graph]:
    """Parse N-Quads or TriG (a path, or the data as bytes) into one rdflib graph per name."""
    from ...errors import StoreError

    rdflib_format = {"nquads": "nquads", "nq": "nquads", "trig": "trig"}.get(format)
    if rdflib_format is None:
        raise StoreError(f"cannot load {format!r}: use nquads or trig (a named graph per source)")
    name = "<data>" if isinstance(source, bytes) else str(source)
    ds = Dataset()
    try:
        if isinstance(source, bytes):
            ds.parse(data=source, format=rdflib_format)
        else:
            ds.parse(str(source), format=rdflib_format)
    except Exception as exc:  # rdflib raises many kinds
        raise StoreError(f"{name}: cannot read {format}: {exc}") from exc
    if len(default_graph(ds)):
        raise StoreError(
            f"{name}: {len(default_graph(ds))} triple(s) outside any named graph; "
            "every source needs its own named graph"
        )
    graphs: dict[URIRef, Graph] = {}
    for g in ds.graphs():
        if (
            isinstance(g.identifier, URIRef)
            and len(g)
            and g.identifier != default_graph(ds).identifier
        ):
            graphs[URIRef(g.identifier)] = g
    return graphs


def default_graph(ds: Dataset) -> Graph:
    """The default graph of a Dataset (rdflib renamed the attribute in 7.x)."""
    graph = getattr(ds, "default_graph", None)  # an empty Graph is falsy: test for None
    return graph if graph is not None else ds.default_context


class Store(ABC):
    """A quad store holding one named graph per source."""

    kind: str = ""
    #: Traits of the engine that runs the queries (``"rdflib"``: rdflib's evaluator): a named
    #: query's lines conditioned on them (``# if @rdflib``) are resolved by :meth:`query`
    #: (:func:`inspectgraph.graph.sparql.for_engine`), each engine getting its fast shape.
    traits: frozenset[str] = frozenset()
    #: Local stores refuse SERVICE/LOAD/FROM unless this is set (see inspectgraph.graph.netguard).
    allow_network: bool = False

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Replace each named graph by the given triples, all or nothing."""

    def load(self, source: str | Path | bytes, format: str = "nquads") -> dict[URIRef, int]:
        """Replace each named graph of an N-Quads or TriG file (a path, or its bytes) by
        its content there, all or nothing; returns the triple count per graph.

        Triples outside any named graph are refused: every source has its own graph.
        """
        graphs = read_dataset(source, format)
        self.replace_graphs(graphs)
        return {name: len(g) for name, g in graphs.items()}

    def load_stream(self, parts: Iterable[tuple[URIRef, bytes]]) -> None:
        """Replace each named graph of ``parts`` -- (name, its whole content as N-Quads) --
        all or nothing; an exception raised while ``parts`` is read leaves the store as it
        was. (Backends that can write as the parts arrive override this.)"""
        data = b"".join(chunk for _name, chunk in parts)
        if data:
            self.load(data, "nquads")

    def spool_dir(self):
        """A context manager giving a temporary folder for input spooled before a write
        (a release's decompressed graph, a stream): the system's temporary folder here;
        an on-disk store keeps it beside itself, so that what a killed process left is
        removed by the store's next writer."""
        return tempfile.TemporaryDirectory(prefix="inspectgraph-write-")

    @abstractmethod
    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        """Remove named graphs, all or nothing."""

    @abstractmethod
    def graph_names(self) -> list[URIRef]:
        """Names of the non-empty named graphs, sorted."""

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs, ``bindings`` pre-bound as terms;
        lines conditioned on engine traits resolved for this store's :attr:`traits`."""

    @abstractmethod
    def quads(self) -> Iterator[Quad]:
        """Every quad in the store."""

    def __len__(self) -> int:
        return sum(1 for _ in self.quads())

    def dump_nquads(self, out) -> None:
        """Write every quad as N-Quads to the binary stream ``out``, a quad at a time
        (backends with a serializer of their own override this)."""
        from rdflib.plugins.serializers.nquads import _nq_row
        from rdflib.plugins.serializers.nt import _nt_row

        for s, p, o, g in self.quads():
            row = _nt_row((s, p, o)) if g is None else _nq_row((s, p, o), g)
            out.write(row.encode("utf-8"))

    def digest(self) -> str:
        """Content digest; two identical builds give the same value."""
        return digest_of(self.quads())

    def dataset(self) -> Dataset:
        """A copy of the whole store as an rdflib Dataset (for export and validation)."""
        ds = Dataset()
        for s, p, o, g in self.quads():
            ds.add((s, p, o, g if g is not None else default_graph(ds).identifier))
        return ds

    def close(self) -> None:  # noqa: B027 - optional for backends
        """Release resources."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
