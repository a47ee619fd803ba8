"""The concept schemes' keys and labels, read without rdflib's parser or SPARQL engine.

:func:`inspectgraph.ontology.concept_keys` parses the ontology with rdflib and asks rdflib's
SPARQL engine: about 0.5 s of parsing and 0.2 s of importing that engine, paid by every
command that checks an option such as ``--polarity`` before it opens a store (most of the
start-up of ``inspectgraph partnerships``). The same Turtle files are read here by
pyoxigraph's parser (milliseconds), which the store imports anyway; the answers are the
same (a test compares every scheme).
"""

from __future__ import annotations

from functools import cache

__all__ = ["concept_keys", "concept_labels"]

_SKOS = "http://www.w3.org/2004/02/skos/core#"


@cache
def _schemes() -> tuple[dict, dict]:
    """``(keys, labels)``: scheme IRI -> {key: concept IRI}, concept IRI -> English label."""
    from importlib import resources

    import pyoxigraph as ox

    from ..ontology import ONTOLOGY_FILES

    in_scheme: dict[str, list[str]] = {}
    notations: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    fallback: dict[str, str] = {}
    folder = resources.files("inspectgraph.ontology")
    for name in ONTOLOGY_FILES:
        data = folder.joinpath(name).read_bytes()
        for t in ox.parse(data, format=ox.RdfFormat.TURTLE):
            p, s, o = t.predicate.value, t.subject, t.object
            if not isinstance(s, ox.NamedNode):
                continue
            if p == _SKOS + "inScheme" and isinstance(o, ox.NamedNode):
                in_scheme.setdefault(o.value, []).append(s.value)
            elif p == _SKOS + "notation" and isinstance(o, ox.Literal):
                notations.setdefault(s.value, []).append(o.value)
            elif p == _SKOS + "prefLabel" and isinstance(o, ox.Literal):
                if o.language == "en":
                    labels.setdefault(s.value, o.value)
                else:
                    fallback.setdefault(s.value, o.value)
    keys = {
        scheme: {key: c for c in concepts for key in notations.get(c, ())}
        for scheme, concepts in in_scheme.items()
    }
    return keys, {**fallback, **labels}


def concept_keys(scheme: str) -> dict:
    """``skos:notation`` key -> concept IRI (an rdflib ``URIRef``) of one scheme, e.g.
    ``"polarity"``: what :func:`inspectgraph.ontology.concept_keys` gives, read faster.

    >>> sorted(concept_keys("polarity"))
    ['mixed', 'neutral', 'strength', 'weakness']
    """
    from rdflib import URIRef

    from ..ontology import IG, SCHEME_PREFIX

    if scheme not in SCHEME_PREFIX:
        raise KeyError(f"unknown scheme {scheme!r}; known: {', '.join(SCHEME_PREFIX)}")
    found = _schemes()[0].get(str(IG) + scheme, {})
    return {key: URIRef(iri) for key, iri in found.items()}


def concept_labels(scheme: str) -> dict[str, str]:
    """key -> English ``skos:prefLabel`` of every concept of one scheme.

    >>> concept_labels("grades")["good"]
    'Good'
    """
    labels = _schemes()[1]
    return {key: labels.get(str(iri), "") for key, iri in concept_keys(scheme).items()}
