"""A real HTTP server on 127.0.0.1 for the fetch tests: the pages in ``fixtures/web`` and a set
of faults. It runs in a background thread and records every request it receives."""

from __future__ import annotations

import gzip
import socket
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB = Path(__file__).resolve().parent.parent / "fixtures" / "web"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".txt": "text/plain",
}
HUGE = 64 * 1024 * 1024  # what /huge would send, were it read to the end
ETAG = '"v1"'


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived


@dataclass
class Site:
    """The server's state: its address, what it received and how it behaves."""

    base: str = ""
    requests: list[Request] = field(default_factory=list)
    robots_status: int = 200
    robots_text: str | None = None  # served instead of fixtures/web/robots.txt
    huge_sent: int = 0  # bytes of /huge written before the client hung up
    in_flight: int = 0
    most_in_flight: int = 0  # the most requests handled at once
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]

    def count(self, path: str) -> int:
        return Counter(self.paths())[path]

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers
    disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms stall
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet tests

    def do_GET(self) -> None:
        site = self.server.site
        path = self.path.split("?")[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        with site.lock:
            seen = Counter(r.path for r in site.requests)[path]
            site.requests.append(Request(path, headers, time.monotonic()))
            site.in_flight += 1
            site.most_in_flight = max(site.most_in_flight, site.in_flight)
        try:
            self.respond(path, seen)
        finally:
            with site.lock:
                site.in_flight -= 1

    def respond(self, path: str, seen: int) -> None:
        route = ROUTES.get("/chain/" if path.startswith("/chain/") else path)
        if route:
            route(self, seen)
        elif path == "/robots.txt" and self.server.site.robots_status != 200:
            self.send(self.server.site.robots_status, b"")
        elif path == "/robots.txt" and self.server.site.robots_text is not None:
            self.send(200, self.server.site.robots_text.encode(), "text/plain")
        else:
            self.serve_file(path)

    def send(
        self, status: int, body: bytes, content_type: str = "text/html", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send(status, b"", Location=location)

    def serve_file(self, path: str) -> None:
        name = path.rsplit("/", 1)[-1]
        gzipped = name.endswith(".gz")
        file = WEB / name.removesuffix(".gz")
        if not name or not file.is_file():
            self.send(404, b"not found")
            return
        body = file.read_bytes().replace(b"{{BASE}}", self.server.site.base.encode())
        if gzipped:
            self.send(200, gzip.compress(body), "application/x-gzip")
        elif name == "latin-1.html":
            self.send(200, body, "text/html; charset=ISO-8859-1")
        elif name == "windows-1251.html":
            self.send(200, body, "text/html")  # the charset is in the page's <meta>
        else:
            self.send(200, body, TYPES.get(file.suffix, "application/octet-stream"))


def _slow(handler: Handler, seen: int) -> None:
    time.sleep(1.0)
    handler.send(200, b"<p>too late</p>")


def _pause(handler: Handler, seen: int) -> None:
    time.sleep(0.1)
    handler.send(200, b"<p>paused</p>")


def _drip(handler: Handler, seen: int) -> None:
    """A byte at a time, each soon enough for the read timeout, never ending in time."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Content-Length", "100")
    handler.end_headers()
    try:
        for _ in range(100):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.05)
    except OSError:
        pass


def _compressed(handler: Handler, seen: int) -> None:
    """The page compressed with the first coding the client accepts of br and gzip."""
    body = "<p>Compressed café</p>".encode()
    if "br" in handler.headers.get("Accept-Encoding", ""):
        import brotli  # type: ignore[import-untyped]

        handler.send(200, brotli.compress(body), "text/html; charset=utf-8", Content_Encoding="br")
    else:
        handler.send(200, gzip.compress(body), "text/html; charset=utf-8", Content_Encoding="gzip")


def _flaky(handler: Handler, seen: int) -> None:
    if seen == 0:
        handler.send(500, b"try again")
    else:
        handler.send(200, b"<p>second time lucky</p>")


def _always_500(handler: Handler, seen: int) -> None:
    handler.send(500, b"broken")


def _throttled(handler: Handler, seen: int) -> None:
    if seen == 0:
        handler.send(429, b"slow down", Retry_After="1")
    else:
        handler.send(200, b"<p>thanks for waiting</p>")


def _reset(handler: Handler, seen: int) -> None:
    # close with a TCP reset, no response at all
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True
    handler.connection.close()


def _huge(handler: Handler, seen: int) -> None:
    """A body with no Content-Length, written until the client hangs up."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.close_connection = True
    chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
    site = handler.server.site
    try:
        while site.huge_sent < HUGE:
            handler.wfile.write(chunk)
            site.huge_sent += len(chunk)
    except OSError:
        pass


def _declared_huge(handler: Handler, seen: int) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(HUGE))
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.close_connection = True


def _etag(handler: Handler, seen: int) -> None:
    if handler.headers.get("If-None-Match") == ETAG:
        handler.send_response(304)
        handler.send_header("ETag", ETAG)
        handler.end_headers()
    else:
        body = b"<p>cached article</p>"
        handler.send(200, body, ETag=ETAG, Last_Modified="Wed, 01 May 2024 10:00:00 GMT")


def _image(handler: Handler, seen: int) -> None:
    handler.send(200, b"\x89PNG\r\n\x1a\n", "image/png")


def _chain(handler: Handler, seen: int) -> None:
    """/chain/N redirects to /chain/N+1, for ever."""
    number = int(handler.path.rsplit("/", 1)[-1])
    handler.redirect(f"/chain/{number + 1}")


def _to_private(handler: Handler, seen: int) -> None:
    port = handler.server.server_address[1]
    handler.redirect(f"http://127.0.0.2:{port}/articles/article-1.html")


ROUTES: dict[str, Callable[[Handler, int], None]] = {
    "/slow": _slow,
    "/pause": _pause,
    "/drip": _drip,
    "/compressed": _compressed,
    "/flaky": _flaky,
    "/always-500": _always_500,
    "/throttled": _throttled,
    "/reset": _reset,
    "/huge": _huge,
    "/declared-huge": _declared_huge,
    "/etag.html": _etag,
    "/image.png": _image,
    "/to-private": _to_private,
    "/moved": lambda handler, seen: handler.redirect("/articles/article-1.html", 301),
    "/loop-a": lambda handler, seen: handler.redirect("/loop-b"),
    "/loop-b": lambda handler, seen: handler.redirect("/loop-a"),
    "/to-file": lambda handler, seen: handler.redirect("file:///etc/passwd"),
    "/to-disallowed": lambda handler, seen: handler.redirect("/private/secret.html"),
    "/chain/": _chain,
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], OSError | ValueError):  # a hung-up socket is fine
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve() -> Iterator[Site]:
    """Run the server on a free port of 127.0.0.1 until the block ends."""
    server = _Server(("127.0.0.1", 0), Handler)
    server.site = Site(base=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server.site
    finally:
        server.shutdown()
        server.server_close()
