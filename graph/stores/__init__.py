"""Store backends behind one interface, chosen by name.

A small ``name -> class`` registry, as rdflib does for its stores: each entry is a
real, tested implementation.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import StoreError
from .base import QueryResult, Store, canonical_quad, digest_of
from .memory import MemoryStore
from .oxigraph import OxigraphStore
from .remote import RemoteStore

__all__ = [
    "BACKENDS",
    "MemoryStore",
    "OxigraphStore",
    "QueryResult",
    "RemoteStore",
    "Store",
    "canonical_quad",
    "digest_of",
    "open_store",
]

BACKENDS: dict[str, type[Store]] = {
    "oxigraph": OxigraphStore,
    "memory": MemoryStore,
    "remote": RemoteStore,
}


def open_store(
    path: str | Path | None = None,
    *,
    kind: str = "oxigraph",
    read_only: bool = False,
    update_endpoint: str | None = None,
) -> Store:
    """Open (creating if needed) a store of backend ``kind`` at ``path``.

    ``path`` is a directory for ``oxigraph`` and ``memory`` (``None``: in memory only)
    and the query URL of a SPARQL endpoint for ``remote``, whose ``update_endpoint``
    defaults by the engines' conventions (see :mod:`inspectgraph.graph.stores.remote`).

    >>> with open_store(kind="memory") as store:
    ...     len(store)
    0
    """
    try:
        backend = BACKENDS[kind]
    except KeyError:
        raise StoreError(f"unknown store kind {kind!r}; known: {', '.join(BACKENDS)}") from None
    if kind == "remote":
        if path is None:
            raise StoreError("a remote store needs the URL of its SPARQL endpoint")
        return backend(path, read_only=read_only, update_endpoint=update_endpoint)
    if update_endpoint is not None:
        raise StoreError(f"an update endpoint only goes with a remote store, not {kind!r}")
    if read_only and path is not None and not Path(path).exists():
        raise StoreError(f"{path}: no store here (run `inspectgraph build --store {path}` first)")
    return backend(path, read_only=read_only)
