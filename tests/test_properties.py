"""Properties that must hold for any input, checked on hostile input with hypothesis.

Normalisation keeps a map back to the original characters whatever the text holds (invisible
and bidi characters, look-alike letters, CJK, combining marks, astral characters); extraction
fails only with ``Unreadable`` and maps text offsets to the right lines; claims parsing never
fails, keeps its spans inside the text and finds a notice line wherever it is put; alignment
keeps its passages inside both texts and in order, and finds a copied passage whatever
surrounds it.

Examples are few and have no deadline, so the file stays fast; no example database is kept.
"""

from __future__ import annotations

import codecs
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from provenance.align import MAX_SEED_REPEATS, MIN_PASSAGE_WORDS, Alignment, align
from provenance.claims import find_claims
from provenance.extract import (
    Unreadable,
    decode,
    extract_html,
    extract_markdown,
    extract_page,
    extract_text,
    split_front_matter,
)
from provenance.models import Claim, Document
from provenance.normalise import (
    _Builder,
    _fold,
    _homoglyphs,
    _plain_tokens,
    _word_spans,
    _words,
    normalise,
    tokens,
    word_codes,
)


def checked(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None)


# Characters that hostile or merely unusual text is made of: zero-width and bidi controls, the
# BOM, Cyrillic and Greek look-alikes, CJK, kana and Hangul, scripts written without spaces,
# combining marks and the jamo and vowel signs that compose like them, compatibility forms
# (ligatures, fullwidth, halfwidth kana), every kind of line break and space, quotes and
# dashes, and astral characters (mathematical letters, an astral mark, emoji, a variation
# selector).
HOSTILE = [
    *"\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068"
    "\u2069\u200e\u200f",
    *"аеорсухіѕАЕОРСΑΒΕΖΗΙΚΜΝΟΡΤΥΧοανι",  # noqa: RUF001
    *"中文字漢語日本のひらカタ한국어ㄱㅏｶﾞﾟ",
    *"กำไม่ສະບາຍខ្មែរမြန်",
    *"\u0301\u0308\u0327\u0323\u0345\u20dd\u093c\u0e31\u0f73",
    *"\u1100\u1161\u11a8\u1112\u116e\u09c7\u09be\u0bc6\u0bbe",
    *"¸¨˜´`ﬁﬂﬀ½㎒ＡｂＣ１２ẞßİ",  # noqa: RUF001
    *"\t\n\r \u00a0\u2003\u2028\u2029\u3000\u0085\x0b\x0c",
    *"‘’“”«»—–−-'\".,;:()[]<>©®",  # noqa: RUF001
    "\U0001d400",
    "\U0001d165",
    "\U0001d7d9",
    "\U0001f600",
    "\U000e0100",
    "\U00020000",
]
characters = st.one_of(
    st.sampled_from(HOSTILE),
    st.characters(codec="utf-8"),  # any character but a surrogate
    st.sampled_from("abcdefghijklmnopqrstuvwxyz ABC"),
)
hostile_text = st.text(characters, max_size=80)

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def raw_offset(raw: str, line: int, column: int) -> int:
    """The offset in ``raw`` of a 1-based line and column (``\\n``, ``\\r\\n`` and ``\\r`` end a
    line, as for ``LineMap``)."""
    starts = [0, *(m.end() for m in LINE_BREAK.finditer(raw))]
    return starts[line - 1] + column - 1


# --- Normalisation ------------------------------------------------------------------------


@checked(400)
@given(hostile_text)
@example("wo\u200brd \u00bdx \ufb01ne \u2122")  # dropped and expanded characters in words
def test_tokens_by_table_are_the_tokens_character_by_character(text: str) -> None:
    norm = normalise(text)
    spans = _word_spans(norm.text)
    expected = [
        (word, *norm.original_span(start, end))
        for word, (start, end) in zip(_words(norm.text, spans), spans, strict=True)
    ]
    fast = _plain_tokens(text)
    assert fast is None or fast == expected
    assert tokens(text) == expected


@checked(400)
@given(st.lists(hostile_text, max_size=6))
@example(["½ ﬁ\u200bx", "", "ѕ test"])  # noqa: RUF001 (expanded, dropped, look-alike)
@example(["a\u0301", "中文", "\U0001f600b"])  # a mark, no spaces, an emoji between words
def test_words_of_many_texts_at_once_are_the_words_of_each(texts: list[str]) -> None:
    words = word_codes(texts)
    assert [words.text(i) for i in range(len(texts))] == [
        [t.text for t in tokens(text)] for text in texts
    ]


