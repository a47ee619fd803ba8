"""The site's HTML: one layout, a function per kind of page, no script at all.

Every value from the graph goes through :func:`e` (HTML-escaped, quotes included) or
:func:`href` (a path on this server for the graph's own IRIs; an ``http(s)`` link for
others; anything else is no link), so a label holding markup stays text. The server
sends the pages with a Content-Security-Policy that allows no script and nothing from
another origin: the pages work offline.
"""

from __future__ import annotations

import datetime as dt
import html
import urllib.parse
from collections.abc import Iterable

from rdflib import Literal, URIRef

from .data import BASE, GRADE_RANK, OVERALL, PAGE_SIZE, Finding, Report

__all__ = [
    "agency_page",
    "authority_page",
    "e",
    "error_page",
    "home_page",
    "href",
    "inspection_page",
    "layout",
    "local_path",
    "resource_page",
    "theme_page",
]

POLARITY_CLASS = {"weakness": "bad", "mixed": "mixed", "strength": "good", "neutral": "neutral"}
GRADE_CLASS = {
    "outstanding": "g1",
    "good": "g2",
    "requires_improvement": "g3",
    "inadequate": "g4",
}
CHART_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
#: rows of a table that lists related resources (more are counted, not shown)
LIST_LIMIT = 30
FORMATS = (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"), ("rdf", "RDF/XML"))


def e(value) -> str:
    """``value`` as HTML text: markup, quotes and entities escaped."""
    return html.escape("" if value is None else str(value), quote=True)


def local_path(iri: str) -> str | None:
    """The path on this server of one of the graph's own IRIs, else None.

    >>> local_path("https://w3id.org/inspectgraph/id/agency/x")
    '/id/agency/x'
    >>> local_path("https://example.org/") is None
    True
    """
    if not iri.startswith(BASE):
        return None
    return "/" + urllib.parse.quote(iri[len(BASE) :], safe="/:@!$&'()*+,;=-._~%")


def href(iri, query: dict | None = None) -> str | None:
    """An escaped ``href`` value for ``iri``: its path here for the graph's own IRIs, the
    IRI itself for an http(s) one elsewhere, None for any other scheme (no link)."""
    text = str(iri)
    path = local_path(text)
    if path is None:
        if urllib.parse.urlsplit(text).scheme.lower() not in ("http", "https"):
            return None
        path = text
    if query:
        path += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v})
    return e(path)


def link(iri, label=None, query: dict | None = None, cls: str = "") -> str:
    target = href(iri, query)
    text = e(label if label is not None else iri)
    if target is None:
        return text
    extra = f' class="{cls}"' if cls else ""
    outside = "" if local_path(str(iri)) is not None else ' rel="noopener noreferrer"'
    return f'<a href="{target}"{extra}{outside}>{text}</a>'


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# ---------------------------------------------------------------------- layout

