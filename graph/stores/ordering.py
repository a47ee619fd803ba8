"""A query's final ``ORDER BY`` applied in Python, after Oxigraph has answered.

Oxigraph compares terms by their text, and keeps the text of an IRI or a string longer than a
few bytes in a separate table: every comparison of a sort reads it again (0.5 s of 1 s for the
549 rows of one authority's findings, seconds for the national ones). Each row's terms are
read once anyway to hand them over, so sorting them here costs a fraction of that.

Only the simplest final clause is moved: ``ORDER BY`` over variables, each bare or in
``ASC()``/``DESC()``, with no ``LIMIT`` or ``OFFSET`` after it, in a ``SELECT``. The order is
SPARQL's (unbound, blank nodes, IRIs, literals; literals by value): :func:`sort_rows` returns
``None`` when a column mixes literals it cannot rank as the engine would (numbers with text,
language tags, unknown datatypes), and the caller lets the engine sort instead.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from ..sparql import words

__all__ = ["sort_rows", "split_order"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {
    XSD + name
    for name in (
        "integer decimal int long short byte nonNegativeInteger nonPositiveInteger "
        "negativeInteger positiveInteger unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
}
_FLOATING = {XSD + "double", XSD + "float"}
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_KEY = re.compile(r"\s*(?:(?P<dir>ASC|DESC)\s*\(\s*[?$](?P<v1>\w+)\s*\)|[?$](?P<v2>\w+))", re.I)


def split_order(query: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """``query`` without its final ``ORDER BY``, and the clause's (variable, descending)
    keys; ``None`` unless the clause is only variables at the very end of a ``SELECT``.

    >>> split_order("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY DESC(?b) ?a")
    ('SELECT ?a ?b WHERE { ?a ?p ?b } ', [('b', True), ('a', False)])
    >>> split_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 3") is None
    True
    >>> split_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY STR(?a)") is None
    True
    """
    found = [(t.upper(), depth, pos) for t, depth, pos in words(query)]
    if not found or found[0][0] not in ("SELECT", "PREFIX", "BASE"):
        return None
    if not any(w == "SELECT" for w, _, _ in found) or any(
        w in ("CONSTRUCT", "DESCRIBE", "ASK") for w, d, _ in found if d == 0
    ):
        return None
    top = [(w, pos) for w, depth, pos in found if depth == 0]
    for i in range(len(top) - 1, 0, -1):
        if top[i][0] == "BY" and top[i - 1][0] == "ORDER":
            start, tail = top[i - 1][1], query[top[i][1] + 2 :]
            break
    else:
        return None
    tail = re.sub(r"#[^\n]*", "", tail)
    keys, pos = [], 0
    while m := _KEY.match(tail, pos):
        keys.append((m.group("v1") or m.group("v2"), (m.group("dir") or "").upper() == "DESC"))
        pos = m.end()
    if not keys or tail[pos:].strip():
        return None
    return query[:start], keys


def _rank(term) -> tuple | None:
    """SPARQL's order key of one term, with the literal's kind; ``None`` if not ranked here."""
    if term is None:
        return (0, "", "")
    if isinstance(term, ox.BlankNode):
        return (1, "", term.value)
    if isinstance(term, ox.NamedNode):
        return (2, "", term.value)
    if not isinstance(term, ox.Literal) or term.language:
        return None
    datatype, text = term.datatype.value, term.value
    if datatype == XSD + "string":
        return (3, "s", text)
    if datatype == XSD + "date" and _DATE.match(text):
        return (3, "d", text)
    if datatype == XSD + "boolean" and text in ("true", "false"):
        return (3, "b", text == "true")
    try:
        if datatype in _NUMERIC:
            return (3, "n", Decimal(text))
        if datatype in _FLOATING:
            number = float(text)
            return None if number != number else (3, "n", number)  # NaN is not ranked
    except (InvalidOperation, ValueError):
        return None
    return None


def sort_rows(rows: list, columns: list[str], keys: list[tuple[str, bool]]) -> list | None:
    """``rows`` (tuples of pyoxigraph terms, in ``columns``) sorted by ``keys`` as SPARQL's
    ``ORDER BY`` would; ``None`` when a key is not a column or a column is not ranked here.

    >>> s, i = ox.Literal("b"), ox.Literal("2", datatype=ox.NamedNode(XSD + "integer"))
    >>> sort_rows([(s, i), (ox.Literal("a"), i)], ["x", "n"], [("n", True), ("x", False)])
    [(<Literal value=a datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>, \
<Literal value=2 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>), \
(<Literal value=b datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>, \
<Literal value=2 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>)]
    """
    if any(name not in columns for name, _ in keys):
        return None
    ranked = []
    for row in rows:
        ranks = []
        for name, _ in keys:
            rank = _rank(row[columns.index(name)])
            if rank is None:
                return None
            ranks.append(rank)
        ranked.append((ranks, row))
    for k in range(len(keys)):
        kinds = {ranks[k][1] for ranks, _ in ranked if ranks[k][0] == 3}
        if len(kinds) > 1:  # e.g. numbers and text in one column: the engine's own order
            return None
    # stable sorts from the last key to the first: each key within the ties of the ones before
    for k in range(len(keys) - 1, -1, -1):
        ranked.sort(key=lambda item, k=k: item[0][k], reverse=keys[k][1])
    return [row for _, row in ranked]
