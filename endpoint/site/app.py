"""Routes of the site: ``/browse`` and the graph's own IRIs under ``/id/`` and ``/def/``.

``https://w3id.org/inspectgraph/X`` is served at ``/X``. What comes back is chosen by,
in order: ``?format=`` (``html``, ``ttl``, ``jsonld``, ``nt``, ``rdf``), a file
extension on the path (``/id/agency/x.ttl``, when ``/id/agency/x.ttl`` is not itself a
resource), then the ``Accept`` header -- HTML when a browser asks for it, Turtle when
the client takes anything (``*/*``) or sends no ``Accept``. An IRI the graph says
nothing about is a 404.
"""

from __future__ import annotations

import re
import urllib.parse

from rdflib import URIRef

from ...errors import InspectgraphError
from ..serve import GRAPH_TYPES, HTTPError, _status_line, parse_accept
from . import markup, pages, rdf
from .data import BASE, IG, SiteData
from .store import QueryFailed, ServedStore

__all__ = ["SITE_CSP", "Site"]

#: no script at all, nothing from another origin
SITE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HTML = "text/html; charset=utf-8"
RDF_FORMATS = {"ttl", "nt", "jsonld", "rdf"}
FORMAT_NAMES = {
    "html": "html",
    "ttl": "ttl",
    "turtle": "ttl",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "json": "jsonld",
    "rdf": "rdf",
    "xml": "rdf",
    "rdfxml": "rdf",
}
EXTENSIONS = {".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".rdf": "rdf", ".html": "html"}
_IRI_PATH = re.compile(r"/(?:id|def)(?:/[^<>\"{}|^`\\\x00-\x20]*)?")
ORG = "http://www.w3.org/ns/org#Organization"
_MAX_PAGE = 10_000


class Site:
    """The site over ``run(query, accept) -> (status, content type, body)``, the function
    the endpoint evaluates queries with."""

    def __init__(self, run):
        self.run = run
        self.data = SiteData(ServedStore(run))

    @staticmethod
    def handles(path: str) -> bool:
        return path in ("/browse", "/browse/", "/id", "/def") or path.startswith(("/id/", "/def/"))

    def route(self, environ, method: str, path: str):
        if method not in ("GET", "HEAD"):
            raise HTTPError(
                405, f"{method} not allowed here: the site is read-only", [("Allow", "GET")]
            )
        params = _params(environ.get("QUERY_STRING", ""))
        try:
            status, headers, body = self._answer(environ, path, params)
        except QueryFailed as exc:
            status, headers, body = self._error(environ, exc.status, str(exc))
        except HTTPError as exc:
            if exc.status in (400, 404, 406) and _wants_html(environ):
                status, headers, body = self._error(environ, exc.status, str(exc))
            else:
                raise
        if method == "HEAD":
            body = b""
        return status, headers, body

    def _error(self, environ, status: int, message: str):
        if not _wants_html(environ):
            raise HTTPError(status, message)
        return _status_line(status), _html_headers(), markup.error_page(status, message)

    # ------------------------------------------------------------------ dispatch

    def _answer(self, environ, path: str, params: dict):
        if path in ("/browse", "/browse/"):
            query = params.get("q", "")[:200]
            results, total = self.data.search(query)
            return "200 OK", _html_headers(), pages.home_page(self.data, query, results, total)
        try:
            text = path.encode("latin-1").decode("utf-8")
        except UnicodeError:
            raise HTTPError(404, "not an IRI of this graph") from None
        if not _IRI_PATH.fullmatch(text):
            raise HTTPError(404, f"{text} is not an IRI of this graph")
        iri = URIRef(BASE + text[1:])
        fmt = params.get("format", "").lower() or None
        if fmt is not None and fmt not in FORMAT_NAMES:
            raise HTTPError(400, f"format={fmt}: use html, ttl, jsonld, nt or rdf")
        fmt = FORMAT_NAMES.get(fmt) if fmt else None
        part = ""
        if not self.data.exists(iri):
            stem, dot, ext = text.rpartition(".")
            by_ext = EXTENSIONS.get(f".{ext}") if dot else None
            if by_ext is not None and self.data.exists(URIRef(BASE + stem[1:])):
                iri, text = URIRef(BASE + stem[1:]), stem
                fmt = fmt or by_ext
            else:
                iri, part = self._quotation_of(text)
        fmt = fmt or _negotiate(environ.get("HTTP_ACCEPT", ""))
        if fmt in RDF_FORMATS:
            return self._rdf(iri, fmt, part)
        if part:  # a quotation's page is its finding's
            target = markup.local_path(str(iri)) or "/"
            return "303 See Other", [("Location", target), *_html_headers()], b""
        return "200 OK", _html_headers(text), self._html(iri, text, params)

    def _rdf(self, iri: URIRef, fmt: str, part: str = ""):
        """The IRI's triples, a finding's with its quotation; ``part`` (one of
        :data:`rdf.QUOTE_PARTS`) answers for that resource of the finding's quotation."""
        triples = rdf.describe(self.run, str(iri))
        quote = rdf.quotation(str(iri), triples)
        if part:
            triples = [t for t in quote if t.subject.value.startswith(f"{iri}{part}")]
        else:
            triples += quote
        content_type, body = rdf.serialize(triples, fmt)
        return "200 OK", [("Content-Type", content_type), ("Vary", "Accept")], body

    def _quotation_of(self, text: str) -> tuple[URIRef, str]:
        """(finding, part) for the path of a resource of a finding's quotation (which
        ``export`` writes but the store keeps folded onto the finding); else a 404."""
        for part in rdf.QUOTE_PARTS:
            if text.endswith(part):
                finding = URIRef(BASE + text[1 : -len(part)])
                quote = rdf.quotation(str(finding), rdf.describe(self.run, str(finding)))
                if any(t.subject.value == f"{finding}{part}" for t in quote):
                    return finding, part
        raise HTTPError(404, f"the graph says nothing about {BASE + text[1:]}")

    def _html(self, iri: URIRef, path: str, params: dict) -> bytes:
        data = self.data
        page = _page(params)
        polarity = _polarity(data, params.get("polarity", ""))
        chosen = {URIRef(IG + "polarity/" + k) for k in polarity.split(",")} if polarity else None
        # a FILTER, not VALUES: Oxigraph would start from VALUES, i.e. from every finding
        # of those polarities in the store
        pol_values = (
            f"?f ig:polarity ?pol . FILTER(?pol IN ({', '.join(p.n3() for p in sorted(chosen))}))"
            if chosen
            else ""
        )
        if data.is_authority(iri):
            body = data.authorities[iri]
            scope = (
                f"?i ig:inspectedBody {iri.n3()} ; dcterms:date ?date . ?f ig:fromInspection ?i . "
            )
            if params.get("theme"):
                theme = URIRef(IG + "theme/" + params["theme"])
                if theme not in data.concepts:
                    raise HTTPError(
                        404, f"no theme {params['theme']!r}: the themes are at /def/themes"
                    )
                findings, total = data.finding_page(
                    scope + f"?f dcterms:subject {theme.n3()} . " + pol_values, page
                )
                return pages.theme_page(
                    data, iri, body.name, theme, polarity, findings, total, page, path
                )
            facts = self._authority_facts(iri, body)
            inspections = data.inspections_of(iri)
            themes, by_theme = data.findings_by_theme(iri, chosen)
            note = ""
            try:
                partnerships = data.partnerships(iri)
            except QueryFailed:
                raise
            except InspectgraphError as exc:  # the page still shows the rest
                partnerships, note = [], f"The partnership analysis could not run: {exc}"
            return pages.authority_page(
                data, body, facts, inspections, themes, by_theme, partnerships, polarity, path, note
            )
        types = data.types(iri)
        if URIRef(ORG) in types:
            labels = data.labels([iri])
            facts = self._agency_facts(iri)
            scope = f"?f ig:concerns {iri.n3()} ; ig:fromInspection ?i . ?i dcterms:date ?date . "
            themes = data.theme_counts(scope + pol_values)
            findings, total = data.finding_page(scope + pol_values, page)
            return pages.agency_page(
                data,
                iri,
                labels.get(iri, str(iri)),
                facts,
                themes,
                data.agency_authorities(iri),
                data.named_with(iri),
                findings,
                total,
                page,
                polarity,
                path,
            )
        if URIRef(IG + "Inspection") in types:
            facts = data.inspection(iri)
            findings, total = data.finding_page(
                f"{iri.n3()} dcterms:date ?date . ?f ig:fromInspection {iri.n3()} . ",
                page,
            )
            return pages.inspection_page(data, facts, findings, total, page, path)
        finding = None
        if URIRef(IG + "Finding") in types:
            finding = data.findings([iri])[iri]
        rows, total = data.describe(iri)
        incoming, incoming_total = data.incoming(iri)
        terms = data.ontology_terms() if str(iri) == IG else None
        return pages.resource_page(
            data, iri, rows, total, incoming, incoming_total, finding, path, terms=terms
        )

    def _authority_facts(self, iri: URIRef, body) -> list[tuple[str, str]]:
        rows, _ = self.data.describe(iri, limit=200)
        by_name = _by_local_name(rows)
        region = next((o for p, o in rows if str(p).endswith("/coverage")), None)
        return [
            ("GSS code", markup.e(body.gss)),
            ("DfE code", markup.e(body.dfe_code)),
            ("Ofsted URN", markup.e(", ".join(by_name.get("ofstedUrn", [])))),
            ("Region", markup.link(region, self.data.concept_label(region)) if region else ""),
            ("Reports on Ofsted", markup.link(body.ofsted_page) if body.ofsted_page else ""),
            ("About", markup.e(" ".join(by_name.get("description", [])))),
        ]

    def _agency_facts(self, iri: URIRef) -> list[tuple[str, str]]:
        data = self.data
        rows, _ = data.describe(iri, limit=200)
        by_name = _by_local_name(rows)
        linked = [
            o for p, o in rows if str(p).endswith(("#memberOf", "/coverage", "#classification"))
        ]
        labels = data.labels(linked)

        def links(name):
            return ", ".join(
                markup.link(o, labels.get(o, data.concept_label(o)))
                for p, o in rows
                if str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1] == name
            )

        return [
            ("Type", links("classification")),
            ("Also called", markup.e("; ".join(by_name.get("altLabel", [])))),
            ("Member of", links("memberOf")),
            ("Region", links("coverage")),
            ("GSS code", markup.e(", ".join(by_name.get("gssCode", [])))),
            ("Company number", markup.e(", ".join(by_name.get("companyNumber", [])))),
            ("Wikidata", ", ".join(markup.link(o) for o in by_name.get("sameAs", []))),
            ("About", markup.e(" ".join(by_name.get("description", [])))),
        ]


