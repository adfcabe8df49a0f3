"""A fault-injection HTTP server on 127.0.0.1, written at the socket level.

    from faultserver import FaultServer, FAULTS

    with FaultServer() as srv:
        fetcher.fetch(srv.url("/news/fault-reset.html"))

`http.server` cannot misbehave convincingly (it always answers, frames bodies
and closes politely), so this one parses the request line itself and lets each
route write raw bytes: accept and never answer, drip, lie about lengths, reset
with SO_LINGER 0. Every fault is a route under /news/ so an archive run can
discover it from the section page `/news/` like any article.

`FAULTS` maps each article-level fault to the outcome a fetcher must report.
Robots faults need their own host (robots.txt is per host), so they are a
server mode: `FaultServer(robots="hang")` or `FaultServer(robots="huge")`.
A real connect timeout (no SYN-ACK) is `unanswered_port()`.

`ConnectGuard` (installed by conftest.py) records every outgoing connect and
refuses any that is not loopback, so no test can reach a private, metadata or
public address even if the code under test tries.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

HOST = "127.0.0.1"
SECRET = "arshif-xxe-canary-7f3c9e"  # written to a temp file an XXE sitemap points at

# --- content (our own invented text; nothing copied from real sites) ------------

_PARAGRAPHS = (
    "افتتحت البلدية صباح اليوم حديقة عامة جديدة في الحي الشرقي بعد عامين من أعمال التشييد المتواصلة.",
    "وقال رئيس المجلس البلدي إن الحديقة تضم مسارا للمشي وملعبا صغيرا للأطفال ومكتبة مفتوحة للقراء.",
    "وأضاف أن المشروع مول من ميزانية المدينة بالكامل وأن الصيانة ستتولاها فرق محلية من سكان الحي.",
    "ورحب عدد من الأهالي بالافتتاح مؤكدين أن المنطقة كانت تفتقر إلى مساحات خضراء مناسبة للعائلات.",
    "ومن المنتظر أن تستضيف الحديقة في الشهر المقبل معرضا للكتاب المستعمل وأمسيات شعرية أسبوعية.",
)


def article_html(n: int, *, charset: str = "utf-8") -> str:
    """A plain, well-formed article page; `n` makes title and body unique."""
    paras = "\n".join(f"<p>{p} (تقرير رقم {n})</p>" for p in _PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="{charset}">
<title>خبر رقم {n} - صحيفة الاختبار</title>
<link rel="canonical" href="/news/good-{n}.html">
</head><body>
<nav><a href="/">الرئيسية</a> <a href="/news/">أخبار</a></nav>
<article><h1>افتتاح حديقة عامة جديدة رقم {n}</h1>
{paras}
</article>
<footer>جميع الحقوق محفوظة لصحيفة الاختبار</footer>
</body></html>"""


BROKEN_HTML = (
    "<html><head><title>صفحة مكسورة</title><body><div><p>"
    + "<div><span><p>".join(f"{p} <b>غير مغلق <i>مائل" for p in _PARAGRAPHS)
    + "</table></td></html></html><p>نهاية &amp ; &#xZZ; &bogus; <a href='x"
)


# --- the server ------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str  # without the query
    target: str  # as requested, with the query
    headers: dict[str, str]


@dataclass
class Hit:
    path: str
    time: float


Route = Callable[["FaultServer", socket.socket, Request], None]


