"""Source indexes: where fingerprints of original articles are kept and looked up.

``LOCATION`` is a path to the embedded SQLite file (the default, no server needed), or
``redis://[:password@]host:port/db`` for an index that several machines share.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .base import Index
from .errors import IndexBusy, IndexUnavailable
from .location import shown_url
from .sqlite import SqliteIndex

if TYPE_CHECKING:
    from .redis import RedisIndex

DEFAULT_LOCATION = ".provenance/index.sqlite"

__all__ = [
    "DEFAULT_LOCATION",
    "Index",
    "IndexBusy",
    "IndexUnavailable",
    "RedisIndex",
    "SqliteIndex",
    "index_exists",
    "open_index",
    "shown",
]


def __getattr__(name: str) -> Any:
    # The Redis backend (redis-py, datasketch and SciPy: half a second) loads when used.
    if name == "RedisIndex":
        from .redis import RedisIndex

        return RedisIndex
    raise AttributeError(name)


def _is_redis(location: str) -> bool:
    """Whether ``location`` is a Redis URL; a path is not, and other schemes are refused."""
    if "://" not in location:
        return False
    scheme = location.split("://", 1)[0]
    if scheme != "redis":
        raise IndexUnavailable(
            f"index location {location!r}: the {scheme!r} backend is not available in this "
            "version; use a file path (default .provenance/index.sqlite) or redis://host:port/db"
        )
    return True


def open_index(location: str, *, create: bool = True) -> Index:
    """Open the index at ``location``; ``create=False`` refuses to make a new one."""
    if _is_redis(location):
        from .redis import RedisIndex

        return RedisIndex(location, create=create)
    return SqliteIndex(Path(location), create=create)


def shown(location: str) -> str:
    """``location`` for messages and logs: a server's password masked."""
    return shown_url(location) if "://" in location else location


def index_exists(location: str) -> bool:
    """Whether there is an index at ``location``, without making one (a server that cannot be
    reached raises ``IndexUnavailable``)."""
    if not _is_redis(location):
        return Path(location).exists()
    from .redis import has_index

    return has_index(location)
