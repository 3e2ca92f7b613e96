"""Inline suppression: comments in an audited file that silence findings.

    <!-- provenance: ignore RULE[, RULE…] -->    on this line and the next non-blank one
    <!-- provenance: ignore -->                  every rule, on those lines
    <!-- provenance: ignore-file RULE… -->       in the whole file (no rule: every rule)

A reason may follow ``--``: ``<!-- provenance: ignore third-party-content -- AP licence -->``.
The comment is read in the file as written (for HTML, in its source), so it works in Markdown,
HTML and plain text alike. A finding is silenced by the line it starts on.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .models import Finding

_DIRECTIVE = re.compile(r"<!--\s*provenance:\s*(ignore-file|ignore)(?=\s|-->)(.*?)-->", re.S)
_RULE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as extraction counts lines


@dataclass(frozen=True)
class _Silence:
    rules: frozenset[str]  # empty: every rule
    lines: frozenset[int] | None  # None: the whole file

    def covers(self, finding: Finding) -> bool:
        if self.rules and finding.rule not in self.rules:
            return False
        if self.lines is None:
            return True
        return finding.location is not None and finding.location.line in self.lines


def _rules(text: str) -> frozenset[str]:
    named = text.split("--", 1)[0]  # what follows "--" is the reason
    return frozenset(_RULE.findall(named))


def _directives(raw: str) -> Iterable[_Silence]:
    starts = [0] + [m.end() for m in _LINE_BREAK.finditer(raw)]
    lines = _LINE_BREAK.split(raw)

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    for directive in _DIRECTIVE.finditer(raw):
        rules = _rules(directive.group(2))
        if directive.group(1) == "ignore-file":
            yield _Silence(rules, None)
            continue
        first, last = line_of(directive.start()), line_of(directive.end() - 1)
        after = next((n for n in range(last + 1, len(lines) + 1) if lines[n - 1].strip()), last)
        yield _Silence(rules, frozenset(range(first, last + 1)) | {after})


def split_suppressed(
    raw: str, findings: Sequence[Finding]
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """The findings the file's own comments leave standing, and those they silence. ``raw`` is
    the file as read; findings must be located (``Finding.location``) in it."""
    silences = list(_directives(raw)) if "provenance:" in raw else []
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        (suppressed if any(s.covers(finding) for s in silences) else kept).append(finding)
    return tuple(kept), tuple(suppressed)
