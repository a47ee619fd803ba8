"""The agency registry: councils, police forces, ICBs, delivery companies, resolution."""

import csv
import datetime as dt
from importlib import resources

import pytest

from inspectgraph.model.records import Agency
from inspectgraph.sources.registry import Registry, load_registry
from inspectgraph.sources.registry_model import ICB_START
from inspectgraph.sources.registry_parse import parse_agencies, parse_las
from tools.generate_registry import generate_attested, generate_las

REG = load_registry()
CURRENT = [la for la in REG.las.values() if la.current]


def test_every_current_authority_has_its_council_codes_and_region():
    assert len(CURRENT) == 153
    for la in CURRENT:
        assert la.council_id and la.council_label, la.key
        assert la.gss.startswith("E0") or la.gss.startswith("E1"), la.key
        assert la.ofsted_urn.isdigit() and len(la.dfe_code) == 3, la.key
        assert la.region, la.key
    ids = [la.council_id for la in REG.las.values()]
    assert len(ids) == len(set(ids))


def test_every_current_authority_has_a_police_force_an_icb_and_a_partnership():
    for la in CURRENT:
        assert REG.serving(la.key, "police"), la.key
        assert REG.serving(la.key, "health", ICB_START), la.key
        assert REG.partnership(la).type == "safeguarding_partnership"
    forces = {a.id for a in REG.agencies.values() if a.type == "police"}
    assert len(forces) == 39  # England's 39 territorial forces with the City of London Police


def test_names_as_ofsted_spells_them_find_the_authority():
    for name, key in [
        ("Bristol, City of", "bristol"),
        ("Kingston upon Hull", "kingston-upon-hull"),
        ("Hull", "kingston-upon-hull"),
        ("St. Helens", "st-helens"),
        ("Bedford Borough", "bedford"),
        ("Hammersmith & Fulham", "hammersmith-and-fulham"),
        ("Bournemouth, Christchurch & Poole", "bournemouth-christchurch-and-poole"),
        ("Southend on Sea", "southend-on-sea"),
        ("Richmond Upon Thames", "richmond-upon-thames"),
    ]:
        assert REG.find_la(name).key == key, name
    assert REG.find_la(gss="E08000019").key == "sheffield"  # the code Ofsted's files still use
    assert REG.find_la("Atlantis") is None


def test_delivery_companies_resolve_only_while_they_deliver():
    at = REG.resolve
    for la, on, agency in [
        ("slough", dt.date(2016, 2, 17), "slough-childrens-services-trust"),
        ("slough", dt.date(2023, 3, 17), "slough-children-first"),
        ("doncaster", dt.date(2022, 4, 8), "doncaster-childrens-services-trust"),
        ("doncaster", dt.date(2024, 1, 1), "doncaster-metropolitan-borough-council"),
        ("doncaster", dt.date(2013, 1, 1), "doncaster-metropolitan-borough-council"),
        ("west-northamptonshire", dt.date(2022, 11, 25), "northamptonshire-childrens-trust"),
        ("kingston-upon-thames", dt.date(2019, 12, 19), "achieving-for-children"),
    ]:
        assert at(la, "local_authority", on).id == agency, (la, on)
    company = at("sunderland", "local_authority", dt.date(2019, 6, 14))
    assert company.id == "together-for-children"


def test_generic_mentions_resolve_to_the_authoritys_own_organisation():
    on = dt.date(2019, 6, 14)
    assert REG.resolve("gateshead", "police", on).id == "northumbria-police"
    assert REG.resolve("camden", "police", on).id == "metropolitan-police-service"
    assert REG.resolve("camden", "health", on).id == "camden-health-partners"
    assert REG.resolve("camden", "health", dt.date(2022, 7, 1)).id == "nhs-north-central-london-icb"
    assert REG.resolve("camden", "health", dt.date(2022, 6, 30)).id == "camden-health-partners"
    assert REG.resolve("camden", "education", on).label == "Camden schools"
    assert REG.resolve("camden", "multi_agency", on).id == "camden-mash"
    assert (
        REG.resolve("camden", "safeguarding_partnership", on).id
        == "camden-safeguarding-partnership"
    )
    assert REG.resolve("camden", "probation", on).id == "probation-service"
    assert (
        REG.resolve("essex", "health", dt.date(2023, 1, 1)).id
        == "nhs-hertfordshire-and-west-essex-icb"
    )


