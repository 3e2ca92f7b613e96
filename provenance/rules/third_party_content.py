"""third-party-content: agency material inside republished text needs the agency's own licence.

A publisher's permission covers its own work only. When text republished from it credits a
news agency ("With reporting by Reuters and AFP", "(AP) —", "© AFP", "REUTERS/"), that part
belongs to the agency, and republishing it needs the agency's permission too (RFE/RL says so
for AP, Reuters, AFP and ITAR-TASS).

Only agency credits inside the copied passages, or within ``near`` characters of one (a
credit line just after the article), count: the site's own agency material elsewhere on the page
is not part of the republished text.

Options: ``agencies``, the agencies the publisher's permission does not cover; ``near``.

Fix: remove the agency material, or hold a licence from the agency.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import Finding, Span
from .case import Case, finding

ID = "third-party-content"
CONF: dict[str, Any] = {"agencies": [str], "near": int}
DEFAULT: dict[str, Any] = {
    "severity": "warning",
    "agencies": ["AP", "Reuters", "AFP", "TASS", "Interfax", "dpa", "Xinhua"],
    "near": 40,
}


def _in_copied_text(span: Span, case: Case, near: int) -> bool:
    return any(
        p.target[0] - near <= span[1] and span[0] <= p.target[1] + near
        for match in case.matches
        for p in match.passages
    )


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    if case.best is None:
        return
    for claim in case.claims:
        agencies = [a for a in claim.agencies if a in conf["agencies"]]
        if not agencies or not _in_copied_text(claim.span, case, conf["near"]):
            continue
        named = " and ".join(agencies)
        yield finding(
            ID,
            conf,
            f"{named} material inside text republished from {case.pack.name}: "
            f"{case.pack.name}'s permission does not cover it; republishing it needs "
            f"a licence from {named}",
            claim.span,
            source_id=case.best.source.id,
            found=claim.text,
        )
