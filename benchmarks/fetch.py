"""Fetch benchmark: a crawl of 1,000 pages, 10 % of them misbehaving, audited as it downloads.

Local HTTP servers (the standard library's ``ThreadingHTTPServer`` on several free ports of
127.0.0.1, each port a host of its own for the per-host limits) serve a ``robots.txt`` and
article pages of about 50 KB, as a news site's are: inline CSS, an advertising configuration,
JSON-LD, section menus, then an article of a few hundred words, related links, a newsletter box
and a footer. Every response comes after a fixed service latency. The text is generated from
the seed; a fifth of the pages copy one of five source articles, indexed beforehand, so that
the audit really matches. A tenth of the pages misbehave, each in a way whose outcome is known
in advance: too slow (past the read timeout), HTTP 500 once, HTTP 500 always, 429 with
``Retry-After: 1`` once, a connection reset at every attempt, a body over ``max_bytes`` with no
``Content-Length``, a redirect loop, a redirect to 127.0.0.2 (outside the one network the
options allow: the SSRF guard refuses it before connecting, and nothing listens there), an
image, a 404, and a path robots.txt disallows. The servers run in a child process, so that the
time and memory measured are the auditing process's alone.

The crawl and the audit are the library's: ``engine.audit([], index, packs,
pages=FetchStream(urls, options=...))``, without an HTTP cache, the URLs in a shuffled order
(``--order``). Three targets, each with its verdict:

* Every URL accounted for: one result per URL given (none missing, none twice, none extra), one
  document per page, and each misbehaving URL ending with the status expected of it. The
  requests each kind of URL needs (retries, redirect hops) are checked against the attempts the
  crawl reports and the requests the servers received.
* Time within 1.5x of what the limits allow. The ideal is a lower bound on any schedule that
  obeys the options, from the requests each URL needs and their service times (the latency; a
  slow page holds its slots for the read timeout). Per host, robots.txt comes first, then its
  page requests start at least ``delay`` apart (latency + (n - 1) x delay + latency) and each
  holds one of ``per_host`` slots (latency + sum of service / per_host); in all, each holds one
  of ``concurrency`` slots (latency + sum of service / concurrency); and one URL's requests
  follow one another with the waits between them, which hold no slot (the backoff's mean, or
  the 1 s Retry-After). The ideal is the largest of these bounds, a schedule that achieves it
  would have no gap anywhere. The audit (extraction, matching, rules) runs in the calling
  thread while the crawl runs in another, and they share the interpreter lock: if the audit
  alone needs more time than the limits allow, the run measures the CPU, not the crawl. So its
  cost alone is measured too, on pages held in memory, and the default latency (0.6 s, a
  dynamic page's) is chosen to keep the fetch the bottleneck.
* Memory flat: the process's resident size (VmRSS) as the audit takes its 100th, 200th … page.
  Its growth from the 200th page to the last, per page, must stay within what the audit keeps
  of each page by design (the document's result, its extracted text included, and the URL's
  record, measured) plus a tenth of a page: holding the pages' bodies would cost their size.

    python benchmarks/fetch.py
    python benchmarks/fetch.py --pages 400 --order grouped
    python benchmarks/fetch.py --hosts 32 --latency 0.3 --delay 0.2 --seed 7

Prints Markdown tables (recorded in benchmarks/README.md); exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import multiprocessing.connection
import random
import resource
import socket
import statistics
import struct
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from provenance.candidates import Matcher
from provenance.engine import audit, audit_page
from provenance.fetch import FetchOptions, FetchResult, FetchStatus, FetchStream
from provenance.index import open_index
from provenance.indexing import update_index
from provenance.models import AuditResult, DocumentResult
from provenance.rules import Policy, builtin_packs

SEED = 2026
SOURCES = 5
ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"
RETRY_AFTER = 1  # seconds, what a 429 asks for

# ----------------------------------------------------------------------------- the pages


@dataclass(frozen=True)
class Kind:
    """A kind of page: the path it is served under, the status its URL must end with, and
    what the server does."""

    name: str
    section: str
    expected: FetchStatus
    does: str


NORMAL = Kind("article", "news", "fetched", "answers 200 with the page after the latency")
FAULTS = (
    Kind("slow", "slow", "failed", "answers 0.5 s after the read timeout"),
    Kind("500 once", "flaky", "fetched", "answers 500, then 200 (retried after the backoff)"),
    Kind("500 always", "broken", "failed", "answers 500 to every attempt"),
    Kind("429 once", "throttled", "fetched", "answers 429 Retry-After: 1, then 200"),
    Kind("reset", "reset", "failed", "resets the connection, no response, every attempt"),
    Kind("too large", "large", "refused", "streams 4x max_bytes, no Content-Length"),
    Kind("redirect loop", "loop", "refused", "redirects A -> B -> A"),
    Kind("redirect to 127.0.0.2", "away", "refused", "redirects outside the allowed network"),
    Kind("image", "image", "refused", "answers 200 image/png"),
    Kind("404", "missing", "failed", "answers 404"),
    Kind("robots.txt", "private", "robots", "is disallowed by robots.txt (never requested)"),
)
KINDS = {kind.section: kind for kind in (NORMAL, *FAULTS)}

VOCABULARY = """
the a of to and in that for on with as by at from about after before over under between
city council river market school hospital village farmers workers students teachers doctors
police court minister government company factory bridge road railway harbour museum library
water power energy grain wheat coffee copper steel timber fish cattle wool cotton salt oil gas
morning evening winter summer spring autumn week month year decade season night weekend
said told reported announced agreed warned expected promised denied confirmed estimated
built opened closed raised cut moved carried planted repaired measured counted delivered
new old small large local national regional northern southern eastern western public private
first second third last next early late long short high low quiet busy rural urban
price prices cost costs budget plan plans project report survey study figures record rate
people families children residents volunteers officials engineers drivers nurses owners
flood drought storm fire harvest strike election festival exhibition contract loan grant
mayor director spokesman chairman manager inspector researcher historian founder
because although while since when where until unless whether
more most less fewer many several few some every each other another both
new-built hand-made long-term two-year cross-border
"""
NAMES = """Anna Marek Lena Tomas Irina Pavel Sofia David Elena Jonas Maria Viktor
Novak Horvat Petrenko Kowalski Ivanova Berg Lindqvist Moreau Costa Weber"""
WORDS = VOCABULARY.split()
FIRST_NAMES, LAST_NAMES = (line.split() for line in NAMES.splitlines())


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(9, 22))
    if rng.random() < 0.3:
        words[rng.randrange(2, len(words) - 1)] += ","
    text = " ".join(words)
    if rng.random() < 0.15:
        who = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        return f'"{text[0].upper()}{text[1:]}," said {who}.'
    return f"{text[0].upper()}{text[1:]}."


def _title(rng: random.Random) -> str:
    return " ".join(word.capitalize() for word in rng.choices(WORDS, k=rng.randint(5, 9)))


@dataclass(frozen=True)
class Article:
    title: str
    author: str
    date: str
    paragraphs: tuple[str, ...]


def article(seed: str) -> Article:
    """An article of a few hundred words, the same for the same seed."""
    rng = random.Random(seed)
    paragraphs = tuple(
        " ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(6, 9))
    )
    author = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    date = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return Article(_title(rng), author, date, paragraphs)


@dataclass(frozen=True)
class Page:
    number: int
    host: int
    kind: Kind
    source: int | None  # the source article it copies, if any

    @property
    def path(self) -> str:
        suffix = "png" if self.kind.section == "image" else "html"
        return f"/{self.kind.section}/{self.number:04d}.{suffix}"


@dataclass(frozen=True)
class Plan:
    """Every page, deterministic from the seed: which host serves it, how it behaves, what it
    copies."""

    seed: int
    hosts: int
    latency: float
    read_timeout: float
    max_bytes: int
    pages: tuple[Page, ...]

    @staticmethod
    def make(
        seed: int,
        pages: int,
        hosts: int,
        misbehaving: float,
        copies: float,
        latency: float,
        read_timeout: float,
        max_bytes: int,
    ) -> Plan:
        rng = random.Random(seed)
        numbers = list(range(pages))
        faulty = rng.sample(numbers, round(pages * misbehaving))
        kind_of = {number: FAULTS[n % len(FAULTS)] for n, number in enumerate(faulty)}
        copying = set(rng.sample(numbers, round(pages * copies)))
        made = tuple(
            Page(
                n,
                n % hosts,
                kind_of.get(n, NORMAL),
                rng.randrange(SOURCES) if n in copying else None,
            )
            for n in numbers
        )
        return Plan(seed, hosts, latency, read_timeout, max_bytes, made)

    def source(self, number: int) -> Article:
        return article(f"{self.seed}-source-{number}")

    def html(self, page: Page, site: str) -> str:
        """The page as the server sends it."""
        own = article(f"{self.seed}-page-{page.number}")
        text = own if page.source is None else self.source(page.source)
        rng = random.Random(f"{self.seed}-links-{page.number}")
        related = "\n".join(
            f'<li><a href="/news/{rng.randrange(len(self.pages)):04d}.html">{_title(rng)}</a></li>'
            for _ in range(4)
        )
        body = "\n".join(f"<p>{paragraph}</p>" for paragraph in text.paragraphs)
        credit = (
            "<p><em>This story was originally published by Radio Free Europe/Radio Liberty."
            "</em></p>"
            if page.source is not None and page.number % 2
            else ""
        )
        return PAGE_TEMPLATE.format(
            site=site,
            path=page.path,
            title=text.title,
            lede=text.paragraphs[0][:150],
            author=own.author,
            date=own.date,
            body=body,
            credit=credit,
            related=related,
            style=STYLE,
            config=CONFIG,
            menu=MENU,
        )


# What a news site's every page carries besides the article (most of its bytes): inline CSS, an
# advertising and analytics configuration, and a menu of its sections, in masthead and footer.
STYLE = "\n".join(
    f".block-{n} {{ margin: {n % 7}px {n % 5}px; padding: {n % 3}em; "
    f"color: #{n * 2654435761 % 0xFFFFFF:06x}; font-size: {12 + n % 9}px; }}"
    for n in range(250)
)
CONFIG = json.dumps(
    {
        "ads": [
            {
                "slot": f"/2207/news/article/slot-{n}",
                "sizes": [[300, 250], [728, 90], [970, 250]],
                "targeting": {"pos": n, "section": "news", "test": n % 2 == 0},
                "refresh": 30 + n,
            }
            for n in range(100)
        ],
        "analytics": {"id": "UA-000000-1", "events": [f"scroll-{n}" for n in range(40)]},
    }
)
SECTIONS = ("News", "World", "Business", "Culture", "Sport", "Opinion", "Science", "Travel")
MENU = "\n".join(
    f'<ul class="menu"><li><a href="/{name.lower()}/">{name}</a></li>'
    + "".join(
        f'<li><a href="/{name.lower()}/{topic}/">{topic.capitalize()}</a></li>'
        for topic in WORDS[20 + 12 * n : 32 + 12 * n]
    )
    + "</ul>"
    for n, name in enumerate(SECTIONS)
)

PAGE_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | {site}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{lede}">
<meta name="author" content="{author}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{date}T08:00:00Z">
<link rel="canonical" href="{path}">
<link rel="stylesheet" href="/static/site.css">
<style>
{style}
</style>
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{title}",
"datePublished": "{date}T08:00:00Z", "author": {{"@type": "Person", "name": "{author}"}},
"publisher": {{"@type": "Organization", "name": "{site}"}}}}
</script>
<script>
window.__SITE_CONFIG__ = {config};
</script>
</head>
<body>
<header class="masthead">
<a class="logo" href="/">{site}</a>
<nav class="sections">
{menu}
</nav>
<form class="search" action="/search"><input name="q" placeholder="Search"></form>
</header>
<main>
<article>
<h1>{title}</h1>
<p class="byline">By <a rel="author" href="/authors/">{author}</a>
<time datetime="{date}">{date}</time></p>
{body}
{credit}
</article>
<aside class="related"><h2>Related stories</h2><ul>
{related}
</ul></aside>
<section class="newsletter"><h2>Sign up for our morning briefing</h2>
<p>The day's top stories, in your inbox before breakfast.</p>
<form action="/subscribe"><input name="email" placeholder="Email"><button>Sign up</button></form>
</section>
</main>
<footer>
<nav>
{menu}
<a href="/contact/">Contact</a> <a href="/privacy/">Privacy</a>
<a href="/terms/">Terms of use</a> <a href="/advertise/">Advertise</a></nav>
<p>&copy; 2026 {site}. All rights reserved.</p>
</footer>
</body>
</html>
"""

