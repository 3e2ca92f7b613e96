"""What a crawl is told (``FetchOptions``) and what it reports for each URL (``FetchResult``)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Literal

from .. import __version__

# Says what is fetching and why; a deployment adds its contact address with the user_agent
# option (no address is invented here).
USER_AGENT = f"provenance/{__version__} (republication audit)"

FetchStatus = Literal["fetched", "not-modified", "robots", "refused", "failed"]
Kind = Literal["page", "feed", "sitemap"]

FETCH_STATUSES: tuple[FetchStatus, ...] = ("fetched", "not-modified", "robots", "refused", "failed")


@dataclass(frozen=True)
class FetchOptions:
    """How to fetch. Times are in seconds, sizes in bytes.

    ``concurrency`` requests at once in all, ``per_host`` at once to one host, and at least
    ``delay`` between the starts of two requests to one host. ``total_timeout`` bounds one
    attempt (headers and body). ``retries`` more attempts follow a connection error, a 429 or a
    5xx, after ``backoff_base * 2**n`` (at most ``backoff_cap``, with jitter) or the server's
    ``Retry-After``; a ``Retry-After`` longer than ``max_retry_after`` is not waited for. A read
    or total timeout is not retried: the server answers too slowly, and would again.
    ``cache_dir``: the folder of the HTTP cache (``None``: no cache). Requests reach public
    addresses only, unless ``allow_private`` (any address) or the address is in one of the
    ``allow_networks`` (CIDR, e.g. an intranet to audit). ``max_sitemaps`` bounds the sitemaps
    read from sitemap indexes.
    """

    concurrency: int = 16
    per_host: int = 2
    delay: float = 1.0
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    retries: int = 3
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    max_retry_after: float = 120.0
    max_redirects: int = 10
    max_bytes: int = 10 * 1024 * 1024
    user_agent: str = USER_AGENT
    cache_dir: str | None = None
    respect_robots: bool = True
    allow_private: bool = False
    allow_networks: tuple[str, ...] = ()
    max_sitemaps: int = 100

    def __post_init__(self) -> None:
        for name in ("concurrency", "per_host", "max_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in ("delay", "retries", "backoff_base", "max_redirects", "max_sitemaps"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for timeout in ("connect_timeout", "read_timeout", "total_timeout"):
            if getattr(self, timeout) <= 0:
                raise ValueError(f"{timeout} must be more than 0 seconds")
        for network in self.allow_networks:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise ValueError(f"{network!r} is not a network (CIDR, e.g. 10.0.0.0/8)") from None


@dataclass(frozen=True)
class FetchResult:
    """What became of one URL.

    ``status``: ``fetched``; ``not-modified`` (the cache's copy is still current: ``text`` is
    that copy); ``robots`` (robots.txt disallows it); ``refused`` (``reason``: scheme, private
    address, content type, too large, redirect loop or limit); ``failed`` (``reason``: timeout,
    connection error, HTTP status after retries, not a feed …).

    ``final_url`` is where redirects led; ``via`` the feed or sitemap the URL was found in;
    ``headers`` the response headers callers use (``last-modified``, ``etag``,
    ``content-language``, ``x-robots-tag``; names in lower case); ``attempts`` the requests
    sent for it (retries and redirect hops, not robots.txt); ``duplicates`` how many more times
    the URL was given or found (it is fetched and reported once); ``elapsed`` in seconds.
    """

    url: str
    status: FetchStatus
    kind: Kind = "page"
    final_url: str | None = None
    reason: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    text: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    attempts: int = 0
    elapsed: float = 0.0
    via: str | None = None
    duplicates: int = 0

    @property
    def received(self) -> bool:
        """Whether the body is here: fetched, or not modified and taken from the cache."""
        return self.status in ("fetched", "not-modified")
