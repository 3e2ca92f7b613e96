"""Normalise text for comparison while remembering where every character came from.

Copies are compared after NFKC, case folding, unified quotes and dashes, collapsed whitespace
and with invisible format characters removed, so that cosmetic differences never hide a copy.
Every normalised character keeps the offset of the original character it came from, so a match
found in normalised text can be reported at its place in the original.

Words (``tokens``) also see through two things that are not cosmetic differences of characters:

- Scripts written without spaces (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar) have no
  words to find, so each of their characters, with its combining marks, is a token of its own:
  shingles and alignment then work on characters there.
- Cyrillic and Greek look-alikes of Latin letters (Cyrillic a, Greek omicron), used to salt a
  copy so that it stops matching, are folded to the Latin letters, one character for one (the
  Unicode confusables, after case folding, limited to the letters a to z). A word mixing Latin
  letters and look-alikes is folded. A word made only of look-alikes (many short Russian and
  Greek words are) is folded only when the nearest words on each side that are not made only of
  look-alikes are Latin (at the start or end of the text, the one side there is), so that
  Russian and Greek text, and Russian or Greek quoted in English, keep their own letters.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import numpy as np
import regex

from . import tables

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
# Scripts written without spaces between words: a letter or digit of theirs, with its marks, is
# a word; so is a run of other characters inside a word (``_WORD``) that has some of them.
_UNSPACED_SCRIPTS = (
    r"\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}"
    r"\p{scx=Myanmar}"
)
_UNSPACED = regex.compile(rf"[{_UNSPACED_SCRIPTS}]")
_UNSPACED_WORD = regex.compile(
    rf"(?V1)(?P<c>[[{_UNSPACED_SCRIPTS}]&&[\p{{L}}\p{{N}}]])\p{{M}}*|(?:(?!(?&c)).)+"
)
# Cheap test first: these scripts all begin at Thai, U+0E00, or later.
_MAYBE_UNSPACED = re.compile("[\u0e00-\U0010ffff]")
_LATIN_LETTER = regex.compile(r"\p{Latin}")

# What a letter, then a word, says about the script around it (see ``_fold_homoglyphs``).
_LATIN, _OTHER, _LOOKALIKE, _NEUTRAL = "L", "O", "K", ""


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


class Token(NamedTuple):
    """A word in comparison form (a tuple: there are a great many of them)."""

    text: str
    start: int  # offsets in the original (not normalised) text
    end: int


@cache
def _composing() -> frozenset[str]:
    (codes,) = tables.cached("composing", _build_composing)
    return frozenset(map(chr, codes.tolist()))


def _build_composing() -> tuple[np.ndarray]:
    """Characters that are no combining marks but compose with the character before them: the
    vowel and final Hangul jamo, the second halves of two-part vowel signs (Bengali O, U+09CB,
    is U+09C7 then U+09BE), and characters whose compatibility form starts with a combining
    mark (the halfwidth katakana voiced mark, U+FF9E). Text typed or stored decomposed (NFD),
    or in halfwidth forms, must read as the same words as the composed text."""
    followers = {chr(code) for code in [*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)]}
    decomposable = []
    for code in range(0x20000):  # planes 0 and 1: every script with such compositions
        decomposition = unicodedata.decomposition(chr(code)).split()
        if decomposition:
            decomposable.append(chr(code))
        if len(decomposition) == 2 and not decomposition[0].startswith("<"):
            second = chr(int(decomposition[1], 16))
            if not unicodedata.combining(second):
                followers.add(second)
    for char in decomposable:
        first = unicodedata.normalize("NFKD", char)[0]
        if not unicodedata.combining(char) and (unicodedata.combining(first) or first in followers):
            followers.add(char)
    return (np.array(sorted(map(ord, followers)), dtype=np.uint32),)


def _joins(char: str) -> bool:
    """Whether ``char`` belongs with the character before it for NFKC."""
    return bool(unicodedata.combining(char)) or char in _composing()


def _clusters(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """Yield (offset, base character plus the marks and jamo that compose with it) so NFKC can
    compose them."""
    first = start
    for i in range(start + 1, end + 1):
        if i == end or not _joins(text[i]):
            yield first, text[first:i]
            first = i


def _invisible(char: str) -> bool:
    # Format characters: zero-width spaces and joiners, bidi controls, the BOM.
    return unicodedata.category(char) == "Cf"


def _fold(char: str) -> str:
    return unicodedata.normalize("NFKC", char).casefold().translate(_PUNCTUATION)


@cache
def _simple_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    fold, space, combining = tables.cached("simple", _build_simple_tables)
    return fold, space, combining


def _build_simple_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each character of the Basic Multilingual Plane: its comparison form when that is one
    visible character (0 otherwise), whether that form is whitespace, and whether the character
    composes with the one before it (``_joins``). Built once; most text is made only of such
    simple characters, so it is folded a stretch at a time instead of a character at a time."""
    fold = np.zeros(0x10000, dtype=np.uint32)
    space = np.zeros(0x10000, dtype=bool)
    combining = np.zeros(0x10000, dtype=bool)
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:  # surrogates are not characters
            continue
        char = chr(code)
        combining[code] = _joins(char)
        folded = _fold(char)
        if len(folded) == 1 and not combining[code] and not _invisible(folded):
            fold[code] = ord(folded)
            space[code] = folded.isspace()
    return fold, space, combining


