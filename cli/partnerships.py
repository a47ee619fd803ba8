"""The partnerships of agencies criticised together: ``partnerships``, and the options
it shares with ``viz``.
"""

from __future__ import annotations

import functools

import click

from .options import format_options, open_spec, store_options
from .output import render

#: The polarities of co-criticism (the value of graph.partnerships.CRITICISM; a test
#: checks they agree).
CRITICISM = "weakness,mixed"


#: The filters :func:`analysis_options` declares, handed on together as ``filters``.
FILTERS = ("polarity", "la", "region", "since", "until")


def analysis_options(func):
    """``--polarity``, ``--la``, ``--region``, ``--since`` and ``--until``, checked and handed
    to the command as one keyword, ``filters`` (a dict of those five)."""

    @click.option(
        "--polarity",
        default=CRITICISM,  # graph.partnerships.CRITICISM, known without importing networkx
        show_default=True,
        help="Polarity of the findings that join agencies; several joined by commas "
        "(weakness,mixed: every criticism); '' for all.",
    )
    @click.option("--la", default="", help="Only inspections of this local authority.")
    @click.option(
        "--region",
        default="",
        help="Only local authorities of this region (key or name, e.g. north_east, 'North East').",
    )
    @click.option(
        "--since",
        type=click.DateTime(["%Y-%m-%d"]),
        default=None,
        help="Only inspections published on or after this date.",
    )
    @click.option(
        "--until",
        type=click.DateTime(["%Y-%m-%d"]),
        default=None,
        help="Only inspections published on or before this date.",
    )
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from ..model.keys import UnknownValue, resolve_key

        try:
            polarity = kwargs["polarity"]
            if polarity:
                keys = [resolve_key("polarity", key.strip()) for key in polarity.split(",")]
                kwargs["polarity"] = ",".join(keys)
            if kwargs["region"]:
                kwargs["region"] = resolve_key("regions", kwargs["region"])
        except UnknownValue as exc:
            hint = "--polarity" if "polarity" in str(exc).split("'")[0] else "--region"
            raise click.BadParameter(str(exc), param_hint=hint) from None
        for key in ("since", "until"):
            kwargs[key] = kwargs[key].date().isoformat() if kwargs[key] else ""
        kwargs["filters"] = {key: kwargs.pop(key) for key in FILTERS}
        return func(*args, **kwargs)

    return wrapper


#: --min-inspections of `partnerships` and every `viz` command, one default for all so that
#: a table and its drawing show the same pairs: every pair; --min-inspections 2 keeps those
#: that recur.
MIN_INSPECTIONS = 1

# the statistics against chance, after the columns tables have always had
CHANCE_COLUMNS = ["expected", "lift", "lift_low", "lift_high", "p_adjusted", "per_100_findings"]
PARTNERSHIP_COLUMNS = [
    "agencies",
    "findings",
    "inspections",
    "years",
    "first",
    "last",
    "local_authorities",
    "persistence",
    "themes",
    "example",
    *CHANCE_COLUMNS,
]
TYPE_PARTNERSHIP_COLUMNS = [
    "agency_types",
    "pairs",
    "findings",
    "inspections",
    "local_authorities",
    "years",
    "first",
    "last",
    "persistence",
    "persistent_in",
    "themes",
    *CHANCE_COLUMNS,
]


def chance_options(func):
    """``--rank``, ``--min-findings``, ``--seed`` and ``--resamples``: the pairs against chance."""

    @click.option(
        "--rank",
        type=click.Choice(["count", "lift"]),
        default="count",
        show_default=True,
        help="Order: count (inspections, findings, years) or lift (the lower end of the "
        "lift's 95 %% interval, among pairs with --min-findings).",
    )
    @click.option(
        "--min-findings",
        type=click.IntRange(1),
        default=None,
        help="Keep pairs criticised together in at least this many findings "
        "(default: 3 with --rank lift, else 1).",
    )
    @click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap intervals.")
    @click.option(
        "--resamples",
        type=click.IntRange(0),
        default=1000,
        show_default=True,
        help="Bootstrap draws over inspections for the lift intervals (0: none).",
    )
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


