"""Suite-wide set-up: the loopback-only connect guard and the figures summary.

Tests add to `FIGURES` through the `figures` fixture; `pytest_terminal_summary`
prints them at the end of every run, including CI's `python -m pytest -q`.
"""

from __future__ import annotations

import pytest

from faultserver import GUARD

GUARD.install()  # before any test runs: nothing in this suite may leave 127.0.0.1

FIGURES: dict[str, object] = {
    "fault kinds tried": set(),
    "archive runs completed": 0,
    "good articles archived": 0,
    "good articles expected": 0,
    "records checked": 0,
    "records invalid": 0,
    "kills": 0,
    "duplicates after kills": 0,
    "lost after kills": 0,
    "fuzz cases run": 0,
    "fuzz failures": 0,
    "fuzz slowest case (s)": 0.0,
}


class Figures:
    """Counters tests add to; the summary prints whatever was collected."""

    def add(self, key: str, n: int = 1) -> None:
        FIGURES[key] = FIGURES.get(key, 0) + n  # type: ignore[operator]

    def kind(self, name: str) -> None:
        FIGURES["fault kinds tried"].add(name)  # type: ignore[union-attr]

    def peak(self, key: str, value: float) -> None:
        FIGURES[key] = max(FIGURES.get(key, 0.0), value)  # type: ignore[type-var]


@pytest.fixture
def figures() -> Figures:
    return Figures()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    kinds = FIGURES["fault kinds tried"]
    if not kinds and not FIGURES["fuzz cases run"] and not FIGURES["archive runs completed"]:
        return  # none of the reliability tests ran (e.g. a single other file was selected)
    tr = terminalreporter
    tr.write_sep("=", "reliability figures")
    tr.write_line(f"fault kinds tried: {len(kinds)} ({', '.join(sorted(kinds))})")
    tr.write_line(f"archive runs completed: {FIGURES['archive runs completed']}")
    tr.write_line(
        f"good articles archived / expected: {FIGURES['good articles archived']}"
        f" / {FIGURES['good articles expected']}"
    )
    tr.write_line(f"records invalid: {FIGURES['records invalid']} (of {FIGURES['records checked']} checked)")
    tr.write_line(f"SIGKILLs: {FIGURES['kills']}, duplicates after kills: {FIGURES['duplicates after kills']},"
                  f" lost after kills: {FIGURES['lost after kills']}")
    tr.write_line(
        f"fuzz cases run: {FIGURES['fuzz cases run']}, failures: {FIGURES['fuzz failures']},"
        f" slowest case: {FIGURES['fuzz slowest case (s)']:.2f} s"
    )