STYLE = """
:root { --fg: #1d2433; --muted: #5b6476; --line: #d8dde6; --accent: #1f5fbf; --soft: #f4f6fa;
        --bad: #a32020; --good: #1d7a3a; --mixed: #9a6300; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); }
header.top { padding: 10px 24px; border-bottom: 1px solid var(--line); display: flex; gap: 18px;
             align-items: center; flex-wrap: wrap; background: var(--soft); }
header.top .brand { font-weight: 700; color: var(--fg); text-decoration: none; }
header.top nav a { margin-right: 12px; }
header.top form { margin-left: auto; }
main { padding: 12px 24px 40px; max-width: 1100px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 24px; margin: 12px 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.sub { color: var(--muted); margin: 0 0 10px; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.iri { font: 12px ui-monospace, Menlo, Consolas, monospace; color: var(--muted); overflow-wrap: anywhere; }
table { border-collapse: collapse; font-size: 14px; margin: 6px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.date { white-space: nowrap; }
td.others { font-size: 13px; line-height: 1.8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
input[type=search] { padding: 5px 8px; font-size: 14px; border: 1px solid var(--line); border-radius: 4px;
                     min-width: 240px; }
button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: 6px 12px;
         font-size: 14px; cursor: pointer; }
.big input[type=search] { font-size: 17px; min-width: 360px; padding: 8px 10px; }
.big button { font-size: 16px; padding: 8px 16px; }
.badge { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; border: 1px solid;
         white-space: nowrap; }
.badge.bad { color: var(--bad); } .badge.good { color: var(--good); }
.badge.mixed { color: var(--mixed); } .badge.neutral { color: var(--muted); }
.grade { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 13px; white-space: nowrap; }
.g1 { background: #d7ecd9; } .g2 { background: #e6f2d4; } .g3 { background: #fbeacb; } .g4 { background: #f6d2d2; }
.finding { margin: 10px 0 14px; padding: 8px 12px; border-left: 3px solid var(--line); background: #fbfcfe; }
.finding.bad { border-left-color: var(--bad); } .finding.good { border-left-color: var(--good); }
.finding.mixed { border-left-color: var(--mixed); }
.quote { margin: 4px 0; white-space: normal; overflow-wrap: anywhere; }
.quote .ctx { color: var(--muted); }
.quote mark { background: #fff3b0; color: var(--fg); padding: 0 1px; }
.meta { font-size: 13px; color: var(--muted); overflow-wrap: anywhere; }

details.theme { margin: 6px 0; border: 1px solid var(--line); border-radius: 4px; padding: 4px 10px; }
details.theme summary { cursor: pointer; font-weight: 600; }
details.theme summary .muted { font-weight: 400; }
.bar { display: inline-block; height: 9px; vertical-align: middle; }
.bar.bad { background: var(--bad); } .bar.good { background: var(--good); }
.bar.mixed { background: var(--mixed); } .bar.neutral { background: #b8bfcc; }
.pager { margin: 14px 0; display: flex; gap: 12px; align-items: center; }
.filters a, .filters strong { margin-right: 10px; }
.cols { columns: 3 260px; } .cols section { break-inside: avoid; margin-bottom: 10px; }
.cols h3 { margin-top: 4px; }
.cols ul { margin: 0; padding-left: 18px; }
footer { padding: 14px 24px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
svg.chart { max-width: 100%; height: auto; }
main table { display: block; overflow-x: auto; max-width: 100%; }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--muted); }
"""


def layout(title: str, body: str, *, data_path: str | None = None, search: str = "") -> bytes:
    """A whole page; ``data_path`` (this page's path) adds links to its data formats."""
    formats = ""
    if data_path is not None:
        links = " · ".join(
            f'<a href="{e(data_path)}?format={key}" type="{e(media_type(key))}">{name}</a>'
            for key, name in FORMATS
        )
        formats = f"<p>This page's data: {links}</p>"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} · inspectgraph</title>
<style>{STYLE}</style>
</head>
<body>
<header class="top">
  <a class="brand" href="/browse">inspectgraph</a>
  <nav><a href="/browse">Browse</a><a href="/">SPARQL query page</a><a href="/def/">Ontology</a></nav>
  <form action="/browse" method="get" role="search">
    <input type="search" name="q" value="{e(search)}" placeholder="Authority or agency"
           aria-label="Find an authority or agency by name">
    <button type="submit">Find</button>
  </form>
