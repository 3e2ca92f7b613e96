"""The pipeline, from paths to a plain ``AuditResult``. Never prints: progress goes to a callback.

discover -> extract -> normalise -> fingerprint -> candidates -> align -> claims -> rules
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from .candidates import Matcher
from .claims import find_claims
from .discover import FoundFile, discover
from .extract import Unreadable, extract_file
from .fetch import FetchResult, FetchStream
from .fingerprint import fingerprint
from .index import Index
from .limits import Limits
from .models import (
    INTERNAL_ERROR,
    AuditResult,
    Document,
    DocumentClaims,
    DocumentResult,
    IndexUpdate,
    LineMap,
    Passage,
    SiteProfile,
)
from .normalise import tokens
from .progress import Progress, quiet
from .rules import Pack, Policy, evaluate
from .rules.custom import CustomRule
from .suppress import split_suppressed
from .web import page_document


def audit_file(
    found: FoundFile, matcher: Matcher, policy: Policy, max_file_size: int = Limits.max_file_size
) -> DocumentResult:
    """Audit one file; a file that cannot be read becomes a result with a reason, never an error."""
    if found.status:
        return DocumentResult(found.display, found.status, found.reason)

    def read() -> Document:
        return extract_file(found.path, found.display, max_file_size)

    return _audit(found.display, read, matcher, policy)


def audit_page(page: FetchResult, matcher: Matcher, policy: Policy) -> DocumentResult:
    """Audit one fetched page, as a file is audited; its path is its URL. A URL that could not
    be fetched becomes a result with the reason."""
    return _audit(page.url, lambda: page_document(page), matcher, policy)


def _audit(
    path: str, read: Callable[[], Document], matcher: Matcher, policy: Policy
) -> DocumentResult:
    try:
        return _audit_document(read(), matcher, policy)
    except Unreadable as problem:
        return DocumentResult(path, problem.status, problem.reason)
    except Exception as error:  # a bug must not hide the other files' results
        return DocumentResult(path, "error", f"{INTERNAL_ERROR}: {type(error).__name__}: {error}")


def _audit_document(document: Document, matcher: Matcher, policy: Policy) -> DocumentResult:
    if not document.text.strip():
        why = f" ({'; '.join(document.limits)})" if document.limits else ""
        return DocumentResult(document.path, "skipped", f"no text to audit{why}")
    words = tokens(document.text)
    candidates = matcher.matches(words, fingerprint([w.text for w in words]))
    matches = [
        replace(m, passages=tuple(_locate(p, document.lines) for p in m.passages))
        for m in candidates.found
    ]
    limits = document.limits
    if candidates.unaligned:
        limits += (
            f"alignment limit reached: {candidates.unaligned} of {candidates.candidates} "
            f"candidate sources not compared (see --max-align-words)",
        )
    findings = evaluate(document.text, matches, find_claims(document), policy, document.path)
    located = [replace(f, location=document.lines.locate(f.span)) for f in findings]
    located.sort(key=lambda f: (f.span, f.rule))
    kept, suppressed = split_suppressed(document.raw, located)
    return DocumentResult(
        document.path, "scanned", None, tuple(matches), kept, suppressed, document.text, limits
    )


def _files(
    paths: Sequence[str],
    exclude: Iterable[str],
    base: Path | None,
    only: Collection[Path] | None = None,
) -> list[FoundFile]:
    """The files under ``paths``, each once (overlapping PATHs name some files twice); with
    ``only`` (resolved paths), just those of them."""
    files: dict[Path, FoundFile] = {}
    for found in discover(paths, exclude, base):
        resolved = Path(os.path.realpath(found.path))  # never raises, even on a link loop
        if only is None or resolved in only:
            files.setdefault(resolved, found)
    return list(files.values())


def read_claims(
    paths: Sequence[str], exclude: Iterable[str] = (), base: Path | None = None
) -> list[DocumentClaims]:
    """The claims of every file under ``paths`` (``provenance notices``); no index needed."""
    return [_claims_of(found) for found in _files(paths, exclude, base)]


def _claims_of(found: FoundFile) -> DocumentClaims:
    if found.status:
        return DocumentClaims(found.display, found.status, found.reason)
    try:
        document = extract_file(found.path, found.display)
    except Unreadable as problem:
        return DocumentClaims(found.display, problem.status, problem.reason)
    located = tuple(
        (c, document.lines.locate(c.span) if c.origin == "text" else None)
        for c in find_claims(document)
    )
    return DocumentClaims(document.path, "scanned", None, located)


def _locate(passage: Passage, lines: LineMap) -> Passage:
    return replace(passage, target_location=lines.locate(passage.target))


def audit(
    paths: Sequence[str],
    index: Index,
    packs: Mapping[str, Pack],
    progress: Progress = quiet,
    *,
    exclude: Iterable[str] = (),
    base: Path | None = None,
    index_update: IndexUpdate | None = None,
    site: SiteProfile | None = None,
    severities: Mapping[str, str] | None = None,
    custom_rules: tuple[CustomRule, ...] = (),
    only: Collection[Path] | None = None,
    pages: FetchStream | None = None,
    limits: Limits | None = None,
) -> AuditResult:
    """Audit every file under ``paths`` and every page the crawl ``pages`` fetches against the
    index, judged by ``packs`` with the site's profile, severity overrides (a rule id to a
    severity or ``"off"``) and custom rules; with ``only`` (resolved paths, e.g. the files a
    change touched), just those files. Pages are audited as they arrive; every URL of the
    crawl, pages, feeds and sitemaps, is in the result's ``urls``. ``limits`` bound the work
    one file or page may cause."""
    policy = Policy(packs, site or SiteProfile(), severities or {}, custom_rules)
    files = _files(paths, exclude, base, only)
    limits = limits or Limits()
    matcher = Matcher(index, limits.max_align_words)
    results = []
    for done, found in enumerate(files, start=1):
        results.append(audit_file(found, matcher, policy, limits.max_file_size))
        progress("audit", done, len(files))
    for page in pages or ():
        if page.kind == "page":
            results.append(audit_page(page, matcher, policy))
    results.sort(key=lambda r: r.path)
    urls = tuple(pages.results) if pages else ()
    return AuditResult(tuple(results), index.count(), index_update, urls)
