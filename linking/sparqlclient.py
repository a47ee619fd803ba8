"""A polite client of a public SPARQL endpoint (Wikidata's): a User-Agent that names the
software, GET for short queries and POST for long ones, retries with Retry-After, and an
on-disk cache of answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import socket
import tempfile
import time
import urllib.error
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib.term import Identifier

from ..errors import InspectgraphError
from ..graph.stores.remote import term_from_json
from ..sources.retrying import RETRY_STATUS, retry_after
from ..version import __version__

__all__ = [
    "LinkError",
    "SparqlCache",
    "SparqlClient",
    "default_cache_dir",
    "user_agent",
]


#: Longest GET request; longer queries are POSTed.
MAX_GET_QUERY = 1800


class LinkError(InspectgraphError):
    """The endpoint could not be asked (unreachable, refused, too slow)."""


# ---------------------------------------------------------------------------- HTTP client


def user_agent(contact: str = "") -> str:
    """The User-Agent sent with every request, as Wikimedia's policy asks: tool, version,
    where to find it, and (optionally) how to reach the person running it.

    >>> user_agent().startswith("inspectgraph/")
    True
    >>> "(me@example.org)" in user_agent("me@example.org")
    True
    """
    import SPARQLWrapper

    who = f" ({contact})" if contact else ""
    return (
        f"inspectgraph/{__version__} (+https://w3id.org/inspectgraph/; reconciles "
        f"inspection records with Wikidata){who} SPARQLWrapper/{SPARQLWrapper.__version__}"
    )


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/inspectgraph/sparql`` (``~/.cache/inspectgraph/sparql``)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "inspectgraph" / "sparql"


class SparqlCache:
    """Answers of SPARQL SELECT queries on disk, one JSON file per (endpoint, query)."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def _path(self, endpoint: str, query: str) -> Path:
        key = hashlib.sha256(f"{endpoint}\n{query}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.json"

    def get(self, endpoint: str, query: str) -> dict | None:
        path = self._path(endpoint, query)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent or damaged: ask again
        if entry.get("endpoint") != endpoint or entry.get("query") != query:
            return None
        return entry

    def put(self, endpoint: str, query: str, fetched: str, result: dict) -> None:
        path = self._path(endpoint, query)
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"endpoint": endpoint, "query": query, "fetched": fetched, "result": result}
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entry, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


@dataclass
class Answer:
    """Rows of a SELECT query as rdflib terms, and when the endpoint gave them."""

    rows: list[dict[str, Identifier]]
    fetched: str
    from_cache: bool


class SparqlClient:
    """Ask a SPARQL endpoint through SPARQLWrapper, politely.

    Parameters
    ----------
    endpoint : str
        The endpoint URL.
    cache : SparqlCache or None
        Where answers are kept; None keeps nothing.
    refresh : bool
        Ask the endpoint even when the cache has the answer (and store the new one).
    time_limit : float
        Seconds for everything this client does; past it a request is not started
        and a running one is cut short.
    retries : int
        Further attempts after an HTTP 429 or 503, waiting ``Retry-After`` seconds or
        1, 2, 4, ... seconds (at most 60), always within the time limit.
    contact : str
        Added to the User-Agent (see :func:`user_agent`).
    sleep, clock : callables
        ``time.sleep`` and ``time.monotonic`` (replaceable in tests).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        cache: SparqlCache | None = None,
        refresh: bool = False,
        time_limit: float = 300.0,
        retries: int = 4,
        contact: str = "",
        request_timeout: float = 65.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.endpoint = endpoint
        self.cache = cache
        self.refresh = refresh
        self.time_limit = time_limit
        self.retries = retries
        self.agent = user_agent(contact)
        self.request_timeout = request_timeout
        self.sleep = sleep
        self.clock = clock
        self.deadline = clock() + time_limit
        self.sent = 0
        self.cached = 0

    def select(self, query: str) -> Answer:
        """Run a SELECT query; raises :class:`LinkError` when it cannot be answered."""
        if self.cache is not None and not self.refresh:
            entry = self.cache.get(self.endpoint, query)
            if entry is not None:
                self.cached += 1
                return Answer(_rows(entry["result"]), entry["fetched"], True)
        result = self._ask(query)
        fetched = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        if self.cache is not None:
            self.cache.put(self.endpoint, query, fetched, result)
        return Answer(_rows(result), fetched, False)

    def _ask(self, query: str) -> dict:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        attempt = 0
        while True:
            remaining = self.deadline - self.clock()
            if remaining <= 0:
                raise LinkError(
                    f"{self.endpoint}: time limit of {self.time_limit:g} s reached "
                    f"after {self.sent} request(s); nothing written (answers so far "
                    "are cached: run again to go on)"
                )
            wrapper = SPARQLWrapper(self.endpoint, agent=self.agent)
            wrapper.setQuery(query)
            wrapper.setReturnFormat(JSON)
            wrapper.setTimeout(max(1, int(min(self.request_timeout, remaining) + 0.999)))
            if len(query) > MAX_GET_QUERY:
                wrapper.setMethod(POST)
            self.sent += 1
            try:
                result = wrapper.queryAndConvert()
            except urllib.error.HTTPError as exc:
                if exc.code in RETRY_STATUS and attempt < self.retries:
                    wait = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
                    wait = min(wait if wait is not None else 2.0**attempt, 60.0)
                    if self.clock() + wait >= self.deadline:
                        raise LinkError(
                            f"{self.endpoint}: HTTP {exc.code} and no time left to "
                            f"retry within the {self.time_limit:g} s limit"
                        ) from exc
                    self.sleep(wait)
                    attempt += 1
                    continue
                tries = f" after {attempt + 1} attempts" if attempt else ""
                raise LinkError(f"{self.endpoint}: HTTP {exc.code} {exc.reason}{tries}") from exc
            except SPARQLWrapperException as exc:
                first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise LinkError(f"{self.endpoint}: {first}") from exc
            except (TimeoutError, urllib.error.URLError) as exc:
                # urllib wraps a timeout while connecting in URLError, one while reading not
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, (TimeoutError, socket.timeout)):
                    raise LinkError(
                        f"{self.endpoint}: no answer within "
                        f"{min(self.request_timeout, remaining):.0f} s"
                    ) from exc
                raise LinkError(f"{self.endpoint}: cannot connect ({reason})") from exc
            except (ValueError, OSError) as exc:
                raise LinkError(f"{self.endpoint}: bad answer ({exc})") from exc
            if not isinstance(result, dict) or "results" not in result:
                raise LinkError(f"{self.endpoint}: the answer is not SPARQL JSON results")
            return result


def _rows(result: dict) -> list[dict[str, Identifier]]:
    return [
        {name: term_from_json(value) for name, value in binding.items()}
        for binding in result.get("results", {}).get("bindings", [])
    ]


def values_rows(variable: str, terms: Sequence[Identifier]) -> str:
    """A one-variable VALUES block of RDF terms, each written by ``n3()``.

    >>> from rdflib import Literal
    >>> values_rows("gss", [Literal("E08000024")])
    'VALUES ?gss { "E08000024" }'
    """
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", variable):
        raise ValueError(f"invalid variable name {variable!r}")
    return f"VALUES ?{variable} {{ {' '.join(t.n3() for t in terms)} }}"
