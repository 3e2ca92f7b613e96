"""Source indexes: where fingerprints of original articles are kept and looked up.

``LOCATION`` is a path to the embedded SQLite file (the default, no server needed).
"""

from __future__ import annotations

from pathlib import Path

from .base import Index
from .errors import IndexBusy, IndexUnavailable
from .sqlite import SqliteIndex

DEFAULT_LOCATION = ".provenance/index.sqlite"

__all__ = [
    "DEFAULT_LOCATION",
    "Index",
    "IndexBusy",
    "IndexUnavailable",
    "SqliteIndex",
    "open_index",
]


def open_index(location: str, *, create: bool = True) -> Index:
    """Open the index at ``location``; ``create=False`` refuses to make a new one."""
    if "://" in location:
        scheme = location.split("://", 1)[0]
        raise IndexUnavailable(
            f"index location {location!r}: the {scheme!r} backend is not available in this "
            "version; use a file path (default .provenance/index.sqlite)"
        )
    return SqliteIndex(Path(location), create=create)
