"""Per-host pacing: a minimum gap between requests to one host, safe across threads."""

from __future__ import annotations

import threading
import time


class HostGate:
    """`wait(host, gap)` returns when a request to host may start.

    Each host has its own lock, held while sleeping, so threads sharing a host
    queue up and threads for different hosts never wait for each other.
    `hold(host, seconds)` pushes the next slot back (Retry-After, backoff).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hosts: dict[str, tuple[threading.Lock, list[float]]] = {}

    def _entry(self, host: str) -> tuple[threading.Lock, list[float]]:
        with self._lock:
            if host not in self._hosts:
                # [next allowed start, start of the last request]
                self._hosts[host] = (threading.Lock(), [0.0, float("-inf")])
            return self._hosts[host]

    def wait(self, host: str, gap: float) -> float:
        """Block until a request may start; returns the seconds slept."""
        lock, slot = self._entry(host)
        with lock:
            now = time.monotonic()
            start = max(now, slot[0], slot[1] + gap)
            if start > now:
                time.sleep(start - now)
            slot[1] = start
            return start - now

    def hold(self, host: str, seconds: float) -> None:
        lock, slot = self._entry(host)
        with lock:
            slot[0] = max(slot[0], time.monotonic() + seconds)
