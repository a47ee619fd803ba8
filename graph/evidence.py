"""What a finding rests on: its exact quote, where it stands in the report, and the cue
that decided its polarity.

This is the one place that knows how the graph stores them (the compact finding: its
quotation folded onto it as ``ig:exact`` and ``ig:start``, the end being the start plus the
length of the exact words; its cues as one ``ig:cues`` literal, a line ``"polarity:KEY =
CUE"`` per label, see :func:`inspectgraph.model.rdfmap.cues_text`). Every
table that shows a quote reads it through :func:`finding_evidence`, so a change of storage
changes this module alone.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rdflib import URIRef

__all__ = ["Evidence", "finding_evidence", "report_sections", "section_at"]

# Up to this many findings the queries name them (in VALUES blocks of _CHUNK); above it,
# reading every quotation once costs less. Three plain joins rather than one query with
# OPTIONALs: Oxigraph does not carry VALUES into an OPTIONAL, and the single query took
# minutes for 2,000 findings of the national store where these take seconds.
_ALL_LIMIT = 40_000
_CHUNK = 4_000

_PREFIXES = """
PREFIX ig: <https://w3id.org/inspectgraph/def/>
"""
_QUOTES = (
    _PREFIXES
    + """SELECT ?finding ?exact WHERE {
  %s
  ?finding ig:exact ?exact .
}"""
)
_POSITIONS = (
    _PREFIXES
    + """SELECT ?finding ?start ?exact WHERE {
  %s
  ?finding ig:start ?start ; ig:exact ?exact .
}"""
)
_STARTS = _PREFIXES + "SELECT ?finding ?start WHERE { ?finding ig:start ?start . }"
_CUES = (
    _PREFIXES
    + """SELECT ?finding ?cue WHERE {
  %s
  ?finding ig:cues ?cue .
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


def _polarity_cue(text: str) -> str | None:
    """The polarity's phrase among a finding's cues, or None.

    >>> _polarity_cue("agency:police = police\\npolarity:weakness = are needed")
    'are needed'
    """
    for line in text.splitlines():
        if line.startswith("polarity:"):
            return line.partition(" = ")[2] or line
    return None


def section_at(sections: str, start: int | None) -> tuple[str, str]:
    """``(key, heading)`` of the section a finding starting at ``start`` stands in, read
    from its report's ``ig:sections`` value (:func:`inspectgraph.model.rdfmap.sections_text`);
    ``("", "")`` where it says nothing.

    >>> runs = "10 overview Overview\\n90 main_findings Main findings"
    >>> section_at(runs, 95), section_at(runs, 10), section_at(runs, 5), section_at("", 5)
    (('main_findings', 'Main findings'), ('overview', 'Overview'), ('', ''), ('', ''))
    """
    found = ("", "")
    if start is None:
        return found
    for line in sections.splitlines():
        at, _, rest = line.partition(" ")
        if not at.isdigit() or int(at) > start:
            break
        key, _, heading = rest.partition(" ")
        found = (key, heading)
    return found


def report_sections(store, reports: Collection[URIRef]) -> dict[URIRef, str]:
    """The ``ig:sections`` value of each of ``reports`` that has one."""
    out: dict[URIRef, str] = {}
    ordered = sorted(set(reports))
    for at in range(0, len(ordered), _CHUNK):
        block = f"VALUES ?report {{ {' '.join(r.n3() for r in ordered[at : at + _CHUNK])} }}"
        query = (
            _PREFIXES
            + f"SELECT ?report ?sections WHERE {{ {block} ?report ig:sections ?sections }}"
        )
        for report, sections in store.query(query).rows:
            out.setdefault(report, str(sections))
    return out


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
        if block:
            for finding, start, exact in store.query(_POSITIONS % block).rows:
                positions.setdefault(finding, (int(start), int(start) + len(str(exact))))
        else:  # every finding: the start alone (a join of the whole store saved), the
            # exact words already read (a compact finding has one)
            for finding, start in store.query(_STARTS).rows:
                if finding in quotes:
                    positions.setdefault(finding, (int(start), int(start) + len(quotes[finding])))
        for finding, cue in store.query(_CUES % block).rows:
            if (phrase := _polarity_cue(str(cue))) is not None:
                cues.setdefault(finding, phrase)
    return {
        f: Evidence(quotes.get(f), *positions.get(f, (None, None)), cues.get(f))
        for f in wanted
        if f in quotes or f in positions or f in cues
    }
