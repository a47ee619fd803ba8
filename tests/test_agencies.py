"""Agencies that are named, not invented: the strict agency reading on real sentences, the
organisations a finding concerns, the JTAI addressees (the agencies a joint letter inspected).

Sentences are located by file and offsets into the corpus rendition; only short phrases of
them appear here."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectgraph.extract import extract, label
from inspectgraph.extract.addressees import inspected_agencies, read_addressees
from inspectgraph.graph.documents import _agencies, _criticised
from inspectgraph.sources.registry import load_registry

REG = load_registry()
_EXTRACTED = {}


def finding_at(corpus, path, start, end):
    """The finding of a corpus document with these offsets (extracted once per document)."""
    if path not in _EXTRACTED:
        _EXTRACTED[path] = extract(corpus / path)
    x = _EXTRACTED[path]
    found = [f for f in x.findings if (f.start, f.end) == (start, end)]
    assert found, f"no finding at {path} {start}-{end}"
    return x, found[0]


def organisations(x, f, la):
    return [a.id for a in _agencies(REG, la, f, x.document.published, [])]


def test_tameside_police_absent_from_strategy_meetings(corpus):
    """ "Greater Manchester police are not always available to attend strategy meetings"
    (Tameside 2022): a partnership criticism of the police, who are the failing party."""
    x, f = finding_at(corpus, "focused-visits/80569_tameside_2022-06-06.txt", 6110, 6288)
    assert f.clean.startswith("Greater Manchester police are not always available")
    assert f.polarity == "weakness"
    assert f.agencies == ["multi_agency", "police"]  # strategy meetings are multi-agency
    assert f.criticised == ["police"]
    assert f.attributed_to == x.document.la
    # the force is an organisation; a strategy meeting is not one, nor is the council named
    assert organisations(x, f, "tameside") == ["greater-manchester-police"]


def test_agentless_sentences_name_no_agency(corpus):
    x, f = finding_at(corpus, "focused-visits/80569_tameside_2022-06-06.txt", 5966, 6109)
    assert f.clean.startswith("For too many children, the risk of harm is not being")
    assert f.polarity == "weakness"
    assert f.agencies == [] and f.criticised == []
    assert organisations(x, f, "tameside") == []
    # it still belongs to the inspected authority
    assert f.attributed_to and f.attributed_to.lower() == "tameside"
    for text in (
        "Plans are not timely.",
        "Assessments lack analysis.",
        "Children wait too long for an assessment.",
        "Management oversight is not always evident.",
    ):
        assert label(text).agencies == [], text


def test_generic_partners_are_no_organisation(corpus):
    """ "Partners understand thresholds …" (Leicester 2023, what needs to improve): the type
    is multi_agency, but no MASH is named, so no organisation is concerned."""
    x, f = finding_at(corpus, "focused-visits/80482_leicester_2023-01-30.txt", 3290, 3382)
    assert f.clean.startswith("Partners understand thresholds")
    assert f.agencies == ["multi_agency"]
    assert organisations(x, f, "leicester") == []


def test_a_named_mash_is_an_organisation(corpus):
    """ "… decision-making in the multi-agency safeguarding hub (MASH)" (Dudley 2020)."""
    x, f = finding_at(corpus, "focused-visits/80464_dudley_2020-11-27.txt", 4823, 4914)
    assert f.agencies == ["multi_agency"]
    assert organisations(x, f, "dudley") == ["dudley-mash"]


def test_failing_party_and_the_partner_it_failed(corpus):
    """ "Partner agencies, and health partners in particular, do not routinely contribute to
    decision-making within the MASH" (Barking and Dagenham 2021): health is criticised, the
    MASH is the partner failed. Before integrated care boards (July 2022) "health partners"
    are no organisation the registry knows: the type is kept, the placeholder "Barking and
    Dagenham health partners" is not concerned (it was, and paired as if it were a body)."""
    path = "focused-visits/80486_barking-and-dagenham_2021-07-15.txt"
    x, f = finding_at(corpus, path, 4531, 4648)
    assert f.agencies == ["health", "multi_agency"]
    assert f.criticised == ["health"]
    concerned = _agencies(REG, "barking-and-dagenham", f, x.document.published, [])
    assert [a.id for a in concerned] == ["barking-and-dagenham-mash"]
    assert _criticised(concerned, f) == []
    # the same words after July 2022 mean the area's integrated care board
    later = _agencies(REG, "barking-and-dagenham", f, dt.date(2023, 1, 1), [])
    assert sorted(a.type for a in later) == ["health", "multi_agency"]
    assert not any(REG.is_placeholder(a) for a in later)


