"""The inspected authorities of a store, as tables name them: a plain name, the GSS and
DfE codes to join other data on, and the region.

A council's label is sometimes generic ("Bedford (local authority)", where no letter
heads its name); tables give the authority's name ("Bedford") from the registry, or the
label without that suffix for a body the registry does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Literal, URIRef

from ..model.keys import check_authority, resolve_key

__all__ = ["Authority", "authorities", "plain_name", "scope_councils", "with_codes"]

_SUFFIX = re.compile(r"\s*\((?:local authority|council)\)\s*$", re.I)
_AGENCY = "https://w3id.org/inspectgraph/id/agency/"

# rdflib joins a subquery to the pattern after it pair by pair (every council against every
# label of the store): there, the inspections' bodies are looked up in the pattern itself,
# and DISTINCT leaves the rows the subquery's join gives
_QUERY = """
PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?council ?label ?gss ?dfe ?regionKey ?page WHERE {  # unless @rdflib
SELECT DISTINCT ?council ?label ?gss ?dfe ?regionKey ?page WHERE {  # if @rdflib
  { SELECT DISTINCT ?council WHERE { ?inspection ig:inspectedBody ?council } }  # unless @rdflib
  ?inspection ig:inspectedBody ?council .  # if @rdflib
  ?council rdfs:label ?label .
  OPTIONAL { ?council ig:gssCode ?gss }
  OPTIONAL { ?council ig:dfeCode ?dfe }
  OPTIONAL { ?council dcterms:coverage/skos:notation ?regionKey }
  OPTIONAL { ?council rdfs:seeAlso ?page }
}
"""

_NAMES = """
PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?council ?name WHERE {
  { SELECT DISTINCT ?council WHERE { ?inspection ig:inspectedBody ?council } }  # unless @rdflib
  ?inspection ig:inspectedBody ?council .  # if @rdflib
  ?council rdfs:label|skos:altLabel ?name .
}
"""


@dataclass(frozen=True)
class Authority:
    """An inspected body as a table shows it."""

    iri: URIRef
    name: str
    gss: str
    dfe_code: str
    region: str
    ofsted_page: str  # the authority's page of reports on Ofsted's site


@lru_cache(maxsize=1)
def _registry():
    from .registry import load_registry

    return load_registry()


def plain_name(iri: URIRef, label: str) -> str:
    """The authority's name without a type suffix: the registry's, else the label's.

    >>> plain_name(URIRef(_AGENCY + "bedford-local-authority"), "Bedford (local authority)")
    'Bedford'
    >>> plain_name(URIRef("http://e/x"), "Example (local authority)")
    'Example'
    """
    text = str(iri)
    if text.startswith(_AGENCY):
        found = _registry().la_of_council(text[len(_AGENCY) :])
        if found is not None:
            return found.name
    return _SUFFIX.sub("", label)


def authorities(store) -> dict[URIRef, Authority]:
    """Every body that an inspection of ``store`` judges, by IRI."""
    out: dict[URIRef, Authority] = {}
    for council, label, gss, dfe, region, page in store.query(_QUERY).rows:
        old = out.get(council)
        out[council] = Authority(
            iri=council,
            name=old.name if old else plain_name(council, str(label)),
            gss=(old.gss if old and old.gss else str(gss or "")),
            dfe_code=(old.dfe_code if old and old.dfe_code else str(dfe or "")),
            region=(old.region if old and old.region else str(region or "")),
            ofsted_page=(old.ofsted_page if old and old.ofsted_page else str(page or "")),
        )
    return out


def scope_councils(store, *, la: str = "", region: str = "") -> set[URIRef] | None:
    """The authorities ``la`` (a name, any case) and ``region`` (a key or name) choose;
    ``None`` when neither narrows. An unknown name or region is an error naming the
    nearest ones (:mod:`inspectgraph.model.keys`)."""
    if not la and not region:
        return None
    chosen: set[URIRef] | None = None
    if la:
        check_authority(store, la)
        wanted = la.strip().casefold()
        chosen = {c for c, name in store.query(_NAMES).rows if str(name).casefold() == wanted}
    if region:
        key = resolve_key("regions", region)
        in_region = {a.iri for a in authorities(store).values() if a.region == key}
        chosen = in_region if chosen is None else chosen & in_region
    return chosen


def with_codes(store, columns: list[str], rows: list) -> tuple[list[str], list[list]]:
    """A query's result with ``authority``, ``gss`` and ``dfe_code`` beside its
    ``laLabel`` column (the authority's plain name and codes, to join other data on);
    unchanged when it has no such column or already carries codes."""
    if "laLabel" not in columns or "gss" in columns:
        return columns, [list(r) for r in rows]
    bodies = authorities(store)
    by_label: dict[str, Authority] = {}
    for council, label, *_ in store.query(_QUERY).rows:
        found = bodies.get(council)
        if found is not None:
            by_label.setdefault(str(label), found)
    at = columns.index("laLabel") + 1
    # the three terms of each authority made once (a national answer has 100,000 rows)
    extras = {
        label: [Literal(v) if v else None for v in (body.name, body.gss, body.dfe_code)]
        for label, body in by_label.items()
    }
    none = [None, None, None]
    out = []
    for row in rows:
        row = list(row)
        label = row[at - 1]
        extra = extras.get(str(label), none) if label is not None else none
        out.append(row[:at] + extra + row[at:])
    return columns[:at] + ["authority", "gss", "dfe_code"] + columns[at:], out
