"""The embedded index: one SQLite file, no server.

Sources are stored with their text (alignment needs it) and a digest of everything that went
into their fingerprint, so re-adding an unchanged source costs a lookup, not a fingerprint.
LSH band keys live in a table clustered by key, so a lookup reads only the rows it hits and the
signatures never have to be loaded into memory. Each source also keeps its own keys, so that
removing it deletes exactly its rows: the band table needs no second index by source, which
would cost as much again to write and store.

The file is in WAL mode and every change is one transaction (``put`` writes a batch), so a
process killed at any moment leaves an index that opens and checks clean, holding whole
batches. Readers never wait for a writer; a second writer waits for the first (up to
``BUSY_TIMEOUT`` seconds) instead of failing with "database is locked".
"""

from __future__ import annotations

import itertools
import operator
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path

import numpy as np

from ..fingerprint import PARAMETERS, Fingerprint
from ..iterables import batched
from ..models import Source
from .base import COMMON_KEY_SOURCES, Hits
from .errors import IndexBusy, IndexUnavailable

SCHEMA_VERSION = "2"
BUSY_TIMEOUT = 60.0  # seconds a writer waits for another writer's transaction to end
_SOURCE_FIELDS = [f.name for f in fields(Source)]
_CACHE_KIB = 256 * 1024
_MIN_BATCH = 2000  # sources a transaction holds at least (see ``batch_size``)
_INSERT_CHUNK = 1 << 20  # band rows turned into Python integers at a time
_LOOKUP_CHUNK = 500  # SQLite caps the number of bound parameters per statement

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    publisher TEXT, url TEXT, title TEXT, author TEXT, published TEXT, license TEXT,
    origin TEXT,
    digest TEXT NOT NULL,
    keys BLOB NOT NULL  -- its band keys, signed 64-bit little-endian
);
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER NOT NULL,
    source INTEGER NOT NULL,
    PRIMARY KEY (key, source)
) WITHOUT ROWID;
"""


class SqliteIndex:
    def __init__(self, path: Path, *, create: bool = True) -> None:
        if not create and not path.exists():
            raise IndexUnavailable(f"no index at {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.location = str(path)
        # Autocommit: transactions are begun explicitly, and IMMEDIATE (see ``_writing``).
        self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
        try:
            # Pages of a large index's band table stay cached between batches.
            self.db.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
            if create:  # an index only opened to be read is left as it is, whatever it is
                # Larger pages: fewer to split and write as the band table grows (takes effect
                # only in a new file).
                self.db.execute("PRAGMA page_size=16384")
                self.db.execute("PRAGMA journal_mode=WAL")
            # In WAL mode a crash still never loses a committed batch; only a power cut may,
            # and it never damages the file. Syncing at checkpoints only writes much faster.
            self.db.execute("PRAGMA synchronous=NORMAL")
            if create and not self._has_schema():
                with self._writing():
                    for statement in _SCHEMA.split(";"):
                        self.db.execute(statement)
                    self._check_parameters(new=True)
            else:
                self._check_parameters()
        except sqlite3.DatabaseError as error:
            self.db.close()
            raise IndexUnavailable(f"{path} is not a usable provenance index: {error}") from error
        except IndexUnavailable:
            self.db.close()
            raise

    def _has_schema(self) -> bool:
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        return bool(self.db.execute(query).fetchone()[0])

    def _check_parameters(self, new: bool = False) -> None:
        """Check the parameters the index was built with; a ``new`` index (being created, in
        the transaction that creates it, unless another process got there first) records
        them."""
        expected = {"schema": SCHEMA_VERSION, "fingerprint": PARAMETERS}
        stored = dict(self.db.execute("SELECT key, value FROM meta"))
        if not stored and new:
            self.db.executemany("INSERT INTO meta VALUES (?, ?)", expected.items())
        elif stored != expected:
            raise IndexUnavailable(
                f"{self.path} was built by another version of provenance "
                f"({stored.get('fingerprint')}); delete it and add the sources again"
            )

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction. IMMEDIATE takes the write lock at the start, so a writer
        waits its turn there rather than failing halfway when another has written since it
        began reading."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            raise IndexBusy(
                f"{self.path} is busy: another provenance process kept writing to it for "
                f"more than {BUSY_TIMEOUT:.0f} seconds"
            ) from error
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def __enter__(self) -> SqliteIndex:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def digests(self) -> dict[str, tuple[str, str | None]]:
        """Each source's (digest, origin)."""
        rows = self.db.execute("SELECT id, digest, origin FROM sources")
        return {source_id: (digest, origin) for source_id, digest, origin in rows}

    def move(self, origins: Iterable[tuple[str, str]]) -> None:
        """Record the new (id, origin) of unchanged sources now read from another folder."""
        with self._writing():
            self.db.executemany(
                "UPDATE sources SET origin = ? WHERE id = ?", ((o, i) for i, o in origins)
            )

    def ids_from(self, origin: str) -> set[str]:
        return {
            row[0] for row in self.db.execute("SELECT id FROM sources WHERE origin = ?", (origin,))
        }

    def put(self, entries: Iterable[tuple[Source, str, str, Fingerprint]]) -> None:
        """Store (source, origin, digest, fingerprint) entries in one transaction, replacing any
        source with the same id (an id given twice: the last wins). Entries are read as they
        come; their band keys are written last, all together in key order."""
        pending: dict[int, np.ndarray] = {}  # each stored source's band keys, written last
        with self._writing():
            for chunk in batched(entries, _LOOKUP_CHUNK):
                last = {entry[0].id: entry for entry in chunk}
                self._delete(list(last), pending)
                # Numbered here, not by SQLite, so that all rows go in with one statement.
                first = self.db.execute("SELECT coalesce(max(rowid), 0) + 1 FROM sources")
                first = first.fetchone()[0]
                columns = ["rowid", *_SOURCE_FIELDS, "origin", "digest", "keys"]
                self.db.executemany(
                    f"INSERT INTO sources ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})",
                    (
                        (n, *(getattr(source, f) for f in _SOURCE_FIELDS), origin, digest, own)
                        for n, (source, origin, digest, fp) in enumerate(last.values(), first)
                        for own in [fp.band_keys.astype("<i8").tobytes()]
                    ),
                )
                for number, (_, _, _, fp) in enumerate(last.values(), first):
                    pending[number] = fp.band_keys
            self._insert_bands(pending)

    def batch_size(self) -> int:
        """Sources worth storing in one transaction: a quarter of the index, at least 2,000.
        Band keys are random, so a transaction rewrites every page of the band table its keys
        fall on: growing transactions with the index keep that to a few rewrites of each page
        over the index's life (write amplification, as in a log-structured merge)."""
        # The highest row id: about the number of sources, without counting a million rows.
        size = self.db.execute("SELECT coalesce(max(rowid), 0) FROM sources").fetchone()[0]
        return max(_MIN_BATCH, size // 4 // _MIN_BATCH * _MIN_BATCH)

    def _insert_bands(self, keys: dict[int, np.ndarray]) -> None:
        """Write the band keys of sources (by number), all in key order."""
        if not keys:
            return
        key = np.concatenate(list(keys.values()))
        number = np.repeat(np.fromiter(keys, np.int64, len(keys)), [len(k) for k in keys.values()])
        order = np.lexsort((number, key))  # in key order, each insert lands by the last
        key, number = key[order], number[order]
        for i in range(0, len(key), _INSERT_CHUNK):  # a few Python integers at a time
            part = slice(i, i + _INSERT_CHUNK)
            rows = zip(key[part].tolist(), number[part].tolist(), strict=True)
            self.db.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)", rows)

    def _delete(self, ids: list[str], pending: dict[int, np.ndarray] | None = None) -> list[str]:
        """Delete sources by id with their band rows (inside a transaction); return the ids
        that were there. ``pending``: band keys ``put`` has yet to write, by source number,
        from which a deleted source's go too."""
        found: list[tuple[str, int, bytes]] = []
        for chunk in batched(ids, _LOOKUP_CHUNK):
            query = (
                f"SELECT id, rowid, keys FROM sources WHERE id IN ({', '.join('?' * len(chunk))})"
            )
            found.extend(self.db.execute(query, chunk))
        present = {source_id for source_id, _, _ in found}
        self.db.executemany("DELETE FROM sources WHERE rowid = ?", ((n,) for _, n, _ in found))
        self.db.executemany(
            "DELETE FROM bands WHERE key = ? AND source = ?",
            ((key, n) for _, n, keys in found for key in np.frombuffer(keys, "<i8").tolist()),
        )
        if pending is not None:
            for _, number, _ in found:
                pending.pop(number, None)
        return [source_id for source_id in ids if source_id in present]

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove sources by id; return the ids that were there."""
        with self._writing():
            return self._delete(list(ids))

    # -- reading ---------------------------------------------------------------------------

    def candidates(self, keys: Iterable[int]) -> Hits:
        """How many of ``keys`` each indexed source shares (by row id), leaving out keys more
        than ``COMMON_KEY_SOURCES`` sources share (counted in SQLite, never read out)."""
        hits = Hits()
        keys = [int(key) for key in keys]
        for i in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[i : i + _LOOKUP_CHUNK]
            query = (
                "SELECT key, source FROM bands WHERE key IN (SELECT key FROM bands WHERE key IN "
                f"({', '.join('?' * len(chunk))}) GROUP BY key HAVING count(*) <= ?)"
            )
            rows = self.db.execute(query, [*chunk, COMMON_KEY_SOURCES])
            for _, sources in itertools.groupby(rows, key=operator.itemgetter(0)):
                hits.add([source for _, source in sources])
        return hits

    def _source_where(self, column: str, value: int | str) -> Source | None:
        query = f"SELECT {', '.join(_SOURCE_FIELDS)} FROM sources WHERE {column} = ?"
        row = self.db.execute(query, (value,)).fetchone()
        return Source(*row) if row else None

    def sources(self, rowids: Iterable[int]) -> Iterator[Source]:
        for rowid in rowids:
            if found := self._source_where("rowid", rowid):
                yield found

    def get(self, source_id: str) -> Source | None:
        return self._source_where("id", source_id)

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM sources").fetchone()[0])

    def check(self) -> list[str]:
        """What is wrong with the index file, if anything: SQLite's own integrity check (pages,
        b-trees, indexes), band keys of sources that are gone, and sources whose band keys are
        missing. (The parameters it was built with are checked when it is opened.)"""
        problems = [row[0] for row in self.db.execute("PRAGMA integrity_check") if row[0] != "ok"]
        orphans = self.db.execute(
            "SELECT count(*) FROM bands WHERE source NOT IN (SELECT rowid FROM sources)"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{orphans} band keys belong to no source")
        unfingerprinted = self.db.execute(
            "SELECT count(*) FROM sources WHERE length(keys) = 0"
        ).fetchone()[0]
        if unfingerprinted:
            problems.append(f"{unfingerprinted} sources have no fingerprint and cannot be matched")
        expected = self.db.execute("SELECT coalesce(sum(length(keys)), 0) / 8 FROM sources")
        stored = self.db.execute(
            "SELECT count(*) FROM bands WHERE source IN (SELECT rowid FROM sources)"
        )
        missing = expected.fetchone()[0] - stored.fetchone()[0]
        if missing > 0:
            problems.append(f"{missing} band keys of indexed sources are missing")
        return problems

    def stats(self) -> dict[str, object]:
        publishers = dict(
            self.db.execute(
                "SELECT coalesce(publisher, '(unknown)'), count(*) FROM sources "
                "GROUP BY 1 ORDER BY 2 DESC, 1"
            )
        )
        bands = self.db.execute("SELECT count(*) FROM bands").fetchone()[0]
        return {
            "location": str(self.path),
            "sources": self.count(),
            "publishers": publishers,
            "band_keys": bands,
            "fingerprint": PARAMETERS,
            "size_bytes": self.path.stat().st_size if self.path.exists() else 0,
        }
