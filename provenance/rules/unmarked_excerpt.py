"""unmarked-excerpt: a partial copy is not marked as an excerpt.

RFE/RL requires excerpts to be marked as such; The Conversation requires an extract to end with
a link to the full article. The text copies less than ``coverage`` of its source, and none of the
``markers`` ("excerpt", "read the full article" …) appears outside the copied passages (a marker
inside the copied text is the article's own word, not a label).

Options: ``coverage`` (0 to 1: below it a copy is an excerpt), ``markers`` (phrases, matched as
whole words, case and punctuation ignored).

Fix: label the text as an excerpt and link to the full article.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import Finding
from .case import Case, as_words, describe, finding

ID = "unmarked-excerpt"
CONF: dict[str, Any] = {"coverage": float, "markers": [str]}
DEFAULT: dict[str, Any] = {
    "severity": "warning",
    "coverage": 0.8,
    "markers": [
        "excerpt",
        "excerpts",
        "excerpted",
        "extract",
        "extracts",
        "abridged",
        "read the full article",
        "read the full story",
        "read the rest",
        "continue reading",
        "read more at",
    ],
}


def _outside_passages(case: Case) -> str:
    """The text with every copied passage blanked out."""
    text = case.text
    for match in case.document_matches:
        for start, end in (p.target for p in match.passages):
            text = text[:start] + " " * (end - start) + text[end:]
    return text


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    match = case.best
    if match is None or match.source_coverage >= conf["coverage"]:
        return
    own = as_words(_outside_passages(case))
    if any(as_words(marker) in own for marker in conf["markers"]):
        return
    yield finding(
        ID,
        conf,
        f"copies {match.source_coverage:.0%} of {describe(match)} by {case.owner} "
        "without marking it as an excerpt",
        case.start(),
        source_id=match.source.id,
        expected="a label such as “Excerpt” and a link to the full article",
    )
