"""A real HTTP server on 127.0.0.1 for tests: static files plus Python routes.

    from httpserver import serve, send

    def hello(h):
        send(h, 200, b"<html>...</html>", content_type="text/html; charset=utf-8")

    with serve(Path("fixtures/pages"), {"/hello": hello}) as srv:
        requests.get(srv.url + "/hello")
        assert srv.requests[0].path == "/hello"

A route handler gets the BaseHTTPRequestHandler and may write anything,
including raw bytes to `h.wfile` (slow drips, wrong lengths, resets).
Routes match the path without the query string; a route ending in "*" matches
a prefix. Every request is logged in `srv.requests` before it is answered.
"""

from __future__ import annotations

import contextlib
import mimetypes
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class LoggedRequest:
    method: str
    path: str  # with the query string
    headers: dict[str, str]  # lower-cased names
    time: float


@dataclass
class Server:
    url: str  # "http://127.0.0.1:PORT"
    port: int
    routes: dict[str, Route]
    root: Path | None
    requests: list[LoggedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]

    def hits(self, path: str) -> int:
        return sum(p.split("?")[0] == path for p in self.paths())

    def route(self, path: str) -> Callable[[Route], Route]:
        """Decorator form: @srv.route("/x")."""

        def add(fn: Route) -> Route:
            self.routes[path] = fn
            return fn

        return add

    def __str__(self) -> str:
        return self.url


def send(
    h: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    *,
    content_type: str | None = "text/html; charset=utf-8",
    headers: dict[str, str] | list[tuple[str, str]] | None = None,
) -> None:
    """A complete response with Content-Length."""
    h.send_response(status)
    if content_type:
        h.send_header("Content-Type", content_type)
    items = headers.items() if isinstance(headers, dict) else headers or []
    for k, v in items:
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if h.command != "HEAD" and body:
        h.wfile.write(body)


def reset(h: BaseHTTPRequestHandler) -> None:
    """Abort the connection with a TCP RST instead of an answer."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.close_connection = True
    h.connection.close()


def _make_handler(srv: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: avoid 40 ms stalls
        server_version = "arshif-test"

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def _dispatch(self) -> None:
            with srv.lock:
                srv.requests.append(
                    LoggedRequest(
                        self.command,
                        self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        time.monotonic(),
                    )
                )
            path = urlsplit(self.path).path
            route = srv.routes.get(path)
            if route is None:
                for key, fn in srv.routes.items():
                    if key.endswith("*") and path.startswith(key[:-1]):
                        route = fn
                        break
            try:
                if route is not None:
                    route(self)
                else:
                    self._static(path)
            except (BrokenPipeError, ConnectionResetError, OSError):
                self.close_connection = True

        def _static(self, path: str) -> None:
            if srv.root is None:
                send(self, 404, b"not found", content_type="text/plain")
                return
            root = srv.root.resolve()
            target = (root / unquote(path).lstrip("/")).resolve()
            if root not in target.parents or not target.is_file():
                send(self, 404, b"not found", content_type="text/plain")
                return
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            send(self, 200, target.read_bytes(), content_type=ctype)

        do_GET = do_HEAD = do_POST = _dispatch

    return Handler


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # Clients that hang up early (caps, timeouts, resets) are what these tests do on purpose.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(
    root: Path | str | None = None, routes: dict[str, Route] | None = None
) -> Iterator[Server]:
    """Run a threaded server on 127.0.0.1 (free port) for the duration of the block."""
    srv = Server(url="", port=0, routes=dict(routes or {}), root=Path(root) if root else None)
    httpd = _Quiet(("127.0.0.1", 0), _make_handler(srv))
    srv.port = httpd.server_address[1]
    srv.url = f"http://127.0.0.1:{srv.port}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        httpd.shutdown()
        httpd.server_close()