@checked(400)
@given(hostile_text)
@example("0\u00b8")  # a spacing cedilla: its comparison form is a space and a mark
@example("\u3392 \u00bd")  # one character, several letters; one character, two words
def test_normalised_characters_map_back_to_the_characters_they_came_from(text: str) -> None:
    norm = normalise(text)
    assert len(norm.origin) == len(norm.origin_end) == len(norm.text)
    previous = (0, 0)
    for char, start, end in zip(norm.text, norm.origin, norm.origin_end, strict=True):
        assert 0 <= start < end <= len(text)
        assert previous <= (start, end) and previous[1] <= end  # monotone, both ends
        previous = (start, end)
        if char == " ":  # a run of whitespace became one space: it starts with whitespace
            assert any(c.isspace() for c in _fold(text[start:end]))
        else:
            assert char in normalise(text[start:end]).text
    assert not norm.text.startswith(" ") and not norm.text.endswith(" ")
    assert "  " not in norm.text
    assert not any(unicodedata.category(c) == "Cf" for c in norm.text)


@checked(300)
@given(hostile_text, st.data())
def test_original_spans_stay_inside_the_input(text: str, data: st.DataObject) -> None:
    norm = normalise(text)
    start = data.draw(st.integers(0, len(norm.text)))
    end = data.draw(st.integers(start, len(norm.text)))
    first, last = norm.original_span(start, end)
    assert 0 <= first <= last <= len(text)
    assert norm.end == (norm.origin_end[-1] if norm.text else 0)


@checked(400)
@given(hostile_text)
@example("한국어")  # Hangul syllables: NFD splits them into jamo
@example("\u0995\u09cb \u0b95\u0bca")  # Bengali and Tamil two-part vowel signs
@example("\u30ab\uff9e")  # a katakana and the halfwidth voiced mark
@example("\u0f40\u0f74\u0f73")  # a Tibetan vowel sign that decomposes to marks
def test_equivalent_forms_normalise_alike(text: str) -> None:
    expected = normalise(text).text
    for form in ("NFC", "NFD", "NFKC", "NFKD"):
        assert normalise(unicodedata.normalize(form, text)).text == expected, form
    assert [t.text for t in tokens(unicodedata.normalize("NFD", text))] == [
        t.text for t in tokens(text)
    ]


@checked(300)
@given(hostile_text)
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise(text).text
    assert normalise(once).text == once


@checked(300)
@given(hostile_text)
def test_the_fast_path_agrees_with_folding_character_by_character(text: str) -> None:
    slow = _Builder()
    slow.other(text, 0, len(text))
    norm = normalise(text)
    assert norm.text == "".join(slow.out)
    assert list(norm.origin) == slow.origin
    assert list(norm.origin_end) == slow.origin_end


@checked(400)
@given(hostile_text)
@example("\u0e01\u0e33")  # Thai sara am folds to two characters: two overlapping words
def test_tokens_have_ordered_spans_that_hold_the_word(text: str) -> None:
    homoglyphs = _homoglyphs()
    previous = (0, 0)
    for token in tokens(text):
        assert token.text
        assert 0 <= token.start < token.end <= len(text)
        # One character may fold to several words ("½" is "1", a fraction slash, "2"), so spans may
        # overlap, but they never go back.
        assert previous[0] <= token.start and previous[1] <= token.end
        previous = (token.start, token.end)
        written = normalise(text[token.start : token.end]).text
        assert token.text in written or token.text in written.translate(homoglyphs)


INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u202a\u202c\u202e\u2066\u2069\u200e"


@checked(300)
@given(hostile_text, st.lists(st.tuples(st.integers(0, 80), st.sampled_from(INVISIBLE))))
def test_invisible_characters_between_words_change_no_word(
    text: str, inserts: list[tuple[int, str]]
) -> None:
    salted = text
    for at, char in sorted(inserts, reverse=True):
        at = min(at, len(salted))
        # Not inside a word: an invisible character there may end it (that is for the rules).
        if at == 0 or at == len(salted) or salted[at - 1].isspace() or salted[at].isspace():
            salted = salted[:at] + char + salted[at:]
    assert [t.text for t in tokens(salted)] == [t.text for t in tokens(text)]