def test_a_ccg_a_records_file_names_stands_for_health_before_icbs():
    ccg = Agency(
        id="sunderland-ccg",
        label="Sunderland CCG",
        type="health",
        member_of=("sunderland-safeguarding-partnership",),
        dissolved=dt.date(2022, 6, 30),
    )
    assert (
        REG.resolve("sunderland", "health", dt.date(2019, 6, 14), extra=[ccg]).id
        == "sunderland-ccg"
    )
    assert (
        REG.resolve("sunderland", "health", dt.date(2023, 1, 1), extra=[ccg]).id
        == "nhs-north-east-and-north-cumbria-icb"
    )


def test_named_agencies_are_found_in_text():
    found = REG.named_in("slough", "Slough Children First and Thames Valley Police met.")
    assert [a.id for a in found] == ["slough-children-first", "thames-valley-police"]
    assert REG.named_in("camden", "Northumbria Police") == []  # not Camden's force


def test_every_listed_agency_cites_sources_or_says_what_is_unverified():
    for agency in REG.agencies.values():
        if agency.delivers:
            assert agency.sources, agency.id
            assert all(s.start for s in agency.delivers), agency.id


def test_registry_file_errors_are_clear():
    with pytest.raises(Exception, match="format must be"):
        parse_agencies("format: nope\n")
    with pytest.raises(Exception, match=r"agencies\[0\]: unknown agency type 'polis'"):
        parse_agencies(
            "format: inspectgraph-registry/1\nagencies:\n  - {id: x, label: X, type: polis}\n"
        )
    with pytest.raises(Exception, match="unknown key 'colour'"):
        parse_agencies(
            "format: inspectgraph-registry/1\nagencies:\n"
            "  - {id: x, label: X, type: police, colour: blue}\n"
        )


def test_attested_names_are_in_the_cited_texts(corpus):
    for (la, agency_id), document in REG.attested.items():
        text = " ".join((corpus / document).read_text(encoding="utf-8").split())
        agency = REG.agencies[agency_id]
        assert any(
            name.replace("’", "'").lower() in text.replace("’", "'").lower()
            for name in (agency.label, *agency.alt_labels)
        ), (la, agency_id, document)


def test_council_names_are_headings_of_the_cited_reports(corpus):
    for la in REG.las.values():
        if la.council_label_source != "generic":
            head = " ".join(
                (corpus / la.council_label_source).read_text(encoding="utf-8").split()[:40]
            )
            assert la.council_label.split()[-1] in head.replace("’", "'"), la.key


@pytest.mark.slow
def test_regenerating_the_registry_tables_is_identical(corpus):
    outcomes = corpus / "outcomes"
    rows = generate_las(outcomes / "ofsted_la_provider_lookup.csv", outcomes, corpus)
    data = resources.files("inspectgraph").joinpath("data", "registry")
    bundled = list(csv.DictReader(data.joinpath("las.csv").read_text("utf-8").splitlines()))
    assert rows == bundled
    registry = Registry(
        las=parse_las(data.joinpath("las.csv").read_text("utf-8")), agencies=REG.agencies
    )
    attested = generate_attested(registry, corpus)
    assert attested == list(
        csv.DictReader(data.joinpath("attested.csv").read_text("utf-8").splitlines())
    )


def test_a_registry_agency_is_the_models_agency_with_what_the_registry_adds():
    from dataclasses import fields

    from inspectgraph.sources.registry import to_agency

    shared = [f.name for f in fields(Agency)]
    added = [f.name for f in fields(REG.agencies["ofsted"])][len(shared) :]
    assert isinstance(REG.agencies["ofsted"], Agency)
    assert added == ["national", "serves", "delivers", "sources", "unverified"]
    for agency in REG.agencies.values():
        assert agency.linked_to == ()  # the registry's links are derived, not listed
        model = to_agency(agency)
        assert type(model) is Agency
        assert all(getattr(model, name) == getattr(agency, name) for name in shared)
