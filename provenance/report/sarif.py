"""The SARIF 2.1.0 report (``--format sarif``), for GitHub code scanning and other SARIF viewers.

Written to GitHub's subset of SARIF: every rule once in ``tool.driver.rules`` with the
descriptions and help it displays, results pointing at their rule by id and index, relative
artifact URIs and a ``partialFingerprints.primaryLocationLineHash`` that follows a finding when
lines move. Files that could not be audited are tool notifications, not results: they are not
problems in the text. Suppressed findings stay in the log, marked as suppressed, so viewers can
show them as dismissed rather than forget them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..models import AuditResult, DocumentResult, Finding, Match, RuleDescription, Severity
from ..web import is_url

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
LEVEL: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITY: dict[Severity, str] = {
    "error": "error",
    "warning": "warning",
    "info": "recommendation",
}
DESCRIPTION_LIMIT = 1024  # GitHub's limit on shortDescription and fullDescription
# Which of two silencing mechanisms moved a finding to DocumentResult.suppressed (an inline
# comment or the baseline) is not recorded in the result, so every suppression says both.
SUPPRESSION = {
    "kind": "inSource",
    "justification": "silenced by a 'provenance: ignore' comment in the file or by the baseline",
}


def _camel_case(rule_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", rule_id))


def _clip(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _descriptor(rule: RuleDescription) -> dict[str, Any]:
    documentation = rule.documentation.strip() or rule.summary or rule.id
    # The documentation opens with "id: summary"; the full description is what follows.
    head, _, body = documentation.partition("\n")
    full = body.strip() if head.startswith(f"{rule.id}:") and body.strip() else documentation
    markdown = documentation.replace("``", "`")  # the docstrings' literals, as Markdown's
    if head.startswith(f"{rule.id}:"):
        markdown = f"**{rule.id}**{markdown[len(rule.id) :]}"
    return {
        "id": rule.id,
        "name": _camel_case(rule.id),
        "shortDescription": {"text": _clip(rule.summary or rule.id)},
        "fullDescription": {"text": _clip(" ".join(full.replace("``", "").split()))},
        "help": {"text": documentation, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "tags": ["provenance", "republication"],
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
        },
    }


def _unknown_rule(rule_id: str, severity: Severity) -> RuleDescription:
    # A finding of a rule the caller did not describe still needs a descriptor to point at.
    return RuleDescription(rule_id, f"{rule_id} (no description given)", rule_id, severity)


def _rules(rules: Sequence[RuleDescription], result: AuditResult) -> list[RuleDescription]:
    listed: dict[str, RuleDescription] = {}
    for rule in rules:
        listed.setdefault(rule.id, rule)  # each rule once, even if given twice
    extra = {
        f.rule: f.severity
        for d in result.documents
        for f in (*d.findings, *d.suppressed)
        if f.rule not in listed
    }
    return [*listed.values()] + [_unknown_rule(r, extra[r]) for r in sorted(extra)]


def _artifact(path: str) -> dict[str, Any]:
    """Paths reach the reporter relative to the repository root, which GitHub resolves relative
    URIs against; an absolute path becomes a ``file:`` URI and a fetched page keeps its URL."""
    if is_url(path):
        return {"uri": path}
    posix = PurePath(path).as_posix()
    if posix.startswith("/"):
        return {"uri": "file://" + quote(posix)}
    return {"uri": quote(posix), "uriBaseId": SRCROOT}


def _region(finding: Finding) -> dict[str, int]:
    """``Location`` and SARIF count alike: lines and columns from 1, ``end_column`` the column
    just after the last character (``LineMap.locate`` places the span's exclusive end), which is
    SARIF's exclusive ``endColumn``; so they carry over unchanged. Columns count code points
    (``run.columnKind``). A finding without a place is an empty region at the file's start."""
    where = finding.location
    if where is None:
        return {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}
    start_line, start_column = max(where.line, 1), max(where.column, 1)
    end_line, end_column = max(where.end_line, 1), max(where.end_column, 1)
    if (end_line, end_column) < (start_line, start_column):  # never a region that ends first
        end_line, end_column = start_line, start_column
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def fingerprint(path: str, finding: Finding, text: str) -> str:
    """What a finding is about, hashed without its line: the rule, file and source, and the
    text at fault (``found``), else the text required (``expected``), else the text at the
    span; spacing and case folded, as the baseline does, so reflowing a paragraph keeps it."""
    if finding.found is not None:
        subject = finding.found
    elif finding.expected is not None:
        subject = finding.expected
    else:
        subject = text[finding.span[0] : finding.span[1]]
    parts = (finding.rule, path, finding.source_id or "", " ".join(subject.split()).casefold())
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]


