"""What an analysis covers: the authorities (``la``, ``region``) and the period (``since``,
``until``) that every analysis function takes as keywords, read in one place.

Each public function keeps its own ``la``/``region``/``since``/``until`` keywords (the
documented way to call it) and makes a :class:`Scope` of them once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from rdflib import URIRef

from ..sources.authorities import scope_councils

__all__ = ["Scope"]


@dataclass(frozen=True)
class Scope:
    """An authority's name (``la``), a region's key or name, and ISO dates bounding the
    inspections' dates (both ends included); ``""`` leaves that side open.

    >>> Scope(since="2020-01-01").covers(dt.date(2019, 12, 31))
    False
    >>> Scope(until="2020-01-01").covers(dt.date(2020, 1, 1))
    True
    """

    la: str = ""
    region: str = ""
    since: str = ""
    until: str = ""

    @cached_property
    def first(self) -> dt.date:
        """The first day in scope (``since``, or the earliest date)."""
        return dt.date.fromisoformat(self.since) if self.since else dt.date.min

    @cached_property
    def last(self) -> dt.date:
        """The last day in scope (``until``, or the latest date)."""
        return dt.date.fromisoformat(self.until) if self.until else dt.date.max

    def checked(self) -> Scope:
        """This scope, once both dates have been read (a bad date raises ``ValueError``
        here, before any query runs).

        >>> Scope(since="2020-13-01").checked()
        Traceback (most recent call last):
        ...
        ValueError: month must be in 1..12
        """
        self.first, self.last  # noqa: B018 (read for their errors)
        return self

    def councils(self, store) -> set[URIRef] | None:
        """The councils ``la`` and ``region`` choose, ``None`` when neither narrows (see
        :func:`~inspectgraph.sources.authorities.scope_councils`)."""
        return scope_councils(store, la=self.la, region=self.region)

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` lies within ``since`` and ``until``."""
        return self.first <= day <= self.last

    def parameters(self) -> dict[str, str | None]:
        """The scope as the named queries' parameters (an open date is ``None``: the
        query's default bound)."""
        return {
            "la": self.la,
            "region": self.region,
            "since": self.since or None,
            "until": self.until or None,
        }
