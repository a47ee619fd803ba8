"""The SHACL shapes compiled to SPARQL, for validating large graphs in Oxigraph.

pySHACL is the reference validator, but it walks an rdflib graph node by node: a national
build (hundreds of thousands of findings, millions of triples) would take many minutes and
gigabytes. This module turns each constraint of ``ontology/shapes.ttl`` into one SPARQL
query that returns the focus nodes violating it, and runs them on a pyoxigraph store -- the
same results, in seconds.

Supported: targets ``sh:targetClass`` (with ``rdfs:subClassOf*``), ``sh:targetObjectsOf``
and ``sh:targetSubjectsOf``; on property shapes with a single-IRI ``sh:path``: ``sh:minCount``,
``sh:maxCount``, ``sh:datatype``, ``sh:class``, ``sh:node``, ``sh:nodeKind``,
``sh:pattern``, ``sh:minLength``, ``sh:minInclusive``, ``sh:maxInclusive``,
``sh:lessThanOrEquals``, ``sh:in``, ``sh:hasValue``, ``sh:or`` (of ``sh:class`` shapes);
on node shapes ``sh:class`` and SPARQL-based constraints (``sh:sparql`` / ``sh:select``).
:func:`compile_shapes` raises :class:`Unsupported` for anything else, so that a caller can
fall back to pySHACL rather than silently skip a constraint. The test suite checks that
both validators find the same violations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import Namespace

from .shacl import Violation

__all__ = ["Check", "Unsupported", "compile_shapes", "run_checks"]

SH = Namespace("http://www.w3.org/ns/shacl#")
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"

_PROPERTY_KEYS = {
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH["class"],
    SH.node,
    SH.nodeKind,
    SH.pattern,
    SH.flags,
    SH.minLength,
    SH.minInclusive,
    SH.maxInclusive,
    SH.lessThanOrEquals,
    SH["in"],
    SH.hasValue,
    SH["or"],
    SH.message,
    SH.name,
    SH.description,
    SH.severity,
}
_NODE_KEYS = {
    RDF.type,
    SH.targetClass,
    SH.targetObjectsOf,
    SH.targetSubjectsOf,
    SH.property,
    SH["class"],
    SH.sparql,
    SH.message,
    SH.declare,
    SH.name,
    SH.description,
    SH.severity,
}


class Unsupported(Exception):
    """A shape uses a SHACL feature this compiler does not handle."""


@dataclass(frozen=True)
class Check:
    """One constraint as a query selecting ``?this`` (focus) and ``?value`` (or unbound)."""

    query: str
    path: str
    message: str


def _n3(term) -> str:
    return term.n3()


_SUBCLASSES: dict[URIRef, list[URIRef]] = {}


def _instance(var: str, cls: URIRef) -> str:
    """``var`` is an instance of ``cls`` or of a subclass the ontology declares (expanded
    when the checks are compiled: a property path per focus node would be slow)."""
    classes = _SUBCLASSES.get(cls) or [cls]
    if len(classes) == 1:
        return f"{var} {TYPE} {_n3(classes[0])} ."
    return "{ " + " UNION ".join(f"{{ {var} {TYPE} {_n3(c)} . }}" for c in classes) + " }"


def _expand_subclasses(ontology: Graph | None) -> None:
    _SUBCLASSES.clear()
    if ontology is None:
        return
    from rdflib.namespace import RDFS

    for cls in set(ontology.objects(None, RDFS.subClassOf)) | set(
        ontology.subjects(RDFS.subClassOf, None)
    ):
        if isinstance(cls, URIRef):
            _SUBCLASSES[cls] = sorted(
                {
                    c
                    for c in ontology.transitive_subjects(RDFS.subClassOf, cls)
                    if isinstance(c, URIRef)
                },
                key=str,
            )


def compile_shapes(shapes: Graph, ontology: Graph | None = None) -> list[Check]:
    """Every constraint of the shapes with a target, as SPARQL checks. ``ontology`` gives
    the subclasses that class targets and ``sh:class`` include (the data's own subclass
    declarations are not consulted: inspectgraph's data declares none)."""
    _expand_subclasses(ontology)
    checks: list[Check] = []
    prefixes = _declared_prefixes(shapes)
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        targets = [f"{{ {_instance('?this', c)} }}" for c in shapes.objects(shape, SH.targetClass)]
        targets += [
            f"{{ ?_t {_n3(p)} ?this . }}" for p in shapes.objects(shape, SH.targetObjectsOf)
        ]
        targets += [
            f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_n3(p)} ?_t }} }}"
            for p in shapes.objects(shape, SH.targetSubjectsOf)
        ]
        if not targets:
            continue  # used only through sh:node
        focus = "{ " + " UNION ".join(targets) + " }"
        checks.extend(_node_checks(shapes, shape, focus, prefixes))
    return checks