def _message(finding: Finding) -> str:
    lines = [finding.message]
    if finding.expected is not None:
        lines.append(f"Required: {finding.expected}")
    if finding.found is not None:
        lines.append(f"Found: {finding.found}")
    return "\n".join(lines)


def _source(match: Match) -> dict[str, Any]:
    source = match.source
    data: dict[str, Any] = {"id": source.id}
    for key, value in (
        ("publisher", source.publisher),
        ("url", source.url),
        ("title", source.title),
        ("published", source.published),
        ("license", source.license),
    ):
        if value is not None:
            data[key] = value
    data["sourceCoverage"] = round(match.source_coverage, 4)
    data["targetShare"] = round(match.target_share, 4)
    return data


def _result(
    document: DocumentResult,
    finding: Finding,
    index: dict[str, int],
    seen: Counter[str],
    suppressed: bool,
) -> dict[str, Any]:
    digest = fingerprint(document.path, finding, document.text)
    seen[digest] += 1  # the same problem twice in a file: numbered, as GitHub's own hashes are
    properties: dict[str, Any] = {"severity": finding.severity}
    if finding.expected is not None:
        properties["expected"] = finding.expected
    if finding.found is not None:
        properties["found"] = finding.found
    match = next((m for m in document.matches if m.source.id == finding.source_id), None)
    if match:
        properties["source"] = _source(match)
    elif finding.source_id:
        properties["source"] = {"id": finding.source_id}
    data: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": LEVEL[finding.severity],
        "message": {"text": _message(finding)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(document.path),
                    "region": _region(finding),
                }
            }
        ],
        "partialFingerprints": {"primaryLocationLineHash": f"{digest}:{seen[digest]}"},
        "properties": properties,
    }
    if suppressed:
        data["suppressions"] = [dict(SUPPRESSION)]
    return data


def _notifications(result: AuditResult) -> Iterable[dict[str, Any]]:
    for document in result.documents:
        if document.status == "scanned":
            continue
        failed = document.status == "error"
        reason = document.reason or document.status
        yield {
            "level": "error" if failed else "note",
            "message": {"text": f"{'could not be audited' if failed else 'skipped'}: {reason}"},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(document.path)}}],
        }
    for where, reason in result.index_update.problems if result.index_update else ():
        yield {
            "level": "warning",
            "message": {"text": f"source {where} could not be indexed: {reason}"},
        }


def to_dict(result: AuditResult, rules: Sequence[RuleDescription]) -> dict[str, Any]:
    described = _rules(rules, result)
    index = {rule.id: i for i, rule in enumerate(described)}
    seen: Counter[str] = Counter()
    results = [
        _result(document, finding, index, seen, suppressed)
        for document in result.documents
        for findings, suppressed in ((document.findings, False), (document.suppressed, True))
        for finding in findings
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "provenance",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_descriptor(rule) for rule in described],
            }
        },
        "invocations": [
            {
                # A file that fails on bad input is reported, not a failed run; a bug is.
                "executionSuccessful": not result.tool_failed,
                "toolExecutionNotifications": list(_notifications(result)),
            }
        ],
        # Without a fixed absolute root (the report does not depend on the machine it was made
        # on), the base says what it stands for; GitHub resolves it to the checkout.
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The root of the audited repository."}}
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def format_sarif(result: AuditResult, rules: Sequence[RuleDescription]) -> str:
    """The SARIF log of ``result``; ``rules`` are the rules to describe (``describe_rules``),
    each listed once whether or not it fired."""
    return json.dumps(to_dict(result, rules), indent=2, ensure_ascii=False) + "\n"