class _Builder:
    """The normalised text and its offset map, built stretch by stretch."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.origin: list[int] = []
        self.origin_end: list[int] = []
        self.space_at: int | None = None  # where a run of whitespace began, once text started

    def space(self, offset: int) -> None:
        if self.out and self.space_at is None:
            self.space_at = offset

    def emit(self, text: str, origin: list[int], origin_end: list[int]) -> None:
        """Append ``text``, whose character ``i`` came from ``origin[i]:origin_end[i]``."""
        if self.space_at is not None:
            self.out.append(" ")
            self.origin.append(self.space_at)
            self.origin_end.append(self.space_at + 1)
            self.space_at = None
        self.out.append(text)
        self.origin.extend(origin)
        self.origin_end.extend(origin_end)

    def simple(self, codes: np.ndarray, start: int) -> None:
        """A stretch of simple characters (``_simple_tables``) starting at offset ``start``,
        vectorised: each folded by table, one space for each run of whitespace."""
        fold, is_space, _ = _simple_tables()
        space = is_space[codes]
        visible = np.flatnonzero(~space)
        if not len(visible):
            self.space(start)
            return
        first, last = int(visible[0]), int(visible[-1])
        if first:
            self.space(start)
        # Every visible character, and the first character of each run of whitespace inside.
        keep = ~space
        if last > first + 1:
            keep[first + 1 : last] |= space[first + 1 : last] & ~space[first : last - 1]
        kept = np.flatnonzero(keep)
        folded = np.where(space[kept], ord(" "), fold[codes[kept]]).astype("<u4")
        origin = kept + start
        self.emit(folded.tobytes().decode("utf-32-le"), origin.tolist(), (origin + 1).tolist())
        if last < len(codes) - 1:
            self.space(start + last + 1)

    def other(self, text: str, start: int, end: int) -> None:
        for offset, cluster in _clusters(text, start, end):
            for char in _fold(cluster):
                if _invisible(char):
                    continue
                if char.isspace():
                    self.space(offset)
                else:
                    self.emit(char, [offset], [offset + len(cluster)])


def normalise(text: str) -> Normalised:
    """Return the comparison form of ``text`` with a map back to the input offsets."""
    fold, _, combining = _simple_tables()
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    in_plane = np.minimum(codes, 0xFFFF)
    simple = (codes <= 0xFFFF) & (fold[in_plane] != 0)
    # A letter composes with the marks after it (beyond the table's plane, any character may
    # be a mark: those rare cases take the slow path).
    simple[:-1] &= ~combining[in_plane[1:]] & (codes[1:] <= 0xFFFF)
    # Stretches alternate: simple ones are folded whole, the others character by character.
    edges = np.flatnonzero(np.diff(simple.astype(np.int8))) + 1
    bounds = [0, *edges.tolist(), len(codes)]
    built = _Builder()
    for start, end in itertools.pairwise(bounds):
        if start == end:
            continue
        if simple[start]:
            built.simple(codes[start:end], start)
        else:
            built.other(text, start, end)
    return Normalised("".join(built.out), tuple(built.origin), tuple(built.origin_end))


@cache
def _homoglyphs() -> dict[int, str]:
    letters, latin = tables.cached("homoglyphs", _build_homoglyphs)
    return dict(zip(letters.tolist(), map(chr, latin.tolist()), strict=True))


def _build_homoglyphs() -> tuple[np.ndarray, np.ndarray]:
    """Cyrillic and Greek letters -> the Latin letter a to z each looks like, in comparison form
    (a ``str.translate`` table).

    Upper and lower case fold to one key; when they look like different letters (Greek capital
    nu like N, small nu like v), the lower case one wins: salted text uses lower case most.
    """
    from confusable_homoglyphs import categories, confusables  # type: ignore[import-untyped]

    def folded(char: str) -> str:
        return unicodedata.normalize("NFKC", char).casefold()

    letters = [
        (char, homoglyphs)
        for char, homoglyphs in confusables.confusables_data.items()
        if len(char) == 1 and char.isalpha() and categories.alias(char) in ("CYRILLIC", "GREEK")
    ]
    table: dict[int, str] = {}
    # a letter already in comparison form first, so small nu (like v) wins over capital nu
    for char, homoglyphs in sorted(letters, key=lambda item: item[0] != folded(item[0])):
        key = folded(char)
        for homoglyph in homoglyphs:
            value = folded(homoglyph["c"])
            if len(key) == 1 and len(value) == 1 and "a" <= value <= "z":
                table.setdefault(ord(key), value)
    return (
        np.array(list(table), dtype=np.uint32),
        np.array([ord(value) for value in table.values()], dtype=np.uint32),
    )


@cache
def _lookalike() -> re.Pattern[str]:
    return re.compile(f"[{re.escape(''.join(map(chr, _homoglyphs())))}]")


class _LetterKinds(dict[int, str]):
    """Code point -> the kind of letter it is, as a ``str.translate`` table filled on first use."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if code in _homoglyphs():
            kind = _LOOKALIKE
        elif _LATIN_LETTER.match(char):
            kind = _LATIN
        else:
            kind = _OTHER if char.isalpha() else _NEUTRAL
        self[code] = kind
        return kind


