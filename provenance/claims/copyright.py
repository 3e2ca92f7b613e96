"""Copyright statements: "Copyright (c) 2018. RFE/RL, Inc. …", "© 2015-19 Example News",
"(C) Copyright 1985-1999 ADVANCED TECHNOLOGY SYSTEMS", "Copyright (c) 1988, 1993" with its
holder on the next line, with their years and holder.

A statement starts at a marker ("Copyright", "Copr.", "(c)", "©"), goes on through more markers
and years, then names its holder. A statement is strong when it has both a word and a sign
("Copyright (c)") or a marker and a year; then whatever follows is its holder. A lone word
("Copyright Foobar Ltd.") or sign ("© Example News") is also a statement when a name follows
it, which keeps prose about copyright ("retain the above copyright notice", "copyright law")
out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from ..models import Claim, Span
from .copyright_holders import EMAIL as _EMAIL
from .copyright_holders import ORGANISATION, Taken, ends_open, name_like, plausible, take, tidy
from .copyright_holders import RESERVED as _RESERVED
from .copyright_text import (
    DATE,
    MARKER,
    SIGN,
    WORD,
    YEAR,
    YEAR_PLACEHOLDER,
    YEARS,
    plain,
    vocabulary,
)
from .lines import claim_lines

_IS_WORD = re.compile(WORD, re.I)
_IS_SIGN = re.compile(SIGN, re.I)
_HINT = re.compile(r"copr|opyright|\(c\)|\(©\)|©|&copy|\\\(co|\\(?:x|u00)?a9|\\251|<a9>", re.I)
# What goes between a statement's first marker and its holder: more markers, years, and
# "by" / "held by" / "of" / "or" ("Copyright or Copr. CNRS"), a "c" for the sign ("Copyright c
# 2011").
_PREFIX = re.compile(
    rf"(?:{WORD}|{SIGN}|[<(]?{YEARS}[>)]?|[\s,.:;\-\u2013\"']+|\b(?:is\s+)?(?:held\s+|owned\s+)?by\b"
    rf"|\b(?:of|to)\b(?=\s+\S)|\bor\b(?=\s*(?:{WORD}|{SIGN}))|\band\s+(?:later\b|(?={YEAR}))"
    rf"|\bc\b(?=\s*{YEAR})|{YEAR_PLACEHOLDER})*",
    re.I,
)
_LEADING_YEARS = re.compile(rf"(?:[\s,]|{YEARS}|{YEAR_PLACEHOLDER})*", re.I)
_STARTS_WITH_YEAR = re.compile(rf"\s*{YEARS}[\s\d,\u2013-]*[^\W\d]", re.I)
# Years: a year or a range ("2015-2019", "2015-19"), not the start of a date ("2020-08-15").
_YEARS = re.compile(rf"\b({YEAR})(?:\s*[-\u2013]\s*((?:19|20)?\d\d?))?\b(?![-/.]\d)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_RAW_LINE = re.compile(r"[^\r\n]+")
_QUOTED_TOKEN = re.compile(r"[\"']\s*[,;:)\]]")
_CODE_AFTER_SIGN = re.compile(r"\s*[,.)\]]")
# Words that follow "copyright" in sentences about copyright rather than in statements.
PROSE = vocabulary(
    """notice notices holder holders owner owners law laws act acts agent statement statements
    information protection infringement infringements claim claims office status terms policy
    page pages section year years date line lines header headers text file files symbol sign
    string attribution assignment disclaimer license licence licensing and or in on for is are
    was this that these those such any all its their his her our your unknown mark treaty
    treaties convention conventions directive issues issue rules grant grants"""
)
# A lone "copyright" names a holder only at the start of a line, after punctuation or in
# "X is copyright Y".
_WORD_CONTEXT = re.compile(
    r"(?:^|[.,;:(|\"'\]]|\b(?:is|are|was|remains?|portions?|parts?))\s*$", re.I
)
_BY = re.compile(r"\bby\b", re.I)
_INDENT = " \t*/#;!|%-"
_TRAILING_VERB = re.compile(r"\s+(?:is|are|was|were)\s*$", re.I)
_RESERVED_AHEAD = re.compile(rf"[\s.,;]*(?:{_RESERVED.pattern})", re.I)
_AUTHOR_LABEL = re.compile(r"\s*authors?\s*:\s*", re.I)
_MAX_LINES = 5  # a statement runs onto at most this many lines


def years_in(line: str) -> tuple[int, ...]:
    """The years a line names, ranges expanded ("2015-19" is 2015 to 2019, "1997-8" 1997 and
    1998)."""
    years: list[int] = []
    for match in _YEARS.finditer(line):
        first = int(match.group(1))
        if match.group(2):
            last, digits = int(match.group(2)), len(match.group(2))
            if digits < 4:  # "1997-8", "2015-19", "1998-02"
                unit = 10**digits
                last += first // unit * unit + (unit if last < first % unit else 0)
            years.extend(range(first, last + 1) if 0 <= last - first <= 100 else (first, last))
        else:
            years.append(first)
    return tuple(dict.fromkeys(years))


def strip_trailing_year(name: str) -> str | None:
    """A name without the punctuation and trailing year around it ("© Name 2019")."""
    name = re.sub(rf"[\s,]*\b{YEAR}\s*$", "", name.strip(" .,;"))
    return name or None


@dataclass(frozen=True)
class _Statement:
    holder: str | None
    years: tuple[int, ...]
    last_line: int  # index of the line it ends on


class _Line(NamedTuple):
    span: Span  # the line as claims quote it (``claim_lines``)
    raw: str  # the whole line: the marks ``claim_lines`` strips may close markup


def copyright_claims(text: str) -> Iterator[Claim]:
    """Copyright statements in ``text``, in order. A claim's text is the whole line (or lines)
    holding the statement, as written; several statements on one line share it."""
    lines = list(_lines(text))
    done = 0  # lines before this one are part of a statement already read
    for index, line in enumerate(lines):
        if index < done or not _HINT.search(line.raw):
            continue
        quoted: dict[Span, str] = {}  # statements on one line share its text, copied once
        for statement in _statements(text, lines, index):
            done = max(done, statement.last_line + 1)
            whole: Span = (line.span[0], lines[statement.last_line].span[1])
            if whole not in quoted:
                quoted[whole] = text[whole[0] : whole[1]]
            yield Claim("copyright", quoted[whole], whole, statement.holder, statement.years)


def _lines(text: str) -> Iterator[_Line]:
    raw = _RAW_LINE.finditer(text)
    for (start, end), quoted in claim_lines(text):
        whole = next(raw)
        while whole.end() < end:
            whole = next(raw)
        # The ">" that closes "<jane@example.org>" is no Markdown mark: keep it in the quote.
        opened = quoted.count("<") - quoted.count(">")
        while opened > 0 and end < whole.end() and text[end] == ">":
            end, opened = end + 1, opened - 1
        yield _Line((start, end), whole.group())


def _statements(text: str, lines: list[_Line], index: int) -> Iterator[_Statement]:
    """The statements that start on line ``index``."""
    raw = lines[index].raw
    line = plain(raw)
    position = 0
    while (marker := MARKER.search(line, position)) is not None:
        if _QUOTED_TOKEN.match(line, marker.end()):
            position = marker.end()  # a token of code: 'copyright', '(C)',
            continue
        prefix = _PREFIX.match(line, marker.start())
        prefix_end = prefix.end() if prefix else marker.end()
        taken = take(line, prefix_end)
        words, last = taken.text, index
        before = line[max(0, marker.start() - 200) : marker.start()]
        if taken.reason == "end" and not (tidy(words) is None and _holder_before(before)):
            words, last = _run_on(text, lines, index, words, _column(raw, words))
        statement = _judge(line, marker, line[marker.start() : prefix_end], words, taken)
        if statement:
            yield _Statement(statement[0], statement[1], last)
        if last > index:
            return
        position = max(taken.end, marker.end())


def _column(raw: str, words: str) -> int | None:
    """Where a holder starts in its raw line, to recognise the next line aligned under it."""
    first = words.split()[:1]
    return raw.find(first[0]) if first else None


def _run_on(
    text: str, lines: list[_Line], index: int, words: str, column: int | None
) -> tuple[str, int]:
    """A holder that goes on on the next lines: after "Copyright (c) 1988, 1993", a trailing
    "and" or comma, the "YEAR Name" lines of a Debian copyright field, and names continued on
    a line aligned under the holder or with their e-mail address."""
    last = current = index
    while current + 1 < len(lines) and current - index < _MAX_LINES - 1:
        gap = _LINE_BREAK.split(text[lines[current].span[1] : lines[current + 1].span[0]])
        raw = lines[current + 1].raw
        following = plain(raw)
        if MARKER.search(following) or any(not part.strip() for part in gap[1:-1]):
            break  # another statement, or a blank line: a new paragraph
        if len(gap) > 2 and words.strip():
            break
        current += 1
        if not following:  # a line of comment marks between the marker and its holder
            if words.strip():
                break
            continue
        if not _continues(words, following, raw, column):
            break
        leading = _LEADING_YEARS.match(following)
        years = following[: leading.end()] if leading else ""
        start = len(years)
        if not words.strip():  # "Copyright (C) 2016-2018" then "Author: Matt Ranostay"
            label = _AUTHOR_LABEL.match(following, start)
            start = label.end() if label else start
        taken = take(following, start)
        if not re.search(r"\w", years + taken.text):
            break
        words = f"{words} {years} {taken.text}"
        last = current
        if taken.reason != "end":
            break
    return words, last


def _continues(words: str, following: str, raw: str, column: int | None) -> bool:
    if ends_open(words) or _STARTS_WITH_YEAR.match(following):
        return True
    first = following.split()[0].lower()
    if first in ("and", "&", "or", "und"):
        return True
    if first.strip(",.") in ORGANISATION and words.rstrip()[-1:].isalnum():
        return True  # "the Free" / "Software Foundation,"
    if words.rstrip().endswith(".") or first.endswith(":"):
        return False
    if _EMAIL.match(following):  # "Bill Spitzak" then "(spitzak@users.sourceforge.net) and others"
        return True
    holder = tidy(following)
    if not holder or not name_like(holder, PROSE):
        return False
    aligned = column is not None and len(raw) - len(raw.lstrip(_INDENT)) == column
    return aligned or bool(_EMAIL.search(following))


def _judge(
    line: str, marker: re.Match[str], prefix: str, words: str, taken: Taken
) -> tuple[str | None, tuple[int, ...]] | None:
    """The holder and years of a statement, or ``None`` when the marker starts no statement."""
    word = bool(_IS_WORD.search(prefix))
    date = DATE.search(words)  # "Copyright base-x contributors (c) 2016"
    sign = bool(_IS_SIGN.search(prefix) or date)
    dated = bool(years_in(prefix) or date)
    years = years_in(f"{prefix} {words}")
    strong = (word and (sign or dated)) or (sign and dated)
    # A lone "(c)" without a year is more often the third item of a list ("(c) the Republic of
    # Ireland, if …") than a copyright, unless "All rights reserved" follows.
    lone_c = not (strong or word or marker.group() == "©" or years)
    if lone_c and not (_RESERVED_AHEAD.match(line, taken.end) or _BY.search(prefix)):
        return None
    holder = tidy(words)
    if holder and not plausible(holder):
        holder = None
    before = line[max(0, marker.start() - 200) : marker.start()]
    if (holder is None or prefix.rstrip().endswith(".")) and not MARKER.search(before):
        # "by Gordon Chaffee Copyright (C) 1995.  Send bug reports …"
        holder = _holder_before(before) or holder
    if holder is None and not years:
        return None
    if strong:
        return holder, years
    if holder is None or not name_like(holder, PROSE):
        return None
    if word:
        # "COPYRIGHT. United States copyright laws …" is a heading, not a statement.
        if prefix[marker.end() - marker.start() :].startswith("."):
            return None
        if _BY.search(prefix) or _WORD_CONTEXT.search(before):
            return holder, years
        return None
    # A lone sign is not a caption's credit ("Firefighters at the scene. © AFP") nor code
    # ("© Ka ©", "(c), x").
    if re.search(r"[.!?]\s*$", before) and not years:
        return None
    if taken.reason == "marker" or _CODE_AFTER_SIGN.match(line, marker.end()):
        return None
    return holder, years


def _holder_before(before: str) -> str | None:
    """A holder written before its marker: "Professional Informatics (C) 1994", "started by
    Ingo Molnar, Copyright (C) 2001"."""
    by = list(re.finditer(r"\bby\s", before))
    written = _TRAILING_VERB.sub("", before[by[-1].end() :] if by else before)
    taken = take(written, 0)
    candidate = tidy(written) if taken.reason == "end" else None
    if candidate and len(candidate.split()) <= 6 and name_like(candidate, PROSE):
        return candidate
    return None
