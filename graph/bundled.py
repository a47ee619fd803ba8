"""The graphs every build writes from the package's own data: their names, the registry's
graph, the fingerprint of what made them (data and mapping code), and validating them once
a process."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV

from ..errors import ValidationFailed
from ..ontology import ID
from .shacl import validate_graph
from .stores import Store

if TYPE_CHECKING:
    pass


ONTOLOGY_GRAPH = ID["graph/ontology"]
REGISTRY_GRAPH = ID["graph/registry"]  # the bundled agency registry, written by every build
OUTCOMES_GRAPH = ID["graph/ofsted-outcomes"]  # Ofsted's official outcomes (bundled or --outcomes)


def registry_graph(registry) -> Graph:
    g = registry.graph()
    g.add((REGISTRY_GRAPH, RDF.type, PROV.Entity))
    g.add((REGISTRY_GRAPH, RDFS.label, Literal("inspectgraph agency registry")))
    return g


@lru_cache(maxsize=1)
def bundled_fingerprint() -> str:
    """What the bundled graphs are made from: the package's data and the code that maps it."""
    import hashlib

    h = hashlib.sha256()
    package = resources.files("inspectgraph")
    for part in (
        "data/outcomes.csv",
        "data/registry/las.csv",
        "data/registry/agencies.yaml",
        "data/registry/attested.csv",
        # the code that maps them (every module of the outcomes and the registry)
        "sources/outcomes.py",
        "sources/outcomes_model.py",
        "sources/outcomes_parse.py",
        "sources/registry.py",
        "sources/registry_model.py",
        "sources/registry_parse.py",
        "model/rdfmap.py",
    ):
        h.update(part.encode())
        h.update(package.joinpath(part).read_bytes())
    for name in ("inspectgraph.ttl", "schemes.ttl", "schemes-national.ttl", "shapes.ttl"):
        h.update(resources.files("inspectgraph.ontology").joinpath(name).read_bytes())
    return "sha256:" + h.hexdigest()[:32]


_VALIDATED: set[str] = set()


def validate_bundled(graphs: dict[URIRef, Graph]) -> None:
    """Validate the bundled graphs together, once per process and package version."""
    if not graphs:
        return
    key = bundled_fingerprint() + "|" + ",".join(sorted(map(str, graphs)))
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


def version_in_store(store: Store, name: URIRef) -> str | None:
    rows = store.query(
        "SELECT ?v WHERE { ?g <http://purl.org/dc/terms/hasVersion> ?v }", {"g": name}
    ).rows
    return str(rows[0][0]) if rows else None
