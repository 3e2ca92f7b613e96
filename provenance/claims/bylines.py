"""Bylines in the text: "By Jane Smith", "By Jane Smith and John Doe, Reuters", and The
Conversation's author lines ("Jane Smith, Professor of History, University of Oxford") at the
top of an article.

A byline is a whole line of capitalised names, so a sentence that begins with "By" ("By the
time it receded, …", "By Monday, officials …") is not one.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..models import Claim
from .lines import claim_lines, link_text

_PARTICLE = r"(?:al|bin|da|de|del|della|den|der|di|dos|du|el|ibn|la|le|van|von)"
_WORD = r"\p{Lu}[\p{L}\p{M}'\u2019.-]*"
_NAME = rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_WORD}){{0,3}}"
_NAMES = rf"{_NAME}(?:\s*(?:,|,?\s+and|&)\s+{_NAME})*"
# What may follow the names: an outlet or an institution ("Reuters", "The Associated Press",
# "University of Oxford"), capitalised words joined by small ones.
_AFFILIATION = rf"{_WORD}(?:\s+(?:(?:of|the|for|and|&|at|in|on)\s+)*{_WORD})*"
# Capitalised words that start sentences, not names: "By Monday", "By Contrast".
_NOT_NAMES = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Now|Then|Today|"
    r"Tonight|Tomorrow|Yesterday|Contrast|Comparison|Default|Design|Law|Far|Chance)\b"
)
_BYLINE = regex.compile(
    rf"(?i:by)\s+(?!{_NOT_NAMES})(?P<names>{_NAMES}(?:\s*[,|/\u2014\u2013-]\s*{_AFFILIATION})?)"
    r"\s*\.?"
)
_INSTITUTION = (
    r"(?:University|Universit\p{L}+|College|Institute|School|Centre|Center|Hospital|"
    r"Laboratory|Academy|Foundation)"
)
_AUTHOR_LINE = regex.compile(
    rf"(?P<names>{_NAME}),\s+(?:[^,\n]{{1,80}},\s+)?[^,\n]{{0,60}}\b{_INSTITUTION}\b[^,\n]{{0,60}}"
)
_TOP_LINES = 4  # The Conversation's author lines follow the headline


def is_byline(line: str) -> bool:
    """Whether ``line`` is a "By …" byline."""
    plain = link_text(line)
    return len(plain) <= 150 and bool(_BYLINE.fullmatch(plain))


def byline_claims(text: str) -> Iterator[Claim]:
    """Bylines in ``text``, in order; ``holder`` is who the line names, as written."""
    for number, (span, line) in enumerate(claim_lines(text)):
        plain = link_text(line)  # "By [Jane Doe](https://…)"
        if len(plain) > 150:
            continue
        match = _BYLINE.fullmatch(plain)
        if not match and number < _TOP_LINES:
            match = _AUTHOR_LINE.fullmatch(plain)
        if match:
            yield Claim("byline", line, span, holder=match.group("names").rstrip(" ."))