@click.command()
@analysis_options
@click.option(
    "--min-inspections",
    default=MIN_INSPECTIONS,
    show_default=True,
    type=click.IntRange(1),
    help="Keep pairs criticised together in at least this many inspections.",
)
@click.option(
    "--by",
    "by",
    type=click.Choice(["agency", "type"]),
    default="agency",
    show_default=True,
    help="Pairs of agencies, or pairs of agency types (police with local authority, "
    "...) summed over every authority: the national pattern.",
)
@click.option(
    "--persistent",
    is_flag=True,
    help="Only pairs criticised together in successive inspections of one authority.",
)
@chance_options
@format_options
@store_options
def partnerships(
    filters,
    min_inspections,
    by,
    persistent,
    rank,
    min_findings,
    seed,
    resamples,
    fmt,
    store_spec,
):
    """Pairs of agencies that inspectors' findings concern together, strongest first.

    Two agencies are joined when one finding of the chosen polarity concerns both;
    a pair recurs when that happens in at least --min-inspections inspections. It
    persists when that happens in successive inspections of one local authority
    (persistence: the longest such run). Answer nationally, or for --la, --region and
    --since/--until; --by type sums the pairs of agency types over every authority.
    Every pair is measured against chance: expected is the number of findings that
    would name both if each inspection's co-mentions were shared out among its pairs
    in proportion to how often each agency is named there; lift = findings / expected, with a 95 % bootstrap interval
    (lift_low, lift_high; --resamples draws of inspections seeded with --seed) and a
    Benjamini-Hochberg adjusted p-value (p_adjusted); per_100_findings is the rate per
    100 findings of the polarity (docs/national.md, "How pairs are measured"). --rank
    lift orders by lift_low among pairs with at least --min-findings findings.
    JSON output is a list of objects with agencies, findings, inspections, years,
    first, last, themes, example, local_authorities, persistence, persistent_in,
    expected, lift, lift_low, lift_high, p_value, p_adjusted, per_100_findings and
    expected_per_100_findings (with --by type: agency_types, pairs and the same).

    Examples:

        inspectgraph partnerships --la Sunderland --format json

        inspectgraph partnerships --region north_east --since 2018-01-01 --persistent

        inspectgraph partnerships --by type --rank lift
    """
    from ..analysis import rank_by_lift, recurring_partnerships, type_partnerships

    G = partnership_graph(store_spec, filters, resamples=resamples, seed=seed)
    if by == "type":
        rows = type_partnerships(G, min_inspections=min_inspections)
        columns = TYPE_PARTNERSHIP_COLUMNS
    else:
        rows = recurring_partnerships(G, min_inspections=min_inspections)
        columns = PARTNERSHIP_COLUMNS
    if persistent:
        rows = [r for r in rows if r["persistence"] >= 2]
    if min_findings is None:
        min_findings = 3 if rank == "lift" else 1
    if rank == "lift":
        rows = rank_by_lift(rows, min_findings=min_findings)
    else:
        rows = [r for r in rows if r["findings"] >= min_findings]
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if fmt == "jsonl":
        import json

        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    table_rows = [[r[c] for c in columns] for r in rows]
    click.echo(render(columns, table_rows, fmt), nl=False)


def partnership_graph(store_spec, filters: dict, **options):
    """The partnership graph of the store `store_spec` names, for the command's ``filters``
    (:func:`analysis_options`; its --la must be an authority of the store) and ``options``
    (``resamples``, ``seed``)."""
    from ..analysis import partnership_graph_from_store
    from ..model.keys import check_authority

    with open_spec(store_spec, read_only=True) as store:
        check_authority(store, filters["la"])
        return partnership_graph_from_store(store, **filters, **options)
