"""The ``inspectgraph`` command line: one click group, verbs as subcommands."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import InspectgraphError, ValidationFailed
from .output import FORMATS, render

DEFAULT_STORE = "inspectgraph-store"
STORE_KINDS = {"oxigraph": "embedded Oxigraph (default)", "memory": "rdflib in memory"}


# ------------------------------------------------------------------ shared options


def store_options(func):
    """``--store PATH`` and ``--memory``, shared by every command that reads or writes."""

    @click.option("--store", "store_path", type=click.Path(path_type=Path),
                  default=lambda: os.environ.get("INSPECTGRAPH_STORE", DEFAULT_STORE),
                  show_default=f"$INSPECTGRAPH_STORE or ./{DEFAULT_STORE}",
                  help="Directory of the store.")
    @click.option("--memory", is_flag=True,
                  help="Use rdflib's in-memory store (kept as STORE/store.nq) instead of "
                       "embedded Oxigraph.")
    @functools.wraps(func)
    def wrapper(*args, store_path: Path, memory: bool, **kwargs):
        return func(*args, store_spec=(store_path, "memory" if memory else "oxigraph"), **kwargs)

    return wrapper


def format_options(func):
    """``--format table|csv|tsv|json`` with the shorthands ``--table --csv --tsv --json``."""

    @click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                  help="Output format (default: table).")
    @click.option("--table", "short_fmt", flag_value="table", help="Same as --format table.")
    @click.option("--csv", "short_fmt", flag_value="csv", help="Same as --format csv.")
    @click.option("--tsv", "short_fmt", flag_value="tsv", help="Same as --format tsv.")
    @click.option("--json", "short_fmt", flag_value="json", help="Same as --format json.")
    @functools.wraps(func)
    def wrapper(*args, fmt: str | None, short_fmt: str | None, **kwargs):
        return func(*args, fmt=fmt or short_fmt or "table", **kwargs)

    return wrapper


def open_spec(store_spec, *, read_only: bool = False):
    from .stores import open_store

    path, kind = store_spec
    return open_store(path, kind=kind, read_only=read_only)


class Group(click.Group):
    """Turns inspectgraph errors into one clear line and a documented exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            click.echo(f"Error: {exc}", err=True)
            if exc.report:
                click.echo(exc.report, err=True)
            ctx.exit(exc.exit_code)
        except InspectgraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            if getattr(exc, "report", ""):
                click.echo(exc.report, err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="inspectgraph")
def cli():
    """A knowledge graph of public-service inspections: which partnerships of
    agencies recur in inspectors' criticisms.

    Start with `inspectgraph demo`, or `inspectgraph build` then
    `inspectgraph partnerships`.

    Exit codes: 0 success, 1 validation failed, 2 error.
    """


# ------------------------------------------------------------------ build / validate / export


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--outcomes", "as_outcomes", is_flag=True,
              help="SOURCES are Ofsted's official outcome files as published (CSV sheets or "
                   ".ods workbooks); they replace the national judgement history.")
@store_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@click.option("-v", "--verbose", is_flag=True, help="Report each step on standard error.")
def build(sources, as_outcomes, store_spec, quiet, verbose):
    """Build records files or official outcome files into the store.

    With no SOURCES: the bundled data (the Sunderland case and the national judgement
    history from Ofsted's official files, with the agency registry). Each records file
    becomes one named graph; rebuilding a file replaces exactly its triples. With
    --outcomes, SOURCES are Ofsted's outcome files (latest judgements, in-year activity,
    ILACS history, the 2009-2023 framework history); an inspection listed by several is
    stored once, and a bad row is reported with its file and row. Everything is validated
    (input checks, then SHACL shapes) before anything is written: on any error the store
    is left as it was.

    Examples:

        inspectgraph build my-records.yaml --store my-store

        inspectgraph build --outcomes ../shared/corpus/outcomes/*.ods
    """
    from .build import build as run_build

    records = [] if as_outcomes else list(sources)
    outcomes = list(sources) if as_outcomes else []
    if as_outcomes and not sources:
        raise click.UsageError("--outcomes needs the official files as SOURCES")
    with open_spec(store_spec) as store:
        report = run_build(store, records or None, outcomes=outcomes or None,
                           progress=(lambda m: click.echo(m, err=True)) if verbose else None)
    if verbose:
        for line in report.unplaced:
            click.echo(f"left out: {line}", err=True)
    if not quiet:
        for name, count in sorted(report.graphs.items()):
            click.echo(f"{count:>8} triples  {name}")
        if report.inspections:
            left = (f"; {len(report.unplaced)} rows without a publication date left out "
                    "(-v lists them)") if report.unplaced else ""
            click.echo(f"official outcomes: {report.inspections} inspections of "
                       f"{report.authorities} local authorities{left}")
        click.echo(f"store {store_spec[0]}: {report.triples} triples, digest "
                   f"{report.digest[:16]}, {report.seconds:.2f} s")


