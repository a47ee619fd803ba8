"""The concept keys and labels read by pyoxigraph's parser (:mod:`inspectgraph.model.concepts`)
are those the ontology module reads with rdflib, scheme by scheme."""

from __future__ import annotations

from inspectgraph import ontology
from inspectgraph.model import concepts


def test_every_scheme_gives_the_same_keys_and_labels():
    for scheme in ontology.SCHEME_PREFIX:
        keys = ontology.concept_keys(scheme)
        assert concepts.concept_keys(scheme) == keys, scheme
        assert concepts.concept_labels(scheme) == {
            key: ontology.concept_label(scheme, key) for key in keys
        }, scheme
