"""missing-byline: the author of the copied article is not credited.

The Conversation, ProPublica, Global Voices and every Creative Commons licence (attribution:
title, author, source, licence) require the author's name with the republished text. Each
author named in the source's ``author`` field ("Jane Doe and John Roe", "Jane Doe, John Roe")
must appear in the text, a byline or the page's author metadata.

Fix: add a byline naming the author(s).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..models import Finding
from .case import Case, as_words, describe, finding

ID = "missing-byline"
CONF: dict[str, Any] = {}
DEFAULT: dict[str, Any] = {"severity": "error"}


def authors(field: str) -> list[str]:
    """The names in an author field."""
    names = re.split(r"\s*(?:,|;|&|\band\b)\s*", field)
    return [n for n in names if as_words(n).strip()]


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    match = case.best
    if match is None or not match.source.author:
        return
    credited = " ".join(
        [case.text, *(c.holder or c.text for c in case.claims_of("byline", "metadata"))]
    )
    haystack = as_words(credited)
    missing = [n for n in authors(match.source.author) if as_words(n) not in haystack]
    if missing:
        yield finding(
            ID,
            conf,
            f"copies {describe(match)} by {case.owner} without crediting its author "
            f"{', '.join(missing)}",
            case.start(),
            source_id=match.source.id,
            expected=match.source.author,
        )
