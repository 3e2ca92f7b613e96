"""What a rule looks at: one document seen through one publisher's (or licence's) pack."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..licences import Licence, parse_licence
from ..models import Claim, Finding, Match, SiteProfile, Span

if TYPE_CHECKING:
    from .pack import Pack

# Claims that can credit a publisher: a notice, a credit line, an agency credit, a byline.
CREDITING = ("copyright", "credit", "agency", "byline")
# Where a notice line can be: the extracted text, or the page outside it (an HTML footer).
LINES = ("text", "page")


@dataclass(frozen=True)
class Case:
    pack: Pack
    matches: tuple[Match, ...]  # matches of the sources this pack governs, best first
    claims: tuple[Claim, ...]  # every claim the document makes
    text: str = ""  # the document's extracted text
    site: SiteProfile = field(default_factory=SiteProfile)
    packs: tuple[Pack, ...] = ()  # every pack in use, to tell who else a notice names
    document_matches: tuple[Match, ...] = ()  # every match of the document, whatever the pack

    @cached_property
    def credits(self) -> tuple[Claim, ...]:
        """Lines (copyright, credit, agency credit, byline) of the text, or of the page around
        it, that name this publisher."""
        return tuple(
            c
            for c in self.claims
            if c.kind in CREDITING and c.origin in LINES and self.pack.named_in(c.text)
        )

    @cached_property
    def notices(self) -> tuple[Claim, ...]:
        """Copyright and credit lines that name this publisher: its notice, right or wrong."""
        return tuple(c for c in self.credits if c.kind in ("copyright", "credit"))

    @cached_property
    def misattributions(self) -> tuple[tuple[Claim, Pack], ...]:
        """Copyright and credit lines naming another publisher, when none names this one."""
        if self.credits:
            return ()
        found = []
        for claim in self.claims:
            if claim.kind not in ("copyright", "credit") or claim.origin not in LINES:
                continue
            other = next((p for p in self.packs if p != self.pack and p.named_in(claim.text)), None)
            if other:
                found.append((claim, other))
        return tuple(found)

    @property
    def owner(self) -> str:
        """Whose terms these are, as messages say it: the publisher, or for a licence pack
        the source's publisher (or site) and its licence."""
        if self.pack.names or self.best is None:
            return self.pack.name
        source = self.best.source
        who = source.publisher or urlsplit(source.url or "").hostname or "its publisher"
        return f"{who} under {self.pack.name}"

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    @cached_property
    def licence(self) -> Licence | None:
        """The licence of the best match's source (its own field, else the pack's)."""
        if self.best is None:
            return None
        spdx = self.best.source.license or self.pack.license
        return parse_licence(spdx) if spdx else None

    def claims_of(self, *kinds: str) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.kind in kinds)

    def required_notice(self) -> str | None:
        if not self.pack.notice:
            return None
        return self.pack.notice.required(self.best.source if self.best else None)

    def start(self) -> Span:
        """Where a finding about the copy as a whole points: its first passage."""
        assert self.best is not None
        return self.best.passages[0].target


def as_words(text: str) -> str:
    """``text`` as its words, case-folded, one space around each: so that ``as_words(phrase) in
    as_words(text)`` finds a phrase whole, whatever the case, punctuation and spacing."""
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "


def finding(rule: str, conf: dict[str, Any], message: str, span: Span, **extra: Any) -> Finding:
    return Finding(rule=rule, severity=conf["severity"], message=message, span=span, **extra)


def describe(match: Match) -> str:
    """A source as messages name it: its title, or its id."""
    source = match.source
    return f"“{source.title}”" if source.title else source.id
