"""Custom rules: a site's own checks, declared in the configuration.

    [[custom-rules]]
    id = "house-credit"            # lowercase words joined by dashes; not a built-in rule's id
    kind = "require"               # require | forbid | if-then
    pattern = '(?i)^Editor: '      # RE2 syntax
    message = "every article names its editor"
    severity = "warning"           # error | warning | info (default: warning)
    publishers = ["rferl"]         # only documents that copy these publishers' sources
    paths = ["content/world/"]     # only these files (gitignore-style, relative to the config)

``require``: the text must match ``pattern`` (the finding points at the text's first line).
``forbid``: every match of ``pattern`` is a finding. ``if-then``: when the text matches ``if``,
it must also match ``then`` (the finding points at the ``if`` match).

Patterns run on the extracted text (for Markdown the body after the front matter) with RE2,
whose matching time grows linearly with the text whatever the pattern, so a user's pattern can
never hang an audit. ``^`` and ``$`` match at every line's start and end, as in grep (``\\A`` and
``\\z`` match the ends of the text; ``(?-m)`` turns that off); ``(?i)`` ignores case, ``(?s)``
lets ``.`` match a line break. RE2 has no look-around and no back-references; ``\\b``, ``\\w``
and ``\\d`` are ASCII only (``\\pL`` matches any letter).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pathspec
import re2

from ..models import SEVERITIES, Finding, Match, Severity, Span
from ..options import KeyPath, check

TABLE = "custom-rules"  # where the configuration declares them
KINDS = ("require", "forbid", "if-then")
SCHEMA: dict[str, Any] = {
    "id": str,
    "kind": KINDS,
    "message": str,
    "severity": SEVERITIES,
    "pattern": str,
    "if": str,
    "then": str,
    "publishers": [str],
    "paths": [str],
}
PATTERNS = {"require": ("pattern",), "forbid": ("pattern",), "if-then": ("if", "then")}
_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_FIRST_LINE = re.compile(r"\S[^\r\n]*")


class CustomRuleError(Exception):
    """A custom rule is invalid; ``key`` is the path of the offending key in the configuration
    (``("custom-rules", 1, "pattern")``), so that the error can point at its line."""

    def __init__(self, key: KeyPath, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Pattern:
    """A user's pattern, compiled by RE2."""

    source: str
    regex: Any = field(compare=False, repr=False)

    def search(self, text: str) -> Any:
        return self.regex.search(text)

    def finditer(self, text: str) -> Iterator[Any]:
        return iter(self.regex.finditer(text))


@dataclass(frozen=True)
class CustomRule:
    id: str
    kind: str
    message: str
    severity: Severity = "warning"
    patterns: dict[str, Pattern] = field(default_factory=dict)  # by key: pattern, if, then
    publishers: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    base: Path = Path()  # the folder ``paths`` are relative to
    spec: pathspec.PathSpec | None = field(default=None, compare=False, repr=False)

    def covers(self, path: str) -> bool:
        """Whether the rule's ``paths`` (if any) take in the file at ``path``."""
        if self.spec is None:
            return True
        try:
            relative = Path(path).resolve().relative_to(self.base.resolve())
        except ValueError:  # outside the configuration's folder: no pattern can name it
            return False
        return bool(self.spec.match_file(relative.as_posix()))

    def describe(self, where: str) -> str:
        """The rule as ``provenance explain`` shows it."""
        lines = [f"{self.id}: {self.message}", f"A custom rule ({self.kind}) from {where}."]
        lines += [f"{key}: {pattern.source}" for key, pattern in self.patterns.items()]
        if self.publishers:
            lines.append(f"publishers: {', '.join(self.publishers)}")
        if self.paths:
            lines.append(f"paths: {', '.join(self.paths)}")
        return "\n".join([*lines, f"\nSeverity: {self.severity}"])

    def source(self, matches: Sequence[Match]) -> Match | None:
        """The best match of a source from one of the rule's publishers."""
        wanted = [m for m in matches if m.source.publisher in self.publishers]
        return max(wanted, key=lambda m: m.source_coverage, default=None)