# ----------------------------------------------------------------------------- the server


@dataclass
class Received:
    """What the servers received (kept in their process, reported at the end)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: Counter[tuple[int, str]] = field(default_factory=Counter)  # (host, path)

    def count(self, host: int, path: str) -> int:
        """How many times ``path`` was requested on ``host`` before this request."""
        with self.lock:
            before = self.seen[host, path]
            self.seen[host, path] += 1
            return before


class Server(ThreadingHTTPServer):
    daemon_threads = True
    plan: Plan
    host: int
    received: Received

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], OSError | ValueError):  # a hung-up client is fine
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers
    disable_nagle_algorithm = True  # headers and body in two writes: no 40 ms stall
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        plan, host = self.server.plan, self.server.host
        path = self.path.split("?")[0]
        seen = self.server.received.count(host, path)
        time.sleep(plan.latency)
        if path == "/robots.txt":
            self.send(200, ROBOTS_TXT, "text/plain")
            return
        section, _, name = path.strip("/").partition("/")
        if section not in KINDS or not name[:4].isdigit() or int(name[:4]) >= len(plan.pages):
            self.send(404, b"not found", "text/plain")
            return
        page = plan.pages[int(name[:4])]
        site = f"The Courier {host + 1}"
        number = f"{page.number:04d}"
        if section == "slow":
            time.sleep(plan.read_timeout + 0.5)  # the client has given up by now
        elif (section in ("flaky", "throttled") and seen == 0) or section == "broken":
            if section == "throttled":
                self.send(429, b"slow down", "text/plain", Retry_After=str(RETRY_AFTER))
            else:
                self.send(500, b"internal error", "text/plain")
            return
        elif section == "reset":
            self.reset()
            return
        elif section == "large":
            self.stream(4 * plan.max_bytes)
            return
        elif section == "loop":
            self.redirect(
                f"/loop/{number}-b.html" if name == f"{number}.html" else f"/loop/{number}.html"
            )
            return
        elif section == "away":
            port = self.server.server_address[1]
            self.redirect(f"http://127.0.0.2:{port}/news/{number}.html")
            return
        elif section == "image":
            self.send(200, b"\x89PNG\r\n\x1a\n" + bytes(2048), "image/png")
            return
        elif section == "missing":
            self.send(404, b"not found", "text/plain")
            return
        self.send(200, plan.html(page, site).encode(), "text/html; charset=utf-8")

    def send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send(302, b"", "text/plain", Location=location)

    def reset(self) -> None:
        """Close with a TCP reset, without a response."""
        linger = struct.pack("ii", 1, 0)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        self.close_connection = True
        self.connection.close()

    def stream(self, size: int) -> None:
        """A body of ``size`` bytes with no Content-Length, until the client hangs up."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = b"<p>" + b"x" * (16 * 1024 - 8) + b"</p>\n"
        for _ in range(size // len(chunk)):
            self.wfile.write(chunk)


def _serve(servers: list[Server], control: multiprocessing.connection.Connection) -> None:
    """The servers' process: serve until told to stop, then say what was received."""
    threads = [threading.Thread(target=s.serve_forever, args=(0.05,)) for s in servers]
    for thread in threads:
        thread.start()
    control.recv()
    for server in servers:
        server.shutdown()
    control.send(dict(servers[0].received.seen))


@dataclass
class Servers:
    ports: list[int]
    process: multiprocessing.process.BaseProcess
    control: multiprocessing.connection.Connection

    def stop(self) -> Counter[tuple[int, str]]:
        """Stop the servers; what they received, by (host, path)."""
        self.control.send("stop")
        received: Counter[tuple[int, str]] = Counter()
        if self.control.poll(10):
            received.update(self.control.recv())
        self.process.join(5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        return received


def start_servers(plan: Plan) -> Servers:
    """One server per host on free ports of 127.0.0.1, served by a child process (forked, so
    that it shares the plan)."""
    received = Received()
    servers = []
    for host in range(plan.hosts):
        server = Server(("127.0.0.1", 0), Handler)
        server.plan, server.host, server.received = plan, host, received
        servers.append(server)
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context("fork").Process(
        target=_serve, args=(servers, theirs), name="fetch-benchmark-servers", daemon=True
    )
    process.start()
    ports = [s.server_address[1] for s in servers]
    for server in servers:
        server.server_close()  # the child has its own copy of the listening socket
    return Servers(ports, process, ours)


# ----------------------------------------------------------------------------- the ideal


def backoff_mean(options: FetchOptions, attempt: int) -> float:
    """The mean wait after failed attempt ``attempt``: uniform between half the ceiling and
    the ceiling."""
    return 0.75 * min(options.backoff_cap, options.backoff_base * 2 ** (attempt - 1))


def requests_of(kind: Kind, options: FetchOptions, latency: float) -> list[tuple[float, float]]:
    """The requests one URL of ``kind`` needs: each one's service time (how long it holds its
    slots) and the wait after it before the next (which holds none)."""
    retries = [(latency, backoff_mean(options, n)) for n in range(1, options.retries + 1)]
    match kind.section:
        case "private":
            return []
        case "slow":
            return [(options.read_timeout, 0.0)]
        case "flaky":
            return [(latency, backoff_mean(options, 1)), (latency, 0.0)]
        case "throttled":
            return [(latency, max(backoff_mean(options, 1), RETRY_AFTER)), (latency, 0.0)]
        case "broken" | "reset":
            return [*retries, (latency, 0.0)]
        case "loop":
            return [(latency, 0.0), (latency, 0.0)]
    return [(latency, 0.0)]


@dataclass(frozen=True)
class Ideal:
    seconds: float
    binding: str
    bounds: dict[str, float]
    requests: int  # page requests, robots.txt aside
    busy: float  # the seconds of service all requests need, robots.txt included


def ideal_time(plan: Plan, options: FetchOptions) -> Ideal:
    """The least time any schedule that obeys ``options`` needs (see the module's docstring)."""
    latency = plan.latency
    services: dict[int, list[float]] = defaultdict(list)
    chain = 0.0
    for page in plan.pages:
        steps = requests_of(page.kind, options, latency)
        services[page.host].extend(service for service, _ in steps)
        chain = max(chain, latency + sum(service + wait for service, wait in steps))
    spacing = max(latency + (len(s) - 1) * options.delay + min(s) for s in services.values() if s)
    per_host = max(latency + sum(s) / options.per_host for s in services.values())
    every = [service for s in services.values() for service in s]
    overall = latency + sum(every) / options.concurrency
    bounds = {
        f"per host: robots.txt, then starts {options.delay:g} s apart": spacing,
        f"per host: {options.per_host} at once": per_host,
        f"in all: {options.concurrency} at once": overall,
        "one URL's requests and waits, in turn": chain,
    }
    binding = max(bounds, key=lambda name: bounds[name])
    busy = sum(every) + plan.hosts * latency
    return Ideal(bounds[binding], binding, bounds, len(every), busy)


# ----------------------------------------------------------------------------- measuring


def rss_kib() -> int:
    """The resident set size now (Linux), else the peak so far."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def deep_size(root: object) -> int:
    """Bytes held by ``root`` and everything it refers to (each object counted once)."""
    seen: set[int] = set()
    size, todo = 0, [root]
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, type):
            continue
        seen.add(id(item))
        size += sys.getsizeof(item)
        if isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            todo.extend(item)
        elif hasattr(item, "__dict__"):
            todo.append(vars(item))
    return size


class ObservedStream(FetchStream):
    """``FetchStream`` that notes the resident size every ``every`` pages handed to the audit,
    and how long the audit waited for pages."""

    def __init__(
        self, urls: Sequence[str], options: FetchOptions, every: int, held: int | None
    ) -> None:
        self.crawl_done = 0.0
        super().__init__(urls, options=options, progress=self._progress, held=held)
        self.every = every
        self.rss: list[tuple[int, int]] = []
        self.waited = 0.0

    def _progress(self, done: int, total: int) -> None:
        self.crawl_done = time.perf_counter()

    def __iter__(self) -> Iterator[FetchResult]:
        results = super().__iter__()
        pages = 0
        while True:
            asked = time.perf_counter()
            result = next(results, None)
            self.waited += time.perf_counter() - asked
            if result is None:
                return
            if result.kind == "page":
                pages += 1
                if pages % self.every == 0:
                    self.rss.append((pages, rss_kib()))
            yield result


@dataclass
class AuditAlone:
    per_page: float  # seconds
    html_bytes: float  # mean size of a page


def audit_alone(plan: Plan, index_path: str, sample: int) -> AuditAlone:
    """The audit's own cost per page, on pages held in memory, without a crawl."""
    packs = builtin_packs()
    fetched = [p for p in plan.pages if p.kind.expected == "fetched"]
    chosen = fetched[:: max(len(fetched) // sample, 1)][:sample]
    pages = [
        FetchResult(
            f"http://127.0.0.1{p.path}",
            "fetched",
            content_type="text/html; charset=utf-8",
            text=plan.html(p, f"The Courier {p.host + 1}"),
        )
        for p in chosen
    ]
    with open_index(index_path) as index:
        matcher, policy = Matcher(index), Policy(packs)
        audit_page(pages[0], matcher, policy)  # warm up: imports, caches
        started = time.perf_counter()
        for page in pages:
            audit_page(page, matcher, policy)
        seconds = time.perf_counter() - started
    html = statistics.mean(len(p.text.encode()) for p in pages)
    return AuditAlone(seconds / len(pages), html)


@dataclass(frozen=True)
class Run:
    """What was measured of the crawl and audit."""

    seconds: float  # wall-clock, the whole audit call
    crawl_seconds: float  # until the last URL's result
    cpu_seconds: float  # this process's, all threads
    waited: float  # the audit waiting for the next page
    rss_before: int  # KiB
    rss: list[tuple[int, int]]  # (pages taken, KiB)
    alone: AuditAlone
    order: str  # of the URLs given
    held: int  # pages the stream may hold


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def write_sources(plan: Plan, folder: Path) -> None:
    for number in range(SOURCES):
        text = plan.source(number)
        (folder / f"story-{number}.md").write_text(
            "---\n"
            "publisher: rferl\n"
            f"url: https://www.rferl.org/a/benchmark-story-{number}/{31000000 + number}.html\n"
            f'title: "{text.title}"\n'
            f'author: "{text.author}"\n'
            f"published: {text.date}\n"
            "license: LicenseRef-RFERL-Republication\n"
            "---\n\n" + "\n\n".join(text.paragraphs) + "\n",
            encoding="utf-8",
        )


def ordered(urls: list[str], order: str, seed: int) -> list[str]:
    """The URLs as given to the crawl: in page order (hosts interleaved), shuffled, or grouped
    by host (every page of the first host, then the second's …)."""
    if order == "shuffled":
        shuffled = list(urls)
        random.Random(seed).shuffle(shuffled)
        return shuffled
    if order == "grouped":
        return sorted(urls, key=lambda url: (url.split("/")[2], url))
    return urls


# ----------------------------------------------------------------------------- output


def table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")


def verdict(name: str, passed: bool, detail: str) -> bool:
    print(f"\n**{name}: {'PASS' if passed else 'FAIL'}** ({detail})")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=1000, help="pages to crawl (1000)")
    parser.add_argument("--hosts", type=int, default=8, help="hosts (ports) serving them (8)")
    parser.add_argument(
        "--latency", type=float, default=0.6, help="seconds each response takes (0.6)"
    )
    parser.add_argument(
        "--misbehaving", type=float, default=0.10, help="share of pages that misbehave (0.10)"
    )
    parser.add_argument(
        "--copies", type=float, default=0.20, help="share of pages copying a source (0.20)"
    )
    parser.add_argument("--concurrency", type=int, default=16, help="requests at once (16)")
    parser.add_argument("--per-host", type=int, default=2, help="requests at once to a host (2)")
    parser.add_argument(
        "--delay", type=float, default=0.05, help="seconds between starts on a host (0.05)"
    )
    parser.add_argument(
        "--read-timeout", type=float, default=2.0, help="seconds of silence allowed (2.0)"
    )
    parser.add_argument("--retries", type=int, default=2, help="retries after errors (2)")
    parser.add_argument(
        "--backoff", type=float, default=0.05, help="first backoff ceiling, seconds (0.05)"
    )
    parser.add_argument(
        "--max-bytes", type=int, default=256 * 1024, help="largest body accepted (262144)"
    )
    parser.add_argument(
        "--order",
        choices=("shuffled", "interleaved", "grouped"),
        default="shuffled",
        help="order of the URLs given: shuffled (default), hosts interleaved, or by host",
    )
    parser.add_argument(
        "--audit-sample", type=int, default=100, help="pages audited alone to time it (100)"
    )
    parser.add_argument(
        "--held",
        type=int,
        help="pages the stream may hold for the audit (default: the library's)",
    )
    parser.add_argument("--every", type=int, default=100, help="pages between RSS samples (100)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()

    plan = Plan.make(
        args.seed,
        args.pages,
        args.hosts,
        args.misbehaving,
        args.copies,
        args.latency,
        args.read_timeout,
        args.max_bytes,
    )
    servers = start_servers(plan)  # first: the child is forked from a process with no threads
    options = FetchOptions(
        concurrency=args.concurrency,
        per_host=args.per_host,
        delay=args.delay,
        connect_timeout=args.read_timeout,
        read_timeout=args.read_timeout,
        total_timeout=5 * args.read_timeout,
        retries=args.retries,
        backoff_base=args.backoff,
        backoff_cap=16 * args.backoff,
        max_retry_after=10 * RETRY_AFTER,
        max_bytes=args.max_bytes,
        user_agent="provenance-benchmark/1.0 (fetch benchmark)",
        cache_dir=None,
        allow_networks=("127.0.0.1/32",),
    )
    urls = {f"http://127.0.0.1:{servers.ports[page.host]}{page.path}": page for page in plan.pages}
    try:
        with tempfile.TemporaryDirectory() as work:
            sources = Path(work) / "sources"
            sources.mkdir()
            write_sources(plan, sources)
            index_path = str(Path(work) / "index.sqlite")
            packs = builtin_packs()
            with open_index(index_path) as index:
                update_index(index, [str(sources)], packs)
            alone = audit_alone(plan, index_path, args.audit_sample)
            rss_before = rss_kib()
            given = ordered(list(urls), args.order, args.seed)
            stream = ObservedStream(given, options, args.every, args.held)
            with open_index(index_path) as index:
                cpu = _cpu_seconds()
                started = time.perf_counter()
                result = audit([], index, packs, pages=stream)
                seconds = time.perf_counter() - started
                cpu = _cpu_seconds() - cpu
    finally:
        received = servers.stop()
    run = Run(
        seconds,
        stream.crawl_done - started,
        cpu,
        stream.waited,
        rss_before,
        stream.rss,
        alone,
        args.order,
        stream.held,
    )
    ok = report_urls(plan, urls, result.urls, result.documents, received, options)
    ok &= report_time(plan, options, run, result.documents)
    ok &= report_memory(run, result, args.every)
    sys.exit(0 if ok else 1)


def report_urls(
    plan: Plan,
    urls: dict[str, Page],
    results: Sequence[FetchResult],
    documents: Sequence[DocumentResult],
    received: Counter[tuple[int, str]],
    options: FetchOptions,
) -> bool:
    docs = list(documents)
    by_url: dict[str, list[FetchResult]] = defaultdict(list)
    for r in results:
        by_url[r.url].append(r)
    missing = [url for url in urls if url not in by_url]
    twice = [url for url, found in by_url.items() if len(found) > 1]
    strangers = [url for url in by_url if url not in urls]
    doc_paths = Counter(d.path for d in docs)
    docs_missing = [url for url in urls if url not in doc_paths]
    docs_twice = [path for path, n in doc_paths.items() if n > 1]

    print(f"## Crawl: {len(urls)} pages on {plan.hosts} hosts of 127.0.0.1\n")
    print("### Every URL accounted for\n")
    statuses = Counter(r.status for r in results)
    doc_statuses = Counter(d.status for d in docs)
    table(
        [
            ("URLs given", len(urls)),
            ("URL results", len(results)),
            ("documents", len(docs)),
            ("URLs without a result / with two or more", f"{len(missing)} / {len(twice)}"),
            (
                "URLs without a document / with two or more",
                f"{len(docs_missing)} / {len(docs_twice)}",
            ),
            ("results for URLs not given", len(strangers)),
            ("by status", ", ".join(f"{s} {n}" for s, n in sorted(statuses.items()))),
            ("documents by status", ", ".join(f"{s} {n}" for s, n in sorted(doc_statuses.items()))),
        ],
        ("measure", "value"),
    )

    # Per kind: expected status, statuses got, requests expected and sent.
    print()
    mismatches = []
    rows = []
    for kind in (NORMAL, *FAULTS):
        mine = [(url, page) for url, page in urls.items() if page.kind is kind]
        if not mine:
            continue
        got = Counter(by_url[url][0].status for url, _ in mine if url in by_url)
        expected_requests = len(requests_of(kind, options, plan.latency))
        attempts = [by_url[url][0].attempts for url, _ in mine if url in by_url]
        served = [served_of(received, page) for _, page in mine]
        reasons = Counter(_shape(by_url[url][0].reason or "") for url, _ in mine if url in by_url)
        for url, _ in mine:
            if url in by_url and by_url[url][0].status != kind.expected:
                mismatches.append((kind.name, url, by_url[url][0].status, by_url[url][0].reason))
        rows.append(
            (
                kind.name,
                len(mine),
                kind.expected,
                ", ".join(f"{s} {n}" for s, n in sorted(got.items())),
                f"{expected_requests} / {statistics.mean(attempts):.2f}",
                f"{sum(served) / len(mine):.2f}",
                "; ".join(reason for reason, _ in reasons.most_common(2)) or "-",
            )
        )
    table(
        rows,
        (
            "page",
            "pages",
            "expected",
            "got",
            "requests expected / attempts",
            "requests served",
            "reason",
        ),
    )
    for name, url, status, reason in mismatches:
        print(f"- mismatch: {name} {url} ended {status} ({reason})")
    robots_requests = sum(n for (_, path), n in received.items() if path == "/robots.txt")
    print(f"\nrobots.txt requests served: {robots_requests} ({plan.hosts} hosts)")

    matched = {d.path for d in docs if d.matches}
    copies = {url for url, page in urls.items() if page.source is not None}
    fetched_copies = {u for u in copies if by_url.get(u) and by_url[u][0].status == "fetched"}
    right = sum(
        1
        for d in docs
        if d.path in fetched_copies
        and any(m.source.id == f"story-{urls[d.path].source}.md" for m in d.matches)
    )
    findings = sum(len(d.findings) for d in docs)
    print(
        f"copies fetched: {len(fetched_copies)}, matched to their source: {right}; "
        f"other pages matched: {len(matched - copies)}; findings: {findings}"
    )
    passed = not (missing or twice or strangers or docs_missing or docs_twice or mismatches)
    passed &= len(results) == len(urls) == len(docs)
    faulty = sum(1 for page in urls.values() if page.kind is not NORMAL)
    return verdict(
        "Every URL accounted for",
        passed,
        f"{len(urls)} given, {len(results)} results, {len(docs)} documents, "
        f"{faulty - sum(1 for m in mismatches if m[0] != NORMAL.name)}/{faulty} misbehaving "
        "URLs as expected",
    )


def served_of(received: Counter[tuple[int, str]], page: Page) -> int:
    """Requests the server received for ``page`` (a redirect loop's other URL included)."""
    stem = page.path.rsplit(".", 1)[0]
    return sum(
        n for (host, path), n in received.items() if host == page.host and path.startswith(stem)
    )


def _shape(reason: str) -> str:
    """A reason without the URL or numbers that differ between pages."""
    words = reason.split()
    return " ".join("…" if "://" in word else word for word in words)[:70]


def report_time(
    plan: Plan, options: FetchOptions, run: Run, documents: Sequence[DocumentResult]
) -> bool:
    ideal = ideal_time(plan, options)
    scanned = sum(1 for d in documents if d.status == "scanned")
    audit_total = run.alone.per_page * scanned
    print("\n### Time\n")
    print(
        f"Options: concurrency {options.concurrency}, per host {options.per_host}, delay "
        f"{options.delay:g} s, read timeout {options.read_timeout:g} s, retries "
        f"{options.retries}, backoff {options.backoff_base:g} s; latency {plan.latency:g} s; "
        f"{ideal.requests} page requests; URLs {run.order}; the stream holds up to "
        f"{run.held} pages.\n"
    )
    ratio = run.seconds / ideal.seconds
    rows: list[tuple[str, str]] = [
        (f"lower bound, {name}", f"{value:.2f} s") for name, value in ideal.bounds.items()
    ]
    rows += [
        ("**ideal the limits allow** (the largest bound)", f"**{ideal.seconds:.2f} s**"),
        ("**measured: crawl and audit**", f"**{run.seconds:.2f} s**"),
        ("**ratio measured / ideal** (target ≤ 1.5)", f"**{ratio:.2f}**"),
        ("crawl done (the last URL's result) at", f"{run.crawl_seconds:.2f} s"),
        (
            "audit alone, per page (extraction, matching, rules)",
            f"{run.alone.per_page * 1000:.1f} ms",
        ),
        (f"audit alone, {scanned} pages scanned", f"{audit_total:.2f} s"),
        ("time the audit waited for pages", f"{run.waited:.2f} s"),
        ("CPU time of this process meanwhile", f"{run.cpu_seconds:.2f} s"),
        (
            f"requests in flight on average (at most {options.concurrency})",
            f"{ideal.busy / run.crawl_seconds:.1f}",
        ),
    ]
    table(rows, ("measure", "value"))
    busy = run.cpu_seconds / run.seconds
    if audit_total < ideal.seconds and busy < 0.9:
        bottleneck = (
            f"fetching (the audit waited {run.waited:.1f} s for pages; the process was busy "
            f"{busy:.0%} of the time)"
        )
    else:
        bottleneck = (
            f"auditing (the process was busy {busy:.0%} of the time: the crawl's thread and "
            "the audit's share one interpreter lock)"
        )
    print(f"\nBottleneck: {bottleneck}. The binding limit: {ideal.binding}.")
    return verdict(
        "Time within 1.5x of the limits",
        ratio <= 1.5,
        f"{run.seconds:.2f} s measured, {ideal.seconds:.2f} s ideal, ratio {ratio:.2f}",
    )


def report_memory(run: Run, result: AuditResult, every: int) -> bool:
    print("\n### Memory\n")
    table(
        [("before the crawl", f"{run.rss_before / 1024:.1f}")]
        + [(f"{n} pages", f"{kib / 1024:.1f}") for n, kib in run.rss],
        ("audit has taken", "RSS (MB)"),
    )
    pages = len(result.urls)
    kept = deep_size((result.documents, result.urls)) / pages
    text = statistics.mean(len(d.text) for d in result.documents)
    start = next(((n, kib) for n, kib in run.rss if n >= 2 * every), run.rss[0])
    end = run.rss[-1]
    growth = (end[1] - start[1]) * 1024  # bytes
    per_page = growth / max(end[0] - start[0], 1)
    html = run.alone.html_bytes
    print(
        f"\nGrowth from page {start[0]} to page {end[0]}: {growth / 2**20:.1f} MB, "
        f"{per_page / 1024:.1f} KB per page. A page's HTML: {html / 1024:.1f} KB; what the "
        f"audit keeps of each page (its document's result, {text / 1024:.1f} KB of it the "
        f"extracted text, and its URL's record): {kept / 1024:.1f} KB."
    )
    limit = kept + html / 10
    return verdict(
        "Memory flat",
        per_page <= limit,
        f"{per_page / 1024:.1f} KB per page; at most what each page's result keeps and a "
        f"tenth of a page's HTML, {limit / 1024:.1f} KB",
    )


if __name__ == "__main__":
    main()
