"""The SHACL shapes compiled to Python, for checking one document's triples where they are made.

A national build extracts hundreds of documents in worker processes. Validating their
graphs afterwards in a staging store (:mod:`inspectgraph.graph.shaclsparql`) costs a few seconds
and hundreds of megabytes per batch; checking each document in its worker, as plain Python
over its own few thousand triples, costs milliseconds and no store. :func:`compile_checks`
turns ``ontology/shapes.ttl`` into :class:`DocumentChecks`, which validate the focus nodes
of one document (its subjects, and the objects of a ``sh:targetObjectsOf`` property),
reading their values from the document and from a *context* -- the triples of the graphs the
document refers to (ontology and schemes, registry, outcomes, records): the same union a
SPARQL check of the document beside those graphs sees.

Terms are plain Python: an IRI is a ``str``, a literal a :class:`Lit` (lexical form,
datatype IRI). The constraints are those :mod:`inspectgraph.graph.shaclsparql` supports, with the
same meaning (the tests check both find the same violations); a node shape with a SPARQL
constraint cannot be compiled, so a focus node of such a shape is reported as a violation
("needs the full SHACL gate") rather than passed unchecked. The full gate stays for every
other graph, for the tests and behind ``build --strict``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Identifier

from .shacl import Violation
from .shaclsparql import _NODE_KEYS, SH, Unsupported, or_classes, property_path

__all__ = ["DocumentChecks", "Lit", "compile_checks", "document_checks", "index", "term"]

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TYPE = str(RDF.type)
_NUMERIC = {
    XSD + t
    for t in (
        "integer decimal double float long int short byte nonNegativeInteger "
        "positiveInteger nonPositiveInteger negativeInteger unsignedLong unsignedInt "
        "unsignedShort unsignedByte"
    ).split()
}


class Lit(NamedTuple):
    """A literal: its lexical form and datatype IRI (``rdf:langString`` when tagged)."""

    value: str
    datatype: str = XSD_STRING


Term = str | Lit
#: subject -> predicate -> objects
Index = dict[str, dict[str, list[Term]]]


def term(node) -> Term:
    """An rdflib term as a plain one."""
    if isinstance(node, Literal):
        if node.language:
            return Lit(str(node), RDF_LANG_STRING)
        return Lit(str(node), str(node.datatype) if node.datatype else XSD_STRING)
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def index(triples: Iterable[tuple], into: Index | None = None) -> Index:
    """Triples (plain or rdflib terms) indexed by subject and predicate."""
    out: Index = into if into is not None else {}
    for s, p, o in triples:
        # a plain subject (a document's triples) skips the costlier test of rdflib's class
        if type(s) is not str and isinstance(s, Identifier):
            s, p, o = term(s), term(p), term(o)
        out.setdefault(s, {}).setdefault(p, []).append(o)
    return out


def _n3(t: Term) -> str:
    if isinstance(t, Lit):
        return Literal(t.value, datatype=URIRef(t.datatype)).n3()
    return URIRef(t).n3()


def _order(a: Term, b: Term):
    """``a`` compared with ``b`` as SPARQL's ``<=`` compares them: -1, 0, 1, or None when
    they are not comparable (an IRI, numbers against strings, two kinds of date)."""
    if not (isinstance(a, Lit) and isinstance(b, Lit)):
        return None
    if a.datatype in _NUMERIC and b.datatype in _NUMERIC:
        try:
            x, y = Decimal(a.value), Decimal(b.value)
        except InvalidOperation:
            return None
    elif a.datatype == b.datatype:
        x, y = a.value, b.value  # strings; xsd:date and xsd:dateTime in their ISO forms
    else:
        return None
    return (x > y) - (x < y)


# A check takes (focus, values) -> [(path, message, value or None)]; ``values(node, p)``
# gives the node's objects for p in the document and its context.
Values = Callable[[str, str], list]
Check = Callable[[str, Values, Callable[[Term, str], bool]], list]


@dataclass
class DocumentChecks:
    """The shapes, compiled: checks per target (see the module)."""

    by_class: dict[str, list] = field(default_factory=dict)  # class IRI -> shape checks
    by_subjects_of: dict[str, list] = field(default_factory=dict)
    by_objects_of: dict[str, list] = field(default_factory=dict)
    subclasses: dict[str, frozenset[str]] = field(default_factory=dict)

    def instance_of(self, types: Iterable[Term], cls: str) -> bool:
        allowed = self.subclasses.get(cls) or frozenset((cls,))
        return any(t in allowed for t in types)

    def check(self, document: Index, context: Mapping[str, Mapping[str, list]]) -> list[Violation]:
        """The violations of ``document``'s focus nodes, their values read from the
        document and ``context`` (both :func:`index` es)."""
        empty: dict = {}

        def values(node, p) -> list:
            here = document.get(node, empty).get(p)
            there = context.get(node, empty).get(p)
            if there is None:
                return here or []
            return there if here is None else here + there

        def is_a(node: Term, cls: str) -> bool:
            return isinstance(node, str) and self.instance_of(values(node, TYPE), cls)

        todo: dict[int, tuple[list, set]] = {}

        def add(shapes: list, node: Term) -> None:
            for shape in shapes:
                todo.setdefault(id(shape), (shape, set()))[1].add(node)

        for s, props in document.items():
            for t in set(values(s, TYPE)):
                if isinstance(t, str) and t in self.by_class:
                    add(self.by_class[t], s)
            for p, objects in props.items():
                if p in self.by_subjects_of:
                    add(self.by_subjects_of[p], s)
                if p in self.by_objects_of:
                    for o in objects:
                        add(self.by_objects_of[p], o)
        out = set()
        for shape, nodes in todo.values():
            for node in nodes:
                for check in shape:
                    for path, message, value in check(node, values, is_a):
                        out.add(
                            Violation(
                                focus=_n3(node),
                                path=f"<{path}>" if path != "-" else "-",
                                message=message,
                                value=_n3(value) if value is not None else "",
                            )
                        )
        return sorted(out)


@lru_cache(maxsize=1)
def document_checks() -> DocumentChecks:
    """The project's shapes (``ontology/shapes.ttl``), compiled once per process."""
    from ..ontology import ontology_graph, shapes_graph

    return compile_checks(shapes_graph(), ontology_graph())


