"""notice-year-mismatch: the year in the notice is not the source's publication year.

Publishers ask for the year the article was first published (RFE/RL: "Copyright (c) YEAR").
A stale year usually means a notice was pasted from another article or a template. The finding
points at the year in the notice and names the source's publication date.

Fix: put the source's publication year in the notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..models import Finding
from .case import Case, describe, finding

ID = "notice-year-mismatch"
CONF: dict[str, Any] = {}
DEFAULT: dict[str, Any] = {"severity": "error"}


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    years = {m.source.year for m in case.matches} - {None}
    if not years or case.best is None:
        return
    for claim in case.notices:
        if not claim.years or years & set(claim.years):
            continue
        stated = claim.years[0]
        at = re.search(str(stated), claim.text)
        span = (claim.span[0] + at.start(), claim.span[0] + at.end()) if at else claim.span
        source = case.best.source
        yield finding(
            ID,
            conf,
            f"the notice says {stated}, but {describe(case.best)} was first published "
            f"in {source.year} ({source.published})",
            span,
            source_id=source.id,
            expected=str(source.year),
            found=", ".join(map(str, claim.years)),
        )
