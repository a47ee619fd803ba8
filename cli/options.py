"""Options shared by the commands: the store (``--store``, ``--memory``, ``--endpoint``),
the output format, and dates.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import click
from click.core import ParameterSource

from .output import FORMATS

DEFAULT_STORE = "inspectgraph-store"
STORE_KINDS = {
    "oxigraph": "embedded Oxigraph (default)",
    "memory": "rdflib in memory",
    "remote": "a SPARQL 1.1 endpoint",
}


# ------------------------------------------------------------------ shared options


def store_path_option(help_text: str):
    """``--store PATH``, by default $INSPECTGRAPH_STORE or ./DEFAULT_STORE."""
    return click.option(
        "--store",
        "store_path",
        type=click.Path(path_type=Path),
        default=lambda: os.environ.get("INSPECTGRAPH_STORE", DEFAULT_STORE),
        show_default=f"$INSPECTGRAPH_STORE or ./{DEFAULT_STORE}",
        help=help_text,
    )


def store_options(func=None, *, endpoint_flags=("--endpoint", "--store-endpoint")):
    """``--store PATH``, ``--memory`` and ``--endpoint URL [--update-endpoint URL]``,
    shared by every command that reads or writes a store.

    ``--store-endpoint`` is a synonym of ``--endpoint`` everywhere, and the only
    spelling on ``link``, whose ``--endpoint`` names the Wikidata service."""
    if func is None:
        return functools.partial(store_options, endpoint_flags=endpoint_flags)

    @store_path_option("Directory of the store.")
    @click.option(
        "--memory",
        is_flag=True,
        help="Use rdflib's in-memory store (kept as STORE/store.nq) instead of embedded Oxigraph.",
    )
    @click.option(
        *endpoint_flags,
        "store_endpoint",
        metavar="URL",
        envvar="INSPECTGRAPH_ENDPOINT",
        help="Use a remote SPARQL 1.1 endpoint (Oxigraph, Fuseki, QLever, GraphDB, "
        "...) instead of a local store [env: INSPECTGRAPH_ENDPOINT].",
    )
    @click.option(
        "--update-endpoint",
        metavar="URL",
        help="Its SPARQL Update URL (default: .../query -> .../update, "
        ".../repositories/NAME -> .../statements, else the same URL).",
    )
    @functools.wraps(func)
    def wrapper(
        *args,
        store_path: Path,
        memory: bool,
        store_endpoint: str | None,
        update_endpoint: str | None,
        **kwargs,
    ):
        endpoint = store_endpoint
        ctx = click.get_current_context()
        local = memory or ctx.get_parameter_source("store_path") == ParameterSource.COMMANDLINE
        if endpoint and local:
            if ctx.get_parameter_source("store_endpoint") == ParameterSource.COMMANDLINE:
                raise click.UsageError("--endpoint cannot be combined with --store or --memory")
            endpoint = None  # an explicit local store beats $INSPECTGRAPH_ENDPOINT
        if update_endpoint and not endpoint:
            raise click.UsageError("--update-endpoint needs --endpoint")
        if endpoint:
            spec = (endpoint, "remote", update_endpoint)
        else:
            spec = (store_path, "memory" if memory else "oxigraph")
        return func(*args, store_spec=spec, **kwargs)

    return wrapper


def format_options(func):
    """``--format table|csv|tsv|json|jsonl`` with the shorthands ``--table --csv --tsv
    --json --jsonl``."""

    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format (default: table).",
    )
    @click.option("--table", "short_fmt", flag_value="table", help="Same as --format table.")
    @click.option("--csv", "short_fmt", flag_value="csv", help="Same as --format csv.")
    @click.option("--tsv", "short_fmt", flag_value="tsv", help="Same as --format tsv.")
    @click.option("--json", "short_fmt", flag_value="json", help="Same as --format json.")
    @click.option(
        "--jsonl", "short_fmt", flag_value="jsonl", help="Same as --format jsonl (a row a line)."
    )
    @functools.wraps(func)
    def wrapper(*args, fmt: str | None, short_fmt: str | None, **kwargs):
        return func(*args, fmt=fmt or short_fmt or "table", **kwargs)

    return wrapper


def open_spec(store_spec, *, read_only: bool = False):
    from ..graph.stores import open_store

    location, kind, *update = store_spec  # (location, kind[, update endpoint])
    return open_store(
        location, kind=kind, read_only=read_only, update_endpoint=update[0] if update else None
    )


#: a date option's type (YYYY-MM-DD)
DATE = click.DateTime(["%Y-%m-%d"])


def iso_day(value) -> str:
    """A date option's value as YYYY-MM-DD ('' when not given)."""
    return value.date().isoformat() if value else ""
