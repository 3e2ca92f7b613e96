"""Bring an index up to date with the sources: read them, fingerprint what is new or changed,
store it in batches, and remove what is gone.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .fetch import FetchResult
from .fingerprint import SOURCE_STEP, fingerprints
from .index import Index
from .models import IndexUpdate
from .progress import Progress, quiet
from .rules import Pack
from .sources import SourceEntry, SourceProblem, read_page, read_sources

BATCH = 500  # sources written per transaction


def update_index(
    index: Index,
    locations: Iterable[str],
    packs: dict[str, Pack],
    progress: Progress = quiet,
    pages: Iterable[FetchResult] = (),
) -> IndexUpdate:
    """Bring the index up to date with the sources in ``locations`` (folders or files) and the
    fetched ``pages`` (a page is a source whose id is its URL).

    Only new or changed sources are fingerprinted. Sources that came from one of these locations
    before and are gone from it now are removed; one that could not be read this time keeps its
    last good version. Pages are never removed: a feed lists only its latest items.
    """

    def publisher_of(url: str) -> str | None:
        return next((pack.id for pack in packs.values() if pack.owns(url)), None)

    read: dict[str, SourceEntry] = {}
    problems: list[tuple[str, str]] = []
    keep: set[str] = set()  # ids of sources that could not be read this time
    complete: set[str] = set()  # origins read without a problem that hides an id

    def take(item: SourceEntry | SourceProblem, origin: str) -> None:
        if isinstance(item, SourceProblem):
            problems.append((item.location, item.reason))
            if item.source_id:
                keep.add(item.source_id)
            else:
                complete.discard(origin)
        elif item.source.id in read:  # the first one read wins
            first = read[item.source.id].origin
            problems.append((item.source.id, f"duplicate id (first read from {first})"))
        else:
            read[item.source.id] = item

    for location in locations:
        origin = str(Path(location).resolve())
        complete.add(origin)
        for item in read_sources(location, publisher_of):
            take(item, origin)
    for page in pages:
        if page.kind == "page":
            take(read_page(page, publisher_of), page.url)
    stored = index.digests()
    changed = [e for i, e in read.items() if i not in stored or stored[i][0] != e.digest]
    for entry in changed:
        previous = stored.get(entry.source.id, ("", None))[1]
        if previous and previous != entry.origin:
            problems.append((entry.source.id, f"replaces the source with this id from {previous}"))
    for first in range(0, len(changed), BATCH):
        batch = changed[first : first + BATCH]
        prints = fingerprints([entry.source.text for entry in batch], step=SOURCE_STEP)
        for entry, fp in zip(batch, prints, strict=True):
            if not len(fp.windows):  # nothing a copy could share with it
                problems.append((entry.source.id, "no words to fingerprint"))
        index.put(
            (entry.source, entry.origin, entry.digest, fp)
            for entry, fp in zip(batch, prints, strict=True)
            if len(fp.windows)
        )
        progress("index", first + len(batch), len(changed))
    # Unchanged text now read from another folder: no new fingerprint, just the new origin.
    moved = {i: e.origin for i, e in read.items() if i in stored and stored[i][1] != e.origin}
    index.move(moved.items())
    # A folder that moved away: what it held and was not found in its new place is gone too.
    vanished = {o for i in moved if (o := stored[i][1]) and not Path(o).exists()}
    gone = set().union(*(index.ids_from(o) for o in complete | vanished)) - set(read) - keep
    removed = index.remove(sorted(gone))
    added = sum(1 for e in changed if e.source.id not in stored)
    return IndexUpdate(
        added=added,
        updated=len(changed) - added,
        unchanged=len(read) - len(changed),
        removed=len(removed),
        problems=tuple(problems),
    )