_LETTER_KINDS = _LetterKinds()


def _kind(word: str) -> str:
    if word.isascii():
        return _NEUTRAL if word.isdigit() else _LATIN
    letters = word.translate(_LETTER_KINDS)
    if _LATIN in letters:
        return _LATIN
    if _OTHER in letters:
        return _OTHER
    return _LOOKALIKE if _LOOKALIKE in letters else _NEUTRAL


def _nearest(kinds: list[str]) -> list[str | None]:
    """For each word, the kind of the nearest word before it that is Latin or other."""
    found: list[str | None] = []
    last = None
    for kind in kinds:
        found.append(last)
        if kind in (_LATIN, _OTHER):
            last = kind
    return found


def _fold_homoglyphs(words: list[str]) -> list[str]:
    """``words`` with look-alike letters folded where the module docstring says."""
    table = _homoglyphs()
    kinds = [_kind(word) for word in words]
    before, after = _nearest(kinds), _nearest(kinds[::-1])[::-1]
    return [
        word.translate(table)
        if (kind == _LATIN and not word.isascii())
        or (kind == _LOOKALIKE and _OTHER not in (left, right) and (left or right))
        else word
        for word, kind, left, right in zip(words, kinds, before, after, strict=True)
    ]


def _word_spans(text: str) -> list[tuple[int, int]]:
    if text.isascii() or not _MAYBE_UNSPACED.search(text):
        return [m.span() for m in _WORD.finditer(text)]
    spans: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        if _UNSPACED.search(m.group()):
            spans.extend(part.span() for part in _UNSPACED_WORD.finditer(text, *m.span()))
        else:
            spans.append(m.span())
    return spans


def tokens(text: str) -> list[Token]:
    """Words of ``text`` in comparison form, each with its span in ``text``.

    Characters of scripts written without spaces are words of their own, and look-alike
    letters are folded (see the module docstring); spans are those of the original words.
    """
    plain = _plain_tokens(text)
    if plain is not None:
        return plain
    norm = normalise(text)
    spans = _word_spans(norm.text)
    return [
        Token(word, *norm.original_span(start, end))
        for word, (start, end) in zip(_words(norm.text, spans), spans, strict=True)
    ]


