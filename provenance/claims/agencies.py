"""News agency credits: "With reporting by Reuters and AFP", "(AP) —", "© AFP", "REUTERS/",
"By Jane Smith, Associated Press"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Claim
from .bylines import is_byline
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
    "EFE": r"\bEFE\b",
    "ANSA": r"\bANSA\b",
    "UPI": r"\bUPI\b|\bUnited Press International\b",
    "Kyodo": r"\bKyodo\b",
    "Yonhap": r"\bYonhap\b",
    "PA Media": r"\bPA Media\b|\bPress Association\b",
}
_DATELINE_NAMES = r"AP|Reuters|AFP|dpa|Xinhua|EFE|ANSA|UPI|Kyodo|Yonhap|TASS|Interfax"
_AGENCY_CREDIT = re.compile(
    r"^\s*(?:with|based on|additional|including)?\s*reporting\s+(?:by|from)\b"
    r"|^\s*compiled\s+from\b.*\breports?\b"
    r"|\bcontributed\s+to\s+this\s+(?:report|story)\b"
    r"|^\s*(?:sources?|material)\s*:",
    re.I,
)
_AGENCY_MARKER = re.compile(
    rf"\((?i:{_DATELINE_NAMES})\)\s*[-\u2013\u2014]"  # dateline: "KYIV (Reuters) - ..."
    rf"|©\s*(?i:{_DATELINE_NAMES})\b"
    # Photo credits: "REUTERS/Name", "AP/Name", "Name/AFP via Getty Images", "Photo:
    # Reuters/Name". In capitals, or after "Photo:": "a Reuters/Ipsos poll" is not one. (The
    # agency is looked for up to the next "Photo:" only: reading to the line's end from each
    # one takes time quadratic in the length of a line of them.)
    r"|\b(?:REUTERS|AFP|AP)\s*/|/\s*(?:REUTERS|AFP|AP)\b"
    r"|(?i:\b(?:photo|image|picture|credit)s?\s*:"
    r"(?:(?!\b(?:photo|image|picture|credit)s?\s*:).)*?\b(?:reuters|afp|ap)\s*/)"
    r"|\b(?:AP|AFP|(?i:Reuters))\s+(?:Photo|via\s+Getty)\b",
)


def agencies_in(text: str) -> tuple[str, ...]:
    """The agencies ``text`` names."""
    return tuple(name for name, pattern in AGENCIES.items() if re.search(pattern, text))


def agency_claims(text: str) -> Iterator[Claim]:
    """Lines of ``text`` that credit a news agency, in order."""
    for span, line in claim_lines(text):
        if _AGENCY_CREDIT.search(line) or _AGENCY_MARKER.search(line) or is_byline(line):
            agencies = agencies_in(line)
            if agencies:
                yield Claim("agency", line, span, agencies=agencies)
