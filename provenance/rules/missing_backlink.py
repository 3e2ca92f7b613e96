"""missing-backlink: no link to the original article where the publisher requires one.

RFE/RL asks for a permanent link to the original, The Conversation, ProPublica and Global
Voices for a link in the credit, and Creative Commons attribution names the source. Links are
read from the text (Markdown, HTML, bare URLs), the article's anchors, ``rel=canonical`` and the
front matter. Scheme, ``www.``, query, fragment and a trailing slash do not matter.

Options: ``accept``: ``article`` (a link to the source's own URL; when the source has no URL, a
link to the publisher's site) or ``domain`` (any link to the publisher's site).

Fix: link to the original article.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ..models import Finding
from .case import Case, describe, finding

ID = "missing-backlink"
CONF: dict[str, Any] = {"accept": ("article", "domain")}
DEFAULT: dict[str, Any] = {"severity": "error", "accept": "article"}


def _key(url: str) -> tuple[str, str]:
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").removeprefix("www.")
    return host, parts.path.rstrip("/")


def check(conf: dict[str, Any], case: Case) -> Iterator[Finding]:
    match = case.best
    if match is None:
        return
    original = match.source.url
    links = [c.url for c in case.claims_of("link") if c.url]
    if conf["accept"] == "article" and original:
        wanted = _key(original)
        if any(_key(link) == wanted for link in links):
            return
        expected = original
    else:
        hosts = {_key(original)[0]} if original else set()
        if not hosts and not case.pack.domains:
            return  # nothing says where the original lives
        if any(_key(link)[0] in hosts or case.pack.owns(link) for link in links):
            return
        expected = original or f"a link to {case.pack.domains[0]}"
    yield finding(
        ID,
        conf,
        f"copies {describe(match)} by {case.owner} without a link to the original",
        case.start(),
        source_id=match.source.id,
        expected=expected,
    )
