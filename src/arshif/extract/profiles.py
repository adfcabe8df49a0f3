"""Site profiles: site knowledge as data, never as `if domain == ...` in code.

A profile is a TOML table (shipped ones live in `profiles/*.toml`; a user's
config.toml adds more under `[[profiles]]`). Every key but `name` is optional:

    name = "maghress"                    # shown in extraction.profile
    domains = ["maghress.com", ...]      # hosts it applies to (subdomains too)
    body_xpath = "//div[@id='article']"  # the element holding the paragraphs
    strip_xpath = ["//div[@class='x']"]  # extra elements to drop inside the body
    title_xpath = "//h1"                 # read by metadata (engineer B)
    date_xpath = "..."                   # read by metadata
    author_xpath = "..."                 # read by metadata
    aggregator_pattern = "نشر في (?P<source>.+?) يوم (?P<date>.+)"   # source line on aggregators

When `body_xpath` no longer matches (a site redesign), extraction falls back to
the generic path and says so in `extraction.notes`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    domains: tuple[str, ...] = ()
    body_xpath: str | None = None
    strip_xpath: tuple[str, ...] = ()
    title_xpath: str | None = None
    date_xpath: str | None = None
    author_xpath: str | None = None
    aggregator_pattern: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """Dict-style access, so metadata code can treat profiles as mappings."""
        if key in self.extra:
            return self.extra[key]
        return getattr(self, key, default)

    def matches(self, host: str | None) -> bool:
        host = (host or "").lower().removeprefix("www.")
        return any(host == d or host.endswith("." + d) for d in self.domains)


class ProfileError(ValueError):
    pass


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def profile_from_dict(data: dict[str, Any]) -> Profile:
    if not isinstance(data, dict) or not data.get("name"):
        raise ProfileError("a profile needs a name")
    known = {f for f in Profile.__dataclass_fields__ if f != "extra"}
    return Profile(
        name=str(data["name"]),
        domains=tuple(d.lower().removeprefix("www.") for d in _as_tuple(data.get("domains"))),
        body_xpath=data.get("body_xpath"),
        strip_xpath=_as_tuple(data.get("strip_xpath")),
        title_xpath=data.get("title_xpath"),
        date_xpath=data.get("date_xpath"),
        author_xpath=data.get("author_xpath"),
        aggregator_pattern=data.get("aggregator_pattern"),
        extra={k: v for k, v in data.items() if k not in known},
    )


@cache
def _shipped() -> tuple[Profile, ...]:
    found = []
    folder = resources.files("arshif.extract").joinpath("profiles")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            found += [profile_from_dict(p) for p in data.get("profiles", [])]
    return tuple(found)


def load_profiles(extra: list[dict[str, Any]] | None = None) -> list[Profile]:
    """Shipped profiles plus `extra` ones (from config.toml); extra ones win."""
    user = [profile_from_dict(p) for p in extra or []]
    names = {p.name for p in user}
    return user + [p for p in _shipped() if p.name not in names]


def profile_for(host: str | None, profiles: list[Profile] | None = None) -> Profile | None:
    for profile in profiles if profiles is not None else load_profiles():
        if profile.matches(host):
            return profile
    return None
