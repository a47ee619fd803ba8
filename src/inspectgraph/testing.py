"""Test helpers for users and our own tests: compare graphs the way rdflib does."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

__all__ = ["assert_isomorphic"]


def assert_isomorphic(a: Graph, b: Graph) -> None:
    """Fail with the differing triples (a few of each side) unless ``a`` and ``b`` are isomorphic."""
    ia, ib = to_isomorphic(a), to_isomorphic(b)
    if ia == ib:
        return
    _both, only_a, only_b = graph_diff(ia, ib)
    sample_a = sorted(t.n3() if hasattr(t, "n3") else str(t) for t in list(only_a)[:5])
    sample_b = sorted(str(t) for t in list(only_b)[:5])
    raise AssertionError(f"graphs differ: {len(only_a)} triples only in first, {len(only_b)} "
                         f"only in second\n first: {sample_a}\n second: {sample_b}")
