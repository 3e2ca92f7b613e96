"""Links in the text: Markdown links ``[text](url)``, autolinks ``<url>``, HTML anchors written
in Markdown or text, bare URLs, and an HTML page's anchors placed in its main text by
extraction.

A link's ``span`` is where it is in the text: the URL where the text shows it, the anchor's
text for an HTML anchor; its ``text`` is the link's text, or the URL when it has none.
Bare URLs are found by linkify-it-py, which knows where a URL ends before trailing punctuation
and inside parentheses; web addresses without a scheme count only with ``www.`` ("khn.org"
in a credit line is a name).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from linkify_it import LinkifyIt  # type: ignore[import-untyped]

from ..models import Claim, Document, Span

# [text](url "title"), one level of brackets inside the text, balanced parentheses in the URL;
# "!" before it makes it an image, which is not a link to anything.
_MARKDOWN_LINK = re.compile(
    r"(?P<image>!?)\[(?P<text>[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]\(\s*"
    r"(?:<(?P<angled>[^<>\n]*)>|(?P<url>[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*))"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
)
# An anchor written in Markdown (which allows inline HTML) or left in a text file. Its first
# href is taken for good (an atomic group): trying each later one in turn takes time quadratic
# in the length of a tag that never closes. Anchors do not nest, so the text ends before
# another one starts.
_HTML_ANCHOR = re.compile(
    r"<a\s(?>[^<>]*?\bhref\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'<>]+)))"
    r"[^<>]*>(?P<text>(?:(?!<a\s).)*?)</a\s*>",
    re.I | re.S,
)
_TAG = re.compile(r"<[^<>]*>")
_AUTOLINK = re.compile(r"<(?P<url>https?://[^\s<>]+)>", re.I)
_LINKIFY = LinkifyIt(options={"fuzzy_email": False, "fuzzy_ip": False})
_RUN = re.compile(r"\S+")
_URL_HINT = re.compile(r"https?:|www\.", re.I)
_MAX_URL = 2048  # characters; browsers and sitemaps stop at about this length


def _overlaps(span: Span, taken: list[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _markdown_links(text: str) -> Iterator[tuple[Span, Claim | None]]:
    """Markdown links, HTML anchors and autolinks, and images (``None``) whose URLs are not
    links."""
    for match in _MARKDOWN_LINK.finditer(text):
        group = "angled" if match.group("angled") is not None else "url"
        url = match.group(group).strip()
        if match.group("image") or not url:
            yield match.span(), None
            continue
        label = " ".join(match.group("text").split()) or url
        yield match.span(), Claim("link", label, match.span(group), url=url)
    for match in _HTML_ANCHOR.finditer(text):
        group = next(g for g in ("dq", "sq", "bare") if match.group(g) is not None)
        url = html.unescape(match.group(group).strip())
        label = " ".join(html.unescape(_TAG.sub(" ", match.group("text"))).split()) or url
        yield match.span(), Claim("link", label, match.span(group), url=url)
    for match in _AUTOLINK.finditer(text):
        yield (
            match.span(),
            Claim("link", match.group("url"), match.span("url"), url=match.group("url")),
        )


def _bare_urls(text: str) -> Iterator[Claim]:
    """Bare URLs, run by run of characters without a space (no URL holds one). linkify reads
    every scheme in a run to the run's end, so a run of "http://a/http://a/…" takes time
    quadratic in its length: runs longer than ``_MAX_URL`` hold no link a reader follows and
    are not read."""
    for run in _RUN.finditer(text):
        word = run.group()
        if len(word) > _MAX_URL or not _URL_HINT.search(word):
            continue
        for match in _LINKIFY.match(word) or ():
            if match.schema.lower() in ("http:", "https:") or (
                not match.schema and match.text.lower().startswith("www.")
            ):
                span = (run.start() + match.index, run.start() + match.last_index)
                yield Claim("link", match.text, span, url=match.url)


def _html_anchors(metadata: dict[str, Any], text: str) -> Iterator[Claim]:
    """The anchors extraction placed in the main text (``metadata["links"]``)."""
    for link in metadata.get("links", ()):
        span = link.get("span")
        if span and 0 <= span[0] < span[1] <= len(text):
            label = link.get("text") or link["url"]
            yield Claim("link", label, (span[0], span[1]), url=link["url"])


def link_claims(document: Document) -> list[Claim]:
    """The links in ``document``'s text, in order (HTML anchors outside the main text are
    page claims, not text claims)."""
    text = document.text
    found: list[Claim] = []
    taken: list[Span] = []
    if document.format == "html":
        for claim in _html_anchors(document.metadata, text):
            found.append(claim)
            taken.append(claim.span)
    for span, link in _markdown_links(text):
        if not _overlaps(span, taken):
            taken.append(span)
            if link:
                found.append(link)
    found.extend(c for c in _bare_urls(text) if not _overlaps(c.span, taken))
    found.sort(key=lambda c: c.span)
    return found
