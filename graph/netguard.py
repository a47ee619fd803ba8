"""Keep queries on local stores off the network unless the user allows it.

SPARQL can reach out: ``SERVICE <url>`` (federation), ``LOAD <url>`` (update) and,
in some engines, ``FROM``/``FROM NAMED <url>`` (rdflib fetches such graphs). A query
run against a local store that names any of them is refused unless the caller passes
``allow_network=True`` (``--allow-network`` on the command line).
"""

from __future__ import annotations

from ..errors import InputError
from .sparql import tokens

__all__ = ["NETWORK_KEYWORDS", "NetworkRefused", "check_offline", "network_keywords"]

NETWORK_KEYWORDS = ("SERVICE", "LOAD", "FROM")


class NetworkRefused(InputError):
    """A query would reach the network and the user did not allow it."""


def network_keywords(query: str) -> list[str]:
    """Network-reaching keywords used by ``query``, ignoring comments, strings, IRIs,
    variables and prefixed names.

    >>> network_keywords('SELECT * { SERVICE <http://e/sparql> { ?s ?p ?o } }')
    ['SERVICE']
    >>> network_keywords('SELECT ?service { ?s ex:from "LOAD" } # FROM <http://e/>')
    []
    """
    return [
        text.upper()
        for kind, text, _ in tokens(query)
        if kind == "word" and text.upper() in NETWORK_KEYWORDS
    ]


def check_offline(query: str, *, allow_network: bool = False, source: str = "query") -> None:
    """Raise :class:`NetworkRefused` if ``query`` could reach the network and that is not allowed.

    >>> check_offline("SELECT * { ?s ?p ?o }")
    >>> check_offline("LOAD <http://e/x>")
    Traceback (most recent call last):
    ...
    inspectgraph.graph.netguard.NetworkRefused: query: uses LOAD, which reaches the network; pass --allow-network to permit it
    """
    if allow_network:
        return
    words = sorted(set(network_keywords(query)))
    if words:
        raise NetworkRefused(
            f"{source}: uses {', '.join(words)}, which reaches the network; "
            "pass --allow-network to permit it"
        )
