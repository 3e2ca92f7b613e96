"""Find the sources a text copies from: LSH candidates from the index, verified by alignment.

The index proposes every source that shares a band key with any window of the text; only
alignment decides. A candidate becomes a match when the copied passages add up to
``MIN_MATCH_WORDS`` words, or cover ``MIN_COVERAGE`` of a short source.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from .align import align
from .fingerprint import Fingerprint
from .index import SqliteIndex
from .models import Match, Source
from .normalise import Token, tokens

MAX_CANDIDATES = 50  # most-hit candidates aligned per document
MIN_MATCH_WORDS = 40
MIN_COVERAGE = 0.5
_CACHE_SIZE = 256


class Matcher:
    """Looks texts up in an index, keeping recently used sources' words in memory."""

    def __init__(self, index: SqliteIndex) -> None:
        self.index = index
        self._cache: OrderedDict[int, tuple[Source, list[Token]]] = OrderedDict()

    def _source(self, rowid: int) -> tuple[Source, list[Token]] | None:
        if rowid in self._cache:
            self._cache.move_to_end(rowid)
            return self._cache[rowid]
        found = next(self.index.sources([rowid]), None)
        if found is None:
            return None
        self._cache[rowid] = (found, tokens(found.text))
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return self._cache[rowid]

    def matches(self, words: Sequence[Token], fp: Fingerprint) -> list[Match]:
        """Verified matches of a text, given its words and fingerprint, best first."""
        hits = self.index.candidates(fp.band_keys)
        found = []
        for rowid, _ in hits.most_common(MAX_CANDIDATES):
            entry = self._source(rowid)
            if entry is None:
                continue
            source, source_words = entry
            alignment = align(words, source_words)
            if alignment.words >= MIN_MATCH_WORDS or (
                alignment.passages and alignment.source_coverage >= MIN_COVERAGE
            ):
                found.append(
                    Match(
                        source,
                        alignment.source_coverage,
                        alignment.target_share,
                        alignment.passages,
                    )
                )
        found.sort(key=lambda m: (-m.source_coverage, m.source.id))
        return found