def _declared_prefixes(shapes: Graph) -> str:
    lines = []
    for decl in shapes.objects(None, SH.declare):
        prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
        if prefix is not None and ns is not None:
            lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(sorted(set(lines)))


def _message(shapes: Graph, node, default: str) -> str:
    msg = shapes.value(node, SH.message)
    return str(msg) if msg is not None else default


def _node_checks(shapes: Graph, shape, focus: str, prefixes: str) -> list[Check]:
    unknown = set(shapes.predicates(shape)) - _NODE_KEYS
    if unknown:
        raise Unsupported(f"{shape}: {sorted(map(str, unknown))}")
    out = []
    for cls in shapes.objects(shape, SH["class"]):
        out.append(
            Check(
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus} "
                f"FILTER NOT EXISTS {{ {_instance('?this', cls)} }} }}",
                "-",
                _message(shapes, shape, f"not an instance of {cls}"),
            )
        )
    for constraint in shapes.objects(shape, SH.sparql):
        select = shapes.value(constraint, SH.select)
        if select is None:
            raise Unsupported(f"{shape}: sh:sparql without sh:select")
        body = str(select)
        start, end = body.index("{"), body.rindex("}")
        inner = body[start + 1 : end].replace("$this", "?this")
        out.append(
            Check(
                f"{prefixes}\nSELECT DISTINCT ?this ?value WHERE {{ {focus} {inner} }}",
                "-",
                _message(shapes, constraint, "violates a SPARQL constraint"),
            )
        )
    for prop in shapes.objects(shape, SH.property):
        out.extend(_property_checks(shapes, prop, focus))
    return out


def property_path(shapes: Graph, prop) -> URIRef:
    """The single-IRI ``sh:path`` of a property shape both compilers support (this one and
    :mod:`inspectgraph.graph.shaclpy`); :class:`Unsupported` for any other shape."""
    unknown = set(shapes.predicates(prop)) - _PROPERTY_KEYS
    if unknown:
        raise Unsupported(f"property shape: {sorted(map(str, unknown))}")
    path = shapes.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise Unsupported("only single-IRI sh:path is supported")
    return path


def _property_checks(shapes: Graph, prop, focus: str) -> list[Check]:
    path = property_path(shapes, prop)
    p = _n3(path)
    out = []

    def add(where: str, default: str, *, having: str = "") -> None:
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {where} }}"
        if having:
            query = f"SELECT ?this WHERE {{ {focus} {where} }} GROUP BY ?this HAVING ({having})"
        out.append(Check(query, str(path), _message(shapes, prop, default)))

    values = f"?this {p} ?value ."
    if (n := shapes.value(prop, SH.minCount)) is not None and int(n) > 0:
        add(
            f"OPTIONAL {{ ?this {p} ?value }}",
            f"fewer than {int(n)} values",
            having=f"COUNT(DISTINCT ?value) < {int(n)}",
        )
    if (n := shapes.value(prop, SH.maxCount)) is not None:
        add(values, f"more than {int(n)} values", having=f"COUNT(DISTINCT ?value) > {int(n)}")
    if (d := shapes.value(prop, SH.datatype)) is not None:
        add(
            f"{values} FILTER(!isLiteral(?value) || datatype(?value) != {_n3(d)})",
            f"not of datatype {d}",
        )
    for cls in shapes.objects(prop, SH["class"]):
        add(
            f"{values} FILTER NOT EXISTS {{ {_instance('?value', cls)} }}",
            f"value is not an instance of {cls}",
        )
    for node in shapes.objects(prop, SH.node):
        for check in _nested(shapes, node):
            add(f"{values} {check}", _message(shapes, prop, f"value does not conform to {node}"))
    if (kind := shapes.value(prop, SH.nodeKind)) is not None:
        test = {
            SH.IRI: "isIRI(?value)",
            SH.Literal: "isLiteral(?value)",
            SH.BlankNode: "isBlank(?value)",
        }.get(kind)
        if test is None:
            raise Unsupported(f"sh:nodeKind {kind}")
        add(f"{values} FILTER(!{test})", f"value is not a {kind}")
    if (pattern := shapes.value(prop, SH.pattern)) is not None:
        flags = shapes.value(prop, SH.flags)
        args = f"STR(?value), {Literal(str(pattern)).n3()}"
        if flags is not None:
            args += f", {Literal(str(flags)).n3()}"
        add(f"{values} FILTER(isBlank(?value) || !REGEX({args}))", f"does not match {pattern}")
    if (n := shapes.value(prop, SH.minLength)) is not None:
        add(
            f"{values} FILTER(isBlank(?value) || STRLEN(STR(?value)) < {int(n)})",
            f"shorter than {int(n)}",
        )
    if (n := shapes.value(prop, SH.minInclusive)) is not None:
        add(f"{values} FILTER(!COALESCE(?value >= {_n3(n)}, false))", f"less than {n}")
    if (n := shapes.value(prop, SH.maxInclusive)) is not None:
        add(f"{values} FILTER(!COALESCE(?value <= {_n3(n)}, false))", f"more than {n}")
    if (other := shapes.value(prop, SH.lessThanOrEquals)) is not None:
        add(
            f"{values} ?this {_n3(other)} ?other FILTER(!COALESCE(?value <= ?other, false))",
            f"not less than or equal to {other}",
        )
    if (lst := shapes.value(prop, SH["in"])) is not None:
        members = ", ".join(_n3(m) for m in Collection(shapes, lst))
        add(f"{values} FILTER(?value NOT IN ({members}))", "value not in the allowed list")
    for v in shapes.objects(prop, SH.hasValue):
        add(f"FILTER NOT EXISTS {{ ?this {p} {_n3(v)} }}", f"does not have the value {v}")
    if (alternatives := or_classes(shapes, prop)) is not None:
        tests = [f"FILTER NOT EXISTS {{ {_instance('?value', c)} }}" for c in alternatives]
        add(f"{values} {' '.join(tests)}", "value conforms to none of the alternatives")
    return out


