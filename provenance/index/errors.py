class IndexUnavailable(Exception):
    """The index cannot be used: missing, not an index, built with other parameters."""
