"""Pieces the site's pages are made of: badges, findings with their quotes, pagers, fact
lists, the grades chart, theme bars and the polarity filter.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Iterable

from rdflib import URIRef

from .data import GRADE_RANK, OVERALL, PAGE_SIZE, FindingView, Report
from .markup import e, href, link

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


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


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


def quote_html(f: FindingView) -> str:
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
    f: FindingView,
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


def finding_labels(data, findings: Iterable[FindingView]) -> tuple[dict, dict]:
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