def _response(status: str, body: bytes = b"", headers: dict[str, str] | None = None,
              *, length: int | None = None, ctype: str | None = "text/html; charset=utf-8") -> bytes:
    lines = [f"HTTP/1.1 {status}"]
    if ctype:
        lines.append(f"Content-Type: {ctype}")
    lines.append(f"Content-Length: {len(body) if length is None else length}")
    lines.append("Connection: close")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN: the peer sees 'connection reset'."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class _Handler(socketserver.BaseRequestHandler):
    server: _TCPServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(10)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = sock.recv(4096)
                if not chunk:
                    return
                data += chunk
        except OSError:
            return
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        parts = head[0].split(" ")
        if len(parts) < 2:
            return
        headers = {}
        for line in head[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        req = Request(parts[0], parts[1].split("?")[0], parts[1], headers)
        fs = self.server.owner
        with fs.lock:
            fs.hits.append(Hit(req.target, time.monotonic()))
        route = fs.routes.get(req.path)
        try:
            if route is None:
                sock.sendall(_response("404 Not Found", b"<html><body>not here</body></html>"))
            else:
                route(fs, sock, req)
        except OSError:
            pass  # the client gave up: that is what many faults are for


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: FaultServer


@dataclass
class FaultServer:
    host: str = HOST  # any 127.x.y.z: the archive job runs one worker per host name
    robots: str = "allow"  # "allow", "hang" (never answers) or "huge" (10 MB)
    latency: float = 0.0  # added before every good article, to slow a run down
    good: int = 5  # good articles /news/good-F.html ... good-(F+N-1).html, F = `first`
    first: int = 1  # numbers are unique across servers, so no two articles share a text
    faults: tuple[str, ...] | None = None  # fault routes listed on /news/ (None: all)
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    port: int = 0
    secret_path: str = ""  # the file an XXE entity points at

    def __post_init__(self) -> None:
        self.routes.update(_ROUTES)
        for n in self.numbers:
            self.routes[f"/news/good-{n}.html"] = _good(n)

    @property
    def numbers(self) -> range:
        return range(self.first, self.first + self.good)

    def good_urls(self) -> list[str]:
        return [self.url(f"/news/good-{n}.html") for n in self.numbers]

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        """Requests for `path` (with any query), or for exactly `path?query`."""
        with self.lock:
            return sum(h.path == path or h.path.split("?")[0] == path for h in self.hits)

    def listed_faults(self) -> tuple[str, ...]:
        return tuple(FAULTS) if self.faults is None else self.faults

    def __enter__(self) -> FaultServer:
        self._srv = _TCPServer((self.host, 0), _Handler)
        self._srv.owner = self
        self.port = self._srv.server_address[1]
        self._thread = threading.Thread(target=self._srv.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()  # releases every handler that is hanging on purpose
        self._srv.shutdown()
        self._srv.server_close()


# --- routes ----------------------------------------------------------------------


def _good(n: int) -> Route:
    def route(fs: FaultServer, sock: socket.socket, req: Request) -> None:
        if fs.latency:
            fs.stop.wait(fs.latency)
        sock.sendall(_response("200 OK", article_html(n).encode()))

    return route


def _static(status: str, body: bytes = b"", ctype: str | None = "text/html; charset=utf-8",
            **headers: str) -> Route:
    def route(fs: FaultServer, sock: socket.socket, req: Request) -> None:
        sock.sendall(_response(status, body, {k.replace("_", "-"): v for k, v in headers.items()},
                               ctype=ctype))

    return route


def _hang(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    fs.stop.wait(120)


def _drip(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    # One byte every 0.3 s: each read returns well inside a per-read timeout,
    # so only a total deadline on the body stops it.
    body = article_html(900).encode()
    sock.sendall(_response("200 OK", b"", length=len(body)))
    for i in range(len(body)):
        if fs.stop.wait(0.3):
            return
        sock.sendall(body[i : i + 1])


def _too_large(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    # Declared honestly: a fetcher may refuse on the header alone.
    size = 64 * 1024 * 1024
    sock.sendall(_response("200 OK", b"", length=size))
    _stream_filler(fs, sock, size)


def _too_large_chunked(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    # No length given: the cap must be enforced while reading.
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
                 b"Connection: close\r\n\r\n")
    chunk = b"<p>" + "حشو ".encode() * 8000 + b"</p>"
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    for _ in range(64 * 1024 * 1024 // len(chunk)):
        if fs.stop.is_set():
            return
        sock.sendall(frame)
    sock.sendall(b"0\r\n\r\n")


def _stream_filler(fs: FaultServer, sock: socket.socket, size: int) -> None:
    block = b"<p>" + b"x" * 65530 + b"</p>\n"
    sent = 0
    while sent < size and not fs.stop.is_set():
        sock.sendall(block)
        sent += len(block)


def _short_body(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    body = article_html(901).encode()
    sock.sendall(_response("200 OK", body[:300], length=len(body) * 3))
    sock.shutdown(socket.SHUT_WR)


def _reset_mid_body(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    body = article_html(902).encode()
    sock.sendall(_response("200 OK", body[: len(body) // 2], length=len(body)))
    time.sleep(0.05)
    _reset(sock)


def _redirect(location_for: Callable[[FaultServer, Request], str]) -> Route:
    def route(fs: FaultServer, sock: socket.socket, req: Request) -> None:
        sock.sendall(_response("302 Found", b"", {"Location": location_for(fs, req)}))

    return route


def _chain_step(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    # /news/chain/N.html -> N+1, up to 20 hops: longer than any sane cap.
    n = int(req.path.rsplit("/", 1)[1].split(".")[0])
    target = f"/news/chain/{n + 1}.html" if n < 20 else "/news/good-1.html"
    sock.sendall(_response("302 Found", b"", {"Location": target}))


def _gzip_bomb(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    member = _bomb_member()
    body = member * 16  # concatenated gzip members: 1 GiB once inflated
    sock.sendall(_response("200 OK", body, {"Content-Encoding": "gzip"}))


@cache
def _bomb_member() -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip framing
    block = b"\0" * (1 << 20)
    out = [z.compress(block) for _ in range(64)]
    return b"".join(out) + z.flush()


def _binary(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    import random

    junk = random.Random(7).randbytes(50_000)
    sock.sendall(_response("200 OK", junk, ctype="text/html; charset=utf-8"))


def _lying_charset(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    body = article_html(903, charset="utf-8").encode("windows-1256")
    sock.sendall(_response("200 OK", body, ctype="text/html; charset=utf-8"))


def _then_ok(status: str, headers: dict[str, str], n: int) -> Route:
    """First request fails with `status`, the next ones succeed (retry works)."""

    def route(fs: FaultServer, sock: socket.socket, req: Request) -> None:
        if fs.count(req.target) <= 1:  # per query string: each test gets a fresh "first"
            sock.sendall(_response(status, b"<html><body>busy</body></html>", headers))
        else:
            sock.sendall(_response("200 OK", article_html(n).encode()))

    return route


def _section(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    links = [f"/news/good-{n}.html" for n in fs.numbers]
    links += [FAULTS[name].path for name in fs.listed_faults()]
    items = "\n".join(f'<li><a href="{u}">عنوان الخبر {i}</a></li>' for i, u in enumerate(links))
    html = f'<html lang="ar"><body><h1>أخبار</h1><ul>{items}</ul></body></html>'
    sock.sendall(_response("200 OK", html.encode()))


def _robots(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    if fs.robots == "hang":
        fs.stop.wait(120)
    elif fs.robots == "huge":
        # 10 MB of rules that never say anything about /news/.
        line = b"Disallow: /private/" + b"a" * 40 + b"/\n"
        body = b"User-agent: *\n" + line * (10 * 1024 * 1024 // len(line))
        sock.sendall(_response("200 OK", body, ctype="text/plain"))
    else:
        sock.sendall(_response("200 OK", b"User-agent: *\nDisallow: /private/\n", ctype="text/plain"))


_BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>/news/good-1.html?from=bomb</link></item>
</channel></rss>"""


def bomb_feed() -> bytes:
    return _BILLION_LAUGHS


def xxe_sitemap(base: str, secret_path: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE urlset [ <!ENTITY xxe SYSTEM "file://{secret_path}"> ]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/news/good-2.html?leak=&xxe;</loc></url>
<url><loc>{base}/news/good-3.html</loc></url>
</urlset>""".encode()


def _feed_bomb(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    sock.sendall(_response("200 OK", bomb_feed(), ctype="application/rss+xml"))


def _sitemap_xxe(fs: FaultServer, sock: socket.socket, req: Request) -> None:
    body = xxe_sitemap(fs.base, fs.secret_path or "/etc/hostname")
    sock.sendall(_response("200 OK", body, ctype="application/xml"))


# --- the catalogue ---------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    path: str
    route: Route
    kinds: frozenset[str]  # acceptable error_kind values; "ok" means it must succeed
    max_seconds: float  # the fetcher must settle it within this (default settings)


def _f(path: str, route: Route, *kinds: str, max_seconds: float = 15.0) -> Fault:
    return Fault(path, route, frozenset(kinds), max_seconds)


FAULTS: dict[str, Fault] = {
    "connect-hang": _f("/news/fault-hang.html", _hang, "timeout"),
    "slow-drip": _f("/news/fault-drip.html", _drip, "timeout"),
    "too-large": _f("/news/fault-too-large.html", _too_large, "too_large"),
    "too-large-chunked": _f("/news/fault-too-large-chunked.html", _too_large_chunked, "too_large"),
    "truncated-length": _f("/news/fault-short.html", _short_body, "reset", "empty", "timeout"),
    "reset-mid-body": _f("/news/fault-reset.html", _reset_mid_body, "reset"),
    "http-500": _f("/news/fault-500.html", _static("500 Internal Server Error", b"oops"), "http_5xx"),
    "http-502": _f("/news/fault-502.html", _static("502 Bad Gateway", b"oops"), "http_5xx"),
    "http-503": _f("/news/fault-503.html", _static("503 Service Unavailable", b"oops"), "http_5xx"),
    "http-504": _f("/news/fault-504.html", _static("504 Gateway Timeout", b"oops"), "http_5xx"),
    "http-404": _f("/news/fault-404.html", _static("404 Not Found", b"gone"), "http_4xx"),
    "429-no-retry-after": _f("/news/fault-429.html", _static("429 Too Many Requests", b"slow"),
                             "rate_limited", "http_4xx"),
    "429-huge-retry-after": _f("/news/fault-429-huge.html",
                               _static("429 Too Many Requests", b"slow", Retry_After="86400"),
                               "rate_limited"),
    "429-then-ok": _f("/news/fault-429-then-ok.html",
                      _then_ok("429 Too Many Requests", {"Retry-After": "1"}, 904), "ok"),
    "503-then-ok": _f("/news/fault-503-then-ok.html",
                      _then_ok("503 Service Unavailable", {}, 905), "ok"),
    "redirect-loop": _f("/news/fault-loop.html", _redirect(lambda fs, r: r.path), "redirects"),
    "redirect-chain": _f("/news/chain/0.html", _chain_step, "redirects"),
    "redirect-ftp": _f("/news/fault-to-ftp.html",
                       _redirect(lambda fs, r: f"ftp://{fs.host}:{fs.port}/news/good-1.html"), "bad_url"),
    "redirect-file": _f("/news/fault-to-file.html",
                        _redirect(lambda fs, r: "file:///etc/passwd"), "bad_url"),
    "redirect-metadata": _f("/news/fault-to-metadata.html",
                            _redirect(lambda fs, r: "http://169.254.169.254/latest/meta-data/"),
                            "private_address"),
    "redirect-private": _f("/news/fault-to-private.html",
                           _redirect(lambda fs, r: "http://10.0.0.1/news/x.html"), "private_address"),
    "gzip-bomb": _f("/news/fault-gzip-bomb.html", _gzip_bomb, "too_large"),
    "pdf": _f("/news/fault-pdf.html", _static("200 OK", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n",
                                              "application/pdf"), "not_html"),
    "image": _f("/news/fault-image.html", _static("200 OK", b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
                                                  "image/png"), "not_html"),
    "json": _f("/news/fault-json.html", _static("200 OK", b'{"title": "x"}', "application/json"),
               "not_html"),
    "binary-as-html": _f("/news/fault-binary.html", _binary, "not_html"),
    "broken-html": _f("/news/fault-broken.html", _static("200 OK", BROKEN_HTML.encode()), "ok"),
    "empty-200": _f("/news/fault-empty.html", _static("200 OK", b""), "empty"),
    "lying-charset": _f("/news/fault-lying-charset.html", _lying_charset, "ok"),
}

# Faults that are not article URLs: discovery documents and robots.txt.
XML_FAULTS = ("feed-entity-bomb", "sitemap-xxe")
ROBOTS_FAULTS = ("robots-hang", "robots-10mb")

_ROUTES: dict[str, Route] = {f.path: f.route for f in FAULTS.values()}
_ROUTES.update({f"/news/chain/{n}.html": _chain_step for n in range(21)})
_ROUTES.update({
    "/news/": _section,
    "/robots.txt": _robots,
    "/feed-bomb.xml": _feed_bomb,
    "/sitemap-xxe.xml": _sitemap_xxe,
})


@contextlib.contextmanager
def unanswered_port(host: str = HOST) -> Iterator[int]:
    """A port whose connects time out: it listens with a full backlog and never
    accepts, so the kernel drops new SYNs (a real connect timeout, not a read one)."""
    srv = socket.socket()
    srv.bind((host, 0))
    srv.listen(0)
    port = srv.getsockname()[1]
    fillers = []
    for _ in range(4):
        c = socket.socket()
        c.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            c.connect((host, port))
        fillers.append(c)
    time.sleep(0.05)
    try:
        yield port
    finally:
        for c in fillers:
            c.close()
        srv.close()


# --- the connect guard -------------------------------------------------------------


class ConnectGuard:
    """Audit hook: log every socket connect, refuse any that is not loopback.

    A real observer of the process (no mocking): `attempts` lists every address
    a connect was tried to, so a test can prove a refused redirect never left.
    """

    def __init__(self) -> None:
        self.attempts: list[tuple[str, int]] = []
        self.blocked: list[tuple[str, int]] = []
        self._lock = threading.Lock()

    def install(self) -> None:
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple) -> None:
        if event != "socket.connect":
            return
        address = args[1]
        if not (isinstance(address, tuple) and len(address) >= 2):
            return  # AF_UNIX and friends
        host = str(address[0])
        with self._lock:
            self.attempts.append((host, address[1]))
        if not (host.startswith("127.") or host in ("::1", "localhost", "::ffff:127.0.0.1")):
            with self._lock:
                self.blocked.append((host, address[1]))
            raise ConnectionRefusedError(f"test guard: connect to {host} refused (tests stay on 127.0.0.1)")

    def tried(self, host: str) -> bool:
        with self._lock:
            return any(h == host for h, _ in self.attempts)


GUARD = ConnectGuard()