def or_classes(shapes: Graph, prop) -> list | None:
    """The classes of property shape ``prop``'s ``sh:or``, or ``None`` if it has none; an
    alternative that is not a lone ``sh:class`` is :class:`Unsupported` (by both engines)."""
    if (lst := shapes.value(prop, SH["or"])) is None:
        return None
    classes = []
    for alt in Collection(shapes, lst):
        found = list(shapes.objects(alt, SH["class"]))
        if len(found) != 1 or set(shapes.predicates(alt)) - {SH["class"]}:
            raise Unsupported("sh:or is supported only over sh:class shapes")
        classes.append(found[0])
    return classes


def _nested(shapes: Graph, node) -> list[str]:
    """Conditions (on ``?value``) under which a value does not conform to node shape
    ``node``: one per constraint, each a FILTER of the enclosing pattern."""
    conditions = []
    for cls in shapes.objects(node, SH["class"]):
        conditions.append(f"FILTER NOT EXISTS {{ {_instance('?value', cls)} }}")
    for prop in shapes.objects(node, SH.property):
        unknown = set(shapes.predicates(prop)) - {
            SH.path,
            SH.hasValue,
            SH.message,
            SH.minCount,
            SH.maxCount,
            SH["class"],
            SH["or"],
        }
        path = shapes.value(prop, SH.path)
        if unknown or not isinstance(path, URIRef):
            raise Unsupported(f"nested shape {node}: {sorted(map(str, unknown))}")
        p = _n3(path)
        for v in shapes.objects(prop, SH.hasValue):
            conditions.append(f"FILTER NOT EXISTS {{ ?value {p} {_n3(v)} }}")
        if (n := shapes.value(prop, SH.minCount)) is not None and int(n) > 0:
            conditions.append(
                f"FILTER NOT EXISTS {{ SELECT ?value WHERE {{ ?value {p} ?_w }} GROUP BY ?value "
                f"HAVING (COUNT(DISTINCT ?_w) >= {int(n)}) }}"
            )
        if (n := shapes.value(prop, SH.maxCount)) is not None:
            conditions.append(
                f"FILTER EXISTS {{ SELECT ?value WHERE {{ ?value {p} ?_w }} GROUP BY ?value "
                f"HAVING (COUNT(DISTINCT ?_w) > {int(n)}) }}"
            )
        for cls in shapes.objects(prop, SH["class"]):
            conditions.append(
                f"FILTER EXISTS {{ ?value {p} ?_w . FILTER NOT EXISTS "
                f"{{ {_instance('?_w', cls)} }} }}"
            )
        if (lst := shapes.value(prop, SH["or"])) is not None:
            classes = []
            for alt in Collection(shapes, lst):
                cs = list(shapes.objects(alt, SH["class"]))
                if len(cs) != 1:
                    raise Unsupported("sh:or is supported only over sh:class shapes")
                classes.append(cs[0])
            none = " ".join(f"FILTER NOT EXISTS {{ {_instance('?_w', c)} }}" for c in classes)
            conditions.append(f"FILTER EXISTS {{ ?value {p} ?_w . {none} }}")
    return conditions


def run_checks(store, checks: Iterable[Check], *, limit: int = 1000) -> list[Violation]:
    """Run the checks on a pyoxigraph store (queries see the union of its graphs);
    at most ``limit`` violations per check."""
    out = set()
    for check in checks:
        result = store.query(f"{check.query} LIMIT {limit}", use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        for solution in result:
            row = dict(zip(names, solution, strict=False))
            focus = row.get("this")
            value = row.get("value")
            out.add(
                Violation(
                    focus=_ox_n3(focus),
                    path=f"<{check.path}>" if check.path != "-" else "-",
                    message=check.message,
                    value=_ox_n3(value) if value is not None else "",
                )
            )
    return sorted(out)


def _ox_n3(term) -> str:
    if term is None:
        return "-"
    return str(term)
