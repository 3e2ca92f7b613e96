"""third-party-content: agency material inside republished text needs the agency's own licence.

A publisher's permission covers its own work only. When text republished from it credits a
news agency ("With reporting by Reuters and AFP", "(AP) —", "© AFP", "REUTERS/"), that part
belongs to the agency, and republishing it needs the agency's permission too (RFE/RL says so
for AP, Reuters, AFP and ITAR-TASS).

Options: ``agencies``, the agencies the publisher's permission does not cover.

Fix: remove the agency material, or hold a licence from the agency.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import Finding
from .case import Case, finding

ID = "third-party-content"
CONF: dict[str, Any] = {"agencies": [str]}
DEFAULT: dict[str, Any] = {
    "severity": "warning",
    "agencies": ["AP", "Reuters", "AFP", "TASS", "Interfax", "dpa", "Xinhua"],
}


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    if case.best is None:
        return
    for claim in case.claims:
        agencies = [a for a in claim.agencies if a in conf["agencies"]]
        if claim.kind != "agency" or not agencies:
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
