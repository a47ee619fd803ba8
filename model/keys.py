"""The valid keys of options and query parameters, and the check that names a bad one.

A theme, agency type, judgement area, region, grade, inspection type or polarity is a
``skos:notation`` of the ontology's concept schemes; an authority or agency is a label or
alternative label in the store. An unknown value is an error naming the value and the
nearest valid ones (:func:`difflib.get_close_matches`), never an empty result: a typo such
as ``--la Sundrland`` would otherwise look like an authority with no findings.

>>> resolve_key("themes", "Front door")
'front_door'
>>> resolve_key("themes", "front dor")
Traceback (most recent call last):
...
inspectgraph.model.keys.UnknownValue: unknown theme 'front dor'; nearest: front_door (inspectgraph keys themes lists them all)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import InputError

__all__ = [
    "KINDS",
    "PARAM_KINDS",
    "UnknownValue",
    "agency_names",
    "authority_names",
    "check_agency",
    "check_authority",
    "check_query_params",
    "key_rows",
    "nearest",
    "resolve_key",
]


@dataclass(frozen=True)
class Kind:
    """One family of keys: its concept scheme and how a message names one of them."""

    scheme: str
    noun: str


#: ``inspectgraph keys KIND``: the kinds, in the order the command lists them.
KINDS: dict[str, Kind] = {
    "themes": Kind("themes", "theme"),
    "agency-types": Kind("agency-types", "agency type"),
    "areas": Kind("judgement-areas", "judgement area"),
    "regions": Kind("regions", "region"),
    "grades": Kind("grades", "grade"),
    "inspection-types": Kind("inspection-types", "inspection type"),
    "polarity": Kind("polarity", "polarity"),
}


class UnknownValue(InputError):
    """A value that names nothing the graph knows; the message gives the nearest ones."""


def nearest(value: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates closest to ``value``, ignoring case (at most ``n``).

    >>> nearest("Sundrland", ["Sunderland", "Sutton", "Gateshead"])
    ['Sunderland']
    """
    by_folded: dict[str, str] = {}
    for c in candidates:
        by_folded.setdefault(c.casefold(), c)
    hits = difflib.get_close_matches(value.casefold(), list(by_folded), n=n, cutoff=0.6)
    return [by_folded[h] for h in hits]


def _unknown(noun: str, value: str, candidates: Iterable[str], listing: str) -> UnknownValue:
    close = nearest(value, candidates)
    hint = f"nearest: {', '.join(close)}" if close else "no close match"
    return UnknownValue(f"unknown {noun} {value!r}; {hint} ({listing})")


def key_rows(kind: str) -> list[tuple[str, str]]:
    """``(key, English label)`` of every concept of one kind, sorted by key.

    >>> key_rows("grades")[0]
    ('good', 'Good')
    """
    from .concepts import concept_labels

    return sorted(concept_labels(_kind(kind).scheme).items())


def _kind(kind: str) -> Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise InputError(f"unknown kind of key {kind!r}; one of {', '.join(KINDS)}") from None


def resolve_key(kind: str, value: str) -> str:
    """The key ``value`` names: a key, or a key or label in any case (``"North East"``
    gives ``north_east``); :class:`UnknownValue` with the nearest keys otherwise."""
    from .concepts import concept_keys

    if value in concept_keys(_kind(kind).scheme):
        return value
    rows = key_rows(kind)
    folded = value.strip().casefold()
    for key, label in rows:
        if folded in (key.casefold(), label.casefold(), key.replace("_", " ").casefold()):
            return key
    if kind == "regions":  # the regions' alternative names ("Yorkshire and Humber", ...)
        for key, names in _region_alt_labels().items():
            if folded in names:
                return key
    spellings = {}  # every spelling of a key, folded -> the key
    for key, label in rows:
        for spelling in (key, label, key.replace("_", " ")):
            spellings.setdefault(spelling.casefold(), key)
    close = difflib.get_close_matches(folded, list(spellings), n=6, cutoff=0.6)
    keys = list(dict.fromkeys(spellings[c] for c in close))[:3]
    if keys:
        hint = f"nearest: {', '.join(keys)}"
    else:  # a short list is shown whole
        hint = f"one of {', '.join(k for k, _ in rows)}" if len(rows) <= 12 else "no close match"
    raise UnknownValue(
        f"unknown {_kind(kind).noun} {value!r}; {hint} (inspectgraph keys {kind} lists them all)"
    )


