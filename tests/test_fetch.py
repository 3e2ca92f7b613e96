"""The fetcher against a real HTTP server on 127.0.0.1 (``tests/webserver.py``)."""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from provenance.fetch import FetchOptions, FetchResult, fetch_all
from provenance.fetch.client import retry_after_seconds
from provenance.fetch.crawl import crawl
from provenance.fetch.robots import MAX_CRAWL_DELAY, Robots
from tests.webserver import ETAG, HUGE, Site, serve

# Loopback is where the test server is, hence allow_private; short waits keep the tests fast.
FAST = FetchOptions(
    delay=0,
    connect_timeout=1,
    read_timeout=0.3,
    total_timeout=5,
    retries=2,
    backoff_base=0.01,
    backoff_cap=0.05,
    max_bytes=256 * 1024,
    allow_private=True,
)


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


def fetch(site: Site, path: str, **options: object) -> FetchResult:
    results = fetch_all([site.base + path], options=replace(FAST, **options))  # type: ignore[arg-type]
    assert len(results) == 1
    return results[0]


def by_url(results: list[FetchResult], site: Site) -> dict[str, FetchResult]:
    return {r.url.removeprefix(site.base): r for r in results}


def test_a_page_is_fetched_with_its_text_and_headers(site: Site) -> None:
    result = fetch(site, "/articles/article-1.html")
    assert result.status == "fetched"
    assert result.reason is None
    assert result.url == result.final_url == site.base + "/articles/article-1.html"
    assert (result.http_status, result.kind, result.attempts) == (200, "page", 1)
    assert result.content_type == "text/html; charset=utf-8"
    assert "This is article number 1 on the test site. It has a paragraph of text — with" in (
        result.text
    )


def test_requests_carry_the_user_agent(site: Site) -> None:
    fetch(site, "/articles/article-1.html")
    fetch(site, "/articles/article-1.html", user_agent="audit-bot/2")
    agents = [r.headers["user-agent"] for r in site.requests if r.path.startswith("/articles")]
    assert agents[0].startswith("provenance/0.") and "(republication audit)" in agents[0]
    assert agents[1] == "audit-bot/2"


def test_redirects_are_followed(site: Site) -> None:
    result = fetch(site, "/moved")
    assert result.status == "fetched"
    assert result.url == site.base + "/moved"
    assert result.final_url == site.base + "/articles/article-1.html"
    assert result.attempts == 2  # one request per hop


def test_a_redirect_loop_is_refused(site: Site) -> None:
    result = fetch(site, "/loop-a")
    assert (result.status, result.reason) == ("refused", f"redirect loop at {site.base}/loop-a")


def test_redirects_past_the_limit_are_refused(site: Site) -> None:
    result = fetch(site, "/chain/0", max_redirects=3)
    assert (result.status, result.reason) == ("refused", "more than 3 redirects")
    assert site.paths().count("/chain/4") == 0
    assert [p for p in site.paths() if p.startswith("/chain")] == [f"/chain/{n}" for n in range(4)]


def test_a_redirect_to_another_scheme_is_refused(site: Site) -> None:
    result = fetch(site, "/to-file")
    assert result.status == "refused"
    assert result.reason == "scheme 'file' not allowed (only http and https)"
    assert result.final_url == "file:///etc/passwd"


def test_urls_that_are_not_http_are_refused_without_a_request(site: Site) -> None:
    results = fetch_all(["ftp://127.0.0.1/file.txt", "not a URL"], options=FAST)
    assert [r.status for r in results] == ["refused", "refused"]
    assert results[0].reason == "scheme 'ftp' not allowed (only http and https)"
    assert site.requests == []


def test_robots_txt_is_read_once_and_honoured(site: Site) -> None:
    paths = ["/private/secret.html", "/articles/article-1.html", "/articles/article-2.html"]
    results = by_url(fetch_all([site.base + p for p in paths], options=FAST), site)
    assert results["/private/secret.html"].status == "robots"
    assert results["/private/secret.html"].reason == "disallowed by robots.txt"
    assert results["/articles/article-2.html"].status == "fetched"
    assert site.count("/robots.txt") == 1
    assert "/private/secret.html" not in site.paths()


