"""The site's HTML: one layout, a function per kind of page, no script at all.

Every value from the graph goes through :func:`.markup.e` (HTML-escaped, quotes included) or
:func:`.markup.href` (a path on this server for the graph's own IRIs; an ``http(s)`` link for
others; anything else is no link), so a label holding markup stays text. The server
sends the pages with a Content-Security-Policy that allows no script and nothing from
another origin: the pages work offline.
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from .data import BASE, OVERALL, FindingView
from .markup import e, layout, link
from .pieces import (
    facts_list,
    finding_html,
    finding_labels,
    grade_badge,
    grades_chart,
    pager,
    polarity_filter,
    theme_bars,
)

__all__ = [
    "agency_page",
    "authority_page",
    "home_page",
    "inspection_page",
    "resource_page",
    "theme_page",
]


#: rows of a table that lists related resources (more are counted, not shown)
LIST_LIMIT = 30


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
    finding: FindingView | None,
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
