"""The rule engine: every rule is one module (``ID``, a docstring that is its documentation,
``CONF`` option types, ``DEFAULT`` values, ``check(conf, case)``), listed once in ``RULES``.

``CONF`` maps each option to its type: a type, ``[type]`` for a list of that type, or a tuple of
allowed values. ``severity`` is an option of every rule.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ..models import SEVERITIES, Claim, Finding, Match
from . import (
    missing_notice,
    notice_mismatch,
    notice_year_mismatch,
    third_party_content,
    unverified_claim,
)
from .case import Case
from .pack import Pack, PackError, builtin_packs, load_pack

RULES: dict[str, ModuleType] = {
    module.ID: module
    for module in (
        missing_notice,
        notice_mismatch,
        notice_year_mismatch,
        third_party_content,
        unverified_claim,
    )
}

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


@dataclass(frozen=True)
class Documentation:
    text: str

    @property
    def summary(self) -> str:
        """The first line, without the rule id: what the rule checks."""
        return self.text.split("\n", 1)[0].split(": ", 1)[-1]


def documentation(rule_id: str) -> Documentation:
    """A rule's user documentation: its module docstring."""
    return Documentation(inspect.getdoc(RULES[rule_id]) or rule_id)


def _valid(value: Any, kind: Any) -> bool:
    if isinstance(kind, tuple):
        return value in kind
    if isinstance(kind, list):
        return isinstance(value, list) and all(_valid(v, kind[0]) for v in value)
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def _describe(kind: Any) -> str:
    if isinstance(kind, tuple):
        return "one of " + ", ".join(map(repr, kind))
    if isinstance(kind, list):
        return f"a list of {kind[0].__name__}"
    return f"a {kind.__name__}"


def validate(rule_id: str, conf: Any, where: str) -> dict[str, Any]:
    """Check a rule's options against its schema; return them merged over its defaults."""
    if rule_id not in RULES:
        raise PackError(f"{where}: unknown rule '{rule_id}' (see `provenance rules`)")
    if not isinstance(conf, dict):
        raise PackError(f"{where}: expected a table of options")
    rule = RULES[rule_id]
    schema = {"severity": SEVERITIES, **rule.CONF}
    for key, value in conf.items():
        if key not in schema:
            raise PackError(f"{where}: unknown option '{key}' (options: {', '.join(schema)})")
        if not _valid(value, schema[key]):
            raise PackError(f"{where}: '{key}' must be {_describe(schema[key])}, not {value!r}")
    return {**rule.DEFAULT, **conf}


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
