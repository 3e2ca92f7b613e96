"""News agency credits: "With reporting by Reuters and AFP", "(AP) —", "© AFP", "REUTERS/"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Claim
from .lines import claim_lines

# Agencies whose material needs a licence of its own, with the ways texts name them.
AGENCIES = {
    "AP": r"\bAP\b|\bAssociated Press\b",
    "Reuters": r"\b(?i:Reuters)\b",
    "AFP": r"\bAFP\b|\bAgence France[- ]Presse\b",
    "TASS": r"\b(?:ITAR-)?TASS\b",
    "Interfax": r"\bInterfax\b",
    "dpa": r"\bdpa\b",
    "Xinhua": r"\bXinhua\b",
}
_AGENCY_CREDIT = re.compile(
    r"^\s*(?:with|based on|additional|including)?\s*reporting\s+(?:by|from)\b"
    r"|^\s*compiled\s+from\b.*\breports?\b"
    r"|\bcontributed\s+to\s+this\s+(?:report|story)\b"
    r"|^\s*(?:sources?|material)\s*:",
    re.I,
)
_AGENCY_MARKER = re.compile(
    r"\((?:AP|Reuters|AFP)\)\s*[-\u2013\u2014]"  # dateline: "KYIV (Reuters) - ..."
    r"|©\s*(?:AP|Reuters|AFP)\b"
    r"|\b(?:REUTERS|AFP|AP)\s*/"  # photo credit: "REUTERS/Name"
    r"|\b(?:AP|AFP|Reuters)\s+Photo\b",
    re.I,
)


def agency_claims(text: str) -> Iterator[Claim]:
    """Lines of ``text`` that credit a news agency, in order."""
    for span, line in claim_lines(text):
        if _AGENCY_CREDIT.search(line) or _AGENCY_MARKER.search(line):
            agencies = tuple(name for name, p in AGENCIES.items() if re.search(p, line))
            if agencies:
                yield Claim("agency", line, span, agencies=agencies)
