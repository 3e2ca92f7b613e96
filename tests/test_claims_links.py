from __future__ import annotations

from provenance.claims import find_claims
from provenance.models import Claim, Document


def links(text: str) -> list[Claim]:
    return [c for c in find_claims(text) if c.kind == "link"]


def test_markdown_links_autolinks_anchors_and_bare_urls() -> None:
    text = (
        'See the [review of grant files](https://www.propublica.org/documents/x "Files") '
        "and <https://example.org/autolink>.\n"
        'Rules: https://health.example.gov/rules/clinic-repairs. <a href="https://example.org/'
        'i?a=1&amp;b=2">Read the <b>full</b> interview</a>\n'
        "Also www.rferl.org/a/1.html (and https://en.wikipedia.org/wiki/Mill_(grinding)).\n"
    )
    found = links(text)
    assert [(c.text, c.url) for c in found] == [
        ("review of grant files", "https://www.propublica.org/documents/x"),
        ("https://example.org/autolink", "https://example.org/autolink"),
        (
            "https://health.example.gov/rules/clinic-repairs",
            "https://health.example.gov/rules/clinic-repairs",
        ),
        ("Read the full interview", "https://example.org/i?a=1&b=2"),
        ("www.rferl.org/a/1.html", "http://www.rferl.org/a/1.html"),
        (
            "https://en.wikipedia.org/wiki/Mill_(grinding)",
            "https://en.wikipedia.org/wiki/Mill_(grinding)",
        ),
    ]
    # the span is where the URL is written
    assert text[found[0].span[0] : found[0].span[1]] == "https://www.propublica.org/documents/x"
    assert text[found[2].span[0] : found[2].span[1]] == found[2].url


def test_images_and_names_of_sites_are_not_links() -> None:
    text = (
        "![The roof](https://images.example.org/roof.jpg)\nReprinted from khn.org and Amazon.com."
    )
    assert links(text) == []


def test_a_link_is_found_once() -> None:
    text = "[https://example.org/a](https://example.org/a) <https://example.org/b>"
    assert [c.url for c in links(text)] == ["https://example.org/a", "https://example.org/b"]


def test_html_anchors_placed_by_extraction_are_text_links() -> None:
    text = "Read the original article here."
    metadata = {
        "links": [
            {"url": "https://example.org/original", "text": "original article", "span": [9, 25]},
            {"url": "https://example.org/nav", "text": "Home", "span": None},
        ]
    }
    document = Document("page.html", text, "html", metadata)
    claims = [c for c in find_claims(document) if c.kind == "link"]
    assert [(c.text, c.url, c.span, c.origin) for c in claims] == [
        ("original article", "https://example.org/original", (9, 25), "text")
    ]