</header>
<main>
{body}
</main>
<footer>{formats}<p>Findings come from published Ofsted reports and letters, extracted
from their text by machine or curated by hand in the bundled records; each links to its report, which
is the authority. Data under the Open Government Licence v3.0.</p></footer>
</body>
</html>
"""
    return page.encode("utf-8")


def media_type(key: str) -> str:
    return {
        "ttl": "text/turtle",
        "jsonld": "application/ld+json",
        "nt": "application/n-triples",
        "rdf": "application/rdf+xml",
    }[key]


def error_page(status: int, message: str) -> bytes:
    body = f'<h1>{status}</h1><p>{e(message)}</p><p><a href="/browse">Find an authority or agency</a></p>'
    return layout(f"{status}", body)


# ---------------------------------------------------------------------- pieces


def polarity_badge(data, pol) -> str:
    if pol is None:
        return ""
    key = data.concept_key(pol)
    return f'<span class="badge {POLARITY_CLASS.get(key, "neutral")}">{e(data.concept_label(pol))}</span>'


def grade_badge(data, grade) -> str:
    if grade is None:
        return ""
    key = data.concept_key(grade)
    return f'<span class="grade {GRADE_CLASS.get(key, "")}">{e(data.concept_label(grade))}</span>'


def quote_html(f: Finding) -> str:
    """The finding's words highlighted between the text before and after them."""
    if not f.exact:
        return f'<p class="quote">{e(" ".join(f.summary.split()))}</p>' if f.summary else ""
    before = " ".join(f.prefix.split())
    after = " ".join(f.suffix.split())
    return (
        f'<p class="quote"><span class="ctx">…{e(before)} </span>'
        f"<mark>{e(' '.join(f.exact.split()))}</mark>"
        f'<span class="ctx"> {e(after)}…</span></p>'
    )


def finding_html(
    data,
    f: Finding,
    labels: dict,
    reports: dict[URIRef, Report],
    *,
    show_inspection=True,
    show_report=True,
) -> str:
    key = data.concept_key(f.polarity) if f.polarity is not None else ""
    themes = ", ".join(link(t, data.concept_label(t)) for t in f.themes)
    agencies = ", ".join(
        link(a, labels.get(a, str(a).rsplit("/", 1)[-1]))
        + (' <span class="muted">(criticised)</span>' if a in f.criticises else "")
        for a in sorted(set(f.concerns), key=lambda a: labels.get(a, str(a)))
    )
    parts = [polarity_badge(data, f.polarity)]
    if show_inspection and f.inspection is not None:
        parts.append(link(f.inspection, labels.get(f.inspection, f.date or "inspection")))
    report = reports.get(f.report) if f.report is not None else None
    if report is not None:
        where = f"character {f.start}" if f.start is not None else ""
        if show_report:
            where = f", {where}" if where else ""
            parts.append("in " + link(report.iri, report.title or "report") + e(where))
        elif where:
            parts.append(e(where))
        if report.link:
            parts.append(link(report.link, "Ofsted ↗"))
    parts.append(link(f.iri, "finding"))
    meta = " ".join(p for p in parts if p)
    extra = []
    if themes:
        extra.append(f"themes: {themes}")
    if agencies:
        extra.append(f"agencies: {agencies}")
    return (
        f'<div class="finding {POLARITY_CLASS.get(key, "")}">'
        f'<div class="meta">{meta}</div>{quote_html(f)}'
        + (f'<div class="meta">{" · ".join(extra)}</div>' if extra else "")
        + "</div>"
    )


def finding_labels(data, findings: Iterable[Finding]) -> tuple[dict, dict]:
    findings = list(findings)
    iris = set()
    for f in findings:
        iris.update(f.concerns)
        if f.inspection is not None:
            iris.add(f.inspection)
    labels = data.labels(iris)
    reports = data.reports({f.report for f in findings if f.report is not None})
    return labels, reports


