"""The pipeline, from paths to a plain ``AuditResult``. Never prints: progress goes to a callback.

discover -> extract -> normalise -> fingerprint -> candidates -> align -> claims -> rules
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from .candidates import Matcher
from .claims import find_claims
from .discover import Candidate, discover
from .extract import Unreadable, extract_file
from .fingerprint import fingerprint
from .index import SqliteIndex
from .models import AuditResult, DocumentResult, IndexUpdate
from .normalise import tokens
from .rules import Pack, evaluate
from .sources import SourceEntry, SourceProblem, read_sources

# (stage, done, total): called as work advances, so a front end can show progress.
Progress = Callable[[str, int, int], None]
BATCH = 500  # sources written per transaction


def _quiet(stage: str, done: int, total: int) -> None:
    pass


def publisher_lookup(packs: dict[str, Pack]) -> Callable[[str], str | None]:
    """Infer a source's publisher from its URL's domain."""

    def publisher_of(url: str) -> str | None:
        return next((pack.id for pack in packs.values() if pack.owns(url)), None)

    return publisher_of


def update_index(
    index: SqliteIndex,
    locations: Iterable[str],
    packs: dict[str, Pack],
    progress: Progress = _quiet,
    *,
    sync: bool = True,
) -> IndexUpdate:
    """Bring the index up to date with the sources in ``locations`` (folders or files).

    Only new or changed sources are fingerprinted. With ``sync``, sources that came from one of
    these locations before and are gone from it now are removed.
    """
    entries: list[SourceEntry] = []
    problems: list[tuple[str, str]] = []
    origins = set()
    for location in locations:
        origins.add(str(Path(location).resolve()))
        for item in read_sources(location, publisher_lookup(packs)):
            if isinstance(item, SourceProblem):
                problems.append((item.location, item.reason))
            else:
                entries.append(item)
    seen: dict[str, SourceEntry] = {}
    for entry in entries:
        if entry.source.id in seen:  # the first one read wins
            problems.append(
                (entry.source.id, f"duplicate id (first read from {seen[entry.source.id].origin})")
            )
        else:
            seen[entry.source.id] = entry
    stored = index.digests()
    changed = {i: e for i, e in seen.items() if stored.get(i) != e.digest}
    batch = []
    for done, entry in enumerate(changed.values(), start=1):
        words = [t.text for t in tokens(entry.source.text)]
        batch.append((entry.source, entry.origin, entry.digest, fingerprint(words)))
        if len(batch) >= BATCH:
            index.put(batch)
            batch = []
        progress("index", done, len(changed))
    index.put(batch)
    removed: list[str] = []
    if sync:
        gone = set().union(*(index.ids_from(o) for o in origins)) - set(seen)
        removed = index.remove(sorted(gone))
    added = sum(1 for i in changed if i not in stored)
    return IndexUpdate(
        added=added,
        updated=len(changed) - added,
        unchanged=len(seen) - len(changed),
        removed=len(removed),
        problems=tuple(problems),
    )


def audit_file(candidate: Candidate, matcher: Matcher, packs: dict[str, Pack]) -> DocumentResult:
    """Audit one file; a file that cannot be read becomes a result with a reason, never an error."""
    if candidate.skip_reason:
        return DocumentResult(candidate.display, "skipped", candidate.skip_reason)
    try:
        return _audit_document(candidate, matcher, packs)
    except Unreadable as problem:
        return DocumentResult(candidate.display, problem.status, problem.reason)
    except Exception as error:  # a bug must not hide the other files' results
        return DocumentResult(
            candidate.display, "error", f"internal error: {type(error).__name__}: {error}"
        )


def _audit_document(
    candidate: Candidate, matcher: Matcher, packs: dict[str, Pack]
) -> DocumentResult:
    document = extract_file(candidate.path, candidate.display)
    if not document.text.strip():
        return DocumentResult(candidate.display, "skipped", "no text to audit")
    words = tokens(document.text)
    matches = matcher.matches(words, fingerprint([w.text for w in words]))
    findings = evaluate(matches, find_claims(document.text), packs)
    located = [replace(f, location=document.lines.locate(f.span)) for f in findings]
    located.sort(key=lambda f: (f.span, f.rule))
    return DocumentResult(document.path, "scanned", None, tuple(matches), tuple(located))


def audit(
    paths: Sequence[str],
    index: SqliteIndex,
    packs: dict[str, Pack],
    progress: Progress = _quiet,
    *,
    exclude: Iterable[str] = (),
    base: Path | None = None,
    index_update: IndexUpdate | None = None,
) -> AuditResult:
    """Audit every file under ``paths`` against the index."""
    candidates = list(discover(paths, exclude, base))
    matcher = Matcher(index)
    results = []
    for done, candidate in enumerate(candidates, start=1):
        results.append(audit_file(candidate, matcher, packs))
        progress("audit", done, len(candidates))
    results.sort(key=lambda r: r.path)
    return AuditResult(tuple(results), index.count(), index_update)
