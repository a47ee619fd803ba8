"""Centrality of agencies in a partnership graph."""

from __future__ import annotations

import networkx as nx

__all__ = ["centrality"]

# Exact betweenness is O(n*m); above this many nodes we sample pivots (seeded).
EXACT_BETWEENNESS_MAX_NODES = 2000


def centrality(
    G: nx.Graph, *, weight: str | None = "inspections", k: int | None = None, seed: int = 0
) -> dict[str, dict[str, float]]:
    """Degree and betweenness centrality of every node.

    Betweenness treats stronger ties (more shared inspections) as shorter
    distances. Above ``EXACT_BETWEENNESS_MAX_NODES`` nodes, or when ``k`` is given,
    it is estimated from ``k`` pivots drawn with ``seed``.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> c = centrality(G, weight=None)
    >>> c["b"]["betweenness"], c["a"]["degree"]
    (1.0, 0.5)
    """
    if G.number_of_nodes() == 0:
        return {}
    degree = nx.degree_centrality(G)
    distance = None
    if weight is not None:
        distance = "_distance"
        for _, _, d in G.edges(data=True):
            d[distance] = 1.0 / max(float(d.get(weight, 1) or 1), 1.0)
    if k is None and G.number_of_nodes() > EXACT_BETWEENNESS_MAX_NODES:
        k = EXACT_BETWEENNESS_MAX_NODES // 4
    betweenness = nx.betweenness_centrality(G, k=k, weight=distance, seed=seed)
    if distance:
        for _, _, d in G.edges(data=True):
            d.pop(distance, None)
    return {n: {"degree": degree[n], "betweenness": betweenness[n]} for n in G}
