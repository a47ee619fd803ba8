"""records -> RDF -> SHACL gate -> store.

Every source is parsed and validated before anything is written; the write is a
single all-or-nothing replacement of the sources' named graphs (one per file),
so a failed build leaves the store exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV

from ..errors import InputError, ValidationFailed
from ..model.rdfmap import PREFIXES, graph_iri, records_to_graph
from ..model.records import Agency, Records, load_records, yaml_load
from ..ontology import ID, IG, ontology_graph
from .rdfsource import is_rdf_source, load_rdf_source
from .shacl import validate_graph
from .stores import Store

if TYPE_CHECKING:
    from .documents import DocumentResult, DocumentSource

__all__ = [
    "ONTOLOGY_GRAPH",
    "OUTCOMES_GRAPH",
    "REGISTRY_GRAPH",
    "BuildReport",
    "build",
    "bundled_sources",
]

ONTOLOGY_GRAPH = ID["graph/ontology"]
REGISTRY_GRAPH = ID["graph/registry"]  # the bundled agency registry, written by every build
OUTCOMES_GRAPH = ID["graph/ofsted-outcomes"]  # Ofsted's official outcomes (bundled or --outcomes)


@dataclass
class BuildReport:
    """What a build did: per named graph, its source and triple count."""

    graphs: dict[str, int] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    triples: int = 0
    digest: str = ""
    seconds: float = 0.0
    inspections: int = 0  # from official outcome files
    authorities: int = 0
    unplaced: list[str] = field(default_factory=list)  # outcome rows left out, with why
    documents: int = 0  # letters and reports built
    findings: int = 0
    new_inspections: int = 0  # inspections only documents describe
    skipped: list[str] = field(default_factory=list)  # bad documents left out (--keep-going)
    peak_memory_mb: dict = field(default_factory=dict)


def bundled_sources() -> list[Path]:
    """The records files shipped with the package (the Sunderland case)."""
    data = resources.files("inspectgraph").joinpath("data")
    return sorted(Path(str(p)) for p in data.iterdir() if p.name.endswith(".yaml"))


def _ids_in_store(store: Store, rdf_class: URIRef, prefix: str) -> frozenset[str]:
    rows = store.query("SELECT DISTINCT ?x WHERE { ?x a ?class }", {"class": rdf_class}).rows
    base = str(ID) + prefix
    return frozenset(str(x)[len(base) :] for (x,) in rows if str(x).startswith(base))


def _prescan_ids(path: Path) -> tuple[set[str], set[str]]:
    """Ids a file defines, read leniently so that files may refer to one another."""
    if is_rdf_source(path):
        return set(), set()
    try:
        data = yaml_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        return set(), set()  # load_records reports the problem properly
    if not isinstance(data, dict):
        return set(), set()

    def ids(key: str) -> set[str]:
        items = data.get(key)
        return (
            {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}
            if isinstance(items, list)
            else set()
        )

    return ids("agencies"), ids("inspections")


def build(
    store: Store,
    sources: Sequence[str | Path] | None = None,
    *,
    outcomes: Sequence[str | Path] | None = None,
    documents: Sequence[DocumentSource] | None = None,
    progress: Callable[[str], None] | None = None,
    on_document: Callable[[DocumentResult], None] | None = None,
    jobs: int | None = None,
    digest: bool | None = None,
    keep_going: bool = False,
    strict: bool = False,
) -> BuildReport:
    """Build records files (YAML), RDF files, official outcome files and documents.

    With neither ``sources`` nor ``outcomes``, the bundled data: the Sunderland records and
    the national judgement history from Ofsted's official files. ``outcomes`` are Ofsted's
    files as published (CSV sheets or .ods workbooks, see :mod:`inspectgraph.sources.outcomes`);
    they replace the outcomes graph. ``documents`` (from
    :func:`inspectgraph.graph.documents.find_sources`) are letters and reports whose findings are
    extracted, one named graph each (:mod:`inspectgraph.graph.documents`); ``on_document`` is
    called after each. Each document is checked against the shapes compiled to Python in
    the worker that extracts it (:mod:`inspectgraph.graph.shaclpy`); ``strict`` also validates
    the documents in batches against the full SHACL gate. The agency registry is written by
    every build. ``digest`` (default: for stores up to half a million triples) computes the
    store's content digest.

    Raises :class:`InputError` (unreadable or invalid input) or
    :class:`ValidationFailed` (SHACL violations); in both cases nothing is written.
    """
    from ..sources.outcomes import bundled_outcomes, outcomes_graph, read_outcomes
    from ..sources.registry import load_registry

    started = time.perf_counter()
    memory = _TreeMemory()  # stopped however the build ends
    try:
        say = progress or (lambda _msg: None)
        empty_before = not store.graph_names()
        bundled = not sources and not outcomes
        paths = [Path(s) for s in sources] if sources else (bundled_sources() if bundled else [])
        registry = load_registry()
        report = BuildReport()
        graphs: dict[URIRef, Graph] = {}
        outcome_ids: set[str] = set()
        if bundled:
            graphs[REGISTRY_GRAPH] = _registry_graph(registry)
        if outcomes or bundled:
            if outcomes:
                say(f"reading {len(outcomes)} official outcome file(s)")
                result = read_outcomes(outcomes, registry)
            else:
                result = bundled_outcomes()
            g = outcomes_graph(result, registry)
            g.add((OUTCOMES_GRAPH, RDF.type, PROV.Entity))
            g.add((OUTCOMES_GRAPH, RDFS.label, Literal("Ofsted's official outcome files")))
            for name in sorted(result.files):
                g.add((OUTCOMES_GRAPH, DCTERMS.source, Literal(name)))
            graphs[OUTCOMES_GRAPH] = g
            outcome_ids = set(result.inspections)
            report.inspections = len(result.inspections)
            report.authorities = len(result.authorities)
            report.unplaced = list(result.unplaced)
            report.sources[str(OUTCOMES_GRAPH)] = (
                ", ".join(str(p) for p in outcomes or ()) or "bundled: data/outcomes.csv"
            )
        names: dict[URIRef, Path] = {}
        for path in paths:
            if path.is_dir():
                raise InputError(f"{path}: is a directory, expected a records file (.yaml)")
            if not path.exists():
                raise InputError(f"{path}: no such file")
            name = graph_iri(path.stem)
            if name in names:
                raise InputError(
                    f"{path}: same source name as {names[name]} "
                    "(each file must have a distinct name: it names its graph)"
                )
            names[name] = path

        scanned = {path: _prescan_ids(path) for path in paths}
        store_agencies = _ids_in_store(store, ORG.Organization, "agency/") | {
            a.id for a in registry.records_agencies()
        }
        store_inspections = _ids_in_store(store, IG.Inspection, "inspection/") | outcome_ids
        for name, path in names.items():
            say(f"reading {path}")
            if is_rdf_source(path):
                graphs[name] = load_rdf_source(path, name)
                report.sources[str(name)] = str(path)
                continue
            other_agencies = set().union(*(a for p, (a, _) in scanned.items() if p != path))
            other_inspections = set().union(*(i for p, (_, i) in scanned.items() if p != path))
            records = load_records(
                path,
                known_agencies=frozenset(other_agencies) | store_agencies,
                known_inspections=frozenset(other_inspections) | store_inspections,
            )
            graphs[name] = _source_graph(name, path, records)
            report.sources[str(name)] = str(path)

        trusted: dict[URIRef, str] = {}  # bundled graphs -> fingerprint of what made them
        if REGISTRY_GRAPH not in graphs:
            graphs[REGISTRY_GRAPH] = _registry_graph(registry)
        trusted[REGISTRY_GRAPH] = _bundled_fingerprint()
        if bundled:
            trusted[OUTCOMES_GRAPH] = _bundled_fingerprint()
        for name, fp in trusted.items():
            graphs[name].add((name, DCTERMS.hasVersion, Literal(fp)))

        # Bundled graphs are validated in full once per process; everything else is validated
        # with the part of the rest (bundled graphs, graphs the build leaves in place) that it
        # touches: every node it mentions, with all their triples, transitively.
        # (a bundled graph the store already holds in this version was validated when written)
        unchanged = {n for n, fp in trusted.items() if _version_in_store(store, n) == fp}
        keep = [n for n in store.graph_names() if n not in graphs and n != ONTOLOGY_GRAPH]

        def validate() -> None:
            say("validating against the SHACL shapes")
            if set(trusted) - unchanged:  # validated together: the outcomes refer to the councils
                _validate_bundled({n: graphs[n] for n in trusted})
            new = Graph()
            for name, g in graphs.items():
                if name not in trusted:
                    new += g
            context = _context(new, [graphs[n] for n in trusted], store if keep else None, keep)
            # only the new graphs' subjects need checking: the context was valid where it is,
            # and only a triple about one of its nodes (a subject of the new graphs) could
            # change that
            violations = (
                validate_graph(new + context, focus=set(new.subjects())) if len(new) else []
            )
            if violations:
                lines = [str(v) for v in violations]
                sources = ", ".join(str(p) for p in [*paths, *(outcomes or ())]) or "bundled data"
                raise ValidationFailed(
                    f"{sources}: {len(violations)} SHACL violation(s); first: {lines[0]}",
                    report="\n".join(lines),
                )

        if not documents:
            validate()
        graphs[ONTOLOGY_GRAPH] = ontology_graph()
        if documents:
            _build_documents(
                store,
                documents,
                graphs,
                unchanged,
                keep,
                report,
                validate=validate,
                say=say,
                on_document=on_document,
                jobs=jobs,
                keep_going=keep_going,
                strict=strict,
            )
        else:
            # a bundled graph already in the store as this version of the package made it stays
            say(f"writing {len(graphs) - len(unchanged)} named graph(s)")
            store.replace_graphs({n: g for n, g in graphs.items() if n not in unchanged})
        report.graphs.update({str(n): len(g) for n, g in graphs.items()})
        # into an empty store, what was written is what it holds: no need to count it again
        report.triples = sum(report.graphs.values()) if empty_before else len(store)
        if digest or (digest is None and report.triples <= DIGEST_LIMIT):
            report.digest = store.digest()
        report.seconds = time.perf_counter() - started
        report.peak_memory_mb = _peak_memory_mb()
        if (tree := memory.stop()) is not None:
            report.peak_memory_mb["process tree"] = tree
        return report
    finally:
        memory.stop()


DIGEST_LIMIT = 500_000


class _TreeMemory:
    """The peak resident memory of this process and its children together (the extraction
    workers), sampled five times a second on Linux (``/proc``); None elsewhere."""

    def __init__(self, interval: float = 0.2):
        import threading

        self.peak = 0.0
        self._done = threading.Event()
        self._thread = None
        if Path("/proc/self/status").exists():
            self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)
            self._thread.start()

    def _run(self, interval: float) -> None:
        while True:
            self.peak = max(self.peak, _tree_rss_mb(os.getpid()))
            if self._done.wait(interval):
                return

    def stop(self) -> float | None:
        if self._thread is None:
            return None
        if not self._done.is_set():
            self._done.set()
            self._thread.join()
            self.peak = max(self.peak, _tree_rss_mb(os.getpid()))
        return round(self.peak, 1)


def _tree_rss_mb(root: int) -> float:
    """Resident memory of process ``root`` and all its descendants (MB)."""
    children = _children_of if Path(f"/proc/{root}/task").is_dir() else None
    scanned = None
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/status", "rb") as fh:
                for line in fh:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError):
            pass
        found = children(pid) if children is not None else None
        if found is None:  # no children files (a kernel without them): read every process
            scanned = scanned if scanned is not None else _parents_by_scan()
            found = scanned.get(pid, ())
        todo.extend(found)
    return total / 1024


def _children_of(pid: int) -> list[int] | None:
    """The child processes of ``pid`` from its threads' ``children`` files (a few reads,
    where scanning /proc reads one file per process on the machine, five times a second);
    None when the kernel does not provide them."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []  # the process has gone
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as fh:
                found.extend(int(c) for c in fh.read().split())
        except FileNotFoundError:
            if not os.path.exists(f"/proc/{pid}/task/{tid}"):
                continue  # the thread has ended
            return None
        except (OSError, ValueError):
            continue
    return found


