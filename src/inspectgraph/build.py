"""records -> RDF -> SHACL gate -> store.

Every source is parsed and validated before anything is written; the write is a
single all-or-nothing replacement of the sources' named graphs (one per file),
so a failed build leaves the store exactly as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV

from .errors import InputError, ValidationFailed
from .ontology import ID, IG, ontology_graph
from .rdfmap import PREFIXES, graph_iri, records_to_graph
from .rdfsource import is_rdf_source, load_rdf_source
from .records import Records, load_records, yaml_load
from .shacl import validate_graph
from .stores import Store

__all__ = ["ONTOLOGY_GRAPH", "BuildReport", "build", "bundled_sources"]

ONTOLOGY_GRAPH = ID["graph/ontology"]


@dataclass
class BuildReport:
    """What a build did: per named graph, its source and triple count."""

    graphs: dict[str, int] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    triples: int = 0
    digest: str = ""
    seconds: float = 0.0


def bundled_sources() -> list[Path]:
    """The records files shipped with the package (the Sunderland case)."""
    data = resources.files("inspectgraph").joinpath("data")
    return sorted(Path(str(p)) for p in data.iterdir() if p.name.endswith(".yaml"))


def _ids_in_store(store: Store, rdf_class: URIRef, prefix: str) -> frozenset[str]:
    rows = store.query("SELECT DISTINCT ?x WHERE { ?x a ?class }", {"class": rdf_class}).rows
    base = str(ID) + prefix
    return frozenset(str(x)[len(base):] for (x,) in rows if str(x).startswith(base))


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
        return {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)} \
            if isinstance(items, list) else set()

    return ids("agencies"), ids("inspections")


def build(store: Store, sources: Sequence[str | Path] | None = None, *,
          progress: Callable[[str], None] | None = None) -> BuildReport:
    """Build records files (YAML) or RDF files into ``store``; no sources means the
    bundled data.

    Raises :class:`InputError` (unreadable or invalid input) or
    :class:`ValidationFailed` (SHACL violations); in both cases nothing is written.
    """
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    paths = [Path(s) for s in sources] if sources else bundled_sources()
    names: dict[URIRef, Path] = {}
    for path in paths:
        if path.is_dir():
            raise InputError(f"{path}: is a directory, expected a records file (.yaml)")
        if not path.exists():
            raise InputError(f"{path}: no such file")
        name = graph_iri(path.stem)
        if name in names:
            raise InputError(f"{path}: same source name as {names[name]} "
                             "(each file must have a distinct name: it names its graph)")
        names[name] = path

    scanned = {path: _prescan_ids(path) for path in paths}
    store_agencies = _ids_in_store(store, ORG.Organization, "agency/")
    store_inspections = _ids_in_store(store, IG.Inspection, "inspection/")
    graphs: dict[URIRef, Graph] = {}
    report = BuildReport()
    for name, path in names.items():
        say(f"reading {path}")
        if is_rdf_source(path):
            graphs[name] = load_rdf_source(path, name)
            report.sources[str(name)] = str(path)
            continue
        other_agencies = set().union(*(a for p, (a, _) in scanned.items() if p != path))
        other_inspections = set().union(*(i for p, (_, i) in scanned.items() if p != path))
        records = load_records(path, known_agencies=frozenset(other_agencies) | store_agencies,
                               known_inspections=frozenset(other_inspections) | store_inspections)
        graphs[name] = _source_graph(name, path, records)
        report.sources[str(name)] = str(path)

    say("validating against the SHACL shapes")
    combined = Graph()
    for g in graphs.values():
        combined += g
    # Graphs the build leaves in place may hold what the new ones refer to (agencies,
    # inspections, reports). The shapes only ask such nodes for their class, so their
    # rdf:type triples suffice: validating the whole store again would not scale.
    keep = [n for n in store.graph_names() if n not in graphs and n != ONTOLOGY_GRAPH]
    if keep:
        typed = store.query("SELECT DISTINCT ?x ?class WHERE { GRAPH ?g { ?x a ?class } "
                            "FILTER(?g != ?ontology) }", {"ontology": ONTOLOGY_GRAPH})
        for x, cls in typed.rows:
            combined.add((x, RDF.type, cls))
        violations = validate_graph(combined, focus=set(combined.subjects()) - {
            x for x, _ in typed.rows if not any((x, None, None) in g for g in graphs.values())})
    else:
        violations = validate_graph(combined)
    if violations:
        lines = [str(v) for v in violations]
        sources = ", ".join(str(p) for p in paths)
        raise ValidationFailed(
            f"{sources}: {len(violations)} SHACL violation(s); first: {lines[0]}",
            report="\n".join(lines))

    graphs[ONTOLOGY_GRAPH] = ontology_graph()
    say(f"writing {len(graphs)} named graph(s)")
    store.replace_graphs(graphs)
    report.graphs = {str(n): len(g) for n, g in graphs.items()}
    report.triples = len(store)
    report.digest = store.digest()
    report.seconds = time.perf_counter() - started
    return report


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
