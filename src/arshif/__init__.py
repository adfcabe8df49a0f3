"""arshif: archive Arabic news as clean JSON records.

Data flows one way: config -> discover -> fetch -> extract -> store.
Each stage is importable on its own; the CLI and the archive job only wire them.
"""

__version__ = "0.1.0"