def pager(path: str, query: dict, page: int, total: int) -> str:
    pages = max(1, -(-total // PAGE_SIZE))
    if pages <= 1:
        return ""
    out = ['<nav class="pager">']
    if page > 1:
        out.append(
            f'<a href="{e(path)}?{e(urllib.parse.urlencode({**query, "page": page - 1}))}">← previous</a>'
        )
    out.append(f"<span>page {page} of {pages} ({total} findings)</span>")
    if page < pages:
        out.append(
            f'<a href="{e(path)}?{e(urllib.parse.urlencode({**query, "page": page + 1}))}">next →</a>'
        )
    out.append("</nav>")
    return "".join(out)


def facts_list(items: list[tuple[str, str]]) -> str:
    rows = "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in items if v)
    return f'<dl class="facts">{rows}</dl>'


def grades_chart(data, inspections: list[dict]) -> str:
    """An SVG of the headline grade of each graded inspection over time (no script)."""
    points = []
    for row in inspections:
        grade = row["grades"].get(OVERALL)
        if grade is None:  # older frameworks: the safeguarding judgement is the headline
            grade = next(
                (
                    g
                    for a, g in row["grades"].items()
                    if data.concept_key(a) == "safeguarding_effectiveness"
                ),
                None,
            )
        rank = GRADE_RANK.get(data.concept_key(grade)) if grade is not None else None
        if rank is None:
            continue
        try:
            day = dt.date.fromisoformat(row["date"][:10])
        except ValueError:
            continue
        points.append((day, rank, row, grade))
    if not points:
        return ""
    width, height, left, top, bottom = 640, 170, 170, 12, 28
    first = min(p[0] for p in points).replace(month=1, day=1)
    last = max(p[0] for p in points).replace(month=12, day=31)
    span = max(1, (last - first).days)

    def x(day):
        return left + (width - left - 20) * (day - first).days / span

    def y(rank):
        return top + (height - top - bottom) * (rank - 1) / 3

    out = [
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'role="img" aria-label="Headline grade of each inspection over time">'
    ]
    for key, rank in GRADE_RANK.items():
        label = CHART_LABELS[key]
        out.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y(rank):.1f}" y2="{y(rank):.1f}" stroke="#e3e7ee"/>'
        )
        out.append(
            f'<text x="{left - 8}" y="{y(rank) + 4:.1f}" text-anchor="end">{e(_short(label, 26))}</text>'
        )
    for year in range(first.year, last.year + 1):
        if (last.year - first.year) > 8 and year % 2:
            continue
        out.append(
            f'<text x="{x(dt.date(year, 7, 1)):.1f}" y="{height - 8}" text-anchor="middle">{year}</text>'
        )
    ordered = sorted(points, key=lambda p: p[0])
    if len(ordered) > 1:
        path = " ".join(f"{x(d):.1f},{y(r):.1f}" for d, r, _, _ in ordered)
        out.append(f'<polyline points="{path}" fill="none" stroke="#9aa6bb" stroke-width="1.5"/>')
    colours = {1: "#1d7a3a", 2: "#5c9a2e", 3: "#c98a00", 4: "#a32020"}
    for day, rank, row, grade in ordered:
        out.append(
            f'<a href="{href(row["iri"])}"><circle cx="{x(day):.1f}" cy="{y(rank):.1f}" r="6" '
            f'fill="{colours[rank]}"><title>{e(row["label"])}: {e(data.concept_label(grade))}</title>'
            "</circle></a>"
        )
    out.append("</svg>")
    return "".join(out)


def theme_bars(data, counts: dict[URIRef, int], scale: int) -> str:
    out = []
    for key in ("weakness", "mixed", "strength", "neutral"):
        n = sum(v for p, v in counts.items() if data.concept_key(p) == key)
        if n:
            out.append(
                f'<span class="bar {POLARITY_CLASS[key]}" style="width:{max(2, round(160 * n / scale))}px" '
                f'title="{e(key)}: {n}"></span>'
            )
    return "".join(out)


def polarity_filter(data, path: str, current: str, query: dict) -> str:
    options = [
        ("", "All findings"),
        ("weakness,mixed", "Criticisms"),
        ("weakness", "Weaknesses"),
        ("strength", "Strengths"),
    ]
    out = ['<p class="filters">Show: ']
    for value, name in options:
        if value == current:
            out.append(f"<strong>{e(name)}</strong>")
        else:
            q = {**query, "polarity": value}
            q = {k: v for k, v in q.items() if v}
            target = path + ("?" + urllib.parse.urlencode(q) if q else "")
            out.append(f'<a href="{e(target)}">{e(name)}</a>')
    out.append("</p>")
    return "".join(out)


# ---------------------------------------------------------------------- pages


