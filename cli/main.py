"""The ``inspectgraph`` command line: one click group, verbs as subcommands."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from .. import __version__
from ..errors import InspectgraphError, StoreError, ValidationFailed
from ..graph.netguard import check_offline
from .cliparams import ParamCommand, split_params
from .output import FORMATS, render

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
@click.option(
    "--outcomes",
    "as_outcomes",
    is_flag=True,
    help="SOURCES are Ofsted's official outcome files as published (CSV sheets or "
    ".ods workbooks); they replace the national judgement history.",
)
@click.option(
    "--corpus",
    type=click.Path(path_type=Path, file_okay=False),
    multiple=True,
    help="A folder of letters and reports listed in its manifest.csv (path, urn, "
    "local_authority, document_type, published, source_url): build them all. Give it "
    "more than once to build several corpora together.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1),
    default=None,
    help="Documents extracted in parallel (default: the number of cores, at most 4).",
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Skip documents that cannot be read, report them, and build the good ones.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Also validate letters and reports against the full SHACL gate, in batches (slower); "
    "by default each is checked against the shapes compiled to Python as it is extracted.",
)
@store_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@click.option("-v", "--verbose", is_flag=True, help="Report each step on standard error.")
def build(sources, as_outcomes, corpus, jobs, keep_going, strict, store_spec, quiet, verbose):
    """Build records, official outcome files, letters and reports into the store.

    SOURCES are curated records (.yaml, see docs/records-format.md), RDF files
    (.ttl .nt .nq .trig .jsonld .rdf) or letters and reports (.txt .pdf .html); with no
    records, the bundled data (the Sunderland case and the national judgement history
    from Ofsted's official files, with the agency registry). Each file becomes one named
    graph; rebuilding a file replaces exactly its triples. With --outcomes, SOURCES are
    Ofsted's outcome files (latest judgements, in-year activity, ILACS history, the
    2009-2023 framework history, as CSV sheets or .ods workbooks): an inspection listed by
    several is stored once, and a bad row is reported with its file and row. Letters and
    reports (SOURCES, or every document of --corpus DIR) yield their findings with exact
    provenance, each agency resolved through the registry; a progress bar shows documents,
    findings and elapsed time, and the summary the time, triples and peak memory.
    Everything is validated (input checks, then SHACL shapes; each letter or report as it
    is extracted, with --strict also against the full gate) and written in one
    all-or-nothing step: on any error the store is left as it was.

    Examples:

        inspectgraph build my-records.yaml --store my-store

        inspectgraph build --outcomes ../shared/corpus/outcomes/*.ods

        inspectgraph build --corpus ../shared/corpus --store national

        inspectgraph build --corpus ../shared/corpus --corpus ../shared/corpus-joint
    """
    import time

    from ..graph.build import build as run_build
    from ..graph.documents import DOCUMENT_SUFFIXES, find_sources

    if as_outcomes:
        records, outcomes, docs = [], list(sources), []
        if not sources:
            raise click.UsageError("--outcomes needs the official files as SOURCES")
    else:
        docs = [p for p in sources if p.suffix.lower() in DOCUMENT_SUFFIXES]
        records = [p for p in sources if p not in docs]
        outcomes = []
    documents = find_sources(docs, corpus) if (docs or corpus) else []
    started = time.perf_counter()
    bar = None
    if documents and not quiet:
        bar = click.progressbar(
            length=len(documents),
            label="documents",
            show_pos=True,
            show_eta=False,
            file=sys.stderr,
            item_show_func=lambda text: text,
        )
        bar.__enter__()
    found = [0]

    def on_document(result):
        found[0] += result.findings
        elapsed = int(time.perf_counter() - started)
        bar.update(1, f"{found[0]:,} findings, {elapsed // 60}:{elapsed % 60:02d} elapsed")

    try:
        with open_spec(store_spec) as store:
            report = run_build(
                store,
                records or None,
                outcomes=outcomes or None,
                documents=documents or None,
                on_document=on_document if bar else None,
                jobs=jobs,
                progress=(lambda m: click.echo(m, err=True)) if verbose else None,
                keep_going=keep_going,
                strict=strict,
            )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for line in report.skipped:
        click.echo(f"skipped: {line}", err=True)
    if verbose:
        for line in report.unplaced:
            click.echo(f"left out: {line}", err=True)
    if not quiet:
        graphs = sorted(report.graphs.items())
        documents_graphs = [g for g in graphs if "/graph/document/" in g[0]]
        for name, count in graphs:
            if "/graph/document/" not in name:
                click.echo(f"{count:>8} triples  {name}")
        if documents_graphs:
            click.echo(
                f"{sum(c for _, c in documents_graphs):>8} triples  in "
                f"{len(documents_graphs)} document graphs"
            )
        if report.inspections:
            left = (
                (
                    f"; {len(report.unplaced)} rows without a publication date left out "
                    "(-v lists them)"
                )
                if report.unplaced
                else ""
            )
            click.echo(
                f"official outcomes: {report.inspections} inspections of "
                f"{report.authorities} local authorities{left}"
            )
        if report.documents:
            click.echo(
                f"documents: {report.documents} letters and reports, "
                f"{report.findings:,} findings ({report.new_inspections} inspections "
                "known only from their documents)"
            )
        memory = ", ".join(f"{k} {v:.0f} MB" for k, v in report.peak_memory_mb.items())
        digest = (
            f"digest {report.digest[:16]}" if report.digest else "digest not computed (large store)"
        )
        click.echo(
            f"store {store_spec[0]}: {report.triples:,} triples, {digest}, "
            f"{report.seconds:.2f} s, peak memory {memory}"
        )


@cli.command()
@click.option(
    "--la",
    "names",
    multiple=True,
    metavar="NAME",
    help="A local authority, by name or code as Ofsted's files give it (repeatable).",
)
@click.option("--all", "all_current", is_flag=True, help="Every current local authority.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder for the files and manifest.csv (created; an earlier run is resumed).",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(
        [
            "inspection_report",
            "focused_visit",
            "monitoring_visit",
            "joint_targeted_area_inspection",
            "area_send_inspection",
        ]
    ),
    help="Kinds of document (repeatable; default: all five).",
)
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Only documents published on or after this date.",
)
@click.option(
    "--delay",
    type=click.FloatRange(0),
    default=5.0,
    show_default=True,
    help="Seconds between requests.",
)
@click.option(
    "--retries",
    type=click.IntRange(0),
    default=3,
    show_default=True,
    help="Retries of a request that fails or is refused with 429/503.",
)
@click.option(
    "--base-url",
    default="https://reports.ofsted.gov.uk",
    show_default=True,
    help="Site to fetch from (a mirror, or a local test server).",
)
@click.option("--dry-run", is_flag=True, help="List what would be downloaded; write nothing.")
@click.option("-v", "--verbose", is_flag=True, help="Report each page and file on standard error.")
def fetch(names, all_current, out, types, since, delay, retries, base_url, dry_run, verbose):
    """Download reports and letters from Ofsted into a folder with a manifest.csv.

    Reads each chosen authority's Ofsted provider page (the web links of Ofsted's official
    files), and saves its inspection reports, focused-visit and monitoring-visit letters,
    joint targeted area inspection letters and area SEND inspection letters as
    <folder>/<kind>/<urn>_<authority>_<published>.pdf, listed in manifest.csv like the
    shared corpora's (build --corpus reads it), with each file's SHA-256. Polite: one request at a time, --delay
    seconds apart, robots.txt obeyed, Retry-After honoured. Resumable: files already listed
    with a matching checksum are not fetched again. A response that is not a PDF is
    reported and not saved. Exits 2 if any document could not be fetched.

    Example:

        inspectgraph fetch --la Sunderland --la Gateshead --out ofsted-letters
    """
    from ..errors import InspectgraphError
    from ..sources.fetch import DOCUMENT_TYPES, choose_authorities
    from ..sources.fetch import fetch as run_fetch

    authorities = choose_authorities(names, all_current=all_current)
    report = run_fetch(
        out,
        authorities,
        base_url=base_url,
        types=types or tuple(DOCUMENT_TYPES),
        since=since.date() if since else None,
        delay=delay,
        retries=retries,
        dry_run=dry_run,
        progress=(lambda m: click.echo(m, err=True)) if verbose else None,
    )
    verb = "would download" if dry_run else "downloaded"
    click.echo(
        f"{report.authorities} authorities, {report.requests} requests: "
        f"{verb} {len(report.downloaded)}, "
        f"already present {len(report.kept)} (checksums verified), "
        f"failed {len(report.failed)}; manifest {out / 'manifest.csv'}"
    )
    for line in report.failed:
        click.echo(f"failed: {line}", err=True)
    if report.failed:
        raise InspectgraphError(
            f"{len(report.failed)} document(s) could not be fetched "
            "(listed above); run again to retry"
        )


@cli.command()
@store_options
def validate(store_spec):
    """Validate the whole store against the SHACL shapes.

    Exits 0 when it conforms, 1 with one line per violation when it does not,
    2 on error.

    Example:

        inspectgraph validate --store demo-out/store
    """
    from rdflib import Graph

    from ..graph.shacl import validate_graph

    with open_spec(store_spec, read_only=True) as store:
        data = Graph()
        for s, p, o, _g in store.quads():
            data.add((s, p, o))
        violations = validate_graph(data)
    if violations:
        raise ValidationFailed(
            f"{store_spec[0]}: {len(violations)} SHACL violation(s)",
            report="\n".join(map(str, violations)),
        )
    click.echo(f"{store_spec[0]}: conforms ({len(data)} triples)")


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "xml"]),
    default="ttl",
    show_default=True,
    help="RDF format.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="File to write ('-' for standard output).",
)
@store_options
def export(fmt, out, store_spec):
    """Export the store as RDF.

    ttl, nt and xml hold the union of all graphs; nq, trig and jsonld keep one
    named graph per source.

    Example:

        inspectgraph export --format trig --out graph.trig
    """
    from ..graph.export import export as run_export
    from ..graph.export import serialize

    with open_spec(store_spec, read_only=True) as store:
        if str(out) == "-":
            sys.stdout.buffer.write(serialize(store, fmt))
            return
        size = run_export(store, fmt, out)
    click.echo(f"wrote {out} ({size} bytes, {fmt})", err=True)


# ------------------------------------------------------------------ linking


@cli.command()
@click.option(
    "--endpoint",
    default="https://query.wikidata.org/sparql",
    show_default=True,
    help="SPARQL endpoint of Wikidata (or a Wikidata-shaped copy).",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Directory of cached answers.  [default: $XDG_CACHE_HOME/inspectgraph/sparql]",
)
@click.option("--refresh", is_flag=True, help="Ask the endpoint again instead of using the cache.")
@click.option(
    "--time-limit",
    default=300.0,
    show_default=True,
    type=click.FloatRange(min=1),
    help="Seconds for the whole run, retries included.",
)
@click.option(
    "--retries",
    default=4,
    show_default=True,
    type=click.IntRange(0),
    help="Retries after HTTP 429 or 503, with back-off (Retry-After honoured).",
)
@click.option(
    "--min-score",
    default=0.7,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Write links scoring at least this (0.9 and over: skos:exactMatch).",
)
@click.option(
    "--contact",
    default="",
    help="E-mail or URL added to the User-Agent, as Wikimedia asks of heavy users.",
)
@click.option("--dry-run", is_flag=True, help="Show the links without writing them.")
@format_options
@store_options(endpoint_flags=("--store-endpoint",))
def link(
    endpoint, cache_dir, refresh, time_limit, retries, min_score, contact, dry_run, fmt, store_spec
):
    """Link agencies (and their ONS areas) to Wikidata.

    Councils are found through their GSS code (P836) and the bodies of that area
    (P1001, P194); other agencies by official website (P856) or by label and a
    class fitting their type. Links are skos:exactMatch (score 0.9 or more) or
    skos:closeMatch, never owl:sameAs, and go into their own named graph, replaced
    whole on every run, with their provenance: rule, score, endpoint and time.
    Answers are cached, so a second run sends no request. Prints the links.

    Example:

        inspectgraph link --store demo-out/store --contact me@example.org
    """
    from ..linking.link import link as run_link

    with open_spec(store_spec, read_only=dry_run) as store:
        report = run_link(
            store,
            endpoint=endpoint,
            cache=cache_dir,
            refresh=refresh,
            time_limit=time_limit,
            retries=retries,
            min_score=min_score,
            contact=contact,
            dry_run=dry_run,
        )
    columns = ["subject", "label", "match", "target", "target_label", "rule", "score"]
    rows = [
        [x.subject, x.subject_label, x.match, x.target, x.target_label, x.rule, x.score]
        for x in report.links
    ]
    click.echo(render(columns, rows, fmt), nl=False)
    unmatched = "; ".join(f"{label} ({why})" for label, why in report.unmatched)
    click.echo(
        f"{len(report.links)} link(s){'' if report.written else ' (dry run, not written)'}"
        f"; {report.sent} request(s) sent, {report.cached} answer(s) from the cache"
        + (f"; not linked: {unmatched}" if unmatched else ""),
        err=True,
    )


@cli.command()
@click.option(
    "--out",
    default="-",
    type=click.Path(path_type=Path),
    show_default=True,
    help="File to write ('-' for standard output); .ttl, .jsonld, .nt or .xml.",
)
@click.option(
    "--endpoint-url",
    default=None,
    help="URL of the SPARQL endpoint serving this store, if it is served.",
)
@click.option(
    "--distribution",
    "distributions",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="An exported file to list as a distribution, with its size and checksum "
    "(repeatable; needs --base-url).",
)
@click.option(
    "--base-url",
    default=None,
    help="Where the --distribution files are downloaded from (their directory's URL).",
)
@click.option("--title", default=None, help="Title of the dataset (default: from the sources).")
@click.option("--description", default=None, help="Description of the dataset.")
@click.option(
    "--license",
    "license_url",
    default=None,
    help="Licence IRI.  [default: Open Government Licence v3.0]",
)
@click.option("--publisher", default=None, help="Name of the publisher.")
@click.option("--landing-page", default=None, help="URL of the dataset's web page.")
@click.option(
    "--iri",
    default=None,
    help="IRI of the dataset.  [default: https://w3id.org/inspectgraph/id/dataset]",
)
@store_options
def describe(
    out,
    endpoint_url,
    distributions,
    base_url,
    title,
    description,
    license_url,
    publisher,
    landing_page,
    iri,
    store_spec,
):
    """Describe the store as a dataset (DCAT and VoID).

    Everything counted is computed from the store: triples, subjects, classes and
    properties (with partitions), one subset per named graph, the period and areas
    covered, and one void:Linkset per pair of linked datasets (to the ONS
    geographies, to Wikidata) with its link predicates and triple counts. The
    description is checked against ontology/dataset-shapes.ttl before it is written
    (exit 1 if it fails).

    Example:

        inspectgraph describe --out void.ttl --endpoint-url https://example.org/sparql
    """
    from ..graph.export import EXPORT_FORMATS
    from ..linking.describe import describe as run_describe
    from ..viz.netexport import atomic_write

    fmt = "ttl" if str(out) == "-" else out.suffix.lstrip(".").lower()
    if fmt not in ("ttl", "jsonld", "nt", "xml"):
        raise click.BadParameter(
            f"{out}: use a .ttl, .jsonld, .nt or .xml file", param_hint="--out"
        )
    with open_spec(store_spec, read_only=True) as store:
        g = run_describe(
            store,
            iri=iri,
            title=title,
            description=description,
            license=license_url,
            publisher=publisher,
            endpoint_url=endpoint_url,
            distributions=distributions,
            base_url=base_url,
            landing_page=landing_page,
        )
    data = g.serialize(format=EXPORT_FORMATS[fmt], encoding="utf-8")
    if str(out) == "-":
        sys.stdout.buffer.write(data)
        return
    atomic_write(out, lambda fh: fh.write(data))
    click.echo(f"wrote {out} ({len(g)} triples)", err=True)


# ------------------------------------------------------------------ extract


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "ttl"]),
    default="jsonl",
    show_default=True,
    help="JSON lines (document, findings, judgements), CSV (one row per finding) or Turtle.",
)
@click.option("--la", default=None, help="The local authority, if the files do not say.")
@click.option(
    "--manifest",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A corpus manifest.csv to take the documents' metadata from "
    "(default: the nearest one, at most two folders up, that lists the file).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to this file instead of standard output.",
)
def extract_command(paths, fmt, la, manifest, out):
    """Print what letters and reports yield, without a store.

    PATHS are files (plain text, PDF or HTML) or folders, searched for .txt .pdf
    .html files; with more than one file, a progress bar runs on a terminal. In
    jsonl, one object per line with a "kind": each document (la, published, type,
    visit_theme, file, …), then its findings (text, start, end into the NFC-normalised
    text, section, polarity, themes, agencies, cues) and judgements (area, grade). In
    csv, one row per finding: file, la, urn, type, published, start, end, section,
    polarity, polarity_cue, themes, agencies, criticised, text. In ttl, the same as RDF
    in the inspectgraph ontology (all files in one graph).

    Examples:

        inspectgraph extract letter.pdf --la Sunderland --format jsonl

        inspectgraph extract corpus/focused-visits corpus/inspections --format csv --out findings.csv
    """
    import json

    from rdflib import Graph

    from ..extract import to_graph
    from ..extract.batch import csv_text, document_files, extract_files, finding_csv_rows

    files = document_files(paths)
    if not files:
        raise click.UsageError(f"no .txt, .pdf or .html file in {', '.join(map(str, paths))}")
    chunks: list[str] = []
    graph = Graph() if fmt == "ttl" else None
    with click.progressbar(
        extract_files(files, la=la, manifest=manifest),
        length=len(files),
        label="extracting",
        file=sys.stderr,
        hidden=len(files) < 2 or not sys.stderr.isatty(),  # no bar in logs or pipes
        item_show_func=lambda item: item[0].name if item else None,
    ) as bar:
        for n, (file, result) in enumerate(bar):
            if fmt == "ttl":
                to_graph(result, graph)
            elif fmt == "csv":
                chunks.append(csv_text(finding_csv_rows(file, result), header=n == 0))
            else:
                chunks.extend(json.dumps(r, ensure_ascii=False) + "\n" for r in result.records())
    data = (
        graph.serialize(format="turtle", encoding="utf-8")
        if graph is not None
        else "".join(chunks).encode("utf-8")
    )
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from ..viz.netexport import atomic_write

    atomic_write(out, lambda fh: fh.write(data))
    click.echo(f"wrote {out} ({len(files)} files)", err=True)


# ------------------------------------------------------------------ queries


@cli.command("queries")
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


@cli.command(cls=ParamCommand)
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


# ------------------------------------------------------------------ analysis

#: The polarities of co-criticism (the value of graph.partnerships.CRITICISM; a test
#: checks they agree).
CRITICISM = "weakness,mixed"


def analysis_options(func):
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


@cli.command()
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
    polarity,
    la,
    region,
    since,
    until,
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
    from ..analysis import (
        partnership_graph_from_store,
        rank_by_lift,
        recurring_partnerships,
        type_partnerships,
    )
    from ..model.keys import check_authority

    with open_spec(store_spec, read_only=True) as store:
        check_authority(store, la)
        G = partnership_graph_from_store(
            store,
            polarity=polarity,
            la=la,
            region=region,
            since=since,
            until=until,
            resamples=resamples,
            seed=seed,
        )
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


@cli.group()
def viz():
    """Draw or export the partnership graph: an offline page, figures, Gephi files."""


@viz.command("partnerships")
@analysis_options
@click.option(
    "--min-inspections",
    default=MIN_INSPECTIONS,
    show_default=True,
    type=click.IntRange(1),
    help="Draw pairs criticised together in at least this many inspections.",
)
@click.option(
    "--pairs",
    type=click.Choice(["above-chance", "all"]),
    default="above-chance",
    show_default=True,
    help="above-chance: only pairs whose lift interval lies above 1 with at least "
    "--min-findings findings; all: every pair (the drawing before lifts).",
)
@click.option(
    "--min-findings",
    default=3,
    show_default=True,
    type=click.IntRange(1),
    help="With --pairs above-chance, draw pairs criticised together in at least this "
    "many findings.",
)
@click.option(
    "--width",
    "width_by",
    type=click.Choice(["inspections", "lift"]),
    default="inspections",
    show_default=True,
    help="What a line's width shows: inspections, or the lift against chance.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="File to write; its extension picks the format: .html .png .svg .pdf "
    ".graphml .gexf .json .csv",
)
@click.option(
    "--title",
    default=None,
    help="Title of the page or figure (default: a page gets one, a figure none).",
)
@click.option("--seed", default=0, show_default=True, help="Seed of the layout and bootstrap.")
@click.option(
    "--group",
    type=click.Choice(["none", "type", "authority"]),
    default=None,
    help="Place agencies in one cluster per agency type, or around each inspected "
    "authority (default: authority with --la or --region, else type when --pairs all "
    "draws more than 60 agencies).",
)
@store_options
def viz_partnerships(
    polarity,
    la,
    region,
    since,
    until,
    min_inspections,
    pairs,
    min_findings,
    width_by,
    out,
    title,
    seed,
    group,
    store_spec,
):
    """Write the partnership graph: a page, a figure for papers, or a file for Gephi.

    By default only the pairs criticised together more often than chance are drawn:
    those whose 95 % lift interval lies above 1, with at least --min-findings findings
    (--pairs all draws every pair). With --la or --region, each authority's agencies are
    placed around it.

    The format follows the extension of --out: .html an offline interactive page
    (hover for counts, the lift and an example finding); .png (300 dpi), .svg, .pdf a
    static figure with the page's colours, shapes and legend; .graphml and .gexf with
    typed attributes, colours and positions (Gephi, Cytoscape); .json node-link data
    (networkx, d3); .csv two files, NAME-nodes.csv and NAME-edges.csv (Gephi's
    spreadsheet import). The same --seed gives the same layout in every format.

    Examples:

        inspectgraph viz partnerships --la Sunderland --pairs all --out partnerships.html

        inspectgraph viz partnerships --out figure.svg --width lift --seed 3

        inspectgraph viz partnerships --out partnerships.gexf

        inspectgraph viz partnerships --region london --out london.html
    """
    summary = _write_network(
        store_spec,
        out,
        polarity=polarity,
        la=la,
        region=region,
        since=since,
        until=until,
        min_inspections=min_inspections,
        seed=seed,
        title=title,
        group=group,
        pairs=pairs,
        min_findings=min_findings,
        width_by=width_by,
    )
    hint = ""
    if summary["edges"] == 0 and pairs == "above-chance":
        hint = f"; no pair lies above chance with {min_findings}+ findings: --pairs all draws every pair"
    click.echo(
        f"wrote {', '.join(summary['paths'])} ({summary['nodes']} agencies, "
        f"{summary['edges']} pairs{hint})",
        err=True,
    )


def _national_view_command(view: str, help_text: str, example: str):
    @viz.command(view, help=help_text + f"\n\nExample:\n\n    {example}")
    @analysis_options
    @click.option(
        "--min-inspections",
        default=MIN_INSPECTIONS,
        show_default=True,
        type=click.IntRange(1),
        help="Pairs of types criticised together in at least this many inspections.",
    )
    @click.option(
        "--out",
        type=click.Path(path_type=Path),
        required=True,
        help="File to write; its extension picks the format: .html .png .svg .pdf",
    )
    @click.option("--title", default=None, help="Title (default: a page gets one, a figure none).")
    @click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap.")
    @click.option(
        "--resamples",
        type=click.IntRange(0),
        default=1000,
        show_default=True,
        help="Bootstrap draws over inspections for the lift intervals.",
    )
    @store_options
    def command(
        polarity, la, region, since, until, min_inspections, out, title, seed, resamples, store_spec
    ):
        from ..analysis import partnership_graph_from_store, type_partnership_graph
        from ..errors import InputError
        from ..model.keys import check_authority
        from ..viz.national import write_national_view

        fmt = Path(out).suffix.lstrip(".").lower()
        if fmt not in ("html", "png", "svg", "pdf"):
            raise InputError(
                f"{out}: cannot tell the format from {Path(out).suffix or 'no extension'!r}; "
                "use one of .html, .png, .svg, .pdf"
            )
        with open_spec(store_spec, read_only=True) as store:
            check_authority(store, la)
            G = partnership_graph_from_store(
                store,
                polarity=polarity,
                la=la,
                region=region,
                since=since,
                until=until,
                resamples=resamples,
                seed=seed,
            )
        T = type_partnership_graph(G, min_inspections=min_inspections)
        summary = write_national_view(T, out, view=view, fmt=fmt, title=title)
        click.echo(
            f"wrote {summary['path']} ({summary['types']} agency types, "
            f"{summary['pairs']} pairs of types)",
            err=True,
        )

    return command


viz_types = _national_view_command(
    "types",
    "The network of agency types: one node per type (area: findings naming it), a line "
    "per pair of types criticised together more often than chance would give (width: "
    "lift; red: adjusted p < 0.05), labels with counts. .html writes an offline page with "
    "the figure and the table of every pair; .png .svg .pdf the figure.",
    "inspectgraph viz types --out types.pdf",
)
viz_heatmap = _national_view_command(
    "heatmap",
    "The type x type heatmap of lifts: each cell the lift of a pair of agency types, its "
    "95 % interval and its findings, red above chance and blue below, framed where the "
    "adjusted p < 0.05. .html writes an offline page with the figure and the table; "
    ".png .svg .pdf the figure.",
    "inspectgraph viz heatmap --out heatmap.png",
)


def _write_network(
    store_spec,
    out,
    *,
    polarity=CRITICISM,
    la="",
    region="",
    since="",
    until="",
    min_inspections=1,
    seed=0,
    title=None,
    group=None,
    pairs="all",
    min_findings=3,
    width_by="inspections",
):
    from ..model.keys import check_authority
    from ..viz.layout import authority_layout, grouped_layout
    from ..viz.netexport import analysis_graph, network_format, write_network

    fmt = network_format(out)  # a bad extension fails before any work
    with open_spec(store_spec, read_only=True) as store:
        check_authority(store, la)
        G = analysis_graph(
            store,
            polarity=polarity,
            la=la,
            region=region,
            since=since,
            until=until,
            min_inspections=min_inspections,
            seed=seed,
            pairs=pairs,
            min_findings=min_findings,
        )
    if title is None and fmt == "html":
        scope = [x for x in (la, region, since and f"from {since}", until and f"to {until}") if x]
        what = "more often than chance" if pairs == "above-chance" else "together"
        title = f"Agencies criticised {what}{' — ' + ', '.join(scope) if scope else ''}"
    if group is None:
        # pairs above chance are mostly small groups of one authority's agencies, packed
        # side by side; every pair of a national graph needs the types apart to be read
        crowded = pairs == "all" and G.number_of_nodes() > 60
        group = "authority" if la or region else "type" if crowded else "none"
    pos = None
    if group == "type" and len(G):
        pos = grouped_layout(G, "agency_type", seed=seed)
    elif group == "authority" and len(G):
        from ..viz.html import EDGE_LENGTH

        pos = authority_layout(G, edge_length=EDGE_LENGTH)
    return write_network(G, out, fmt=fmt, title=title, seed=seed, pos=pos, width_by=width_by)


# ------------------------------------------------------------------ serve


@cli.command()
@store_options
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0: every interface).",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--cors", is_flag=True, help="Allow cross-origin requests (Access-Control-Allow-Origin: *)."
)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a query may run; a slower one is stopped with an error (503).",
)
@click.option(
    "--max-rows",
    default=500_000,
    show_default=True,
    type=click.IntRange(1),
    help="Refuse results with more rows (or triples) than this (400).",
)
@click.option(
    "--max-request-bytes",
    default=1_000_000,
    show_default=True,
    type=click.IntRange(1),
    help="Refuse longer request bodies (413) and URLs (414).",
)
@click.option(
    "--workers",
    default=16,
    show_default=True,
    type=click.IntRange(1),
    help="Queries evaluated at once (threads of one worker process); more wait their turn.",
)
@click.option(
    "--memory-budget",
    default=1280,
    show_default=True,
    type=click.IntRange(0),
    metavar="MB",
    help="Resident memory of the server and its workers past which the worker process is "
    "replaced (the old one ends when only overrunning queries remain in it); 0: none.",
)
@click.option("-q", "--quiet", is_flag=True, help="Do not log requests.")
def serve(
    store_spec,
    host,
    port,
    cors,
    timeout,
    max_rows,
    max_request_bytes,
    workers,
    memory_budget,
    quiet,
):
    """Serve the store as a read-only SPARQL 1.1 endpoint, with a query page and a
    browsable linked-data site.

    The endpoint is at /sparql (GET, POST form or POST direct; results in SPARQL
    JSON, XML, CSV or TSV, graphs in Turtle, N-Triples, JSON-LD or RDF/XML by
    content negotiation; a service description without a query) and the query
    page, which works offline, at /. The graph's own IRIs dereference under /id/
    and /def/ (HTML pages for a browser, Turtle, JSON-LD, N-Triples or RDF/XML by
    content negotiation), with a search by name at /browse. Updates are refused.
    The data is a snapshot taken at start: builds may go on meanwhile; restart to
    serve them. With --endpoint, another SPARQL endpoint's data is served live.

    Example:

        inspectgraph serve --store demo-out/store --port 8000

        inspectgraph serve --endpoint http://localhost:7878/query --port 8000
    """
    from ..endpoint.serve import EndpointConfig
    from ..endpoint.serve import serve as run_serve

    config = EndpointConfig(
        timeout=timeout,
        max_rows=max_rows,
        max_request_bytes=max_request_bytes,
        workers=workers,
        memory_budget=memory_budget,
        cors=cors,
    )
    location, kind, *update = store_spec
    if update and update[0]:
        raise click.UsageError("serve never writes: --update-endpoint does not apply")
    run_serve(
        location,
        kind=kind,
        host=host,
        port=port,
        config=config,
        log=not quiet,
        announce=lambda m: click.echo(m, err=True),
    )


# ------------------------------------------------------------------ demo


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Directory for the store and the outputs.",
)
def demo(out_dir):
    """Build the bundled data and show which partnerships recur in criticisms.

    Writes OUT/store (the graph), OUT/partnerships.html (an offline interactive
    page) and OUT/graph.ttl (the graph as Turtle), and prints the recurring
    co-criticised partnerships.

    Example:

        inspectgraph demo --out demo-out
    """
    from ..analysis import partnership_graph_from_store, recurring_partnerships
    from ..graph.build import build as run_build
    from ..graph.export import export as run_export
    from ..graph.stores import open_store

    out_dir.mkdir(parents=True, exist_ok=True)
    store_dir = out_dir / "store"
    with open_store(store_dir) as store:
        report = run_build(store)
        G = partnership_graph_from_store(store)
        run_export(store, "ttl", out_dir / "graph.ttl")
    rows = recurring_partnerships(G, min_inspections=2)
    click.echo(f"Built {report.triples} triples into {store_dir} (digest {report.digest[:16]}).\n")
    click.echo(
        f"National judgement history (Ofsted's official files): {report.inspections} "
        f"inspections of {report.authorities} local authorities, 2009-2025.\n"
    )
    click.echo("Partnerships of agencies criticised together in two or more inspections:\n")
    columns = ["agencies", "findings", "inspections", "years", "first", "last"]
    click.echo(render(columns, [[r[c] for c in columns] for r in rows], "table"))
    summary = _write_network((store_dir, "oxigraph"), out_dir / "partnerships.html")
    click.echo(
        f"Wrote {out_dir / 'partnerships.html'} ({summary['nodes']} agencies, "
        f"{summary['edges']} pairs) and {out_dir / 'graph.ttl'}."
    )


# the researcher's tables, trends and comparisons live in their own modules; importing
# them adds their commands to the group
from . import clitables, clitrends  # noqa: E402, F401


def main() -> None:
    cli(prog_name="inspectgraph")


if __name__ == "__main__":
    main()
