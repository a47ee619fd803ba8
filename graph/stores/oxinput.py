"""Reading N-Quads and TriG input for the Oxigraph and remote stores: checking it whole,
parsing it into quads per graph, and cutting it into pieces for the bulk loader."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import URIRef

from ...errors import StoreError

__all__ = [
    "chunks",
    "has_blank_nodes",
    "line_chunks",
    "name_of",
    "ox_format",
    "parse_quads",
    "part_chunks",
    "scan_quads",
]


def chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def line_chunks(source, lines: int) -> Iterator[bytes]:
    """N-Quads input in pieces of whole lines."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
    with stream:
        while chunk := b"".join(itertools.islice(stream, lines)):
            yield chunk


def part_chunks(parts: Iterable[tuple[URIRef, bytes]], lines: int) -> Iterator[bytes]:
    """Whole parts joined into pieces of about ``lines`` lines: a graph is never split,
    so a blank node label keeps its scope (one parse)."""
    pending: list[bytes] = []
    count = 0
    for _name, data in parts:
        pending.append(data)
        count += data.count(b"\n")
        if count >= lines:
            yield b"".join(pending)
            pending, count = [], 0
    if pending:
        yield b"".join(pending)


def has_blank_nodes(source) -> bool:
    """Whether the input may hold blank node labels, whose scope is one parse: such input
    is parsed once, not in pieces."""
    if isinstance(source, bytes):
        return b"_:" in source
    with open(source, "rb") as stream:
        tail = b""
        while block := stream.read(1 << 24):
            if b"_:" in tail + block:
                return True
            tail = block[-1:]
    return False


def scan_quads(source, format: str) -> dict[ox.NamedNode, int]:
    """Check a whole N-Quads/TriG input; quads per graph name (streaming: little memory)."""
    fmt = ox_format(format)
    counts: dict[ox.NamedNode, int] = {}
    try:
        quads = (
            ox.parse(source, format=fmt)
            if isinstance(source, bytes)
            else ox.parse(path=str(source), format=fmt)
        )
        for q in quads:
            g = q.graph_name
            if not isinstance(g, ox.NamedNode):
                raise StoreError(
                    f"{name_of(source)}: a triple outside any named graph "
                    f"({q.subject} {q.predicate} ...); every source needs its "
                    "own named graph"
                )
            counts[g] = counts.get(g, 0) + 1
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"{name_of(source)}: cannot read {format}: {exc}") from exc
    return counts


def parse_quads(source, format: str) -> dict[ox.NamedNode, list[ox.Quad]]:
    """N-Quads or TriG (a path, or the data as bytes) -> quads per graph name."""
    fmt = ox_format(format)
    try:
        if isinstance(source, bytes):
            quads = ox.parse(source, format=fmt)
        else:
            quads = ox.parse(path=str(source), format=fmt)
        by_graph: dict[ox.NamedNode, list[ox.Quad]] = {}
        for q in quads:
            if not isinstance(q.graph_name, ox.NamedNode):
                raise StoreError(
                    f"{name_of(source)}: a triple outside any named graph "
                    f"({q.subject} {q.predicate} ...); every source needs its "
                    "own named graph"
                )
            by_graph.setdefault(q.graph_name, []).append(q)
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"{name_of(source)}: cannot read {format}: {exc}") from exc
    return by_graph


_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


def ox_format(name: str) -> ox.RdfFormat:
    try:
        return _FORMATS[name]
    except KeyError:
        raise StoreError(
            f"cannot load {name!r}: use nquads or trig (a named graph per source)"
        ) from None


def name_of(source) -> str:
    return "<data>" if isinstance(source, bytes) else str(source)
