"""The partnership analysis's input read from a store: the co-criticism index when it covers
every finding asked for, else the findings themselves.

Both paths give the same findings (:func:`inspectgraph.analysis.partnerships.graph_from_findings`
makes the same graph of either; a test on the national store checks it):

- **index** (:mod:`inspectgraph.model.ccindex`, written with each document): three small queries --
  the inspections in scope with their authorities, the index rows of the polarities asked for
  (a few per document), the agencies' labels and types -- and one for the summaries of the
  pairs' example findings. Used when the index rows count exactly as many findings of those
  polarities as the store holds (one more count) (so an older store, or RDF loaded elsewhere, is never half
  read);
- **full**: the named queries ``finding-agencies`` (one row per finding, agency and theme) and
  ``criticised-findings`` (the denominator of the rates).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import Literal, URIRef

from .scope import Scope

__all__ = ["findings_from_rows", "read_findings", "resolve_polarities"]

_PREFIXES = """PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# the inspections in scope, with their authorities (one row each; read once)
_SCOPE = (
    """# param: la string = ""
# param: region string = ""
# param: since date = 0001-01-01
# param: until date = 9999-12-31
"""
    + _PREFIXES
    + """SELECT ?inspection ?date ?council ?laLabel WHERE {
  ?council ig:nameKey ?folded_la .  # if la
  ?regionConcept ig:nameKey ?folded_region .  # if region
  ?council dcterms:coverage ?regionConcept .  # if region
  ?inspection ig:inspectedBody ?council ;  # if la|region|@rdflib
              dcterms:date ?date .  # if la|region|@rdflib
  # every authority on Oxigraph: two scans joined by hashing (a subquery is a barrier the
  # engine does not look into), a fourth of the cost of a lookup per inspection; rdflib
  # joins subqueries pairwise, so it looks up (see inspectgraph.queries)
  { SELECT ?inspection ?council WHERE { ?inspection ig:inspectedBody ?council } }  # unless la|region|@rdflib
  { SELECT ?inspection ?date WHERE { ?inspection dcterms:date ?date } }  # unless la|region|@rdflib
  FILTER(?date >= ?since && ?date <= ?until)
  OPTIONAL { ?council rdfs:label ?laLabel }
}"""
)

_INDEX = (
    _PREFIXES
    + """SELECT ?inspection ?count ?singles ?multi WHERE {
  # on Oxigraph each property of the index by one scan, the scans joined by hashing: a fourth
  # of the cost of a lookup per row; rdflib joins subqueries pairwise, so it looks up
  ?index ig:indexedPolarity ?polarityConcept ;  # if @rdflib
         ig:indexedInspection ?inspection ;  # if @rdflib
         ig:findingCount ?count ;  # if @rdflib
         ig:singleAgencyFindings ?singles ;  # if @rdflib
         ig:multiAgencyFindings ?multi .  # if @rdflib
  { SELECT ?index ?polarityConcept WHERE { ?index ig:indexedPolarity ?polarityConcept } }  # unless @rdflib
  { SELECT ?index ?inspection WHERE { ?index ig:indexedInspection ?inspection } }  # unless @rdflib
  { SELECT ?index ?count WHERE { ?index ig:findingCount ?count } }  # unless @rdflib
  { SELECT ?index ?singles WHERE { ?index ig:singleAgencyFindings ?singles } }  # unless @rdflib
  { SELECT ?index ?multi WHERE { ?index ig:multiAgencyFindings ?multi } }  # unless @rdflib
}"""
)

# the findings of the polarities the store holds: the index must count as many
_STORED = _PREFIXES + """SELECT (COUNT(*) AS ?n) WHERE { ?finding ig:polarity ?polarityConcept }"""

_AGENCIES = (
    _PREFIXES
    + """SELECT ?agency ?agencyLabel ?typeKey WHERE {
  ?agency org:classification ?type .  # if @rdflib
  ?type skos:notation ?typeKey .  # if @rdflib
  ?agency rdfs:label ?agencyLabel .  # if @rdflib
  # three scans joined by hashing on Oxigraph (see _INDEX)
  { SELECT ?agency ?type WHERE { ?agency org:classification ?type } }  # unless @rdflib
  { SELECT ?type ?typeKey WHERE { ?type skos:notation ?typeKey } }  # unless @rdflib
  { SELECT ?agency ?agencyLabel WHERE { ?agency rdfs:label ?agencyLabel } }  # unless @rdflib
}"""
)

