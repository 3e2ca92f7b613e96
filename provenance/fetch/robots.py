"""robots.txt, fetched once per site (scheme, host and port) and kept for the crawl.

What a missing or failing robots.txt means follows RFC 9309: a 4xx status (404 …) means no
rules, everything is allowed; a 5xx or 429 status, or a site that cannot be reached, means
everything is disallowed (the site may be struggling, and its rules are unknown). A robots.txt
that is refused (not text, too large, too many redirects) counts as missing. The rules
themselves are read by protego, which implements the RFC's matching (longest match wins,
``*`` and ``$`` wildcards, the group for our product token). A ``Crawl-delay`` lengthens the
delay between two requests to the site.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from protego import Protego

# The status of fetching a robots.txt (``None``: the site could not be reached) and its text.
RobotsFetch = Callable[[str], Awaitable[tuple[int | None, str]]]
# Protego: the site's rules; None: everything allowed; a string: everything disallowed, why.
Rules = Protego | str | None
DISALLOWED = "disallowed by robots.txt"
# A site's Crawl-delay is honoured up to this many seconds: a larger one would stall a crawl.
MAX_CRAWL_DELAY = 30.0


def rules_for(status: int | None, text: str) -> Rules:
    if status is None:
        return f"{DISALLOWED}: it could not be fetched, so every page counts as disallowed"
    if status == 429 or status >= 500:
        return f"{DISALLOWED}: it answered HTTP {status}, so every page counts as disallowed"
    if 200 <= status < 300:
        return Protego.parse(text)
    return None


class Robots:
    def __init__(self, user_agent: str, fetch: RobotsFetch) -> None:
        self.user_agent = user_agent
        self._fetch = fetch
        self._sites: dict[str, asyncio.Task[Rules]] = {}

    def crawl_delay(self, url: str) -> float:
        """The site's ``Crawl-delay`` for our product token (0 when it sets none, or its
        robots.txt has not been read), at most ``MAX_CRAWL_DELAY`` seconds."""
        task = self._sites.get(_site(url))
        rules = task.result() if task and task.done() and not task.exception() else None
        delay = rules.crawl_delay(self.user_agent) if isinstance(rules, Protego) else None
        return min(float(delay or 0), MAX_CRAWL_DELAY)

    async def refusal(self, url: str) -> str | None:
        """Why robots.txt forbids fetching ``url``; ``None`` if it allows it."""
        site = _site(url)
        if site not in self._sites:  # one fetch per site, however many URLs wait for it
            self._sites[site] = asyncio.ensure_future(self._load(f"{site}/robots.txt"))
        rules = await self._sites[site]
        if not isinstance(rules, Protego):
            return rules
        return None if rules.can_fetch(url, self.user_agent) else DISALLOWED

    async def _load(self, robots_url: str) -> Rules:
        return rules_for(*await self._fetch(robots_url))


def _site(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
