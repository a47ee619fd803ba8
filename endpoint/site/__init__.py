"""The browsable linked-data site of ``inspectgraph serve``.

The graph's own IRIs (``https://w3id.org/inspectgraph/id/…`` and ``…/def/…``)
dereference on the server as ``/id/…`` and ``/def/…``: HTML pages for a browser,
Turtle, JSON-LD, N-Triples or RDF/XML by content negotiation. ``/browse`` is the home
page, with a search by name.

- :mod:`.store` -- the served data as a read-only :class:`~inspectgraph.graph.stores.Store`,
  every query going through the endpoint's own workers (same snapshot, same time limit);
- :mod:`.data` -- what each page shows, gathered by SPARQL (plain data, no HTML);
- :mod:`.pages` -- the HTML, every value escaped, no script at all;
- :mod:`.rdf` -- the data of an IRI (a finding's with its Web Annotation quotation);
- :mod:`.app` -- routes, content negotiation and paging.
"""

from __future__ import annotations

from .app import Site

__all__ = ["Site"]
