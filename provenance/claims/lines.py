"""The lines of a text, as claims are read from them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Span


def claim_lines(text: str) -> Iterator[tuple[Span, str]]:
    """Each non-blank line without Markdown emphasis, quote or heading marks around it, with its
    span in ``text``. ``\\n``, ``\\r\\n`` and old Mac ``\\r`` endings all end a line."""
    for line in re.finditer(r"[^\r\n]+", text):
        stripped = line.group().strip(" \t*_>#")
        if stripped:
            start = line.start() + line.group().index(stripped)
            yield (start, start + len(stripped)), stripped


# A Markdown link or image, or an HTML anchor, and the text a reader sees of it (anchors do not
# nest: the text ends before another anchor starts, which also keeps a line of unclosed
# anchors from taking time quadratic in its length).
_LINK_MARKUP = re.compile(
    r"!?\[(?P<md>[^\[\]]*)\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
    r"|<a\s[^<>]*>(?P<html>(?:(?!<a\s).)*?)</a\s*>",
    re.I,
)


def link_text(line: str) -> str:
    """``line`` with its Markdown links and HTML anchors replaced by their text, as a reader
    sees it: "originally published by [ProPublica](https://…)" names ProPublica."""
    return _LINK_MARKUP.sub(lambda m: m.group("md") or m.group("html") or "", line)
