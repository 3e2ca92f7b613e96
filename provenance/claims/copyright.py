"""Copyright lines: "Copyright (c) 2018. RFE/RL, Inc. …", "© 2015-19 Example News", with their
years and holder."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Claim
from .lines import claim_lines

MARKER = r"(?:\bcopyright\b|©|(?<![\w)])\(c\))"
YEAR = r"(?:19|20)\d\d"
# A copyright line: a marker directly followed by a year ("Copyright (c) 2018", "© 2015-19"),
# or a line that starts with a marker and has a year ("© The Guardian 2019"). Prose such as
# "a copyright case in 2019" or "section 3(c) of the 2019 act" is not a claim.
_COPYRIGHT = re.compile(
    rf"{MARKER}(?:\s*(?:\(c\)|©))?[\s.,:]*{YEAR}|^\W*{MARKER}.*\b{YEAR}\b", re.I
)
# A year or a range ("2015-2019", "2015-19"), but not the start of a date ("2020-08-15").
_YEARS = re.compile(rf"\b({YEAR})(?:\s*[-\u2013]\s*((?:19|20)?\d\d))?\b(?![-/.]\d)")
_HOLDER_PREFIX = re.compile(
    rf"^(?:\s|{MARKER}|[.,:;\-\u2013]|{YEAR}(?:\s*[-\u2013]\s*\d{{2,4}})?|by\b)+", re.I
)
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])\.\s+(?=[A-Z])")


def years_in(line: str) -> tuple[int, ...]:
    """The years a line names, ranges expanded ("2015-19" is 2015 to 2019)."""
    years: list[int] = []
    for match in _YEARS.finditer(line):
        first = int(match.group(1))
        if match.group(2):
            last = int(match.group(2))
            if last < 100:  # "2015-19", "1998-02"
                last += first // 100 * 100 + (100 if last < first % 100 else 0)
            years.extend(range(first, last + 1) if 0 <= last - first <= 100 else (first, last))
        else:
            years.append(first)
    return tuple(dict.fromkeys(years))


def strip_trailing_year(name: str) -> str | None:
    """A name without the punctuation and trailing year around it ("© Name 2019")."""
    name = re.sub(rf"[\s,]*\b{YEAR}\s*$", "", name.strip(" .,;"))
    return name or None


def _holder(line: str) -> str | None:
    marker = re.search(MARKER, line, re.I)
    if not marker:
        return None
    rest = _HOLDER_PREFIX.sub("", line[marker.start() :])
    return strip_trailing_year(_SENTENCE_END.split(rest, maxsplit=1)[0])


def copyright_claims(text: str) -> Iterator[Claim]:
    """Copyright lines in ``text``, in order."""
    for span, line in claim_lines(text):
        years = years_in(line)
        if years and _COPYRIGHT.search(line):
            yield Claim("copyright", line, span, _holder(line), years)
