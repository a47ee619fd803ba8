"""Renderers for tabular results: ``table``, ``csv``, ``tsv``, ``json`` and ``jsonl``."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Callable, Collection, Sequence

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Identifier

__all__ = ["FORMATS", "plain", "render", "shorten"]

FORMATS = ("table", "csv", "tsv", "json", "jsonl")

SHORT_PREFIXES = {
    "https://w3id.org/inspectgraph/id/": "id:",
    "https://w3id.org/inspectgraph/def/": "ig:",
}
_NUMERIC = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.nonNegativeInteger,
    XSD.decimal,
    XSD.double,
    XSD.float,
}


def plain(value: object) -> object:
    """An RDF term as a plain JSON value: numbers as numbers, everything else as text.

    >>> plain(Literal(3)), plain(Literal("x")), plain(URIRef("http://e/a")), plain(None)
    (3, 'x', 'http://e/a', None)
    """
    if value is None:
        return None
    if isinstance(value, Literal):
        if value.datatype in _NUMERIC or value.datatype == XSD.boolean:
            try:
                py = value.toPython()
                return py if isinstance(py, (int, float, bool)) else float(py)
            except (TypeError, ValueError):
                return str(value)
        return str(value)
    if isinstance(value, Identifier):
        return str(value)
    return value


def shorten(value: object) -> str:
    """Compact text for a table cell.

    >>> shorten(URIRef("https://w3id.org/inspectgraph/id/agency/ofsted"))
    'id:agency/ofsted'
    """
    if value is None:
        return ""
    if isinstance(value, list):
        return (
            " — ".join(map(shorten, value))
            if len(value) == 2 and all(isinstance(v, str) for v in value)
            else ", ".join(map(shorten, value))
        )
    text = str(plain(value))
    if isinstance(value, URIRef):
        for long, short in SHORT_PREFIXES.items():
            if text.startswith(long):
                return short + text[len(long) :]
    return text


def _cell(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    p = plain(value)
    return "" if p is None else str(p)


def _table(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    width: int = 60,
    wrap: Collection[str] = (),
) -> str:
    """Aligned columns; a cell longer than ``width`` is cut with "…", except in the
    columns named in ``wrap``, whose text is wrapped whole over as many lines as it needs."""

    def cell(text: str, column: str) -> list[str]:
        text = " ".join(text.split())  # no newlines or tabs inside a cell
        if column in wrap:
            return textwrap.wrap(text, width) or [""]
        return [text if len(text) <= width else text[: width - 1] + "…"]

    cells = [[cell(shorten(v), c) for v, c in zip(row, columns, strict=True)] for row in rows]
    widths = [
        max([len(c)] + [len(line) for r in cells for line in r[i]]) for i, c in enumerate(columns)
    ]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = []
    for r in cells:
        for k in range(max(len(lines) for lines in r)):
            parts = [lines[k] if k < len(lines) else "" for lines in r]
            body.append("  ".join(v.ljust(w) for v, w in zip(parts, widths, strict=True)).rstrip())
    return "\n".join([line, rule, *body]) + "\n"


#: The term classes whose conversions :func:`_memo` remembers (exact types: an ``isinstance``
#: against rdflib's abstract classes costs more than the conversion it would save).
_TERMS = frozenset({URIRef, Literal, BNode})


def _memo(convert: Callable[[object], object]) -> Callable[[object], object]:
    """``convert`` computed once per term object: a large answer repeats its IRIs, labels
    and dates row after row (136,000 rows of 10 cells for one national query), the same
    objects (a store converts each distinct term once). Keyed by identity, which is valid
    while the rows are held (the renderers hold them whole); plain values are converted
    each time."""
    memo: dict[int, object] = {}

    def cached(value: object) -> object:
        if type(value) not in _TERMS:
            return convert(value)
        try:
            return memo[id(value)]
        except KeyError:
            out = memo[id(value)] = convert(value)
            return out

    return cached


def _delimited(columns: Sequence[str], rows: Sequence[Sequence[object]], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    memo = _memo(_cell)

    def cell(value: object) -> object:
        # IRIs and plain literals are their own text (what _cell gives them): no lookup
        kind = type(value)
        if kind is URIRef or (kind is Literal and value.datatype is None):  # type: ignore[union-attr]
            return str(value)
        return memo(value)

    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def _encoder(indent: int | None) -> Callable[[object], str]:
    """A cell as JSON text (lists indented as ``json.dumps(indent=2)`` nests them in a row
    of a list when ``indent`` is given), each distinct term encoded once."""

    def encode(value: object) -> str:
        value = _conv(value)
        if isinstance(value, (list, tuple, dict)):
            text = json.dumps(value, indent=indent, ensure_ascii=False)
            return text.replace("\n", "\n    ") if indent else text
        return json.dumps(value, ensure_ascii=False)

    memo = _memo(encode)

    def cached(value: object) -> str:
        # a long plain literal (a summary, a quote) seldom repeats: encoded without a lookup
        if type(value) is Literal and value.datatype is None and len(value) > 40:  # type: ignore[union-attr]
            return json.dumps(str(value), ensure_ascii=False)
        return memo(value)

    return cached


def _plain_columns(columns: Sequence[str]) -> bool:
    """Columns that make each row's object key by key: distinct texts."""
    return (
        bool(columns) and all(type(c) is str for c in columns) and len(set(columns)) == len(columns)
    )


def _json(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """What ``json.dumps(objects, indent=2, ensure_ascii=False)`` writes, put together from
    the cells' own texts: with an indent, :mod:`json` encodes in pure Python (5 s for the
    136,000 rows of one national query)."""
    if not rows or not _plain_columns(columns):
        data = [{c: _conv(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    encode = _encoder(2)
    keys = ["    " + json.dumps(c, ensure_ascii=False) + ": " for c in columns]
    parts = []
    for row in rows:
        cells = [k + encode(v) for k, v in zip(keys, row, strict=True)]
        parts.append("  {\n" + ",\n".join(cells) + "\n  }")
    return "[\n" + ",\n".join(parts) + "\n]\n"


def _conv(v):
    return [_conv(x) for x in v] if isinstance(v, list) else plain(v)


def _jsonl(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """One JSON object per line: a stream that tools read a row at a time."""
    if not _plain_columns(columns):
        return "".join(
            json.dumps({c: _conv(v) for c, v in zip(columns, row, strict=True)}, ensure_ascii=False)
            + "\n"
            for row in rows
        )
    encode = _encoder(None)
    keys = [json.dumps(c, ensure_ascii=False) + ": " for c in columns]
    return "".join(
        "{" + ", ".join([k + encode(v) for k, v in zip(keys, row, strict=True)]) + "}\n"
        for row in rows
    )


RENDERERS: dict[str, Callable[[Sequence[str], Sequence[Sequence[object]]], str]] = {
    "table": _table,
    "csv": lambda c, r: _delimited(c, r, ","),
    "tsv": lambda c, r: _delimited(c, r, "\t"),
    "json": _json,
    "jsonl": _jsonl,
}


def render(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    fmt: str = "table",
    *,
    wrap: Collection[str] = (),
) -> str:
    """Render rows (RDF terms, numbers, text or lists of them) in one of :data:`FORMATS`;
    in a table, the columns named in ``wrap`` are wrapped whole rather than cut.

    >>> print(render(["a", "n"], [[URIRef("http://e/x"), Literal(2)]], "csv"), end="")
    a,n
    http://e/x,2
    """
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    if fmt == "table":
        return _table(list(columns), [list(r) for r in rows], wrap=wrap)
    return RENDERERS[fmt](list(columns), [list(r) for r in rows])
