"""Trends and comparisons on the command line: ``trends`` and ``compare``.

Thin click commands over :mod:`inspectgraph.analysis.trends` and :mod:`inspectgraph.analysis.compare` (the
numbers) and :mod:`inspectgraph.viz.trends` (the figures); registered on the group by
:mod:`inspectgraph.cli.main`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .options import DATE, format_options, iso_day, open_spec, store_options
from .output import render

__all__ = ["compare_command", "trends_command"]

_FIGURE = click.Path(path_type=Path, dir_okay=False)


def _check_figure_path(out: Path | None) -> None:
    from ..viz.static import FIGURE_FORMATS

    if out is not None and out.suffix.lstrip(".").lower() not in FIGURE_FORMATS:
        raise click.BadParameter(f"{out}: a figure is .png, .svg or .pdf", param_hint="--out")


def _polarity(value: str) -> str:
    """The polarity keys, checked (an unknown one is an error naming the nearest)."""
    from ..analysis.trends import polarity_keys

    return ",".join(polarity_keys(value))


_POLARITY = click.option(
    "--polarity",
    default="weakness,mixed",
    show_default=True,
    help="The polarities counted as criticism (keys joined by commas; '' for every finding).",
)


@click.command("trends")
@click.argument(
    "view",
    required=False,
    default="themes",
    metavar="[VIEW]",
    type=click.Choice(["themes", "transitions"]),
)
@click.option(
    "--by",
    "by",
    multiple=True,
    type=click.Choice(["year", "framework", "inspection-type"]),
    help="themes: group findings by the year of their inspection (default), its framework "
    "(slac, child_protection, sif, ilacs, jtai, area_send, lscb_review; ilacs holds the "
    "focused and monitoring visits too) or its inspection type (`keys inspection-types`); "
    "repeat for several columns.",
)
@_POLARITY
@click.option(
    "--area",
    default="overall_effectiveness",
    show_default=True,
    help="transitions: the judgement area (`keys areas`).",
)
@click.option("--la", default="", help="Only this local authority (a name, any case).")
@click.option("--region", default="", help="Only authorities of this region (key or name).")
@click.option("--since", type=DATE, default=None, help="Only inspections on or after this date.")
@click.option("--until", type=DATE, default=None, help="Only inspections on or before this date.")
@click.option(
    "--min-findings",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="themes: leave out a theme in a group where it has fewer findings.",
)
@click.option(
    "--share",
    type=click.Choice(["critical_share", "theme_share_of_critical"]),
    default="critical_share",
    show_default=True,
    help="themes: the share the figure shows.",
)
@click.option(
    "--out",
    type=_FIGURE,
    default=None,
    help="Also draw a figure for a paper: FILE.png, .svg or .pdf.",
)
@format_options
@store_options
def trends_command(
    view, by, polarity, area, la, region, since, until, min_findings, share, out, fmt, store_spec
):
    """Criticism by theme over the years and frameworks, or grade transitions.

    VIEW themes (the default): one row per group (--by year, framework or
    inspection-type) and theme. findings = the group's findings that touch the theme;
    critical = those of --polarity (weakness or mixed: every criticism);
    critical_share = critical / findings; all_critical = the group's findings of
    --polarity, any theme; theme_share_of_critical = critical / all_critical (a finding
    may touch several themes, so these do not sum to 1). A finding belongs to its
    inspection's year, framework (the skos:broadMatch of its type: slac,
    child_protection, sif, ilacs; else the type itself: jtai, area_send, lscb_review) or
    inspection type. The figure is a heatmap of --share by theme and group (one --by).

    VIEW transitions: grades of --area between successive inspections of an authority
    that graded it (both within --since/--until): from_grade, to_grade, transitions,
    from_total (transitions leaving from_grade), share_of_from = transitions /
    from_total, authorities, median_years between the two. The figure is the from-by-to
    matrix.

    Examples:

        inspectgraph trends --by framework --csv > themes-by-framework.csv

        inspectgraph trends --region north_east --out themes.pdf

        inspectgraph trends transitions --out transitions.png
    """
    from ..analysis.trends import TRANSITION_COLUMNS, theme_trends, transitions

    _check_figure_path(out)
    if out is not None and view == "themes" and len(by) > 1:
        raise click.UsageError("a figure groups by one column: give one --by with --out")
    polarity = _polarity(polarity)
    with open_spec(store_spec, read_only=True) as store:
        if view == "themes":
            columns, rows = theme_trends(
                store,
                by=tuple(by) or ("year",),
                polarity=polarity,
                la=la,
                region=region,
                since=iso_day(since),
                until=iso_day(until),
                min_findings=min_findings,
            )
        else:
            columns = TRANSITION_COLUMNS
            rows = transitions(
                store, area=area, la=la, region=region, since=iso_day(since), until=iso_day(until)
            )
    click.echo(render(columns, [[r[c] for c in columns] for r in rows], fmt), nl=False)
    if out is not None:
        from ..viz.trends import trends_figure, write_figure

        write_figure(trends_figure(view, columns, rows, share=share), out)
        click.echo(f"wrote {out}", err=True)


@click.command("compare")
@click.argument(
    "part",
    required=False,
    metavar="[PART]",
    type=click.Choice(["grades", "themes", "partnerships"]),
)
@click.option("--la", required=True, help="The local authority (a name, any case).")
@_POLARITY
@click.option(
    "--resamples",
    type=click.IntRange(0),
    default=1000,
    show_default=True,
    help="Bootstrap draws for the partnerships' lift intervals (0: none).",
)
@click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap intervals.")
@click.option(
    "--out",
    type=_FIGURE,
    default=None,
    help="Also draw a figure for a paper (grades, theme profile, partnerships): FILE.png, "
    ".svg or .pdf.",
)
@format_options
@store_options
def compare_command(part, la, polarity, resamples, seed, out, fmt, store_spec):
    """An authority against its statistical neighbours, its region and England.

    Three tables (PART names one; csv, tsv and jsonl need one):

    grades: the latest grade in each judgement area of the authority and of its ten
    statistical neighbours (rank 1 nearest), with its date and inspection type, a row
    each. Without PART the table shows one row per authority instead (the areas of their
    latest inspections; a grade from an earlier inspection carries its year), and how the
    latest overall grades of the neighbours, the rest of the region and England are
    spread.

    themes: the theme profile of criticism. For the authority, its neighbours together,
    the rest of its region and England, <group>_critical = findings of --polarity that
    touch the theme, <group>_all_critical = all findings of --polarity, and
    <group>_share_of_critical = their ratio; ratio_to_england = the authority's share /
    England's.

    partnerships: pairs of agencies its criticisms concern together, with findings,
    inspections and lift against chance (as `partnerships --la`).

    The neighbours are the Department for Education's statistical neighbours, bundled
    by DfE code (data/neighbours.csv); region and England count
    England's current authorities.

    Examples:

        inspectgraph compare --la Sunderland

        inspectgraph compare --la Sunderland themes --csv > sunderland-themes.csv

        inspectgraph compare --la Gateshead --json --out gateshead.pdf
    """
    from ..analysis.compare import (
        GRADE_COLUMNS,
        PAIR_COLUMNS,
        PARTS,
        SUMMARY_COLUMNS,
        THEME_COLUMNS,
        grade_grid,
    )
    from ..analysis.compare import compare as run_compare

    _check_figure_path(out)
    if part is None and fmt in ("csv", "tsv", "jsonl"):
        raise click.UsageError(f"{fmt} holds one table: name one of grades, themes, partnerships")
    polarity = _polarity(polarity)
    parts = PARTS if part is None or out is not None else (part,)
    with open_spec(store_spec, read_only=True) as store:
        result = run_compare(
            store, la, polarity=polarity, resamples=resamples, seed=seed, parts=parts
        )
    tables = {"grades": GRADE_COLUMNS, "themes": THEME_COLUMNS, "partnerships": PAIR_COLUMNS}
    if part is not None:
        columns = tables[part]
        click.echo(render(columns, [[r[c] for c in columns] for r in result[part]], fmt), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        neighbours = ", ".join(
            f"{n['rank']}. {n['authority'] or n['dfe_code'] + ' (not in the store)'}"
            for n in result["neighbours"]
        )
        click.echo(
            f"{result['authority']} (DfE {result['dfe_code']}, {result['gss']}, "
            f"{result['region']}); statistical neighbours: {neighbours}\n"
        )
        summary = result["grade_summary"]
        grid_columns, grid = grade_grid(result["grades"])
        sections = [
            ("Latest grades (`compare grades` lists every area)", grid_columns, grid),
            ("Latest overall effectiveness, authorities by grade", SUMMARY_COLUMNS, summary),
            (
                f"Theme profile of criticism ({result['polarity']} findings)",
                THEME_COLUMNS,
                result["themes"],
            ),
            ("Agencies criticised together", PAIR_COLUMNS, result["partnerships"]),
        ]
        for title, columns, rows in sections:
            click.echo(f"{title}:")
            click.echo(render(columns, [[r[c] for c in columns] for r in rows], "table"))
    if out is not None:
        from ..viz.trends import compare_figure, write_figure

        write_figure(compare_figure(result), out)
        click.echo(f"wrote {out}", err=True)
