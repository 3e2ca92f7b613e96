"""The main text of an HTML page: the article, without the page around it.

trafilatura does the extraction, in two passes. Its precision mode drops more of what sits next
to an article inside the same container (share bars, teasers, reprint boxes) and scores better
on real pages, but it sometimes throws away the article itself and keeps a stray box; when the
precision pass keeps less than a fifth of what the standard pass finds, the standard pass is
taken instead.

What an extractor keeps because it sits inside the article's own container is then trimmed
line by line: promotion lines ("Related: …", "READ MORE: …", "More Ireland News", "Sign up for
our newsletter", "Comments") wherever they are, and a trailing block that such a line opens
(an aggregator's "More … News / Sign up … / a daily newsletter …" after the story). A line that
carries a notice (copyright, licence, "republished", "originally published") is always kept:
the claims are read from it.
"""

from __future__ import annotations

import re

# The precision pass is trusted unless it kept less than this share of the standard pass.
PRECISION_FLOOR = 0.2
# A trailing block of promotions: at most this many lines, each of at most this many words.
BLOCK_LINES = 4
BLOCK_LINE_WORDS = 30

_CUE = r"[\[\(•·*-]?\s*"
# A teaser: one link with its label ("Related: …", "READ MORE: …", "[Related: …]").
_TEASER = (
    rf"{_CUE}(?:related(?: (?:articles?|stories|posts?|coverage|content))?|read more|read also|"
    r"also read|see more|see also|don'?t miss|must read|recommended|further reading)\s*:.+"
)
# A heading over links or a call to act: what opens a block of promotions.
_HEADING = (
    rf"{_CUE}(?:more|also|related|don'?t miss|must read|recommended|further reading|"
    r"you (?:may|might) (?:also )?like)\s*(?::|\.\.\.|…)?"
    r"|(?:more|latest|top|most read|most popular|most viewed|trending|related)(?:\s+[\w']+){0,4}?"
    r"\s+(?:news|stories|articles|posts|headlines|videos)"
    r"|(?:sign up|subscribe|join our|get our)\b(?=.*\b(?:newsletters?|inbox|e-?mails?|"
    r"briefings?|updates|news|alerts|digest|podcast|channel|free|today|now|here)\b).{0,80}"
    r"|(?:[\w']+ ){0,5}newsletter"
    r"|follow (?:us\b.{0,80}|[\w'@ ]{1,30} on (?:twitter|facebook|instagram|linkedin|youtube|"
    r"tiktok|x|social media)\b.{0,80})"
    r"|like (?:this story|us on)\b.{0,80}"
    r"|share (?:this (?:article|story|post|page)|on|via)\b.{0,60}"
    r"|(?:\d+ )?comments?|leave a (?:comment|reply)|tell us what you think.{0,10}"
    r"|advertisement"
)
_PROMOTION = re.compile(f"{_TEASER}|{_HEADING}", re.I)
_OPENS_BLOCK = re.compile(_HEADING, re.I)
# Lines that may carry a claim about the text's provenance.
_NOTICE = re.compile(
    r"copyright|©|\(c\)|licen[cs]e|creative commons|republish|reprint|originally "
    r"(?:published|appeared)|with (?:the )?permission|courtesy of",
    re.I,
)
_WORD = re.compile(r"\w+")


def main_text(html: str) -> str:
    """The article's text in ``html``, one paragraph per line; ``""`` when there is none."""
    precise = _trafilatura(html, favor_precision=True)
    standard = _trafilatura(html, favor_precision=False)
    return drop_promotions(choose(precise, standard))


def choose(precise: str, standard: str) -> str:
    """The precision pass's text, unless it kept less than ``PRECISION_FLOOR`` of the standard
    pass's: then it lost the article (a paywall notice or a reprint box left), not a margin."""
    return precise if len(precise) >= PRECISION_FLOOR * len(standard) else standard


def _trafilatura(html: str, *, favor_precision: bool) -> str:
    import trafilatura  # a tenth of a second to load: only when a page is read

    text = trafilatura.extract(
        html, output_format="txt", include_comments=False, favor_precision=favor_precision
    )
    return text or ""


def is_promotion(line: str) -> bool:
    """Whether ``line`` is a promotion (teaser, section heading of links, call to act) rather
    than a line of the article."""
    stripped = line.strip()
    return bool(_PROMOTION.fullmatch(stripped)) and not _NOTICE.search(stripped)


def drop_promotions(text: str) -> str:
    """``text`` without its promotion lines, nor the short block at its end that a heading
    over links or a call to act opens ("More Ireland News", "Sign up …", and the newsletter's
    blurb after it)."""
    lines = text.split("\n")
    end = len(lines)
    for index in range(len(lines) - 1, max(len(lines) - BLOCK_LINES, 0) - 1, -1):
        if len(_WORD.findall(lines[index])) > BLOCK_LINE_WORDS:
            break
        if _OPENS_BLOCK.fullmatch(lines[index].strip()):
            end = index
    kept = [
        line
        for index, line in enumerate(lines)
        if not is_promotion(line) and (index < end or _NOTICE.search(line))
    ]
    return "\n".join(kept)
