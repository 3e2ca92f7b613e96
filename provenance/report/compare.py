"""``provenance compare``: two texts' copied passages side by side, and the same as JSON.

Edits are marked in colour on a terminal; without colour (piped output, ``NO_COLOR``) the words
only one side has are bracketed as ``git diff --word-diff`` does: ``{+…+}`` in A, ``[-…-]`` in B.
Long passages keep their edits and the words around them; long identical stretches are cut to
their ends unless ``full`` is asked for.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from .. import __version__
from ..align import MIN_PASSAGE_WORDS
from ..compare import ComparedPassage, Comparison, Segment
from ..models import Document, Location, Span

LONG_PASSAGE = 200  # words; a longer passage has its identical stretches shortened
CONTEXT = 20  # words kept at each end of a shortened stretch
MIN_HIDDEN = 10  # words; hiding fewer is not worth a marker

# (style on a colour terminal, brackets without colour) of words only the copy / the source has
Mark = tuple[str, str, str]
ONLY_IN_A: Mark = ("bold red", "{+", "+}")
ONLY_IN_B: Mark = ("bold green", "[-", "-]")

# A row of the side-by-side view: the characters of A and of B it shows, or the number of
# identical words left out of a long passage.
Row = tuple[Span, Span] | int

# Paragraphs: a blank line apart, except in HTML main text, which has one per line. Line breaks
# inside a paragraph (hard-wrapped text) are shown as spaces.
_BLANK_LINE = re.compile(r"(?:\r\n|\r|\n)[^\S\r\n]*(?:\r\n|\r|\n)")
_NEWLINE = re.compile(r"[\r\n]")
_WRAPPED = re.compile(r"\s*[\r\n]\s*")


def _range(where: Location) -> str:
    return f"{where.line}:{where.column}-{where.end_line}:{where.end_column}"


def _plain(console: Console) -> bool:
    return console.no_color or console.color_system is None


def _rows(comparison: Comparison, passage: ComparedPassage, *, shorten: bool) -> list[Row]:
    """Cut a passage into rows at the paragraph breaks of either side, so that each row of A
    stands beside the same words of B; in a shortened passage, long identical stretches become
    one row saying how many words they hold."""
    a_text, b_text = comparison.target.text, comparison.source.text
    a_break, b_break = (
        _NEWLINE if d.format == "html" else _BLANK_LINE
        for d in (comparison.target, comparison.source)
    )
    rows: list[Row] = []
    a_start, b_start = passage.passage.target[0], passage.passage.source[0]

    def cut(a_word: int, b_word: int) -> None:
        """End the row before the words starting at these offsets, and their punctuation."""
        nonlocal a_start, b_start
        a_at, b_at = _word_start(a_text, a_start, a_word), _word_start(b_text, b_start, b_word)
        rows.append(((a_start, a_at), (b_start, b_at)))
        a_start, b_start = a_at, b_at

    def paragraph(a_gap: Span, b_gap: Span) -> bool:
        return bool(a_break.search(a_text, *a_gap) or b_break.search(b_text, *b_gap))

    a_last, b_last = a_start, b_start  # where the last word seen on each side ends
    for segment in passage.segments:
        a_at, b_at = segment.target_span[0], segment.source_span[0]
        # a gap already cut (beside an insertion or deletion) is not cut again
        if paragraph((max(a_last, a_start), a_at), (max(b_last, b_start), b_at)):
            cut(a_at, b_at)
        if segment.tag != "equal":
            a_last = segment.target_span[1] if segment.target else a_last
            b_last = segment.source_span[1] if segment.source else b_last
            continue
        a_words, b_words = segment.target, segment.source
        n = len(a_words)
        hidden = n - 2 * CONTEXT if shorten and n - 2 * CONTEXT >= MIN_HIDDEN else 0
        for i in range(1, n):
            if hidden and i == CONTEXT:
                cut(a_words[i].start, b_words[i].start)
                rows.append(hidden)
                a_resume, b_resume = a_words[n - CONTEXT], b_words[n - CONTEXT]
                a_start = _word_start(a_text, a_words[n - CONTEXT - 1].end, a_resume.start)
                b_start = _word_start(b_text, b_words[n - CONTEXT - 1].end, b_resume.start)
            elif hidden and CONTEXT < i <= n - CONTEXT:
                continue
            elif paragraph(
                (a_words[i - 1].end, a_words[i].start), (b_words[i - 1].end, b_words[i].start)
            ):
                cut(a_words[i].start, b_words[i].start)
        a_last, b_last = a_words[-1].end, b_words[-1].end
    rows.append(((a_start, passage.passage.target[1]), (b_start, passage.passage.source[1])))
    return rows


def _word_start(text: str, floor: int, word: int) -> int:
    """Where the word at ``word`` begins with its leading punctuation (an opening quote)."""
    while word > floor and not text[word - 1].isspace():
        word -= 1
    return word


def _cell(text: str, span: Span, edits: list[Span], mark: Mark, plain: bool) -> Text:
    """``text[span]`` (one paragraph or part of one), the ``edits`` inside it marked."""
    start, end = span
    out = Text()
    cursor = start
    for edit_start, edit_end in edits:
        if edit_end <= start or edit_start >= end or edit_start == edit_end:
            continue
        out.append(_flat(text[cursor:edit_start]))
        edited = _flat(text[edit_start:edit_end])
        if plain:
            out.append(f"{mark[1]}{edited}{mark[2]}")
        else:
            out.append(edited, mark[0])
        cursor = edit_end
    out.append(_flat(text[cursor:end]))
    out.rstrip()
    return out


def _flat(text: str) -> str:
    return _WRAPPED.sub(" ", text)


def _passage(
    comparison: Comparison, number: int, passage: ComparedPassage, *, plain: bool, full: bool
) -> tuple[RenderableType, bool]:
    """A passage's title and its side-by-side table; also whether words were left out."""
    rows = _rows(comparison, passage, shorten=not full and passage.passage.words > LONG_PASSAGE)
    a_edits = [c.target_span for c in passage.changes]
    b_edits = [c.source_span for c in passage.changes]
    changes = len(passage.changes)
    title = Text.assemble(
        (f"Passage {number} of {len(comparison.passages)}", "bold"),
        f"  {passage.passage.words:,} words copied, ",
        (_count(changes, "change") if changes else "no change", "bold" if changes else "green"),
    )
    table = Table(box=box.MINIMAL, expand=True, header_style="bold", pad_edge=False)
    table.add_column(f"A {_range(passage.target_location)}", ratio=1, overflow="fold")
    table.add_column(f"B {_range(passage.source_location)}", ratio=1, overflow="fold")
    for i, row in enumerate(rows):
        if i:
            table.add_row()  # a blank line between paragraphs
        if isinstance(row, int):
            marker = Text(f"[… {row:,} identical words …]", "dim italic")
            table.add_row(marker, marker)
            continue
        a_span, b_span = row
        table.add_row(
            _cell(comparison.target.text, a_span, a_edits, ONLY_IN_A, plain),
            _cell(comparison.source.text, b_span, b_edits, ONLY_IN_B, plain),
        )
    return Group(title, table), any(isinstance(row, int) for row in rows)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _share(share: float, words: int, of: str, verb: str, other: str) -> Text:
    """``86% of A's 422 words come from B``."""
    if words == 1:
        verb = "is" if verb == "are" else verb + "s"
    return Text.assemble(
        f"{share:.0%}", (f" of {of}'s {_count(words, 'word')} {verb} {other}", "dim")
    )