def compile_checks(shapes: Graph, ontology: Graph | None = None) -> DocumentChecks:
    """Every node shape with a target, compiled (:class:`Unsupported` for a constraint
    :mod:`inspectgraph.graph.shaclsparql` would not compile either)."""
    out = DocumentChecks()
    if ontology is not None:
        for cls in set(ontology.objects(None, RDFS.subClassOf)) | set(
            ontology.subjects(RDFS.subClassOf, None)
        ):
            if isinstance(cls, URIRef):
                out.subclasses[str(cls)] = frozenset(
                    str(c)
                    for c in ontology.transitive_subjects(RDFS.subClassOf, cls)
                    if isinstance(c, URIRef)
                )
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        targets = (
            [("class", c) for c in shapes.objects(shape, SH.targetClass)]
            + [("objects", p) for p in shapes.objects(shape, SH.targetObjectsOf)]
            + [("subjects", p) for p in shapes.objects(shape, SH.targetSubjectsOf)]
        )
        if not targets:
            continue  # used only through sh:node
        checks = _node_checks(shapes, shape, out)
        for kind, target in targets:
            if kind == "class":
                for cls in out.subclasses.get(str(target)) or (str(target),):
                    out.by_class.setdefault(cls, []).append(checks)
            elif kind == "objects":
                out.by_objects_of.setdefault(str(target), []).append(checks)
            else:
                out.by_subjects_of.setdefault(str(target), []).append(checks)
    # a node of two subclasses of a target is one focus node: dedupe the shapes per class
    for table in (out.by_class, out.by_subjects_of, out.by_objects_of):
        for key, shape_list in table.items():
            table[key] = list({id(s): s for s in shape_list}.values())
    return out


