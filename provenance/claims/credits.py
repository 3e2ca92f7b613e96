"""Credit lines: "Republished with the permission of …", "This story was originally published
by …", with whom they credit."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Claim
from .copyright import strip_trailing_year, years_in
from .lines import claim_lines

_CREDIT = re.compile(
    r"\b(?:republished|reprinted|reproduced|used|published)\s+(?:with|by)\s+(?:the\s+)?"
    r"(?:kind\s+)?permission\b|\boriginally\s+(?:published|appeared)\b",
    re.I,
)
_CREDITED = re.compile(
    r"(?:permission\s+of|published\s+(?:by|in|on)|appeared\s+(?:in|on))\s+(?:the\s+)?"
    r"(?P<name>[^,.;]+)",
    re.I,
)


def credit_claims(text: str) -> Iterator[Claim]:
    """Credit lines in ``text``, in order."""
    for span, line in claim_lines(text):
        if _CREDIT.search(line):
            credited = _CREDITED.search(line)
            holder = strip_trailing_year(credited.group("name")) if credited else None
            yield Claim("credit", line, span, holder, years_in(line))