def _plain_tokens(text: str) -> list[Token] | None:
    """``tokens`` of a text whose every character folds to one plain character
    (``_plain_word_tables``), by table lookups: there, each character of a word in comparison
    form came from the character at the same place. None for any other text."""
    codes, folded, unusual = _folded(text)
    marks = folded[unusual]
    if codes.dtype != np.uint16 or (marks == 0).any():
        return None
    origin = None  # where each character of the comparison form came from, if not 1:1
    if len(unusual):  # invisible characters go, expanded ones come from one character
        dropped, expanded = unusual[marks == _DROPPED], unusual[marks == _EXPANDED]
        forms = [_expansions()[code] for code in codes[expanded].tolist()]
        folded = _rewrite(folded, dropped, expanded, forms)
        origins = [np.full(len(form), at) for at, form in zip(expanded, forms, strict=True)]
        origin = _rewrite(np.arange(len(codes)), dropped, expanded, origins)
    kind = _plain_word_tables()[1][folded]
    if len(kind) and kind.max() == _LOOKALIKE_CHAR:
        folded = _fold_lookalikes(folded, kind)
    first, after = _runs(kind != 0)
    form = folded.astype(np.uint16).tobytes().decode("utf-16-le")
    starts, ends = first.tolist(), after.tolist()
    words = [form[start:end] for start, end in zip(starts, ends, strict=True)]
    if origin is not None:
        starts, ends = origin[first].tolist(), (origin[after - 1] + 1).tolist()
    # tuple.__new__ straight from each (word, start, end): the fastest way to make many Tokens
    return list(map(tuple.__new__, itertools.repeat(Token), zip(words, starts, ends, strict=True)))


def _words(normalised: str, spans: list[tuple[int, int]]) -> list[str]:
    words = [normalised[start:end] for start, end in spans]
    if not normalised.isascii() and _lookalike().search(normalised):
        words = _fold_homoglyphs(words)
    return words


_KIND_RANK = {_NEUTRAL: 0, _LOOKALIKE: 1, _OTHER: 2, _LATIN: 3}  # a word is its highest
# In ``_plain_word_tables``: a character normalising removes, and one whose comparison form is
# several characters (``_expansions``). The control characters with these codes, like any other
# character whose comparison form is no simple character (0), make their text take the slow way.
_DROPPED, _EXPANDED = 1, 2
_WORD_CHAR, _LOOKALIKE_CHAR = 1, 3  # in ``_plain_word_tables``' character kinds
_SYMBOLS = range(0x1F000, 0x20000)  # emoji and other symbols beyond the BMP


@cache
def _symbol_separators() -> np.ndarray:
    return tables.cached("symbol-separators", _build_symbol_separators)[0]


def _build_symbol_separators() -> tuple[np.ndarray]:
    """For each character of ``_SYMBOLS``: whether it is a symbol that only separates words."""
    separators = [
        _fold(chr(code)) == chr(code) and not _WORD.match(chr(code)) and not _joins(chr(code))
        for code in _SYMBOLS
    ]
    return (np.array(separators),)


@cache
def _plain_word_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    plain, kind, rank, latin = tables.cached("plain-words", _build_plain_word_tables)
    return plain, kind, rank, latin


def _build_plain_word_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For each character of the Basic Multilingual Plane: its comparison form when it is
    simple (``_simple_tables``) and not of a script without spaces (0 otherwise; or
    ``_DROPPED``, ``_EXPANDED``), what that form is (0: no word character, ``_WORD_CHAR``,
    ``_LOOKALIKE_CHAR``), its letter kind's rank (``_KIND_RANK``), and its Latin look-alike
    (itself if it has none)."""
    fold, _, combining = _simple_tables()
    plain = fold.astype(np.uint16)
    plain[[_DROPPED, _EXPANDED, 0xFFFF]] = 0  # markers, and what stands for characters beyond
    kind = np.zeros(0x10000, dtype=np.uint8)
    rank = np.zeros(0x10000, dtype=np.int8)
    latin = np.arange(0x10000, dtype=np.uint16)
    for code, to in _homoglyphs().items():
        latin[code] = ord(to)
    for code in np.flatnonzero(fold == 0).tolist():
        # Characters whose comparison form is several characters, none of them visible in a
        # word ("…" is "..."), only ever separate words: a space does the same.
        folded = _fold(chr(code)) if not 0xD800 <= code < 0xE000 and not combining[code] else ""
        if folded and not any(_invisible(c) or _WORD.match(c) for c in folded):
            plain[code] = ord(" ")
        elif folded and all(_invisible(c) for c in folded):  # zero-width spaces, joiners
            plain[code] = _DROPPED
    plain[list(_expansions())] = _EXPANDED
    for code in np.flatnonzero(plain > _EXPANDED).tolist():
        folded = chr(plain[code])
        if _UNSPACED.match(folded):
            plain[code] = 0
        elif _WORD.match(folded):
            kind[plain[code]] = _LOOKALIKE_CHAR if latin[plain[code]] != plain[code] else _WORD_CHAR
            rank[plain[code]] = _KIND_RANK[_LETTER_KINDS[plain[code]]]
    return plain, kind, rank, latin


@cache
def _expansions() -> dict[int, np.ndarray]:
    """Characters of the Basic Multilingual Plane whose comparison form is several simple
    characters ("½" is "1", a fraction slash and "2"; "ﬁ" is "fi"), with that form."""
    fold, _, combining = _simple_tables()
    found = {}
    for code in np.flatnonzero(fold == 0).tolist():
        if 0xD800 <= code < 0xE000 or combining[code]:
            continue
        folded = _fold(chr(code))
        simple = all(ord(c) < 0x10000 and fold[ord(c)] == ord(c) for c in folded)
        if len(folded) > 1 and simple and not any(_UNSPACED.match(c) for c in folded):
            found[code] = np.array([ord(c) for c in folded], dtype=np.uint32)
    return found


def _resize(
    codes: np.ndarray,
    folded: np.ndarray,
    sizes: np.ndarray,
    dropped: np.ndarray,
    expanded: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``folded`` without its ``dropped`` characters and with its ``expanded`` ones written out
    in full, and the texts' new sizes (positions are in ``folded``, texts one after another
    with a separator between them)."""
    firsts = _firsts(sizes)

    def per_text(positions: np.ndarray, weights: list[int] | None = None) -> np.ndarray:
        text = np.searchsorted(firsts, positions, "right") - 1
        return np.bincount(text, weights, minlength=len(sizes)).astype(np.int64)

    forms = [_expansions()[code] for code in codes[expanded].tolist()]
    resized = _rewrite(folded, dropped, expanded, forms)
    return resized, sizes - per_text(dropped) + per_text(expanded, [len(f) - 1 for f in forms])


