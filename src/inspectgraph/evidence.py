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

# Below this many findings the query names them; above it, reading every quotation once
# costs less than a VALUES block that long.
_NAMED_LIMIT = 500

_QUERY = """
PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?finding ?exact ?start ?end ?cue WHERE {
  %s
  ?finding a ig:Finding .
  OPTIONAL {
    ?finding ig:quotation ?q .
    ?q oa:hasSelector ?text .
    ?text oa:exact ?exact .
    OPTIONAL { ?q oa:hasSelector ?pos . ?pos oa:start ?start ; oa:end ?end }
  }
  OPTIONAL { ?finding ig:cue ?cue . FILTER(STRSTARTS(STR(?cue), "polarity:")) }
}
"""


@dataclass(frozen=True)
class Evidence:
    """A finding's exact words in its report, their offsets (into the NFC-normalised
    text), and the phrase that decided its polarity; ``None`` where the graph has none
    (curated records carry a quote without a cue)."""

    quote: str | None = None
    start: int | None = None
    end: int | None = None
    cue: str | None = None


def _polarity_cue(text: str) -> str:
    """``"polarity:weakness = are needed"`` -> ``"are needed"``."""
    return text.partition(" = ")[2] or text


def finding_evidence(store, findings: Collection[URIRef]) -> dict[URIRef, Evidence]:
    """:class:`Evidence` of each of ``findings`` (IRIs of ``ig:Finding``) in ``store``."""
    wanted = set(findings)
    if not wanted:
        return {}
    values = ""
    if len(wanted) <= _NAMED_LIMIT:
        values = f"VALUES ?finding {{ {' '.join(f.n3() for f in sorted(wanted))} }}"
    out: dict[URIRef, Evidence] = {}
    for finding, exact, start, end, cue in store.query(_QUERY % values).rows:
        if finding not in wanted:
            continue
        old = out.get(finding, Evidence())
        out[finding] = Evidence(
            quote=old.quote
            if old.quote is not None
            else (str(exact) if exact is not None else None),
            start=old.start
            if old.start is not None
            else (int(start) if start is not None else None),
            end=old.end if old.end is not None else (int(end) if end is not None else None),
            cue=old.cue
            if old.cue is not None
            else (_polarity_cue(str(cue)) if cue is not None else None),
        )
    return out
