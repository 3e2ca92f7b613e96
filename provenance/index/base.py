"""What every source index offers: the embedded SQLite file and the shared Redis server alike.

Band keys (``Fingerprint.band_keys``) are what an index stores and looks up; a backend only
decides where they live, so every backend finds the same candidates for the same sources.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Protocol

import numpy as np

from ..models import Source

# A key that more sources than this share is a common phrase ("at the end of the"), not evidence
# of copying: lookups leave it out. (An index holds originals, so one story is rarely in it more
# than a few times.)
COMMON_KEY_SOURCES = 100


class Hits(Counter[int]):
    """How many of the keys looked up each source shares (by the source's number), and in
    ``own`` how many of those no other source has."""

    def __init__(self) -> None:
        super().__init__()
        self.own: Counter[int] = Counter()

    def add(self, sources: list[int]) -> None:
        """The sources of one key (each once)."""
        self.update(sources)
        if len(sources) == 1:
            self.own[sources[0]] += 1

    @classmethod
    def of_postings(cls, keys: np.ndarray, sources: np.ndarray) -> Hits:
        """The hits of (key, source) postings in key order, by source within a key (as if
        each key's sources were ``add``-ed in turn), leaving out keys more than
        ``COMMON_KEY_SOURCES`` sources share."""
        hits = cls()
        _, counts = np.unique(keys, return_counts=True)
        per_posting = np.repeat(counts, counts)
        hits.update(sources[per_posting <= COMMON_KEY_SOURCES].tolist())
        hits.own.update(sources[per_posting == 1].tolist())
        return hits


class Index(Protocol):
    location: str  # as the user gave it: a file path or a server address

    def close(self) -> None: ...

    def __enter__(self) -> Index: ...

    def __exit__(self, *_: object) -> None: ...

    # -- writing
    def digests(self) -> dict[str, tuple[str, str | None]]:
        """Each source's (digest, origin)."""
        ...

    def move(self, origins: Iterable[tuple[str, str]]) -> None:
        """Record the new (id, origin) of unchanged sources now read from another folder."""
        ...

    def ids_from(self, origin: str) -> set[str]: ...

    def put(self, entries: Iterable[tuple[Source, str, str, np.ndarray]]) -> None:
        """Store (source, origin, digest, band keys) entries as one change, replacing any
        source with the same id (an id given twice: the last wins)."""
        ...

    def batch_size(self) -> int:
        """How many sources to give ``put`` at a time."""
        ...

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove sources by id; return the ids that were there."""
        ...

    # -- reading
    def candidates(self, keys: Iterable[int]) -> Hits:
        """How many of ``keys`` each indexed source shares, by the source's number, leaving
        out keys more than ``COMMON_KEY_SOURCES`` sources share."""
        ...

    def sources(self, numbers: Iterable[int]) -> Iterator[Source]:
        """The sources with these numbers (as ``candidates`` gives them), skipping any gone."""
        ...

    def get(self, source_id: str) -> Source | None: ...

    def count(self) -> int: ...

    def check(self) -> list[str]:
        """What is wrong with the index, if anything (empty when it is sound)."""
        ...

    def stats(self) -> dict[str, object]: ...
