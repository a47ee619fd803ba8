"""rdflib's in-memory Dataset as a store; optionally kept as an N-Quads file.

Slower than Oxigraph (see the README), kept selectable with ``--memory`` because it
needs nothing beyond rdflib and makes a good reference implementation in tests.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.term import Identifier

from ...errors import StoreError, one_line
from ..netguard import check_offline
from ..sparql import for_engine
from .base import Quad, QueryResult, Store, default_graph
from .oxterms import Converter, from_ox

__all__ = ["MemoryStore"]

SNAPSHOT = "store.nq"


class MemoryStore(Store):
    """rdflib Dataset; with ``path`` a directory, its content persists in ``path/store.nq``,
    rewritten atomically after every change: a temporary file, ``fsync``, then a rename
    over the old one, so a crash leaves the old file or the new, never a mix."""

    kind = "memory"
    traits = frozenset({"rdflib"})  # subqueries joined pairwise: named queries look facts up

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._ds = Dataset(default_union=True)
        snapshot = self._snapshot()
        if snapshot is not None and snapshot.exists():
            data = snapshot.read_bytes()
            if not _read_by_pyoxigraph(self._ds, data):
                try:
                    self._ds.parse(data=data, format="nquads")
                except Exception as exc:  # rdflib raises many kinds
                    raise StoreError(f"{snapshot}: cannot read the store: {exc}") from exc

    def _snapshot(self) -> Path | None:
        return self.path / SNAPSHOT if self.path is not None else None

    def _save(self) -> None:
        snapshot = self._snapshot()
        if snapshot is None:
            return
        if self.read_only:
            raise StoreError(f"{self.path}: store opened read-only")
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=snapshot.parent, prefix=".store-", suffix=".nq")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(self._ds.serialize(format="nquads", encoding="utf-8"))
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, snapshot)  # the commit: readers see the old file or the new
            _sync_dir(snapshot.parent)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        for name, graph in graphs.items():
            self._ds.remove_graph(URIRef(name))
            target = self._ds.graph(URIRef(name))
            for triple in graph:
                target.add(triple)
        self._save()

    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        for name in names:
            self._ds.remove_graph(URIRef(name))
        self._save()

    def graph_names(self) -> list[URIRef]:
        return sorted(
            URIRef(c.identifier)
            for c in self._ds.graphs()
            if isinstance(c.identifier, URIRef)
            and len(c) > 0
            and c.identifier != default_graph(self._ds).identifier
        )

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        check_offline(sparql, allow_network=self.allow_network)
        sparql = for_engine(sparql, self.traits)
        try:
            result = self._ds.query(sparql, initBindings=dict(bindings or {}))
        except Exception as exc:
            raise StoreError(f"SPARQL error: {one_line(exc)}") from exc
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type == "SELECT":
            names = [str(v) for v in result.vars]
            return QueryResult("select", vars=names, rows=[tuple(row) for row in result])
        g = Graph()
        for triple in result:
            g.add(triple)
        return QueryResult("graph", graph=g)

    def quads(self) -> Iterator[Quad]:
        default = default_graph(self._ds).identifier
        fast = memory_quads(self._ds.store)
        if fast is not None:
            for s, p, o, name in fast:
                yield s, p, o, (None if name == default else name)
            return
        for s, p, o, g in self._ds.quads((None, None, None, None)):
            name = g.identifier if isinstance(g, Graph) else g
            yield s, p, o, (None if name == default else name)


#: rdflib release series whose private ``Memory`` layout :func:`fill_memory` and
#: :func:`memory_quads` were checked against (tests/test_digest.py compares them with the
#: public methods); under any other, the public methods are used.
LAYOUT_CHECKED = ("7.6.",)


def knows_memory_layout() -> bool:
    """Whether the installed rdflib is of a release series checked for the fast paths."""
    import rdflib

    return rdflib.__version__.startswith(LAYOUT_CHECKED)


def memory_quads(store) -> Iterator[tuple] | None:
    """Every (s, p, o, graph name) of rdflib's ``Memory`` store, in the order
    ``Dataset.quads()`` gives them (each triple of the store's set of them, then each graph
    that holds it, in the order the store keeps them), read from the store's indexes
    without the per-triple generators ``Memory.triples`` makes: a fifth of the time.
    None when ``store`` is not a ``Memory`` store of the layout this knows."""
    from rdflib.plugins.stores.memory import Memory

    if type(store) is not Memory or not knows_memory_layout():
        return None
    try:
        every = store._Memory__contextTriples[None]
        contexts = store._Memory__tripleContexts
        default = store._Memory__defaultContexts
        graphs = store._Memory__context_obj_map
    except (AttributeError, KeyError):
        return None
    return _memory_quads(every.copy(), contexts, default, graphs)


def _memory_quads(triples, contexts, default, graphs) -> Iterator[tuple]:
    names: dict = {}
    for triple in triples:
        for context, quoted in contexts.get(triple, default).items():
            if quoted or context is None:
                continue
            try:
                name = names[context]
            except KeyError:
                name = names[context] = graphs.get(context, context).identifier
            yield (*triple, name)


#: What pyoxigraph would read otherwise than rdflib: a literal typed xsd:string (pyoxigraph
#: makes it plain), a language tag with a capital (pyoxigraph lowers it) or a direction
#: ("@en--ltr": pyoxigraph drops it, rdflib refuses it), and any \u or \U escape (which
#: could spell either inside an IRI; our own writer writes none).
_READ_BY_RDFLIB = re.compile(
    rb'\^\^<http://www\.w3\.org/2001/XMLSchema#string>|"@[A-Za-z0-9-]*(?:[A-Z]|--)|\\[uU]'
)


def _read_by_pyoxigraph(ds: Dataset, data: bytes) -> bool:
    """Fill the empty ``ds`` with the N-Quads ``data`` parsed by pyoxigraph, which is about
    twice as fast as rdflib's parser (and makes one rdflib term per distinct term), giving
    the same quads: each blank node label a new blank node, as rdflib's parser does. False,
    with ``ds`` left empty, when the file holds what pyoxigraph reads otherwise or cannot
    read: rdflib's parser then reads it as before."""

    if _READ_BY_RDFLIB.search(data):
        return False
    # each blank node label a new blank node of this store; the other terms are immutable,
    # looked up in the process's shared conversions (a process opening stores again, as the
    # tests' in-process commands do, converts each IRI and literal once)
    terms: dict = {}
    shared = Converter(shared=True).to_rdflib
    contexts: dict = {}

    def term(t):
        try:
            return terms[t]
        except KeyError:
            if isinstance(t, ox.BlankNode):
                made = terms[t] = BNode()
                return made
            try:
                made = terms[t] = shared[t]
            except KeyError:
                made = terms[t] = shared[t] = from_ox(t)
            return made

    def context(g):
        try:
            return contexts[g]
        except KeyError:
            if isinstance(g, ox.DefaultGraph):
                made = default_graph(ds)
            else:
                made = ds.graph(term(g))  # a named graph, made once
            contexts[g] = made
            return made

    try:
        quads = [
            (term(q.subject), term(q.predicate), term(q.object), q.graph_name)
            for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)
        ]
    except (SyntaxError, ValueError):
        return False
    # straight to the dataset's store: each quad's context is already a graph of ``ds``, which
    # ``Dataset.addN`` would otherwise make anew for every quad (a fifth of the time)
    quads = [(s, p, o, context(g)) for s, p, o, g in quads]
    if not fill_memory(ds.store, quads):
        ds.store.addN(quads)
    return True