@cli.command()
@store_options
def validate(store_spec):
    """Validate the whole store against the SHACL shapes.

    Exits 0 when it conforms, 1 with one line per violation when it does not,
    2 on error.

    Example:

        inspectgraph validate --store demo-out/store
    """
    from .shacl import validate_graph

    from rdflib import Graph

    with open_spec(store_spec, read_only=True) as store:
        data = Graph()
        for s, p, o, _g in store.quads():
            data.add((s, p, o))
        violations = validate_graph(data)
    if violations:
        raise ValidationFailed(f"{store_spec[0]}: {len(violations)} SHACL violation(s)",
                               report="\n".join(map(str, violations)))
    click.echo(f"{store_spec[0]}: conforms ({len(data)} triples)")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "xml"]),
              default="ttl", show_default=True, help="RDF format.")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="File to write ('-' for standard output).")
@store_options
def export(fmt, out, store_spec):
    """Export the store as RDF.

    ttl, nt and xml hold the union of all graphs; nq, trig and jsonld keep one
    named graph per source.

    Example:

        inspectgraph export --format trig --out graph.trig
    """
    from .export import export as run_export
    from .export import serialize

    with open_spec(store_spec, read_only=True) as store:
        if str(out) == "-":
            sys.stdout.buffer.write(serialize(store, fmt))
            return
        size = run_export(store, fmt, out)
    click.echo(f"wrote {out} ({size} bytes, {fmt})", err=True)


# ------------------------------------------------------------------ queries


@cli.command("queries")
@format_options
def list_queries(fmt):
    """List the named queries and their parameters.

    Example:

        inspectgraph queries --json
    """
    from . import queries as registry

    rows = [[q.name, q.title,
             ", ".join(f"{p.name} ({p.type}{'' if p.required else ', default ' + repr(p.default)})"
                       for p in q.params),
             q.description]
            for q in registry.registry().values()]
    click.echo(render(["name", "title", "parameters", "description"], rows, fmt), nl=False)


@cli.command()
@click.argument("name")
@click.option("-p", "--param", "params", type=(str, str), multiple=True, metavar="NAME VALUE",
              help="A query parameter, bound as a typed RDF term (repeatable).")
@format_options
@store_options
def query(name, params, fmt, store_spec):
    """Run a named query, a .rq file, or '-' (a query on standard input).

    Parameters are validated against the query header's types and bound as RDF
    terms, never pasted into the query text.

    Examples:

        inspectgraph query partnerships -p la Sunderland --format table

        inspectgraph query my-query.rq -p since 2019-01-01 --csv
    """
    from . import queries as registry

    if name == "-":
        q = registry.parse_query(sys.stdin.read(), "stdin", "<stdin>")
    elif name.endswith(".rq") or os.sep in name:
        q = registry.load_query_file(name)
    else:
        q = registry.get(name)
    values = {}
    for key, value in params:
        if key in values:
            raise click.UsageError(f"parameter {key!r} given twice")
        values[key] = value
    bindings = q.bindings(values)
    with open_spec(store_spec, read_only=True) as store:
        result = store.query(q.text, bindings)
    if result.kind == "ask":
        click.echo(render(["result"], [[result.boolean]], fmt), nl=False)
    elif result.kind == "select":
        click.echo(render(result.vars, result.rows, fmt), nl=False)
    else:
        sys.stdout.buffer.write(result.graph.serialize(format="turtle", encoding="utf-8"))


# ------------------------------------------------------------------ analysis


def analysis_options(func):
    @click.option("--polarity", default="weakness", show_default=True,
                  help="Polarity of the findings that join agencies ('' for all).")
    @click.option("--la", default="", help="Only inspections of this local authority.")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from .ontology import concept_keys

        polarity = kwargs["polarity"]
        if polarity and polarity not in concept_keys("polarity"):
            raise click.BadParameter(
                f"{polarity!r} is not one of {', '.join(sorted(concept_keys('polarity')))}",
                param_hint="--polarity")
        return func(*args, **kwargs)

    return wrapper


PARTNERSHIP_COLUMNS = ["agencies", "findings", "inspections", "years", "first", "last",
                       "themes", "example"]


@cli.command()
@analysis_options
@click.option("--min-inspections", default=2, show_default=True, type=click.IntRange(1),
              help="Keep pairs criticised together in at least this many inspections.")
