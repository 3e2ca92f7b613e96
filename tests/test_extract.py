from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest

from provenance.extract import Unreadable, extract_file
from provenance.models import Document, Location

ARTICLE = Path(__file__).resolve().parent.parent / "fixtures" / "html" / "article.html"

PARAGRAPHS = [
    "The small passenger ferry that links the fishing town of Port Alder",
    "The service was suspended after a storm tore the landing stage from its pilings",
    '"We have been driving the long way round for two winters," said Margaret Odell',
    "The rebuilt landing stage is higher and wider than the old one",
    "The ferry will run six crossings a day through the summer and four in winter",
]
BOILERPLATE = [
    "Local Politics Desk",
    "Subscriber Services Portal",
    "Sign up for our free daily briefing",
    "Morning Tide newsletter",
    "All rights reserved worldwide",
    "Privacy policy and cookie settings",
]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line number of the first occurrence of ``needle``."""
    return text.count("\n", 0, text.index(needle)) + 1


def unreadable(path: Path) -> Unreadable:
    with pytest.raises(Unreadable) as caught:
        extract_file(path)
    return caught.value


# -- Markdown --------------------------------------------------------------------------------

YAML_PAGE = """---
title: "Flooded Library Reopens"
date: 2022-06-09
tags: [floods, libraries]
---

First paragraph of the story.

Second paragraph, with a copyright line below.