def test_the_family_court_is_no_organisation(corpus):
    """ "the court" or "judges" name the family justice system, not a body of the area: the
    type ``courts_cafcass`` is kept, the placeholder "<LA> family justice partners" is not
    an organisation; Cafcass named by name is."""
    from inspectgraph.extract.core import ExtractedFinding

    text = "Delays in the court and in Cafcass reports are not challenged by managers."
    lab = label(text)
    assert "courts_cafcass" in lab.agencies
    f = ExtractedFinding(
        text, 0, len(text), "findings", "", lab.polarity, lab.themes, lab.agencies, lab.cues,
        "", "", text, criticised=lab.criticised,
    )  # fmt: skip
    ids = [a.id for a in _agencies(REG, "sunderland", f, dt.date(2019, 6, 14), [])]
    assert "cafcass" in ids and "sunderland-family-justice" not in ids
    f2 = ExtractedFinding(
        "Delays in the court are not challenged.", 0, 39, "findings", "", "weakness", [],
        ["courts_cafcass", "local_authority"], {}, "", "", "Delays in the court are not challenged.",
    )  # fmt: skip
    ids = [a.id for a in _agencies(REG, "sunderland", f2, dt.date(2019, 6, 14), [])]
    assert ids == [REG.resolve("sunderland", "local_authority", dt.date(2019, 6, 14)).id]


def test_roles_by_position_and_passive_agent():
    lab = label("Police do not share information with children's social care.")
    assert lab.agencies == ["local_authority", "police"] and lab.criticised == ["police"]
    lab = label("Children's social care is not always informed by the police of incidents.")
    assert lab.criticised == ["police"]
    lab = label("Police attend promptly, but health partners do not share information.")
    assert lab.polarity == "mixed" and lab.criticised == ["health"]
    assert label("Health partners share information well.").criticised == []


def test_words_that_are_not_agencies():
    assert (
        label("Children's physical health and emotional well-being needs are met.").agencies == []
    )
    assert label("Social workers work in partnership with parents.").agencies == ["local_authority"]
    assert label("Children are accommodated on a voluntary basis.").agencies == []
    assert label("Police, health and schools attend meetings.").agencies == [
        "education",
        "health",
        "police",
    ]


def test_sunderland_police_and_tfc_pair_still_formed():
    """The bundled Sunderland case's criticism of 2019 (its summary, from the records file):
    the company running the council's services is named by name, the force by name, so the
    pair Northumbria Police — Together for Children is formed; generic partners add none."""
    from inspectgraph.extract.core import ExtractedFinding

    text = (
        "Partner agencies did not understand the thresholds for children's social care, and "
        "referrals from Northumbria Police in particular arrived without the basic information "
        "TfC needed to decide what to do."
    )
    on = dt.date(2019, 2, 7)
    named = [(s, e, a.type, text[s:e]) for s, e, a in REG.mentions("sunderland", text)]
    lab = label(text, named=named)
    assert lab.agencies == ["local_authority", "multi_agency", "police"]
    assert "police" in lab.criticised
    f = ExtractedFinding(
        text, 0, len(text), "findings", "", lab.polarity, lab.themes, lab.agencies, lab.cues,
        "", "", text, criticised=lab.criticised,
    )  # fmt: skip
    concerned = [a.id for a in _agencies(REG, "sunderland", f, on, [])]
    assert concerned == ["northumbria-police", "together-for-children"]