_SUMMARIES = (
    _PREFIXES + """SELECT ?finding ?summary WHERE { ?finding dcterms:description ?summary }"""
)


def resolve_polarities(polarity: str) -> list[URIRef] | None:
    """The polarity concepts of ``polarity`` (keys joined by commas); None for every finding
    (``""``). Unknown keys name no concept.

    >>> [str(c).rsplit("/", 1)[1] for c in resolve_polarities("weakness, mixed")]
    ['weakness', 'mixed']
    >>> resolve_polarities(""), resolve_polarities("weak")
    (None, [])
    """
    from inspectgraph.model.concepts import concept_keys

    keys = [k.strip() for k in polarity.split(",") if k.strip()]
    if not keys:
        return None
    known = concept_keys("polarity")
    return [known[k] for k in keys if k in known]


def _with_polarities(text: str, concepts: list[URIRef] | None) -> str:
    from inspectgraph.graph.sparql import inject_one_of
    from inspectgraph.model.concepts import concept_keys

    if concepts is None:  # every finding: every polarity of the scheme
        concepts = list(concept_keys("polarity").values())
    return inject_one_of(text, "polarityConcept", concepts)


def _count(store, text: str) -> int:
    rows = store.query(text).rows
    value = rows[0][0] if rows else None
    return int(value.toPython()) if value is not None else 0


def read_findings(
    store,
    *,
    polarity: str,
    scope: Scope | None = None,
    use_index: bool | None = None,
):
    """The findings of the analysis: ``(by_finding, labels, criticised, summaries, path)`` for
    :func:`~inspectgraph.analysis.partnerships.graph_from_findings`, of the inspections in
    ``scope`` (default: every one); ``path`` is ``"index"`` or ``"full"``. ``use_index``: None
    to use the index when it covers the findings, False for the full path, True to require the
    index (an error when it does not cover them)."""
    concepts = resolve_polarities(polarity)
    scope = (scope or Scope()).parameters()
    if concepts == []:  # only unknown polarity keys: no finding has them
        return {}, {}, 0, None, "full"
    if use_index is not False:
        rows = store.query(_with_polarities(_INDEX, concepts)).rows
        indexed = sum(int(row[1].toPython()) for row in rows)
        if indexed and indexed == _count(store, _with_polarities(_STORED, concepts)):
            return (*_from_index(store, rows, scope), "index")
    if use_index:
        raise ValueError("the store's co-criticism index does not cover its findings")
    return (*_from_findings(store, concepts, scope), None, "full")


def _from_findings(store, concepts, scope):
    from inspectgraph import queries
    from inspectgraph.graph.sparql import for_engine
    from inspectgraph.model.concepts import concept_keys

    q, counted = queries.get("finding-agencies"), queries.get("criticised-findings")
    if concepts is None or not (scope.get("la") or scope.get("region")):
        # every authority: one query, the polarities' concepts as a VALUES block (the
        # engine's shape chosen first: the block may go into a line of the other engine's)
        params = {**scope, "polarity": ""}
        traits = getattr(store, "traits", frozenset())
        (text, bindings), (count_text, count_bindings) = q.prepare(params), counted.prepare(params)
        text, count_text = for_engine(text, traits), for_engine(count_text, traits)
        if concepts is not None:
            text = _with_polarities(text, concepts)
            count_text = _with_polarities(count_text, concepts)
        asked = [(text, bindings, count_text, count_bindings)]
    else:
        # an authority or region: each polarity by the queries' own parameter, the rows put
        # together (a finding has one polarity); a VALUES of concepts placed first would lead
        # the engine to start from every finding of those polarities, not the authority's few
        key_of = {iri: key for key, iri in concept_keys("polarity").items()}
        asked = [
            (*q.prepare(params), *counted.prepare(params))
            for params in ({**scope, "polarity": key_of[c]} for c in concepts)
        ]
    rows, criticised = [], 0
    for text, bindings, count_text, count_bindings in asked:
        result = store.query(text, bindings)
        rows += [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in result.dicts()]
        counts = store.query(count_text, count_bindings).dicts()
        criticised += sum(int(row["findings"].toPython()) for row in counts)
    if len(asked) > 1:  # the query's own order over them all (a finding's first row counts)
        rows.sort(key=lambda r: (r["finding"], r["agency"], r["themeKey"]))
    return (*findings_from_rows(rows), criticised)