def test_robots_txt_is_honoured_after_a_redirect(site: Site) -> None:
    result = fetch(site, "/to-disallowed")
    assert (result.status, result.final_url) == ("robots", site.base + "/private/secret.html")
    assert "/private/secret.html" not in site.paths()


def test_robots_txt_can_be_ignored(site: Site) -> None:
    result = fetch(site, "/private/secret.html", respect_robots=False)
    assert (result.status, result.reason, result.http_status) == ("failed", "HTTP 404", 404)
    assert result.attempts == 1  # a 404 is not retried
    assert "/robots.txt" not in site.paths()


def test_a_missing_robots_txt_allows_everything(site: Site) -> None:
    site.robots_status = 404
    assert fetch(site, "/articles/article-1.html").status == "fetched"


def test_a_failing_robots_txt_disallows_everything(site: Site) -> None:
    site.robots_status = 503
    result = fetch(site, "/articles/article-1.html")
    assert result.status == "robots"
    assert "/articles/article-1.html" not in site.paths()


def test_a_5xx_is_retried(site: Site) -> None:
    result = fetch(site, "/flaky")
    assert (result.status, result.attempts) == ("fetched", 2)
    assert "second time lucky" in result.text


def test_a_persistent_5xx_fails_after_every_attempt(site: Site) -> None:
    result = fetch(site, "/always-500", retries=2)
    assert (result.status, result.http_status) == ("failed", 500)
    assert result.reason == "HTTP 500 after 3 attempts"
    assert (result.attempts, site.count("/always-500")) == (3, 3)


def test_retry_after_is_honoured(site: Site) -> None:
    result = fetch(site, "/throttled")
    assert (result.status, result.attempts) == ("fetched", 2)
    assert result.elapsed >= 0.99  # Retry-After: 1


def test_a_retry_after_beyond_the_limit_is_not_waited_for(site: Site) -> None:
    result = fetch(site, "/throttled", max_retry_after=0.5)
    assert result.status == "failed"
    assert result.reason == "HTTP 429, Retry-After 1 s is longer than 0 s"
    assert result.attempts == 1


def test_a_slow_response_times_out(site: Site) -> None:
    result = fetch(site, "/slow")
    assert result.status == "failed"
    assert result.reason is not None and result.reason.startswith("timeout")
    assert result.attempts == 1


def test_a_connection_reset_is_retried_then_fails(site: Site) -> None:
    result = fetch(site, "/reset")
    assert result.status == "failed"
    assert result.reason is not None and result.reason.startswith("connection error")
    assert (result.attempts, site.count("/reset")) == (3, 3)


def test_a_body_past_the_limit_is_aborted_while_streaming(site: Site) -> None:
    result = fetch(site, "/huge", max_bytes=100_000)
    assert (result.status, result.reason) == ("refused", "too large: more than 100000 bytes")
    assert result.text == ""
    assert site.huge_sent < HUGE  # the client hung up long before the end


def test_a_declared_length_past_the_limit_is_refused_unread(site: Site) -> None:
    result = fetch(site, "/declared-huge")
    assert result.status == "refused"
    assert result.reason == f"too large: {HUGE} bytes (limit {256 * 1024})"


def test_other_content_types_are_refused(site: Site) -> None:
    result = fetch(site, "/image.png")
    assert (result.status, result.reason) == ("refused", "content type image/png")
    assert result.content_type == "image/png"


def test_text_is_decoded_by_the_header_charset(site: Site) -> None:
    result = fetch(site, "/pages/latin-1.html")
    assert "Café crème à la française." in result.text


def test_text_is_decoded_by_the_meta_charset(site: Site) -> None:
    result = fetch(site, "/pages/windows-1251.html")
    assert "Новости дня." in result.text


