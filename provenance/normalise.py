"""Normalise text for comparison while remembering where every character came from.

Copies are compared after NFKC, case folding, unified quotes and dashes, collapsed whitespace
and with invisible format characters removed, so that cosmetic differences never hide a copy.
Every normalised character keeps the offset of the original character it came from, so a match
found in normalised text can be reported at its place in the original.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import regex

# Quotes, apostrophes and dashes that house styles swap freely.
_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)

# Letters with their combining marks ("i̇stanbul", Devanagari vowel signs) and digits.
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


@dataclass(frozen=True)
class Normalised:
    """Normalised text; normalised character ``i`` came from input ``origin[i]:origin_end[i]``."""

    text: str
    origin: tuple[int, ...]
    origin_end: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the input that normalised characters ``start:end`` came from."""
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else self.end
            return at, at
        return self.origin[start], self.origin_end[end - 1]

    @property
    def end(self) -> int:
        return self.origin_end[-1] if self.origin_end else 0


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # offsets in the original (not normalised) text
    end: int


def _clusters(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, base character plus its combining marks) so NFKC can compose them."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            yield start, text[start:i]
            start = i


def _invisible(char: str) -> bool:
    # Format characters: zero-width spaces and joiners, bidi controls, the BOM.
    return unicodedata.category(char) == "Cf"


def normalise(text: str) -> Normalised:
    """Return the comparison form of ``text`` with a map back to the input offsets."""
    out: list[str] = []
    origin: list[int] = []
    origin_end: list[int] = []
    space_at: int | None = None  # where a run of whitespace began, once text has started
    for offset, cluster in _clusters(text):
        folded = unicodedata.normalize("NFKC", cluster).casefold().translate(_PUNCTUATION)
        for char in folded:
            if _invisible(char):
                continue
            if char.isspace():
                if out and space_at is None:
                    space_at = offset
                continue
            if space_at is not None:
                out.append(" ")
                origin.append(space_at)
                origin_end.append(space_at + 1)
                space_at = None
            out.append(char)
            origin.append(offset)
            origin_end.append(offset + len(cluster))
    return Normalised("".join(out), tuple(origin), tuple(origin_end))


def tokens(text: str) -> list[Token]:
    """Words of ``text`` in comparison form, each with its span in ``text``."""
    norm = normalise(text)
    found = []
    for m in _WORD.finditer(norm.text):
        start, end = norm.original_span(m.start(), m.end())
        found.append(Token(m.group(), start, end))
    return found
