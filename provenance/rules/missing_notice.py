"""missing-notice: copied text carries no notice for the publisher or licence it comes from.

The text matches an indexed source whose terms require a credit or a licence notice with every
republication, and none is there:

- ``credit``: a line naming the publisher. Where the pack defines the publisher's notice
  (RFE/RL: "Copyright (c) YEAR. RFE/RL, Inc. Republished with the permission of Radio Free
  Europe/Radio Liberty, …"), it must be a copyright or credit line; otherwise any credit, byline
  or agency credit naming the publisher will do ("Source: VOA").
- ``license``: the source's licence named by name, link or SPDX id (Creative Commons licences
  require it), in the text or the page's metadata.

A line that credits another publisher instead is reported by wrong-attribution.

Options: ``require``, a list of ``credit`` and ``license``.

Fix: add the publisher's notice (with the year the source was first published), or name the
licence with a link to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..licences import parse_licence
from ..models import Finding
from .case import Case, describe, finding

ID = "missing-notice"
CONF: dict[str, Any] = {"require": [("credit", "license")]}
DEFAULT: dict[str, Any] = {"severity": "error", "require": ["credit"]}


def names_licence(case: Case) -> bool:
    """Whether the document names the source's licence (a version-less name will do)."""
    wanted = case.licence
    for claim in case.claims_of("license"):
        named = parse_licence(claim.license or "")
        if wanted is None or named is None or named.family != wanted.family:
            continue
        same_terms = (named.sa, named.nd, named.nc) == (wanted.sa, wanted.nd, wanted.nc)
        if named.family != "cc" or (same_terms and named.version in (None, wanted.version)):
            return True
    return False


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    match = case.best
    if match is None or case.misattributions:
        return
    owner = case.pack.name
    if "credit" in conf["require"] and not (case.notices if case.pack.notice else case.credits):
        yield finding(
            ID,
            conf,
            f"copies {match.source_coverage:.0%} of {describe(match)} by {owner} "
            f"but carries no {owner} notice",
            case.start(),
            source_id=match.source.id,
            expected=case.required_notice(),
        )
    if "license" in conf["require"] and case.licence and not names_licence(case):
        name = case.licence.name
        yield finding(
            ID,
            conf,
            f"copies {match.source_coverage:.0%} of {describe(match)}, published under "
            f"{name}, but does not name the licence: {name} requires a licence notice "
            "with a link to the licence",
            case.start(),
            source_id=match.source.id,
            expected=name,
        )
