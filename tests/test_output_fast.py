"""The CSV and JSON renderers, which put large answers together from each distinct term's
text, write exactly what the plain ways of writing them do."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import XSD, BNode, Literal, URIRef

from inspectgraph.cli.output import _cell, _conv, _plain_columns, render


def _reference(columns, rows, fmt):
    """The renderers as first written: a dict per row, then :mod:`json` or :mod:`csv`."""
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
        return out.getvalue()
    data = [{c: _conv(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in data)


IRI = URIRef("https://w3id.org/inspectgraph/id/agency/x")
ROWS = [
    [IRI, Literal("Sunderland"), Literal(3), Literal("2.5", datatype=XSD.decimal), None],
    [IRI, Literal('quote " and, comma\nnewline'), Literal(True), Literal(1.5), "plain"],
    [BNode("b1"), Literal("été", lang="fr"), Literal("1", datatype=XSD.integer), 7, True],
    [IRI, Literal("Sunderland"), ["a", Literal(2), [URIRef("http://e/y"), None]], [], 1.0],
    [Literal("x", datatype=XSD.date), Literal(""), ("t", 1), {"k": [1, 2]}, float("nan")],
    [IRI, Literal("A long summary, \"quoted\", with a tab\tand é, over forty characters"),
     Literal("Un long résumé en français, de plus de quarante caractères", lang="fr"),
     Literal("2024-01-02", datatype=XSD.date), URIRef("http://e/é")],
]  # fmt: skip
COLUMNS = ["agency", "label", "n", "value", "other"]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl"])
@pytest.mark.parametrize(
    "columns, rows",
    [
        (COLUMNS, ROWS),
        (COLUMNS, ROWS * 3),  # the same terms again: remembered, not recomputed
        (COLUMNS, []),
        ([], [[], []]),
        (["a", "a"], [[Literal(1), Literal(2)]]),  # a name twice: the last value, as a dict
    ],
)
def test_fast_renderers_write_what_the_plain_ones_do(fmt, columns, rows):
    assert render(columns, rows, fmt) == _reference(columns, [list(r) for r in rows], fmt)


def test_equal_plain_values_are_not_confused():
    """``True``, ``1`` and ``1.0`` are equal keys of a dict: only terms are remembered."""
    rows = [[True], [1], [1.0], [Literal(True)], [Literal(1)]]
    assert render(["v"], rows, "jsonl") == "".join(
        line + "\n" for line in ["{\"v\": true}", "{\"v\": 1}", "{\"v\": 1.0}",
                                 "{\"v\": true}", "{\"v\": 1}"]
    )  # fmt: skip
    assert _plain_columns(["a", "b"]) and not _plain_columns(["a", "a"])
