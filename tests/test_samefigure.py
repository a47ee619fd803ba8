"""The Python API and the command line draw the same figure (issue 18): every drawing entry
point of ``KnowledgeGraph`` against its command, on the bundled demo store, byte for byte
(the pages and figures carry no date; SVG ids are fixed by ``save_figure``)."""

import re
import shutil

import pytest

import inspectgraph
from inspectgraph.viz.static import save_figure

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kg(bundled_templates, tmp_path_factory):
    """The API over a copy of the run's bundled build, the data `kg.build()` writes and the
    commands read (`built_store_dir` is a copy of the same build): one build fewer. The
    API's own build is tested by test_notebook and the API's doctests."""
    path = tmp_path_factory.mktemp("samefigure") / "store"
    shutil.copytree(bundled_templates["oxigraph"], path)
    with inspectgraph.open(path) as k:
        yield k


def command_output(cli_run, store, *args):
    result = cli_run(*args, "--store", store)
    assert result.exit_code == 0, result.output
    return result


def svg_of(fig, path):
    save_figure(fig, path, fmt="svg")
    return written(path)


def written(path):
    """A written figure's content; in SVG, matplotlib's clip-path ids renamed in order of
    appearance: each id hashes its clip box's coordinates at full float precision, which
    can differ in the last bits between two drawings of the same figure (seen once in a
    full run) while every coordinate written stays the same."""
    if path.suffix != ".svg":
        return path.read_bytes()
    text = path.read_text(encoding="utf-8")
    names: dict[str, str] = {}
    return re.sub(r"\bp[0-9a-f]{10}\b", lambda m: names.setdefault(m[0], f"clip{len(names)}"), text)


# (API keywords, the same as command options): the default and crowded graph, pairs above
# chance, one authority (placed around it), a region, line widths by lift, a given title
PARTNERSHIP_CASES = [
    ({"pairs": "all"}, ["--pairs", "all"]),
    ({"pairs": "above-chance", "min_findings": 1}, ["--min-findings", "1"]),
    ({"pairs": "all", "la": "Sunderland"}, ["--pairs", "all", "--la", "Sunderland"]),
    ({"pairs": "all", "region": "north_east"}, ["--pairs", "all", "--region", "north_east"]),
    (
        {"pairs": "all", "width_by": "lift", "group": "type"},
        ["--pairs", "all", "--width", "lift", "--group", "type"],
    ),
    ({"pairs": "all", "title": "T", "seed": 3}, ["--pairs", "all", "--title", "T", "--seed", "3"]),
]
CASE_IDS = ["all", "above-chance", "la", "region", "lift-by-type", "title"]


@pytest.mark.parametrize(("api", "options"), PARTNERSHIP_CASES, ids=CASE_IDS)
def test_show_is_the_page_of_viz_partnerships(kg, cli_run, built_store_dir, tmp_path, api, options):
    out = tmp_path / "p.html"
    command_output(cli_run, built_store_dir, "viz", "partnerships", *options, "--out", out)
    assert kg.show(**api).html == out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("api", "options"), PARTNERSHIP_CASES, ids=CASE_IDS)
def test_figure_is_the_figure_of_viz_partnerships(
    kg, cli_run, built_store_dir, tmp_path, api, options
):
    out = tmp_path / "p.svg"
    command_output(cli_run, built_store_dir, "viz", "partnerships", *options, "--out", out)
    assert svg_of(kg.figure(**api), tmp_path / "api.svg") == written(out)


@pytest.mark.parametrize("ext", ["svg", "json"])
def test_export_partnerships_writes_what_viz_partnerships_writes(
    kg, cli_run, built_store_dir, tmp_path, ext
):
    out = tmp_path / f"cli.{ext}"
    args = ["--pairs", "all", "--la", "Sunderland", "--width", "lift"]
    command_output(cli_run, built_store_dir, "viz", "partnerships", *args, "--out", out)
    mine = tmp_path / f"api.{ext}"
    kg.export_partnerships(mine, pairs="all", la="Sunderland", width_by="lift")
    assert written(mine) == written(out)


def test_the_drawing_is_decided_in_one_place(kg):
    """A figure is placed as the page is (the grouped or authority layout), untitled unless
    asked; the page gets the command's title."""
    from inspectgraph.viz.netexport import partnership_drawing

    G, title, pos = partnership_drawing(
        kg.store, la="Sunderland", fmt="svg", polarity="weakness,mixed"
    )
    assert title is None and pos is not None and set(pos) == set(G)
    _, page_title, page_pos = partnership_drawing(
        kg.store, la="Sunderland", polarity="weakness,mixed"
    )
    assert page_title == "Agencies criticised together — Sunderland" and page_pos == pos
    with pytest.raises(inspectgraph.errors.InputError, match="unknown option 'colour'"):
        kg.show(colour="red")


@pytest.mark.parametrize("view", ["types", "heatmap"])
@pytest.mark.parametrize("ext", ["html", "svg"])
def test_national_view_is_viz_types_and_heatmap(kg, cli_run, built_store_dir, tmp_path, view, ext):
    out = tmp_path / f"cli.{ext}"
    command_output(cli_run, built_store_dir, "viz", view, "--resamples", "200", "--out", out)
    mine = tmp_path / f"api.{ext}"
    summary = kg.national_view(mine, view=view, resamples=200)
    assert summary["format"] == ext
    assert written(mine) == written(out)


@pytest.mark.parametrize(
    ("view", "api", "options"),
    [
        ("themes", {"by": ("year",)}, []),
        ("themes", {"by": ("framework",)}, ["--by", "framework"]),
        ("transitions", {}, []),
    ],
    ids=["themes-year", "themes-framework", "transitions"],
)
def test_trends_figure_is_the_figure_of_trends(
    kg, cli_run, built_store_dir, tmp_path, view, api, options
):
    out = tmp_path / "cli.svg"
    command_output(cli_run, built_store_dir, "trends", view, *options, "--out", out)
    fig = kg.trends_figure(view, **api)
    assert svg_of(fig, tmp_path / "api.svg") == written(out)


def test_compare_figure_is_the_figure_of_compare(kg, cli_run, built_store_dir, tmp_path):
    out = tmp_path / "cli.svg"
    command_output(
        cli_run,
        built_store_dir,
        "compare",
        "--la",
        "Sunderland",
        "--resamples",
        "200",
        "--out",
        out,
    )
    fig = kg.compare_figure("Sunderland", resamples=200)
    assert svg_of(fig, tmp_path / "api.svg") == written(out)


def test_an_unknown_authority_is_an_error_in_the_api_as_in_the_command(
    kg, cli_run, built_store_dir, tmp_path
):
    """Not an empty drawing: the API raises what the command prints, with the nearest name."""
    from inspectgraph.errors import InputError

    draws = {
        "figure": lambda: kg.figure(la="Sundrland"),
        "export_partnerships": lambda: kg.export_partnerships(tmp_path / "p.svg", la="Sundrland"),
        "national_view": lambda: kg.national_view(tmp_path / "t.svg", la="Sundrland"),
    }
    for name, draw in draws.items():
        with pytest.raises(InputError, match="Sunderland"):
            draw()
        assert not list(tmp_path.iterdir()), name
    for command in (["viz", "partnerships"], ["viz", "types"]):
        result = cli_run(
            *command,
            "--la",
            "Sundrland",
            "--out",
            str(tmp_path / "x.svg"),
            "--store",
            built_store_dir,
        )
        assert result.exit_code == 2 and "Sunderland" in result.output, result.output