Copyright 2022 RFE/RL
"""

TOML_PAGE = """+++
title = "Steppe Observatory"
draft = false
weight = 3
+++
Opening line of the body.
Closing line of the body.
"""


def test_markdown_yaml_front_matter_becomes_metadata(tmp_path: Path) -> None:
    doc = extract_file(write(tmp_path, "page.md", YAML_PAGE))
    assert doc.format == "markdown"
    assert doc.metadata == {
        "title": "Flooded Library Reopens",
        "date": dt.date(2022, 6, 9),
        "tags": ["floods", "libraries"],
    }
    assert "title:" not in doc.text
    assert doc.text.lstrip().startswith("First paragraph")


def test_markdown_yaml_body_offsets_map_to_file_lines(tmp_path: Path) -> None:
    doc = extract_file(write(tmp_path, "page.md", YAML_PAGE))
    for needle in ("First paragraph", "Second paragraph", "Copyright 2022"):
        offset = doc.text.index(needle)
        assert doc.lines.position(offset) == (line_of(YAML_PAGE, needle), 1)
    start = doc.text.index("RFE/RL")
    line = line_of(YAML_PAGE, "RFE/RL")
    assert doc.lines.locate((start, start + len("RFE/RL"))) == Location(line, 16, line, 22)


def test_markdown_toml_front_matter(tmp_path: Path) -> None:
    doc = extract_file(write(tmp_path, "page.markdown", TOML_PAGE))
    assert doc.metadata == {"title": "Steppe Observatory", "draft": False, "weight": 3}
    assert doc.text.startswith("Opening line")
    assert doc.lines.position(0) == (6, 1)
    assert doc.lines.position(doc.text.index("Closing")) == (7, 1)
    assert doc.lines.position(doc.text.index("body.")) == (6, 21)


def test_markdown_without_front_matter_starts_at_line_one(tmp_path: Path) -> None:
    doc = extract_file(write(tmp_path, "page.md", "# Title\n\nBody text.\n"))
    assert doc.metadata == {}
    assert doc.text == "# Title\n\nBody text.\n"
    assert doc.lines.position(doc.text.index("Body")) == (3, 1)


def test_markdown_crlf_front_matter(tmp_path: Path) -> None:
    raw = "---\r\ntitle: Windows\r\n---\r\nBody one\r\nBody two\r\n"
    doc = extract_file(write(tmp_path, "page.md", raw))
    assert doc.metadata == {"title": "Windows"}
    assert doc.lines.position(doc.text.index("Body two")) == (5, 1)


@pytest.mark.parametrize(
    "raw",
    [
        "---\ntitle: [unclosed\n---\nBody\n",
        "---\n- just\n- a list\n---\nBody\n",
        "+++\ntitle = \n+++\nBody\n",
    ],
    ids=["yaml-syntax", "yaml-not-a-mapping", "toml-syntax"],
)
def test_malformed_front_matter_is_an_error(tmp_path: Path, raw: str) -> None:
    problem = unreadable(write(tmp_path, "page.md", raw))
    assert problem.status == "error"
    assert "front matter" in problem.reason


def test_empty_front_matter_is_no_metadata(tmp_path: Path) -> None:
    doc = extract_file(write(tmp_path, "page.md", "---\n---\nBody\n"))
    assert doc.metadata == {}
    assert doc.text == "Body\n"
    assert doc.lines.position(0) == (3, 1)


# -- plain text and encodings -----------------------------------------------------------------


def test_plain_text_keeps_everything_and_maps_lines(tmp_path: Path) -> None:
    raw = "---\nnot front matter in a .txt\n---\nLine four\n"
    doc = extract_file(write(tmp_path, "story.txt", raw), display="shown/story.txt")
    assert (doc.format, doc.text, doc.metadata) == ("text", raw, {})
    assert doc.path == "shown/story.txt"
    assert doc.lines.position(raw.index("four")) == (4, 6)


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    doc = extract_file(write(tmp_path, "story.txt", codecs.BOM_UTF8 + "Héllo".encode()))
    assert doc.text == "Héllo"


@pytest.mark.parametrize(
    ("bom", "encoding"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_utf16_with_bom_decodes(tmp_path: Path, bom: bytes, encoding: str) -> None:
    data = bom + "Zürich — “quoted”\nsecond line".encode(encoding)
    doc = extract_file(write(tmp_path, "story.txt", data))
    assert doc.text == "Zürich — “quoted”\nsecond line"
    assert doc.lines.position(doc.text.index("second")) == (2, 1)


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    problem = unreadable(write(tmp_path, "story.txt", b"text\x00\x01\x02more"))
    assert problem.status == "skipped"
    assert "binary" in problem.reason


def test_legacy_encodings_are_detected(tmp_path: Path) -> None:
    western = "Google\u2019s \u201cPageRank\u201d \u2013 caf\xe9".encode("cp1252")
    assert extract_file(write(tmp_path, "a.txt", western)).text == (
        "Google\u2019s \u201cPageRank\u201d \u2013 caf\xe9"
    )
    russian = "Привет мир, как дела?"
    assert extract_file(write(tmp_path, "b.txt", russian.encode("cp1251"))).text == russian


def test_bytes_in_no_known_encoding_are_an_error_naming_the_byte(tmp_path: Path) -> None:
    problem = unreadable(write(tmp_path, "story.md", bytes(range(128, 256)) * 4))
    assert problem.status == "error"
    assert "UTF-8" in problem.reason
    assert "0x80" in problem.reason
    assert "offset 0" in problem.reason


@pytest.mark.parametrize("name", ["picture.png", "data.json", "Makefile", "hugo.toml"])
def test_unsupported_extension_is_skipped(tmp_path: Path, name: str) -> None:
    problem = unreadable(write(tmp_path, name, "some text"))
    assert problem.status == "skipped"
    assert "not a text format" in problem.reason


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    problem = unreadable(tmp_path / "missing.md")
    assert problem.status == "error"
    assert "cannot be read" in problem.reason


# -- HTML ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def article() -> tuple[str, Document]:
    return ARTICLE.read_text(encoding="utf-8"), extract_file(ARTICLE)


def test_html_keeps_the_article_paragraphs(article: tuple[str, Document]) -> None:
    _, doc = article
    assert doc.format == "html"
    for paragraph in PARAGRAPHS:
        assert paragraph in doc.text


def test_html_drops_navigation_newsletter_related_and_footer(article: tuple[str, Document]) -> None:
    _, doc = article
    for boilerplate in [*BOILERPLATE, "Related stories", "Causeway tolls to rise"]:
        assert boilerplate not in doc.text


def test_html_metadata(article: tuple[str, Document]) -> None:
    _, doc = article
    assert doc.metadata["title"] == "Harbor Ferry Service Returns After Two-Year Pause"
    assert doc.metadata["author"] == "Dana Whitfield"
    assert doc.metadata["date"] == "2023-04-18"


@pytest.mark.parametrize("paragraph", PARAGRAPHS)
def test_html_offsets_map_to_the_paragraph_line(
    article: tuple[str, Document], paragraph: str
) -> None:
    raw, doc = article
    line, _ = doc.lines.position(doc.text.index(paragraph))
    assert line == line_of(raw, paragraph)


# Text in paragraphs that start with a word.
@pytest.mark.parametrize("needle", ["The small passenger", "Port Alder", "Engineers said"])
def test_html_offsets_map_to_the_column_of_the_text(
    article: tuple[str, Document], needle: str
) -> None:
    raw, doc = article
    line, column = doc.lines.position(doc.text.index(needle))
    assert line == line_of(raw, needle)
    assert raw.splitlines()[line - 1][column - 1 :].startswith(needle)


def test_html_columns_for_lines_that_start_with_punctuation_or_entities(tmp_path: Path) -> None:
    lines = [
        "<html><head><title>Harbour notes</title></head><body><article>",
        '<p>"We were not ready," said the owner of the harbour caf&eacute; on Tuesday morning.</p>',
        "<p>Caf&eacute; owners didn&#x2019;t reopen until the ferries came back to the island.</p>",
        "</article></body></html>",
    ]
    doc = extract_file(write(tmp_path, "page.html", "\n".join(lines)))
    for needle, line, column in (('"We were', 2, 4), ("Café owners", 3, 4)):
        assert doc.lines.position(doc.text.index(needle)) == (line, column)


def test_utf32_with_bom_decodes(tmp_path: Path) -> None:
    doc = extract_file(write(tmp_path, "page.txt", "Grüße aus Köln".encode("utf-32")))
    assert doc.text == "Grüße aus Köln"


def test_a_fifo_is_skipped_not_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    problem = unreadable(fifo)
    assert (problem.status, problem.reason) == ("skipped", "not a regular file")


# -- HTML metadata for claims ----------------------------------------------------------------

CONVERSATION = ARTICLE.parent.parent / "claims" / "conversation.html"


@pytest.fixture(scope="module")
def conversation() -> Document:
    return extract_file(CONVERSATION)


def test_html_meta_tags_by_name_or_property_in_lower_case(conversation: Document) -> None:
    meta = conversation.metadata["meta"]
    assert meta["author"] == ["Helen Marsh"]
    assert meta["dc.rights"] == ["https://creativecommons.org/licenses/by-nd/4.0/"]
    assert meta["og:site_name"] == ["Riverside Courier"]
    assert meta["tdm-reservation"] == ["1"]


def test_html_json_ld_objects_from_the_graph(conversation: Document) -> None:
    objects = conversation.metadata["json_ld"]  # the broken second script is left out
    assert [o["@type"] for o in objects] == [
        "NewsArticle",
        "Person",
        "Organization",
        "BreadcrumbList",
    ]
    assert objects[0]["copyrightHolder"] == {"@type": "Organization", "name": "The Conversation"}


def test_html_canonical_and_licence_links(conversation: Document) -> None:
    original = "https://theconversation.com/why-tidal-mills-are-turning-again-219876"
    assert conversation.metadata["canonical"] == original
    assert conversation.metadata["license_links"] == [
        "https://creativecommons.org/licenses/by-nd/4.0/"
    ]


def test_html_anchors_placed_in_the_main_text(conversation: Document) -> None:
    text = conversation.text
    placed = {
        link["text"]: link["url"]
        for link in conversation.metadata["links"]
        if link["span"] and text[link["span"][0] : link["span"][1]] == link["text"]
    }
    assert placed == {
        "Helen Marsh": "https://theconversation.com/profiles/helen-marsh-101010",
        "University of Exeter": "https://theconversation.com/institutions/university-of-exeter-1234",
        "local tide tables": "https://www.example-tide-tables.org/",
        "The Conversation": "https://theconversation.com",
        "Creative Commons license": "https://creativecommons.org/licenses/by-nd/4.0/",
        "original article": "https://theconversation.com/why-tidal-mills-are-turning-again-219876",
    }


def test_html_anchors_outside_the_main_text_have_no_span(conversation: Document) -> None:
    outside = {link["text"]: link for link in conversation.metadata["links"] if not link["span"]}
    # "Science" appears in no line of the story; relative links resolve against the page's own
    # address (og:url), not against the canonical URL of the original
    assert outside["Science"]["url"] == "https://www.riverside-courier.example/science"
    assert "Share on Facebook" in outside
    assert "Eels return to the upper river after weir removed" in outside


def test_html_boilerplate_is_the_visible_text_outside_the_main_text(conversation: Document) -> None:
    boilerplate = conversation.metadata["boilerplate"]
    assert "© 2024 Riverside Courier Ltd. All rights reserved." in boilerplate
    assert "Home" in boilerplate
    assert not any("tide turned the wheels" in line for line in boilerplate)
    assert not any("schema.org" in line or "{" in line for line in boilerplate)  # no scripts


def test_html_base_href_resolves_links(tmp_path: Path) -> None:
    page = (
        '<html><head><base href="https://news.example/world/"></head><body>'
        '<nav><a href="../about">About us</a> <a href="mailto:desk@news.example">Mail</a></nav>'
        "<article><p>" + "The ferry crossed the bay again on Monday morning. " * 12 + "</p>"
        "</article></body></html>"
    )
    doc = extract_file(write(tmp_path, "page.html", page))
    assert doc.metadata["links"] == [
        {"url": "https://news.example/about", "text": "About us", "span": None}
    ]


@pytest.mark.parametrize("page", ["", "   ", "<html></html>", "just words, no markup"])
def test_html_without_markup_or_body_has_no_page_metadata(tmp_path: Path, page: str) -> None:
    doc = extract_file(write(tmp_path, "page.html", page))
    for key in ("meta", "json_ld", "canonical", "license_links", "links"):
        assert key not in doc.metadata
