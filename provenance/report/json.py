"""The JSON report (``--format json``), per the documented contract and ``report.schema.json``."""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import cache
from importlib import resources
from typing import Any

from .. import __version__
from ..fetch import FETCH_STATUSES, FetchResult
from ..models import SEVERITIES, AuditResult, DocumentResult, Finding, Match, Passage

SCHEMA_VERSION = 1


def _match(match: Match) -> dict[str, Any]:
    return {
        "source_id": match.source.id,
        "publisher": match.source.publisher,
        "url": match.source.url,
        "title": match.source.title,
        "published": match.source.published,
        "source_coverage": round(match.source_coverage, 4),
        "target_share": round(match.target_share, 4),
        "passages": [_passage(p) for p in match.passages],
    }


def _passage(passage: Passage) -> dict[str, Any]:
    data: dict[str, Any] = {
        "target": list(passage.target),
        "source": list(passage.source),
        "words": passage.words,
        "edits": passage.edits,
    }
    if passage.target_location:
        data["target_location"] = asdict(passage.target_location)
    return data


def _finding(finding: Finding) -> dict[str, Any]:
    where = finding.location
    data: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "source_id": finding.source_id,
        "line": where.line if where else 1,
        "column": where.column if where else 1,
        "end_line": where.end_line if where else 1,
        "end_column": where.end_column if where else 1,
        "span": list(finding.span),
    }
    if finding.expected is not None:
        data["expected"] = finding.expected
    if finding.found is not None:
        data["found"] = finding.found
    return data


def _document(document: DocumentResult) -> dict[str, Any]:
    return {
        "path": document.path,
        "status": document.status,
        "reason": document.reason,
        "matches": [_match(m) for m in document.matches],
        "findings": [_finding(f) for f in document.findings],
        "suppressed": [_finding(f) for f in document.suppressed],
        "limits": list(document.limits),
    }


def _url(url: FetchResult) -> dict[str, Any]:
    return {
        "url": url.url,
        "kind": url.kind,
        "status": url.status,
        "reason": url.reason,
        "final_url": url.final_url,
        "http_status": url.http_status,
        "content_type": url.content_type,
        "via": url.via,
        "attempts": url.attempts,
        "duplicates": url.duplicates,
        "elapsed": round(url.elapsed, 3),
    }


def to_dict(result: AuditResult) -> dict[str, Any]:
    update = result.index_update
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "provenance", "version": __version__},
        "index": {
            "sources": result.sources_indexed,
            "fingerprinted": update.fingerprinted if update else 0,
            "unchanged": update.unchanged if update else 0,
            "removed": update.removed if update else 0,
            "problems": [{"location": w, "reason": r} for w, r in update.problems]
            if update
            else [],
        },
        "documents": [_document(d) for d in result.documents],
        "urls": [_url(u) for u in result.urls],
        "summary": {
            "documents": len(result.documents),
            "scanned": result.status_count("scanned"),
            "skipped": result.status_count("skipped"),
            "errors": result.status_count("error"),
            "findings": {s: result.count(s) for s in SEVERITIES},
            "suppressed": sum(len(d.suppressed) for d in result.documents),
            "urls": {s: sum(u.status == s for u in result.urls) for s in FETCH_STATUSES},
        },
    }


def format_json(result: AuditResult) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"


@cache
def report_schema() -> dict[str, Any]:
    """The JSON Schema the report follows (shipped in the package)."""
    text = resources.files(__package__).joinpath("report.schema.json").read_text(encoding="utf-8")
    return dict(json.loads(text))
