"""The default store: Oxigraph embedded (pyoxigraph), persistent on disk.

Chosen by measurement (docs/benchmarks.md): it loads and answers the partnership
aggregate many times faster than rdflib's in-memory store.

Writes keep one promise whatever their size: until a write commits, the store answers
exactly as before it, and a crash or an I/O error at any moment leaves it exactly as
before or exactly as after (docs/serving.md, "Durability").

- Small writes (up to :attr:`OxigraphStore.bulk_threshold` quads) are one SPARQL
  Update — ``DROP SILENT GRAPH`` and ``INSERT DATA`` for every graph — which Oxigraph
  applies as a single transaction: all graphs change or none does.
- Large writes use Oxigraph's bulk loader, which is much faster but not transactional,
  so it never writes into the live store: it writes into a checkpoint of it beside it
  (``.NAME.next-*``, hard links: milliseconds at any size), or into a fresh directory
  when the write replaces every graph, and the two directories are then exchanged in
  one atomic step (:mod:`inspectgraph.graph.stores.swap`). Until that step the old directory
  is untouched; a crash leaves a stray copy that the next writer removes.
- A first load into an empty store goes straight to the bulk loader under a journal
  graph that marks the whole store in flux: after a crash it is empty again, as before.
  (Stores written by earlier versions may hold a journal naming graphs being replaced:
  those are dropped when the store is next opened for writing, hidden until then.)

Terms cross the interface as rdflib terms, converted once per distinct term (:mod:`.oxterms`);
input is checked and cut into pieces for the bulk loader by :mod:`.oxinput`.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Identifier

from ...errors import StoreError, one_line
from ..netguard import check_offline
from ..sparql import for_engine, inject_values
from . import swap
from .base import Quad, QueryResult, Store, sorted_digest
from .ordering import sort_rows, split_order
from .oxinput import (
    chunks,
    has_blank_nodes,
    line_chunks,
    name_of,
    ox_format,
    parse_quads,
    part_chunks,
    scan_quads,
)
from .oxterms import CanonicalText, Converter, from_ox, quads_of

__all__ = ["JOURNAL", "OxigraphStore"]

#: Internal graph naming the graphs a bulk write is replacing (absent between writes).
JOURNAL = ox.NamedNode("urn:x-inspectgraph:journal")
_PENDING = ox.NamedNode("urn:x-inspectgraph:pending")
READ_ONLY_ATTEMPTS = 8


def _create(path: Path) -> None:
    """Create an empty store so that it appears whole or not at all: RocksDB writes
    several files on creation, and a process killed half-way would leave a directory
    that no longer opens. Initialise in a sibling directory, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.creating-"))
    try:
        store = ox.Store(str(staging))
        store.flush()
        del store  # closes RocksDB
        os.rename(staging, path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _is_race(exc: Exception) -> bool:
    text = str(exc)
    return "No such file" in text or "Corruption" in text or "IO error" in text


_ALL = ox.NamedNode("urn:x-inspectgraph:all-graphs")  # journal subject: the whole store
#: Quads per call of the bulk loader: its memory grows with the call, not the total.
CHUNK = 100_000


class OxigraphStore(Store):
    """Persistent Oxigraph store in a directory (``path=None``: in memory)."""

    kind = "oxigraph"
    #: Writes of more quads than this go through the bulk loader (see the module docstring).
    bulk_threshold = 20_000

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._hidden: frozenset = frozenset()
        self._lock = swap.StoreLock(self.path) if self.path is not None else None
        self._dir_fd: int | None = None
        self._store = None
        self._reopen()

    def _pinned_directory(self) -> str:
        """The store's directory as it is now, for a reader: a writer may swap a new
        directory in while RocksDB opens its files one by one, so they are opened through a
        descriptor of this one (``/proc/self/fd/N``), never by name; files it loses later to
        the writer make the query fail with a race, and the reader reopens."""
        if self._store is not None or self._dir_fd is not None:  # a reopening
            self._store = None  # the descriptor is closed only once nothing can use it
            gc.collect()  # (a first opening has nothing to free: the collection is skipped)
        self._unpin()
        if not Path("/proc/self/fd").is_dir():
            return str(self.path)
        self._dir_fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY)
        return f"/proc/self/fd/{self._dir_fd}"

    def _unpin(self) -> None:
        if self._dir_fd is not None:
            os.close(self._dir_fd)
        self._dir_fd = None

    def spool_dir(self):
        """Beside the store (:func:`swap.spool_dir`: its next writer removes what a killed
        process left), or the system's temporary folder for a store in memory."""
        if self.path is None:
            return super().spool_dir()
        return swap.spool_dir(self.path)

    def _lock_for_writing(self) -> None:
        """Hold the store's writer lock while open, and tidy up after an interrupted write."""
        if self._lock.held:
            return
        if not self._lock.acquire():
            raise StoreError(
                f"{self.path}: the store is being written by another process (a build?)"
            )
        swap.recover(self.path)

    def _open(self):
        """Open the store; a read-only opening is retried, because a writer in another
        process may delete files (compaction) between the reader listing and opening them."""
        for attempt in range(READ_ONLY_ATTEMPTS):
            try:
                if self.path is None:
                    return ox.Store()
                if self.read_only:
                    return ox.Store.read_only(self._pinned_directory())
                self._lock_for_writing()
                if not self.path.exists():
                    _create(self.path)
                return ox.Store(str(self.path))
            except (OSError, RuntimeError, ValueError) as exc:
                if not (self.read_only and _is_race(exc)) or attempt == READ_ONLY_ATTEMPTS - 1:
                    raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _reopen(self) -> None:
        """(Re)open and recover from an interrupted bulk write; a read-only view that
        loses files to a concurrent writer's compaction while doing so tries again."""
        for attempt in range(READ_ONLY_ATTEMPTS):
            self._store = self._open()
            self._hidden = frozenset()
            try:
                if self._store.contains_named_graph(JOURNAL):
                    self._recover()
                return
            except (OSError, RuntimeError) as exc:
                if not (self.read_only and _is_race(exc)) or attempt == READ_ONLY_ATTEMPTS - 1:
                    raise StoreError(
                        f"{self.path}: cannot open the store: {one_line(exc)}"
                    ) from exc
                time.sleep(0.05 * (attempt + 1))

    # ------------------------------------------------------------------ writes

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        self._write(quads_of(graphs))

    def load(self, source, format: str = "nquads") -> dict[URIRef, int]:
        fmt = ox_format(format)
        if self.path is not None and not self.read_only and self._is_empty():
            return self._load_into_empty(source, fmt, format)
        counts = scan_quads(source, format)  # the whole input is checked before any write
        if sum(counts.values()) <= self.bulk_threshold:
            self._write(parse_quads(source, format))
        else:  # streamed to the bulk loader in chunks: little memory at any size
            fmt = ox_format(format)

            def insert(target: ox.Store) -> None:
                if fmt == ox.RdfFormat.N_QUADS and not has_blank_nodes(source):
                    # one statement per line: whole lines go to the (parallel) parser
                    for chunk in line_chunks(source, CHUNK):
                        target.bulk_load(chunk, format=fmt)
                    return
                quads = (
                    ox.parse(source, format=fmt)
                    if isinstance(source, bytes)
                    else ox.parse(path=str(source), format=fmt)
                )
                for chunk in chunks(quads, CHUNK):
                    target.bulk_extend(chunk)

            self._bulk_write(counts, insert)
        return {URIRef(g.value): n for g, n in counts.items()}

    def load_stream(self, parts: Iterable[tuple[URIRef, bytes]]) -> None:
        """Replace each named graph of ``parts`` -- (name, its whole content as N-Quads,
        in whole lines, its IRIs already checked: they are not checked again, which
        makes the load a sixth cheaper) -- as the parts arrive; an exception raised while ``parts`` is read
        (bad input found part-way) leaves the store as it was. Into an empty store the
        parts go straight to the bulk loader, under the journal that marks the whole store
        in flux (bad input, or a crash, leaves it empty again); otherwise they are spooled
        to a file and written when the stream ends (parsed once, never scanned)."""
        self._check_writable()
        if self.path is not None and self._is_empty():
            self._stream_into_empty(parts)
            return
        with self.spool_dir() as folder:
            spool = Path(folder) / "write.nq"
            graphs: set[ox.NamedNode] = set()
            lines, blank = 0, False
            with spool.open("wb") as out:
                for name, data in parts:
                    graphs.add(ox.NamedNode(str(name)))
                    lines += data.count(b"\n")
                    blank = blank or b"_:" in data
                    out.write(data)
            if lines <= self.bulk_threshold:
                self._write(parse_quads(spool, "nquads"))
            else:

                def insert(target: ox.Store) -> None:
                    if blank:  # a blank node label's scope is one parse
                        target.bulk_load(path=str(spool), format=ox.RdfFormat.N_QUADS, lenient=True)
                        return
                    for chunk in line_chunks(spool, CHUNK):
                        target.bulk_load(chunk, format=ox.RdfFormat.N_QUADS, lenient=True)

                self._bulk_write(graphs, insert)

    def _stream_into_empty(self, parts: Iterable[tuple[URIRef, bytes]]) -> None:
        token = ox.Literal(uuid.uuid4().hex)
        self._store.extend([ox.Quad(_ALL, _PENDING, token, JOURNAL)])
        try:
            for chunk in part_chunks(parts, CHUNK):
                self._store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS, lenient=True)
            if next(iter(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None):
                raise StoreError("a triple outside any named graph: every source needs its own")
        except OSError as exc:
            raise StoreError(
                f"{self.path}: write failed ({exc}); the store will be emptied "
                "when it is next opened"
            ) from exc
        except BaseException as exc:
            self._store.clear()  # as it was: empty
            self._store.flush()
            if isinstance(exc, (SyntaxError, ValueError)):
                raise StoreError(f"cannot read the N-Quads written: {exc}") from exc
            raise
        self._store.remove_graph(JOURNAL)
        self._store.flush()

    def _is_empty(self) -> bool:
        return next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None

    def _load_into_empty(self, source, fmt: ox.RdfFormat, format: str) -> dict[URIRef, int]:
        """The first load of a store: straight to the bulk loader, in one pass. The journal
        marks the whole store as in flux, so bad input or a crash leaves it empty again."""
        token = ox.Literal(uuid.uuid4().hex)
        self._store.extend([ox.Quad(_ALL, _PENDING, token, JOURNAL)])
        try:
            if fmt == ox.RdfFormat.N_QUADS and not has_blank_nodes(source):
                for chunk in line_chunks(source, CHUNK):  # whole lines: little memory
                    self._store.bulk_load(chunk, format=fmt)
            elif isinstance(source, bytes):  # blank node labels are scoped to one parse
                self._store.bulk_load(source, format=fmt)
            else:
                self._store.bulk_load(path=str(source), format=fmt)
            stray = next(
                iter(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None
            )
            if stray is not None:
                raise StoreError(
                    f"{name_of(source)}: a triple outside any named graph "
                    f"({stray.subject} {stray.predicate} ...); every source "
                    "needs its own named graph"
                )
        except (SyntaxError, ValueError, StoreError) as exc:
            self._store.clear()
            self._store.flush()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{name_of(source)}: cannot read {format}: {exc}") from exc
        except OSError as exc:
            raise StoreError(
                f"{self.path}: write failed ({exc}); the store will be emptied "
                "when it is next opened"
            ) from exc
        counts = {
            URIRef(row[0].value): int(row[1].value)
            for row in self._store.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            )
            if row[0] != JOURNAL
        }
        self._store.remove_graph(JOURNAL)
        self._store.flush()
        return counts

    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        parts = [f"DROP SILENT GRAPH {URIRef(n).n3()}" for n in names]
        if parts:
            self._update(" ;\n".join(parts))

    def _write(self, graphs: dict[ox.NamedNode, list[ox.Quad]]) -> None:
        self._check_writable()
        if not graphs:
            return
        if sum(len(q) for q in graphs.values()) <= self.bulk_threshold:
            parts = []
            for g, quads in graphs.items():
                parts.append(f"DROP SILENT GRAPH <{g.value}>")
                if quads:
                    body = ox.serialize(
                        (q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES
                    ).decode("utf-8")
                    parts.append(f"INSERT DATA {{ GRAPH <{g.value}> {{\n{body}}} }}")
            self._update(" ;\n".join(parts))
        else:

            def insert(target: ox.Store) -> None:
                for chunk in chunks((q for quads in graphs.values() for q in quads), CHUNK):
                    target.bulk_extend(chunk)

            self._bulk_write(graphs, insert)

    def _bulk_write(self, graphs: Iterable[ox.NamedNode], insert: Callable[[ox.Store], None]):
        """Replace ``graphs`` by what ``insert`` bulk-loads into the store it is given:
        a new version of the store beside this one, swapped in when complete."""
        graphs = list(graphs)
        if self.path is None:  # in memory: nothing outlives the process
            for g in graphs:
                self._store.remove_graph(g)
            insert(self._store)
            return
        staging = swap.staging_dir(self.path)
        try:
            existing = set(self._store.named_graphs())
            everything = existing <= set(graphs) and not any(
                True for _ in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            )
            if everything:  # nothing is kept: a fresh store, no deletes
                target = ox.Store(str(staging))
            else:  # a checkpoint: hard links to the live store's immutable files
                self._store.flush()
                self._store.backup(str(staging))
                target = ox.Store(str(staging))
                for g in graphs:
                    if g in existing:
                        target.remove_graph(g)
            insert(target)
            target.flush()
            del target  # closes it: complete on disk before the swap
            self._swap_in(staging)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise StoreError(
                    f"{self.path}: write failed ({exc}); the store is unchanged"
                ) from exc
            if isinstance(exc, (SyntaxError, ValueError)):
                raise StoreError(f"cannot write this data ({exc}); the store is unchanged") from exc
            raise

    def _swap_in(self, staging: Path) -> None:
        """Exchange the live directory for ``staging`` (complete and closed) in one step."""
        # RocksDB must not have the old directory open while it moves: on closing, it
        # deletes the files it does not know in its directory, which would then be the new
        # one. Other inspectgraph writers are kept out by the lock; this process may only
        # hold it through ``self._store``, which the probe below proves closed.
        self._store = None
        gc.collect()
        try:
            probe = ox.Store(str(self.path))
        except OSError as exc:
            self._store = ox.Store(str(self.path)) if "lock" not in str(exc).lower() else None
            raise StoreError(
                f"{self.path}: cannot replace the store while this process still reads it "
                f"({one_line(exc)}); the store is unchanged"
            ) from exc
        del probe
        try:
            swap.exchange(self.path, staging)  # the commit point
        finally:
            self._store = ox.Store(str(self.path))  # the new version, or still the old
        shutil.rmtree(staging, ignore_errors=True)  # the old version

    def _recover(self) -> None:
        """A bulk write died half-way: the graphs it names are dropped (read-write) or hidden."""
        pending = frozenset(
            q.subject for q in self._store.quads_for_pattern(None, _PENDING, None, JOURNAL)
        )
        if _ALL in pending:  # a first load into an empty store: all of it goes
            pending = frozenset(self._store.named_graphs())
            if not self.read_only:
                self._store.clear()
                self._store.flush()
                return
        if self.read_only:
            self._hidden = pending | {JOURNAL}
            return
        for g in pending:
            self._store.remove_graph(g)
        self._store.remove_graph(JOURNAL)
        self._store.flush()

    def _update(self, update: str) -> None:
        self._check_writable()
        try:
            self._store.update(update)
            self._store.flush()
        except OSError as exc:
            raise StoreError(f"{self.path}: write failed: {exc}") from exc
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot write these terms: {exc}") from exc

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: store opened read-only")

    # ------------------------------------------------------------------ snapshots

    @staticmethod
    def snapshot(path: str | Path, target: str | Path) -> None:
        """Copy the store at ``path`` to ``target`` as it is now (a RocksDB checkpoint: hard
        links where the filesystem allows, so it takes milliseconds whatever the size), for
        a reader that must not see later writes (``inspectgraph serve``). Taken under the
        writer lock, since a writer swaps the directory only while holding it: StoreError
        if a writer holds it now; OSError if no copy can be made (e.g. a read-only store)."""
        lock = swap.StoreLock(Path(path))
        if not lock.acquire():
            raise StoreError(
                f"{path}: the store is being written by another process "
                "(a build?); serve it when that has finished"
            )
        try:
            live = ox.Store(str(path))  # backups are taken through a read-write opening
            live.backup(str(target))
            del live
        finally:
            lock.release()

    @property
    def hidden_graphs(self) -> frozenset[str]:
        """The IRIs of the graphs a read-only view leaves out: those of a bulk write that
        was interrupted (see :meth:`_recover`), which queries must not see either."""
        return frozenset(getattr(g, "value", str(g)) for g in self._hidden) - {JOURNAL.value}

    # ------------------------------------------------------------------ reads

    def graph_names(self) -> list[URIRef]:
        return sorted(
            URIRef(g.value)
            for g in self._store.named_graphs()
            if isinstance(g, ox.NamedNode) and g != JOURNAL and g not in self._hidden
        )

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        check_offline(sparql, allow_network=self.allow_network)
        # pyoxigraph's `substitutions` accepts only projected variables, so parameters
        # travel as a VALUES block built from rdflib terms (see inspectgraph.graph.sparql).
        sparql = for_engine(sparql, self.traits)
        text = inject_values(sparql, bindings) if bindings else sparql
        for attempt in range(READ_ONLY_ATTEMPTS):
            try:
                return self._run(text)
            except (SyntaxError, ValueError) as exc:
                raise StoreError(f"SPARQL syntax error: {one_line(exc)}") from exc
            except (OSError, RuntimeError) as exc:
                # a read-only view can lose files to a concurrent writer: reopen, retry
                if not (self.read_only and _is_race(exc)) or attempt == READ_ONLY_ATTEMPTS - 1:
                    raise StoreError(f"{self.path}: query failed: {one_line(exc)}") from exc
                self._reopen()
        raise AssertionError("unreachable")

    def _run(self, text: str, sort_here: bool = True) -> QueryResult:
        # a final ORDER BY over variables is applied here (see stores.ordering: Oxigraph
        # reads the text of long terms again for every comparison)
        original, order = text, None
        if sort_here and (split := split_order(text)):
            text, order = split
        if self._hidden:  # after an interrupted bulk write: leave its graphs out
            visible = [g for g in self._store.named_graphs() if g not in self._hidden]
            result = self._store.query(text, default_graph=visible, named_graphs=visible)
        else:
            result = self._store.query(text, use_default_graph_as_union=True)
        convert = Converter(shared=True)
        if isinstance(result, (bool, ox.QueryBoolean)):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            indexes = range(len(names))
            found = [tuple(sol[i] for i in indexes) for sol in result]
            if order is not None:
                found = sort_rows(found, names, order)
                if found is None:  # not ranked here: the engine sorts
                    return self._run(original, sort_here=False)
            rows = [tuple(convert.rdflib(term) for term in row) for row in found]
            return QueryResult("select", vars=names, rows=rows)
        g = Graph()
        for t in result:
            g.add(
                (convert.rdflib(t.subject), convert.rdflib(t.predicate), convert.rdflib(t.object))
            )
        return QueryResult("graph", graph=g)

    def _ox_quads(self) -> Iterator[ox.Quad]:
        for q in self._store.quads_for_pattern(None, None, None, None):
            if q.graph_name != JOURNAL and q.graph_name not in self._hidden:
                yield q

    def quads(self) -> Iterator[Quad]:
        # IRIs repeat and are converted once; literals, mostly distinct (quotes, texts),
        # are converted as they come, so that a national store's terms are not all held
        convert = Converter()
        for q in self._ox_quads():
            o = q.object
            yield (
                convert.rdflib(q.subject),
                convert.rdflib(q.predicate),
                from_ox(o) if isinstance(o, ox.Literal) else convert.rdflib(o),
                convert.rdflib(q.graph_name),
            )

    def digest(self) -> str:
        # each line written from pyoxigraph's terms as canonical_quad writes the rdflib
        # ones (CanonicalText: rdflib's text, without building rdflib terms where it is
        # known); IRIs are written once, literals, mostly distinct, as they come
        text = CanonicalText()
        node, literal = text.node, text.literal

        def lines() -> Iterator[str]:
            for s, p, o, g in self._ox_quads():
                graph = "" if isinstance(g, ox.DefaultGraph) else " " + node(g)
                obj = literal(o) if isinstance(o, ox.Literal) else node(o)
                yield f"{node(s)} {node(p)} {obj}{graph} ."

        return sorted_digest(lines())

    def dump_nquads(self, out) -> None:
        # Oxigraph's own serializer, a quad at a time: no copy of the store in memory
        if self._hidden or self._store.contains_named_graph(JOURNAL):  # mid-write: left out
            ox.serialize(self._ox_quads(), out, format=ox.RdfFormat.N_QUADS)
        else:
            self._store.dump(out, format=ox.RdfFormat.N_QUADS)

    def __len__(self) -> int:
        if self._hidden:
            return sum(1 for _ in self._ox_quads())
        return len(self._store)

    def close(self) -> None:
        self._store = None  # RocksDB closes when the object is freed
        gc.collect()
        self._unpin()
        if self._lock is not None:
            self._lock.release()
