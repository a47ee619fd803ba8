"""Network analyses of the inspection graph (networkx), one module per family.

- :mod:`.partnerships` -- the co-criticism graph of agencies and its recurring pairs;
- :mod:`.cocriticism` -- co-criticism against chance: expected counts, lift, intervals,
  adjusted p-values;
- :mod:`.centrality` -- degree and betweenness centrality;
- :mod:`.communities` -- community detection.

Graphs are built from chosen query results, never with ``rdflib_to_networkx``
(which would turn every literal into a node).
"""

from .centrality import centrality
from .cocriticism import benjamini_hochberg, cocriticism, poisson_upper_tail
from .communities import communities
from .partnerships import (
    CRITICISM,
    PairStats,
    partnership_graph,
    partnership_graph_from_store,
    rank_by_lift,
    recurring_partnerships,
    type_partnership_graph,
    type_partnerships,
)

__all__ = [
    "CRITICISM",
    "PairStats",
    "benjamini_hochberg",
    "centrality",
    "cocriticism",
    "communities",
    "partnership_graph",
    "partnership_graph_from_store",
    "poisson_upper_tail",
    "rank_by_lift",
    "recurring_partnerships",
    "type_partnership_graph",
    "type_partnerships",
]
