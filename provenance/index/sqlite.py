"""The embedded index: one SQLite file, no server.

Sources are stored with their text (alignment needs it) and a digest of everything that went
into their fingerprint, so re-adding an unchanged source costs a lookup, not a fingerprint.
Each source also keeps its own band keys, so that removing it deletes exactly its postings.

Postings (band key, source) are stored as a log-structured merge of sorted runs: each batch of
sources writes one run, its postings packed into blocks by key prefix (see ``postings``), and
runs are merged whenever the newer ones add up to a quarter of the one before them. A batch
writes only its own postings, whatever the size of the index, and a lookup reads one block per
key from each of a few runs, never the signatures of the whole index.

The file is in WAL mode and every change is one transaction (``put`` writes a batch, a merge
replaces runs), so a process killed at any moment leaves an index that opens and checks clean,
holding whole batches. Readers never wait for a writer and read one snapshot; a second writer
waits for the first (up to ``BUSY_TIMEOUT`` seconds) instead of failing with "database is
locked".
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from ..fingerprint import PARAMETERS
from ..iterables import batched
from ..models import Source
from . import postings
from .base import Hits
from .errors import IndexBusy, IndexUnavailable

SCHEMA_VERSION = "3"
BUSY_TIMEOUT = 60.0  # seconds a writer waits for another writer's transaction to end
_SOURCE_FIELDS = [f.name for f in fields(Source)]
_CACHE_KIB = 256 * 1024
_WAL_LIMIT = 64 << 20  # bytes of write-ahead log kept after a checkpoint
_BATCH = 10_000  # sources a transaction holds
_MERGE_RATIO = 4  # runs merge when the newer ones hold a quarter of the postings of the older
_MERGE_SLICE = 1 << 22  # postings merged at a time, at most (about 64 MB of them)
_LOOKUP_CHUNK = 500  # SQLite caps the number of bound parameters per statement
_LISTED = "rowid NOT IN (SELECT source FROM unlisted)"  # the sources readers see

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    -- A source's number, never used again once it is gone: a writer lists the sources it
    -- stored by number, and another may delete them meanwhile.
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    publisher TEXT, url TEXT, title TEXT, author TEXT, published TEXT, license TEXT,
    origin TEXT,
    digest TEXT NOT NULL,
    keys BLOB NOT NULL,  -- its band keys, signed 64-bit little-endian
    -- Last: a long text spills onto pages of its own, and reading any column after it would
    -- read those too.
    text TEXT NOT NULL
);
-- Sources stored whose postings are not written yet: left out of everything a reader sees.
CREATE TABLE IF NOT EXISTS unlisted (source INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,  -- in the order runs were written: merged runs are the newest
    shift INTEGER NOT NULL,  -- a key's block in this run: key >> shift
    postings INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS postings (
    run INTEGER NOT NULL,
    prefix INTEGER NOT NULL,
    keys BLOB NOT NULL,  -- band keys, signed 64-bit little-endian
    sources BLOB NOT NULL,  -- the source of each key, likewise
    PRIMARY KEY (run, prefix)
) WITHOUT ROWID;
"""


