"""unverified-claim: a notice claims republication from a publisher, but none of its text is there.

The text carries a publisher's credit or copyright line ("Republished with the permission of
Radio Free Europe/Radio Liberty"), yet matches no indexed source of that publisher. Either the
credit is wrong (borrowed prestige, a leftover template), or the original is not in the index
yet.

When the text copies another publisher's source instead, wrong-attribution reports the notice.

Fix: remove the notice, or add the original to the index so the copy can be checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import Finding
from .case import CREDITING, Case, finding

ID = "unverified-claim"
CONF: dict[str, Any] = {}
DEFAULT: dict[str, Any] = {"severity": "warning"}


def _misattribution(case: Case) -> bool:
    """Whether the text copies another publisher that no line credits: then the notice is
    wrong-attribution's to report."""
    copied = {m.source.publisher for m in case.document_matches}
    crediting = case.claims_of(*CREDITING)
    return any(
        p.id in copied and not any(p.named_in(c.text) for c in crediting) for p in case.packs
    )


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    if case.matches or _misattribution(case):
        return
    for claim in case.notices:
        yield finding(
            ID,
            conf,
            f"the notice credits {case.pack.name}, but the text matches no indexed "
            f"{case.pack.name} source",
            claim.span,
            found=claim.text,
        )
