"""Map the exceptions requests/urllib3/socket raise to FetchResult error kinds."""

from __future__ import annotations

import socket

import requests
import urllib3.exceptions

from arshif.fetch.result import FetchFailure
from arshif.fetch.settings import FetchSettings

# What a failed connection or read can raise (requests wraps urllib3 wraps socket).
NETWORK_ERRORS = (requests.RequestException, OSError, urllib3.exceptions.HTTPError)


def _chain(exc: BaseException):
    """The exception and everything it wraps (requests nests urllib3 nests socket errors)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo.extend([e.__cause__, e.__context__, getattr(e, "reason", None)])
        todo.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))


def classify(exc: BaseException, s: FetchSettings, *, reading: bool = False) -> FetchFailure:
    chain = list(_chain(exc))
    names = {type(e).__name__ for e in chain}
    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                          requests.exceptions.InvalidSchema, urllib3.exceptions.LocationParseError)) for e in chain):
        return FetchFailure("bad_url", f"malformed URL: {exc}")
    if any(isinstance(e, socket.gaierror) for e in chain) or "NameResolutionError" in names:
        return FetchFailure("dns", "host name does not resolve")
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return FetchFailure("refused", "connection refused")
    if any(isinstance(e, (TimeoutError, socket.timeout, requests.Timeout, urllib3.exceptions.TimeoutError)) for e in chain):
        if isinstance(exc, requests.exceptions.ConnectTimeout) or "ConnectTimeoutError" in names:
            return FetchFailure("timeout", f"no connection within {s.connect_timeout:g} s")
        return FetchFailure("timeout", f"no data for {s.read_timeout:g} s")
    if reading and "IncompleteRead" in names:
        return FetchFailure("reset", "connection closed before the body was complete")
    return FetchFailure("reset", f"connection reset ({type(chain[-1]).__name__})")
