"""The graphs every build writes from the package's own data: their names, the registry's
graph, the fingerprint of what made them (data and mapping code), and validating them once
a process and, remembered in a cache folder, once a machine."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV

from ..errors import ValidationFailed
from ..ontology import ID
from .shacl import validate_graph
from .stores import Store

ONTOLOGY_GRAPH = ID["graph/ontology"]
REGISTRY_GRAPH = ID["graph/registry"]  # the bundled agency registry, written by every build
OUTCOMES_GRAPH = ID["graph/ofsted-outcomes"]  # Ofsted's official outcomes (bundled or --outcomes)


#: The bundled graphs made in this process: {kind: (registry, fingerprint, what was made)}.
_MADE: dict[str, tuple] = {}


def _made_once(kind: str, registry, make):
    """``make()``, once per registry object and fingerprint of the bundled data.

    The graphs are shared by every build of the process: a build reads them (each store
    copies what it writes, validation copies them too) and adds only their version triple,
    the same each time. Mapping them took about a second of every build's three (rdflib
    adds, one triple at a time). A registry is not changed once loaded; one that is must
    be a new object."""
    fingerprint = bundled_fingerprint()
    made = _MADE.get(kind)
    if made is None or made[0] is not registry or made[1] != fingerprint:
        made = _MADE[kind] = (registry, fingerprint, make())
    return made[2]


def registry_graph(registry) -> Graph:
    """The registry's graph (shared: read it, do not change it; see :func:`_made_once`)."""

    def make() -> Graph:
        g = registry.graph()
        g.add((REGISTRY_GRAPH, RDF.type, PROV.Entity))
        g.add((REGISTRY_GRAPH, RDFS.label, Literal("inspectgraph agency registry")))
        return g

    return _made_once("registry", registry, make)


def official_outcomes_graph(outcomes, registry) -> Graph:
    """The outcomes graph of official outcome files (bundled or given), described: a
    ``prov:Entity`` with its label and the files it was read from."""
    from rdflib.namespace import DCTERMS

    from ..sources.outcomes import outcomes_graph

    g = outcomes_graph(outcomes, registry)
    g.add((OUTCOMES_GRAPH, RDF.type, PROV.Entity))
    g.add((OUTCOMES_GRAPH, RDFS.label, Literal("Ofsted's official outcome files")))
    for name in sorted(outcomes.files):
        g.add((OUTCOMES_GRAPH, DCTERMS.source, Literal(name)))
    return g


def bundled_outcomes_graph(registry):
    """The bundled official outcomes and their graph, ``(outcomes, graph)`` (shared: read
    them, do not change them; see :func:`_made_once`)."""
    from ..sources.outcomes import bundled_outcomes

    def make():
        result = bundled_outcomes()
        return result, official_outcomes_graph(result, registry)

    return _made_once("outcomes", registry, make)


#: The version of the code that maps the bundled data to RDF (sources/outcomes*, sources/registry*,
#: model/rdfmap). Raise it when that code changes what it writes: tests/test_bundled_graphs.py
#: fails until the version and its record agree. Moving or splitting that code leaves it, so a
#: refactor changes neither the fingerprint nor the store's digest.
MAPPING_VERSION = "2026-12-07"

#: The package's data the bundled graphs are made from.
BUNDLED_DATA = (
    "data/outcomes.csv",
    "data/registry/las.csv",
    "data/registry/agencies.yaml",
    "data/registry/attested.csv",
)


@lru_cache(maxsize=1)
def bundled_fingerprint() -> str:
    """What the bundled graphs are made from: the package's data, the ontology and the
    version of the code that maps them (:data:`MAPPING_VERSION`)."""
    h = hashlib.sha256()
    package = resources.files("inspectgraph")
    for part in BUNDLED_DATA:
        h.update(part.encode())
        h.update(package.joinpath(part).read_bytes())
    for name in ("inspectgraph.ttl", "schemes.ttl", "schemes-national.ttl", "shapes.ttl"):
        h.update(resources.files("inspectgraph.ontology").joinpath(name).read_bytes())
    h.update(f"mapping {MAPPING_VERSION}".encode())
    return "sha256:" + h.hexdigest()[:32]


_VALIDATED: set[str] = set()

#: Set INSPECTGRAPH_CACHE to a folder for the remembered validations, or to "off" for none.
CACHE_ENV = "INSPECTGRAPH_CACHE"


def cache_dir() -> Path | None:
    """Where inspectgraph remembers what it need not redo: $INSPECTGRAPH_CACHE, else
    $XDG_CACHE_HOME/inspectgraph, else ~/.cache/inspectgraph; None when set to "off"."""
    chosen = os.environ.get(CACHE_ENV, "")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "inspectgraph"


def _validation_marker(key: str) -> Path | None:
    """The file whose presence says the bundled graphs of `key` conform.

    The name hashes everything the verdict depends on: the bundled fingerprint (data,
    ontology, shapes, mapping version), the graphs validated, the gate's own code and the
    validator's and rdflib's versions. Only a verdict of "conforms" is remembered."""
    root = cache_dir()
    if root is None:
        return None
    h = hashlib.sha256(key.encode())
    h.update(resources.files("inspectgraph.graph").joinpath("shacl.py").read_bytes())
    for package in ("pyshacl", "rdflib"):
        h.update(f"{package} {version(package)}".encode())
    return root / "validated" / (h.hexdigest()[:40] + ".ok")


def validate_bundled(graphs: dict[URIRef, Graph]) -> None:
    """Validate the bundled graphs together, once per process and package version, and
    remember a pass in the cache folder (:func:`cache_dir`), so that later processes on
    this machine skip the several CPU-seconds the SHACL engine takes over them."""
    if not graphs:
        return
    key = bundled_fingerprint() + "|" + ",".join(sorted(map(str, graphs)))
    if key in _VALIDATED:
        return
    marker = _validation_marker(key)
    if marker is not None and marker.is_file():
        _VALIDATED.add(key)
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
    if marker is not None:
        _remember(marker)


def _remember(marker: Path) -> None:
    """Write the marker atomically; a cache that cannot be written only costs time."""
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        partial = marker.with_suffix(f".{os.getpid()}.part")
        partial.write_text("the bundled graphs conform to the shapes\n", encoding="utf-8")
        partial.replace(marker)
    except OSError:
        pass


def version_in_store(store: Store, name: URIRef) -> str | None:
    rows = store.query(
        "SELECT ?v WHERE { ?g <http://purl.org/dc/terms/hasVersion> ?v }", {"g": name}
    ).rows
    return str(rows[0][0]) if rows else None
