"""Read a streamed response body under a size cap and a total deadline.

Decompression is done here, incrementally and capped, rather than by urllib3:
a 10 KB gzip bomb that inflates to gigabytes must stop at `max_bytes`.
"""

from __future__ import annotations

import socket
import time
import zlib

from arshif.fetch.result import FetchFailure

CHUNK = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"


class Inflater:
    """Content-Encoding decoder with an output cap; identity when encoding is empty."""

    def __init__(self, encoding: str, limit: int):
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchFailure("not_html", f"unsupported Content-Encoding {encoding!r}")
        self.coding = codings[0] if codings else ""
        self.limit = limit
        self.size = 0
        self._z = self._new() if self.coding else None
        self._raw_deflate_tried = False

    def _new(self):
        # 32+MAX_WBITS: accept gzip or zlib headers; raw deflate is handled on error.
        return zlib.decompressobj(32 + zlib.MAX_WBITS if self.coding != "raw" else -zlib.MAX_WBITS)

    def _take(self, out: bytes) -> bytes:
        self.size += len(out)
        if self.size > self.limit:
            raise FetchFailure(
                "too_large", f"decompressed body exceeds the {self.limit:,}-byte limit"
            )
        return out

    def feed(self, data: bytes) -> bytes:
        if self._z is None:
            return self._take(data)
        parts = []
        while data:
            try:
                out = self._z.decompress(data, self.limit - self.size + 1)
            except zlib.error as exc:
                if self.coding == "deflate" and not self._raw_deflate_tried and self.size == 0:
                    # Some servers send raw deflate without the zlib header.
                    self._raw_deflate_tried = True
                    self.coding = "raw"
                    self._z = self._new()
                    continue
                raise FetchFailure("not_html", f"corrupt {self.coding} body: {exc}") from None
            parts.append(self._take(out))
            data = self._z.unconsumed_tail
            if not data and self._z.eof and self._z.unused_data:
                # Concatenated gzip members.
                data = self._z.unused_data
                self._z = self._new()
        return b"".join(parts)

    def flush(self) -> bytes:
        return self._take(self._z.flush()) if self._z is not None else b""


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Inflate a gzip file (e.g. sitemap.xml.gz) with the same cap."""
    inflater = Inflater("gzip", limit)
    return inflater.feed(data) + inflater.flush()


def _socket(resp) -> socket.socket | None:
    conn = getattr(resp.raw, "connection", None) or getattr(resp.raw, "_connection", None)
    return getattr(conn, "sock", None)


def read_body(resp, *, max_bytes: int, deadline: float, read_timeout: float) -> bytes:
    """The decoded body of a streamed requests.Response.

    `deadline` is a time.monotonic() value: a server that drips one byte a
    second never trips the per-read timeout, so the whole body has a deadline.
    """
    raw = resp.raw
    inflater = Inflater(resp.headers.get("Content-Encoding", ""), max_bytes)
    sock = _socket(resp)
    received = 0
    parts: list[bytes] = []
    read = getattr(raw, "read1", None) or raw.read  # read1: return what arrived, do not wait to fill
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchFailure("timeout", f"body not received within {read_timeout:g} s")
        if sock is not None:
            try:
                sock.settimeout(min(left, read_timeout))
            except OSError:
                sock = None
        chunk = read(CHUNK, decode_content=False)
        if not chunk:
            break
        received += len(chunk)
        if received > max_bytes:
            raise FetchFailure("too_large", f"body exceeds the {max_bytes:,}-byte limit")
        parts.append(inflater.feed(chunk))
    parts.append(inflater.flush())
    return b"".join(parts)
