"""Fuzz claims parsing with atheris: arbitrary text, Markdown with front matter, and metadata.

    tox -e fuzz                                    # both harnesses, 60 s each (fuzz/run.py)
    python fuzz/fuzz_claims.py -max_total_time=60 [CORPUS_DIR] [libFuzzer options]

An input's first byte chooses what the rest (UTF-8, with replacement characters) is: a plain
text (``find_claims(text)``), a Markdown file (its front matter read by ``extract_markdown``;
``Unreadable`` is expected there), or a JSON object used as front matter and as an HTML page's
JSON-LD and meta tags. Claims parsing must not fail on any of them, and each claim's span must
lie in the text (a line's claim quoting the text at its span): anything else is a crash, and
libFuzzer stops and saves the input as ``crash-…`` in the current folder. Without a corpus
folder, a few seed files (``SEEDS``) start the search in a temporary one.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import atheris
from seeded import fuzz  # beside this script

with atheris.instrument_imports(include=["provenance"]):
    from provenance.claims import find_claims
    from provenance.extract import Unreadable, extract_markdown
    from provenance.models import Claim, Document

MODES = ("text", "markdown", "metadata")
LINE_KINDS = {"copyright", "credit", "license", "byline", "agency"}

SEEDS = [
    b"\x00Copyright (c) 2018. RFE/RL, Inc. Republished with the permission of Radio Free "
    b"Europe/Radio Liberty, 1201 Connecticut Ave NW, Ste 400, Washington DC 20036.\n\n"
    b"With reporting by Reuters and AFP\n",
    b"\x00This article is republished from [The Conversation](https://theconversation.com) "
    b"under a Creative Commons license. Read the <a href='https://a.example/x'>original</a>.\n"
    b"By Jane Doe and John Smith, Associated Press\nKYIV (Reuters) - Text. REUTERS/Name\n"
    b"Licensed under CC BY-NC-ND 4.0: https://creativecommons.org/licenses/by-nc-nd/4.0/\n",
    b"\x00 * Copyright (C) 1988, 1993\n *\tThe Regents of the University of California.\n"
    b"\xc2\xa9 2015-19 Example News &copy; Source: VOA\r\nCourtesy of the Smith family\r"
    b"\xef\xbb\xbf\xef\xb8\x80 www.example.org (c) the Republic",
    b"\x01---\nauthor: [Jane Doe, {name: John Smith}]\nlicense: CC-BY-4.0\ncopyright: "
    b"\xc2\xa9 2020 Example News\ncanonical: https://a.example/story\nsource: [VOA, "
    b"https://voanews.com/a]\ndate: 2020-08-15\n---\nThis story was originally published by "
    b"ProPublica.\n",
    b'\x02{"@type": ["NewsArticle"], "@id": "#a", "author": [{"@id": "#p"}, "Jane"], '
    b'"copyrightHolder": {"name": "Example News"}, "copyrightYear": 2020, '
    b'"license": "https://creativecommons.org/licenses/by/4.0/", "isBasedOn": '
    b'["https://a.example/x"], "creditText": "AP", "copyrightNotice": "\\u00a9 2020 X"}',
]


def _check(text: str, claims: list[Claim]) -> None:
    in_text = [c.span for c in claims if c.origin == "text"]
    if in_text != sorted(in_text):
        raise AssertionError("claims in the text are not in text order")
    for claim in claims:
        start, end = claim.span
        if not 0 <= start <= end <= len(text):
            raise AssertionError(f"span outside the text: {claim}")
        if claim.origin == "text" and claim.kind in LINE_KINDS and text[start:end] != claim.text:
            raise AssertionError(f"claim does not quote the text at its span: {claim}")


def _metadata_documents(value: Any) -> list[Document]:
    if not isinstance(value, dict):
        value = {"author": value, "json": value}
    meta = {str(k).lower(): [str(v)] for k, v in value.items() if isinstance(v, str)}
    return [
        Document("fuzz.md", "", "markdown", value),
        Document("fuzz.html", "", "html", {"json_ld": [value], "meta": meta}),
    ]


def test_one_input(data: bytes) -> None:
    if not data:
        return
    mode = MODES[data[0] % len(MODES)]
    text = data[1:].decode("utf-8", "replace")
    if mode == "text":
        _check(text, find_claims(text))
    elif mode == "markdown":
        try:
            document = extract_markdown(text, "fuzz.md")
        except Unreadable:
            return
        _check(document.text, find_claims(document))
    else:
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's limit
            return
        for document in _metadata_documents(value):
            _check(document.text, find_claims(document))


if __name__ == "__main__":
    fuzz(sys.argv, SEEDS, test_one_input)
