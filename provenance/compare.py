"""Compare two files directly: the passages one copies from the other, and how each was edited.

No index: both files are extracted as an audit would extract them, aligned word by word with
``align.align``, and every passage is broken into equal and changed stretches of words so a
reporter can put the two sides next to each other with the edits marked.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rapidfuzz.distance import Indel

from .align import Alignment, align, word_ids
from .extract import Unreadable, extract_file
from .models import Document, Location, Passage, Span
from .normalise import Token, tokens

# How the copy (target) edits the source: "insert" words only the copy has, "delete" words only
# the source has, "replace" one stretch of words with another.
Tag = Literal["equal", "replace", "insert", "delete"]


class CompareError(Exception):
    """A file cannot be compared; the message names it and says why."""


@dataclass(frozen=True)
class Segment:
    """A stretch of a passage: the same words on both sides (``equal``) or an edit."""

    tag: Tag
    target: tuple[Token, ...]
    source: tuple[Token, ...]
    target_span: Span  # empty (start == end) where that side has no words
    source_span: Span


@dataclass(frozen=True)
class ComparedPassage:
    passage: Passage
    target_location: Location
    source_location: Location
    segments: tuple[Segment, ...]

    @property
    def changes(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.tag != "equal")


@dataclass(frozen=True)
class Comparison:
    """Everything ``provenance compare`` reports; ``target`` is the text checked (A), ``source``
    the original it may copy (B)."""

    target: Document
    source: Document
    target_words: int
    source_words: int
    alignment: Alignment
    passages: tuple[ComparedPassage, ...]

    @property
    def source_coverage(self) -> float:
        return self.alignment.source_coverage

    @property
    def target_share(self) -> float:
        return self.alignment.target_share


def _document(path: Path, display: str) -> Document:
    if not path.exists():
        raise CompareError(f"no such file: {display}")
    if path.is_dir():
        raise CompareError(f"{display} is a folder; compare takes two files")
    try:
        return extract_file(path, display)
    except Unreadable as problem:
        raise CompareError(f"{display}: {problem.reason}") from problem


def _words_in(starts: Sequence[int], span: Span) -> tuple[int, int]:
    """Index range of the tokens inside ``span`` (a passage begins and ends on a word)."""
    return bisect.bisect_left(starts, span[0]), bisect.bisect_left(starts, span[1])


def _span(found: Sequence[Token], start: int, end: int) -> Span:
    if start < end:
        return found[start].start, found[end - 1].end
    at = found[start].start if start < len(found) else found[-1].end
    return at, at


def _segments(target: Sequence[Token], source: Sequence[Token]) -> tuple[Segment, ...]:
    """Equal and changed stretches of one passage, in order (adjacent edits merged)."""
    merged: list[list[int]] = []  # [equal?, source start, source end, target start, target end]
    for op in Indel.opcodes(word_ids(source), word_ids(target)):
        equal = int(op.tag == "equal")
        if merged and not equal and not merged[-1][0]:
            merged[-1][2], merged[-1][4] = op.src_end, op.dest_end
        else:
            merged.append([equal, op.src_start, op.src_end, op.dest_start, op.dest_end])
    segments = []
    for equal, s1, s2, t1, t2 in merged:
        tag: Tag = "equal" if equal else "replace"
        if not equal and t1 == t2:
            tag = "delete"
        elif not equal and s1 == s2:
            tag = "insert"
        segments.append(
            Segment(
                tag,
                tuple(target[t1:t2]),
                tuple(source[s1:s2]),
                _span(target, t1, t2),
                _span(source, s1, s2),
            )
        )
    return tuple(segments)


def passage_segments(
    target_words: Sequence[Token], source_words: Sequence[Token], passage: Passage
) -> tuple[Segment, ...]:
    """The equal and changed stretches of one passage, given both texts' words."""
    t1, t2 = _words_in([t.start for t in target_words], passage.target)
    s1, s2 = _words_in([t.start for t in source_words], passage.source)
    return _segments(target_words[t1:t2], source_words[s1:s2])


def compare(target: Document, source: Document) -> Comparison:
    """Align two extracted documents: ``target`` is the text checked, ``source`` the original."""
    t_words, s_words = tokens(target.text), tokens(source.text)
    alignment = align(t_words, s_words)
    passages = [
        ComparedPassage(
            passage,
            target.lines.locate(passage.target),
            source.lines.locate(passage.source),
            passage_segments(t_words, s_words, passage),
        )
        for passage in alignment.passages
    ]
    return Comparison(target, source, len(t_words), len(s_words), alignment, tuple(passages))


def compare_files(target: str, source: str) -> Comparison:
    """Extract and compare two files (paths as the user gave them, which reports show)."""
    return compare(_document(Path(target), target), _document(Path(source), source))
