"""Bring an index up to date with the sources: read them, fingerprint what is new or changed,
store it in batches, and remove what is gone.

Reading (parsing JSON, extracting pages) and fingerprinting run in worker processes, a batch at
a time, while this process finds the next batches' files and lines and stores what came back:
every core is busy, and only a few batches are ever in memory.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .fetch import FetchResult
from .fingerprint import SOURCE_STEP, Fingerprint, fingerprints
from .index import Index
from .models import IndexUpdate, Source
from .parallel import cpus, process_pool
from .progress import Progress, quiet
from .rules import Pack
from .rules.pack import host_of
from .sources import (
    LinesTask,
    ReadTask,
    SourceEntry,
    SourceProblem,
    read_task,
    reading_tasks,
)

BATCH = 1000  # sources read and fingerprinted together; a transaction holds whole batches


@dataclass(frozen=True)
class _Unchanged:
    """A source read whose digest is the one stored: nothing to fingerprint or store."""

    source_id: str
    origin: str


class _Changed(NamedTuple):
    """A source to store, as it crosses back from a worker: plain values pickle quickly."""

    source: Source
    origin: str
    digest: str
    band_keys: bytes  # signed 64-bit, native order


Read = SourceProblem | _Unchanged | _Changed


class _Reader:
    """Reads tasks and fingerprints the sources that are new or changed (whose digest is not
    the one stored). Made once per worker process, which keeps it for every batch."""

    def __init__(self, packs: dict[str, Pack], digests: dict[str, str]) -> None:
        self.packs = packs
        self.digests = digests
        self._sites: dict[str, str | None] = {}  # sources come from a few sites

    def publisher_of(self, url: str) -> str | None:
        site = "/".join(url.split("/", 3)[:3])  # up to the path, URLs share it
        if site not in self._sites:
            host = host_of(site)
            owner = (pack.id for pack in self.packs.values() if pack.owns_host(host))
            self._sites[site] = next(owner, None)
        return self._sites[site]

    def __call__(self, tasks: list[ReadTask | SourceProblem]) -> list[list[Read]]:
        """For each task, what it read."""
        found = [
            [task] if isinstance(task, SourceProblem) else read_task(task, self.publisher_of)
            for task in tasks
        ]
        changed = [
            item
            for items in found
            for item in items
            if isinstance(item, SourceEntry) and self.digests.get(item.source.id) != item.digest
        ]
        prints = dict(
            zip(
                map(id, changed),
                fingerprints([entry.source.text for entry in changed], step=SOURCE_STEP),
                strict=True,
            )
        )
        return [[_result(item, prints) for item in items] for items in found]


def _result(item: SourceEntry | SourceProblem, prints: dict[int, Fingerprint]) -> Read:
    if isinstance(item, SourceProblem):
        return item
    if fp := prints.get(id(item)):
        return _Changed(item.source, item.origin, item.digest, fp.band_keys.tobytes())
    return _Unchanged(item.source.id, item.origin)  # its text need not travel back


_reader: _Reader | None = None  # a worker process's


def _set_reader(reader: _Reader) -> None:
    global _reader
    _reader = reader


def _read_in_worker(tasks: list[ReadTask | SourceProblem]) -> list[list[Read]]:
    assert _reader is not None, "a worker reads only after _set_reader"
    return _reader(tasks)


def _sources_in(task: ReadTask | SourceProblem) -> int:
    return len(task.lines) if isinstance(task, LinesTask) else 1


def _batches(
    tasks: Iterator[tuple[ReadTask | SourceProblem, str]],
) -> Iterator[list[tuple[ReadTask | SourceProblem, str]]]:
    """Tasks (with their origins) in batches of about ``BATCH`` sources."""
    batch: list[tuple[ReadTask | SourceProblem, str]] = []
    size = 0
    for task, origin in tasks:
        batch.append((task, origin))
        size += _sources_in(task)
        if size >= BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _read(
    batches: Iterator[list[tuple[ReadTask | SourceProblem, str]]], reader: _Reader
) -> Iterator[tuple[list[str], list[list[Read]]]]:
    """Each batch's origins and what its tasks read, in order. After a first batch that is
    full (there may be more), worker processes read them."""
    first = next(batches, None)
    if first is None:
        return
    if sum(_sources_in(task) for task, _ in first) < BATCH:  # the only batch: read it here
        yield [origin for _, origin in first], reader([task for task, _ in first])
        return
    workers = cpus()
    with process_pool(workers, _set_reader, reader) as pool:
        pending: deque[tuple[list[str], Future[list[list[Read]]]]] = deque()
        for batch in itertools.chain([first], batches):
            tasks = [task for task, _ in batch]
            pending.append(([origin for _, origin in batch], pool.submit(_read_in_worker, tasks)))
            if len(pending) > 2 * workers:  # a batch waiting for each worker as it finishes one
                done, future = pending.popleft()
                yield done, future.result()
        for done, future in pending:
            yield done, future.result()


def update_index(
    index: Index,
    locations: Iterable[str],
    packs: dict[str, Pack],
    progress: Progress = quiet,
    pages: Iterable[FetchResult] = (),
) -> IndexUpdate:
    """Bring the index up to date with the sources in ``locations`` (folders or files) and the
    fetched ``pages`` (a page is a source whose id is its URL).

    Only new or changed sources are fingerprinted, as they are read, a batch at a time. Sources
    that came from one of these locations before and are gone from it now are removed; one that
    could not be read this time keeps its last good version. Pages are never removed: a feed
    lists only its latest items.
    """
    stored = index.digests()
    read: dict[str, str] = {}  # the id and origin of each source read; the first read wins
    problems: list[tuple[str, str]] = []
    keep: set[str] = set()  # ids of sources that could not be read this time
    complete: set[str] = set()  # origins read without a problem that hides an id

    def tasks() -> Iterator[tuple[ReadTask | SourceProblem, str]]:
        for location in locations:
            origin = str(Path(location).resolve())
            complete.add(origin)
            for task in reading_tasks(location):
                yield task, origin
        for page in pages:
            if page.kind == "page":
                yield page, page.url

    reader = _Reader(packs, {source_id: digest for source_id, (digest, _) in stored.items()})
    results = _read(_batches(tasks()), reader)
    added = updated = empty = 0
    exhausted = False

    def to_store(item: Read, origin: str) -> _Changed | None:
        """Account for what was read; the entry to store, if it is one."""
        nonlocal empty
        if isinstance(item, SourceProblem):
            problems.append((item.location, item.reason))
            if item.source_id:
                keep.add(item.source_id)
            else:
                complete.discard(origin)
            return None
        source_id = item.source_id if isinstance(item, _Unchanged) else item.source.id
        if source_id in read:
            problems.append((source_id, f"duplicate id (first read from {read[source_id]})"))
            return None
        read[source_id] = item.origin
        if isinstance(item, _Unchanged):
            return None
        previous = stored.get(source_id, ("", None))[1]
        if previous and previous != item.origin:
            problems.append((source_id, f"replaces the source with this id from {previous}"))
        if not item.band_keys:  # nothing a copy could share with it
            problems.append((source_id, "no words to fingerprint"))
            empty += 1
            return None
        return item

    def stored_next(batches: int) -> Iterator[tuple[Source, str, str, np.ndarray]]:
        """The new and changed entries of the next ``batches`` batches, as they are read."""
        nonlocal added, updated, exhausted
        taken = 0
        for origins, batch in itertools.islice(results, batches):
            taken += 1
            for origin, items in zip(origins, batch, strict=True):
                for item in items:
                    if found := to_store(item, origin):
                        if found.source.id in stored:
                            updated += 1
                        else:
                            added += 1
                        keys = np.frombuffer(found.band_keys, np.int64)
                        yield found.source, found.origin, found.digest, keys
            progress("index", added + updated, len(read))
        exhausted = taken < batches

    while not exhausted:  # one transaction at a time, as large as the index asks for
        index.put(stored_next(max(index.batch_size() // BATCH, 1)))
    # Unchanged text now read from another folder: no new fingerprint, just the new origin.
    moved = {i: o for i, o in read.items() if i in stored and stored[i][1] != o}
    index.move(moved.items())
    # A folder that moved away: what it held and was not found in its new place is gone too.
    vanished = {o for i in moved if (o := stored[i][1]) and not Path(o).exists()}
    gone = set().union(*(index.ids_from(o) for o in complete | vanished)) - set(read) - keep
    removed = index.remove(sorted(gone))
    return IndexUpdate(
        added=added,
        updated=updated,
        unchanged=len(read) - added - updated - empty,
        removed=len(removed),
        problems=tuple(problems),
    )
