"""Align a target text with a source word by word and report the copied passages.

Alignment is local, so a short passage copied into a long text is found however much else either
text holds. Word trigrams the two texts share are seeds; seeds that follow one another within
``CHAIN_GAP`` words in both texts chain into a region; inside each region the longest common
subsequence of the words (rapidfuzz's ``Indel`` opcodes) finds the copied runs. (A single global
subsequence would not do: in a long text, scattered common words outnumber a short passage and
pull the alignment away from it.) Runs separated by only a few changed words are joined into one
passage, so a lightly edited copy reads as one passage with edits; short accidental runs ("of
the country") are dropped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Indel

from .models import Passage
from .normalise import Token

MIN_PASSAGE_WORDS = 12  # a shorter common run is coincidence, not copying
MAX_GAP_WORDS = 8  # edits between two runs that still make them one passage
MIN_EDGE_RUN = 3  # a shorter run cannot start or end a passage
SEED_WORDS = 3  # shared word trigrams start the search for a passage
CHAIN_GAP = 30  # seeds this close in both texts belong to one region
MAX_SEED_REPEATS = 8  # a trigram repeated more often in the source is no evidence of copying

# (target start, target end, source start, source end) of a run of equal words
Run = tuple[int, int, int, int]


@dataclass(frozen=True)
class Alignment:
    passages: tuple[Passage, ...]
    source_coverage: float
    target_share: float

    @property
    def words(self) -> int:
        return sum(p.words for p in self.passages)


def word_ids(words: Sequence[Token]) -> list[int]:
    """Equal words get equal ids (str hashes: stable within the process, which is enough)."""
    return [hash(word.text) for word in words]


def _gap(a: Run, b: Run) -> int:
    return max(b[0] - a[1], b[2] - a[3])


def _stray(run: Run, gap: int) -> bool:
    """A short run separated from its passage by more changed words than it has itself."""
    size = run[1] - run[0]
    return size < MIN_EDGE_RUN and gap > size


def _trim(group: list[Run]) -> list[Run]:
    """Drop stray runs at the ends of a group: a lone common word a few words after a passage
    ("… from the [5 other words] their") is not part of the copy."""
    while len(group) > 1 and _stray(group[0], _gap(group[0], group[1])):
        group = group[1:]
    while len(group) > 1 and _stray(group[-1], _gap(group[-2], group[-1])):
        group = group[:-1]
    return group


def _extend(group: list[Run], t_ids: list[int], s_ids: list[int]) -> list[Run]:
    """Grow a passage over equal words before its first run and after its last: the alignment
    may have paired a passage's first or last word with another occurrence elsewhere."""
    t_start, t_end, s_start, s_end = group[0]
    while t_start > 0 and s_start > 0 and t_ids[t_start - 1] == s_ids[s_start - 1]:
        t_start, s_start = t_start - 1, s_start - 1
    group = [(t_start, t_end, s_start, s_end), *group[1:]]
    t_start, t_end, s_start, s_end = group[-1]
    while t_end < len(t_ids) and s_end < len(s_ids) and t_ids[t_end] == s_ids[s_end]:
        t_end, s_end = t_end + 1, s_end + 1
    return [*group[:-1], (t_start, t_end, s_start, s_end)]


def _seeds(t_ids: list[int], s_ids: list[int]) -> Iterator[tuple[int, int]]:
    """(target, source) positions where the same word trigram starts, in target order.

    A trigram the source repeats more than ``MAX_SEED_REPEATS`` times seeds nothing: repeated
    text ("the the the …", a refrain) would otherwise pair every position with every other."""
    if len(t_ids) < SEED_WORDS or len(s_ids) < SEED_WORDS:
        return
    t_keys, s_keys = _gram_keys(t_ids), _gram_keys(s_ids)
    # Most trigrams are not shared: only the shared ones reach Python.
    at: dict[int, list[int]] = {}
    in_source = np.flatnonzero(np.isin(s_keys, t_keys))
    for j, key in zip(in_source.tolist(), s_keys[in_source].tolist(), strict=True):
        at.setdefault(key, []).append(j)
    in_target = np.flatnonzero(np.isin(t_keys, s_keys))
    for i, key in zip(in_target.tolist(), t_keys[in_target].tolist(), strict=True):
        if len(at[key]) <= MAX_SEED_REPEATS:
            for j in at[key]:
                yield i, j


# Odd multipliers that combine a trigram's word ids into one 64-bit key.
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)


