"""What a finding rests on: its exact quote, where it stands in the report, and the cue
that decided its polarity.

This is the one place that knows how the graph stores them (a Web Annotation quotation:
``ig:quotation`` to an ``oa:SpecificResource`` with an ``oa:TextQuoteSelector`` and an
``oa:TextPositionSelector``; cues as ``ig:cue`` literals ``"polarity:KEY = CUE"``). Every
table that shows a quote reads it through :func:`finding_evidence`, so a change of storage
changes this module alone.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rdflib import URIRef

__all__ = ["Evidence", "finding_evidence"]

# Up to this many findings the queries name them (in VALUES blocks of _CHUNK); above it,
# reading every quotation once costs less. Three plain joins rather than one query with
# OPTIONALs: Oxigraph does not carry VALUES into an OPTIONAL, and the single query took
# minutes for 2,000 findings of the national store where these take seconds.
_ALL_LIMIT = 40_000
_CHUNK = 4_000

_PREFIXES = """
PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
_QUOTES = (
    _PREFIXES
    + """SELECT ?finding ?exact WHERE {
  %s
  ?finding ig:quotation ?q . ?q oa:hasSelector ?text . ?text oa:exact ?exact .
}"""
)
_POSITIONS = (
    _PREFIXES
    + """SELECT ?finding ?start ?end WHERE {
  %s
  ?finding ig:quotation ?q . ?q oa:hasSelector ?pos . ?pos oa:start ?start ; oa:end ?end .
}"""
)
_CUES = (
    _PREFIXES
    + """SELECT ?finding ?cue WHERE {
  %s
  ?finding ig:cue ?cue . FILTER(STRSTARTS(STR(?cue), "polarity:"))
}"""
)


@dataclass(frozen=True)
class Evidence:
    """A finding's exact words in its report, their offsets (into the NFC-normalised
    text), and the phrase that decided its polarity; ``None`` where the graph has none
    (curated records carry a quote without a cue)."""

    quote: str | None = None
    start: int | None = None
    end: int | None = None
    cue: str | None = None


def _values(findings) -> str:
    return f"VALUES ?finding {{ {' '.join(f.n3() for f in findings)} }}"


def _polarity_cue(text: str) -> str:
    """``"polarity:weakness = are needed"`` -> ``"are needed"``."""
    return text.partition(" = ")[2] or text


def finding_evidence(store, findings: Collection[URIRef]) -> dict[URIRef, Evidence]:
    """:class:`Evidence` of each of ``findings`` (IRIs of ``ig:Finding``) in ``store``."""
    wanted = set(findings)
    if not wanted:
        return {}
    if len(wanted) > _ALL_LIMIT:
        blocks = [""]
    else:  # looked up by IRI, a chunk at a time
        ordered = sorted(wanted)
        blocks = [_values(ordered[at : at + _CHUNK]) for at in range(0, len(ordered), _CHUNK)]
    quotes: dict[URIRef, str] = {}
    positions: dict[URIRef, tuple[int, int]] = {}
    cues: dict[URIRef, str] = {}
    for block in blocks:
        for finding, exact in store.query(_QUOTES % block).rows:
            quotes.setdefault(finding, str(exact))
        for finding, start, end in store.query(_POSITIONS % block).rows:
            positions.setdefault(finding, (int(start), int(end)))
        for finding, cue in store.query(_CUES % block).rows:
            cues.setdefault(finding, _polarity_cue(str(cue)))
    return {
        f: Evidence(quotes.get(f), *positions.get(f, (None, None)), cues.get(f))
        for f in wanted
        if f in quotes or f in positions or f in cues
    }
