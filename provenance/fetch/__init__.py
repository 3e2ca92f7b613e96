"""Fetch web pages, feeds and sitemaps for an audit: politely (robots.txt, per-host limits and
delays, retries with backoff), safely (an SSRF guard on every connection, size and type limits)
and incrementally (an HTTP cache that revalidates).

``crawl`` (asynchronous), ``fetch_all`` and ``FetchStream`` (for synchronous callers) give one
``FetchResult`` per URL; ``feed_urls`` and ``sitemap_urls`` read feeds and sitemaps.
"""

from .crawl import FetchStream, Progress, crawl, fetch_all
from .feeds import NotAFeed, feed_urls, sitemap_urls
from .guard import AddressPolicy, address_problem
from .models import FETCH_STATUSES, USER_AGENT, FetchOptions, FetchResult, FetchStatus, Kind

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
    "crawl",
    "feed_urls",
    "fetch_all",
    "sitemap_urls",
]
