"""Paths under data_dir: names from config or from URLs must never leave it.

A site name may come from a hostile page (the host of its canonical URL), so
it is reduced to one safe path component; every path is then re-checked
after resolving symlinks.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from arshif.store.errors import PathError

# Anything but letters, digits, dot, dash and underscore becomes "-": this
# removes separators, NUL, drive colons and whitespace in one rule.
_UNSAFE = re.compile(r"[^\w.-]+")
_MAX = 80


def site_slug(name: str | None) -> str:
    """One safe directory name for a site; PathError when nothing usable is left."""
    text = unicodedata.normalize("NFKC", name or "").strip().lower()
    # Leading dots would make "." / ".." or hidden directories.
    slug = _UNSAFE.sub("-", text).strip(".-")[:_MAX].strip(".-")
    if not slug:
        raise PathError(f"unusable site name: {name!r}")
    return slug


def inside(base: Path, *parts: str) -> Path:
    """`base/parts...`, refused unless it stays under `base` once resolved."""
    for part in parts:
        if not part or "\x00" in part or part in (".", "..") or "/" in part or "\\" in part:
            raise PathError(f"unsafe path component: {part!r}")
    root = base.resolve()
    path = root.joinpath(*parts)
    if not path.resolve().is_relative_to(root):
        raise PathError(f"path leaves the data dir: {'/'.join(parts)!r}")
    return path