def compile_pattern(source: str) -> Pattern:
    """Compile with RE2, ``^``/``$`` matching at line ends; raises ``ValueError`` with RE2's
    message for an invalid pattern."""
    options = re2.Options()
    options.log_errors = False  # the error is reported to the user, not logged to stderr
    try:
        re2.compile(source, options)  # alone first, so RE2's message quotes only the user's text
        regex = re2.compile("(?m)" + source, options)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        raise ValueError(reason.decode() if isinstance(reason, bytes) else str(reason)) from None
    return Pattern(source, regex)


def _parse(entry: dict[str, Any], i: int, base: Path) -> CustomRule:
    for where, message in check(entry, SCHEMA, (TABLE, i)):
        raise CustomRuleError(where, message)
    for key in ("id", "kind", "message"):
        if key not in entry:
            raise CustomRuleError((TABLE, i), f"custom rule {i + 1}: '{key}' is required")
    rule_id, kind = entry["id"], entry["kind"]
    if not _ID.fullmatch(rule_id):
        raise CustomRuleError(
            (TABLE, i, "id"), f"'{rule_id}': a rule id is lowercase words joined by dashes"
        )
    wanted = PATTERNS[kind]
    for key in ("pattern", "if", "then"):
        if key in wanted and key not in entry:
            raise CustomRuleError((TABLE, i), f"{rule_id}: a '{kind}' rule needs '{key}'")
        if key not in wanted and key in entry:
            needs = " and ".join(f"'{k}'" for k in wanted)
            raise CustomRuleError(
                (TABLE, i, key), f"{rule_id}: a '{kind}' rule takes {needs}, not '{key}'"
            )
    patterns = {}
    for key in wanted:
        try:
            patterns[key] = compile_pattern(entry[key])
        except ValueError as error:
            raise CustomRuleError((TABLE, i, key), f"{rule_id}: invalid pattern: {error}") from None
    paths = tuple(entry.get("paths", ()))
    try:
        spec = pathspec.GitIgnoreSpec.from_lines(paths) if paths else None
    except ValueError as error:
        raise CustomRuleError(
            (TABLE, i, "paths"), f"{rule_id}: invalid path pattern: {error}"
        ) from None
    return CustomRule(
        id=rule_id,
        kind=kind,
        message=entry["message"],
        severity=cast(Severity, entry.get("severity", "warning")),
        patterns=patterns,
        publishers=tuple(entry.get("publishers", ())),
        paths=paths,
        base=base,
        spec=spec,
    )


def parse_custom_rules(entries: Iterable[dict[str, Any]], base: Path) -> tuple[CustomRule, ...]:
    """Validate and compile the ``[[custom-rules]]`` entries; ``base`` is the folder their
    ``paths`` are relative to. Raises ``CustomRuleError``."""
    rules: list[CustomRule] = []
    for i, entry in enumerate(entries):
        rule = _parse(entry, i, base)
        if any(r.id == rule.id for r in rules):
            raise CustomRuleError((TABLE, i, "id"), f"'{rule.id}': two custom rules have this id")
        rules.append(rule)
    return tuple(rules)


def _first_line(text: str) -> Span:
    line = _FIRST_LINE.search(text)
    return line.span() if line else (0, 0)


def _findings(rule: CustomRule, text: str, source_id: str | None) -> Iterator[Finding]:
    def finding(span: Span, found: str | None = None) -> Finding:
        return Finding(rule.id, rule.severity, rule.message, span, source_id, found=found)

    if rule.kind == "forbid":
        for match in rule.patterns["pattern"].finditer(text):
            if match.end() > match.start():  # an empty match shows no text that must go
                yield finding(match.span(), match.group())
    elif rule.kind == "require":
        if not rule.patterns["pattern"].search(text):
            yield finding(_first_line(text))
    else:
        condition = rule.patterns["if"].search(text)
        if condition and not rule.patterns["then"].search(text):
            yield finding(condition.span(), condition.group() or None)


def check_custom(
    rules: Iterable[CustomRule], text: str, matches: Sequence[Match], path: str
) -> Iterator[Finding]:
    """The findings of the custom rules on one document: its extracted ``text``, the sources it
    ``matches`` and its ``path`` (absolute, or relative to the working folder)."""
    for rule in rules:
        source = rule.source(matches) if rule.publishers else None
        if (rule.publishers and source is None) or not rule.covers(path):
            continue
        yield from _findings(rule, text, source.source.id if source else None)