def home_page(data, query: str, results: list[dict], total: int) -> bytes:
    counts = data.overview
    parts = [
        "<h1>Ofsted inspections of children's services, as linked data</h1>",
        f'<p class="sub">{counts["authorities"]} authorities · {counts["inspections"]} inspections · '
        f"{counts['reports']} reports · {counts['findings']} findings, each quoted from its report · "
        f"{counts['agencies']} agencies</p>",
        '<form class="big" action="/browse" method="get" role="search">'
        f'<input type="search" name="q" value="{e(query)}" placeholder="e.g. Sunderland, Northumbria Police" '
        'aria-label="Name of an authority or agency" autofocus> <button type="submit">Find</button></form>',
    ]
    if query:
        if not results:
            parts.append(f"<p>No authority or agency has a name containing “{e(query)}”.</p>")
            near = data.nearest_names(query)
            if near:
                links = ", ".join(link(i, name) for i, name in near)
                parts.append(f"<p>Nearest names: {links}</p>")
        else:
            more = f" (the first {len(results)} shown)" if total > len(results) else ""
            parts.append(
                f"<h2>{total} match{'es' if total != 1 else ''} for “{e(query)}”{more}</h2>"
            )
            rows = "".join(
                f"<tr><td>{link(r['iri'], r['label'])}</td><td>{e(r['type'])}</td>"
                f"<td>{'inspected authority' if r['authority'] else ''}</td></tr>"
                for r in results
            )
            parts.append(
                f'<table class="results"><tr><th>Name</th><th>Type</th><th></th></tr>{rows}</table>'
            )
    parts.append('<h2>Inspected authorities by region</h2><div class="cols">')
    for region, bodies in data.authorities_by_region():
        items = "".join(f"<li>{link(b.iri, b.name)}</li>" for b in bodies)
        parts.append(f"<section><h3>{e(region)}</h3><ul>{items}</ul></section>")
    parts.append("</div>")
    parts.append(
        "<h2>The vocabulary</h2><p>"
        + " · ".join(
            link(BASE + "def/" + s, s)
            for s in (
                "themes",
                "agency-types",
                "inspection-types",
                "judgement-areas",
                "grades",
                "regions",
            )
        )
        + "</p>"
    )
    return layout("Browse", "".join(parts), search=query)