def _from_index(store, index_rows, scope):
    from inspectgraph.model.ccindex import decode_multi, decode_singles
    from inspectgraph.queries import parse_query

    text, bindings = parse_query(_SCOPE, "scope").prepare(scope)
    inspections: dict[str, tuple[str, str, str]] = {}
    for inspection, date, council, label in store.query(text, bindings).rows:
        # the earliest date and the first authority, should an inspection have several
        key = str(inspection)
        row = (str(date), str(council), "" if label is None else str(label))
        if key not in inspections or row < inspections[key]:
            inspections[key] = row
    labels: dict[str, tuple[str, str]] = {}
    for agency, label, type_key in store.query(_AGENCIES).rows:
        labels[str(agency)] = (str(label), str(type_key))
    by_finding: dict[str, dict] = {}
    criticised = 0
    for inspection, count, singles, multi in index_rows:
        inspection = str(inspection)
        if inspection not in inspections:
            continue
        criticised += int(count.toPython())
        date, council, la_label = inspections[inspection]
        if not la_label:  # the incidence rows need the authority's label
            continue

        facts = {"inspection": inspection, "date": date, "council": la_label, "la": council}

        for agency, n in decode_singles(singles).items():
            if agency in labels:  # an agency without label or type names nothing
                for _ in range(n):  # not findings of pairs: any key unique to each
                    by_finding[f"{inspection}#single/{len(by_finding)}"] = _entry(facts, [agency])
        for finding, agencies, themes in decode_multi(multi):
            named = [a for a in agencies if a in labels]
            if named:
                by_finding[finding] = _entry(facts, named, themes)
    named = {a for entry in by_finding.values() for a in entry["agencies"]}
    labels = {a: labels[a] for a in sorted(named)}  # the agencies the findings name, only
    return by_finding, labels, criticised, lambda findings: _summaries(store, findings)


def _entry(facts: dict, agencies: Iterable[str], themes=()) -> dict:
    """One finding as graph_from_findings takes it (summaries are read for examples only)."""
    return {**facts, "agencies": set(agencies), "themes": set(themes), "summary": None}


def _summaries(store, findings: list[str]) -> dict[str, str]:
    """The summaries of ``findings`` (the first, should one have several)."""
    from inspectgraph.graph.sparql import inject_one_of

    out: dict[str, str] = {}
    for i in range(0, len(findings), 500):
        chunk = [URIRef(f) for f in findings[i : i + 500]]
        for finding, summary in store.query(inject_one_of(_SUMMARIES, "finding", chunk)).rows:
            out.setdefault(str(finding), str(summary if isinstance(summary, Literal) else ""))
    return out


def findings_from_rows(
    rows: Iterable[Mapping[str, object]],
) -> tuple[dict[str, dict], dict[str, tuple[str, str]]]:
    """The finding-agency rows of ``finding-agencies`` grouped by finding, and each agency's
    (label, type key): the input of :func:`.partnerships.graph_from_findings`."""
    by_finding: dict[str, dict] = {}
    labels: dict[str, tuple[str, str]] = {}
    for row in rows:
        f, a = str(row["finding"]), str(row["agency"])
        labels[a] = (str(row["agencyLabel"]), str(row.get("typeKey") or "other"))
        entry = by_finding.setdefault(
            f,
            {
                "agencies": set(),
                "inspection": str(row["inspection"]),
                "date": str(row["date"]),
                "summary": str(row.get("summary") or ""),
                "themes": set(),
                "council": str(row.get("laLabel") or ""),
                "la": str(row.get("council") or row.get("laLabel") or ""),
            },
        )
        entry["agencies"].add(a)
        if row.get("themeKey"):
            entry["themes"].add(str(row["themeKey"]))
    return by_finding, labels
