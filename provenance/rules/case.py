"""What a rule looks at: one document seen through one publisher's pack."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..models import Claim, Finding, Match, Span

if TYPE_CHECKING:
    from .pack import Pack


@dataclass(frozen=True)
class Case:
    pack: Pack
    matches: tuple[Match, ...]  # matches of this publisher's sources, best first
    claims: tuple[Claim, ...]  # every claim the document makes

    @cached_property
    def notices(self) -> tuple[Claim, ...]:
        """Copyright and credit lines that name this publisher."""
        return tuple(
            c
            for c in self.claims
            if c.kind in ("copyright", "credit") and self.pack.named_in(c.text)
        )

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    def required_notice(self) -> str | None:
        if not self.pack.notice:
            return None
        return self.pack.notice.required(self.best.source.year if self.best else None)


def finding(rule: str, conf: dict[str, Any], message: str, span: Span, **extra: Any) -> Finding:
    return Finding(rule=rule, severity=conf["severity"], message=message, span=span, **extra)


def describe(match: Match) -> str:
    """A source as messages name it: its title, or its id."""
    source = match.source
    return f"“{source.title}”" if source.title else source.id