def test_the_cache_revalidates_with_the_etag(site: Site, tmp_path: Path) -> None:
    options = replace(FAST, cache_dir=str(tmp_path / "cache"))
    first = fetch_all([site.base + "/etag.html"], options=options)[0]
    second = fetch_all([site.base + "/etag.html"], options=options)[0]
    assert (first.status, second.status) == ("fetched", "not-modified")
    assert second.http_status == 304
    assert second.text == first.text and "cached article" in second.text
    assert second.headers == first.headers
    assert second.headers["etag"] == ETAG
    assert second.headers["last-modified"] == "Wed, 01 May 2024 10:00:00 GMT"
    requests = [r for r in site.requests if r.path == "/etag.html"]
    assert "if-none-match" not in requests[0].headers
    assert requests[1].headers["if-none-match"] == ETAG


@pytest.mark.parametrize(
    "damage",
    [b"not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
)
def test_a_damaged_cache_is_moved_aside_and_started_again(
    site: Site, tmp_path: Path, damage: bytes
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "http-cache.sqlite").write_bytes(damage)
    options = replace(FAST, cache_dir=str(cache))
    first = fetch_all([site.base + "/etag.html"], options=options)[0]
    second = fetch_all([site.base + "/etag.html"], options=options)[0]
    assert (first.status, second.status) == ("fetched", "not-modified")
    assert (cache / "http-cache.sqlite.corrupt").read_bytes() == damage


def test_without_a_cache_nothing_is_revalidated(site: Site) -> None:
    fetch(site, "/etag.html")
    assert fetch(site, "/etag.html").status == "fetched"


def test_duplicates_are_fetched_once_and_counted(site: Site) -> None:
    page = site.base + "/articles/article-1.html"
    results = fetch_all([page, page + "#comments", site.base + "/flaky", page], options=FAST)
    assert [(r.url, r.duplicates) for r in results] == [(page, 2), (site.base + "/flaky", 0)]
    assert site.count("/articles/article-1.html") == 1


def test_feeds_are_expanded_into_their_items(site: Site) -> None:
    feeds = [site.base + "/feed.rss", site.base + "/feed.atom"]
    results = by_url(fetch_all(feeds=feeds, options=FAST), site)
    assert list(results)[:2] == ["/feed.rss", "/feed.atom"]  # then the items, as found
    assert set(results) == {"/feed.rss", "/feed.atom"} | {
        f"/articles/article-{n}.html" for n in (1, 2, 3)
    }
    assert {r.status for r in results.values()} == {"fetched"}
    assert results["/feed.rss"].kind == "feed"
    assert results["/articles/article-2.html"].via == site.base + "/feed.rss"
    assert results["/articles/article-3.html"].via == site.base + "/feed.atom"
    assert results["/articles/article-1.html"].duplicates == 1  # in both feeds
    assert site.count("/articles/article-1.html") == 1


def test_a_page_that_is_not_a_feed_fails_as_a_feed(site: Site) -> None:
    result = fetch_all(feeds=[site.base + "/articles/article-1.html"], options=FAST)[0]
    assert (result.status, result.kind) == ("failed", "feed")
    assert result.reason == "not an RSS or Atom feed (not XML)"


def test_sitemap_indexes_are_followed_into_gzipped_sitemaps(site: Site) -> None:
    results = by_url(fetch_all(sitemaps=[site.base + "/sitemap-index.xml"], options=FAST), site)
    assert set(results) == {
        "/sitemap-index.xml",
        "/sitemap-articles.xml.gz",
        "/sitemap-more.xml",
        "/articles/article-4.html",
        "/articles/article-5.html",
        "/articles/article-1.html",
    }
    assert {r.status for r in results.values()} == {"fetched"}
    assert results["/sitemap-articles.xml.gz"].kind == "sitemap"
    assert results["/sitemap-articles.xml.gz"].via == site.base + "/sitemap-index.xml"
    assert results["/articles/article-4.html"].via == site.base + "/sitemap-articles.xml.gz"


def test_sitemaps_past_the_limit_are_refused(site: Site) -> None:
    options = replace(FAST, max_sitemaps=1)
    results = by_url(fetch_all(sitemaps=[site.base + "/sitemap-index.xml"], options=options), site)
    refused = [r for r in results.values() if r.status == "refused"]
    assert len(refused) == 1 and refused[0].kind == "sitemap"
    assert refused[0].reason == "sitemap limit reached (1 sitemaps from indexes)"
    assert site.count(refused[0].url.removeprefix(site.base)) == 0


def test_every_url_is_reported_whatever_happens(site: Site) -> None:
    paths = ["/articles/article-1.html", "/private/x", "/always-500", "/image.png", "/loop-a"]
    results = fetch_all([site.base + p for p in paths], options=FAST)
    assert [r.url for r in results] == [site.base + p for p in paths]
    assert [r.status for r in results] == ["fetched", "robots", "failed", "refused", "refused"]


def test_progress_is_reported_until_every_url_is_done(site: Site) -> None:
    calls: list[tuple[int, int]] = []
    asyncio.run(
        crawl(
            [site.base + "/articles/article-1.html"],
            feeds=[site.base + "/feed.rss"],
            options=FAST,
            progress=lambda done, total: calls.append((done, total)),
        )
    )
    assert calls[-1] == (3, 3)  # the page, the feed and its other item
    assert all(done <= total for done, total in calls)


def test_requests_to_one_host_are_spaced_by_the_delay(site: Site) -> None:
    fetch_all([f"{site.base}/pause?{n}" for n in range(3)], options=replace(FAST, delay=0.15))
    arrivals = [r.at for r in site.requests]  # robots.txt, then the three pages
    assert len(arrivals) == 4
    assert all(later - earlier >= 0.12 for earlier, later in itertools.pairwise(arrivals))


def test_a_sites_crawl_delay_spaces_its_requests(site: Site) -> None:
    site.robots_text = "User-agent: *\nCrawl-delay: 0.2\nDisallow: /private/\n"
    fetch_all([f"{site.base}/pause?{n}" for n in range(3)], options=FAST)  # FAST: no delay
    arrivals = [r.at for r in site.requests][1:]  # the pages, after robots.txt
    assert len(arrivals) == 3
    assert all(later - earlier >= 0.17 for earlier, later in itertools.pairwise(arrivals))


def test_a_crawl_delay_is_honoured_up_to_a_limit() -> None:
    async def served(url: str) -> tuple[int, str]:
        return 200, "User-agent: *\nCrawl-delay: 86400\n"

    async def delay() -> float:
        robots = Robots("provenance", served)
        assert await robots.refusal("https://example.org/a") is None
        return robots.crawl_delay("https://example.org/b")

    assert asyncio.run(delay()) == MAX_CRAWL_DELAY


@pytest.mark.parametrize(("concurrency", "per_host"), [(10, 2), (1, 4)])
def test_requests_at_once_stay_within_the_limits(
    site: Site, concurrency: int, per_host: int
) -> None:
    options = replace(FAST, concurrency=concurrency, per_host=per_host)
    results = fetch_all([f"{site.base}/pause?{n}" for n in range(4)], options=options)
    assert {r.status for r in results} == {"fetched"}
    assert site.most_in_flight <= min(concurrency, per_host)


def test_a_response_that_never_ends_times_out(site: Site) -> None:
    result = fetch(site, "/drip", total_timeout=0.5)
    assert (result.status, result.reason) == ("failed", "timeout: not done within 0.5 s")


def test_compressed_responses_are_decoded(site: Site) -> None:
    result = fetch(site, "/compressed")
    assert "Compressed café" in result.text
    assert "gzip" in site.requests[-1].headers["accept-encoding"]


def test_brotli_is_accepted_when_installed(site: Site) -> None:
    pytest.importorskip("brotli")
    result = fetch(site, "/compressed")
    assert "br" in site.requests[-1].headers["accept-encoding"]
    assert "Compressed café" in result.text


def test_retry_after_is_read_as_seconds_or_a_date() -> None:
    assert retry_after_seconds("7") == 7.0
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 55 <= (retry_after_seconds(in_a_minute) or 0) <= 60
    assert retry_after_seconds(email.utils.formatdate(time.time() - 60, usegmt=True)) == 0.0
    assert retry_after_seconds("soon") is None
