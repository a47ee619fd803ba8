"""Binding parameters into SPARQL text as RDF terms, never by string formatting.

Where an engine cannot pre-bind variables itself (a remote endpoint; Oxigraph, whose
substitution only accepts projected variables), the values travel as a ``VALUES``
block placed first in the query's WHERE group (or in the group marked ``{  # parameters``),
so the group's joins and FILTERs see them exactly as pre-bound variables. Each value is written by rdflib's ``n3()``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from rdflib.term import Identifier, Variable

__all__ = [
    "CONDITION",
    "clauses",
    "dataset_clause",
    "for_engine",
    "has_dataset_clause",
    "inject_values",
    "keywords",
    "tokens",
    "values_block",
    "where_brace",
    "words",
]

# "# if la", "# unless la|@rdflib" or "# if la|region unless @rdflib" ending a line of a query
# (see inspectgraph.queries): clauses over names of parameters and (with "@") traits of the
# engine that runs it, all of which must hold
_NAMES = r"@?[A-Za-z_][A-Za-z0-9_]*(?:\|@?[A-Za-z_][A-Za-z0-9_]*)*"
CONDITION = re.compile(rf"#\s*(?P<clauses>(?:(?:if|unless)\s+{_NAMES}\s*)+)$")
_CLAUSE = re.compile(rf"(?P<when>if|unless)\s+(?P<names>{_NAMES})")


def clauses(condition: re.Match) -> list[tuple[str, list[str]]]:
    """The clauses of a :data:`CONDITION` match: ``(when, names)`` each.

    >>> clauses(CONDITION.search("?s ?p ?o .  # if la|region unless @rdflib"))
    [('if', ['la', 'region']), ('unless', ['@rdflib'])]
    """
    found = _CLAUSE.finditer(condition.group("clauses"))
    return [(m.group("when"), m.group("names").split("|")) for m in found]


_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# a bare word or a prefixed name (ex:from, from:x, :x)
_PNAME = re.compile(r"[A-Za-z_][\w.-]*(?::[\w.-]*)?")


def values_block(bindings: Mapping[str, Identifier]) -> str:
    """A one-row VALUES block for ``bindings``.

    >>> from rdflib import Literal
    >>> values_block({"la": Literal('Sun"derland')})
    'VALUES (?la) { ("Sun\\\\"derland") }'
    """
    terms = [_n3(name, term) for name, term in bindings.items()]
    variables = " ".join(f"?{n}" for n in bindings)
    return f"VALUES ({variables}) {{ ({' '.join(terms)}) }}"


def _n3(name: str, term) -> str:
    """``term`` as SPARQL text, checked to be an RDF term bound to a valid variable name."""
    if not _VARNAME.match(name):
        raise ValueError(f"invalid variable name {name!r}")
    if not isinstance(term, Identifier) or isinstance(term, Variable):
        raise TypeError(f"parameter {name!r} must be an RDF term, got {type(term).__name__}")
    return term.n3()


# a "{" followed on its line by the comment "# parameters": where a query wants its bindings
_PARAMETERS_HERE = re.compile(r"\{(?=[ \t]*#[ \t]*parameters\b)")


def _open_where(query: str, block: str) -> str:
    """``query`` with ``block`` inserted at the opening of its WHERE group, or of the group
    marked ``{  # parameters`` (a subquery that must see the parameters: one evaluated on its
    own, as Oxigraph evaluates a subquery, sees nothing bound outside it).

    >>> _open_where("SELECT * WHERE { { SELECT * WHERE {  # parameters\\n?s ?p ?o } } }", "B")
    'SELECT * WHERE { { SELECT * WHERE { B  # parameters\\n?s ?p ?o } } }'
    """
    marked = _PARAMETERS_HERE.search(query)
    at = marked.end() if marked else where_brace(query) + 1
    return f"{query[:at]} {block}{query[at:]}"


def inject_one_of(query: str, name: str, terms) -> str:
    """Return ``query`` with a VALUES block opening its WHERE group that lets ``?name``
    be any of ``terms`` (each written with ``term.n3()``).

    >>> from rdflib import URIRef
    >>> inject_one_of("SELECT ?c WHERE { ?i ?p ?c }", "c", [URIRef("http://e/a")])
    'SELECT ?c WHERE { VALUES ?c { <http://e/a> } ?i ?p ?c }'
    """
    written = " ".join(_n3(name, term) for term in terms)
    return _open_where(query, f"VALUES ?{name} {{ {written} }}")


def tokens(query: str):
    """Yield ``(kind, text, position)`` for the words and braces of a query.

    Comments, string literals, IRIs and variables are skipped, and words that are
    part of a prefixed name (``ex:from``) are reported as kind ``"name"`` rather
    than ``"word"``, so keywords can be found without a full parser.

    >>> [t[1] for t in tokens('SELECT ?where { ?s ex:p "}" } # {')]
    ['SELECT', '{', 'ex', 'p', '}']
    """
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            i = _skip_string(query, i)
        elif c == "<" and (m := _IRI.match(query, i)):
            i = m.end()
        elif c in "?$":
            m = _WORD.match(query, i + 1)
            i = m.end() if m else i + 1
        elif c in "{}":
            yield c, c, i
            i += 1
        elif c.isalpha() or c == "_":
            m = _WORD.match(query, i)
            end = m.end()
            prefixed = (i and query[i - 1] == ":") or (end < n and query[end] == ":")
            yield ("name" if prefixed else "word"), m.group(0), i
            i = end
        else:
            i += 1


def where_brace(query: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group.

    Comments, strings and IRIs are skipped, so braces or keywords inside them do
    not mislead it.

    >>> q = 'PREFIX x: <http://e/{a}> SELECT * # WHERE {\\nWHERE { ?s ?p "{" }'
    >>> q[where_brace(q):]
    '{ ?s ?p "{" }'
    """
    depth, first_brace, seen_where = 0, -1, False
    for kind, text, pos in tokens(query):
        if kind == "{":
            if depth == 0:
                if seen_where:
                    return pos
                if first_brace < 0:
                    first_brace = pos
            depth += 1
        elif kind == "}":
            depth -= 1
        elif kind == "word" and depth == 0 and text.upper() == "WHERE":
            seen_where = True
    if seen_where or first_brace < 0:
        raise ValueError("cannot find the WHERE group of the query")
    return first_brace


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    long = text.startswith(quote * 3, i)
    delim = quote * 3 if long else quote
    j = i + len(delim)
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text.startswith(delim, j):
            return j + len(delim)
        if not long and text[j] == "\n":
            break
        j += 1
    return len(text)