def _header(comparison: Comparison) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("A (checked)", comparison.target.path)
    grid.add_row("B (source)", comparison.source.path)
    grid.add_row(
        "source coverage",
        _share(comparison.source_coverage, comparison.source_words, "B", "are", "in A"),
    )
    grid.add_row(
        "target share",
        _share(comparison.target_share, comparison.target_words, "A", "come", "from B"),
    )
    grid.add_row("passages", str(len(comparison.passages)))
    return grid


def _legend(plain: bool) -> Text:
    note = " (case, quotes and spacing are ignored)"
    if plain:
        a, b = ONLY_IN_A, ONLY_IN_B
        return Text(f"{a[1]}…{a[2]} only in A, {b[1]}…{b[2]} only in B{note}", "dim")
    return Text.assemble(
        ("red", ONLY_IN_A[0]),
        (": only in A, ", "dim"),
        ("green", ONLY_IN_B[0]),
        (f": only in B{note}", "dim"),
    )


def render_comparison(comparison: Comparison, console: Console, *, full: bool = False) -> None:
    """Print ``comparison`` to ``console``; ``full`` prints long passages whole."""
    plain = _plain(console)
    console.print(_header(comparison))
    console.print()
    if not comparison.passages:
        console.print(
            f"No copied passage: A and B have no stretch of {MIN_PASSAGE_WORDS} or more words "
            "in common."
        )
        return
    if any(p.changes for p in comparison.passages):
        console.print(_legend(plain))
        console.print()
    shortened = False
    for number, passage in enumerate(comparison.passages, start=1):
        view, hidden = _passage(comparison, number, passage, plain=plain, full=full)
        console.print(view)
        console.print()
        shortened = shortened or hidden
    if shortened:
        console.print(
            Text("Long identical stretches are shortened; --full shows every word.", "dim")
        )


# -- JSON ------------------------------------------------------------------------------------


def _change(comparison: Comparison, segment: Segment) -> dict[str, Any]:
    target, source = comparison.target, comparison.source
    return {
        "kind": segment.tag,
        "target": list(segment.target_span),
        "source": list(segment.source_span),
        "target_location": asdict(target.lines.locate(segment.target_span)),
        "source_location": asdict(source.lines.locate(segment.source_span)),
        "target_text": target.text[slice(*segment.target_span)],
        "source_text": source.text[slice(*segment.source_span)],
    }


def _document(document: Document, words: int) -> dict[str, Any]:
    return {"path": document.path, "format": document.format, "words": words}


def comparison_to_dict(comparison: Comparison) -> dict[str, Any]:
    return {
        "tool": {"name": "provenance", "version": __version__},
        "target": _document(comparison.target, comparison.target_words),
        "source": _document(comparison.source, comparison.source_words),
        "source_coverage": round(comparison.source_coverage, 4),
        "target_share": round(comparison.target_share, 4),
        "passages": [
            {
                "target": list(p.passage.target),
                "source": list(p.passage.source),
                "words": p.passage.words,
                "edits": p.passage.edits,
                "target_location": asdict(p.target_location),
                "source_location": asdict(p.source_location),
                "changes": [_change(comparison, s) for s in p.changes],
            }
            for p in comparison.passages
        ],
    }


def format_comparison_json(comparison: Comparison) -> str:
    return json.dumps(comparison_to_dict(comparison), indent=2, ensure_ascii=False) + "\n"
