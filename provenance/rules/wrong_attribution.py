"""wrong-attribution: the notice credits a publisher other than the one the text comes from.

The text copies a source of one publisher, no line credits that publisher, and a copyright or
credit line names another known publisher instead (a VOA story under an RFE/RL notice, a pasted
template from a different partner). The finding points at the wrong line and shows the notice
the real publisher requires.

Fix: replace the line with the notice of the publisher the text comes from.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import Finding
from .case import Case, describe, finding

ID = "wrong-attribution"
CONF: dict[str, Any] = {}
DEFAULT: dict[str, Any] = {"severity": "error"}


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    match = case.best
    if match is None:
        return
    for claim, other in case.misattributions:
        yield finding(
            ID,
            conf,
            f"the notice credits {other.name}, but the text copies {describe(match)} "
            f"by {case.owner}",
            claim.span,
            source_id=match.source.id,
            expected=case.required_notice() or case.pack.name,
            found=claim.text,
        )
