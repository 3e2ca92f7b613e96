"""The baseline: findings accepted as they stand today, so that CI fails only on new ones.

``provenance audit … --update-baseline`` records the audit's findings in a JSON file; later
audits given that file report the findings it records as suppressed. A finding is recognised by
its file, rule, source and the text it is about (``found``, whitespace and case folded), never
by its line, so edits elsewhere in the file leave it recognised. Identical findings are
counted: a third copy of the same finding, where the baseline records two, is new.

Paths in the file are relative to the file's folder, so the baseline means the same from any
working folder. The format is stable, sorted and free of line numbers, to diff well in review.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from .models import AuditResult, Finding
from .web import is_url

VERSION = 1
Key = tuple[str, str, str, str]  # path, rule, source id, fingerprint of the text at fault


class BaselineError(Exception):
    """The baseline file cannot be used; the message names it."""


def fingerprint(finding: Finding) -> str:
    """A short hash of what the finding is about, blind to spacing and case."""
    text = " ".join((finding.found or "").split()).casefold()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _relative(path: str, folder: Path) -> str:
    if is_url(path):  # a fetched page: its URL means the same from anywhere
        return path
    try:
        return Path(os.path.relpath(Path(path).resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive: no relative path exists
        return Path(path).resolve().as_posix()


def _key(path: str, finding: Finding, folder: Path) -> Key:
    return (_relative(path, folder), finding.rule, finding.source_id or "", fingerprint(finding))


def format_baseline(result: AuditResult, folder: Path) -> str:
    """The baseline recording every unsuppressed finding of ``result``, for a file in
    ``folder``."""
    counts: Counter[Key] = Counter()
    messages: dict[Key, str] = {}
    for document in result.documents:
        for finding in document.findings:
            key = _key(document.path, finding, folder)
            counts[key] += 1
            messages[key] = min(messages.get(key, finding.message), finding.message)
    entries = []
    for key in sorted(counts):
        path, rule, source_id, text_hash = key
        entries.append(
            {
                "path": path,
                "rule": rule,
                "source_id": source_id or None,
                "fingerprint": text_hash,
                "count": counts[key],
                "message": messages[key],  # for the reader of the file; not compared
            }
        )
    data = {"version": VERSION, "tool": "provenance", "findings": entries}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def parse_baseline(text: str, where: str) -> Counter[Key]:
    """The findings a baseline file records, with their counts."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{where}:{error.lineno}: not a baseline: {error.msg}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        found = data.get("version") if isinstance(data, dict) else None
        raise BaselineError(f"{where}: not a version {VERSION} baseline (version: {found!r})")
    counts: Counter[Key] = Counter()
    for i, entry in enumerate(data.get("findings", [])):
        counts[_entry(entry, f"{where}: finding {i + 1}")] += entry["count"]
    return counts


def _entry(entry: Any, where: str) -> Key:
    fields = {"path": str, "rule": str, "fingerprint": str, "count": int}
    if not isinstance(entry, dict) or not all(
        isinstance(entry.get(k), t) for k, t in fields.items()
    ):
        raise BaselineError(f"{where}: needs path, rule, fingerprint and count")
    source_id = entry.get("source_id") or ""
    return (entry["path"], entry["rule"], str(source_id), entry["fingerprint"])


def apply_baseline(result: AuditResult, baseline: Counter[Key], folder: Path) -> AuditResult:
    """``result`` with the findings the baseline records (as many times as it records them)
    moved to the documents' suppressed findings; ``folder`` is the baseline file's folder."""
    left = Counter(baseline)
    documents = []
    for document in result.documents:
        kept, known = [], []
        for finding in document.findings:
            key = _key(document.path, finding, folder)
            if left[key] > 0:
                left[key] -= 1
                known.append(finding)
            else:
                kept.append(finding)
        documents.append(
            replace(document, findings=tuple(kept), suppressed=(*document.suppressed, *known))
            if known
            else document
        )
    return replace(result, documents=tuple(documents))
