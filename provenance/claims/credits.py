"""Credit lines: "Republished with the permission of …", "This story was originally published
by ProPublica.", "This article is republished from The Conversation under a Creative Commons
license.", publishers' taglines, "Source: VOA", "Courtesy of …", "Credit: …", with whom they
credit.

Each form names the credited party in its own place, so each has its own pattern with a ``name``
group. Forms that are also ordinary prose ("originally published in 1950") count only as a
line's subject ("This story …", "Originally published …") and with a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Claim
from .copyright import strip_trailing_year, years_in
from .lines import claim_lines, link_text

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
# Where a credited name ends: punctuation, or the words that follow names in credit lines
# ("… from The Conversation under a Creative Commons license", "… on Global Voices on 3 May").
_NAME = (
    r"(?-i:the\s+)?(?P<name>.+?)(?=\s*(?:[,;:(]|\.(?:\s|$)|$)"
    rf"|\s+(?:under|with|and\s+(?:is|was|has)|as|(?:on|in)\s+(?:\d|{_MONTH}\s))\b)"
)
_WORK = (
    r"(?:article|story|post|piece|report|essay|interview|column|op-ed|commentary|feature|"
    r"text|item|content|version)"
)
_SUBJECT = rf"(?:(?:a|an)\s+(?:\w+\s+)?version\s+of\s+)?(?:this|the)\s+(?:[\w-]+\s+)?{_WORK}\b"

# (pattern, whether the credit needs a name to be one)
_FORMS: tuple[tuple[re.Pattern[str], bool], ...] = tuple(
    (re.compile(pattern, re.I), needs_name)
    for pattern, needs_name in (
        # "Republished with the permission of RFE/RL", "Reprinted with permission from …"
        (
            r"\b(?:republished|reprinted|reproduced|used|published)\s+(?:with|by)\s+(?:the\s+)?"
            rf"(?:kind\s+)?permission\b(?:\s+(?:of|from)\s+{_NAME})?",
            False,
        ),
        # "This story was originally published by ProPublica.", "This story by Jane Doe
        # originally appeared on Global Voices on 3 May 2021", "Originally published in Grist"
        (
            rf"^\W*(?:{_SUBJECT}.*?\s)?(?:(?:was|is|has\s+been)\s+)?(?:originally|first)\s+"
            rf"(?:published|appeared|posted|ran)\s+(?:by|in|on|at)\s+{_NAME}",
            True,
        ),
        # "This article is republished from The Conversation under a Creative Commons
        # license.", "This article was reprinted from khn.org"
        (
            rf"^\W*{_SUBJECT}\s+(?:is|was|has\s+been)\s+(?:republished|reprinted|reproduced|"
            rf"adapted|syndicated)\s+(?:with\s+permission\s+)?from\s+{_NAME}",
            True,
        ),
        # A publisher's tagline: "KFF Health News is a national newsroom that produces …",
        # "ProPublica is a Pulitzer Prize-winning investigative newsroom."
        (
            r"^\W*(?-i:(?P<name>(?:[A-Z][\w&'\u2019.-]*\s+){0,5}[A-Z][\w&'\u2019.-]*))\s+is\s+"
            r"(?:a|an)\s+(?:[\w,'\u2019-]+\s+){0,6}?(?:newsroom|news\s+organi[sz]ation|"
            r"news\s+service)\b",
            True,
        ),
        # "Source: VOA", "Courtesy of the Smith family", "Credit: NASA": the whole line.
        (
            r"^(?:source|(?:photo\s+|image\s+)?credits?)\s*:\s*(?P<name>[^:;,]{1,60}?)"
            r"(?:,[^:;]*)?\.?$",
            True,
        ),
        (
            r"^(?:(?:photo|image|video|map|chart|graphic|illustration|article|story|text)s?\s+)?"
            r"courtesy\s+(?:of\s+)?(?-i:the\s+)?(?P<name>[^:;]{1,60}?)\.?$",
            True,
        ),
    )
)


def _is_name(holder: str) -> bool:
    """Whether a credited party is a name: not a date ("First published on Nov 20"), a clause,
    or words such as "its original source" (a name starts with a capital, or is a domain)."""
    if len(holder.split()) > 8 or re.match(rf"(?:\d{{1,2}}\s+)?{_MONTH}(?:\s|$)|[\d\W]+$", holder):
        return False
    return not holder[0].islower() or bool(re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", holder))


def _credited(line: str) -> tuple[bool, str | None]:
    """Whether ``line`` is a credit, and whom it credits."""
    for pattern, needs_name in _FORMS:
        match = pattern.search(line)
        if not match:
            continue
        name = match.groupdict().get("name")
        holder = strip_trailing_year(name) if name else None
        if holder and not _is_name(holder):
            holder = None
        if holder or not needs_name:
            return True, holder
    return False, None


def credit_claims(text: str) -> Iterator[Claim]:
    """Credit lines in ``text``, in order."""
    for span, line in claim_lines(text):
        is_credit, holder = _credited(link_text(line))
        if is_credit:
            yield Claim("credit", line, span, holder, years_in(line))
