"""The rule registry: every rule is one module (``ID``, a docstring that is its documentation,
``CONF`` option types, ``DEFAULT`` values, ``check(conf, case)``), listed once in ``RULES``.

``CONF`` maps each option to its type (see ``options``); ``severity`` is an option of every rule
(``off`` switches an inherited rule off for a pack).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ..models import SEVERITIES
from ..options import problems
from . import (
    licence_incompatible,
    missing_backlink,
    missing_byline,
    missing_notice,
    modified_no_derivatives,
    noncommercial_use,
    notice_mismatch,
    notice_year_mismatch,
    third_party_content,
    unlicensed_republication,
    unmarked_excerpt,
    unverified_claim,
    wrong_attribution,
)
from .errors import PackError

RULES: dict[str, ModuleType] = {
    module.ID: module
    for module in (  # the order `provenance rules` lists them in
        missing_notice,
        notice_mismatch,
        notice_year_mismatch,
        wrong_attribution,
        unverified_claim,
        modified_no_derivatives,
        unmarked_excerpt,
        third_party_content,
        unlicensed_republication,
        missing_backlink,
        missing_byline,
        noncommercial_use,
        licence_incompatible,
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
    wrong = problems(conf, {"severity": (*SEVERITIES, "off"), **rule.CONF})
    if wrong:
        raise PackError(f"{where}: {wrong[0]}")
    return {**rule.DEFAULT, **conf}
