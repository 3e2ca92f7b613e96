"""Fuzz extraction with atheris: arbitrary bytes as a plain text, Markdown or HTML file.

    tox -e fuzz                                    # both harnesses, 60 s each (fuzz/run.py)
    python fuzz/fuzz_extract.py -max_total_time=60 [CORPUS_DIR] [libFuzzer options]

An input's first byte chooses how the rest is read: decoded as a file is (``decode``: byte
order marks, UTF-8, legacy encodings) or as UTF-8 with replacement characters, then extracted
as plain text, Markdown (YAML or TOML front matter) or HTML (as a file, and as a page fetched
from a URL). ``Unreadable`` is how extraction refuses an input and is expected; any other
exception, or a line map that points outside the file, is a crash: libFuzzer stops and saves
the input as ``crash-…`` in the current folder. Without a corpus folder, a few seed files
(``SEEDS``) start the search in a temporary one.
"""

from __future__ import annotations

import re
import sys

import atheris
from seeded import fuzz  # beside this script

with atheris.instrument_imports(include=["provenance", "yaml", "tomllib"]):
    from provenance.extract import (
        Unreadable,
        decode,
        extract_html,
        extract_markdown,
        extract_page,
        extract_text,
    )
    from provenance.models import Document

FORMATS = ("text", "markdown", "html")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# First byte: bit 0 set, decode as a file is decoded; bits 1-2: the format (``FORMATS``).
SEEDS = [
    b"\x01Plain text.\r\nCopyright (c) 2020 Example News.\rLast line\n",
    b"\x03---\ntitle: A story\nauthor: [Jane Doe, John Smith]\ndate: 2020-08-15\n"
    b"license: CC BY 4.0\n---\n# A story\n\nBy Jane Doe\n\nText [link](https://a.example/).\n",
    b"\x03+++\r\ntitle = 'A story'\r\ndate = 1979-05-27T07:32:00Z\r\n[params]\r\nx = [1, 2]\r\n"
    b"+++\r\nBody text.\r\n",
    b"\x05<!DOCTYPE html><html><head><title>T</title><meta name='author' content='Jane'>"
    b"<link rel=canonical href='https://a.example/story'><script type='application/ld+json'>"
    b'{"@context": "https://schema.org", "@type": "NewsArticle", "author": {"name": "Jane"}}'
    b"</script></head><body><nav><a href='/'>Home</a></nav><article><h1>Title</h1>"
    b"<p>First paragraph of the story, long enough to be the main text of the page.</p>\n"
    b"<p>Second &amp; last paragraph, with <a href='https://b.example/x'>a link</a>.</p>"
    b"</article><footer>&copy; 2020 Example News</footer></body></html>",
    b"\x01\xff\xfeH\x00i\x00 \x00\xe9\x00\n\x00",  # UTF-16 with its byte order mark
    b"\x01Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade.",  # Windows-1252
    b"\x00\xef\xbb\xbf---\na: 1\n---\nAfter a UTF-8 BOM",
]


def _check_lines(raw: str, document: Document) -> None:
    """Every offset of the text is located on a line of ``raw``, at a column from 1."""
    lines = _LINE_BREAK.split(raw)
    for offset in range(0, len(document.text) + 1, max(1, len(document.text) // 64)):
        location = document.lines.locate((offset, offset))
        if not (1 <= location.line <= len(lines) and location.column >= 1):
            raise AssertionError(f"offset {offset} located outside the file: {location}")


def _check_text(raw: str, document: Document) -> None:
    """A plain text is the file itself, and each offset is located exactly."""
    if document.text != raw:
        raise AssertionError("plain text extraction changed the text")
    starts = [0, *(m.end() for m in _LINE_BREAK.finditer(raw))]
    for offset in range(len(raw) + 1):
        location = document.lines.locate((offset, offset))
        if starts[location.line - 1] + location.column - 1 != offset:
            raise AssertionError(f"offset {offset} located at {location}")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0], data[1:]
    try:
        raw = decode(body) if mode & 1 else body.decode("utf-8", "replace")
    except Unreadable:
        return
    kind = FORMATS[(mode >> 1) % len(FORMATS)]
    try:
        if kind == "text":
            _check_text(raw, extract_text(raw, "fuzz.txt"))
        elif kind == "markdown":
            document = extract_markdown(raw, "fuzz.md")
            if not raw.endswith(document.text):
                raise AssertionError("the Markdown body is not the end of the file")
            _check_lines(raw, document)
        else:
            _check_lines(raw, extract_html(raw, "fuzz.html"))
            _check_lines(raw, extract_page(raw, "https://fuzz.example/a/page.html"))
    except Unreadable:
        return


if __name__ == "__main__":
    fuzz(sys.argv, SEEDS, test_one_input)
