"""unlicensed-republication: text from a publisher that grants no republication right.

News agencies (AP, Reuters, AFP) license their copy to subscribers; nobody else may republish
it. The text copies such a source and the configuration does not say the site holds a licence
from that publisher (``[site] licences = ["ap"]`` in ``provenance.toml``).

Fix: remove the copied text, or, if the site holds a licence, declare it in the configuration.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import Finding
from .case import Case, describe, finding

ID = "unlicensed-republication"
CONF: dict[str, Any] = {}
DEFAULT: dict[str, Any] = {"severity": "error"}


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    match = case.best
    held = {name.casefold() for name in case.site.licences}
    if match is None or {case.pack.id.casefold(), case.pack.name.casefold()} & held:
        return
    yield finding(
        ID,
        conf,
        f"copies {match.source_coverage:.0%} of {describe(match)} by {case.owner}, which "
        f"grants no republication right without a licence, and the site declares no "
        f"{case.pack.name} licence ([site] licences in provenance.toml)",
        case.start(),
        source_id=match.source.id,
    )
