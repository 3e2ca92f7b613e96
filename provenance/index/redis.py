"""The shared index: one Redis database that several CI runners read and write.

The LSH band table lives on datasketch's own Redis storage (``RedisSetStorage``): a band key ->
the set of numbers of the sources that have it. Beside it, under the same prefix, each source is
a hash holding its fields, origin, digest and the band keys it added (so that removing it can
undo them); numbers come from a counter and are never reused. The band keys are the ones the
SQLite file stores, so both backends propose the same candidates.

A ``put`` batch, records and band keys, is one MULTI/EXEC transaction: readers see all of it or
none of it. A source can still go between a reader's lookup of a band key and its reading of the
source, so ``sources`` skips numbers that are gone. Writers take turns on a lock key (SET NX
with an expiry, so a writer killed while holding it does not block the others for ever),
waiting up to ``BUSY_TIMEOUT`` seconds for it.
"""

from __future__ import annotations

import functools
import secrets
import struct
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields
from typing import Any, Concatenate, ParamSpec, TypeVar

import numpy as np
import redis
from datasketch.storage import unordered_storage
from redis.connection import parse_url

from ..fingerprint import PARAMETERS
from ..models import Source
from .base import COMMON_KEY_SOURCES, Hits
from .errors import IndexBusy, IndexUnavailable
from .location import shown_url

SCHEMA_VERSION = "1"
BUSY_TIMEOUT = 60.0  # seconds a writer waits for another writer to finish a change
LOCK_EXPIRY = 30.0  # a dead writer's lock frees itself in time for a waiting one to go on
CONNECT_TIMEOUT = 10.0
_LOCK_POLL = 0.05
_BATCH = 2000  # sources a transaction holds
_CHUNK = 500  # commands per round trip when reading many keys

PREFIX = "provenance:"
_META = PREFIX + "meta"
_IDS = PREFIX + "ids"  # source id -> number
_NEXT = PREFIX + "next"  # the last number given to a source
_LOCK = PREFIX + "lock"
_BANDS = (PREFIX + "bands:").encode()  # datasketch's name: its list of keys, and its sets' prefix
_SOURCE_FIELDS = [f.name for f in fields(Source)]

# Releases the lock only if it is still ours: it may have expired and been taken by another.
_UNLOCK = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
# datasketch's buffered ``remove_val`` empties a band's set but leaves the band in its list of
# keys; this drops the bands left empty, inside the same transaction.
_FORGET_EMPTY = """
for i = 2, #KEYS do
    if redis.call('exists', KEYS[i]) == 0 then redis.call('hdel', KEYS[1], ARGV[i - 1]) end
end
return 0
"""

P = ParamSpec("P")
R = TypeVar("R")


def _connection(url: str) -> dict[str, Any]:
    """``redis.Redis`` arguments for the URL, read as ``Redis.from_url`` reads it."""
    try:
        return {**parse_url(url), "socket_connect_timeout": CONNECT_TIMEOUT}
    except ValueError as error:  # a port that is not a number, an unknown option
        raise IndexUnavailable(f"index location {shown_url(url)!r}: {error}") from error


def _unavailable(location: str, error: redis.RedisError) -> IndexUnavailable:
    return IndexUnavailable(f"cannot use the index at {location}: {error}")


def has_index(url: str) -> bool:
    """Whether the database at ``url`` holds an index, of whatever version."""
    client = redis.Redis(**_connection(url))
    try:
        return bool(client.exists(_META))
    except redis.RedisError as error:
        raise _unavailable(shown_url(url), error) from error
    finally:
        client.close()


