"""The run report: per-site counts, JSON for the store, a short table for people."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from arshif.cli.common import EXIT_OK, EXIT_PARTIAL


@dataclass
class SiteReport:
    site: str
    reached: bool = False  # at least one discovery source answered
    discovered: int = 0  # unique normalised candidate URLs
    known: int = 0  # skipped: already archived, not due for a revisit
    deferred: int = 0  # left for the next run by max_articles_per_site
    fetched: int = 0  # article requests made
    new: int = 0
    version: int = 0
    duplicate: int = 0
    unchanged: int = 0
    failed: Counter = field(default_factory=Counter)  # article failures by reason
    sources_failed: Counter = field(default_factory=Counter)  # feed/sitemap/section failures
    elapsed: float = 0.0
    error: str | None = None  # the site could not be processed at all

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["failed"] = dict(self.failed)
        d["sources_failed"] = dict(self.sources_failed)
        d["elapsed"] = round(self.elapsed, 3)
        return d


@dataclass
class RunReport:
    run_id: int | None = None
    started: str = ""
    finished: str = ""
    elapsed: float = 0.0
    refresh: bool = False
    sites: list[SiteReport] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        """0 when every site was reached, 1 (partial) otherwise."""
        return EXIT_OK if all(s.reached for s in self.sites) else EXIT_PARTIAL

    def totals(self) -> dict[str, int]:
        keys = ("discovered", "known", "deferred", "fetched", "new", "version", "duplicate", "unchanged")
        out = {k: sum(getattr(s, k) for s in self.sites) for k in keys}
        out["failed"] = sum(sum(s.failed.values()) for s in self.sites)
        out["sites_unreached"] = sum(not s.reached for s in self.sites)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "started": self.started,
            "finished": self.finished,
            "elapsed": round(self.elapsed, 3),
            "refresh": self.refresh,
            "exit_status": self.exit_status,
            "totals": self.totals(),
            "sites": [s.to_dict() for s in self.sites],
        }

    def table(self) -> str:
        head = ("site", "reached", "disc", "known", "fetched", "new", "ver", "dup", "unch", "failed")
        rows = [head]
        for s in self.sites:
            reasons = s.failed + Counter({f"source:{k}": v for k, v in s.sources_failed.items()})
            failed = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) or "-"
            if s.error:
                failed = f"{failed}; {s.error}" if failed != "-" else s.error
            rows.append((s.site, "yes" if s.reached else "NO", s.discovered, s.known, s.fetched,
                         s.new, s.version, s.duplicate, s.unchanged, failed))
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(head) - 1)]
        lines = ["  ".join(str(v).ljust(w) for v, w in zip(r, widths)) + "  " + str(r[-1]) for r in rows]
        t = self.totals()
        lines.append(
            f"run {self.run_id}: {len(self.sites)} sites, {t['new']} new, {t['version']} versions, "
            f"{t['failed']} failed, {self.elapsed:.1f} s, exit {self.exit_status}"
        )
        return "\n".join(lines)
