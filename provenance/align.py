"""Align a target text with a source word by word and report the copied passages.

The longest common subsequence of the two word sequences (rapidfuzz's ``Indel`` opcodes) finds
every copied run in order, wherever it sits in either text. Runs separated by only a few
changed words are joined into one passage, so a lightly edited copy reads as one passage with
edits; short accidental runs ("of the country") are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from .models import Passage
from .normalise import Token

MIN_PASSAGE_WORDS = 12  # a shorter common run is coincidence, not copying
MAX_GAP_WORDS = 8  # edits between two runs that still make them one passage
MIN_EDGE_RUN = 3  # a shorter run cannot start or end a passage

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


def _word_ids(target: Sequence[Token], source: Sequence[Token]) -> tuple[list[int], list[int]]:
    vocabulary: dict[str, int] = {}
    t = [vocabulary.setdefault(tok.text, len(vocabulary)) for tok in target]
    s = [vocabulary.setdefault(tok.text, len(vocabulary)) for tok in source]
    return t, s


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


def align(target: Sequence[Token], source: Sequence[Token]) -> Alignment:
    """Copied passages of ``source`` in ``target`` (spans are offsets of the texts the tokens
    came from)."""
    if not target or not source:
        return Alignment((), 0.0, 0.0)
    t_ids, s_ids = _word_ids(target, source)
    runs: list[Run] = [
        (op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Indel.opcodes(t_ids, s_ids)
        if op.tag == "equal"
    ]
    groups: list[list[Run]] = []
    for run in runs:
        previous = groups[-1][-1] if groups else None
        if previous and _gap(previous, run) <= MAX_GAP_WORDS:
            groups[-1].append(run)
        else:
            groups.append([run])
    passages = []
    for found in groups:
        group = _extend(_trim(found), t_ids, s_ids)
        words = sum(r[1] - r[0] for r in group)
        if words < MIN_PASSAGE_WORDS:
            continue
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
    copied = sum(p.words for p in passages)
    return Alignment(
        tuple(passages), min(copied / len(source), 1.0), min(copied / len(target), 1.0)
    )
