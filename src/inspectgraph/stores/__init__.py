"""Store backends behind one interface, chosen by name.

A small ``name -> class`` registry, as rdflib does for its stores: each entry is a
real, tested implementation.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import StoreError
from .base import QueryResult, Store, canonical_quad, digest_of
from .memory import MemoryStore
from .oxigraph import OxigraphStore

__all__ = [
    "BACKENDS",
    "MemoryStore",
    "OxigraphStore",
    "QueryResult",
    "Store",
    "canonical_quad",
    "digest_of",
    "open_store",
]

BACKENDS: dict[str, type[Store]] = {
    "oxigraph": OxigraphStore,
    "memory": MemoryStore,
}


def open_store(path: str | Path | None = None, *, kind: str = "oxigraph",
               read_only: bool = False) -> Store:
    """Open (creating if needed) a store of backend ``kind`` at ``path``.

    >>> with open_store(kind="memory") as store:
    ...     len(store)
    0
    """
    try:
        backend = BACKENDS[kind]
    except KeyError:
        raise StoreError(f"unknown store kind {kind!r}; known: {', '.join(BACKENDS)}") from None
    if read_only and path is not None and not Path(path).exists():
        raise StoreError(f"{path}: no store here (run `inspectgraph build --store {path}` first)")
    return backend(path, read_only=read_only)