@pytest.mark.parametrize(
    ("path", "la", "expected"),
    [
        (  # 2016: the CCG, the force, youth offending, two probation bodies, the LSCB
            "jtai/80446_central-bedfordshire_2016-05-10.txt",
            "central-bedfordshire",
            [
                ("local_authority", "central-bedfordshire-local-authority"),
                ("health", None),  # a CCG the registry does not list: no placeholder
                ("police", None),  # the police and crime commissioner: an office, not the force
                ("police", "bedfordshire-police"),
                ("youth_justice", "central-bedfordshire-youth-justice-service"),
                ("probation", "probation-service"),
                ("probation", "probation-service"),
                ("safeguarding_partnership", "central-bedfordshire-safeguarding-partnership"),
            ],
        ),
        (  # 2017: a role without a comma after the name, Cafcass
            "jtai/80449_bradford_2017-04-21.txt",
            "bradford",
            [
                ("local_authority", None),
                ("health", None),
                ("health", None),
                ("police", None),
                ("police", "west-yorkshire-police"),
                ("youth_justice", "bradford-youth-justice-service"),
                ("probation", "probation-service"),
                ("probation", "probation-service"),
                ("safeguarding_partnership", "bradford-safeguarding-partnership"),
                ("courts_cafcass", "cafcass"),
            ],
        ),
        (  # 2023: the ICB (after July 2022), the force, the independent scrutineer
            "jtai/80566_sunderland_2023-03-16.txt",
            "sunderland",
            [
                ("local_authority", "sunderland-city-council"),
                ("health", "nhs-north-east-and-north-cumbria-icb"),
                ("police", None),
                ("police", "northumbria-police"),
                ("safeguarding_partnership", "sunderland-safeguarding-partnership"),
            ],
        ),
        (  # 2022: a council name wrapped onto the next line, a CCG just before ICBs began
            "jtai/80426_barnsley_2022-07-18.txt",
            "barnsley",
            [
                ("local_authority", "metropolitan-borough-of-barnsley-council"),
                ("health", "nhs-south-yorkshire-icb"),
                ("police", None),
                ("police", "south-yorkshire-police"),
                ("safeguarding_partnership", "barnsley-safeguarding-partnership"),
            ],
        ),
    ],
)
def test_jtai_addressees_are_the_agencies_inspected(corpus, path, la, expected):
    letter = corpus.parent / "corpus-joint" / path
    if not letter.exists():
        pytest.skip(f"joint corpus not found: {letter.parent.parent}")
    text = letter.read_text(encoding="utf-8")
    on = dt.date.fromisoformat(letter.stem.rsplit("_", 1)[1])
    found = inspected_agencies(text, la, on)
    got = [(a.type, a.agency_id) for a in found]
    if la == "bradford":  # the authority's council is named "Bradford local authority"
        got[0] = (got[0][0], None)
    assert got == expected
    assert len(read_addressees(text)) == len(expected)


def test_every_jtai_letter_addresses_the_council_police_and_health(corpus):
    """Across all 61 letters of 2016-2024, every letter opens with an addressee list naming
    the council, the police and health; one line is left without a type (a director of
    "quality and integrated governance", Greenwich 2018, whose body the line does not say)."""
    folder = corpus.parent / "corpus-joint" / "jtai"
    if not folder.exists():
        pytest.skip(f"joint corpus not found: {folder}")
    untyped = 0
    letters = sorted(folder.glob("*.txt"))
    assert len(letters) >= 60
    for letter in letters:
        found = inspected_agencies(letter.read_text(encoding="utf-8"))
        types = {a.type for a in found}
        assert {"local_authority", "police", "health"} <= types, letter.name
        untyped += sum(a.type is None for a in found)
    assert untyped == 1


def test_extract_exposes_the_inspected_agencies(corpus):
    letter = corpus.parent / "corpus-joint" / "jtai" / "80566_sunderland_2023-03-16.txt"
    if not letter.exists():
        pytest.skip(f"joint corpus not found: {letter}")
    x = extract(letter)
    assert "northumbria-police" in {a.agency_id for a in x.document.inspected}
    record = x.records()[0]
    assert {"type", "role", "agency", "label", "text"} <= set(record["inspected"][0])
    # an ordinary letter has none
    assert (
        "inspected"
        not in extract(corpus / "focused-visits/80569_tameside_2022-06-06.txt").records()[0]
    )