def inject_values(query: str, bindings: Mapping[str, Identifier]) -> str:
    """Return ``query`` with ``bindings`` as a VALUES block opening its WHERE group.

    >>> from rdflib import Literal
    >>> inject_values("SELECT ?x WHERE { ?x ?p ?la }", {"la": Literal(3)})
    'SELECT ?x WHERE { VALUES (?la) { ("3"^^<http://www.w3.org/2001/XMLSchema#integer>) } ?x ?p ?la }'
    """
    if not bindings:
        return query
    return _open_where(query, values_block(bindings))


def keywords(query: str) -> Iterator[tuple[str, int]]:
    """Each bare word of ``query`` (upper-cased) with its group depth.

    Comments, strings, IRIs, variables and prefixed names (``ex:from``) are skipped,
    so only SPARQL keywords and function names remain.

    >>> [w for w, depth in keywords('SELECT ?service { ?s ex:from "FROM" } # SERVICE')]
    ['SELECT']
    """
    for text, depth, _pos in words(query):
        yield text.upper(), depth


def words(query: str) -> Iterator[tuple[str, int, int]]:
    """(text, brace depth, position) of each keyword or function name (what
    :func:`keywords` yields, as written, with where it stands)."""
    depth = 0
    for kind, text, pos in tokens(query):
        if kind == "{":
            depth += 1
        elif kind == "}":
            depth -= 1
        elif kind == "word":
            yield text, depth, pos


_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\"{}|^`\\\x00-\x20]*)>", re.I)
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def dataset_clause(query: str) -> tuple[list[str], list[str]] | None:
    """The IRIs of the query's ``FROM`` and ``FROM NAMED`` clauses, as
    ``(default graphs, named graphs)``; ``None`` if one cannot be resolved (a relative
    IRI, an unknown prefix).

    >>> dataset_clause("PREFIX g: <http://e/g/> SELECT * FROM <http://e/a> FROM NAMED g:b {}")
    (['http://e/a'], ['http://e/g/b'])
    """
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX_DECL.finditer(query)}
    default: list[str] = []
    named: list[str] = []
    for _start, end in _from_positions(query):
        rest = query[end:].lstrip()
        target = default
        if rest[:5].upper() == "NAMED" and not (rest[5:6].isalnum() or rest[5:6] in "_:"):
            target = named
            rest = rest[5:].lstrip()
        m = _IRI.match(rest)
        if m:
            iri = m.group(0)[1:-1]
        else:
            m = _PNAME.match(rest) or re.match(r":[\w.-]*", rest)
            if not m or ":" not in m.group(0):
                return None
            prefix, local = m.group(0).split(":", 1)
            if prefix not in prefixes:
                return None
            iri = prefixes[prefix] + local
        if not _ABSOLUTE.match(iri):
            return None
        target.append(iri)
    return default, named


def _from_positions(query: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each top-level ``FROM`` keyword."""
    for text, depth, pos in words(query):
        if depth == 0 and text.upper() == "FROM":
            yield pos, pos + len(text)


def has_dataset_clause(query: str) -> bool:
    """Whether ``query`` names its own dataset (``FROM`` or ``FROM NAMED``).

    >>> has_dataset_clause("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }")
    True
    >>> has_dataset_clause('SELECT ?from # FROM <x>\\nWHERE { ?s ?p "FROM" }')
    False
    """
    return any(word == "FROM" and depth == 0 for word, depth in keywords(query))


def for_engine(text: str, traits: set[str] | frozenset[str]) -> str:
    """``text`` with its lines conditioned on engine traits only resolved for an engine that
    has ``traits`` (e.g. ``{"rdflib"}``; see :mod:`inspectgraph.queries`): ``# if @a|@b`` kept
    when the engine has any of them, ``# unless @a|@b`` when it has none (every clause of a
    line must hold). Other lines are left as they are.

    >>> print(for_engine("x  # if @rdflib\\ny  # unless @rdflib\\nz  # if la\\n", set()))
    y  # unless @rdflib
    z  # if la
    <BLANKLINE>
    """
    if "@" not in text:
        return text
    kept = []
    for line in text.splitlines(keepends=True):
        m = CONDITION.search(line)
        found = clauses(m) if m else []
        if found and all(n.startswith("@") for _when, names in found for n in names):
            if not all(
                any(n[1:] in traits for n in names) == (when == "if") for when, names in found
            ):
                continue
        kept.append(line)
    return "".join(kept)
