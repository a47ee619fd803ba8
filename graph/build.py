"""records -> RDF -> SHACL gate -> store.

Every source is parsed and validated before anything is written; the write is a
single all-or-nothing replacement of the sources' named graphs (one per file),
so a failed build leaves the store exactly as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV

from ..errors import InputError, ValidationFailed
from ..model.rdfmap import PREFIXES, graph_iri, records_to_graph
from ..model.records import Records, load_records, yaml_load
from ..ontology import ID, IG, ontology_graph
from .builddocuments import build_documents
from .buildmemory import TreeMemory, peak_memory_mb
from .buildreport import BuildReport
from .bundled import (
    ONTOLOGY_GRAPH,
    OUTCOMES_GRAPH,
    REGISTRY_GRAPH,
    bundled_fingerprint,
    bundled_outcomes_graph,
    official_outcomes_graph,
    registry_graph,
    validate_bundled,
    version_in_store,
)
from .closure import validation_context
from .rdfsource import is_rdf_source, load_rdf_source
from .shacl import validate_graph
from .stores import Store

if TYPE_CHECKING:
    from .documents import DocumentResult, DocumentSource


__all__ = ["build", "bundled_sources"]


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
    from ..sources.outcomes import read_outcomes
    from ..sources.registry import load_registry

    started = time.perf_counter()
    memory = TreeMemory()  # stopped however the build ends
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
            graphs[REGISTRY_GRAPH] = registry_graph(registry)
        if outcomes or bundled:
            if outcomes:
                say(f"reading {len(outcomes)} official outcome file(s)")
                result = read_outcomes(outcomes, registry)
                g = official_outcomes_graph(result, registry)
            else:
                result, g = bundled_outcomes_graph(registry)
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
            graphs[REGISTRY_GRAPH] = registry_graph(registry)
        trusted[REGISTRY_GRAPH] = bundled_fingerprint()
        if bundled:
            trusted[OUTCOMES_GRAPH] = bundled_fingerprint()
        for name, fp in trusted.items():
            graphs[name].add((name, DCTERMS.hasVersion, Literal(fp)))

        # Bundled graphs are validated in full once per process; everything else is validated
        # with the part of the rest (bundled graphs, graphs the build leaves in place) that it
        # touches: every node it mentions, with all their triples, transitively.
        # (a bundled graph the store already holds in this version was validated when written)
        unchanged = {n for n, fp in trusted.items() if version_in_store(store, n) == fp}
        keep = [n for n in store.graph_names() if n not in graphs and n != ONTOLOGY_GRAPH]

        def validate() -> None:
            say("validating against the SHACL shapes")
            if set(trusted) - unchanged:  # validated together: the outcomes refer to the councils
                validate_bundled({n: graphs[n] for n in trusted})
            new = Graph()
            for name, g in graphs.items():
                if name not in trusted:
                    new += g
            context = validation_context(
                new, [graphs[n] for n in trusted], store if keep else None, keep
            )
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
            build_documents(
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
        report.peak_memory_mb = peak_memory_mb()
        if (tree := memory.stop()) is not None:
            report.peak_memory_mb["process tree"] = tree
        return report
    finally:
        memory.stop()


DIGEST_LIMIT = 500_000


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
