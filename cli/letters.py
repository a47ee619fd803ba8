"""Commands over the inspection letters: ``fetch`` (download them) and ``extract`` (read
them into findings).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
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


@click.command("extract")
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
