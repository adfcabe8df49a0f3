"""HTML -> Article. Pure functions: no network, no files.

`extract(html, url)` is the entry point; `extract_bytes` decodes first.
"""

from arshif.extract.core import extract, extract_bytes

__all__ = ["extract", "extract_bytes"]
