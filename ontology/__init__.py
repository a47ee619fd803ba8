"""The inspectgraph ontology: own terms, SKOS concept schemes and SHACL shapes.

The Turtle files beside this module are the source of truth; :mod:`.namespace` is
generated from them (``python -m tools.generate_ontology``).
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

from rdflib import Graph, Namespace, URIRef

from .namespace import IG

__all__ = [
    "BASE",
    "ID",
    "IG",
    "ONTOLOGY_FILES",
    "SCHEME_PREFIX",
    "concept",
    "concept_keys",
    "concept_label",
    "ontology_graph",
    "shapes_graph",
]

BASE = "https://w3id.org/inspectgraph/"
ID = Namespace(BASE + "id/")
ONTOLOGY_FILES = ("inspectgraph.ttl", "schemes.ttl", "schemes-national.ttl")

# scheme name -> IRI prefix of its concepts (…/def/<prefix>/<key>)
SCHEME_PREFIX = {
    "themes": "theme",
    "agency-types": "agency-type",
    "polarity": "polarity",
    "inspection-types": "inspection-type",
    "judgement-areas": "judgement-area",
    "grades": "grade",
    "visit-themes": "visit-theme",
    "frameworks": "framework",
    "regions": "region",
    "polarity-cues": "polarity-cue",
}


def _read(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology and concept schemes as one rdflib graph (cached; do not mutate)."""
    g = Graph()
    for name in ONTOLOGY_FILES:
        g.parse(data=_read(name), format="turtle")
    return g


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The SHACL shapes for everything inspectgraph writes (cached; do not mutate)."""
    return Graph().parse(data=_read("shapes.ttl"), format="turtle")


def concept(scheme: str, key: str) -> URIRef:
    """IRI of the concept ``key`` of ``scheme``, checking that it exists.

    >>> concept("themes", "front_door")
    rdflib.term.URIRef('https://w3id.org/inspectgraph/def/theme/front_door')
    >>> concept("polarity", "weak")
    Traceback (most recent call last):
    ...
    KeyError: "unknown polarity key 'weak'; known: mixed, neutral, strength, weakness"
    """
    keys = concept_keys(scheme)
    if key not in keys:
        raise KeyError(
            f"unknown {scheme.rstrip('s')} key {key!r}; known: {', '.join(sorted(keys))}"
        )
    return keys[key]


@cache
def concept_keys(scheme: str) -> dict[str, URIRef]:
    """Map ``skos:notation`` key -> concept IRI for one scheme, e.g. ``"themes"``."""
    if scheme not in SCHEME_PREFIX:
        raise KeyError(f"unknown scheme {scheme!r}; known: {', '.join(SCHEME_PREFIX)}")
    scheme_iri = URIRef(str(IG) + scheme)
    rows = ontology_graph().query(
        "SELECT ?c ?key WHERE { ?c skos:inScheme ?s ; skos:notation ?key }",
        initBindings={"s": scheme_iri},
        initNs={"skos": Namespace("http://www.w3.org/2004/02/skos/core#")},
    )
    return {str(key): c for c, key in rows}


@cache
def concept_label(scheme: str, key: str) -> str:
    """English ``skos:prefLabel`` of a concept.

    >>> concept_label("inspection-types", "monitoring_visit")
    'Monitoring visit'
    """
    from rdflib.namespace import SKOS

    return str(ontology_graph().value(concept(scheme, key), SKOS.prefLabel))
