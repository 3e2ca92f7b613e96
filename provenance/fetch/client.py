"""Fetch one URL politely and safely, and say what became of it (``FetchResult``).

Redirects are followed here, one hop at a time, so that every hop passes the scheme check,
robots.txt and (in the connection layer, ``guard``) the address check. Each request takes a
slot of its host (``per_host``, ``delay`` between starts) and of the whole crawl
(``concurrency``); waits between retries hold no slot.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Protocol
from urllib.parse import urldefrag, urljoin

import httpx

from .cache import CachedResponse, HttpCache
from .content import CorruptData, TooLarge, accepted, decode, gunzip, parse_content_type
from .guard import AddressPolicy, Blocked, GuardedTransport, Unresolvable, check_scheme
from .models import FetchOptions, FetchResult, FetchStatus, Kind
from .robots import Robots

ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
KEPT_HEADERS = ("last-modified", "etag", "content-language", "x-robots-tag")
REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_REDIRECTS = 5  # RFC 9309: follow at least five
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB
# Failures worth another attempt: the connection, not the server's answer, went wrong.
CONNECTION_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.NetworkError,
    httpx.RemoteProtocolError,  # e.g. closed without a response
)


class Place(Protocol):
    """A page's way into a bound on pages fetched and not yet used (``FetchStream``'s)."""

    def take(self) -> bool:
        """Take a place if one is free."""
        ...

    async def available(self) -> None:
        """Return when a place may be free."""
        ...


class Outcome(Exception):
    """Ends a URL's fetch with a status other than ``fetched``."""

    def __init__(self, status: FetchStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class _Trace:
    """What is known so far about one URL's fetch, for its result however it ends."""

    requested: str
    url: str = ""
    attempts: int = 0
    http_status: int | None = None
    content_type: str | None = None
    place: Place | None = None  # taken by the first request, then None


@dataclass(frozen=True)
class _Reply:
    status: int
    headers: httpx.Headers
    body: bytes = b""


@dataclass
class _Host:
    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


class Fetcher:
    """Fetches URLs with one connection pool, robots.txt cache and HTTP cache; use it as an
    async context manager."""

    def __init__(self, options: FetchOptions) -> None:
        self.options = options
        policy = AddressPolicy(options.allow_private, options.allow_networks)
        self.client = httpx.AsyncClient(
            transport=GuardedTransport(policy, options.concurrency),
            timeout=httpx.Timeout(
                connect=options.connect_timeout,
                read=options.read_timeout,
                write=options.read_timeout,
                pool=None,  # waiting for a free connection is not the server's fault
            ),
            headers={"User-Agent": options.user_agent, "Accept": ACCEPT},
            follow_redirects=False,
            trust_env=False,
        )
        self.cache = HttpCache(options.cache_dir) if options.cache_dir else None
        self.robots = Robots(options.user_agent, self._fetch_robots)
        self._slots = asyncio.Semaphore(options.concurrency)
        self._hosts: dict[str, _Host] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.client.aclose()
        if self.cache:
            self.cache.close()

    async def fetch(self, url: str, kind: Kind = "page", place: Place | None = None) -> FetchResult:
        """Fetch ``url``. With ``place``, its first request takes the place when the host is
        ready to send it (a URL refused or disallowed before any request takes none)."""
        started = time.monotonic()
        trace = _Trace(url, url, place=place)
        try:
            reply, cached = await self._follow(trace, kind)
            status, body, headers = self._body(trace, reply, cached)
            if kind == "sitemap":
                body = gunzip(body, self.options.max_bytes)
            text = decode(body, parse_content_type(trace.content_type)[1])
        except Outcome as outcome:
            return self._result(trace, kind, started, outcome.status, outcome.reason)
        except Blocked as blocked:
            return self._result(trace, kind, started, "refused", str(blocked))
        except TooLarge as error:
            return self._result(trace, kind, started, "refused", f"too large: {error}")
        except CorruptData as error:
            return self._result(trace, kind, started, "failed", str(error))
        return self._result(trace, kind, started, status, None, text, headers)

    def _body(
        self, trace: _Trace, reply: _Reply, cached: CachedResponse | None
    ) -> tuple[FetchStatus, bytes, dict[str, str]]:
        """The body to read: the reply's (kept in the cache), or the cache's after a 304."""
        if reply.status == 304:
            if not cached:
                raise Outcome("failed", "HTTP 304 to a request that had no condition")
            trace.content_type = cached.content_type
            return "not-modified", cached.body, cached.headers
        headers = {name: value for name in KEPT_HEADERS if (value := reply.headers.get(name))}
        if self.cache and reply.status == 200:
            etag, last_modified = reply.headers.get("etag"), reply.headers.get("last-modified")
            self.cache.put(
                CachedResponse(
                    trace.url, etag, last_modified, trace.content_type, reply.body, headers
                )
            )
        return "fetched", reply.body, headers

    def _result(
        self,
        trace: _Trace,
        kind: Kind,
        started: float,
        status: FetchStatus,
        reason: str | None,
        text: str = "",
        headers: dict[str, str] | None = None,
    ) -> FetchResult:
        return FetchResult(
            url=trace.requested,
            status=status,
            kind=kind,
            final_url=trace.url,
            reason=reason,
            http_status=trace.http_status,
            content_type=trace.content_type,
            text=text,
            headers=headers or {},
            attempts=trace.attempts,
            elapsed=time.monotonic() - started,
        )

    async def _follow(
        self, trace: _Trace, kind: Kind | None, redirects: int | None = None
    ) -> tuple[_Reply, CachedResponse | None]:
        """Request ``trace.url`` and the URLs it redirects to; ``kind`` ``None`` is robots.txt."""
        limit = self.options.max_redirects if redirects is None else redirects
        seen: set[str] = set()
        while True:
            try:
                check_scheme(httpx.URL(trace.url).scheme)
            except httpx.InvalidURL as error:
                raise Outcome("refused", f"invalid URL: {error}") from error
            if kind and self.options.respect_robots:
                refusal = await self.robots.refusal(trace.url)
                if refusal:
                    raise Outcome("robots", refusal)
            cached = self.cache.get(trace.url) if self.cache and kind else None
            reply = await self._request(trace, kind, cached)
            if reply.status not in REDIRECTS:
                return reply, cached
            location = reply.headers.get("location")
            if not location:
                raise Outcome("failed", f"HTTP {reply.status} without a Location")
            seen.add(trace.url)
            trace.url = urldefrag(urljoin(trace.url, location.strip())).url
            if trace.url in seen:
                raise Outcome("refused", f"redirect loop at {trace.url}")
            if len(seen) > limit:
                raise Outcome("refused", f"more than {limit} redirects")

    async def _request(
        self, trace: _Trace, kind: Kind | None, cached: CachedResponse | None
    ) -> _Reply:
        """One hop, retried after connection errors, 429 and 5xx."""
        headers = cached.conditions() if cached else {}
        for attempt in range(1, self.options.retries + 2):
            trace.attempts += 1
            try:
                async with self._turn(trace):
                    async with asyncio.timeout(self.options.total_timeout):
                        wait_or_reply = await self._attempt(trace, kind, headers, attempt)
            except Unresolvable as error:
                raise Outcome("failed", str(error)) from error
            except CONNECTION_ERRORS as error:
                if attempt > self.options.retries:
                    raise Outcome("failed", f"connection error: {_describe(error)}") from error
                wait_or_reply = self._backoff(attempt)
            except httpx.TimeoutException as error:  # slow, not unreachable: not retried
                raise Outcome("failed", f"timeout: {_timeout(error, self.options)}") from error
            except TimeoutError as error:
                limit = self.options.total_timeout
                raise Outcome("failed", f"timeout: not done within {limit:g} s") from error
            if isinstance(wait_or_reply, _Reply):
                return wait_or_reply
            await asyncio.sleep(wait_or_reply)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _attempt(
        self, trace: _Trace, kind: Kind | None, headers: dict[str, str], attempt: int
    ) -> _Reply | float:
        """Send the request: a reply, or how long to wait before trying again."""
        async with self.client.stream("GET", trace.url, headers=headers) as response:
            status = trace.http_status = response.status_code
            if status == 429 or status >= 500:
                if attempt > self.options.retries:
                    raise Outcome("failed", f"HTTP {status} after {attempt} attempts")
                return self._retry_wait(response.headers.get("retry-after"), status, attempt)
            if status >= 400:
                raise Outcome("failed", f"HTTP {status}")
            if status in REDIRECTS or status == 304 or status < 200:
                return _Reply(status, response.headers)
            trace.content_type = response.headers.get("content-type")
            media_type = parse_content_type(trace.content_type)[0]
            if kind and not accepted(media_type, kind):
                raise Outcome("refused", f"content type {media_type or 'missing'}")
            limit = self.options.max_bytes if kind else ROBOTS_MAX_BYTES
            return _Reply(status, response.headers, await _read(response, limit))

    @asynccontextmanager
    async def _turn(self, trace: _Trace) -> AsyncIterator[None]:
        """The slots for ``trace``'s next request; its first also takes its place, once the
        host is ready (pages queued behind a busy host hold none), waiting for it holding no
        slot (a page already under way may need one to retry or follow a redirect)."""
        while True:
            async with self._slot(trace.url):
                if trace.place is None or trace.place.take():
                    trace.place = None
                    yield
                    return
            await trace.place.available()

    @asynccontextmanager
    async def _slot(self, url: str) -> AsyncIterator[None]:
        host = httpx.URL(url).netloc.decode("ascii")
        state = self._hosts.setdefault(host, _Host(asyncio.Semaphore(self.options.per_host)))
        async with state.slots:
            async with state.lock:
                now = time.monotonic()
                if state.next_start > now:
                    await asyncio.sleep(state.next_start - now)
                delay = max(self.options.delay, self.robots.crawl_delay(url))
                state.next_start = max(now, state.next_start) + delay
            async with self._slots:
                yield

    def _backoff(self, attempt: int) -> float:
        """Exponential, with jitter so that clients failed together do not retry together."""
        ceiling = min(self.options.backoff_cap, self.options.backoff_base * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)

    def _retry_wait(self, retry_after: str | None, status: int, attempt: int) -> float:
        wait = self._backoff(attempt)
        if retry_after is None:
            return wait
        asked = retry_after_seconds(retry_after)
        if asked is not None and asked > self.options.max_retry_after:
            raise Outcome(
                "failed",
                f"HTTP {status}, Retry-After {asked:.0f} s is longer than "
                f"{self.options.max_retry_after:.0f} s",
            )
        return max(wait, asked or 0.0)

    async def _fetch_robots(self, robots_url: str) -> tuple[int | None, str]:
        """A site's robots.txt: its status (``None``: unreachable) and text."""
        trace = _Trace(robots_url, robots_url)
        try:
            reply, _ = await self._follow(trace, None, ROBOTS_REDIRECTS)
        except Outcome as outcome:
            if outcome.status == "refused":  # not text, too large, redirects: no rules
                return 404, ""
            answered = trace.http_status is not None and trace.http_status >= 400
            return (trace.http_status if answered else None), ""
        if reply.status != 200:
            return reply.status, ""
        return 200, decode(reply.body, parse_content_type(reply.headers.get("content-type"))[1])


async def _read(response: httpx.Response, limit: int) -> bytes:
    """The body, read until it passes ``limit`` bytes (then refused, unread)."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise Outcome("refused", f"too large: {length} bytes (limit {limit})")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():  # decompressed: the limit is on the content
        size += len(chunk)
        if size > limit:
            raise Outcome("refused", f"too large: more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after_seconds(retry_after: str) -> float | None:
    """A ``Retry-After`` value (seconds, or an HTTP date) in seconds from now."""
    value = retry_after.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _timeout(error: httpx.TimeoutException, options: FetchOptions) -> str:
    if isinstance(error, httpx.ReadTimeout):
        return f"no data for {options.read_timeout:g} s"
    return _describe(error)


def _describe(error: Exception) -> str:
    return str(error) or type(error).__name__
