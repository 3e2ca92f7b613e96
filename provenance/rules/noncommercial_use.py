"""noncommercial-use: a NonCommercial-licensed source republished on a commercial site.

The source's licence (CC BY-NC, BY-NC-SA, BY-NC-ND: ProPublica, KFF Health News) allows
republication for non-commercial purposes only, and the configuration declares the site
commercial (``[site] commercial = true``).

Fix: remove the text, or obtain the publisher's permission for commercial use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import Finding
from .case import Case, describe, finding

ID = "noncommercial-use"
CONF: dict[str, Any] = {}
DEFAULT: dict[str, Any] = {"severity": "error"}


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    match, licence = case.best, case.licence
    if match is None or licence is None or not licence.nc or not case.site.commercial:
        return
    yield finding(
        ID,
        conf,
        f"copies {describe(match)}, published under {licence.name}, which allows "
        "non-commercial use only, on a site the configuration declares commercial",
        case.start(),
        source_id=match.source.id,
        expected="non-commercial use",
        found="commercial site",
    )
