"""The pipeline, from paths to a plain ``AuditResult``. Never prints: progress goes to a callback.

discover -> extract -> normalise -> fingerprint -> candidates -> align -> claims -> rules

Documents are audited one by one, each independently of the others, wherever ``Workers`` run
them (this process, a pool of processes, a Dask cluster); the result is the same.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from time import perf_counter
from typing import Any

import pathspec

from .candidates import Matcher
from .claims import find_claims
from .discover import FoundFile, discover
from .extract import Unreadable, extract_file
from .fetch import FetchResult, FetchStream
from .fingerprint import fingerprints
from .index import Index, open_index
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
from .parallel import InProcess, Workers, stream, worker_local
from .progress import Progress, quiet
from .rules import Pack, Policy, evaluate
from .rules.custom import CustomRule
from .suppress import split_suppressed
from .web import page_document

STAGES = (
    "discover",
    "extract",
    "normalise+fingerprint",
    "candidates lookup",
    "align",
    "claims",
    "rules",
    "report",
)


@dataclass
class Timings:
    """Seconds of wall time spent in each of ``STAGES``, summed over the documents (and so over
    the workers that audited them), and how many documents were audited. Normalising includes
    the candidate sources' words, which the matcher normalises when it first meets a source.
    Small and picklable: each worker returns its own with its results, and they are added up."""

    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    documents: int = 0

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += perf_counter() - started

    def add(self, other: Timings) -> None:
        for name, seconds in other.seconds.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.documents += other.documents


def audit_file(
    found: FoundFile,
    matcher: Matcher,
    policy: Policy,
    max_file_size: int = Limits.max_file_size,
    timings: Timings | None = None,
) -> DocumentResult:
    """Audit one file; a file that cannot be read becomes a result with a reason, never an error.
    The time each stage took is added to ``timings``."""
    if found.status:
        return DocumentResult(found.display, found.status, found.reason)

    def read() -> Document:
        return extract_file(found.path, found.display, max_file_size)

    return _audit(found.display, read, matcher, policy, timings or Timings())


def audit_page(
    page: FetchResult, matcher: Matcher, policy: Policy, timings: Timings | None = None
) -> DocumentResult:
    """Audit one fetched page, as a file is audited; its path is its URL. A URL that could not
    be fetched becomes a result with the reason."""
    return _audit(page.url, lambda: page_document(page), matcher, policy, timings or Timings())


def _audit(
    path: str, read: Callable[[], Document], matcher: Matcher, policy: Policy, timings: Timings
) -> DocumentResult:
    try:
        with timings.stage("extract"):
            document = read()
        return _audit_document(document, matcher, policy, timings)
    except Unreadable as problem:
        return DocumentResult(path, problem.status, problem.reason)
    except Exception as error:  # a bug must not hide the other files' results
        return DocumentResult(path, "error", f"{INTERNAL_ERROR}: {type(error).__name__}: {error}")


def _audit_document(
    document: Document, matcher: Matcher, policy: Policy, timings: Timings
) -> DocumentResult:
    if not document.text.strip():
        why = f" ({'; '.join(document.limits)})" if document.limits else ""
        return DocumentResult(document.path, "skipped", f"no text to audit{why}")
    with timings.stage("normalise+fingerprint"):
        fp = fingerprints([document.text])[0]
    candidates = matcher.matches(document.text, fp)
    timings.seconds["candidates lookup"] += candidates.lookup_seconds
    timings.seconds["normalise+fingerprint"] += candidates.normalise_seconds
    timings.seconds["align"] += candidates.align_seconds
    with timings.stage("align"):
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
    with timings.stage("claims"):
        claims = find_claims(document)
    with timings.stage("rules"):
        findings = evaluate(document.text, matches, claims, policy, document.path)
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


def _audit_files(
    matcher: Matcher, policy: Policy, max_file_size: int, files: list[FoundFile]
) -> tuple[list[DocumentResult], Timings]:
    timings = Timings(documents=len(files))
    return [audit_file(f, matcher, policy, max_file_size, timings) for f in files], timings


@dataclass(frozen=True, repr=False)  # Dask names tasks by repr: no location (a password)
class _Worker:
    """Audits files in a worker process: what it needs, sent with every chunk of files. The
    worker opens the index and unpickles the policy once and keeps them (``worker_local``);
    the key includes a token of the audit, because a Dask worker outlives one audit, and its
    matcher's cache must not outlive the index's contents."""

    index: str
    policy: bytes  # pickled once, here, rather than with every chunk
    max_file_size: int
    max_align_words: int
    key: str

    @classmethod
    def of(cls, index: Index, policy: Policy, limits: Limits) -> _Worker:
        location = index.location
        if "://" not in location:  # a file: the same for workers whose folder is another
            location = os.path.abspath(location)
        pickled = _pickle(policy)
        key = hashlib.sha256(pickled)
        key.update(f"{location}\0{limits}\0{uuid.uuid4()}".encode())
        return cls(location, pickled, limits.max_file_size, limits.max_align_words, key.hexdigest())

    def __repr__(self) -> str:
        return "audit"

    def _open(self) -> tuple[Matcher, Policy]:
        index = open_index(self.index, create=False)
        return Matcher(index, self.max_align_words), pickle.loads(self.policy)

    def __call__(self, files: list[FoundFile]) -> tuple[list[DocumentResult], Timings]:
        matcher, policy = worker_local(self.key, self._open)
        return _audit_files(matcher, policy, self.max_file_size, files)


class _Pickler(pickle.Pickler):
    """Pickles a path spec (a custom rule's ``paths``) as its patterns: its compiled form, an
    RE2 set, cannot be pickled, and is compiled again from them."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, pathspec.PathSpec):
            return type(obj), (list(obj.patterns),)
        return NotImplemented


def _pickle(value: object) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer).dump(value)
    return buffer.getvalue()


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
    workers: Workers | None = None,
    timings: Timings | None = None,
) -> AuditResult:
    """Audit every file under ``paths`` and every page the crawl ``pages`` fetches against the
    index, judged by ``packs`` with the site's profile, severity overrides (a rule id to a
    severity or ``"off"``) and custom rules; with ``only`` (resolved paths, e.g. the files a
    change touched), just those files. Pages are audited as they arrive; every URL of the
    crawl, pages, feeds and sitemaps, is in the result's ``urls``. ``limits`` bound the work
    one file or page may cause.

    Files are audited by ``workers`` (default: in this process), which open the index by its
    location; pages in this process. The time each stage took is added to ``timings``."""
    policy = Policy(packs, site or SiteProfile(), severities or {}, custom_rules)
    timings = timings if timings is not None else Timings()
    workers = workers or Workers()
    with timings.stage("discover"):
        files = _files(paths, exclude, base, only)
    limits = limits or Limits()
    matcher = Matcher(index, limits.max_align_words)
    audited: list[DocumentResult | None] = [None] * len(files)
    with workers.executor(len(files)) as executor:
        if isinstance(executor, InProcess):
            work: Callable[[list[FoundFile]], tuple[list[DocumentResult], Timings]]
            work = partial(_audit_files, matcher, policy, limits.max_file_size)
        else:
            work = _Worker.of(index, policy, limits)
            files = [replace(f, path=Path(os.path.abspath(f.path))) for f in files]
        done = 0
        for first, (results, spent) in stream(executor, work, files, workers.size):
            timings.add(spent)
            for at, result in enumerate(results, start=first):
                audited[at] = result
                done += 1
                progress("audit", done, len(files))
    found = [r for r in audited if r is not None]
    for page in pages or ():
        if page.kind == "page":
            found.append(audit_page(page, matcher, policy, timings))
            timings.documents += 1
    found.sort(key=lambda r: r.path)  # stable: files in the order they were found, then pages
    urls = tuple(pages.results) if pages else ()
    return AuditResult(tuple(found), index.count(), index_update, urls)