@format_options
@store_options
def partnerships(polarity, la, min_inspections, fmt, store_spec):
    """Pairs of agencies that inspectors' findings concern together, strongest first.

    Two agencies are joined when one finding of the chosen polarity concerns both;
    a pair recurs when that happens in at least --min-inspections inspections.
    JSON output is a list of objects with agencies, findings, inspections, years,
    first, last, themes and example.

    Example:

        inspectgraph partnerships --la Sunderland --format json
    """
    from .graph import partnership_graph_from_store, recurring_partnerships

    with open_spec(store_spec, read_only=True) as store:
        G = partnership_graph_from_store(store, polarity=polarity, la=la)
    rows = recurring_partnerships(G, min_inspections=min_inspections)
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table_rows = [[r[c] for c in PARTNERSHIP_COLUMNS] for r in rows]
    click.echo(render(PARTNERSHIP_COLUMNS, table_rows, fmt), nl=False)


@cli.group()
def viz():
    """Draw the graph (interactive HTML that works offline)."""


@viz.command("partnerships")
@analysis_options
@click.option("--min-inspections", default=1, show_default=True, type=click.IntRange(1),
              help="Draw pairs criticised together in at least this many inspections.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="HTML file to write.")
@click.option("--seed", default=0, show_default=True, help="Seed of the layout.")
@store_options
def viz_partnerships(polarity, la, min_inspections, out, seed, store_spec):
    """Write the partnership graph as a self-contained interactive HTML page.

    Node colour shows the agency type, edge width how many inspections criticised
    the pair together; hovering shows counts and an example finding. The page
    makes no network request.

    Example:

        inspectgraph viz partnerships --la Sunderland --out partnerships.html
    """
    summary = _write_page(store_spec, out, polarity=polarity, la=la,
                          min_inspections=min_inspections, seed=seed)
    click.echo(f"wrote {out} ({summary['nodes']} agencies, {summary['edges']} pairs)", err=True)


def _write_page(store_spec, out, *, polarity="weakness", la="", min_inspections=1, seed=0):
    from .graph import centrality, communities, partnership_graph_from_store
    from .viz import write_partnership_page

    with open_spec(store_spec, read_only=True) as store:
        G = partnership_graph_from_store(store, polarity=polarity, la=la)
    weak = [(a, b) for a, b, d in G.edges(data=True) if d["inspections"] < min_inspections]
    G.remove_edges_from(weak)
    G.remove_nodes_from([n for n in list(G) if G.degree(n) == 0])
    for node, values in centrality(G, seed=seed).items():
        G.nodes[node]["degree_centrality"] = values["degree"]
        G.nodes[node]["betweenness"] = values["betweenness"]
    for node, community in communities(G, seed=seed).items():
        G.nodes[node]["community"] = community
    scope = f" — {la}" if la else ""
    return write_partnership_page(G, out, title=f"Agencies criticised together{scope}", seed=seed)


# ------------------------------------------------------------------ demo


@cli.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("demo-out"),
              show_default=True, help="Directory for the store and the outputs.")
def demo(out_dir):
    """Build the bundled data and show which partnerships recur in criticisms.

    Writes OUT/store (the graph), OUT/partnerships.html (an offline interactive
    page) and OUT/graph.ttl (the graph as Turtle), and prints the recurring
    co-criticised partnerships.

    Example:

        inspectgraph demo --out demo-out
    """
    from .build import build as run_build
    from .export import export as run_export
    from .graph import partnership_graph_from_store, recurring_partnerships
    from .stores import open_store

    out_dir.mkdir(parents=True, exist_ok=True)
    store_dir = out_dir / "store"
    with open_store(store_dir) as store:
        report = run_build(store)
        G = partnership_graph_from_store(store)
        run_export(store, "ttl", out_dir / "graph.ttl")
    rows = recurring_partnerships(G, min_inspections=2)
    click.echo(f"Built {report.triples} triples into {store_dir} "
               f"(digest {report.digest[:16]}).\n")
    click.echo(f"National judgement history (Ofsted's official files): {report.inspections} "
               f"inspections of {report.authorities} local authorities, 2009-2025.\n")
    click.echo("Partnerships of agencies criticised together in two or more inspections:\n")
    columns = ["agencies", "findings", "inspections", "years", "first", "last"]
    click.echo(render(columns, [[r[c] for c in columns] for r in rows], "table"))
    summary = _write_page((store_dir, "oxigraph"), out_dir / "partnerships.html")
    click.echo(f"Wrote {out_dir / 'partnerships.html'} ({summary['nodes']} agencies, "
               f"{summary['edges']} pairs) and {out_dir / 'graph.ttl'}.")


def main() -> None:
    cli(prog_name="inspectgraph")


if __name__ == "__main__":
    main()
