"""The site's HTML frame: escaping, links to the graph's own IRIs, the page layout and its
style sheet, the error page.
"""

from __future__ import annotations

import html
import urllib.parse

from .data import BASE

__all__ = [
    "e",
    "error_page",
    "href",
    "layout",
    "local_path",
]


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
