"""inspectgraph: a knowledge graph of public-service inspections.

Which partnerships of agencies recur in inspectors' criticisms? Build curated
records into a store, query it with named SPARQL queries, analyse it with
networkx and draw it as an offline interactive page.

>>> import inspectgraph
>>> inspectgraph.__version__
'0.1.0'
"""

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "__version__", "open"]

from .api import KnowledgeGraph, open  # noqa: E402,A004 - the API after the version
