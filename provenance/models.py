"""Plain data passed between the pipeline stages and handed to the reporters.

Nothing here knows how it is computed or shown. Offsets (``Span``) are character offsets into a
document's extracted text; ``Location`` points into the original file (1-based).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # fetch's own models import this module's constants
    from .fetch.models import FetchResult

Span = tuple[int, int]
Severity = Literal["error", "warning", "info"]
Status = Literal["scanned", "skipped", "error"]

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
INTERNAL_ERROR = "internal error"  # the reason given when a bug, not the input, stopped a file


@dataclass(frozen=True)
class Location:
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class LineMap:
    """Maps offsets in extracted text back to lines and columns of the original file.

    Each anchor says: the extracted text from ``offset`` on starts at ``line``/``column`` of the
    original. Offsets between anchors advance the column.
    """

    anchors: tuple[tuple[int, int, int], ...] = ((0, 1, 1),)

    def position(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.anchors, (offset, 1 << 62, 0)) - 1
        start, line, column = self.anchors[max(i, 0)]
        return line, column + max(offset - start, 0)

    def locate(self, span: Span) -> Location:
        line, column = self.position(span[0])
        end_line, end_column = self.position(max(span[1], span[0]))
        return Location(line, column, end_line, end_column)


@dataclass(frozen=True)
class Document:
    """A file or page as the pipeline sees it: clean main text plus metadata."""

    path: str
    text: str
    format: str
    metadata: dict[str, Any] = field(default_factory=dict)
    lines: LineMap = field(default_factory=LineMap)
    raw: str = ""  # the file as read (decoded), for what extraction drops: comments, markup
    limits: tuple[str, ...] = ()  # limits reading hit: what of the file was not read, and why


@dataclass(frozen=True)
class Source:
    """An original article in the index."""

    id: str
    text: str
    publisher: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    license: str | None = None

    def __reduce__(self) -> tuple[type[Source], tuple[str | None, ...]]:
        # Pickled as its fields: sources cross processes by the thousand.
        return Source, (
            self.id,
            self.text,
            self.publisher,
            self.url,
            self.title,
            self.author,
            self.published,
            self.license,
        )

    @property
    def year(self) -> int | None:
        if self.published and self.published[:4].isdigit():
            return int(self.published[:4])
        return None


@dataclass(frozen=True)
class Passage:
    """One copied passage: where it is in the target and in the source, and how many words
    inside it differ."""

    target: Span
    source: Span
    words: int
    edits: int = 0
    target_location: Location | None = None  # the target span in the audited file's lines


@dataclass(frozen=True)
class Match:
    source: Source
    source_coverage: float
    target_share: float
    passages: tuple[Passage, ...]

    @property
    def target_span(self) -> Span:
        return self.passages[0].target[0], self.passages[-1].target[1]


ClaimKind = Literal[
    "copyright", "credit", "license", "byline", "link", "agency", "metadata", "c2pa"
]
CLAIM_KINDS: tuple[ClaimKind, ...] = (
    "copyright",
    "credit",
    "license",
    "byline",
    "link",
    "agency",
    "metadata",
    "c2pa",
)


@dataclass(frozen=True)
class Claim:
    """Something a document says about its own provenance.

    ``kind``: ``copyright`` (a copyright line), ``credit`` (a permission, "originally
    published" or "republished from" line), ``license`` (a licence named by name, URL or SPDX
    id), ``byline`` (who wrote it), ``link`` (a link in the text), ``agency`` (a news agency's
    credit, dateline or photo credit), ``metadata`` (a field of the front matter, HTML meta or
    schema.org JSON-LD), ``c2pa`` (a C2PA text manifest is embedded).

    ``span`` is where the claim is in the extracted text; claims read from metadata have an
    empty span at 0 and say where they came from in ``origin`` (``front matter: author``,
    ``json-ld: copyrightHolder``, ``meta: author``, ``link rel=canonical`` …).
    ``holder`` is who the claim credits, as written (copyright holder, credited publisher,
    byline names, metadata value); ``license`` an SPDX id; ``url`` a link's target.
    """

    kind: ClaimKind
    text: str
    span: Span
    holder: str | None = None
    years: tuple[int, ...] = ()
    agencies: tuple[str, ...] = ()
    license: str | None = None
    url: str | None = None
    origin: str = "text"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    span: Span
    source_id: str | None = None
    expected: str | None = None
    found: str | None = None
    location: Location | None = None


@dataclass(frozen=True)
class DocumentResult:
    path: str
    status: Status
    reason: str | None = None
    matches: tuple[Match, ...] = ()
    findings: tuple[Finding, ...] = ()
    suppressed: tuple[Finding, ...] = ()  # silenced by an inline comment or the baseline
    text: str = ""  # the extracted text that spans (findings, passages' targets) point into
    limits: tuple[str, ...] = ()  # limits the audit hit: what was left unchecked, and why


@dataclass(frozen=True)
class RuleDescription:
    """A rule as reports describe it: its id, one-line summary, full documentation (plain
    text) and default severity."""

    id: str
    summary: str
    documentation: str
    severity: Severity


@dataclass(frozen=True)
class SiteProfile:
    """The audited site's situation, from the configuration: whether it is commercial, the
    licences it holds (pack ids such as ``ap``), and the licence of its own content (SPDX)."""

    commercial: bool = False
    licences: tuple[str, ...] = ()
    license: str | None = None


@dataclass(frozen=True)
class DocumentClaims:
    """The claims one file makes (``provenance notices``), each with its place in the file
    (``None`` for claims read from metadata)."""

    path: str
    status: Status
    reason: str | None = None
    claims: tuple[tuple[Claim, Location | None], ...] = ()


@dataclass(frozen=True)
class IndexUpdate:
    """What bringing the index up to date with a set of sources did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    problems: tuple[tuple[str, str], ...] = ()

    @property
    def fingerprinted(self) -> int:
        return self.added + self.updated


@dataclass(frozen=True)
class AuditResult:
    """Every document's result; ``urls`` is what became of each URL of a crawl (pages, whose
    documents are here too, and the feeds and sitemaps that listed them), text left out."""

    documents: tuple[DocumentResult, ...]
    sources_indexed: int
    index_update: IndexUpdate | None = None
    urls: tuple[FetchResult, ...] = ()

    def count(self, severity: Severity) -> int:
        return sum(f.severity == severity for d in self.documents for f in d.findings)

    def status_count(self, status: Status) -> int:
        return sum(d.status == status for d in self.documents)

    @property
    def tool_failed(self) -> bool:
        return any((d.reason or "").startswith(INTERNAL_ERROR) for d in self.documents)
