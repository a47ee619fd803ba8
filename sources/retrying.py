"""What the two HTTP clients (``fetch``'s downloader and ``link``'s SPARQL client) share
about retrying politely: how long a server asks them to wait.

Both retry HTTP 429 and 503, honour ``Retry-After`` and otherwise back off exponentially;
each keeps its own limits (a download waits up to five minutes, a SPARQL request one).
"""

from __future__ import annotations

import datetime as dt
import email.utils

__all__ = ["RETRY_STATUS", "retry_after"]

# "Too Many Requests" and "Service Unavailable": the server asks us to come back later.
RETRY_STATUS = frozenset({429, 503})


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delay-seconds or an HTTP date.

    None when the header is absent or unreadable (the caller backs off by itself); a date
    in the past is 0.

    >>> retry_after("3"), retry_after(" 120 "), retry_after(None), retry_after("soon")
    (3.0, 120.0, None, None)
    >>> retry_after("Thu, 01 Jan 1970 00:00:00 GMT")
    0.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max((when - dt.datetime.now(dt.timezone.utc)).total_seconds(), 0.0)