def authority_page(
    data,
    body,
    facts: list[tuple[str, str]],
    inspections,
    themes,
    by_theme,
    partnerships,
    polarity: str,
    path: str,
    note: str = "",
) -> bytes:
    labels = data.labels({p for r in partnerships for p in r["iris"]})
    parts = [
        f"<h1>{e(body.name)}</h1>",
        f'<p class="sub">Inspected authority · <span class="iri">{e(body.iri)}</span></p>',
        facts_list(facts),
    ]
    # inspections and their grades: the headline judgement, then the others
    parts.append(f"<h2>Inspections ({len(inspections)})</h2>")
    chart = grades_chart(data, inspections)
    if chart:
        parts.append(f"<h3>Grades over time</h3>{chart}")
    rows = []
    for row in reversed(inspections):
        grades = row["grades"]
        others = "; ".join(
            f"{e(data.concept_label(a))} {grade_badge(data, g)}"
            for a, g in sorted(grades.items(), key=lambda x: data.concept_label(x[0]))
            if a != OVERALL
        )
        rows.append(
            f'<tr><td class="date">{e(row["date"])}</td>'
            f"<td>{link(row['iri'], data.concept_label(row['type']))}</td>"
            f'<td class="num">{row["findings"]}</td><td>{grade_badge(data, grades.get(OVERALL))}</td>'
            f'<td class="others">{others}</td></tr>'
        )
    parts.append(
        '<table><tr><th>Published</th><th>Inspection</th><th class="num">Findings</th>'
        "<th>Overall effectiveness</th><th>Other judgements</th></tr>" + "".join(rows) + "</table>"
    )
    # findings by theme
    parts.append("<h2>Findings by theme</h2>")
    parts.append(polarity_filter(data, path, polarity, {}))
    totals = {t: sum(c.values()) for t, c in themes.items()}
    scale = max(totals.values(), default=1)
    shown_findings = [f for fs in by_theme.values() for f in fs]
    flabels, reports = finding_labels(data, shown_findings)
    for theme in sorted(themes, key=lambda t: (-totals[t], data.concept_label(t))):
        chosen = by_theme.get(theme, [])
        counts = themes[theme]
        summary = ", ".join(
            f"{n} {e(data.concept_label(p).lower())}"
            for p, n in sorted(counts.items(), key=lambda x: (-x[1], data.concept_label(x[0])))
        )
        more_query = {"theme": data.concept_key(theme), "polarity": polarity}
        items = "".join(finding_html(data, f, flabels, reports) for f in chosen)
        parts.append(
            f'<details class="theme"><summary>{e(data.concept_label(theme))} '
            f'{theme_bars(data, counts, scale)} <span class="muted">{_count(totals[theme], "finding")}: {summary}</span>'
            f"</summary>{items}<p>{link(body.iri, 'All findings on this theme →', more_query)}</p></details>"
        )
    if not themes:
        parts.append("<p>No findings.</p>")
    # partnerships
    parts.append("<h2>Partnerships criticised together</h2>")
    if partnerships:
        parts.append(
            '<p class="muted">Pairs of agencies named together in criticisms (weakness and mixed findings) '
            "of this authority's inspections. Lift: how many times more often than chance pairs them, "
            "given how often each is named in each inspection; the interval is a bootstrap over "
            "inspections.</p>"
        )
        rows = []
        for r in partnerships:
            a, b = r["iris"]
            lift = "" if r.get("lift") is None else f"{r['lift']:.2f}"
            interval = ""
            if r.get("lift_low") is not None and r.get("lift_high") is not None:
                interval = f"{r['lift_low']:.2f}–{r['lift_high']:.2f}"
            themes_text = ", ".join(
                data.concept_label(URIRef(BASE + "def/theme/" + t)) for t in r["themes"][:4]
            )
            rows.append(
                f"<tr><td>{link(a, labels.get(URIRef(a), r['agencies'][0]))} &amp; "
                f"{link(b, labels.get(URIRef(b), r['agencies'][1]))}</td>"
                f'<td class="num">{r["findings"]}</td><td class="num">{r["inspections"]}</td>'
                f'<td>{e(r["first"])} – {e(r["last"])}</td><td class="num">{e(lift)}</td>'
                f"<td>{e(interval)}</td><td>{e(themes_text)}</td></tr>"
            )
        parts.append(
            '<table><tr><th>Agencies</th><th class="num">Findings</th><th class="num">Inspections</th>'
            '<th>First – last</th><th class="num">Lift</th><th>95% interval</th><th>Themes</th></tr>'
            + "".join(rows)
            + "</table>"
        )
    elif note:
        parts.append(f"<p>{e(note)}</p>")
    else:
        parts.append(
            "<p>No pair of agencies is criticised together in this authority's inspections.</p>"
        )
    return layout(body.name, "".join(parts), data_path=path)


def theme_page(
    data, body_iri, name: str, theme, polarity: str, findings, total, page, path
) -> bytes:
    labels, reports = finding_labels(data, findings)
    query = {"theme": data.concept_key(theme), "polarity": polarity}
    parts = [
        f"<h1>{e(name)}: {e(data.concept_label(theme))}</h1>",
        f'<p class="sub">{link(body_iri, "← back to " + name)} · {total} findings, latest first</p>',
        polarity_filter(data, path, polarity, {"theme": data.concept_key(theme)}),
        pager(path, {k: v for k, v in query.items() if v}, page, total),
        "".join(finding_html(data, f, labels, reports) for f in findings),
        pager(path, {k: v for k, v in query.items() if v}, page, total),
    ]
    return layout(f"{name}: {data.concept_label(theme)}", "".join(parts))


