"""Bring an index up to date with the sources: read them, fingerprint what is new or changed,
store it in batches, and remove what is gone.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from functools import cache
from pathlib import Path

from .fetch import FetchResult
from .fingerprint import SOURCE_STEP, Fingerprint, fingerprints
from .index import Index
from .iterables import batched
from .models import IndexUpdate, Source
from .parallel import cpus, process_pool
from .progress import Progress, quiet
from .rules import Pack
from .rules.pack import host_of
from .sources import SourceEntry, SourceProblem, read_page, read_sources

BATCH = 2000  # sources fingerprinted together; a transaction holds at least one batch


def _fingerprint_batch(batch: list[SourceEntry]) -> list[Fingerprint]:
    return fingerprints([entry.source.text for entry in batch], step=SOURCE_STEP)


def _fingerprinted(
    batches: Iterator[list[SourceEntry]],
) -> Iterator[tuple[list[SourceEntry], list[Fingerprint]]]:
    """Each batch with its fingerprints, in order. After a full first batch (there may be
    more), other processes fingerprint the batches while this one reads and stores: every core
    is busy, and only a few batches are ever in memory."""
    first = next(batches, None)
    if first is None:
        return
    if len(first) < BATCH:  # the only batch: not worth starting processes for
        yield first, _fingerprint_batch(first)
        return
    workers = cpus()
    with process_pool(workers) as pool:
        pending: deque[tuple[list[SourceEntry], Future[list[Fingerprint]]]] = deque()
        for batch in itertools.chain([first], batches):
            pending.append((batch, pool.submit(_fingerprint_batch, batch)))
            if len(pending) > workers:
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

    @cache  # sources come from a few sites: each host is looked up once
    def publisher_of_host(host: str) -> str | None:
        return next((pack.id for pack in packs.values() if pack.owns_host(host)), None)

    @cache  # and each site's address is parsed once: up to the path, URLs share it
    def publisher_of_site(site: str) -> str | None:
        return publisher_of_host(host_of(site))

    def publisher_of(url: str) -> str | None:
        return publisher_of_site("/".join(url.split("/", 3)[:3]))

    def everything() -> Iterator[tuple[SourceEntry | SourceProblem, str]]:
        for location in locations:
            origin = str(Path(location).resolve())
            complete.add(origin)
            for item in read_sources(location, publisher_of):
                yield item, origin
        for page in pages:
            if page.kind == "page":
                yield read_page(page, publisher_of), page.url

    stored = index.digests()
    read: dict[str, str] = {}  # the id and origin of each source read; the first read wins
    problems: list[tuple[str, str]] = []
    keep: set[str] = set()  # ids of sources that could not be read this time
    complete: set[str] = set()  # origins read without a problem that hides an id

    def changed() -> Iterator[SourceEntry]:
        for item, origin in everything():
            if isinstance(item, SourceProblem):
                problems.append((item.location, item.reason))
                if item.source_id:
                    keep.add(item.source_id)
                else:
                    complete.discard(origin)
                continue
            source_id = item.source.id
            if source_id in read:
                problems.append((source_id, f"duplicate id (first read from {read[source_id]})"))
                continue
            read[source_id] = item.origin
            digest, previous = stored.get(source_id, ("", None))
            if digest == item.digest:
                continue
            if previous and previous != item.origin:
                problems.append((source_id, f"replaces the source with this id from {previous}"))
            yield item

    added = updated = empty = 0
    fingerprinted = _fingerprinted(batched(changed(), BATCH))

    def stored_next(batches: int) -> Iterator[tuple[Source, str, str, Fingerprint]]:
        """The entries of the next ``batches`` batches, as they are fingerprinted."""
        nonlocal added, updated, empty
        for batch, prints in itertools.islice(fingerprinted, batches):
            for entry, fp in zip(batch, prints, strict=True):
                if not len(fp.band_keys):  # nothing a copy could share with it
                    problems.append((entry.source.id, "no words to fingerprint"))
                    empty += 1
                    continue
                if entry.source.id in stored:
                    updated += 1
                else:
                    added += 1
                yield entry.source, entry.origin, entry.digest, fp
            progress("index", added + updated, len(read))

    while True:  # one transaction at a time, as large as the index asks for
        before = added + updated + empty
        index.put(stored_next(max(index.batch_size() // BATCH, 1)))
        if added + updated + empty == before:
            break
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