# --- Extraction ---------------------------------------------------------------------------


@checked(400)
@given(st.binary(max_size=400))
@example(codecs.BOM_UTF16_LE + b"\x00\xd8")  # a lone surrogate
@example(b"caf\xe9 cr\xe8me")  # Windows-1252
@example(b"\xff\xfe\x00\x00\xff\xff\x10\x00")  # UTF-32 beyond the last character
def test_decoding_any_bytes_gives_text_or_unreadable(data: bytes) -> None:
    try:
        text = decode(data)
    except Unreadable as error:
        assert error.status in ("skipped", "error") and error.reason
        return
    text.encode("utf-8")  # no surrogates


@checked(300)
@given(hostile_text | st.text(st.sampled_from("\0a\ufeff"), max_size=6))
def test_decoding_round_trips_unicode(text: str) -> None:
    if "\0" not in text:  # NUL bytes without a byte order mark make a binary file
        assert decode(text.encode("utf-8")) == text.removeprefix("\ufeff")
    if not text.startswith("\0"):  # FF FE 00 00 is the UTF-32 mark
        assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == text
    assert decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == text
    assert decode(codecs.BOM_UTF32_LE + text.encode("utf-32-le")) == text
    assert decode(codecs.BOM_UTF32_BE + text.encode("utf-32-be")) == text


separators = st.sampled_from(["\n", "\r\n", "\r"])
# Lines of a document (any text without line breaks, fences, keys), joined by one kind of line
# break.
one_line = hostile_text.map(lambda s: LINE_BREAK.sub(" ", s))
text_lines = st.lists(
    st.one_of(one_line, st.sampled_from(["", "---", "+++", "title: x", "a = 1", "# H"])),
    max_size=8,
)
documents = st.builds(lambda lines, sep: sep.join(lines), text_lines, separators)

# Front matter as written: YAML or TOML between fences, with keys and values of every shape
# (strings with any character, numbers, lists, tables, comments, blank lines).
yaml_values = st.one_of(
    st.sampled_from(["x", "1", "-2.5", "~", "true", "[1, 2]", "{a: b}", "'q'", "", "|"]),
    one_line.map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    one_line.filter(lambda s: s.isalnum()),
)
yaml_lines = st.one_of(
    st.builds(
        "{}: {}".format, st.sampled_from(["title", "author", "license", "a", "source"]), yaml_values
    ),
    st.sampled_from(["", "# comment", "- item", "tags:", "  - x", "key", ": v", "\t"]),
)
toml_values = st.one_of(
    st.sampled_from(["1", "'x'", '"y"', "[1, 2]", "{ a = 1 }", "true", "1979-05-27", "x", ""]),
    one_line.map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
)
toml_lines = st.one_of(
    st.builds("{} = {}".format, st.sampled_from(["title", "author", "a.b", '"q"']), toml_values),
    st.sampled_from(["", "# comment", "[table]", "[[list]]", "= 1"]),
)


def front_matter(fence: str, lines: list[str], sep: str, body: str) -> str:
    return sep.join([fence, *lines, fence]) + sep + body


markdown = st.one_of(
    st.builds("{}{}".format, documents, st.sampled_from(["\n", "\r\n"])),
    *(
        st.builds(front_matter, st.just(fence), st.lists(lines, max_size=5), separators, documents)
        for fence, lines in (("---", yaml_lines), ("+++", toml_lines))
    ),
)


def assert_lines_map_exactly(raw: str, document: Document) -> None:
    """Every offset of ``document.text`` is located at the raw character it came from (the
    text is the end of ``raw``: a plain text whole, Markdown after its front matter)."""
    assert raw.endswith(document.text)
    skipped = len(raw) - len(document.text)
    for offset in range(len(document.text) + 1):
        location = document.lines.locate((offset, offset))
        assert raw_offset(raw, location.line, location.column) == skipped + offset, offset


@checked(300)
@given(hostile_text | documents)
def test_text_extraction_keeps_the_text_and_maps_every_offset(raw: str) -> None:
    document = extract_text(raw, "page.txt")
    assert document.text == raw
    assert_lines_map_exactly(raw, document)


