"""Network analyses of the inspection graph (networkx), one module per family.

- :mod:`.partnerships` -- the co-criticism graph of agencies and its recurring pairs;
- :mod:`.centrality` -- degree and betweenness centrality;
- :mod:`.communities` -- community detection.

Graphs are built from chosen query results, never with ``rdflib_to_networkx``
(which would turn every literal into a node).
"""

from .centrality import centrality
from .communities import communities
from .partnerships import (
    PairStats,
    partnership_graph,
    partnership_graph_from_store,
    recurring_partnerships,
    type_partnerships,
)

__all__ = [
    "PairStats",
    "centrality",
    "communities",
    "partnership_graph",
    "partnership_graph_from_store",
    "recurring_partnerships",
    "type_partnerships",
]