def _message(shapes: Graph, node, default: str) -> str:
    msg = shapes.value(node, SH.message)
    return str(msg) if msg is not None else default


def _node_checks(shapes: Graph, shape, compiled: DocumentChecks) -> list[Check]:
    unknown = set(shapes.predicates(shape)) - _NODE_KEYS
    if unknown:
        raise Unsupported(f"{shape}: {sorted(map(str, unknown))}")
    checks: list[Check] = []
    for cls in shapes.objects(shape, SH["class"]):
        c, message = str(cls), _message(shapes, shape, f"not an instance of {cls}")
        checks.append(
            lambda f, values, is_a, c=c, m=message: [] if is_a(f, c) else [("-", m, None)]
        )
    if (shape, SH.sparql, None) in shapes:
        message = "a SPARQL constraint: needs the full SHACL gate (build --strict)"
        checks.append(lambda f, values, is_a: [("-", message, None)])
    for prop in shapes.objects(shape, SH.property):
        checks.extend(_property_checks(shapes, prop))
    return checks


def _bound_test(bound: Term, allowed: tuple) -> Callable:
    return lambda v, f, values, is_a: _order(v, bound) not in allowed


def _property_checks(shapes: Graph, prop) -> list[Check]:
    p = str(property_path(shapes, prop))

    def msg(default: str) -> str:
        return _message(shapes, prop, default)

    # one check per property, which reads the focus node's values once: its counts (limit,
    # message, too few?), the values it must have, and the tests of each value
    counts: list[tuple[int, str, bool]] = []
    wants: list[tuple[Term, str]] = []
    tests: list[tuple[str, Callable]] = []  # (message, (value, focus, values, is_a) -> bad)
    if (n := shapes.value(prop, SH.minCount)) is not None and int(n) > 0:
        counts.append((int(n), msg(f"fewer than {int(n)} values"), True))
    if (n := shapes.value(prop, SH.maxCount)) is not None:
        counts.append((int(n), msg(f"more than {int(n)} values"), False))
    if (d := shapes.value(prop, SH.datatype)) is not None:
        dt = str(d)
        tests.append(
            (
                msg(f"not of datatype {d}"),
                lambda v, f, values, is_a: not (isinstance(v, Lit) and v.datatype == dt),
            )
        )
    for cls in shapes.objects(prop, SH["class"]):
        tests.append(
            (
                msg(f"value is not an instance of {cls}"),
                lambda v, f, values, is_a, c=str(cls): not is_a(v, c),
            )
        )
    for node in shapes.objects(prop, SH.node):
        nested = _nested(shapes, node)
        tests.append(
            (
                msg(f"value does not conform to {node}"),
                lambda v, f, values, is_a, t=nested: any(x(v, values, is_a) for x in t),
            )
        )
    if (kind := shapes.value(prop, SH.nodeKind)) is not None:
        test = {
            SH.IRI: lambda v: isinstance(v, str) and not v.startswith("_:"),
            SH.Literal: lambda v: isinstance(v, Lit),
            SH.BlankNode: lambda v: isinstance(v, str) and v.startswith("_:"),
        }.get(kind)
        if test is None:
            raise Unsupported(f"sh:nodeKind {kind}")
        tests.append((msg(f"value is not a {kind}"), lambda v, f, values, is_a: not test(v)))
    if (pattern := shapes.value(prop, SH.pattern)) is not None:
        flags = str(shapes.value(prop, SH.flags) or "")
        regex = re.compile(
            str(pattern),
            (re.I if "i" in flags else 0)
            | (re.S if "s" in flags else 0)
            | (re.M if "m" in flags else 0),
        )
        tests.append(
            (
                msg(f"does not match {pattern}"),
                lambda v, f, values, is_a: _blank(v) or not regex.search(_str(v)),
            )
        )
    if (n := shapes.value(prop, SH.minLength)) is not None:
        shortest = int(n)
        tests.append(
            (
                msg(f"shorter than {shortest}"),
                lambda v, f, values, is_a: _blank(v) or len(_str(v)) < shortest,
            )
        )
    if (n := shapes.value(prop, SH.minInclusive)) is not None:
        tests.append((msg(f"less than {n}"), _bound_test(term(n), (0, 1))))
    if (n := shapes.value(prop, SH.maxInclusive)) is not None:
        tests.append((msg(f"more than {n}"), _bound_test(term(n), (-1, 0))))
    if (other := shapes.value(prop, SH.lessThanOrEquals)) is not None:
        o = str(other)
        tests.append(
            (
                msg(f"not less than or equal to {other}"),
                lambda v, f, values, is_a: any(_order(v, w) not in (-1, 0) for w in values(f, o)),
            )
        )
    if (lst := shapes.value(prop, SH["in"])) is not None:
        members = frozenset(term(m) for m in Collection(shapes, lst))
        tests.append(
            (msg("value not in the allowed list"), lambda v, f, values, is_a: v not in members)
        )
    for v in shapes.objects(prop, SH.hasValue):
        wants.append((term(v), msg(f"does not have the value {v}")))
    if (alternatives := or_classes(shapes, prop)) is not None:
        classes = [str(c) for c in alternatives]
        tests.append(
            (
                msg("value conforms to none of the alternatives"),
                lambda v, f, values, is_a: not any(is_a(v, c) for c in classes),
            )
        )
    if not (counts or wants or tests):
        return []

    def check(f, values, is_a):
        found = []
        objects = values(f, p)
        distinct = set(objects) if counts or tests else ()
        if counts:
            n = len(distinct)
            for limit, message, too_few in counts:
                if n < limit if too_few else n > limit:
                    found.append((p, message, None))
        for want, message in wants:
            if want not in objects:
                found.append((p, message, None))
        if tests:
            for v in distinct:
                for message, bad in tests:
                    if bad(v, f, values, is_a):
                        found.append((p, message, v))
        return found

    return [check]


