"""Building documents: extracting letters and reports in workers, each checked against the
compiled shapes, and streaming them into the store in one all-or-nothing write
(``build --strict`` also validates them in batches in a staging store)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from ..errors import InputError, ValidationFailed
from ..model.records import Agency
from ..ontology import ID, IG, ontology_graph
from .buildreport import BuildReport
from .bundled import ONTOLOGY_GRAPH, OUTCOMES_GRAPH, REGISTRY_GRAPH
from .closure import closure
from .stores import Store


def _known_inspections(store: Store, graphs: dict[URIRef, Graph], registry) -> dict:
    """Inspections already described, by authority: those of this build's graphs and of
    the store (official outcomes, records), for documents to join."""
    from .documents import KnownInspection

    by_council = {la.council_id: la.key for la in registry.las.values()}
    # inspections that only documents describe are not "known": each document graph
    # describes its own, so that rebuilding a document never loses its inspection
    in_store = (
        "SELECT DISTINCT ?i ?d ?t ?c WHERE { GRAPH ?g { ?i a <https://w3id.org/"
        "inspectgraph/def/Inspection> ; <http://purl.org/dc/terms/date> ?d ; "
        "<https://w3id.org/inspectgraph/def/inspectedBody> ?c } ?i <https://w3id.org/"
        "inspectgraph/def/inspectionType>/<http://www.w3.org/2004/02/skos/core#notation>"
        ' ?t FILTER(!STRSTARTS(STR(?g), "' + str(ID) + 'graph/document/")) }'
    )
    rows = list(store.query(in_store).rows)
    views = [g for name, g in graphs.items() if name != ONTOLOGY_GRAPH] + [ontology_graph()]
    rows += _inspection_rows(views)
    base = str(ID)
    known: dict[str, dict[str, KnownInspection]] = {}
    for i, d, t, c in rows:
        la = by_council.get(str(c)[len(base) + len("agency/") :])
        if la is None or not str(i).startswith(base + "inspection/"):
            continue
        iid = str(i)[len(base) + len("inspection/") :]
        known.setdefault(la, {})[iid] = KnownInspection(
            iid, la, dt.date.fromisoformat(str(d)[:10]), str(t)
        )
    return {la: sorted(v.values(), key=lambda k: k.id) for la, v in known.items()}


def _inspection_rows(views: list[Graph]) -> list[tuple]:
    """The distinct (inspection, date, type notation, inspected body) of the union of
    ``views``, as ``SELECT DISTINCT ?i ?d ?t ?c WHERE { ?i a ig:Inspection ; dcterms:date
    ?d ; ig:inspectionType/skos:notation ?t ; ig:inspectedBody ?c }`` finds them, read
    from each graph in place: copying the build's graphs (registry, outcomes, records,
    ontology) into one to query them took seconds of every build with documents."""

    def objects(s, p) -> list:
        return list(dict.fromkeys(o for g in views for o in g.objects(s, p)))

    inspections = dict.fromkeys(s for g in views for s in g.subjects(RDF.type, IG.Inspection))
    rows = []
    for i in inspections:
        types = [n for kind in objects(i, IG.inspectionType) for n in objects(kind, SKOS.notation)]
        for d in objects(i, DCTERMS.date):
            for t in dict.fromkeys(types):
                for c in objects(i, IG.inspectedBody):
                    rows.append((i, d, t, c))
    return rows


def build_documents(
    store: Store,
    documents,
    graphs: dict[URIRef, Graph],
    unchanged: set,
    keep: list[URIRef],
    report: BuildReport,
    *,
    validate,
    say,
    on_document,
    jobs,
    keep_going=False,
    strict=False,
) -> None:
    """Extract the documents, each checked against the compiled shapes in the worker that
    extracts it (:mod:`inspectgraph.graph.shaclpy`), and stream them with the build's other graphs
    into ``store`` in one all-or-nothing write (:meth:`~inspectgraph.graph.stores.Store.
    load_stream`): no temporary file, nothing parsed twice, the counts from the writer.
    The build's other graphs are validated (``validate``, which raises) while the first
    documents are extracted, so that no core waits for it; nothing is written if it fails."""
    from ..sources.registry import load_registry
    from .documents import DocumentsError, extract_all

    registry = load_registry()
    known = _known_inspections(store, graphs, registry)
    extra = []
    for name, g in graphs.items():  # agencies records define (a CCG that stands for health)
        if name in (REGISTRY_GRAPH, OUTCOMES_GRAPH, ONTOLOGY_GRAPH):
            continue
        for s in g.subjects(RDF.type, ORG.Organization):
            member_of = tuple(str(o).rsplit("/", 1)[1] for o in g.objects(s, ORG.memberOf))
            dissolved = g.value(s, PROV.invalidatedAtTime)
            founded = g.value(s, DCTERMS.created)
            kind = g.value(s, ORG.classification)
            if kind is not None and str(kind).endswith("/health") and member_of:
                extra.append(
                    Agency(
                        id=str(s).rsplit("/", 1)[1],
                        label=str(g.value(s, RDFS.label)),
                        type="health",
                        member_of=member_of,
                        founded=dt.date.fromisoformat(str(founded)[:10]) if founded else None,
                        dissolved=dt.date.fromisoformat(str(dissolved)[:10]) if dissolved else None,
                    )
                )
    say("indexing the graphs documents refer to, for checking each document as it is made")
    context = _document_context(graphs, store if keep else None, keep, known, extra)
    strict_batches = _StrictBatches(graphs, store if keep else None, keep) if strict else None
    problems: list[str] = []
    violations: list = []

    def parts():
        """The build's graphs as N-Quads, the documents' as they are extracted and checked;
        raises (so that nothing is written) once every document has been read, if one
        could not be built or breaks the shapes."""
        for name, g in graphs.items():
            if name not in unchanged:
                yield name, _nquads(g, name, report.sources.get(str(name), ""))
        say(
            f"extracting {len(documents)} document(s), checking each against the shapes "
            f"where it is extracted{' and in batches against the full SHACL gate' if strict else ''}"
            ", and writing them as they come"
        )
        results = extract_all(
            list(documents), known, extra, jobs=jobs, context=context, meanwhile=validate
        )
        for result in results:
            if result.problem:
                problems.append(result.problem)
            elif result.violations:
                violations.extend(result.violations)
            else:
                name = ID[f"graph/document/{result.name}"]
                report.documents += 1
                report.findings += result.findings
                report.new_inspections += int(result.new_inspection)
                report.graphs[str(name)] = result.quads
                failing = violations or (problems and not keep_going)
                if strict_batches is not None:
                    ready = strict_batches.add(name, result, violations)
                elif not failing:  # once the build is bound to fail, nothing more is sent
                    ready = [(name, result.nquads)]
                else:
                    ready = []
                yield from ready
            if on_document:
                on_document(result)
        if strict_batches is not None:
            yield from strict_batches.flush(violations)
        if problems and not keep_going:
            raise DocumentsError(problems)
        if violations:
            lines = [str(v) for v in sorted(set(violations))]
            raise ValidationFailed(
                f"{len(documents)} document(s): {len(lines)} SHACL violation(s); first: {lines[0]}",
                report="\n".join(lines),
            )
        report.skipped.extend(problems)  # with keep_going: the good ones are still built
        say(
            f"written: {report.documents} document graph(s) and "
            f"{len(graphs) - len(unchanged)} other graph(s)"
        )

    store.load_stream(parts())


def _nquads(g: Graph, name: URIRef, source: str = "") -> bytes:
    """An rdflib graph as N-Quads lines in graph ``name``, its IRIs checked (the store
    loads the build's N-Quads without checking them again)."""
    import pyoxigraph as ox

    for iri in {t for triple in g for t in triple if isinstance(t, URIRef)}:
        try:
            ox.NamedNode(str(iri))
        except ValueError:
            raise InputError(f"{source or name}: not a valid IRI: {str(iri)!r}") from None
    suffix = f" <{name}> .\n".encode()
    return b"".join(
        line[:-1].rstrip() + suffix
        for line in g.serialize(format="nt", encoding="utf-8").splitlines()
        if line.strip()
    )


def _document_context(graphs, store, keep, known, extra):
    """What documents refer to, indexed for :mod:`inspectgraph.graph.shaclpy`: every triple of the
    build's graphs (ontology and schemes, registry, outcomes, records), and, from the store's
    graphs the build keeps, those about the known inspections and agencies, transitively."""
    from .shaclpy import index

    context: dict = {}
    for g in graphs.values():
        index(g, context)
    if store is not None:
        nodes = {ID[f"inspection/{k.id}"] for ks in known.values() for k in ks}
        nodes |= {ID[f"agency/{a.id}"] for a in extra}
        index(closure(nodes, [], store, keep), context)
    return context


class _StrictBatches:
    """``build --strict``: documents are also validated in batches of about
    :data:`BATCH_QUADS` quads against the full SHACL gate (the shapes compiled to SPARQL,
    :mod:`inspectgraph.graph.shaclsparql`, run in a staging store with the build's other graphs and
    what they refer to in the store), and sent on once their batch passes."""

    def __init__(self, graphs, store, keep):
        self.base = b"".join(g.serialize(format="nt", encoding="utf-8") for g in graphs.values())
        self.store, self.keep = store, keep
        self.batch: list[tuple[URIRef, bytes]] = []
        self.lines = 0
        self.referenced: set[URIRef] = set()

    def add(self, name: URIRef, result, violations: list) -> list[tuple[URIRef, bytes]]:
        self.batch.append((name, result.nquads))
        self.lines += result.quads
        self.referenced.add(ID[f"inspection/{result.inspection}"])
        self.referenced.update(ID[f"agency/{a}"] for a in result.agencies)
        return self.flush(violations) if self.lines >= BATCH_QUADS else []

    def flush(self, violations: list) -> list[tuple[URIRef, bytes]]:
        import pyoxigraph as ox

        from .shaclsparql import run_checks

        if not self.batch:
            return []
        staging = ox.Store()
        staging.bulk_load(self.base, format=ox.RdfFormat.N_TRIPLES)
        context = closure(self.referenced, [], self.store, self.keep)
        if len(context):
            staging.bulk_load(
                context.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES
            )
        staging.bulk_load(b"".join(d for _, d in self.batch), format=ox.RdfFormat.N_QUADS)
        if len(violations) < 100:
            violations.extend(run_checks(staging, _compiled_checks(), limit=20))
        out = [] if violations else self.batch
        self.batch, self.lines, self.referenced = [], 0, set()
        return out


# documents are validated in batches of about this many quads (memory stays bounded)
BATCH_QUADS = 400_000


@lru_cache(maxsize=1)
def _compiled_checks():
    from ..ontology import shapes_graph
    from .shaclsparql import compile_shapes

    return compile_shapes(shapes_graph(), ontology_graph())
