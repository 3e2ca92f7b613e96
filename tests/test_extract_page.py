from __future__ import annotations

import json
from pathlib import Path

from provenance.extract import extract_file, extract_page, extraction_summary

PAGES = Path(__file__).resolve().parent / "pages"
PAGE = (PAGES / "news_article.html").read_text(encoding="utf-8")
URL = "https://mirror.example/2024/02/night-trains.html"


def test_a_page_in_memory_is_extracted_like_a_file() -> None:
    page = extract_page(PAGE, URL)
    from_file = extract_file(PAGES / "news_article.html")
    assert page.path == URL
    assert page.format == "html"
    assert page.text == from_file.text
    assert page.lines == from_file.lines
    assert page.metadata["boilerplate"] == from_file.metadata["boilerplate"]


def test_relative_links_resolve_against_the_url_the_page_came_from() -> None:
    links = {link["text"]: link["url"] for link in extract_page(PAGE, URL).metadata["links"]}
    assert links["Transport Desk"] == "https://mirror.example/transport"
    assert links["Privacy and cookie policy"] == "https://mirror.example/privacy"


def test_a_page_without_a_url_is_shown_as_standard_input() -> None:
    assert extract_page(PAGE).path == "-"


def test_summary_of_a_page() -> None:
    summary = extraction_summary(extract_page(PAGE, URL))
    assert list(summary) == ["path", "format", "title", "metadata", "text"]
    assert summary["path"] == URL
    assert summary["format"] == "html"
    assert summary["title"] == "Night Trains Return to the Valley Line"
    assert summary["metadata"]["author"] == "Tomas Lindqvist"
    assert summary["metadata"]["canonical"] == (
        "https://valley-courier.example/transport/night-trains-return"
    )
    assert "Subscribe to the Valley Briefing newsletter" in summary["metadata"]["boilerplate"]
    assert summary["text"].startswith("Night Trains Return to the Valley Line\nSleeper trains")
    assert json.loads(json.dumps(summary)) == summary


def test_summary_of_markdown_makes_front_matter_dates_json(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: Mill Day\ndate: 2022-06-09\ntags: [mills]\n---\nBody.\n")
    summary = extraction_summary(extract_file(path, display="post.md"))
    assert summary == {
        "path": "post.md",
        "format": "markdown",
        "title": "Mill Day",
        "metadata": {"title": "Mill Day", "date": "2022-06-09", "tags": ["mills"]},
        "text": "Body.\n",
    }
    json.dumps(summary)


def test_summary_without_a_title(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Plain words.\n")
    assert extraction_summary(extract_file(path))["title"] is None
