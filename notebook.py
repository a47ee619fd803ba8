"""What the Python API hands back in notebooks: query rows and inline graph views.

- :class:`Rows` -- a list of dicts (one per result row, plain Python values) that also
  knows its columns, gives a pandas DataFrame as ``rows.df`` (typed: numbers as numbers,
  ``xsd:date`` as datetime64) and shows itself as a table in Jupyter.
- :class:`GraphView` -- the offline interactive page of a partnership graph, shown
  inline in Jupyter in an ``<iframe srcdoc>``: self-contained (vis-network inlined, no
  CDN, no request) and sandboxed (scripts run, but cannot reach the notebook).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from rdflib import XSD, Literal
from rdflib.term import Identifier

from .cli.output import plain

__all__ = ["GraphView", "Rows"]

#: Rows shown by a table in a notebook (all rows stay in the object).
HTML_ROWS = 50
_DATES = {XSD.date, XSD.dateTime}


class Rows(list):
    """Result rows of a query: a list of dicts of plain values, with ``columns`` and ``df``.

    Examples
    --------
    >>> from rdflib import Literal
    >>> rows = Rows(["la", "date"], [(Literal("Sunderland"),
    ...                              Literal("2019-06-14", datatype=XSD.date))])
    >>> rows[0]
    {'la': 'Sunderland', 'date': '2019-06-14'}
    >>> rows.columns
    ['la', 'date']
    >>> rows.df.dtypes["date"].kind  # a datetime column (pandas installed)
    'M'
    """

    def __init__(self, columns: Sequence[str], terms: Sequence[Sequence[Identifier | None]]):
        self.columns = list(columns)
        self.terms = [tuple(row) for row in terms]
        super().__init__(
            {c: plain(v) for c, v in zip(self.columns, row, strict=True)} for row in self.terms
        )

    @property
    def df(self):
        """The rows as a pandas DataFrame, one column per variable, in order.

        Numbers stay numbers and ``xsd:date``/``xsd:dateTime`` columns become datetime64;
        everything else is text (IRIs as strings). Needs pandas (``pip install pandas``).
        """
        try:
            import pandas as pd
        except ImportError:
            raise ModuleNotFoundError("Rows.df needs pandas: pip install pandas") from None
        frame = pd.DataFrame(list(self), columns=self.columns)
        for i, column in enumerate(self.columns):
            kinds = {t.datatype for t in (row[i] for row in self.terms) if isinstance(t, Literal)}
            values = [row[i] for row in self.terms if row[i] is not None]
            if (
                values
                and kinds
                and kinds <= _DATES
                and len(kinds) == 1
                and all(isinstance(v, Literal) for v in values)
            ):
                frame[column] = pd.to_datetime(frame[column], utc=XSD.dateTime in kinds)
        return frame

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape('' if row[c] is None else str(row[c]))}</td>"
                for c in self.columns
            )
            + "</tr>"
            for row in self[:HTML_ROWS]
        )
        more = (
            f"<p>{len(self) - HTML_ROWS} more rows (use .df or iterate)</p>"
            if len(self) > HTML_ROWS
            else ""
        )
        return (
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p>{len(self)} row{'s' if len(self) != 1 else ''}</p>{more}"
        )


class GraphView:
    """An offline interactive page, shown inline in Jupyter through ``<iframe srcdoc>``.

    Parameters
    ----------
    page : str
        The whole HTML page (as written by ``inspectgraph viz partnerships --out x.html``).
    height : int
        Height of the frame in a notebook, in pixels.

    Examples
    --------
    >>> view = GraphView("<!DOCTYPE html><title>x & y</title>", height=300)
    >>> frame = view._repr_html_()
    >>> frame.startswith("<iframe") and 'sandbox="allow-scripts"' in frame
    True
    >>> "&lt;title&gt;x &amp; y" in frame  # the page, escaped as an attribute value
    True
    """

    def __init__(self, page: str, *, height: int = 600, nodes: int = 0, edges: int = 0):
        self.html = page
        self.height = int(height)
        self.nodes = nodes
        self.edges = edges

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'sandbox="allow-scripts" referrerpolicy="no-referrer" '
            f'style="width: 100%; height: {self.height}px; border: 1px solid #d0d4d9;" '
            f'title="Partnership graph ({self.nodes} agencies, {self.edges} pairs)">'
            f"</iframe>"
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (a standalone file that works offline)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.html, encoding="utf-8")
        return path

    def __repr__(self) -> str:
        return f"<GraphView: {self.nodes} agencies, {self.edges} pairs>"
