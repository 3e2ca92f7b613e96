"""Fetch pages, and the pages that feeds and sitemaps list, reporting every URL once.

Every URL given or found ends with one ``FetchResult``, in the order the URLs were given and
then found; feeds and sitemaps have their own results (``kind``). A URL given or found again
(its fragment aside) is not fetched again: its result counts the repeats in ``duplicates``.
Sitemap indexes are followed recursively, up to ``max_sitemaps`` sitemaps they list; the
sitemaps past the limit are reported as refused.

``crawl`` and ``fetch_all`` return every result at the end; ``FetchStream`` hands each result
over as soon as it is ready, so a caller can audit pages while others download, and holds at
most a bounded number of pages' bodies at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from urllib.parse import urldefrag

from ..models import INTERNAL_ERROR
from .client import Fetcher
from .feeds import NotAFeed, feed_urls, sitemap_urls
from .models import FetchOptions, FetchResult, Kind

Progress = Callable[[int, int], None]  # (URLs done, URLs known so far)
# Hands a result over, saying whether it holds a place in the room.
Deliver = Callable[[FetchResult, bool], object]
# A streamed crawl's event loop, its main task and the room for pages not yet taken.
_Running = tuple[asyncio.AbstractEventLoop, "asyncio.Task[None]", "Room"]


async def crawl(
    urls: Iterable[str] = (),
    feeds: Iterable[str] = (),
    sitemaps: Iterable[str] = (),
    options: FetchOptions | None = None,
    progress: Progress | None = None,
    *,
    deliver: Deliver | None = None,
    room: Room | None = None,
) -> list[FetchResult]:
    """Fetch ``urls``, the item links of ``feeds`` and the pages ``sitemaps`` list. With
    ``deliver``, each result is handed to it when ready and kept without its text; ``room``
    is taken before a page's request is sent (``deliver`` is told whether the page took it:
    whoever receives the page then gives it back)."""
    async with Fetcher(options or FetchOptions()) as fetcher:
        run = _Crawl(fetcher, progress, deliver, room)
        inputs: tuple[tuple[Kind, Iterable[str]], ...] = (
            ("page", urls),
            ("feed", feeds),
            ("sitemap", sitemaps),
        )
        async with asyncio.TaskGroup() as group:
            for kind, given in inputs:
                for url in given:
                    run.add(url.strip(), kind, None, group)
        return run.finished()


def fetch_all(
    urls: Iterable[str] = (),
    feeds: Iterable[str] = (),
    sitemaps: Iterable[str] = (),
    options: FetchOptions | None = None,
    progress: Progress | None = None,
) -> list[FetchResult]:
    """``crawl`` for callers that are not asynchronous (the command line)."""
    return asyncio.run(crawl(urls, feeds, sitemaps, options, progress))


class FetchStream:
    """Iterate to receive each URL's result as soon as it is ready (a page's ``text``
    included), in the order they finish; afterwards ``results`` holds every URL's final result
    in the order given and found (``duplicates`` counted), without the pages' text.

    The crawl runs in a thread of its own. No more than ``held`` pages are fetched and not yet
    taken by the iterating caller, so memory stays flat however many pages a crawl lists and
    however slowly the caller works on them.
    """

    def __init__(
        self,
        urls: Iterable[str] = (),
        feeds: Iterable[str] = (),
        sitemaps: Iterable[str] = (),
        options: FetchOptions | None = None,
        progress: Progress | None = None,
        held: int | None = None,
    ) -> None:
        self.options = options or FetchOptions()
        self.inputs = (list(urls), list(feeds), list(sitemaps))
        self.progress = progress
        self.held = held or max(2 * self.options.concurrency, 32)
        self.results: list[FetchResult] = []

    def __iter__(self) -> Iterator[FetchResult]:
        ready: queue.Queue[tuple[FetchResult, bool] | BaseException | None] = queue.Queue()
        running: queue.Queue[_Running] = queue.Queue()

        async def run() -> None:
            room = Room(self.held)
            task = asyncio.current_task()
            assert task is not None
            running.put((asyncio.get_running_loop(), task, room))
            self.results = await crawl(
                *self.inputs,
                self.options,
                self.progress,
                deliver=lambda result, took_room: ready.put((result, took_room)),
                room=room,
            )

        def thread() -> None:
            try:
                asyncio.run(run())
                ready.put(None)
            except BaseException as error:  # handed to the caller, raised there
                ready.put(_first(error))

        worker = threading.Thread(target=thread, name="provenance-fetch", daemon=True)
        worker.start()
        loop, task, room = running.get()
        try:
            while (item := ready.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                result, took_room = item
                yield result
                if took_room:
                    _call_soon(loop, room.give_back)
        finally:  # the caller stopped early (an error, a break): stop the crawl too
            _call_soon(loop, task.cancel)
            worker.join()


def _first(error: BaseException) -> BaseException:
    """The error itself, not the task group's wrapping of it."""
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    return error