def agency_page(
    data,
    iri,
    label: str,
    facts,
    themes,
    councils,
    partners,
    findings,
    total,
    page,
    polarity: str,
    path: str,
) -> bytes:
    councils_shown, partners_shown = councils[:LIST_LIMIT], partners[:LIST_LIMIT]
    labels = data.labels({c for c, _ in councils_shown} | {p for p, _, _ in partners_shown})
    parts = [
        f"<h1>{e(label)}</h1>",
        f'<p class="sub">Agency · <span class="iri">{e(iri)}</span></p>',
        facts_list(facts),
    ]
    if councils:
        rows = "".join(
            f'<tr><td>{link(c, labels.get(c, str(c)))}</td><td class="num">{n}</td></tr>'
            for c, n in councils_shown
        )
        parts.append(
            f"<h2>Named in the inspections of {_count(len(councils), 'authority', 'authorities')}"
            f"{_shown(councils_shown, councils)}</h2>"
            f'<table><tr><th>Authority</th><th class="num">Findings</th></tr>{rows}</table>'
        )
    if partners:
        rows = "".join(
            f'<tr><td>{link(p, labels.get(p, str(p)))}</td><td class="num">{n}</td>'
            f'<td class="num">{c}</td></tr>'
            for p, n, c in partners_shown
        )
        parts.append(
            f"<h2>Named together with {_count(len(partners), 'agency', 'agencies')}"
            f"{_shown(partners_shown, partners)}</h2>"
            '<table><tr><th>Agency</th><th class="num">Findings</th>'
            f'<th class="num">Of them criticisms</th></tr>{rows}</table>'
        )
    if themes:
        totals = {t: sum(c.values()) for t, c in themes.items()}
        scale = max(totals.values())
        rows = "".join(
            f"<tr><td>{link(t, data.concept_label(t))}</td><td>{theme_bars(data, themes[t], scale)}</td>"
            f'<td class="num">{totals[t]}</td></tr>'
            for t in sorted(themes, key=lambda t: (-totals[t], data.concept_label(t)))
        )
        parts.append(
            f'<h2>Themes</h2><table><tr><th>Theme</th><th></th><th class="num">Findings</th></tr>{rows}</table>'
        )
    parts.append("<h2>Findings naming it</h2>")
    parts.append(polarity_filter(data, path, polarity, {}))
    flabels, reports = finding_labels(data, findings)
    q = {"polarity": polarity} if polarity else {}
    parts.append(pager(path, q, page, total))
    parts.append(
        "".join(finding_html(data, f, flabels, reports) for f in findings) or "<p>None.</p>"
    )
    parts.append(pager(path, q, page, total))
    return layout(label, "".join(parts), data_path=path)


def inspection_page(data, facts: dict, findings, total, page, path) -> bytes:
    labels = data.labels({facts.get("body"), *facts["inspectors"]} - {None})
    title = str(facts.get("label") or facts["iri"])
    body = facts.get("body")
    items = [
        ("Authority", link(body, labels.get(body, str(body))) if body is not None else ""),
        ("Type", ", ".join(link(t, data.concept_label(t)) for t in facts["types"])),
        ("Published", e(facts.get("date", ""))),
        (
            "Fieldwork",
            e(f"{facts['start']} to {facts.get('end', facts['start'])}")
            if facts.get("start")
            else "",
        ),
        (
            "Inspectors",
            ", ".join(
                link(p, labels.get(p, str(p)))
                for p in sorted(facts["inspectors"], key=lambda p: labels.get(p, str(p)))
            ),
        ),
        ("About", e(facts.get("description", ""))),
        ("Note", e(facts.get("comment", ""))),
    ]
    parts = [
        f"<h1>{e(title)}</h1>",
        f'<p class="sub">Inspection · <span class="iri">{e(facts["iri"])}</span></p>',
        facts_list(items),
    ]
    if facts["grades"]:
        rows = "".join(
            f"<tr><td>{e(data.concept_label(a))}</td><td>{grade_badge(data, g)}</td></tr>"
            for a, g in sorted(
                facts["grades"].items(), key=lambda x: (x[0] != OVERALL, data.concept_label(x[0]))
            )
        )
        parts.append(
            f"<h2>Judgements</h2><table><tr><th>Area</th><th>Grade</th></tr>{rows}</table>"
        )
    if facts["reports"]:
        rows = "".join(
            f'<tr><td>{link(r.iri, r.title or str(r.iri))}</td><td class="date">{e(r.issued)}</td>'
            f'<td>{link(r.link, "on Ofsted ↗") if r.link else ""}</td><td class="iri">{e(r.identifier)}</td></tr>'
            for r in facts["reports"]
        )
        parts.append(
            f"<h2>Reports</h2><table><tr><th>Title</th><th>Published</th><th></th><th>File</th></tr>{rows}</table>"
        )
    parts.append(f"<h2>Findings in reading order ({total})</h2>")
    parts.append(
        '<p class="muted">Each finding’s words are highlighted between the text just before and after '
        "them in its report.</p>"
    )
    flabels, reports = finding_labels(data, findings)
    parts.append(pager(path, {}, page, total))
    parts.append(
        "".join(
            finding_html(
                data,
                f,
                flabels,
                reports,
                show_inspection=False,
                show_report=len(facts["reports"]) > 1,
            )
            for f in findings
        )
        or "<p>None.</p>"
    )
    parts.append(pager(path, {}, page, total))
    return layout(title, "".join(parts), data_path=path)


