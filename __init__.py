"""inspectgraph: a knowledge graph of public-service inspections.

Which partnerships of agencies recur in inspectors' criticisms? Build curated
records into a store, query it with named SPARQL queries, analyse it with
networkx and draw it as an offline interactive page.

>>> import inspectgraph
>>> inspectgraph.__version__
'0.1.0'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .version import __version__

__all__ = ["KnowledgeGraph", "__version__", "open"]

if TYPE_CHECKING:
    from .api import KnowledgeGraph, open  # noqa: A004 - the package's own open()


def __getattr__(name: str):
    """Load the API on first use (PEP 562).

    The command line imports this package on every start; loading rdflib, networkx and
    pyoxigraph only when a command needs them keeps ``inspectgraph --help`` and every
    cold-started subprocess quick.
    """
    if name in ("KnowledgeGraph", "open"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
