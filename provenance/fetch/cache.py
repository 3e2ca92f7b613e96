"""An HTTP cache on disk, for revalidation: the last body of each URL with its validators.

A response is kept only when it has an ``ETag`` or ``Last-Modified``; the next fetch of its URL
sends them back (``If-None-Match``, ``If-Modified-Since``), and a ``304 Not Modified`` reuses the
kept body. Nothing is served without asking the server: freshness lifetimes are not computed,
as an audit wants the page as it is now. One SQLite file, ``http-cache.sqlite``, in the folder;
a file that is not a readable cache is moved aside (``….corrupt``) and a new one started, since
all a cache holds can be fetched again.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

FILE_NAME = "http-cache.sqlite"


@dataclass(frozen=True)
class CachedResponse:
    url: str
    etag: str | None
    last_modified: str | None
    content_type: str | None
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def conditions(self) -> dict[str, str]:
        """The request headers that ask whether this copy is still current."""
        found = {"if-none-match": self.etag, "if-modified-since": self.last_modified}
        return {name: value for name, value in found.items() if value}


class HttpCache:
    def __init__(self, folder: str | Path) -> None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = Path(folder) / FILE_NAME
        try:
            self._db = _open(path)
        except sqlite3.DatabaseError:  # not a database, or a damaged one
            path.replace(path.with_name(path.name + ".corrupt"))
            self._db = _open(path)

    def get(self, url: str) -> CachedResponse | None:
        row = self._db.execute(
            "SELECT etag, last_modified, content_type, headers, body FROM responses WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        etag, last_modified, content_type, headers, body = row
        return CachedResponse(url, etag, last_modified, content_type, body, json.loads(headers))

    def put(self, entry: CachedResponse) -> None:
        if not entry.conditions():
            return  # nothing to revalidate with
        self._db.execute(
            "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?)",
            (
                entry.url,
                entry.etag,
                entry.last_modified,
                entry.content_type,
                json.dumps(entry.headers),
                entry.body,
            ),
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()


def _open(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30)  # another audit may be writing: wait for it
    try:
        db.execute(
            "CREATE TABLE IF NOT EXISTS responses (url TEXT PRIMARY KEY, etag TEXT,"
            " last_modified TEXT, content_type TEXT, headers TEXT, body BLOB)"
        )
        db.execute("SELECT url, etag, last_modified, content_type, headers, body FROM responses")
        db.commit()
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db