def _rewrite(
    values: np.ndarray, dropped: np.ndarray, expanded: np.ndarray, forms: list[np.ndarray]
) -> np.ndarray:
    """``values`` without those at ``dropped``, and each at ``expanded`` replaced by its form
    (several values)."""
    at = expanded - np.searchsorted(dropped, expanded)  # where they are once dropped ones go
    rewritten = np.delete(values, dropped)
    if not forms:
        return rewritten
    rewritten[at] = [form[0] for form in forms]
    tails = np.concatenate([form[1:] for form in forms]).astype(rewritten.dtype)
    return np.insert(rewritten, np.repeat(at + 1, [len(f) - 1 for f in forms]), tails)


def _firsts(sizes: np.ndarray) -> np.ndarray:
    """Where each text starts when texts of ``sizes`` are laid end to end, a separator after
    each."""
    return np.concatenate([[0], np.cumsum(sizes + 1)[:-1]])


@dataclass(frozen=True)
class Words:
    """The words of several texts, laid out for hashing: code points (``chars``) in which word
    ``i`` is ``chars[starts[i]:ends[i]]``, and each text's number of words (``counts``)."""

    chars: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    counts: np.ndarray

    def text(self, number: int) -> list[str]:
        """The words of text ``number``, as strings (for tests and debugging)."""
        first = int(self.counts[:number].sum())
        last = first + int(self.counts[number])
        spans = zip(self.starts[first:last], self.ends[first:last], strict=True)
        return [self.chars[s:e].astype("<u4").tobytes().decode("utf-32-le") for s, e in spans]


