"""The named SPARQL queries: ``queries`` (list them) and ``query`` (run one)."""

from __future__ import annotations

import os
import sys

import click

from ..errors import StoreError
from ..graph.netguard import check_offline
from .cliparams import ParamCommand, split_params
from .options import format_options, open_spec, store_options
from .output import render


@click.command("queries")
@format_options
@store_options
def list_queries(fmt, store_spec):
    """List the named queries and their parameters, descriptions whole.

    The list does not depend on the store: --store, --memory and --endpoint are
    accepted, as on every command that reads one, so that a command line written for
    `query` works here too.

    Example:

        inspectgraph queries --json
    """
    from .. import queries as registry

    rows = [
        [
            q.name,
            q.title,
            ", ".join(
                f"{p.name} ({p.type}{'' if p.required else ', default ' + repr(p.default)})"
                for p in q.params
            ),
            q.description,
        ]
        for q in registry.registry().values()
    ]
    columns = ["name", "title", "parameters", "description"]
    click.echo(render(columns, rows, fmt, wrap={"parameters", "description"}), nl=False)


@click.command(cls=ParamCommand)
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter, NAME=VALUE or NAME VALUE, bound as a typed RDF term "
    "(repeatable). A theme, region, area, grade, polarity or type is checked against "
    "`inspectgraph keys`, an authority (la) or agency against the store's names.",
)
@click.option(
    "--allow-network",
    is_flag=True,
    help="Let the query use SERVICE, LOAD or FROM <url> (refused by default).",
)
@format_options
@store_options
def query(name, params, allow_network, fmt, store_spec):
    """Run a named query, a .rq file, or '-' (a query on standard input).

    Parameters are validated against the query header's types and bound as RDF
    terms, never pasted into the query text. Queries that would reach the network
    (SERVICE, LOAD, FROM <url>) are refused unless --allow-network is given.

    Examples:

        inspectgraph query partnerships -p la Sunderland --format table

        inspectgraph query judgement-history -p la=Sunderland -p area=help_and_protection

        inspectgraph query my-query.rq -p since 2019-01-01 --csv
    """
    from .. import queries as registry
    from ..model.keys import check_query_params
    from ..sources.authorities import with_codes

    if name == "-":
        q = registry.parse_query(sys.stdin.read(), "stdin", "<stdin>")
    elif name.endswith(".rq") or os.sep in name:
        q = registry.load_query_file(name)
    else:
        q = registry.get(name)
    values = split_params(params)
    text, _ = q.prepare(
        values
    )  # unknown, missing and mistyped parameters fail before the store opens
    source = q.source or q.name
    check_offline(text, allow_network=allow_network, source=source)
    with open_spec(store_spec, read_only=True) as store:
        # names and keys checked against the store (exit 2 naming the nearest), then bound
        text, bindings = q.prepare(check_query_params(store, q.params, values))
        store.allow_network = allow_network
        try:
            result = store.query(text, bindings)
        except StoreError as exc:
            if not str(exc).startswith("SPARQL"):
                raise
            raise StoreError(f"{source}: {exc}") from exc  # say which query is malformed
        if result.kind == "select":
            columns, rows = with_codes(store, list(result.vars), result.rows)
    if result.kind == "ask":
        click.echo(render(["result"], [[result.boolean]], fmt), nl=False)
    elif result.kind == "select":
        click.echo(render(columns, rows, fmt), nl=False)
    else:
        sys.stdout.buffer.write(result.graph.serialize(format="turtle", encoding="utf-8"))
