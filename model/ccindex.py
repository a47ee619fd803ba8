"""The co-criticism index: what the partnership analysis needs of a source's findings, written
with them at build time.

One node (``ig:CoCriticismIndex``) per source, inspection and polarity, in the source's own
named graph (replaced and deleted with it, so writes stay all-or-nothing):

- ``ig:indexedInspection`` and ``ig:indexedPolarity``: whose findings it counts;
- ``ig:findingCount``: how many findings of the polarity, with or without agencies (the
  denominator of rates per 100 findings);
- ``ig:singleAgencyFindings``: the findings naming exactly one agency, counted by agency
  (``"agency-IRI count ..."``): with the multi-agency findings, each agency's mentions per
  inspection, which the share-out model of :mod:`inspectgraph.analysis.cocriticism` needs;
- ``ig:multiAgencyFindings``: one line per finding naming several agencies,
  ``"finding-IRI agency-IRI agency-IRI ... | theme-key ..."``: the pairs, their themes and
  their example findings.

Six triples per node, a few nodes per document: about half a percent of a national store. An
analysis reads these few rows per document instead of every finding's agencies and themes
(:func:`inspectgraph.analysis.partnerships.partnership_graph_from_store`); it checks that the
index covers every finding of the polarities asked for and reads the findings themselves
when it does not (an older store, RDF loaded elsewhere).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import RDF, XSD, Literal, URIRef

from ..ontology import ID, IG, concept

__all__ = [
    "IndexedFinding",
    "IndexEntry",
    "decode_multi",
    "decode_singles",
    "index_entries",
    "index_triples",
]


@dataclass(frozen=True)
class IndexedFinding:
    """The facts of one finding the index keeps (IRIs as strings, keys as written)."""

    iri: str
    inspection: str
    polarity: str  # polarity key, e.g. "weakness"
    agencies: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


@dataclass
class IndexEntry:
    """The findings of one polarity a source states about one inspection."""

    inspection: str
    polarity: str
    count: int = 0
    singles: Counter = field(default_factory=Counter)  # agency IRI -> findings naming it alone
    multi: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)


def index_entries(findings: Iterable[IndexedFinding]) -> list[IndexEntry]:
    """Group findings by (inspection, polarity), in that order.

    >>> entries = index_entries([
    ...     IndexedFinding("f1", "i", "weakness", ("a", "b"), ("front_door",)),
    ...     IndexedFinding("f2", "i", "weakness", ("a",)),
    ...     IndexedFinding("f3", "i", "weakness"),
    ... ])
    >>> [(e.polarity, e.count, dict(e.singles), e.multi) for e in entries]
    [('weakness', 3, {'a': 1}, [('f1', ('a', 'b'), ('front_door',))])]
    """
    entries: dict[tuple[str, str], IndexEntry] = {}
    for f in findings:
        entry = entries.setdefault((f.inspection, f.polarity), IndexEntry(f.inspection, f.polarity))
        entry.count += 1
        agencies = tuple(sorted(set(f.agencies)))
        if len(agencies) == 1:
            entry.singles[agencies[0]] += 1
        elif agencies:
            entry.multi.append((f.iri, agencies, tuple(sorted(set(f.themes)))))
    for entry in entries.values():
        entry.multi.sort()
    return [entries[k] for k in sorted(entries)]


def _encode_singles(singles: Counter) -> str:
    return " ".join(f"{a} {n}" for a, n in sorted(singles.items()))


def _encode_multi(multi) -> str:
    return "\n".join(
        f"{f} {' '.join(agencies)} | {' '.join(themes)}".rstrip() for f, agencies, themes in multi
    )


def decode_singles(text: str) -> dict[str, int]:
    """``ig:singleAgencyFindings`` read back.

    >>> decode_singles("http://e/a 2 http://e/b 1")
    {'http://e/a': 2, 'http://e/b': 1}
    """
    words = str(text).split()
    return {words[i]: int(words[i + 1]) for i in range(0, len(words) - 1, 2)}


def decode_multi(text: str) -> Iterator[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """``ig:multiAgencyFindings`` read back: (finding, agencies, themes) per line.

    >>> list(decode_multi("http://e/f http://e/a http://e/b | front_door\\nhttp://e/g http://e/a http://e/c |"))
    [('http://e/f', ('http://e/a', 'http://e/b'), ('front_door',)), ('http://e/g', ('http://e/a', 'http://e/c'), ())]
    """
    for line in str(text).splitlines():
        head, _, themes = line.partition("|")
        finding, *agencies = head.split()
        yield finding, tuple(agencies), tuple(themes.split())


def _node(scope: str, inspection: str, polarity: str) -> URIRef:
    base = str(ID) + "inspection/"
    local = (
        inspection[len(base) :] if inspection.startswith(base) else inspection.rsplit("/", 1)[-1]
    )
    return ID[f"cocriticism/{scope}/{local}/{polarity}"]


def index_triples(scope: str, findings: Iterable[IndexedFinding]) -> Iterator[tuple]:
    """The index's triples (rdflib terms) for the findings of one source; ``scope`` names the
    source (``document/<name>``, ``records/<name>``) and makes its nodes its own."""
    for entry in index_entries(findings):
        s = _node(scope, entry.inspection, entry.polarity)
        yield s, RDF.type, IG.CoCriticismIndex
        yield s, IG.indexedInspection, URIRef(entry.inspection)
        yield s, IG.indexedPolarity, concept("polarity", entry.polarity)
        yield s, IG.findingCount, Literal(entry.count, datatype=XSD.integer)
        yield s, IG.singleAgencyFindings, Literal(_encode_singles(entry.singles))
        yield s, IG.multiAgencyFindings, Literal(_encode_multi(entry.multi))