def _region_alt_labels() -> dict[str, set[str]]:
    from rdflib.namespace import SKOS

    from ..ontology import concept_keys, ontology_graph

    g = ontology_graph()
    return {
        key: {str(o).casefold() for o in g.objects(iri, SKOS.altLabel)}
        for key, iri in concept_keys("regions").items()
    }


_AUTHORITY_NAMES = """
PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name WHERE {
  { ?inspection ig:inspectedBody ?body }
  UNION
  { ?body org:classification <https://w3id.org/inspectgraph/def/agency-type/local_authority> }
  ?body rdfs:label|skos:altLabel ?name .
}
"""

_AGENCY_NAMES = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name WHERE {
  ?agency org:classification ?type ;
          rdfs:label|skos:altLabel ?name .
}
"""


def _names(store, sparql: str) -> list[str]:
    return [str(row[0]) for row in store.query(sparql).rows if row[0] is not None]


def authority_names(store) -> list[str]:
    """Every name (label or alternative label) of an inspected body or local authority
    in ``store``: the values ``--la`` and ``-p la`` match, ignoring case."""
    return _names(store, _AUTHORITY_NAMES)


def agency_names(store) -> list[str]:
    """Every name (label or alternative label) of an agency in ``store``."""
    return _names(store, _AGENCY_NAMES)


def _check_name(value: str, names: list[str], noun: str, listing: str) -> str:
    if not value or value.strip().casefold() in {n.casefold() for n in names}:
        return value
    raise _unknown(noun, value, names, listing)


def check_authority(store, la: str) -> str:
    """``la`` unchanged if it names an authority of ``store`` ("" passes: every
    authority); :class:`UnknownValue` with the nearest names otherwise."""
    if not la:
        return la
    return _check_name(
        la, authority_names(store), "local authority", "query local-authorities lists them"
    )


def check_agency(store, agency: str) -> str:
    """``agency`` unchanged if it names an agency of ``store`` ("" passes)."""
    if not agency:
        return agency
    return _check_name(agency, agency_names(store), "agency", "query agencies lists them")


#: Query parameters whose values are keys, by parameter name.
PARAM_KINDS = {
    "theme": "themes",
    "region": "regions",
    "area": "areas",
    "grade": "grades",
    "polarity": "polarity",
    "agency_type": "agency-types",
    "inspection_type": "inspection-types",
}


def _param_kind(name: str, description: str) -> str | None:
    if name in PARAM_KINDS:
        return PARAM_KINDS[name]
    if name == "type":  # agencies.rq's "agency-type key"; an inspection type elsewhere
        text = description.lower()
        if "agency" in text:
            return "agency-types"
        if "inspection" in text:
            return "inspection-types"
    return None


def check_query_params(store, params, values: dict) -> dict:
    """``values`` of a named query checked before it runs: a key parameter (theme,
    region, area, grade, polarity, agency or inspection type) becomes its key, ``la``
    must name an authority and ``agency`` an agency of ``store``; "" (every one) passes.

    ``params`` are the query's :class:`~inspectgraph.queries.Param`; other values are
    returned unchanged, for the query's own type checks."""
    out = dict(values)
    for p in params:
        value = out.get(p.name)
        if not isinstance(value, str) or not value:
            continue
        kind = _param_kind(p.name, p.description)
        if kind is not None:
            out[p.name] = resolve_key(kind, value)
        elif p.name == "la":
            check_authority(store, value)
        elif p.name == "agency":
            check_agency(store, value)
    return out
