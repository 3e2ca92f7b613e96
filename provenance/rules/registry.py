"""The rule registry: every rule is one module (``ID``, a docstring that is its documentation,
``CONF`` option types, ``DEFAULT`` values, ``check(conf, case)``), listed once in ``RULES``.

``CONF`` maps each option to its type (see ``options``); ``severity`` is an option of every rule.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ..models import SEVERITIES
from ..options import problems
from . import (
    missing_notice,
    notice_mismatch,
    notice_year_mismatch,
    third_party_content,
    unverified_claim,
)
from .errors import PackError

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


def validate(rule_id: str, conf: Any, where: str) -> dict[str, Any]:
    """Check a rule's options against its schema; return them merged over its defaults."""
    if rule_id not in RULES:
        raise PackError(f"{where}: unknown rule '{rule_id}' (see `provenance rules`)")
    if not isinstance(conf, dict):
        raise PackError(f"{where}: expected a table of options")
    rule = RULES[rule_id]
    wrong = problems(conf, {"severity": SEVERITIES, **rule.CONF})
    if wrong:
        raise PackError(f"{where}: {wrong[0]}")
    return {**rule.DEFAULT, **conf}
