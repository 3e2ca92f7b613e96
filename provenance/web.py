"""URLs as inputs of the pipeline: which arguments are URLs, lists of URLs, and what
a fetched URL becomes (a ``Document`` to audit or index, or the reason it cannot be one).

The fetching itself is ``fetch``'s; this module only reads its ``FetchResult``.
"""

from __future__ import annotations

import re

from .extract import Unreadable, extract_html, extract_text
from .fetch import FetchResult
from .fetch.content import parse_content_type
from .models import Document, Status

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")

# What an unusable URL's document says: fetch statuses to document statuses. A URL the tool
# chose not to fetch (robots.txt, the SSRF guard, a type or size limit) is skipped, as a file
# of an unsupported type is; one that could not be fetched is an error.
_UNUSABLE: dict[str, tuple[Status, str]] = {
    "robots": ("skipped", "not fetched"),
    "refused": ("skipped", "refused"),
    "failed": ("error", "fetch failed"),
}


def is_url(argument: str) -> bool:
    """Whether a command-line argument names a URL (any scheme: ``fetch`` refuses all but
    http and https, with the reason) rather than a path."""
    return bool(_SCHEME.match(argument))


def url_list(text: str) -> list[str]:
    """The URLs a list holds, one per line; blank lines and ``#`` comments are ignored."""
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def page_document(result: FetchResult) -> Document:
    """A fetched page as a ``Document``: its path is the URL as given, relative links resolve
    against where redirects led. Raises ``Unreadable`` for a URL that was not fetched."""
    if not result.received:
        status, what = _UNUSABLE[result.status]
        raise Unreadable(status, f"{what}: {result.reason}")
    media_type = parse_content_type(result.content_type)[0]
    if media_type == "text/plain":
        return extract_text(result.text, result.url)
    if media_type not in (None, "text/html", "application/xhtml+xml"):
        hint = " (a feed or sitemap? give it with --feed or --sitemap)" * ("xml" in media_type)
        raise Unreadable("skipped", f"not a page: content type {media_type}{hint}")
    return extract_html(result.text, result.url, result.final_url or result.url)
