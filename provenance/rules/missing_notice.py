"""missing-notice: copied text carries no notice for the publisher it comes from.

The text matches an indexed source whose publisher requires a credit or copyright notice with
every republication (RFE/RL: "Copyright (c) YEAR. RFE/RL, Inc. Republished with the permission
of Radio Free Europe/Radio Liberty, …"), and no line of the text names that publisher.

Fix: add the publisher's notice, with the year the source was first published.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import Finding
from .case import Case, describe, finding

ID = "missing-notice"
CONF: dict[str, Any] = {}
DEFAULT: dict[str, Any] = {"severity": "error"}


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    match = case.best
    if match is None or case.notices:
        return
    required = case.required_notice()
    yield finding(
        ID,
        conf,
        f"copies {match.source_coverage:.0%} of {describe(match)} by {case.pack.name} "
        f"but carries no {case.pack.name} notice",
        match.passages[0].target,
        source_id=match.source.id,
        expected=required,
    )