@checked(300)
@given(markdown)
@example("---\ntitle: x\n---\r\nbody\rnext")
@example("+++\r\ntitle = 'x'\r\n+++\r\n\r\nbody")
def test_markdown_extraction_fails_only_as_unreadable_and_maps_every_offset(raw: str) -> None:
    try:
        metadata, body, first_line = split_front_matter(raw)
        document = extract_markdown(raw, "page.md")
    except Unreadable as error:
        assert error.status == "error" and error.reason.startswith("malformed front matter")
        return
    assert isinstance(metadata, dict) and document.metadata == metadata
    assert document.text == body and raw.endswith(body)
    assert first_line == document.lines.locate((0, 0)).line
    assert_lines_map_exactly(raw, document)


# Tag soup: the elements extraction treats specially, entities, comments, broken markup.
MARKUP = [
    *("<p>", "</p>", "<br>", "<div>", "</div>", "<h1>", "</h1>", "<li>", "<ul>", "</ul>"),
    *("<html>", "<body>", "<head>", "<title>", "</title>", "<article>", "</article>"),
    *("<a href='https://example.org/a'>", "<a href=/relative>", "<a>", "</a>"),
    *("<script>x()</script>", "<style>p{}</style>", "<table><tr><td>", "<pre>", "<iframe>"),
    *("&amp;", "&nbsp;", "&#0;", "&#xD800;", "&#99999999;", "&copy;", "&bogus;", "<!--", "-->"),
    *("<![CDATA[", "<?xml version='1.0' encoding='latin1'?>", "<!DOCTYPE html>", "<", ">"),
    "<meta name='author' content='Jane Doe'><meta name='copyright' content='© 2020 X'>",
    "<link rel=canonical href='https://example.org/a'><base href='https://example.org/'>",
    '<script type="application/ld+json">{"@type": "NewsArticle", "author": [1, {"a": null}],'
    ' "license": "https://creativecommons.org/licenses/by/4.0/"}</script>',
    '<script type="application/ld+json">{"@graph": [{"@id": "#a"}, [[]]], </script>',
]
html = st.lists(st.one_of(st.sampled_from(MARKUP), hostile_text), max_size=24).map("".join)


@checked(100)
@given(html)
def test_html_extraction_fails_only_as_unreadable_and_locates_inside_the_page(raw: str) -> None:
    for extract in (lambda: extract_html(raw, "page.html"), lambda: extract_page(raw, None)):
        try:
            document = extract()
        except Unreadable:
            continue
        lines = LINE_BREAK.split(raw)
        for offset in range(len(document.text) + 1):
            location = document.lines.locate((offset, offset))
            assert 1 <= location.line <= len(lines) and location.column >= 1
        for claim in find_claims(document):
            assert 0 <= claim.span[0] <= claim.span[1] <= len(document.text)


words = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzéü"), min_size=3, max_size=9)


def page(paragraphs: list[str], indent: str, sep: str) -> str:
    """A page of paragraphs, each starting with a word of its own ("Firstly", "Secondly" …)."""
    body = sep.join(
        f"{indent}<p>{'FSTQV'[number]}ly {paragraph}</p>"
        for number, paragraph in enumerate(paragraphs)
    )
    return f"<html>{sep}<body>{sep}<article>{sep}{body}{sep}</article>{sep}</body></html>"


@checked(60)
@given(
    st.builds(
        page,
        st.lists(st.lists(words, min_size=8, max_size=20).map(" ".join), min_size=2, max_size=5),
        st.sampled_from(["", "  ", "\t"]),
        separators,
    )
)
def test_html_lines_map_to_where_each_paragraph_is_written(raw: str) -> None:
    document = extract_html(raw, "page.html")
    assert document.text.strip()
    lines = LINE_BREAK.split(raw)
    offset = 0
    for line in document.text.split("\n"):
        location = document.lines.locate((offset, offset + len(line)))
        at = raw_offset(raw, location.line, location.column)
        assert raw[at:].startswith(line.split()[0])
        assert location.end_line == location.line
        assert location.end_column <= len(lines[location.line - 1]) + 1
        offset += len(line) + 1


# --- Claims -------------------------------------------------------------------------------

