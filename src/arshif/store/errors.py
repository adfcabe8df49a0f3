"""Store failures, each with a one-line message fit for the CLI."""


class StoreError(Exception):
    """The store could not do what was asked; what is already stored stays valid."""


class PathError(StoreError, ValueError):
    """A name or path would leave data_dir."""


class StoreBusy(StoreError):
    """Another process is writing to this data_dir."""