def _parents_by_scan() -> dict[int, list[int]]:
    """{parent pid: child pids} of every process, read from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    return children


def _peak_memory_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child (MB)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"process": round(own, 1), "largest worker": round(children, 1)}


def _known_inspections(store: Store, graphs: dict[URIRef, Graph], registry) -> dict:
    """Inspections already described, by authority: those of this build's graphs and of
    the store (official outcomes, records), for documents to join."""
    from .documents import KnownInspection

    by_council = {la.council_id: la.key for la in registry.las.values()}
    query = (
        "SELECT DISTINCT ?i ?d ?t ?c WHERE { ?i a <https://w3id.org/inspectgraph/def/"
        "Inspection> ; <http://purl.org/dc/terms/date> ?d ; <https://w3id.org/"
        "inspectgraph/def/inspectionType>/<http://www.w3.org/2004/02/skos/core#notation> ?t ;"
        " <https://w3id.org/inspectgraph/def/inspectedBody> ?c }"
    )
    # inspections that only documents describe are not "known": each document graph
    # describes its own, so that rebuilding a document never loses its inspection
    in_store = (
        "SELECT DISTINCT ?i ?d ?t ?c WHERE { GRAPH ?g { ?i a <https://w3id.org/"
        "inspectgraph/def/Inspection> ; <http://purl.org/dc/terms/date> ?d ; "
        "<https://w3id.org/inspectgraph/def/inspectedBody> ?c } ?i <https://w3id.org/"
        "inspectgraph/def/inspectionType>/<http://www.w3.org/2004/02/skos/core#notation>"
        ' ?t FILTER(!STRSTARTS(STR(?g), "' + str(ID) + 'graph/document/")) }'
    )
    rows = list(store.query(in_store).rows)
    scratch = Graph()
    for name, g in graphs.items():
        if name != ONTOLOGY_GRAPH:
            scratch += g
    scratch += ontology_graph()
    rows += [tuple(r) for r in scratch.query(query)]
    base = str(ID)
    known: dict[str, dict[str, KnownInspection]] = {}
    for i, d, t, c in rows:
        la = by_council.get(str(c)[len(base) + len("agency/") :])
        if la is None or not str(i).startswith(base + "inspection/"):
            continue
        iid = str(i)[len(base) + len("inspection/") :]
        known.setdefault(la, {})[iid] = KnownInspection(
            iid, la, dt.date.fromisoformat(str(d)[:10]), str(t)
        )
    return {la: sorted(v.values(), key=lambda k: k.id) for la, v in known.items()}


def _build_documents(
    store: Store,
    documents,
    graphs: dict[URIRef, Graph],
    unchanged: set,
    keep: list[URIRef],
    report: BuildReport,
    *,
    validate,
    say,
    on_document,
    jobs,
    keep_going=False,
    strict=False,
) -> None:
    """Extract the documents, each checked against the compiled shapes in the worker that
    extracts it (:mod:`inspectgraph.graph.shaclpy`), and stream them with the build's other graphs
    into ``store`` in one all-or-nothing write (:meth:`~inspectgraph.graph.stores.Store.
    load_stream`): no temporary file, nothing parsed twice, the counts from the writer.
    The build's other graphs are validated (``validate``, which raises) while the first
    documents are extracted, so that no core waits for it; nothing is written if it fails."""
    from ..sources.registry import load_registry
    from .documents import DocumentsError, extract_all

    registry = load_registry()
    known = _known_inspections(store, graphs, registry)
    extra = []
    for name, g in graphs.items():  # agencies records define (a CCG that stands for health)
        if name in (REGISTRY_GRAPH, OUTCOMES_GRAPH, ONTOLOGY_GRAPH):
            continue
        for s in g.subjects(RDF.type, ORG.Organization):
            member_of = tuple(str(o).rsplit("/", 1)[1] for o in g.objects(s, ORG.memberOf))
            dissolved = g.value(s, PROV.invalidatedAtTime)
            founded = g.value(s, DCTERMS.created)
            kind = g.value(s, ORG.classification)
            if kind is not None and str(kind).endswith("/health") and member_of:
                extra.append(
                    Agency(
                        id=str(s).rsplit("/", 1)[1],
                        label=str(g.value(s, RDFS.label)),
                        type="health",
                        member_of=member_of,
                        founded=dt.date.fromisoformat(str(founded)[:10]) if founded else None,
                        dissolved=dt.date.fromisoformat(str(dissolved)[:10]) if dissolved else None,
                    )
                )
    say("indexing the graphs documents refer to, for checking each document as it is made")
    context = _document_context(graphs, store if keep else None, keep, known, extra)
    strict_batches = _StrictBatches(graphs, store if keep else None, keep) if strict else None
    problems: list[str] = []
    violations: list = []

    def parts():
        """The build's graphs as N-Quads, the documents' as they are extracted and checked;
        raises (so that nothing is written) once every document has been read, if one
        could not be built or breaks the shapes."""
        for name, g in graphs.items():
            if name not in unchanged:
                yield name, _nquads(g, name, report.sources.get(str(name), ""))
        say(
            f"extracting {len(documents)} document(s), checking each against the shapes "
            f"where it is extracted{' and in batches against the full SHACL gate' if strict else ''}"
            ", and writing them as they come"
        )
        results = extract_all(
            list(documents), known, extra, jobs=jobs, context=context, meanwhile=validate
        )
        for result in results:
            if result.problem:
                problems.append(result.problem)
            elif result.violations:
                violations.extend(result.violations)
            else:
                name = ID[f"graph/document/{result.name}"]
                report.documents += 1
                report.findings += result.findings
                report.new_inspections += int(result.new_inspection)
                report.graphs[str(name)] = result.quads
                failing = violations or (problems and not keep_going)
                if strict_batches is not None:
                    ready = strict_batches.add(name, result, violations)
                elif not failing:  # once the build is bound to fail, nothing more is sent
                    ready = [(name, result.nquads)]
                else:
                    ready = []
                yield from ready
            if on_document:
                on_document(result)
        if strict_batches is not None:
            yield from strict_batches.flush(violations)
        if problems and not keep_going:
            raise DocumentsError(problems)
        if violations:
            lines = [str(v) for v in sorted(set(violations))]
            raise ValidationFailed(
                f"{len(documents)} document(s): {len(lines)} SHACL violation(s); first: {lines[0]}",
                report="\n".join(lines),
            )
        report.skipped.extend(problems)  # with keep_going: the good ones are still built
        say(
            f"written: {report.documents} document graph(s) and "
            f"{len(graphs) - len(unchanged)} other graph(s)"
        )

    store.load_stream(parts())


def _nquads(g: Graph, name: URIRef, source: str = "") -> bytes:
    """An rdflib graph as N-Quads lines in graph ``name``, its IRIs checked (the store
    loads the build's N-Quads without checking them again)."""
    import pyoxigraph as ox

    for iri in {t for triple in g for t in triple if isinstance(t, URIRef)}:
        try:
            ox.NamedNode(str(iri))
        except ValueError:
            raise InputError(f"{source or name}: not a valid IRI: {str(iri)!r}") from None
    suffix = f" <{name}> .\n".encode()
    return b"".join(
        line[:-1].rstrip() + suffix
        for line in g.serialize(format="nt", encoding="utf-8").splitlines()
        if line.strip()
    )


def _document_context(graphs, store, keep, known, extra):
    """What documents refer to, indexed for :mod:`inspectgraph.graph.shaclpy`: every triple of the
    build's graphs (ontology and schemes, registry, outcomes, records), and, from the store's
    graphs the build keeps, those about the known inspections and agencies, transitively."""
    from .shaclpy import index

    context: dict = {}
    for g in graphs.values():
        index(g, context)
    if store is not None:
        nodes = {ID[f"inspection/{k.id}"] for ks in known.values() for k in ks}
        nodes |= {ID[f"agency/{a.id}"] for a in extra}
        index(_closure(nodes, [], store, keep), context)
    return context


class _StrictBatches:
    """``build --strict``: documents are also validated in batches of about
    :data:`BATCH_QUADS` quads against the full SHACL gate (the shapes compiled to SPARQL,
    :mod:`inspectgraph.graph.shaclsparql`, run in a staging store with the build's other graphs and
    what they refer to in the store), and sent on once their batch passes."""

    def __init__(self, graphs, store, keep):
        self.base = b"".join(g.serialize(format="nt", encoding="utf-8") for g in graphs.values())
        self.store, self.keep = store, keep
        self.batch: list[tuple[URIRef, bytes]] = []
        self.lines = 0
        self.referenced: set[URIRef] = set()

    def add(self, name: URIRef, result, violations: list) -> list[tuple[URIRef, bytes]]:
        self.batch.append((name, result.nquads))
        self.lines += result.quads
        self.referenced.add(ID[f"inspection/{result.inspection}"])
        self.referenced.update(ID[f"agency/{a}"] for a in result.agencies)
        return self.flush(violations) if self.lines >= BATCH_QUADS else []

    def flush(self, violations: list) -> list[tuple[URIRef, bytes]]:
        import pyoxigraph as ox

        from .shaclsparql import run_checks

        if not self.batch:
            return []
        staging = ox.Store()
        staging.bulk_load(self.base, format=ox.RdfFormat.N_TRIPLES)
        context = _closure(self.referenced, [], self.store, self.keep)
        if len(context):
            staging.bulk_load(
                context.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES
            )
        staging.bulk_load(b"".join(d for _, d in self.batch), format=ox.RdfFormat.N_QUADS)
        if len(violations) < 100:
            violations.extend(run_checks(staging, _compiled_checks(), limit=20))
        out = [] if violations else self.batch
        self.batch, self.lines, self.referenced = [], 0, set()
        return out


# documents are validated in batches of about this many quads (memory stays bounded)
BATCH_QUADS = 400_000


@lru_cache(maxsize=1)
def _compiled_checks():
    from ..ontology import shapes_graph
    from .shaclsparql import compile_shapes

    return compile_shapes(shapes_graph(), ontology_graph())


def _registry_graph(registry) -> Graph:
    g = registry.graph()
    g.add((REGISTRY_GRAPH, RDF.type, PROV.Entity))
    g.add((REGISTRY_GRAPH, RDFS.label, Literal("inspectgraph agency registry")))
    return g


@lru_cache(maxsize=1)
def _bundled_fingerprint() -> str:
    """What the bundled graphs are made from: the package's data and the code that maps it."""
    import hashlib

    h = hashlib.sha256()
    package = resources.files("inspectgraph")
    for part in (
        "data/outcomes.csv",
        "data/registry/las.csv",
        "data/registry/agencies.yaml",
        "data/registry/attested.csv",
        "sources/outcomes.py",
        "sources/registry.py",
        "model/rdfmap.py",
    ):
        h.update(part.encode())
        h.update(package.joinpath(part).read_bytes())
    for name in ("inspectgraph.ttl", "schemes.ttl", "schemes-national.ttl", "shapes.ttl"):
        h.update(resources.files("inspectgraph.ontology").joinpath(name).read_bytes())
    return "sha256:" + h.hexdigest()[:32]


_VALIDATED: set[str] = set()


def _validate_bundled(graphs: dict[URIRef, Graph]) -> None:
    """Validate the bundled graphs together, once per process and package version."""
    if not graphs:
        return
    key = _bundled_fingerprint() + "|" + ",".join(sorted(map(str, graphs)))
    if key in _VALIDATED:
        return
    combined = Graph()
    for g in graphs.values():
        combined += g
    violations = validate_graph(combined)
    if violations:
        raise ValidationFailed(
            f"the bundled data breaks the shapes: {violations[0]}",
            report="\n".join(map(str, violations)),
        )
    _VALIDATED.add(key)


def _version_in_store(store: Store, name: URIRef) -> str | None:
    rows = store.query(
        "SELECT ?v WHERE { ?g <http://purl.org/dc/terms/hasVersion> ?v }", {"g": name}
    ).rows
    return str(rows[0][0]) if rows else None


def _context(new: Graph, graphs: list[Graph], store: Store | None, keep: list[URIRef]) -> Graph:
    """The triples of ``graphs`` and of the store's graphs ``keep`` about the nodes that
    ``new`` mentions, and about the nodes those mention, transitively (concepts of the
    ontology excluded: the validator adds the ontology itself)."""
    from ..ontology import IG

    vocab = str(IG._NS)
    frontier = {
        t
        for triple in new
        for t in (triple[0], triple[2])
        if isinstance(t, URIRef) and not str(t).startswith(vocab)
    }
    return _closure(frontier, graphs, store, keep)


def _closure(
    frontier: set[URIRef], graphs: list[Graph], store: Store | None, keep: list[URIRef]
) -> Graph:
    """Triples about ``frontier`` nodes, and about the nodes they mention, transitively,
    from ``graphs`` and from the store's graphs ``keep``."""
    from ..ontology import IG

    vocab = str(IG._NS)
    out = Graph()
    seen: set[URIRef] = set()
    keep_set = set(keep)
    while frontier:
        seen |= frontier
        found: list[tuple] = []
        for g in graphs:
            for node in frontier:
                found.extend(g.triples((node, None, None)))
        if store is not None:
            nodes = sorted(frontier, key=str)
            for i in range(0, len(nodes), 500):
                chunk = " ".join(n.n3() for n in nodes[i : i + 500])
                rows = store.query(
                    "SELECT ?s ?p ?o ?g WHERE { VALUES ?s { " + chunk + " } GRAPH ?g { ?s ?p ?o } }"
                ).rows
                found.extend((s, p, o) for s, p, o, g in rows if g in keep_set)
        frontier = set()
        for s, p, o in found:
            out.add((s, p, o))
            if isinstance(o, URIRef) and o not in seen and not str(o).startswith(vocab):
                frontier.add(o)
    return out


def _source_graph(name: URIRef, path: Path, records: Records) -> Graph:
    g = records_to_graph(records)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    # the graph describes itself: where it came from (file name only, so the
    # digest does not depend on the directory the build ran in)
    g.add((name, RDF.type, PROV.Entity))
    g.add((name, RDFS.label, Literal(path.name)))
    if records.title:
        g.add((name, DCTERMS.title, Literal(records.title)))
    if records.description:
        g.add((name, DCTERMS.description, Literal(records.description)))
    return g