def _by_local_name(rows) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p, o in rows:
        out.setdefault(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1], []).append(str(o))
    return out


def _params(query: str) -> dict[str, str]:
    try:
        parsed = urllib.parse.parse_qs(query, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise HTTPError(400, "the URL's query is not valid percent-encoded UTF-8") from None
    return {k: v[0] for k, v in parsed.items()}


def _page(params: dict) -> int:
    text = params.get("page", "1") or "1"
    if not text.isdigit() or not 1 <= int(text) <= _MAX_PAGE:
        raise HTTPError(400, f"page={text}: a page number from 1")
    return int(text)


def _polarity(data, text: str) -> str:
    keys = [k.strip() for k in text.split(",") if k.strip()]
    known = {
        n for _, n in (data.concepts.get(URIRef(IG + "polarity/" + k), ("", "")) for k in keys)
    }
    for k in keys:
        if k not in known:
            raise HTTPError(400, f"polarity={k}: use weakness, mixed, strength or neutral")
    return ",".join(keys)


def _wants_html(environ) -> bool:
    ranked = [m for m, _ in parse_accept(environ.get("HTTP_ACCEPT", ""))]
    return bool(ranked) and ranked[0] in ("text/html", "application/xhtml+xml")


def _negotiate(accept: str) -> str:
    """``html`` or an RDF format key for an ``Accept`` header (Turtle for anything)."""
    if not accept.strip():
        return "ttl"
    for media, _q in parse_accept(accept):
        if media in ("text/html", "application/xhtml+xml"):
            return "html"
        if media in GRAPH_TYPES:
            return GRAPH_TYPES[media]
        if media == "application/json":  # JSON-LD is JSON
            return "jsonld"
        if media in ("*/*", "text/*", "application/*"):
            return "ttl"
    raise HTTPError(
        406,
        f"none of the accepted types ({accept}) is offered; offered: text/html, text/turtle, "
        "application/ld+json, application/n-triples, application/rdf+xml",
    )


def _html_headers(path: str | None = None) -> list[tuple[str, str]]:
    headers = [
        ("Content-Type", HTML),
        ("Content-Security-Policy", SITE_CSP),
        ("Vary", "Accept"),
        ("Cache-Control", "no-cache"),
    ]
    if path is not None:
        quoted = urllib.parse.quote(path, safe="/:@!$&'()*+,;=-._~%")
        headers.append(
            (
                "Link",
                ", ".join(
                    f'<{quoted}?format={k}>; rel="alternate"; type="{markup.media_type(k)}"'
                    for k in ("ttl", "jsonld", "nt", "rdf")
                ),
            )
        )
    return headers
