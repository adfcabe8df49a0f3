"""Fake news sites on 127.0.0.1, for `arshif demo`, the archive tests and the bench.

Each directory under the sites root is one site with its own server (its own
port, optionally its own 127.0.0.x address, so hosts differ). Text files may
contain `{{base}}`, replaced by the site's base URL when served. `_site.toml`
in a site directory says how to configure it (feeds/sitemaps/sections/pattern,
paths relative to the base URL). Responses carry an ETag and Last-Modified
and answer conditional requests with 304, like a well-behaved news site.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import mimetypes
import tempfile
import threading
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

FIXTURE_SITES = Path(__file__).resolve().parents[2] / "fixtures" / "sites"
_TEXT = (".html", ".xml", ".txt", ".json", "")


@dataclass(slots=True)
class Hit:
    site: str
    method: str
    path: str
    status: int
    time: float = 0.0  # time.monotonic() when the request arrived


@dataclass
class DemoSites:
    root: Path
    urls: dict[str, str] = field(default_factory=dict)  # site name -> base URL
    log: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hits(self, site: str | None = None) -> list[Hit]:
        with self.lock:
            return [h for h in self.log if site is None or h.site == site]

    def paths(self, site: str | None = None) -> list[str]:
        return [h.path for h in self.hits(site)]

    def site_tables(self) -> list[dict]:
        """[[sites]] entries for these sites, from each `_site.toml`."""
        out = []
        for name, base in self.urls.items():
            spec_file = self.root / name / "_site.toml"
            spec = tomllib.loads(spec_file.read_text("utf-8")) if spec_file.exists() else {}
            entry: dict = {"name": name, "url": base + "/"}
            for key in ("feeds", "sitemaps", "sections"):
                if key in spec:
                    entry[key] = [base + p for p in spec[key]]
            for key in ("article_pattern", "profile", "delay"):
                if key in spec:
                    entry[key] = spec[key]
            out.append(entry)
        return out

    def config_toml(self, data_dir: Path | str, **archive) -> str:
        """A complete config.toml for archiving these sites into `data_dir`."""
        settings = {"data_dir": str(data_dir), "allow_private": True, "delay": 0.0, **archive}
        lines = ["[archive]"] + [f"{k} = {_toml(v)}" for k, v in settings.items()]
        for entry in self.site_tables():
            lines += ["", "[[sites]]"] + [f"{k} = {_toml(v)}" for k, v in entry.items()]
        return "\n".join(lines) + "\n"


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)  # strings and lists of strings


def _handler(sites: DemoSites, name: str, base: str, latency: float):
    site_dir = (sites.root / name).resolve()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once: no 40 ms delayed-ACK stall

        def log_message(self, *args):  # the request log is `sites.log`
            pass

        def _resolve(self) -> Path | None:
            path = unquote(urlsplit(self.path).path)
            target = (site_dir / path.lstrip("/")).resolve()
            if site_dir not in target.parents and target != site_dir:
                return None
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or target.name.startswith("_"):
                return None
            return target

        def _answer(self, send_body: bool) -> None:
            self.arrived = time.monotonic()
            if latency:
                time.sleep(latency)
            target = self._resolve()
            if target is None:
                return self._send(404, b"not found", "text/plain", send_body)
            body = target.read_bytes()
            if target.suffix in _TEXT:
                body = body.replace(b"{{base}}", base.encode())
            etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
            mtime = int(target.stat().st_mtime)
            headers = {"ETag": etag, "Last-Modified": email.utils.formatdate(mtime, usegmt=True)}
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            fresh = etag in (inm or "") if inm else _not_modified_since(ims, mtime)
            if fresh:
                return self._send(304, b"", None, False, headers)
            ctype = mimetypes.guess_type(target.name)[0] or "text/plain"
            if target.suffix == ".xml":
                ctype = "application/xml"
            if ctype.startswith("text/") or ctype.endswith("xml"):
                ctype += "; charset=utf-8"
            self._send(200, body, ctype, send_body, headers)

        def _send(self, status, body, ctype, send_body, headers=None):
            with sites.lock:
                sites.log.append(Hit(name, self.command, self.path, status, self.arrived))
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body) if status != 304 else 0))
            self.end_headers()
            if send_body and status != 304:
                self.wfile.write(body)

        def do_GET(self):
            self._answer(True)

        def do_HEAD(self):
            self._answer(False)

    return Handler


def _not_modified_since(header: str | None, mtime: int) -> bool:
    if not header:
        return False
    try:
        since = email.utils.parsedate_to_datetime(header).timestamp()
    except (TypeError, ValueError):
        return False
    return mtime <= since


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):  # a killed client resets: not news
        pass


@contextlib.contextmanager
def serve_sites(
    root: Path | str = FIXTURE_SITES,
    *,
    latency: float = 0.0,
    addresses: list[str] | None = None,
    names: list[str] | None = None,
) -> Iterator[DemoSites]:
    """Serve every site directory under `root`, each on its own port.

    `latency`: seconds slept before each response. `addresses`: one bind
    address per site (e.g. 127.0.0.2, 127.0.0.3 ...) so each site is a
    different host; default 127.0.0.1 for all.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"no fixture sites at {root} (arshif demo needs a source checkout)")
    sites = DemoSites(root)
    names = names or sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    servers = []
    try:
        for i, name in enumerate(names):
            addr = addresses[i % len(addresses)] if addresses else "127.0.0.1"
            server = _Server((addr, 0), BaseHTTPRequestHandler)
            base = f"http://{addr}:{server.server_address[1]}"
            server.RequestHandlerClass = _handler(sites, name, base, latency)
            sites.urls[name] = base
            threading.Thread(target=server.serve_forever, daemon=True, name=f"demo-{name}").start()
            servers.append(server)
        yield sites
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def run_demo(*, data_dir: Path | None = None, root: Path | str = FIXTURE_SITES, progress: bool = False):
    """Serve the fixture sites, archive them with the real job; returns (report, data_dir)."""
    from arshif.archive import run_archive
    from arshif.config import load_config

    data_dir = Path(data_dir or tempfile.mkdtemp(prefix="arshif-demo-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    with serve_sites(root) as sites:
        config_path = data_dir / "demo-config.toml"
        config_path.write_text(sites.config_toml(data_dir / "archive"), encoding="utf-8")
        report = run_archive(load_config(config_path), progress=progress)
    return report, data_dir / "archive"