# Pieces of notices, links and markup that claims parsing reads.
NOTICE_PIECES = [
    *("Copyright", "(c)", "©", "&copy;", "\\251", "2020", "1999-2003", "2015-19", "by", "and"),
    *("Reuters", "(AP) —", "REUTERS/", "Source:", "Courtesy of", "originally published by"),
    *("This article is republished from", "CC BY 4.0", "CC0", "public domain", "By Jane Doe"),
    *("https://creativecommons.org/licenses/by-nd/4.0/", "www.example.org", "All rights reserved"),
    *("[x](https://a.example/c)", "![i](x.png)", "<a href='https://x.example/'>z</a>", "<a "),
    *("<https://auto.example>", "\n", "\r\n", "\r", "\n\n", "# ", "> ", "*", "_", "Inc.", ","),
    *(".", "Example News", "<", ">", "[", "]", "(", ")", "\u200b", "\ufeff\ufe00", "Author:"),
]
notice_text = st.lists(st.one_of(st.sampled_from(NOTICE_PIECES), hostile_text), max_size=30).map(
    " ".join
)
# Claims quoting their line: the claim's text is the text at its span.
LINE_KINDS = {"copyright", "credit", "license", "byline", "agency"}


def assert_claims_hold(text: str, claims: list[Claim]) -> None:
    in_text = [c for c in claims if c.origin == "text"]
    assert [c.span for c in in_text] == sorted(c.span for c in in_text)
    for claim in claims:
        assert 0 <= claim.span[0] <= claim.span[1] <= len(text)
        if claim.origin == "text" and claim.kind in LINE_KINDS:
            assert text[claim.span[0] : claim.span[1]] == claim.text
        if claim.kind == "link" and claim.origin == "text":
            assert claim.span[0] < claim.span[1] and claim.url


@checked(400)
@given(st.one_of(hostile_text, notice_text))
def test_claims_parsing_never_fails_and_keeps_spans_in_the_text(text: str) -> None:
    assert_claims_hold(text, find_claims(text))


# Metadata of any shape: front matter and JSON-LD can hold anything.
metadata_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text, st.dates()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["name", "url", "@id", "@type", "x"]), inner, max_size=3),
    ),
    max_leaves=12,
)
metadata_keys = st.sampled_from(
    ["author", "authors", "license", "copyright", "rights", "canonical", "source", "date", "x"]
)


json_ld_objects = st.dictionaries(
    st.sampled_from(
        [
            *("@type", "@id", "author", "creator", "copyrightHolder", "copyrightYear"),
            *("license", "isBasedOn", "datePublished", "creditText", "copyrightNotice"),
        ]
    ),
    metadata_values | st.sampled_from(["NewsArticle", "#author", "https://example.org/a"]),
    max_size=6,
)


@checked(200)
@given(
    st.dictionaries(metadata_keys, metadata_values, max_size=5),
    st.lists(json_ld_objects, max_size=3),
    hostile_text,
)
def test_metadata_of_any_shape_makes_claims_without_failing(
    front_matter: dict[str, Any], json_ld: list[dict[str, Any]], text: str
) -> None:
    markdown_document = Document("page.md", text, "markdown", front_matter, raw=text)
    html_document = Document("page.html", text, "html", {"json_ld": json_ld}, raw=text)
    for document in (markdown_document, html_document):
        claims = find_claims(document)
        assert_claims_hold(text, claims)
        assert all(c.span == (0, 0) for c in claims if c.origin != "text")


def nested(depth: int) -> Any:
    value: Any = "Jane Doe"
    for _ in range(depth):
        value = [value]
    return value


def test_metadata_that_holds_itself_or_nests_deep_makes_claims() -> None:
    loop: list[Any] = ["Jane Doe"]
    loop.append(loop)  # what YAML aliases make of "author: &a [Jane Doe, *a]"
    laughs: list[Any] = ["lol"] * 9
    for _ in range(7):
        laughs = [laughs] * 9  # nine to the eighth "lol"s, each list read once
    deep = nested(sys.getrecursionlimit() + 10)
    for metadata in (
        {"author": loop, "source": loop},
        {"author": laughs, "license": laughs},
        {"author": deep, "copyright": deep},
        {"json_ld": [{"@type": "NewsArticle", "author": deep, "isBasedOn": [deep, loop]}]},
    ):
        for kind in ("markdown", "html"):
            claims = find_claims(Document("page", "Body text.", kind, metadata))
            assert all(c.span == (0, 0) for c in claims)
    claims = find_claims(Document("page.md", "", "markdown", {"author": loop}))
    (byline,) = [c for c in claims if c.kind == "byline"]
    assert byline.holder == "Jane Doe"


