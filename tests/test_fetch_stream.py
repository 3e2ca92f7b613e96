"""``FetchStream``: results handed over as they are ready, a bounded number of pages held,
and a crawl that stops when its caller does."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from provenance.fetch import FetchStream
from tests.test_fetch import FAST
from tests.webserver import Site, serve

PAGE = "/articles/article-1.html"


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


def fetch_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "provenance-fetch"]


def test_each_result_is_handed_over_with_its_text_and_recorded_without(site: Site) -> None:
    urls = [site.base + PAGE, site.base + "/always-500", site.base + PAGE + "#again"]
    stream = FetchStream(urls, feeds=[site.base + "/feed.rss"], options=FAST)
    received = list(stream)
    by_url = {r.url: r for r in received}
    assert set(by_url) == {
        site.base + PAGE,
        site.base + "/always-500",
        site.base + "/feed.rss",
        site.base + "/articles/article-2.html",
    }
    assert "article number 1" in by_url[site.base + PAGE].text
    # The records: every URL once, in the order given and found, duplicates counted, no text.
    assert [r.url for r in stream.results] == [
        site.base + PAGE,
        site.base + "/always-500",
        site.base + "/feed.rss",
        site.base + "/articles/article-2.html",
    ]
    assert [r.status for r in stream.results] == ["fetched", "failed", "fetched", "fetched"]
    assert stream.results[0].duplicates == 2  # given again with a fragment, and in the feed
    assert all(r.text == "" for r in stream.results)


def test_no_more_pages_are_fetched_than_the_caller_has_room_for(site: Site) -> None:
    urls = [f"{site.base}{PAGE}?{n}" for n in range(12)]
    requested_when_taken = []
    for taken, _ in enumerate(FetchStream(urls, options=FAST, held=3), start=1):
        time.sleep(0.02)  # a slow caller: the crawl must wait for it, not run ahead
        requested_when_taken.append(site.count(PAGE))
        assert site.count(PAGE) <= taken + 3
    assert requested_when_taken[-1] == 12


def test_a_caller_that_stops_early_stops_the_crawl(site: Site) -> None:
    urls = [site.base + PAGE] + [f"{site.base}/slow?{n}" for n in range(6)]
    stream = FetchStream(urls, options=FAST, held=1)
    for result in stream:
        assert result.url == site.base + PAGE  # the fast page comes first, then: stop
        break
    assert fetch_threads() == []
    assert site.count("/slow") <= 1


def test_an_error_in_the_crawl_reaches_the_caller(site: Site) -> None:
    stream = FetchStream([site.base + PAGE], options=FAST, progress=_broken_progress)
    with pytest.raises(RuntimeError, match="progress display failed"):
        list(stream)
    assert fetch_threads() == []


def _broken_progress(done: int, total: int) -> None:
    raise RuntimeError("progress display failed")


def test_a_page_under_way_can_retry_while_the_room_is_full(site: Site) -> None:
    # One slot, one place: the flaky page takes the place, fails once and must get the slot
    # back to retry while the next page waits for the place (not in the slot, or both wait).
    urls = [site.base + "/flaky", *(f"{site.base}{PAGE}?{n}" for n in range(3))]
    options = replace(FAST, concurrency=1, per_host=1)
    received: list[str] = []
    crawl = threading.Thread(
        target=lambda: received.extend(
            r.status for r in FetchStream(urls, options=options, held=1)
        ),
        daemon=True,
    )
    crawl.start()
    crawl.join(timeout=60)
    assert not crawl.is_alive(), "the crawl is stuck"
    assert received == ["fetched"] * 4
    assert site.count("/flaky") == 2
