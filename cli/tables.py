"""The researcher's tables on the command line: ``keys``, ``findings``, ``grades``, and
the citable ``release`` with its ``load``.

Thin click commands over :mod:`inspectgraph.model.keys`, :mod:`inspectgraph.analysis.findings` and
:mod:`inspectgraph.analysis.grades`; registered on the group by :mod:`inspectgraph.cli.main`.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..model.keys import KINDS
from .options import DATE, format_options, iso_day, open_spec, store_options
from .output import render

__all__ = [
    "findings_command",
    "grades_command",
    "keys_command",
    "load_command",
    "release_command",
]


@click.command("keys")
@click.argument("kind", required=False, type=click.Choice(list(KINDS)))
@format_options
def keys_command(kind, fmt):
    """List the valid keys of options and query parameters, with their labels.

    KIND is one of themes, agency-types, areas (judgement areas), regions, grades,
    inspection-types or polarity; without it, every kind. A key or its label (any case)
    is accepted wherever a theme, region, area, grade, polarity or type is asked for;
    anything else is an error that names the nearest keys.

    Examples:

        inspectgraph keys themes

        inspectgraph keys --csv
    """
    from ..model.keys import key_rows

    kinds = [kind] if kind else list(KINDS)
    rows = [[k, key, label] for k in kinds for key, label in key_rows(k)]
    click.echo(render(["kind", "key", "label"], rows, fmt), nl=False)


def _scope_options(func):
    """--la, --region, --since and --until, as the partnership commands spell them."""
    for option in reversed(
        [
            click.option("--la", default="", help="Only this local authority (a name, any case)."),
            click.option(
                "--region",
                default="",
                help="Only authorities of this region (key or name, e.g. north_east).",
            ),
            click.option("--since", type=DATE, default=None, help="Only on or after this date."),
            click.option("--until", type=DATE, default=None, help="Only on or before this date."),
        ]
    ):
        func = option(func)
    return func


@click.command("findings")
@_scope_options
@click.option(
    "--polarity",
    default="",
    help="Only findings of this polarity (strength, weakness, mixed, neutral; several "
    "joined by commas).",
)
@click.option("--theme", default="", help="Only findings that touch this theme (`keys themes`).")
@click.option("--agency", default="", help="Only findings that concern this agency (a name).")
@click.option(
    "--agency-type",
    default="",
    help="Only findings that concern an agency of this type (`keys agency-types`).",
)
@click.option(
    "--inspection-type",
    default="",
    help="Only findings of this kind of inspection (`keys inspection-types`).",
)
@format_options
@store_options
def findings_command(
    la,
    region,
    since,
    until,
    polarity,
    theme,
    agency,
    agency_type,
    inspection_type,
    fmt,
    store_spec,
):
    """One row per finding, with the words it quotes and where they stand.

    Columns: finding (its IRI), authority (its name), gss and dfe_code (the
    authority's codes), region, inspection, inspection_type, date, report (the
    Ofsted link of the report, where known), ofsted_page (the authority's page of
    reports), section and section_heading (the key of the report's section the finding
    stands in, e.g. what_needs_to_improve, and its heading as printed; empty for
    curated findings), polarity, cue (the phrase that decided the polarity), themes,
    agency_types, agencies, quote (the exact words) and start/end (their offsets in
    the NFC-normalised text of the report). Lists are joined by "; " in csv and tsv.

    Examples:

        inspectgraph findings --la Sunderland --polarity weakness --csv > sunderland.csv

        inspectgraph findings --region north_east --theme front_door --since 2019-01-01

        inspectgraph findings --agency "Northumbria Police" --jsonl
    """
    from ..analysis.findings import FINDING_COLUMNS, findings_rows

    with open_spec(store_spec, read_only=True) as store:
        rows = findings_rows(
            store,
            la=la,
            region=region,
            since=iso_day(since),
            until=iso_day(until),
            polarity=polarity,
            theme=theme,
            agency=agency,
            agency_type=agency_type,
            inspection_type=inspection_type,
        )
    table = [[r[c] for c in FINDING_COLUMNS] for r in rows]
    click.echo(render(FINDING_COLUMNS, table, fmt), nl=False)


@click.command("grades")
@_scope_options
@click.option(
    "--latest",
    is_flag=True,
    help="One row per authority: its latest graded inspection and the previous one.",
)
@format_options
@store_options
def grades_command(la, region, since, until, latest, fmt, store_spec):
    """Graded judgements: one row per authority and inspection, the areas as columns.

    Columns: authority, gss, dfe_code, region, inspection, inspection_type, date,
    report, then one column per judgement area graded in the store (overall
    effectiveness first; `inspectgraph keys areas` lists them), each holding a grade
    key (`keys grades`) or nothing where that inspection did not grade the area. With
    --latest, one row per authority with its latest graded inspection, followed by
    the previous one's in previous_* columns.

    Examples:

        inspectgraph grades --latest --csv > latest-grades.csv

        inspectgraph grades --la Sunderland
    """
    from ..analysis.grades import grade_rows

    with open_spec(store_spec, read_only=True) as store:
        columns, rows = grade_rows(
            store, la=la, region=region, since=iso_day(since), until=iso_day(until), latest=latest
        )
    click.echo(render(columns, [[r[c] for c in columns] for r in rows], fmt), nl=False)


@click.command("release")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="A new or empty folder for the release.",
)
@click.option("--version", "version", default=None, help="Version of the release (default: today).")
@click.option("--title", default=None, help="Title of the dataset.")
@store_options
def release_command(out, version, title, store_spec):
    """Write a citable release of the store: the graph and its tables, with their sums.

    The folder holds graph.nq.gz (every named graph as gzipped N-Quads),
    findings.csv.gz and grades.csv (as `findings --csv` and `grades --csv` give them),
    description.ttl (DCAT and VoID), a Frictionless datapackage.json (each file's size,
    hash and columns, and the store's digest), CITATION.cff and SHA256SUMS. `inspectgraph
    load` reads it back into a store.

    Example:

        inspectgraph release --store national --out inspectgraph-2026.12 --version 2026.12
    """
    from ..linking.release import write_release

    with open_spec(store_spec, read_only=True) as store:
        sums = write_release(store, out, version=version, title=title)
    click.echo(f"wrote {out} ({len(sums) + 1} files)", err=True)


@click.command("load")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@store_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@click.option("-v", "--verbose", is_flag=True, help="Report each step on standard error.")
def load_command(folder, store_spec, quiet, verbose):
    """Load a release written by `inspectgraph release` into a store.

    Every file is checked against SHA256SUMS first: a missing or damaged file is an
    error and the store is left unchanged. The graph then replaces the named graphs it
    holds, with the store's bulk loader. This is how a researcher without the corpus
    gets the national graph: download a release, then load it.

    Example:

        inspectgraph load inspectgraph-2026.12 --store national
    """
    from ..linking.release import load_release

    with open_spec(store_spec) as store:
        graphs = load_release(
            store, folder, progress=(lambda m: click.echo(m, err=True)) if verbose else None
        )
        digest = store.digest()
    if not quiet:
        triples = sum(graphs.values())
        click.echo(f"loaded {len(graphs)} graphs ({triples} triples); store digest {digest}")
