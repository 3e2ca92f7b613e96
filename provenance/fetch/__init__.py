"""Fetch web pages, feeds and sitemaps for an audit: politely (robots.txt, per-host limits and
delays, retries with backoff), safely (an SSRF guard on every connection, size and type limits)
and incrementally (an HTTP cache that revalidates).

``crawl.crawl`` (asynchronous), ``fetch_all`` and ``FetchStream`` (for synchronous callers)
give one ``FetchResult`` per URL; ``feed_urls`` and ``sitemap_urls`` read feeds and sitemaps.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .models import FETCH_STATUSES, USER_AGENT, FetchOptions, FetchResult, FetchStatus, Kind

if TYPE_CHECKING:
    from .crawl import FetchStream, Progress, fetch_all
    from .feeds import NotAFeed, feed_urls, sitemap_urls
    from .guard import AddressPolicy, address_problem

# The HTTP client and its guard (httpx and its dependencies: a tenth of a second) load when
# something is fetched, not with every command. (The ``crawl`` function is not among them: the
# module of that name would hide it once loaded.)
_LAZY = {
    "FetchStream": "crawl",
    "Progress": "crawl",
    "fetch_all": "crawl",
    "NotAFeed": "feeds",
    "feed_urls": "feeds",
    "sitemap_urls": "feeds",
    "AddressPolicy": "guard",
    "address_problem": "guard",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FETCH_STATUSES",
    "USER_AGENT",
    "AddressPolicy",
    "FetchOptions",
    "FetchResult",
    "FetchStatus",
    "FetchStream",
    "Kind",
    "NotAFeed",
    "Progress",
    "address_problem",
    "feed_urls",
    "fetch_all",
    "sitemap_urls",
]
