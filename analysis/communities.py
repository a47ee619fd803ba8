"""Communities of agencies that are criticised together."""

from __future__ import annotations

import networkx as nx

__all__ = ["communities"]


def communities(G: nx.Graph, *, weight: str = "inspections", seed: int = 0) -> dict[str, int]:
    """Louvain communities, numbered from 0 by decreasing size (ties: smallest member).

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("c", "d")])
    >>> communities(G) == {"a": 0, "b": 0, "c": 1, "d": 1}
    True
    """
    if G.number_of_nodes() == 0:
        return {}
    parts = nx.community.louvain_communities(G, weight=weight, seed=seed)
    ordered = sorted((sorted(map(str, p)) for p in parts), key=lambda p: (-len(p), p[0]))
    return {node: i for i, part in enumerate(ordered) for node in part}
