"""modified-no-derivatives: a no-derivatives source was altered beyond what its terms allow.

NoDerivatives licences and no-edit terms (The Conversation, ProPublica, KFF Health News) allow
republication only as published, except, where the publisher says so, edits of relative time
("yesterday" for "on Monday"), place ("here") and house style (numbers, abbreviations,
spelling). Within each copied passage, every changed word is checked: an edit whose words all
belong to an allowed kind passes; others are counted. Paragraphs cut from the middle of the
article count too (``cuts``).

Options: ``allow`` (``time``, ``place``, ``style``), ``cuts`` (whether omitting parts between
copied passages is allowed), ``max_changed_words`` (how many other changed words to tolerate).

Fix: restore the original wording, or ask the publisher for permission to adapt the text.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import Indel

from ..models import Finding, Match, Passage
from ..normalise import Token, tokens
from .case import Case, describe, finding

if TYPE_CHECKING:
    from ..compare import Segment

ID = "modified-no-derivatives"
CONF: dict[str, Any] = {
    "allow": [("time", "place", "style")],
    "cuts": bool,
    "max_changed_words": int,
}
DEFAULT: dict[str, Any] = {
    "severity": "error",
    "allow": ["time", "place", "style"],
    "cuts": False,
    "max_changed_words": 0,
}

_TIME = (
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december jan feb mar apr jun jul aug sep sept "
    "oct nov dec today yesterday tomorrow tonight this last next week weeks weekend month months "
    "year years day days morning afternoon evening night ago earlier later recently now currently "
    "on in at of the since"
)
_PLACE = (
    "here there local locally nearby this our the in at of city town state country region area "
    "county province capital home"
)
_STYLE = (
    "the a an and of percent per cent pct one two three four five six seven eight nine ten mr mrs "
    "ms dr st co inc ltd corp jr sr u s uk us eu"
)
VOCABULARY = {
    "time": set(_TIME.split()),
    "place": set(_PLACE.split()),
    "style": set(_STYLE.split()),
}


def _allowed(segment: Segment, allow: list[str]) -> bool:
    words = [t.text for t in (*segment.target, *segment.source)]
    vocabulary = set().union(*(VOCABULARY[kind] for kind in allow)) if allow else set()
    if all(w in vocabulary or ("style" in allow and w.isdigit()) for w in words):
        return True
    # House spelling: one word for one, nearly the same ("colour"/"color", "organise"/"-ize").
    if "style" in allow and len(segment.target) == len(segment.source) == 1:
        a, b = segment.target[0].text, segment.source[0].text
        return min(len(a), len(b)) >= 4 and Indel.normalized_similarity(a, b) >= 0.8
    return False


def _cut_words(match: Match, source_words: list[Token]) -> int:
    """Words of the source left out between copied passages."""
    starts = [w.start for w in source_words]
    spans = sorted(p.source for p in match.passages)
    return sum(
        max(bisect.bisect_left(starts, start) - bisect.bisect_left(starts, end), 0)
        for (_, end), (start, _) in itertools.pairwise(spans)
    )


def _disallowed_edits(
    match: Match, target_words: list[Token], source_words: list[Token], allow: list[str]
) -> list[tuple[Passage, Segment]]:
    # Loaded when a copy is judged, not with the rule catalogue that every command reads.
    from ..compare import passage_segments

    return [
        (passage, segment)
        for passage in match.passages
        for segment in passage_segments(target_words, source_words, passage)
        if segment.tag != "equal" and not _allowed(segment, allow)
    ]


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    target_words = tokens(case.text) if case.matches else []
    for match in case.matches:
        source_words = tokens(match.source.text)
        edits = _disallowed_edits(match, target_words, source_words, conf["allow"])
        changed = sum(max(len(s.target), len(s.source)) for _, s in edits)
        cut = 0 if conf["cuts"] else _cut_words(match, source_words)
        what = []
        if changed > conf["max_changed_words"]:
            what.append(f"{changed} word{'s' * (changed != 1)} changed")
        if cut:
            what.append(f"{cut} words cut between copied passages")
        if not what:
            continue
        span, expected, found = match.passages[0].target, None, None
        if edits:  # point at the first edit, the words on both sides shown
            passage, first = edits[0]
            span = first.target_span if first.target else passage.target
            found = case.text[slice(*first.target_span)] or None
            expected = match.source.text[slice(*first.source_span)] or None
        allowed = ", ".join(conf["allow"]) or "nothing"
        yield finding(
            ID,
            conf,
            f"{describe(match)} by {case.owner} allows no derivatives, but the copy was "
            f"altered: {' and '.join(what)} (edits allowed: {allowed})",
            span,
            source_id=match.source.id,
            expected=expected,
            found=found,
        )
