"""A deadline for the response head: a server dripping header bytes never trips
the per-read timeout, so a timer shuts the connection's socket down instead.

The adapter's connections note themselves in a thread-local slot when a request
is sent on them; `Deadline` (a context manager around `session.get`) knows the
connection its own thread is using and wakes the blocked read by shutting it.
"""

from __future__ import annotations

import socket
import threading

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = threading.local()


def _note(conn) -> None:
    slot = getattr(_current, "slot", None)
    if slot is not None:
        slot.append(conn)


class _HTTPConnection(HTTPConnection):
    def request(self, *args, **kwargs):
        _note(self)
        return super().request(*args, **kwargs)


class _HTTPSConnection(HTTPSConnection):
    def request(self, *args, **kwargs):
        _note(self)
        return super().request(*args, **kwargs)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class WatchedAdapter(HTTPAdapter):
    """HTTPAdapter whose connections can be interrupted by a Deadline."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


class Deadline:
    """`with Deadline(s) as d: session.get(...)`; afterwards `d.fired` says if it cut the request."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.fired = False
        self._slot: list = []
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        for conn in self._slot:
            sock = getattr(conn, "sock", None)
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def __enter__(self) -> Deadline:
        _current.slot = self._slot
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _current.slot = None