def _server_errors(
    method: Callable[Concatenate[RedisIndex, P], R],
) -> Callable[Concatenate[RedisIndex, P], R]:
    """A server that went away or refused a command is an unusable index, not a crash."""

    @functools.wraps(method)
    def wrapper(self: RedisIndex, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except redis.RedisError as error:
            raise _unavailable(self.shown, error) from error

    return wrapper


def _pack(keys: Sequence[int]) -> bytes:
    return struct.pack(f"<{len(keys)}q", *keys)


def _unpack(packed: bytes | None) -> list[int]:
    return list(struct.unpack(f"<{len(packed) // 8}q", packed)) if packed else []


def _record(number: int) -> str:
    return f"{PREFIX}source:{number}"


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def _source(source_id: str, values: list[Any]) -> Source:
    text, *optional = values
    return Source(source_id, text.decode(), *map(_text, optional))


class RedisIndex:
    def __init__(self, url: str, *, create: bool = True) -> None:
        self.location = url  # as given: another process (a parallel audit's worker) reopens it
        self.shown = shown_url(url)  # what messages and stats say: without its password
        connection = _connection(url)
        self.db = redis.Redis(**connection)
        self.bands = unordered_storage({"type": "redis", "redis": connection}, name=_BANDS)
        self.bands.buffer_size = sys.maxsize  # never flushed halfway: a batch is one transaction
        self._unlock = self.db.register_script(_UNLOCK)
        self._forget_empty = self.db.register_script(_FORGET_EMPTY)
        try:
            self._check_parameters(create)
        except IndexUnavailable:
            self.close()
            raise

    @_server_errors
    def _check_parameters(self, create: bool) -> None:
        """Check the parameters the index was built with; a new one records them."""
        expected = {b"schema": SCHEMA_VERSION.encode(), b"fingerprint": PARAMETERS.encode()}
        stored = self.db.hgetall(_META)
        if not stored and create:
            with self._writing() as transaction:  # two runners creating it: one records them
                if not self.db.exists(_META):
                    transaction.hset(_META, mapping=expected)
                    return
            stored = self.db.hgetall(_META)
        if not stored:
            raise IndexUnavailable(f"no index at {self.shown}")
        if stored != expected:
            built = _text(stored.get(b"fingerprint"))
            raise IndexUnavailable(
                f"{self.shown} holds an index built by another version of provenance "
                f"({built}); delete its keys ({PREFIX}*) and add the sources again"
            )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RedisIndex:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """One change, under the writer lock, as one MULTI/EXEC transaction. The transaction is
        datasketch's insertion buffer, so the band keys queued with ``buffer=True`` and the
        records queued on it are written together."""
        token = secrets.token_hex(16)
        deadline = time.monotonic() + BUSY_TIMEOUT
        while not self.db.set(_LOCK, token, nx=True, px=int(LOCK_EXPIRY * 1000)):
            if time.monotonic() >= deadline:
                raise IndexBusy(
                    f"{self.shown} is busy: another provenance process kept writing to it "
                    f"for more than {BUSY_TIMEOUT:.0f} seconds"
                )
            time.sleep(_LOCK_POLL)
        transaction = self.bands._buffer  # datasketch offers no other way into its transaction
        try:
            transaction.watch(_LOCK)  # had our lock expired and another writer taken it: no EXEC
            transaction.multi()
            yield transaction
            transaction.execute()
        except redis.WatchError as error:
            raise IndexBusy(
                f"{self.shown}: the write lock expired before the change was written "
                "(nothing was written); run again"
            ) from error
        finally:
            transaction.reset()
            self._unlock(keys=[_LOCK], args=[token])

    def _numbers(self, ids: Sequence[str]) -> dict[str, int]:
        numbers = self.db.hmget(_IDS, ids) if ids else []
        return {i: int(n) for i, n in zip(ids, numbers, strict=True) if n is not None}

    def _read(self, numbers: Iterable[int], *names: str) -> Iterator[tuple[int, str, list[Any]]]:
        """The id and named fields of each numbered source, skipping any gone."""
        numbers = list(numbers)
        for i in range(0, len(numbers), _CHUNK):
            chunk = numbers[i : i + _CHUNK]
            pipe = self.db.pipeline(transaction=False)
            for number in chunk:
                pipe.hmget(_record(number), ["id", *names])
            for number, (source_id, *values) in zip(chunk, pipe.execute(), strict=True):
                if source_id is not None:
                    yield number, source_id.decode(), values

    def _all(self, *names: str) -> Iterator[tuple[int, str, list[Any]]]:
        return self._read(map(int, self.db.hvals(_IDS)), *names)

    def _remove_queued(self, transaction: Any, numbers: Iterable[int]) -> None:
        """Queue the removal of these sources and of their band keys."""
        emptied: list[int] = []
        for number, _, (packed,) in self._read(numbers, "bands"):
            keys = _unpack(packed)
            for key in keys:
                self.bands.remove_val(str(key), number, buffer=True)
            transaction.delete(_record(number))
            emptied.extend(keys)
        for i in range(0, len(emptied), 10 * _CHUNK):
            bands = [str(k) for k in emptied[i : i + 10 * _CHUNK]]
            self._forget_empty(
                keys=[_BANDS, *(self.bands.redis_key(b) for b in bands)],
                args=bands,
                client=transaction,
            )

    # -- writing ---------------------------------------------------------------------------

    @_server_errors
    def digests(self) -> dict[str, tuple[str, str | None]]:
        """Each source's (digest, origin)."""
        found = self._all("digest", "origin")
        return {i: (digest.decode(), _text(origin)) for _, i, (digest, origin) in found}

    @_server_errors
    def move(self, origins: Iterable[tuple[str, str]]) -> None:
        """Record the new (id, origin) of unchanged sources now read from another folder."""
        moved = dict(origins)
        if not moved:
            return
        with self._writing() as transaction:
            for source_id, number in self._numbers(list(moved)).items():
                transaction.hset(_record(number), "origin", moved[source_id])

    @_server_errors
    def ids_from(self, origin: str) -> set[str]:
        return {i for _, i, (found,) in self._all("origin") if _text(found) == origin}

    @_server_errors
    def put(self, entries: Iterable[tuple[Source, str, str, np.ndarray]]) -> None:
        """Store (source, origin, digest, band keys) entries in one transaction, replacing any
        source with the same id."""
        last = {entry[0].id: entry for entry in entries}  # an id given twice: the last wins
        if not last:
            return
        with self._writing() as transaction:
            self._remove_queued(transaction, self._numbers(list(last)).values())
            first = self.db.incrby(_NEXT, len(last)) - len(last) + 1
            for number, (source, origin, digest, band_keys) in enumerate(last.values(), first):
                keys = sorted({int(k) for k in band_keys})
                record = {f: v for f, v in asdict(source).items() if v is not None}
                record.update(origin=origin, digest=digest, bands=_pack(keys))
                transaction.hset(_record(number), mapping=record)
                transaction.hset(_IDS, source.id, number)
                for key in keys:
                    self.bands.insert(str(key), number, buffer=True)

    def batch_size(self) -> int:
        """Sources in one MULTI/EXEC transaction: the server runs it in one go."""
        return _BATCH

    @_server_errors
    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove sources by id; return the ids that were there."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return []
        with self._writing() as transaction:
            numbers = self._numbers(ids)
            if numbers:
                self._remove_queued(transaction, numbers.values())
                transaction.hdel(_IDS, *numbers)
        return [i for i in ids if i in numbers]

    # -- reading ---------------------------------------------------------------------------

    @_server_errors
    def candidates(self, keys: Iterable[int]) -> Hits:
        """How many of ``keys`` each indexed source shares (by number), leaving out keys more
        than ``COMMON_KEY_SOURCES`` sources share. Counted in the order SQLite's lookup gives
        them (keys sorted in chunks, then sources), so that sources with equal counts rank
        alike on both backends."""
        hits = Hits()
        keys = list(dict.fromkeys(int(k) for k in keys))
        for i in range(0, len(keys), _CHUNK):
            chunk = sorted(keys[i : i + _CHUNK])
            for members in self.bands.getmany(*(str(k) for k in chunk)):
                if 0 < len(members) <= COMMON_KEY_SOURCES:
                    hits.add(sorted(int(m) for m in members))
        return hits

    @_server_errors
    def sources(self, numbers: Iterable[int]) -> Iterator[Source]:
        found = self._read(numbers, *_SOURCE_FIELDS[1:])
        return iter([_source(source_id, values) for _, source_id, values in found])

    @_server_errors
    def get(self, source_id: str) -> Source | None:
        found = self._read(self._numbers([source_id]).values(), *_SOURCE_FIELDS[1:])
        return next((_source(i, values) for _, i, values in found), None)

    @_server_errors
    def count(self) -> int:
        return int(self.db.hlen(_IDS))

    @_server_errors
    def check(self) -> list[str]:
        """What is wrong with the index, if anything: band keys of sources that are gone,
        sources without band keys, and sources some of whose band keys are missing. (The
        parameters it was built with are checked when it is opened.)"""
        ids = self.count()
        listed = {n: len(_unpack(packed)) for n, _, (packed,) in self._all("bands")}
        held: Counter[int] = Counter()  # band keys each number has in the band table
        keys = self.bands.keys()
        for i in range(0, len(keys), _CHUNK):
            for members in self.bands.getmany(*keys[i : i + _CHUNK]):
                held.update(int(m) for m in members)
        problems = []
        if ids > len(listed):
            problems.append(f"{ids - len(listed)} ids name a source that is gone")
        orphans = sum(count for number, count in held.items() if number not in listed)
        if orphans:
            problems.append(f"{orphans} band keys belong to no source")
        unfingerprinted = sum(1 for number in listed if not held[number])
        if unfingerprinted:
            problems.append(f"{unfingerprinted} sources have no fingerprint and cannot be matched")
        incomplete = sum(1 for number, count in listed.items() if 0 < held[number] != count)
        if incomplete:
            problems.append(f"{incomplete} sources miss some of their band keys")
        return problems

    @_server_errors
    def stats(self) -> dict[str, object]:
        publishers: Counter[str] = Counter()
        bands = 0
        for _, _, (publisher, packed) in self._all("publisher", "bands"):
            publishers[_text(publisher) or "(unknown)"] += 1
            bands += len(packed or b"") // 8
        return {
            "location": self.shown,
            "sources": self.count(),
            "publishers": dict(sorted(publishers.items(), key=lambda p: (-p[1], p[0]))),
            "band_keys": bands,
            "fingerprint": PARAMETERS,
            "server_memory_bytes": self.db.info("memory")["used_memory"],
        }
