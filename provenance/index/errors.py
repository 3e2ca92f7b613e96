class IndexUnavailable(Exception):
    """The index cannot be used: missing, not an index, built with other parameters."""


class IndexBusy(IndexUnavailable):
    """Another process held the index's write lock for longer than a writer waits."""
