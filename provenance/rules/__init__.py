"""The rule engine: packs decide which rules judge a document, and how.

A source is governed by its publisher's pack, or, when its publisher has none, by the pack of
its licence (``cc-by-4.0``, ``public-domain`` …). A pack judges a document when the document
copies a source it governs or names its publisher.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from ..licences import parse_licence
from ..models import Claim, Finding, Match, RuleDescription, SiteProfile, Source
from .case import Case
from .custom import CustomRule, check_custom
from .errors import PackError
from .pack import Pack, builtin_packs, load_pack
from .registry import RULES, documentation, validate

__all__ = [
    "RULES",
    "Pack",
    "PackError",
    "Policy",
    "builtin_packs",
    "describe_rules",
    "documentation",
    "evaluate",
    "governing_pack",
    "load_pack",
    "validate",
]

OFF = "off"


def governing_pack(source: Source, packs: Mapping[str, Pack]) -> Pack | None:
    """The pack whose terms apply to ``source``: its publisher's, else its licence's."""
    if source.publisher and source.publisher in packs:
        return packs[source.publisher]
    licence = parse_licence(source.license) if source.license else None
    return packs.get(licence.pack_id or "") if licence else None


@dataclass(frozen=True)
class Policy:
    """How documents are judged: the packs by id, the site's profile, severity overrides (a
    rule id to a severity or ``"off"``) and the site's custom rules."""

    packs: Mapping[str, Pack]
    site: SiteProfile = field(default_factory=SiteProfile)
    severities: Mapping[str, str] = field(default_factory=dict)
    custom_rules: tuple[CustomRule, ...] = ()


def describe_rules(custom_rules: Iterable[CustomRule] = ()) -> tuple[RuleDescription, ...]:
    """Every rule a report may cite: the built-in ones in catalogue order, then the site's."""
    described = []
    for rule_id, rule in RULES.items():
        doc = documentation(rule_id)
        described.append(RuleDescription(rule_id, doc.summary, doc.text, rule.DEFAULT["severity"]))
    for custom in custom_rules:
        described.append(
            RuleDescription(
                custom.id, custom.message, custom.describe("the configuration"), custom.severity
            )
        )
    return tuple(described)


def evaluate(
    text: str, matches: Iterable[Match], claims: Iterable[Claim], policy: Policy, path: str = ""
) -> list[Finding]:
    """Findings for one document: its extracted ``text``, the sources it matches, the claims it
    makes; ``path`` for custom rules limited to some paths."""
    matches = tuple(sorted(matches, key=lambda m: -m.source_coverage))
    claims = tuple(claims)
    governed: dict[str, list[Match]] = {}
    for match in matches:
        pack = governing_pack(match.source, policy.packs)
        if pack:
            governed.setdefault(pack.id, []).append(match)
    in_use = tuple(policy.packs.values())
    findings: list[Finding] = []
    for pack in in_use:
        mine = tuple(governed.get(pack.id, ()))
        case = Case(pack, mine, claims, text, policy.site, in_use, matches)
        if not case.matches and not case.notices:
            continue
        for rule_id, conf in pack.rules.items():
            severity = policy.severities.get(rule_id, conf["severity"])
            if severity != OFF:
                found = RULES[rule_id].check(conf, case)
                findings.extend(replace(f, severity=severity) for f in found)
    custom = check_custom(policy.custom_rules, text, matches, path)
    findings.extend(f for f in custom if policy.severities.get(f.rule) != OFF)
    return findings