def resource_page(
    data,
    iri,
    rows,
    total,
    incoming,
    incoming_total,
    finding: Finding | None,
    path,
    *,
    terms: list | None = None,
) -> bytes:
    """Any other resource: its properties and what points at it."""
    values = {o for _, o in rows if isinstance(o, URIRef)} | {p for p, _ in rows}
    values |= {s for s, _ in incoming} | {p for _, p in incoming} | {iri}
    labels = data.labels(values)
    kinds = [labels.get(o, _prop_name(o)) for p, o in rows if str(p).endswith("#type")]
    name = str(iri).rstrip("/").rsplit("/", 1)[-1] or str(iri)
    title = labels.get(iri) or (f"{sorted(kinds)[0]} {name}" if kinds else name)
    parts = [f"<h1>{e(title)}</h1>", f'<p class="sub iri">{e(iri)}</p>']
    if finding is not None:
        flabels, reports = finding_labels(data, [finding])
        parts.append(finding_html(data, finding, flabels, reports))

    def value_html(o) -> str:
        if isinstance(o, URIRef):
            return link(o, labels.get(o, str(o)))
        if (
            isinstance(o, Literal)
            and o.datatype is not None
            and not str(o.datatype).endswith("#string")
        ):
            return f'{e(o)} <span class="muted">{e(str(o.datatype).rsplit("#", 1)[-1])}</span>'
        if isinstance(o, Literal) and o.language:
            return f'{e(o)} <span class="muted">@{e(o.language)}</span>'
        return f'<span style="white-space:pre-wrap">{e(o)}</span>'

    table = "".join(
        f"<tr><td>{link(p, labels.get(p, _prop_name(p)))}</td><td>{value_html(o)}</td></tr>"
        for p, o in rows
    )
    parts.append(
        f"<h2>Properties</h2><table><tr><th>Property</th><th>Value</th></tr>{table}</table>"
    )
    if terms:
        names = {}
        for term, kind, label in terms:
            names.setdefault(_prop_name(kind), []).append(link(term, label))
        parts.append("<h2>Terms</h2>")
        parts.append(
            facts_list([(kind, ", ".join(items)) for kind, items in sorted(names.items())])
        )
    if total > len(rows):
        parts.append(
            f'<p class="muted">{total - len(rows)} more values: see the data formats below.</p>'
        )
    if incoming:
        table = "".join(
            f"<tr><td>{link(s, labels.get(s, str(s)))}</td><td>{e(labels.get(p, _prop_name(p)))}</td></tr>"
            for s, p in incoming
        )
        more = (
            f" (the first {len(incoming)} of {incoming_total})"
            if incoming_total > len(incoming)
            else ""
        )
        parts.append(
            f"<h2>Pointing here{more}</h2><table><tr><th>Resource</th><th>Property</th></tr>{table}</table>"
        )
    return layout(title, "".join(parts), data_path=path)


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _shown(shown: list, every: list) -> str:
    return f" (the first {len(shown)} shown)" if len(shown) < len(every) else ""


def _prop_name(p) -> str:
    text = str(p)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text
