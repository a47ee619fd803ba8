"""The result writers: SELECT and ASK results, CONSTRUCT and DESCRIBE graphs, written whole
(never cut short) and refused once they pass the row cap."""

from __future__ import annotations

import collections
import io
import json
import re

import pyoxigraph as ox

from .negotiation import OX_GRAPH_FORMATS, PLAIN_TEXT, HTTPError

__all__ = ["plain_text", "write_boolean", "write_graph", "write_solutions"]

# Results are written by pyoxigraph, not term by term in Python: a third faster on the
# national store's large results, and the same bytes. They are written first as TSV or
# N-Triples, one line per row or triple, through a writer that counts the lines, so that
# a result over the row cap is refused once it passes the cap, before it fills the memory;
# the other formats are converted from that text (a few per cent of the query's time).

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
# characters XML 1.0 cannot carry (TSV escapes tab, newline and return inside values)
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class _LineCap(io.RawIOBase):
    """A binary sink that keeps what is written and stops the writer once it holds more
    than ``limit`` rows (or triples: ``what``), one a line after ``header`` lines."""

    def __init__(self, limit: int, what: str, header: int = 0):
        super().__init__()
        self.limit, self.what = limit, what
        self.lines = -header
        self.parts: collections.deque[bytes] = collections.deque()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            raise HTTPError(
                400,
                f"the result has more than {self.limit} {self.what}, "
                "the limit of this endpoint: add LIMIT (and OFFSET to page), or use "
                "`inspectgraph export` for the whole graph",
            )
        self.parts.append(data)
        return len(data)

    def text(self) -> bytes:
        """Everything written, as one value (the parts are let go)."""
        text = b"".join(self.parts)
        self.parts.clear()
        return text

    def reader(self) -> io.BufferedReader:
        """Everything written, read once: each part is let go as it is read, so that a
        conversion holds little more than its output."""
        return io.BufferedReader(_Drain(self.parts))


class _Drain(io.RawIOBase):
    """Reads a queue of byte strings, removing each once it is read."""

    def __init__(self, parts: collections.deque[bytes]):
        super().__init__()
        self.parts = parts

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self.parts:
            return 0
        head = self.parts[0]
        n = min(len(buffer), len(head))
        buffer[:n] = head[:n]
        if n == len(head):
            self.parts.popleft()
        else:
            self.parts[0] = head[n:]
        return n


def write_solutions(solutions: ox.QuerySolutions, fmt: str, max_rows: int) -> bytes:
    """SELECT results in SPARQL JSON, XML, CSV or TSV; more than ``max_rows`` is an error.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("a,b")))
    >>> print(write_solutions(store.query("SELECT ?o { ?s ?p ?o }"), "csv", 10).decode(), end="")
    o
    "a,b"
    """
    sink = _LineCap(max_rows, "rows", header=1)
    solutions.serialize(sink, format=ox.QueryResultsFormat.TSV)
    if fmt == "tsv":
        return sink.text()
    if fmt == "xml" and any(_NOT_XML.search(part) for part in sink.parts):
        raise HTTPError(
            406, "a value holds a control character that XML 1.0 cannot carry; ask for JSON or TSV"
        )
    parsed = ox.parse_query_results(sink.reader(), format=ox.QueryResultsFormat.TSV)
    return parsed.serialize(format=RESULT_FORMATS[fmt])


def write_graph(triples: ox.QueryTriples, fmt: str, max_triples: int) -> bytes:
    """CONSTRUCT and DESCRIBE results; more than ``max_triples`` is an error."""
    sink = _LineCap(max_triples, "triples")
    triples.serialize(sink, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "nt":
        return sink.text()
    parsed = ox.parse(sink.reader(), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(parsed, format=OX_GRAPH_FORMATS[fmt])


def write_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    return (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
    ).encode()


def plain_text(status: int, message: str) -> tuple[int, str, bytes]:
    """An answer that is one line of text: (HTTP status, content type, body)."""
    return status, PLAIN_TEXT, f"{message}\n".encode()
