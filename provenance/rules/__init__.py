"""The rule engine: publisher packs decide which rules judge a document, and how."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Claim, Finding, Match
from .case import Case
from .errors import PackError
from .pack import Pack, builtin_packs, load_pack
from .registry import RULES, documentation, validate

__all__ = [
    "RULES",
    "Pack",
    "PackError",
    "builtin_packs",
    "documentation",
    "evaluate",
    "load_pack",
    "validate",
]


def evaluate(
    matches: Iterable[Match], claims: Iterable[Claim], packs: dict[str, Pack]
) -> list[Finding]:
    """Findings for one document: each pack whose publisher the text matches or names judges it."""
    matches = sorted(matches, key=lambda m: -m.source_coverage)
    claims = tuple(claims)
    findings = []
    for pack in packs.values():
        case = Case(pack, tuple(m for m in matches if m.source.publisher == pack.id), claims)
        if not case.matches and not case.notices:
            continue
        for rule_id, conf in pack.rules.items():
            findings.extend(RULES[rule_id].check(conf, case))
    return findings
