"""notice-mismatch: the publisher's notice is there, but not in the wording it requires.

A line names the publisher the text was copied from, but does not match the pack's required
notice or any of its accepted variants (address forms, "(c)" or "©", punctuation). The
finding shows the required wording beside the one found. The year is checked separately by
notice-year-mismatch.

Fix: replace the line with the required wording.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import Finding
from .case import Case, finding

ID = "notice-mismatch"
CONF: dict[str, Any] = {}
DEFAULT: dict[str, Any] = {"severity": "error"}


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    notice = case.pack.notice
    if notice is None or case.best is None or not case.notices:
        return
    if any(notice.accepts(claim.text) for claim in case.notices):
        return  # one correct notice is enough; other mentions may be ordinary credits
    for claim in case.notices:
        yield finding(
            ID,
            conf,
            f"the {case.pack.name} notice does not have the wording {case.pack.name} requires",
            claim.span,
            source_id=case.best.source.id,
            expected=case.required_notice(),
            found=claim.text,
        )
