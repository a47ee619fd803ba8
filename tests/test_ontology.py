from rdflib import RDF, Graph
from rdflib.namespace import OWL, SKOS

from inspectgraph.ontology import (
    IG,
    concept,
    concept_keys,
    ontology_graph,
    shapes_graph,
)
from tools.generate_ontology import render

REQUIRED = {
    "themes": [
        "front_door",
        "information_sharing",
        "assessment",
        "planning_and_review",
        "management_oversight",
        "workforce",
        "neglect",
        "exploitation_and_missing",
        "domestic_abuse",
        "children_in_care",
        "care_leavers",
        "disabled_children",
        "early_help",
        "leadership_and_governance",
        "child_voice",
        "quality_assurance",
        "legal_and_court",
        "mental_health",
        "education",
    ],
    "agency-types": [
        "local_authority",
        "police",
        "health",
        "education",
        "probation",
        "youth_justice",
        "housing",
        "voluntary_sector",
        "courts_cafcass",
        "safeguarding_partnership",
        "multi_agency",
    ],
    "polarity": ["strength", "weakness", "neutral", "mixed"],
    "inspection-types": [
        "sif_inspection",
        "sif_reinspection",
        "ilacs_standard",
        "ilacs_short",
        "focused_visit",
        "monitoring_visit",
        "jtai",
        "area_send",
        "lscb_review",
    ],
    "grades": ["outstanding", "good", "requires_improvement", "inadequate"],
    "judgement-areas": [
        "overall_effectiveness",
        "impact_of_leaders",
        "help_and_protection",
        "children_in_care",
        "care_leavers",
        "children_in_care_and_care_leavers",
    ],
}


def test_generated_namespace_is_in_sync_with_the_ontology():
    from importlib import resources

    current = resources.files("inspectgraph.ontology").joinpath("namespace.py").read_text()
    assert current == render(), "run: python -m tools.generate_ontology"


def test_namespace_rejects_typos():
    assert str(IG.Finding) == "https://w3id.org/inspectgraph/def/Finding"
    try:
        IG.Fnding  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("IG accepted an unknown term")


def test_own_terms_are_few_and_documented():
    g = ontology_graph()
    own = [
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in g.subjects(RDF.type, kind)
        if str(s).startswith(str(IG._NS))
    ]
    # 21 since ig:criticises (a sub-property of ig:concerns: the failing party of a finding);
    # 28 since ig:nameKey and the co-criticism index (a class and five properties, #16);
    # 32 since the compact finding (ig:exact, ig:prefix, ig:suffix, ig:start fold its
    # quotation's selectors onto it; ig:cues, one value, replaced ig:cue);
    # 33 since ig:sections (a report's sections, one value: a finding's section by its start)
    assert 10 <= len(own) <= 33
    for term in own:
        assert g.value(term, g.namespace_manager.expand_curie("rdfs:label")), term


def test_every_required_concept_key_exists_with_label_and_definition():
    g = ontology_graph()
    for scheme, keys in REQUIRED.items():
        known = concept_keys(scheme)
        for key in keys:
            assert key in known, (scheme, key)
            c = concept(scheme, key)
            assert g.value(c, SKOS.prefLabel) and g.value(c, SKOS.definition), c


def test_theme_cue_phrases_live_in_the_scheme():
    g = ontology_graph()
    cues = set(map(str, g.objects(concept("themes", "front_door"), SKOS.hiddenLabel)))
    assert {"MASH", "triage"} <= cues


def test_grades_are_ranked_best_first():
    from rdflib.namespace import DCTERMS

    g = ontology_graph()
    ranks = [int(g.value(concept("grades", k), DCTERMS.identifier)) for k in REQUIRED["grades"]]
    assert ranks == [1, 2, 3, 4]


def test_unknown_key_error_lists_known_keys():
    import pytest

    with pytest.raises(KeyError, match="known: mixed, neutral, strength, weakness"):
        concept("polarity", "bad")


def test_shapes_parse_and_target_every_class_we_write():
    from rdflib import Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    targets = set(shapes_graph().objects(None, sh.targetClass))
    assert {IG.Inspection, IG.Finding, IG.Report, IG.Judgement} <= targets
    assert isinstance(shapes_graph(), Graph)