def _nested(shapes: Graph, node) -> list[Callable]:
    """Tests (value, values, is_a) -> True when a value does not conform to ``node``."""
    tests: list[Callable] = []
    for cls in shapes.objects(node, SH["class"]):
        tests.append(lambda v, values, is_a, c=str(cls): not is_a(v, c))
    for prop in shapes.objects(node, SH.property):
        path = shapes.value(prop, SH.path)
        if not isinstance(path, URIRef):
            raise Unsupported(f"nested shape {node}: a path that is not an IRI")
        p = str(path)
        for want in shapes.objects(prop, SH.hasValue):
            w = term(want)
            tests.append(lambda v, values, is_a, w=w, p=p: w not in _objects(v, p, values))
        if (n := shapes.value(prop, SH.minCount)) is not None and int(n) > 0:
            k = int(n)
            tests.append(lambda v, values, is_a, k=k, p=p: len(set(_objects(v, p, values))) < k)
        if (n := shapes.value(prop, SH.maxCount)) is not None:
            k = int(n)
            tests.append(lambda v, values, is_a, k=k, p=p: len(set(_objects(v, p, values))) > k)
        for cls in shapes.objects(prop, SH["class"]):
            c = str(cls)
            tests.append(
                lambda v, values, is_a, c=c, p=p: any(
                    not is_a(w, c) for w in _objects(v, p, values)
                )
            )
        if (lst := shapes.value(prop, SH["or"])) is not None:
            classes = [
                str(next(shapes.objects(alt, SH["class"]))) for alt in Collection(shapes, lst)
            ]
            tests.append(
                lambda v, values, is_a, cs=classes, p=p: any(
                    not any(is_a(w, c) for c in cs) for w in _objects(v, p, values)
                )
            )
    return tests


def _objects(v: Term, p: str, values) -> list:
    return values(v, p) if isinstance(v, str) else []


def _blank(v: Term) -> bool:
    return isinstance(v, str) and v.startswith("_:")


def _str(v: Term) -> str:
    return v.value if isinstance(v, Lit) else v