#: The private state of rdflib's ``Memory`` store that :func:`fill_memory` writes.
_MEMORY_STATE = (
    "spo",
    "pos",
    "osp",
    "context_obj_map",
    "tripleContexts",
    "contextTriples",
    "all_contexts",
    "defaultContexts",
)


def fill_memory(store, quads: list) -> bool:
    """Add ``quads`` -- (s, p, o, context graph), none quoted -- to rdflib's empty ``Memory``
    store all at once, leaving it in the state ``store.addN(quads)`` leaves (the same
    indexes, in the same order; tests/test_backends.py compares them) in a third of the
    time: ``Memory.add`` pays an event dispatch and a context lookup per quad.

    False, with nothing written, when ``store`` is not an empty ``Memory`` store of the
    layout this knows, or has event subscribers: the caller then adds the quads itself."""
    from rdflib.plugins.stores.memory import Memory

    if type(store) is not Memory or store.dispatcher.get_map() or not knows_memory_layout():
        return False
    try:
        state = {name: getattr(store, "_Memory__" + name) for name in _MEMORY_STATE}
    except AttributeError:  # another rdflib's layout
        return False
    if (
        state["spo"]
        or state["tripleContexts"]
        or state["defaultContexts"] is not None
        or state["contextTriples"] != {None: set()}
    ):
        return False
    spo, pos, osp = state["spo"], state["pos"], state["osp"]
    context_triples, every = state["contextTriples"], state["contextTriples"][None]
    names: dict = {}  # id of a context graph -> (its name in the store, its triples)
    contexts: dict = {}  # triple -> {context name: False, None: False}, as Memory.add makes
    for s, p, o, graph in quads:
        try:
            name, in_graph = names[id(graph)]
        except KeyError:
            name = f"{graph.identifier.__class__.__name__}:{graph.identifier}"
            state["context_obj_map"][name] = graph
            state["all_contexts"].add(graph)
            in_graph = context_triples.setdefault(name, set())
            names[id(graph)] = name, in_graph
        triple = (s, p, o)
        known = contexts.get(triple)
        if known is None:
            try:
                po = spo[s]
            except KeyError:
                po = spo[s] = {}
            try:
                po[p][o] = 1
            except KeyError:
                po[p] = {o: 1}
            try:
                os_ = pos[p]
            except KeyError:
                os_ = pos[p] = {}
            try:
                os_[o][s] = 1
            except KeyError:
                os_[o] = {s: 1}
            try:
                sp = osp[o]
            except KeyError:
                sp = osp[o] = {}
            try:
                sp[s][p] = 1
            except KeyError:
                sp[s] = {p: 1}
            contexts[triple] = {name: False, None: False}
        else:
            known[name] = False
        every.add(triple)
        in_graph.add(triple)
    if contexts:
        first = quads[0][3]
        default = {names[id(first)][0]: False, None: False}
        state["tripleContexts"].update(
            (triple, known) for triple, known in contexts.items() if known != default
        )
        store._Memory__defaultContexts = default
    return True


def _sync_dir(path: Path) -> None:
    """Flush the directory entry, so that the rename itself survives a power loss."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some filesystems cannot sync a directory
        pass
    finally:
        os.close(fd)
