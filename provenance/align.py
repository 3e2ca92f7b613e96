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


def align(target: Sequence[Token], source: Sequence[Token]) -> Alignment:
    """Copied passages of ``source`` in ``target`` (spans are offsets of the texts the tokens
    came from)."""
    if not target or not source:
        return Alignment((), 0.0, 0.0)
    t_ids, s_ids = _word_ids(target, source)
    # (target start, target end, source start, source end, equal words) of each common run
    runs = [
        (op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Indel.opcodes(t_ids, s_ids)
        if op.tag == "equal"
    ]
    groups: list[list[tuple[int, int, int, int]]] = []
    for run in runs:
        previous = groups[-1][-1] if groups else None
        if (
            previous
            and run[0] - previous[1] <= MAX_GAP_WORDS
            and run[2] - previous[3] <= MAX_GAP_WORDS
        ):
            groups[-1].append(run)
        else:
            groups.append([run])
    passages = []
    for group in groups:
        words = sum(r[1] - r[0] for r in group)
        if words < MIN_PASSAGE_WORDS:
            continue
        t_start, t_end = group[0][0], group[-1][1]
        s_start, s_end = group[0][2], group[-1][3]
        edits = max(t_end - t_start, s_end - s_start) - words
        passages.append(
            Passage(
                target=(target[t_start].start, target[t_end - 1].end),
                source=(source[s_start].start, source[s_end - 1].end),
                words=words,
                edits=edits,
            )
        )
    copied = sum(p.words for p in passages)
    return Alignment(tuple(passages), copied / len(source), copied / len(target))
