"""What a build did (:class:`BuildReport`), filled in by :func:`inspectgraph.graph.build.build`
and the documents it streams in."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BuildReport"]


@dataclass
class BuildReport:
    """What a build did: per named graph, its source and triple count."""

    graphs: dict[str, int] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    triples: int = 0
    digest: str = ""
    seconds: float = 0.0
    inspections: int = 0  # from official outcome files
    authorities: int = 0
    unplaced: list[str] = field(default_factory=list)  # outcome rows left out, with why
    documents: int = 0  # letters and reports built
    findings: int = 0
    new_inspections: int = 0  # inspections only documents describe
    skipped: list[str] = field(default_factory=list)  # bad documents left out (--keep-going)
    peak_memory_mb: dict = field(default_factory=dict)
