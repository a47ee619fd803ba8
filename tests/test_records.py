import textwrap

import pytest

from inspectgraph.graph.build import bundled_sources
from inspectgraph.model.records import RecordsError, load_records, parse_records

HEAD = "format: inspectgraph-records/1\n"
AGENCIES = """
agencies:
  - {id: acme-council, label: Acme Council, type: local_authority}
  - {id: acme-police, label: Acme Police, type: police}
"""
INSPECTION = """
inspections:
  - id: acme-2019
    la: acme-council
    type: monitoring_visit
    documents: [{id: letter, title: Letter, published: 2019-02-07}]
"""


def problems(text: str) -> list[str]:
    with pytest.raises(RecordsError) as info:
        parse_records(textwrap.dedent(text), "bad.yaml")
    assert str(info.value).startswith("bad.yaml: ")
    return info.value.problems


def test_bundled_sunderland_records_load():
    from inspectgraph.sources.registry import load_registry

    [path] = [p for p in bundled_sources() if p.name == "sunderland.yaml"]
    registry_ids = frozenset(a.id for a in load_registry().records_agencies())
    # the council, TfC, the police force, the partnership and Ofsted come from the registry
    assert {
        "sunderland-city-council",
        "together-for-children",
        "northumbria-police",
        "sunderland-safeguarding-partnership",
        "ofsted",
    } <= registry_ids
    r = load_records(path, known_agencies=registry_ids)
    assert {a.id for a in r.agencies} == {"sunderland-ccg"}
    assert len(r.inspections) == 7
    assert len(r.findings) >= 20
    types = sorted(x.type for x in r.inspections)
    assert types.count("monitoring_visit") == 2 and types.count("focused_visit") == 2


def test_minimal_file_parses():
    r = parse_records(HEAD + AGENCIES + INSPECTION)
    assert [a.id for a in r.agencies] == ["acme-council", "acme-police"]
    assert r.inspections[0].date.isoformat() == "2019-02-07"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("format: other/1\n", "format: must be 'inspectgraph-records/1'"),
        (HEAD + "agencies: {}\n", "agencies: expected a list"),
        (HEAD + "agencies: [{id: a, label: A, type: polise}]", "unknown agency-types key 'polise'"),
        (HEAD + "agencies: [{id: A!, label: A, type: police}]", "must match"),
        (HEAD + "agencies: [{id: a, label: A, type: police, colour: red}]", "unknown key 'colour'"),
        (
            HEAD + "agencies: [{id: a, label: A, type: police}, {id: a, label: B, type: police}]",
            "duplicate id 'a'",
        ),
        (HEAD + "agencies: [{id: a, label: 3, type: police}]", "'label' must be text"),
        (HEAD + "agencies: [{id: a, label: '', type: police}]", "'label' must not be empty"),
        (
            HEAD + AGENCIES + INSPECTION.replace("acme-council\n", "nowhere-council\n"),
            "unknown local authority 'nowhere-council'",
        ),
        (HEAD + AGENCIES + INSPECTION.replace("2019-02-07", "2019-02-30"), "must be a date"),
        (
            HEAD + AGENCIES + INSPECTION.replace("monitoring_visit", "spot_check"),
            "unknown inspection-types key",
        ),
        (
            HEAD
            + AGENCIES
            + INSPECTION
            + """
findings:
  - {id: f, inspection: acme-2019, polarity: weak, themes: [front_door], agencies: [acme-police],
     summary: S}
""",
            "unknown polarity key 'weak'",
        ),
        (
            HEAD
            + AGENCIES
            + INSPECTION
            + """
findings:
  - {id: f, inspection: acme-2019, polarity: weakness, themes: [], agencies: [acme-police],
     summary: S}
""",
            "'themes' needs at least 1 item",
        ),
        (
            HEAD
            + AGENCIES
            + INSPECTION
            + """
findings:
  - {id: f, inspection: acme-2019, polarity: weakness, themes: [front_door],
     agencies: [acme-polis], summary: S}
""",
            "unknown agency 'acme-polis'",
        ),
        (
            HEAD
            + AGENCIES
            + INSPECTION
            + """
findings:
  - {id: f, inspection: acme-2019, polarity: weakness, themes: [front_door],
     agencies: [acme-police], summary: S, quote: {exact: abc, start: 10, end: 12}}
""",
            "end - start = 2 but 'exact' has 3 characters",
        ),
        ("agencies: [\n", "malformed YAML at line"),
        ("- just\n- a list\n", "expected a mapping, got a list"),
    ],
)
def test_invalid_records_are_rejected_with_a_clear_message(text, expected):
    found = problems(text)
    assert any(expected in p for p in found), found


def test_every_problem_is_reported_not_just_the_first():
    found = problems(HEAD + "agencies: [{id: a, label: A, type: x}, {id: b, label: B, type: y}]")
    assert len(found) == 2


def test_references_to_other_sources_are_allowed_when_known():
    text = HEAD + INSPECTION
    with pytest.raises(RecordsError):
        parse_records(text)
    r = parse_records(text, known_agencies=frozenset({"acme-council"}))
    assert r.inspections[0].la == "acme-council"


def test_unreadable_and_non_utf8_files(tmp_path):
    bad = tmp_path / "cp1252.yaml"
    bad.write_bytes("format: inspectgraph-records/1\ntitle: caf\xe9\n".encode("cp1252"))
    with pytest.raises(RecordsError, match=r"cp1252.yaml: not UTF-8"):
        load_records(bad)
    with pytest.raises(RecordsError, match="cannot read"):
        load_records(tmp_path / "missing.yaml")
