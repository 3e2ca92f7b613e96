"""Find the sources a text copies from: LSH candidates from the index, verified by alignment.

The index proposes every source that shares a band key with any window of the text; only
alignment decides. A candidate becomes a match when the copied passages add up to
``MIN_MATCH_WORDS`` words, or to ``MIN_SHORT_MATCH_WORDS`` words that are ``MIN_SHARE`` of either
text: a short answer rewritten from a short source still counts, one quotation two long stories
share does not.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from time import perf_counter

from .align import Alignment, align
from .fingerprint import Fingerprint
from .index import Index
from .limits import Limits
from .models import Match, Source
from .normalise import Token, tokens

MAX_CANDIDATES = 50  # most-hit candidates aligned per document
# Any text shares a key or two with many sources of a large index (common phrases): a source
# sharing fewer than MIN_HITS keys is aligned only if one of them is its own (no other source
# has it) and it is one of the MAX_WEAK most-hit such sources.
MIN_HITS = 4
MAX_WEAK = 2
MIN_MATCH_WORDS = 40
MIN_SHORT_MATCH_WORDS = 20
MIN_SHARE = 0.1
_CACHE_SIZE = 1024  # sources' words kept between documents (about 100 kB each)


def _is_copy(alignment: Alignment) -> bool:
    share = max(alignment.source_coverage, alignment.target_share)
    return alignment.words >= MIN_MATCH_WORDS or (
        alignment.words >= MIN_SHORT_MATCH_WORDS and share >= MIN_SHARE
    )


@dataclass(frozen=True)
class Matches:
    """A text's verified matches, best first, and how many of its candidate sources were left
    unaligned because the alignment limit was reached; the seconds spent looking candidates up
    in the index, normalising their sources' words (those not kept from an earlier text) and
    aligning them."""

    found: list[Match]
    candidates: int
    unaligned: int = 0
    lookup_seconds: float = 0.0
    normalise_seconds: float = 0.0
    align_seconds: float = 0.0


class Matcher:
    """Looks texts up in an index, keeping recently used sources' words in memory. Aligning one
    text costs at most ``max_align_words`` words (its own and a candidate's, per candidate)."""

    def __init__(self, index: Index, max_align_words: int = Limits.max_align_words) -> None:
        self.index = index
        self.max_align_words = max_align_words
        self._cache: OrderedDict[int, tuple[Source, list[Token]]] = OrderedDict()
        self._normalising = 0.0  # seconds spent in ``tokens`` by ``_source``, for ``matches``

    def _source(self, rowid: int) -> tuple[Source, list[Token]] | None:
        if rowid in self._cache:
            self._cache.move_to_end(rowid)
            return self._cache[rowid]
        found = next(self.index.sources([rowid]), None)
        if found is None:
            return None
        started = perf_counter()
        self._cache[rowid] = (found, tokens(found.text))
        self._normalising += perf_counter() - started
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return self._cache[rowid]

    def matches(self, text: str, fp: Fingerprint) -> Matches:
        """Verified matches of a text, given its fingerprint. Candidates are aligned most-hit
        first, until the next one would pass the alignment limit; the text's own words are
        found only when there is a candidate (most texts have none)."""
        started = perf_counter()
        self._normalising = 0.0
        shared = self.index.candidates(fp.band_keys)
        ranked = shared.most_common(MAX_CANDIDATES)
        weak = [c for c in ranked if c[1] < MIN_HITS and shared.own[c[0]]][:MAX_WEAK]
        hits = [c for c in ranked if c[1] >= MIN_HITS] + weak
        found = []
        spent = unaligned = 0
        lookup, aligning = perf_counter() - started, 0.0
        if hits:
            started = perf_counter()
            words = tokens(text)
            self._normalising += perf_counter() - started
        for done, (rowid, _) in enumerate(hits):
            started = perf_counter()
            entry = self._source(rowid)
            lookup += perf_counter() - started
            if entry is None:
                continue
            source, source_words = entry
            spent += len(words) + len(source_words)
            if spent > self.max_align_words:
                unaligned = len(hits) - done
                break
            started = perf_counter()
            alignment = align(words, source_words)
            aligning += perf_counter() - started
            if _is_copy(alignment):
                found.append(
                    Match(
                        source,
                        alignment.source_coverage,
                        alignment.target_share,
                        alignment.passages,
                    )
                )
        found.sort(key=lambda m: (-m.source_coverage, m.source.id))
        normalising = self._normalising
        return Matches(found, len(hits), unaligned, lookup - normalising, normalising, aligning)
