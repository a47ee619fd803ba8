"""tools/nationaldoc.py runs the commands docs/national.md lists and rounds as the page does."""

from pathlib import Path

from tools import nationaldoc

PAGE = Path(__file__).resolve().parents[1] / "docs" / "national.md"


def test_the_page_lists_every_command_the_script_runs():
    page = PAGE.read_text(encoding="utf-8")
    assert "python -m tools.nationaldoc --store national" in page
    for args in nationaldoc.COMMANDS.values():
        assert f"inspectgraph {' '.join(args)} --store national" in page, args


def test_rows_are_rounded_as_the_page_rounds_them():
    row = {
        "agency_types": ["multi_agency", "police"],
        "findings": 95,
        "expected": 54.23,
        "lift": 1.7512,
        "lift_low": 1.406,
        "lift_high": 2.297,
        "p_adjusted": 1.84e-05,
        "inspections": 60,
        "local_authorities": 53,
    }
    assert nationaldoc.types(row) == "MASH / front door — police"
    assert nationaldoc.cell(row) == "1.75 (1.41–2.30, n=95) *"
    assert nationaldoc.cell(None) == "–"
    assert nationaldoc.p_text(0.1364) == "0.136" and nationaldoc.p_text(4.79e-4) == "4.8e-04"
    table = nationaldoc.type_lift_table([row]).splitlines()
    assert (
        table[-1]
        == "| MASH / front door — police | 95 | 54.2 | 1.75 | 1.41–2.30 | 1.8e-05 | 60 | 53 |"
    )
