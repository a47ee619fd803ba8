"""Named SPARQL queries: the ``*.rq`` files beside this module, loaded by one registry.

Each file starts with a comment header::

    # title: Recurring co-criticised partnerships
    # description: Pairs of agencies that findings of one polarity concern together.
    # param: polarity string = "weakness" -- polarity key, "" for all
    # param: min_inspections integer = 2 -- keep pairs criticised in at least this many inspections

A query whose header says ``# network: required`` asks a remote service (``SERVICE``):
it needs the internet, and the offline tests leave it out.

Parameter types are ``iri``, ``string``, ``date`` and ``integer``. Values are
validated and converted to RDF terms, then bound by the store (``initBindings``
in rdflib, a ``VALUES`` block built from ``term.n3()`` elsewhere); a parameter
without a default is required. Queries see the union of all named graphs.

Queries are shaped for the engine (Oxigraph joins in the text's order): run them with
:meth:`NamedQuery.prepare`, which gives the text and bindings for one set of values.

- A line ending in the comment ``# if NAME`` is kept only when parameter ``NAME`` is not
  empty, and one ending in ``# unless NAME`` only when it is (``# if A|B``: when any of them
  is given; ``# unless A|B``: when none is): an optional filter vanishes
  when its parameter is empty (no ``IF``/``EXISTS`` evaluated on every row), and the
  selective patterns of a given parameter can come first.
- A name starting with ``@`` in such a condition is a trait of the engine, not a parameter:
  ``@rdflib`` is given when rdflib's evaluator runs the query (the ``memory`` backend). Engines
  differ in the shapes they run fast: Oxigraph joins subqueries by hashing (a scan of each
  fact, joined once), rdflib joins them pairwise in Python (minutes on the bundled data), so a
  query can carry both shapes, e.g. ``# if la|@rdflib`` for the lookups and ``# unless
  la|@rdflib`` for the scans. A line may end in several clauses, all of which must hold:
  ``# if la unless @rdflib``. :meth:`NamedQuery.prepare` decides what the parameters decide
  and leaves ``# if @rdflib`` / ``# unless @rdflib`` on the lines that depend on the engine;
  each store resolves those when it runs the text
  (:func:`inspectgraph.graph.sparql.for_engine`).
- A line ``VALUES (?concept ?key) { }  # concepts SCHEME`` is filled with the concepts of
  the bundled scheme ``SCHEME`` (e.g. ``themes``) and their keys: a small table the engine
  joins by IRI where a path through ``skos:notation`` would be evaluated over the store.
- A variable ``?folded_NAME`` is bound to string parameter ``NAME`` case-folded in Python
  (:func:`inspectgraph.model.rdfmap.name_key`), to be matched against ``ig:nameKey``, the names
  the build stores folded (agencies' labels and alternative labels, regions' notations
  and labels): one index lookup instead of ``LCASE`` row by row.

The file's text as written (``text``) is valid SPARQL with every optional line kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import XSD, Literal, URIRef
from rdflib.term import Identifier

from inspectgraph.errors import InputError
from inspectgraph.graph.sparql import CONDITION as _CONDITION
from inspectgraph.graph.sparql import clauses, for_engine

__all__ = [
    "PARAM_TYPES",
    "NamedQuery",
    "Param",
    "get",
    "load_query_file",
    "parse_query",
    "for_engine",
    "registry",
]

PARAM_TYPES = ("iri", "string", "date", "integer")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>\w+)"
    r"(?:\s*=\s*(?P<default>\"(?:[^\"\\]|\\.)*\"|\S+))?\s*(?:--\s*(?P<doc>.*))?$"
)
# "VALUES (?c ?k) { }  # concepts themes": filled with a scheme's concepts (see the module)
_CONCEPTS = re.compile(r"\{\s*\}(?P<rest>\s*#\s*concepts\s+(?P<scheme>[\w-]+)\s*)$", re.M)
_IRI_OK = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^<>"{}|^`\\\x00-\x20]*$')


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None = None
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is None

    def to_term(self, value: str | int | dt.date | Identifier) -> Identifier:
        """Validate ``value`` and convert it to an RDF term of this parameter's type.

        >>> Param("n", "integer").to_term("2")
        rdflib.term.Literal('2', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
        >>> Param("n", "integer").to_term("2 } DROP ALL")
        Traceback (most recent call last):
        ...
        inspectgraph.errors.InputError: parameter 'n': expected an integer, got '2 } DROP ALL'
        """
        if isinstance(value, Identifier):
            value = str(value)
        if self.type == "string":
            if not isinstance(value, str):
                value = str(value)
            if "\x00" in value:
                raise InputError(f"parameter {self.name!r}: NUL character not allowed")
            return Literal(value)
        if self.type == "integer":
            if isinstance(value, int) and not isinstance(value, bool):
                return Literal(value)
            if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]{1,18}", value.strip()):
                return Literal(int(value.strip()))
            raise InputError(f"parameter {self.name!r}: expected an integer, got {value!r}")
        if self.type == "date":
            if isinstance(value, dt.datetime):  # e.g. click's DateTime option
                value = value.date()
            if isinstance(value, dt.date):
                return Literal(value.isoformat(), datatype=XSD.date)
            try:
                return Literal(dt.date.fromisoformat(str(value)).isoformat(), datatype=XSD.date)
            except ValueError:
                raise InputError(
                    f"parameter {self.name!r}: expected a date YYYY-MM-DD, got {value!r}"
                ) from None
        if self.type == "iri":
            if isinstance(value, str) and _IRI_OK.match(value):
                return URIRef(value)
            raise InputError(f"parameter {self.name!r}: expected an absolute IRI, got {value!r}")
        raise InputError(f"parameter {self.name!r}: unknown type {self.type!r}")


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with its header metadata."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)
    source: str = ""
    network: bool = False  # header "# network: required": asks a remote SPARQL service

    def prepare(
        self, values: Mapping[str, object] | None = None
    ) -> tuple[str, dict[str, Identifier]]:
        """The text and bindings to run for ``values`` (see the module): optional lines
        kept or dropped, name keys folded. Raises :class:`InputError` as :meth:`bindings`.

        >>> q = parse_query('''# param: la string = ""
        ... SELECT ?c WHERE {
        ...   ?c <http://e/key> ?folded_la .  # if la
        ...   ?c <http://e/p> ?o .
        ... }''', "q")
        >>> text, b = q.prepare({"la": "Sunderland"})
        >>> "?folded_la" in text, str(b["folded_la"])
        (True, 'sunderland')
        >>> text, b = q.prepare({})
        >>> "?folded_la" in text, sorted(b)
        (False, ['la'])
        >>> q = parse_query('''# param: a string = ""
        ... # param: b string = ""
        ... SELECT ?c WHERE {
        ...   ?c <http://e/given> ?a .  # if a|b
        ...   ?c <http://e/none> ?a .  # unless a|b
        ... }''', "q")
        >>> ["given" in q.prepare(v)[0] for v in ({}, {"a": "x"}, {"b": "y"})]
        [False, True, True]
        >>> ["none" in q.prepare(v)[0] for v in ({}, {"a": "x"}, {"b": "y"})]
        [True, False, False]

        A trait of the engine (``@rdflib``) is left for the store when the parameters do not decide:

        >>> q = parse_query('''# param: la string = ""
        ... SELECT ?c WHERE {
        ...   ?c <http://e/lookup> ?o .  # if la|@rdflib
        ...   { SELECT ?c ?o WHERE { ?c <http://e/scan> ?o } }  # unless la|@rdflib
        ... }''', "q")
        >>> print(q.prepare({"la": "x"})[0].splitlines()[2])
          ?c <http://e/lookup> ?o .  # if la|@rdflib
        >>> print("\\n".join(q.prepare({})[0].splitlines()[2:4]))
          ?c <http://e/lookup> ?o .  # if @rdflib
          { SELECT ?c ?o WHERE { ?c <http://e/scan> ?o } }  # unless @rdflib
        >>> "scan" in for_engine(q.prepare({})[0], {"rdflib"})
        False
        """
        bindings = self.bindings(values)
        empty = {name for name, term in bindings.items() if str(term) == ""}
        kept = []
        for line in self.text.splitlines(keepends=True):
            m = _CONDITION.search(line)
            if m:
                line = _decide(line, m, empty)
                if line is None:
                    continue
            kept.append(line)
        text = _CONCEPTS.sub(_concept_table, "".join(kept))
        for p in self.params:
            key = f"folded_{p.name}"
            if p.type == "string" and re.search(rf"[?$]{key}\b", text):
                from inspectgraph.model.rdfmap import name_key  # (it imports yaml)

                bindings[key] = Literal(name_key(str(bindings[p.name])))
        return text, bindings

    def bindings(self, values: Mapping[str, object] | None = None) -> dict[str, Identifier]:
        """Typed RDF terms for every parameter: given values, else defaults.

        Raises :class:`InputError` for unknown or missing parameters and bad values.
        """
        values = dict(values or {})
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            names = ", ".join(known) or "none"
            raise InputError(
                f"query {self.name!r}: unknown parameter {unknown[0]!r} (parameters: {names})"
            )
        out: dict[str, Identifier] = {}
        for p in self.params:
            if p.name in values and values[p.name] is not None:
                out[p.name] = p.to_term(values[p.name])
            elif p.required:
                raise InputError(
                    f"query {self.name!r}: missing required parameter {p.name!r} "
                    f"(-p {p.name} VALUE)"
                )
            else:
                out[p.name] = p.to_term(p.default)
        return out


def parse_query(text: str, name: str = "query", source: str = "") -> NamedQuery:
    """Read the header of a query text.

    >>> q = parse_query('# title: T\\n# param: la string = "" -- LA name\\nSELECT * {}', "q")
    >>> q.title, q.params[0].name, q.params[0].default
    ('T', 'la', '')
    """
    title = description = ""
    network = False
    params = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        body = stripped.lstrip("#").strip()
        key, _, value = body.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "title":
            title = value
        elif key == "description":
            description = f"{description} {value}".strip()
        elif key == "network":
            network = value.lower() == "required"
        elif key == "param":
            m = _PARAM.match(value)
            if not m or m.group("type") not in PARAM_TYPES:
                raise InputError(
                    f"{source or name}: bad parameter line {value!r} "
                    f"(expected 'NAME TYPE [= DEFAULT] [-- description]', "
                    f"TYPE one of {', '.join(PARAM_TYPES)})"
                )
            default = m.group("default")
            if default is not None and default.startswith('"'):
                default = re.sub(r"\\(.)", r"\1", default[1:-1])
            params.append(Param(m.group("name"), m.group("type"), default, m.group("doc") or ""))
    return NamedQuery(
        name=name,
        text=text,
        title=title,
        description=description,
        params=tuple(params),
        source=source,
        network=network,
    )


def load_query_file(path: str | Path) -> NamedQuery:
    """Load an ad-hoc ``.rq`` file (its header is optional)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read query: {exc}") from exc
    return parse_query(text, path.stem, str(path))


def _decide(line: str, m: re.Match, empty: set[str]) -> str | None:
    """``line`` as kept for the parameters (``empty``: those not given), ``None`` if dropped;
    with its condition narrowed to the engine's traits when only those can decide."""
    left = []  # the clauses the engine's traits decide
    for when, names in clauses(m):
        traits = [n for n in names if n.startswith("@")]
        given = bool({n for n in names if not n.startswith("@")} - empty)
        # "if a|b": holds when any of them is given; "unless a|b": when none is
        if given:
            if when == "unless":
                return None
        elif traits:
            left.append(f"{when} {'|'.join(traits)}")
        elif when == "if":
            return None
    if not left:
        return line
    end = "\n" if line.endswith("\n") else ""
    return f"{line[: m.start()]}# {' '.join(left)}{end}"


def _concept_table(m: re.Match) -> str:
    """The rows of a ``# concepts SCHEME`` VALUES block: (concept IRI, key) of the scheme."""
    from inspectgraph.model.concepts import concept_keys

    rows = " ".join(
        f"({URIRef(iri).n3()} {Literal(key).n3()})"
        for key, iri in sorted(concept_keys(m.group("scheme")).items())
    )
    return "{ " + rows + " }" + m.group("rest")


@lru_cache(maxsize=1)
def registry() -> dict[str, NamedQuery]:
    """Every bundled named query, by name (the file name without ``.rq``)."""
    out = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_query(entry.read_text(encoding="utf-8"), name, entry.name)
    return out


def get(name: str) -> NamedQuery:
    """The named query ``name``; :class:`InputError` listing the names if unknown."""
    try:
        return registry()[name]
    except KeyError:
        raise InputError(f"unknown query {name!r}; known: {', '.join(registry())}") from None