# A notice line, the claim it makes, and what the claim must say.
NOTICE_LINES: list[tuple[str, str, Callable[[Claim], bool]]] = [
    (
        "Copyright (c) 2020 Example News Ltd.",
        "copyright",
        lambda c: c.holder == "Example News Ltd" and c.years == (2020,),
    ),
    (
        "© 2015-2019 Example News",
        "copyright",
        lambda c: c.holder == "Example News" and c.years == tuple(range(2015, 2020)),
    ),
    (
        "This article is republished from The Conversation under a Creative Commons license.",
        "credit",
        lambda c: c.holder == "The Conversation",
    ),
    (
        "This story was originally published by ProPublica.",
        "credit",
        lambda c: c.holder == "ProPublica",
    ),
    ("Licensed under CC BY 4.0.", "license", lambda c: c.license == "CC-BY-4.0"),
    (
        "With reporting by Reuters and AFP",
        "agency",
        lambda c: c.agencies == ("Reuters", "AFP"),
    ),
    ("By Jane Doe and John Smith", "byline", lambda c: c.holder == "Jane Doe and John Smith"),
]
# Markdown around a line, which claims leave out of its span.
DECORATIONS = [("", ""), ("**", "**"), ("> ", ""), ("## ", ""), ("_", "_"), ("  ", " \t")]


@checked(300)
@given(
    notice_text,
    notice_text,
    st.sampled_from(["\n\n", "\r\n\r\n", "\r\r", "\n \n", "\n\t\n"]),
    st.sampled_from(NOTICE_LINES),
    st.sampled_from(DECORATIONS),
)
def test_a_notice_line_is_found_wherever_it_is_put(
    before: str,
    after: str,
    blank: str,
    notice: tuple[str, str, Callable[[Claim], bool]],
    decoration: tuple[str, str],
) -> None:
    line, kind, says = notice
    text = f"{before}{blank}{decoration[0]}{line}{decoration[1]}{blank}{after}"
    start = len(before) + len(blank) + len(decoration[0])
    found = [
        c for c in find_claims(text) if c.kind == kind and c.span == (start, start + len(line))
    ]
    assert len(found) == 1
    assert says(found[0]), found[0]


@pytest.mark.parametrize(
    "text",
    [
        '<a href="https://x.example/">' * 8_000,  # anchors that never close
        "<a " + "href=x " * 30_000,  # a tag that never closes, href after href
        "https://a.example/" * 12_000,  # a URL run holding thousands of schemes
        "Source: " + "<a x>" * 40_000,  # a line of unclosed anchors (credit lines read it)
        "(c)" * 20_000,  # a holder of signs without a space, trimmed one by one
        "© " + "x" * 100_000,  # a holder that is one long word
        "Photo: " * 9_000,  # photo credits without an agency
    ],
    ids=[
        "unclosed-anchors",
        "unclosed-tag",
        "url-run",
        "anchors-in-a-line",
        "signs",
        "long-holder",
        "photo-credits",
    ],
)
def test_hostile_text_takes_time_linear_in_its_length(text: str) -> None:
    started = time.perf_counter()
    assert_claims_hold(text, find_claims(text))
    # Quadratic parsing took seconds to minutes on these; linear parsing, well under a second.
    assert time.perf_counter() - started < 10


# --- Alignment ----------------------------------------------------------------------------

latin_words = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=2, max_size=7)
common_words = st.sampled_from(["the", "a", "of", "and", "中", "по", "\u03bf"])  # omicron
mixed_text = st.lists(
    st.one_of(latin_words, common_words, st.text(characters, min_size=1, max_size=5)), max_size=150
).map(" ".join)


def assert_passages_hold(alignment: Alignment, target: str, source: str) -> None:
    target_tokens, source_tokens = tokens(target), tokens(source)
    end = 0
    for passage in alignment.passages:
        assert 0 <= passage.target[0] < passage.target[1] <= len(target)
        assert 0 <= passage.source[0] < passage.source[1] <= len(source)
        assert end <= passage.target[0]  # in target order, never overlapping
        end = passage.target[1]
        assert passage.words >= MIN_PASSAGE_WORDS and passage.edits >= 0
    assert 0 <= alignment.source_coverage <= 1 and 0 <= alignment.target_share <= 1
    if alignment.passages:
        assert alignment.target_share * len(target_tokens) == pytest.approx(alignment.words)
        assert alignment.words <= min(len(target_tokens), len(source_tokens))
    else:
        assert alignment.source_coverage == alignment.target_share == 0


