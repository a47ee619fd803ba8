"""Commands that make and check a store: ``build``, ``validate``, ``export``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ValidationFailed
from .options import open_spec, store_options


@click.command()
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
                digest=False if quiet else None,  # printed only in the summary
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


@click.command()
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


@click.command()
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