def _gram_keys(ids: list[int]) -> np.ndarray:
    words = np.array(ids, dtype=np.int64).view(np.uint64)
    count = len(words) - SEED_WORDS + 1
    keys = np.zeros(count, dtype=np.uint64)
    for offset in range(SEED_WORDS):
        keys += words[offset : offset + count] * _MIX[offset]
    return keys


def _regions(seeds: Iterator[tuple[int, int]]) -> list[Run]:
    """Chain seeds that advance together in both texts into regions worth aligning.

    A seed extends the nearest chain whose last seed is at most ``CHAIN_GAP`` words behind it
    in both texts. Such chains lie on nearby diagonals (source minus target position), so they
    are looked up by diagonal bucket, not by scanning every chain."""
    chains: list[list[int]] = []  # [target start, source start, last target, last source]
    by_diagonal: dict[int, list[list[int]]] = {}
    for i, j in seeds:
        bucket = (j - i) // CHAIN_GAP
        best: list[int] | None = None
        for near in (bucket - 1, bucket, bucket + 1):
            found = by_diagonal.get(near, [])
            found[:] = [c for c in found if i - c[2] <= CHAIN_GAP]  # the rest are finished
            for chain in found:
                if (
                    i > chain[2]
                    and 0 < j - chain[3] <= CHAIN_GAP
                    and (
                        best is None
                        or (i - chain[2]) + (j - chain[3]) < (i - best[2]) + (j - best[3])
                    )
                ):
                    best = chain
        if best is None:
            best = [i, j, i, j]
            chains.append(best)
        else:
            by_diagonal[(best[3] - best[2]) // CHAIN_GAP].remove(best)
            best[2], best[3] = i, j
        by_diagonal.setdefault(bucket, []).append(best)
    # Margins let the alignment reach copied words before the first seed and after the last.
    pad = MAX_GAP_WORDS
    return [
        (max(c[0] - pad, 0), c[2] + SEED_WORDS + pad, max(c[1] - pad, 0), c[3] + SEED_WORDS + pad)
        for c in chains
    ]


def _runs(region: Run, t_ids: list[int], s_ids: list[int]) -> list[Run]:
    t_start, t_end, s_start, s_end = region
    return [
        (
            t_start + op.src_start,
            t_start + op.src_end,
            s_start + op.dest_start,
            s_start + op.dest_end,
        )
        for op in Indel.opcodes(t_ids[t_start:t_end], s_ids[s_start:s_end])
        if op.tag == "equal"
    ]


def _groups(runs: list[Run]) -> list[list[Run]]:
    """Runs close enough in both texts to be one passage."""
    groups: list[list[Run]] = []
    for run in runs:
        previous = groups[-1][-1] if groups else None
        if previous and _gap(previous, run) <= MAX_GAP_WORDS:
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups


def align(target: Sequence[Token], source: Sequence[Token]) -> Alignment:
    """Copied passages of ``source`` in ``target`` (spans are offsets of the texts the tokens
    came from), in target order."""
    if not target or not source:
        return Alignment((), 0.0, 0.0)
    t_ids, s_ids = word_ids(target), word_ids(source)
    found: list[tuple[int, list[Run]]] = []  # (equal words, runs) of each passage
    for region in _regions(_seeds(t_ids, s_ids)):
        for group in _groups(_runs(region, t_ids, s_ids)):
            group = _extend(_trim(group), t_ids, s_ids)
            words = sum(r[1] - r[0] for r in group)
            if words >= MIN_PASSAGE_WORDS:
                found.append((words, group))
    # Regions can overlap (a phrase the source repeats): each target word is copied only once.
    found.sort(key=lambda passage: -passage[0])
    kept: list[tuple[int, list[Run]]] = []
    for words, group in found:
        if all(group[-1][1] <= k[0][0] or k[-1][1] <= group[0][0] for _, k in kept):
            kept.append((words, group))
    kept.sort(key=lambda passage: passage[1])
    passages = []
    t_copied: set[int] = set()
    s_copied: set[int] = set()
    for words, group in kept:
        t_start, t_end = group[0][0], group[-1][1]
        s_start, s_end = group[0][2], group[-1][3]
        passages.append(
            Passage(
                target=(target[t_start].start, target[t_end - 1].end),
                source=(source[s_start].start, source[s_end - 1].end),
                words=words,
                edits=max(t_end - t_start, s_end - s_start) - words,
            )
        )
        for run in group:
            t_copied.update(range(run[0], run[1]))
            s_copied.update(range(run[2], run[3]))
    return Alignment(tuple(passages), len(s_copied) / len(source), len(t_copied) / len(target))
