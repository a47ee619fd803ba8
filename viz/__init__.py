"""Drawing of inspectgraph results.

Drawing is kept apart from analysis: functions here take plain NetworkX
graphs (see :func:`write_partnership_page` for the attributes used) and
never query the knowledge graph.

- :func:`compute_layout` -- fixed, seeded node positions (pure Python);
- :mod:`~inspectgraph.viz.style` -- colours, sizes, widths and tooltip text
  as plain data;
- :func:`write_partnership_page` -- one self-contained, offline HTML page;
- :mod:`~inspectgraph.viz.national` -- the network of agency types and the type x type
  lift heatmap, as figures and pages.
"""

from ..model.agency_types import AGENCY_TYPES, agency_type_key
from .html import partnership_network, write_partnership_page
from .layout import authority_layout, compute_layout, grouped_layout
from .national import write_national_view
from .style import (
    AGENCY_TYPE_STYLES,
    agency_color,
    edge_tooltip,
    edge_width,
    node_size,
    node_tooltip,
)

__all__ = [
    "authority_layout",
    "compute_layout",
    "write_national_view",
    "grouped_layout",
    "write_partnership_page",
    "partnership_network",
    "AGENCY_TYPES",
    "AGENCY_TYPE_STYLES",
    "agency_color",
    "agency_type_key",
    "node_size",
    "edge_width",
    "node_tooltip",
    "edge_tooltip",
]
