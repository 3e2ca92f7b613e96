"""licence-incompatible: the text is offered under a licence its source's licence forbids.

The copied source's licence limits how copies may be licensed: ShareAlike (BY-SA) copies must
carry the same licence (or a later version of it); NoDerivatives and NonCommercial terms must be
kept; a work republished by permission (RFE/RL, the agencies) may not be offered under an open
licence at all; public-domain sources allow anything. The text's licence is what the document
declares (a Creative Commons licence named in the text or its metadata, outside the copied
passages), else the site's own content licence from the configuration (``[site] license``).

Fix: mark the republished text with its source's licence, or do not republish it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..licences import Licence, parse_licence
from ..models import Finding, Span
from .case import Case, describe, finding

ID = "licence-incompatible"
CONF: dict[str, Any] = {}
DEFAULT: dict[str, Any] = {"severity": "error"}


def _version(licence: Licence) -> tuple[int, ...]:
    return tuple(int(p) for p in (licence.version or "0").split(".") if p.isdigit())


def conflict(source: Licence, target: Licence) -> str | None:
    """Why ``target`` may not be the licence of a copy of a work under ``source``, or None."""
    if source.family == "public-domain" or source.spdx == target.spdx:
        return None
    if target.family == "other":
        return None  # "all rights reserved" and the like claim nothing for others to reuse
    if source.family == "other":
        return f"{source.name} permits republication, not relicensing under {target.name}"
    if target.family == "public-domain":
        return f"a work under {source.name} cannot be dedicated to the public domain"
    if source.nc and not target.nc:
        return f"{source.name} forbids commercial use, which {target.name} allows"
    if source.nd and not target.nd:
        return f"{source.name} forbids adaptations, which {target.name} allows"
    if source.sa and not (target.sa and target.nc == source.nc):
        return f"{source.name} is ShareAlike: copies must carry the same licence"
    if source.sa and _version(target) < _version(source):
        return f"{source.name} is ShareAlike: copies may not move to an earlier version"
    return None


def _declared(case: Case) -> list[tuple[Licence, Span, str]]:
    copied = [p.target for m in case.document_matches for p in m.passages]
    declared = []
    for claim in case.claims_of("license"):
        inside = claim.origin == "text" and any(a <= claim.span[0] < b for a, b in copied)
        licence = parse_licence(claim.license or "")
        if licence and not inside:
            declared.append((licence, claim.span, claim.text))
    if not declared and case.site.license:
        licence = parse_licence(case.site.license)
        if licence and case.best:
            declared.append((licence, case.start(), f"site licence {licence.name}"))
    return declared


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    match, source = case.best, case.licence
    if match is None or source is None:
        return
    for target, span, text in _declared(case):
        reason = conflict(source, target)
        if reason:
            yield finding(
                ID,
                conf,
                f"the text copies {describe(match)} ({source.name}) but is offered under "
                f"{target.name}: {reason}",
                span,
                source_id=match.source.id,
                expected=source.name,
                found=text,
            )