def _to_merge(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The newest runs to merge (none, or two or more): while the newer ones hold a quarter
    of the postings of the run before them."""
    first, newer = len(runs) - 1, runs[-1][2] if runs else 0
    while first > 0 and newer * _MERGE_RATIO >= runs[first - 1][2]:
        first -= 1
        newer += runs[first][2]
    return runs[first:] if first < len(runs) - 1 else []


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
            # Pages of a large index's postings stay cached between batches.
            self.db.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
            if create:  # an index only opened to be read is left as it is, whatever it is
                # Larger pages: fewer rows to split over pages (takes effect only in a new file).
                self.db.execute("PRAGMA page_size=16384")
                self._use_wal()
            # In WAL mode a crash still never loses a committed batch; only a power cut may,
            # and it never damages the file. Syncing at checkpoints only writes much faster.
            self.db.execute("PRAGMA synchronous=NORMAL")
            # A merge of large runs fills the write-ahead log with gigabytes: cut it back once
            # they are in the file.
            self.db.execute(f"PRAGMA journal_size_limit={_WAL_LIMIT}")
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

    def _use_wal(self) -> None:
        """Switch to WAL mode. SQLite does not wait for another process that holds the file
        while it switches (two commands creating one index at once): this waits for it."""
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

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

    def _rows_in(self, query: str, values: list[Any], *before: object) -> Iterator[Any]:
        """The rows of ``query``, whose ``{marks}`` is the list of ``values`` an ``IN`` tests
        (after the parameters ``before``), a chunk of values at a time: SQLite caps the number
        of parameters a statement binds."""
        for chunk in batched(values, _LOOKUP_CHUNK):
            marks = ", ".join("?" * len(chunk))
            yield from self.db.execute(query.format(marks=marks), [*before, *chunk])

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """One snapshot for several statements: what writers commit meanwhile (a batch listed,
        runs merged) is not half seen. Within a transaction already, that one's."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            self.db.execute("SELECT count(*) FROM meta").fetchone()  # the snapshot starts now
            yield
        finally:
            self.db.execute("COMMIT")

    def __enter__(self) -> SqliteIndex:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def digests(self) -> dict[str, tuple[str, str | None]]:
        """Each source's (digest, origin)."""
        rows = self.db.execute(f"SELECT id, digest, origin FROM sources WHERE {_LISTED}")
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

    def put(self, entries: Iterable[tuple[Source, str, str, np.ndarray]]) -> None:
        """Store (source, origin, digest, band keys) entries, replacing any source with the
        same id (an id given twice: the last wins); readers see them all at once, when their
        postings are written, last, as one run. Band keys are distinct, as a fingerprint's are.

        New sources are stored as they come, a transaction per chunk, as *unlisted* sources:
        left out of lookups, ``digests`` and ``count``. Texts committed along the way keep the
        last commit small; a process killed meanwhile leaves unlisted sources, which the next
        update reads as new and stores again. A source that replaces one readers see is stored
        in the last transaction, with the listing: until then readers see the old version."""
        keys_of: dict[int, np.ndarray] = {}  # each source stored: its band keys, written last
        replacing: dict[str, tuple[Source, str, str, np.ndarray]] = {}
        for chunk in batched(entries, _LOOKUP_CHUNK):
            with self._writing():
                last = {entry[0].id: entry for entry in chunk}
                for source_id in self._listed_ids(list(last)):
                    replacing[source_id] = last.pop(source_id)
                self._delete(list(last), keys_of)  # unlisted: left by this put, or a killed one
                self._store(list(last.values()), keys_of)
        if keys_of or replacing:
            with self._writing():
                self._delete(list(replacing), keys_of)
                self._store(list(replacing.values()), keys_of)
                self._list(keys_of)
        self._merge_runs()

    def _listed_ids(self, ids: list[str]) -> set[str]:
        """Which of these ids are those of listed sources."""
        query = f"SELECT id FROM sources WHERE id IN ({{marks}}) AND {_LISTED}"
        return {source_id for (source_id,) in self._rows_in(query, ids)}

    def _store(
        self, entries: list[tuple[Source, str, str, np.ndarray]], keys_of: dict[int, np.ndarray]
    ) -> None:
        """Store sources, unlisted; record their band keys by number in ``keys_of``."""
        # Numbered here, not by SQLite, so that all rows go in with one statement (SQLite
        # records the highest number, as it does its own).
        first = self.db.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM sqlite_sequence WHERE name = 'sources'"
        ).fetchone()[0]
        columns = ["rowid", *_SOURCE_FIELDS, "origin", "digest", "keys"]
        self.db.executemany(
            f"INSERT INTO sources ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            (
                (n, *(getattr(source, f) for f in _SOURCE_FIELDS), origin, digest, own)
                for n, (source, origin, digest, keys) in enumerate(entries, first)
                for own in [keys.astype("<i8").tobytes()]
            ),
        )
        numbers = range(first, first + len(entries))
        self.db.executemany("INSERT INTO unlisted VALUES (?)", ((n,) for n in numbers))
        for number, (_, _, _, keys) in zip(numbers, entries, strict=True):
            keys_of[number] = keys

    def _list(self, keys_of: dict[int, np.ndarray]) -> None:
        """Write the postings of unlisted sources (by number) as a run, and list them. (Another
        writer may have replaced some meanwhile: those are left as they are.)"""
        unlisted = self._unlisted(list(keys_of))
        numbers = np.fromiter((n for n in keys_of if n in unlisted), np.int64)
        keys = [keys_of[n] for n in numbers.tolist()]
        if keys:
            self._write_run(np.concatenate(keys), np.repeat(numbers, list(map(len, keys))))
        self.db.executemany("DELETE FROM unlisted WHERE source = ?", ((n,) for n in unlisted))

    def _unlisted(self, numbers: list[int]) -> set[int]:
        """Which of these sources are unlisted."""
        query = "SELECT source FROM unlisted WHERE source IN ({marks})"
        return {number for (number,) in self._rows_in(query, numbers)}

    def batch_size(self) -> int:
        """Sources in one transaction: each writes its postings as a run of their own, so
        transactions need not grow with the index."""
        return _BATCH

    def _new_run(self, shift: int, count: int) -> int:
        """The number of a new run of ``count`` postings, whose blocks are ``key >> shift``."""
        insert = "INSERT INTO runs (shift, postings) VALUES (?, ?)"
        return int(self.db.execute(insert, (shift, count)).lastrowid or 0)

    def _write_run(self, keys: np.ndarray, sources: np.ndarray) -> None:
        """Store postings as a new run."""
        shift = postings.shift_for(len(keys))
        run = self._new_run(shift, len(keys))
        self.db.executemany(
            f"INSERT INTO postings VALUES ({run}, ?, ?, ?)", postings.encode(keys, sources, shift)
        )

    def _runs(self) -> list[tuple[int, int, int]]:
        """Each run's (id, shift, postings), oldest first."""
        return self.db.execute("SELECT id, shift, postings FROM runs ORDER BY id").fetchall()

    def _merge_runs(self) -> None:
        """Merge the newest runs, one transaction per merge, for as long as the newer ones add
        up to a quarter of the run before them: runs then shrink fourfold from the oldest to
        the newest, so there are only a few (three for a million sources), and a posting is
        written a few times (seven, on average, over an index built in 100 batches)."""
        while _to_merge(self._runs()):  # looked at first without the write lock: mostly none
            with self._writing():  # and again with it: another writer may have merged
                if runs := _to_merge(self._runs()):
                    self._merge(runs)

    def _merge(self, runs: list[tuple[int, int, int]]) -> None:
        """Replace ``runs`` with one run of all their postings, read and written a slice of the
        key space at a time, so that memory stays bounded however large the runs."""
        total = sum(count for _, _, count in runs)
        shift = postings.shift_for(total)
        # Slices follow the top bits of the key, and the new run's blocks lie inside them.
        bits = min(((total - 1) // _MERGE_SLICE).bit_length(), 64 - shift)
        merged = self._new_run(shift, total)
        step = 1 << (64 - bits)
        for low in range(-(1 << 63), 1 << 63, step):
            high = low + step - 1
            keys, sources = postings.decode(
                row
                for run, run_shift, _ in runs
                for row in self.db.execute(
                    "SELECT keys, sources FROM postings WHERE run = ? AND prefix BETWEEN ? AND ?",
                    (run, low >> run_shift, high >> run_shift),
                )
            )
            inside = (keys >= low) & (keys <= high)  # an old block may straddle the slice
            self.db.executemany(
                f"INSERT INTO postings VALUES ({merged}, ?, ?, ?)",
                postings.encode(keys[inside], sources[inside], shift),
            )
        old = [run for run, _, _ in runs]
        marks = ", ".join("?" * len(old))
        self.db.execute(f"DELETE FROM postings WHERE run IN ({marks})", old)
        self.db.execute(f"DELETE FROM runs WHERE id IN ({marks})", old)

    def _delete(self, ids: list[str], pending: dict[int, np.ndarray] | None = None) -> None:
        """Delete sources by id with their postings (inside a transaction). ``pending``: band
        keys ``put`` has yet to write, by source number, from which a deleted source's go too."""
        found = list(
            self._rows_in("SELECT id, rowid, keys FROM sources WHERE id IN ({marks})", ids)
        )
        self.db.executemany("DELETE FROM sources WHERE rowid = ?", ((n,) for _, n, _ in found))
        unlisted = self._unlisted([n for _, n, _ in found])  # they have no postings yet
        self.db.executemany("DELETE FROM unlisted WHERE source = ?", ((n,) for n in unlisted))
        if listed := [(n, keys) for _, n, keys in found if n not in unlisted]:
            self._delete_postings(
                np.array([n for n, _ in listed]),
                np.concatenate([np.frombuffer(keys, "<i8") for _, keys in listed]),
            )
        if pending is not None:
            for _, number, _ in found:
                pending.pop(number, None)

    def _delete_postings(self, numbers: np.ndarray, keys: np.ndarray) -> None:
        """Delete the postings of sources ``numbers``, whose band keys are ``keys``: rewrite
        the blocks those keys fall in, in every run, without them."""
        for run, shift, _ in self._runs():
            prefixes = np.unique(keys.astype(np.int64) >> shift).tolist()
            for chunk in batched(prefixes, _LOOKUP_CHUNK):
                where = f"run = {run} AND prefix IN ({', '.join('?' * len(chunk))})"
                found = self.db.execute(
                    f"SELECT keys, sources FROM postings WHERE {where} ORDER BY prefix", chunk
                )
                block_keys, block_sources = postings.decode(found)
                kept = ~np.isin(block_sources, numbers)
                if kept.all():
                    continue
                self.db.execute(f"DELETE FROM postings WHERE {where}", chunk)
                self.db.executemany(
                    f"INSERT INTO postings VALUES ({run}, ?, ?, ?)",
                    postings.encode(block_keys[kept], block_sources[kept], shift),
                )
                self.db.execute(
                    "UPDATE runs SET postings = postings - ? WHERE id = ?",
                    (int((~kept).sum()), run),
                )
        self.db.execute("DELETE FROM runs WHERE postings = 0")

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove sources by id; return the ids of those readers saw. (Unlisted ones, left by
        an update that was stopped, go too.)"""
        ids = list(ids)
        with self._writing():
            listed = self._listed_ids(ids)
            self._delete(ids)
        return [source_id for source_id in ids if source_id in listed]

    # -- reading ---------------------------------------------------------------------------

    def candidates(self, keys: Iterable[int]) -> Hits:
        """How many of ``keys`` each indexed source shares (by number), leaving out keys more
        than ``COMMON_KEY_SOURCES`` sources share."""
        wanted = np.unique(np.fromiter(keys, np.int64))
        if not len(wanted):
            return Hits()
        blocks: list[tuple[bytes, bytes]] = []
        with self._reading():
            query = "SELECT keys, sources FROM postings WHERE run = ? AND prefix IN ({marks})"
            for run, shift, _ in self._runs():
                blocks.extend(self._rows_in(query, np.unique(wanted >> shift).tolist(), run))
        found, sources = postings.decode(blocks)
        # Which postings hold a key asked for: a search in the few keys asked (sorted), not
        # a sort of all the postings the blocks hold.
        asked = wanted[np.minimum(np.searchsorted(wanted, found), len(wanted) - 1)] == found
        found, sources = found[asked], sources[asked]
        order = np.lexsort((sources, found))  # as the sources of each key in turn
        return Hits.of_postings(found[order], sources[order])

    def _source_where(self, column: str, value: int | str) -> Source | None:
        query = f"SELECT {', '.join(_SOURCE_FIELDS)} FROM sources WHERE {column} = ? AND {_LISTED}"
        row = self.db.execute(query, (value,)).fetchone()
        return Source(*row) if row else None

    def sources(self, rowids: Iterable[int]) -> Iterator[Source]:
        for rowid in rowids:
            if found := self._source_where("rowid", rowid):
                yield found

    def get(self, source_id: str) -> Source | None:
        return self._source_where("id", source_id)

    def count(self) -> int:
        return int(self.db.execute(f"SELECT count(*) FROM sources WHERE {_LISTED}").fetchone()[0])

    def check(self) -> list[str]:
        """What is wrong with the index file, if anything: SQLite's own integrity check (pages,
        b-trees, indexes), then every block of postings read (damaged blocks, keys in the wrong
        block, runs that hold another number of postings than they record), band keys of
        sources that are gone, and sources whose band keys are missing. (The parameters it was
        built with are checked when it is opened; unlisted sources are not damage.)"""
        with self._reading():
            return self._check()

    def _check(self) -> list[str]:
        problems = [row[0] for row in self.db.execute("PRAGMA integrity_check") if row[0] != "ok"]
        if problems:
            return problems
        rowids = self.db.execute(f"SELECT rowid FROM sources WHERE {_LISTED}")
        live = np.fromiter((rowid for (rowid,) in rowids), np.int64)
        orphans = stored = 0
        for run, shift, count in self._runs():
            held = misplaced = 0
            rows = self.db.execute(
                "SELECT prefix, keys, sources FROM postings WHERE run = ? ORDER BY prefix", (run,)
            )
            for chunk in batched(rows, 1 << 14):
                if any(len(k) != len(s) or len(k) % 8 for _, k, s in chunk):
                    problems.append(f"run {run} holds a damaged block")
                    break
                keys, sources = postings.decode((k, s) for _, k, s in chunk)
                prefixes = np.repeat([p for p, _, _ in chunk], [len(k) // 8 for _, k, _ in chunk])
                misplaced += int(np.count_nonzero(keys >> shift != prefixes))
                held += len(keys)
                alive = np.isin(sources, live)
                stored += int(alive.sum())
                orphans += len(alive) - int(alive.sum())
            if misplaced:
                problems.append(f"run {run} holds {misplaced} band keys in the wrong block")
            if held != count:
                problems.append(f"run {run} holds {held} band keys, not the {count} it records")
        if orphans:
            problems.append(f"{orphans} band keys belong to no source")
        unfingerprinted = self.db.execute(
            f"SELECT count(*) FROM sources WHERE length(keys) = 0 AND {_LISTED}"
        ).fetchone()[0]
        if unfingerprinted:
            problems.append(f"{unfingerprinted} sources have no fingerprint and cannot be matched")
        expected = self.db.execute(
            f"SELECT coalesce(sum(length(keys)), 0) / 8 FROM sources WHERE {_LISTED}"
        )
        missing = expected.fetchone()[0] - stored
        if missing > 0:
            problems.append(f"{missing} band keys of indexed sources are missing")
        return problems

    def stats(self) -> dict[str, object]:
        with self._reading():
            return self._stats()

    def _stats(self) -> dict[str, object]:
        publishers = dict(
            self.db.execute(
                "SELECT coalesce(publisher, '(unknown)'), count(*) FROM sources "
                f"WHERE {_LISTED} "
                "GROUP BY 1 ORDER BY 2 DESC, 1"
            )
        )
        bands = self.db.execute("SELECT coalesce(sum(postings), 0) FROM runs").fetchone()[0]
        return {
            "location": str(self.path),
            "sources": self.count(),
            "publishers": publishers,
            "band_keys": bands,
            "fingerprint": PARAMETERS,
            "size_bytes": self.path.stat().st_size if self.path.exists() else 0,
        }
