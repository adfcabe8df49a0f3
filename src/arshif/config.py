"""config.toml -> typed Config, validated before anything runs.

Every key is checked: an unknown key, a wrong type or an out-of-range value
raises ConfigError with a one-line message naming the key, so a typo cannot
silently disable a setting.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Site names become directory names under data_dir: no separators, no dots first.
_SITE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class ConfigError(ValueError):
    """The configuration is invalid; the message names the offending key."""


@dataclass(slots=True)
class SiteConfig:
    name: str
    url: str
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # listing pages scanned for links
    article_pattern: str | None = None  # regex searched in article URLs
    profile: str | None = None  # extraction profile name (see arshif.extract.profiles)
    delay: float | None = None  # overrides [archive] delay for this site's host

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc.lower()


@dataclass(slots=True)
class Config:
    data_dir: Path = Path("archive")
    contact: str = "https://github.com/arshif/arshif"
    delay: float = 1.0
    max_articles_per_site: int = 500
    timeout: float = 30.0
    allow_private: bool = False
    max_bytes: int = 10 * 1024 * 1024
    sites: list[SiteConfig] = field(default_factory=list)
    profiles: list[dict[str, Any]] = field(default_factory=list)  # extra extraction profiles
    path: Path | None = None  # the file it was read from

    def fetch_settings(self):
        """FetchSettings for this run: politeness and safety limits from the config."""
        from arshif.fetch import FetchSettings

        host_delays = {}
        for site in self.sites:
            if site.delay is not None:
                host_delays[site.host] = site.delay
                host_delays[site.netloc] = site.delay
        return FetchSettings(
            contact=self.contact,
            connect_timeout=min(10.0, self.timeout),
            read_timeout=self.timeout,
            max_bytes=self.max_bytes,
            delay=self.delay,
            allow_private=self.allow_private,
            host_delays=host_delays,
        )


# key -> (accepted types, check) ; bool is excluded from numbers on purpose.
_NUM = (int, float)


def _check_value(where: str, key: str, value: Any, types: tuple, *, minimum=None, maximum=None):
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if not ok:
        names = " or ".join(sorted({t.__name__ for t in types}))
        raise ConfigError(f"{where}.{key}: expected {names}, got {type(value).__name__} {value!r}")
    if minimum is not None and value < minimum:
        raise ConfigError(f"{where}.{key}: must be >= {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{where}.{key}: must be <= {maximum}, got {value!r}")
    return value


def _check_url(where: str, key: str, value: Any) -> str:
    _check_value(where, key, value, (str,))
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}.{key}: not an http(s) URL: {value!r}")
    return value


def _check_urls(where: str, key: str, value: Any) -> list[str]:
    _check_value(where, key, value, (list,))
    return [_check_url(where, f"{key}[{i}]", v) for i, v in enumerate(value)]


def _unknown(where: str, table: dict, allowed: set[str]) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")


_ARCHIVE_KEYS = {
    "data_dir", "contact", "delay", "max_articles_per_site", "timeout", "allow_private", "max_bytes",
}
_SITE_KEYS = {
    "name", "url", "feeds", "sitemaps", "sections", "article_pattern", "profile", "delay",
}


def _archive(table: Any, config: Config, base: Path) -> None:
    _check_value("config", "archive", table, (dict,))
    _unknown("[archive]", table, _ARCHIVE_KEYS)
    w = "archive"
    if "data_dir" in table:
        d = Path(_check_value(w, "data_dir", table["data_dir"], (str,))).expanduser()
        config.data_dir = d if d.is_absolute() else base / d
    if "contact" in table:
        config.contact = _check_value(w, "contact", table["contact"], (str,))
        if not config.contact.strip() or any(c in config.contact for c in "\r\n"):
            raise ConfigError("archive.contact: must be a URL or e-mail on one line")
    if "delay" in table:
        config.delay = float(_check_value(w, "delay", table["delay"], _NUM, minimum=0, maximum=3600))
    if "max_articles_per_site" in table:
        config.max_articles_per_site = _check_value(
            w, "max_articles_per_site", table["max_articles_per_site"], (int,), minimum=1
        )
    if "timeout" in table:
        config.timeout = float(_check_value(w, "timeout", table["timeout"], _NUM, minimum=0.1, maximum=600))
    if "allow_private" in table:
        config.allow_private = _check_value(w, "allow_private", table["allow_private"], (bool,))
    if "max_bytes" in table:
        config.max_bytes = _check_value(w, "max_bytes", table["max_bytes"], (int,), minimum=1024)


def _site(i: int, table: Any) -> SiteConfig:
    where = f"sites[{i}]"
    _check_value("config", where, table, (dict,))
    _unknown(f"[[sites]] #{i + 1}", table, _SITE_KEYS)
    for key in ("name", "url"):
        if key not in table:
            raise ConfigError(f"{where}: missing required key {key!r}")
    name = _check_value(where, "name", table["name"], (str,))
    if not _SITE_NAME.match(name):
        raise ConfigError(
            f"{where}.name: {name!r} must be letters, digits, '-' or '_' (it names a directory)"
        )
    where = f"sites.{name}"
    site = SiteConfig(name=name, url=_check_url(where, "url", table["url"]))
    for key in ("feeds", "sitemaps", "sections"):
        if key in table:
            setattr(site, key, _check_urls(where, key, table[key]))
    if "article_pattern" in table:
        pattern = _check_value(where, "article_pattern", table["article_pattern"], (str,))
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}.article_pattern: invalid regex: {exc}") from None
        site.article_pattern = pattern
    if "profile" in table:
        site.profile = _check_value(where, "profile", table["profile"], (str,))
    if "delay" in table:
        site.delay = float(_check_value(where, "delay", table["delay"], _NUM, minimum=0, maximum=3600))
    return site


def parse_config(data: dict[str, Any], base: Path = Path(".")) -> Config:
    """Validate a parsed TOML document; relative data_dir is taken from `base`."""
    _unknown("config", data, {"archive", "sites", "profiles"})
    config = Config(data_dir=base / "archive")
    _archive(data.get("archive", {}), config, base)
    sites = data.get("sites", [])
    _check_value("config", "sites", sites, (list,))
    config.sites = [_site(i, s) for i, s in enumerate(sites)]
    seen: set[str] = set()
    for site in config.sites:
        if site.name in seen:
            raise ConfigError(f"sites.{site.name}: duplicate site name")
        seen.add(site.name)
    profiles = data.get("profiles", [])
    _check_value("config", "profiles", profiles, (list,))
    for i, p in enumerate(profiles):
        _check_value("profiles", f"[{i}]", p, (dict,))
    config.profiles = profiles
    _check_profiles(config)
    return config


def _check_profiles(config: Config) -> None:
    """Extra profiles must load, and a site's `profile` must name one that exists."""
    from arshif.extract.profiles import ProfileError, load_profiles

    try:
        names = {p.name for p in load_profiles(config.profiles)}
    except (ProfileError, TypeError, ValueError) as exc:
        raise ConfigError(f"profiles: {exc}") from None
    for site in config.sites:
        if site.profile is not None and site.profile not in names:
            raise ConfigError(f"sites.{site.name}.profile: unknown profile {site.profile!r}")


def load_config(path: str | Path) -> Config:
    """Read and validate a config file. Raises ConfigError with a one-line reason."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    config = parse_config(data, path.resolve().parent)
    config.path = path
    return config