def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[[], object]) -> None:
    """Run ``callback`` in the crawl's thread, unless the crawl has already ended."""
    with contextlib.suppress(RuntimeError):  # the loop is closed: the crawl is over
        loop.call_soon_threadsafe(callback)


class Room:
    """Places for pages fetched and not yet used by the stream's caller, who gives each back."""

    def __init__(self, size: int) -> None:
        self.free = size
        self.freed = asyncio.Event()

    def take(self) -> bool:
        if self.free <= 0:
            return False
        self.free -= 1
        return True

    async def available(self) -> None:
        while self.free <= 0:
            self.freed.clear()
            await self.freed.wait()

    def give_back(self) -> None:
        self.free += 1
        self.freed.set()


class _Place:
    """One page's way into the ``Room``: remembers whether it took a place."""

    def __init__(self, room: Room) -> None:
        self.room = room
        self.taken = False

    def take(self) -> bool:
        self.taken = self.room.take()
        return self.taken

    async def available(self) -> None:
        await self.room.available()


class _Crawl:
    def __init__(
        self,
        fetcher: Fetcher,
        progress: Progress | None,
        deliver: Deliver | None = None,
        room: Room | None = None,
    ) -> None:
        self.fetcher = fetcher
        self.progress = progress
        self.deliver = deliver
        self.room = room
        self.results: list[FetchResult | None] = []
        self.slots: dict[str, int] = {}
        self.duplicates: Counter[int] = Counter()
        self.listed_sitemaps = 0
        self.done = 0

    def add(self, url: str, kind: Kind, via: str | None, group: asyncio.TaskGroup) -> None:
        key = urldefrag(url).url
        if key in self.slots:
            self.duplicates[self.slots[key]] += 1
            return
        slot = self.slots[key] = len(self.results)
        self.results.append(None)
        if kind == "sitemap" and via is not None:
            self.listed_sitemaps += 1
            if self.listed_sitemaps > self.fetcher.options.max_sitemaps:
                limit = self.fetcher.options.max_sitemaps
                reason = f"sitemap limit reached ({limit} sitemaps from indexes)"
                self._finish(slot, FetchResult(url, "refused", kind, reason=reason, via=via))
                return
        group.create_task(self._fetch(slot, url, kind, via, group))
        self._report()

    async def _fetch(
        self, slot: int, url: str, kind: Kind, via: str | None, group: asyncio.TaskGroup
    ) -> None:
        place = _Place(self.room) if kind == "page" and self.room else None
        try:
            result = await self.fetcher.fetch(url, kind, place)
            if kind != "page" and result.received:
                result = self._expand(result, group)
        except Exception as error:  # a bug must not hide the other URLs' results
            result = FetchResult(url, "failed", kind, reason=f"{INTERNAL_ERROR}: {error!r}")
        self._finish(slot, replace(result, via=via), bool(place and place.taken))

    def _expand(self, result: FetchResult, group: asyncio.TaskGroup) -> FetchResult:
        base = result.final_url or result.url
        try:
            if result.kind == "feed":
                pages, children = feed_urls(result.text, base), list[str]()
            else:
                pages, children = sitemap_urls(result.text, base)
        except NotAFeed as error:
            return replace(result, status="failed", reason=str(error))
        for page in pages:
            self.add(page, "page", result.url, group)
        for child in children:
            self.add(child, "sitemap", result.url, group)
        return result

    def _finish(self, slot: int, result: FetchResult, took_room: bool = False) -> None:
        if self.deliver:
            self.deliver(result, took_room)
            result = replace(result, text="")  # the caller has it; the record is enough
        self.results[slot] = result
        self.done += 1
        self._report()

    def _report(self) -> None:
        if self.progress:
            self.progress(self.done, len(self.results))

    def finished(self) -> list[FetchResult]:
        results = [result for result in self.results if result is not None]
        return [
            replace(result, duplicates=self.duplicates[slot]) if self.duplicates[slot] else result
            for slot, result in enumerate(results)
        ]