@checked(200)
@given(mixed_text, mixed_text)
def test_passages_lie_inside_both_texts_in_order(target: str, source: str) -> None:
    assert_passages_hold(align(tokens(target), tokens(source)), target, source)


def most_repeated_trigram(text: str) -> int:
    words = [t.text for t in tokens(text)]
    return max(Counter(zip(words, words[1:], words[2:], strict=False)).values(), default=0)


@checked(200)
@given(
    st.lists(
        st.one_of(latin_words, common_words, st.text(characters, min_size=1, max_size=5)),
        min_size=MIN_PASSAGE_WORDS,
        max_size=150,
    ).map(" ".join)
)
def test_a_text_aligned_with_itself_is_one_passage_covering_it(text: str) -> None:
    found = tokens(text)
    assume(len(found) >= MIN_PASSAGE_WORDS)  # a word of punctuation is no word
    assume(most_repeated_trigram(text) <= MAX_SEED_REPEATS)  # more is no evidence of copying
    alignment = align(found, found)
    assert_passages_hold(alignment, text, text)
    (passage,) = alignment.passages
    assert passage.target == passage.source == (found[0].start, found[-1].end)
    assert passage.words == len(found) and passage.edits == 0
    assert alignment.source_coverage == alignment.target_share == 1.0


# Words of a passage, and unrelated text that shares no word with it (CJK and digits: each
# character a word, so they stay apart from the Latin words of the passage).
passages = st.lists(latin_words, min_size=MIN_PASSAGE_WORDS, max_size=40, unique=True)
unrelated = st.text(st.sampled_from("中文字漢語日本のひらカタ 0123456789,.;\n\u200b"), max_size=300)


@checked(200)
@given(passages, unrelated, unrelated, st.sampled_from([str.upper, str.title, lambda s: s]))
def test_a_copied_passage_is_found_whatever_surrounds_it(
    words: list[str], before: str, after: str, restyle: Callable[[str], str]
) -> None:
    source = " ".join(words)
    copied = restyle(source).replace(" ", " \u00a0")  # restyled, spaced differently
    target = f"{before} {copied} {after}"
    alignment = align(tokens(target), tokens(source))
    assert_passages_hold(alignment, target, source)
    (passage,) = alignment.passages
    start = len(before) + 1
    assert passage.target == (start, start + len(copied))
    assert passage.source == (0, len(source))
    assert passage.words == len(words) and passage.edits == 0
    assert alignment.source_coverage == 1.0


@checked(200)
@given(
    st.lists(latin_words, min_size=3 * MIN_PASSAGE_WORDS, max_size=90, unique=True),
    st.data(),
)
def test_a_passage_two_texts_share_is_found_from_either_side(
    vocabulary: list[str], data: st.DataObject
) -> None:
    # Three disjoint sets of words: the shared passage, the rest of each text.
    size = data.draw(st.integers(MIN_PASSAGE_WORDS, len(vocabulary) - 2 * 2))
    shared, rest = vocabulary[:size], vocabulary[size:]
    split = data.draw(st.integers(1, len(rest) - 1))
    mine, theirs = rest[:split], rest[split:]
    cut_a = data.draw(st.integers(0, len(mine)))
    cut_b = data.draw(st.integers(0, len(theirs)))
    a = " ".join([*mine[:cut_a], *shared, *mine[cut_a:]])
    b = " ".join([*theirs[:cut_b], *shared, *theirs[cut_b:]])
    forward, backward = align(tokens(a), tokens(b)), align(tokens(b), tokens(a))
    assert_passages_hold(forward, a, b)
    assert_passages_hold(backward, b, a)
    assert [(p.target, p.source, p.words) for p in forward.passages] == [
        (p.source, p.target, p.words) for p in backward.passages
    ]
    assert len(forward.passages) == 1
    assert forward.source_coverage == backward.target_share
    assert forward.target_share == backward.source_coverage