def _folded(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The code points of ``text``, their comparison forms by ``_plain_word_tables``, and where
    those are 0, ``_DROPPED`` or ``_EXPANDED`` (few; they are looked at one by one)."""
    plain = _plain_word_tables()[0]
    # UTF-16 first, for half the bytes; a surrogate's comparison form is 0.
    codes = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    folded = plain[codes]
    unusual = np.flatnonzero(folded <= _EXPANDED)
    if not ((codes[unusual] & 0xF800) == 0xD800).any():
        return codes, folded, unusual
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    folded = plain[np.minimum(codes, 0xFFFF)]
    beyond = np.flatnonzero(codes > 0xFFFF)
    symbol = codes[beyond] - _SYMBOLS.start
    separates = np.zeros(len(beyond), dtype=bool)
    known = symbol < len(_SYMBOLS)
    separates[known] = _symbol_separators()[symbol[known]]
    folded[beyond] = np.where(separates, ord(" "), 0)
    return codes, folded, np.flatnonzero(folded <= _EXPANDED)


def word_codes(texts: Sequence[str]) -> Words:
    """The words ``tokens`` finds in each of ``texts``, without their spans, all texts at once.

    Texts made only of characters that fold one to one and are not of a script without spaces
    (most text in most languages) are folded, split and have their look-alikes folded by table
    lookups; any other text goes through ``tokens``."""
    kinds = _plain_word_tables()[1]
    # A line break between texts: simple, and never inside a word.
    codes, folded, unusual = _folded("\n".join(texts))
    sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    marks = folded[unusual]
    if len(unusual) and marks.max() > 0:
        dropped, expanded = unusual[marks == _DROPPED], unusual[marks == _EXPANDED]
        folded, sizes = _resize(codes, folded, sizes, dropped, expanded)
        unusual = np.flatnonzero(folded == 0)
    firsts = _firsts(sizes)
    complex_text = np.zeros(len(texts), dtype=bool)
    complex_text[np.searchsorted(firsts, unusual, "right") - 1] = True
    for number in np.flatnonzero(complex_text).tolist():  # blanked out, and done one by one
        folded[firsts[number] : firsts[number] + sizes[number]] = ord(" ")
    kind = kinds[folded]
    inside = kind != 0
    if len(kind) and kind.max() == _LOOKALIKE_CHAR:  # only the texts that have look-alikes
        folded = folded.copy()
        lookalikes = np.flatnonzero(kind == _LOOKALIKE_CHAR)
        for number in np.unique(np.searchsorted(firsts, lookalikes, "right") - 1).tolist():
            text = slice(firsts[number], firsts[number] + sizes[number])
            folded[text] = _fold_lookalikes(folded[text], kind[text])
    if complex_text.any():
        blanked = np.where(inside, folded, ord(" "))
        folded, sizes = _splice(blanked, texts, firsts, sizes, complex_text)
        inside = folded != ord(" ")
        firsts = _firsts(sizes)
    starts, ends = _runs(inside)
    counts = np.diff(np.searchsorted(starts, [*firsts.tolist(), len(folded)]))
    return Words(folded, starts, ends, counts)


def _runs(inside: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of true values starts, and where it ends (exclusive)."""
    edges = np.flatnonzero(inside[1:] != inside[:-1]) + 1  # no padded copy of ``inside``
    if len(inside) and inside[0]:
        edges = np.concatenate([[0], edges])
    if len(inside) and inside[-1]:
        edges = np.concatenate([edges, [len(inside)]])
    return edges[::2], edges[1::2]


def _splice(
    folded: np.ndarray,
    texts: Sequence[str],
    firsts: np.ndarray,
    sizes: np.ndarray,
    complex_text: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``folded`` (words and spaces, a separator after each text) with the words ``tokens``
    finds in each complex text in place of its blanks, and the texts' new sizes."""
    parts = []
    for number, text in enumerate(texts):
        if complex_text[number]:
            normalised = normalise(text).text
            words = " ".join(_words(normalised, _word_spans(normalised)))
            parts.append(np.frombuffer(words.encode("utf-32-le", "surrogatepass"), dtype="<u4"))
        else:
            parts.append(folded[firsts[number] : firsts[number] + sizes[number]])
    sizes = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    separator = np.array([ord(" ")], dtype=np.uint32)
    return np.concatenate([x for part in parts for x in (part, separator)]), sizes


def _fold_lookalikes(folded: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """``_fold_homoglyphs`` on one folded text (``kind``: each character's kind)."""
    _, _, rank, latin = _plain_word_tables()
    starts, _ = _runs(kind != 0)
    # up to the next word's start: what lies between words has rank 0
    kinds = np.maximum.reduceat(rank[folded], starts)
    fold = kinds == _KIND_RANK[_LATIN]  # the look-alikes a Latin word mixes in
    # A word of look-alikes only: by the nearest Latin or other words.
    decided = np.flatnonzero(kinds >= _KIND_RANK[_OTHER])
    unsure = np.flatnonzero(kinds == _KIND_RANK[_LOOKALIKE])
    if len(unsure) and len(decided):
        at = np.searchsorted(decided, unsure) - 1
        before = np.where(at >= 0, kinds[decided[np.maximum(at, 0)]], -1)
        at = np.searchsorted(decided, unsure, side="right")
        after = np.where(at < len(decided), kinds[decided[np.minimum(at, len(decided) - 1)]], -1)
        other = _KIND_RANK[_OTHER]
        fold[unsure] = (before != other) & (after != other) & ((before >= 0) | (after >= 0))
    lookalikes = np.flatnonzero(kind == _LOOKALIKE_CHAR)
    change = lookalikes[fold[np.searchsorted(starts, lookalikes, side="right") - 1]]
    folded = folded.copy()
    folded[change] = latin[folded[change]]
    return folded
