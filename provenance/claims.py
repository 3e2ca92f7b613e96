"""What a text says about its own provenance: copyright and credit lines, agency credits.

Claims are read from the text as written; deciding whether a claim is right for the sources the
text matches is the rules' job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .models import Claim

_MARKER = r"(?:\bcopyright\b|©|(?<![\w)])\(c\))"
_YEAR = r"(?:19|20)\d\d"
# A copyright line: a marker directly followed by a year ("Copyright (c) 2018", "© 2015-19"),
# or a line that starts with a marker and has a year ("© The Guardian 2019"). Prose such as
# "a copyright case in 2019" or "section 3(c) of the 2019 act" is not a claim.
_COPYRIGHT = re.compile(
    rf"{_MARKER}(?:\s*(?:\(c\)|©))?[\s.,:]*{_YEAR}|^\W*{_MARKER}.*\b{_YEAR}\b", re.I
)
_CREDIT = re.compile(
    r"\b(?:republished|reprinted|reproduced|used|published)\s+(?:with|by)\s+(?:the\s+)?"
    r"(?:kind\s+)?permission\b|\boriginally\s+(?:published|appeared)\b",
    re.I,
)
# A year or a range ("2015-2019", "2015-19"), but not the start of a date ("2020-08-15").
_YEARS = re.compile(rf"\b({_YEAR})(?:\s*[-\u2013]\s*((?:19|20)?\d\d))?\b(?![-/.]\d)")
_HOLDER_PREFIX = re.compile(
    rf"^(?:\s|{_MARKER}|[.,:;\-\u2013]|{_YEAR}(?:\s*[-\u2013]\s*\d{{2,4}})?|by\b)+", re.I
)
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])\.\s+(?=[A-Z])")
_CREDITED = re.compile(
    r"(?:permission\s+of|published\s+(?:by|in|on)|appeared\s+(?:in|on))\s+(?:the\s+)?(?P<name>[^,.;]+)",
    re.I,
)

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


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for line in re.finditer(r"[^\r\n]*", text):  # \n, \r\n and old Mac \r endings
        if line.group():
            yield line.start(), line.group()


def _years(line: str) -> tuple[int, ...]:
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


def _holder(line: str) -> str | None:
    """The copyright holder of a copyright line, or whom a credit line credits."""
    marker = re.search(_MARKER, line, re.I)
    if marker:
        rest = _HOLDER_PREFIX.sub("", line[marker.start() :])
        holder = _SENTENCE_END.split(rest, maxsplit=1)[0]
    else:
        credited = _CREDITED.search(line)
        holder = credited.group("name") if credited else ""
    holder = re.sub(rf"[\s,]*\b{_YEAR}\s*$", "", holder.strip(" .,;"))  # "© Name 2019"
    return holder or None


def _agencies(line: str) -> tuple[str, ...]:
    return tuple(name for name, pattern in AGENCIES.items() if re.search(pattern, line))


def find_claims(text: str) -> list[Claim]:
    """Claims in ``text``, in the order they appear."""
    claims = []
    for offset, line in _lines(text):
        stripped = line.strip(" \t*_>#")  # Markdown emphasis, quotes, headings
        if not stripped:
            continue
        start = offset + line.index(stripped)
        span = (start, start + len(stripped))
        years = _years(stripped)
        is_copyright = bool(years and _COPYRIGHT.search(stripped))
        if is_copyright or _CREDIT.search(stripped):
            kind = "copyright" if is_copyright else "credit"
            claims.append(Claim(kind, stripped, span, _holder(stripped), years))
        if _AGENCY_CREDIT.search(stripped) or _AGENCY_MARKER.search(stripped):
            agencies = _agencies(stripped)
            if agencies:
                claims.append(Claim("agency", stripped, span, agencies=agencies))
    return claims
