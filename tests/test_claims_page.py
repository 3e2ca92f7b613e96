from __future__ import annotations

from pathlib import Path

from provenance.claims import find_claims
from provenance.extract import extract_file, extract_html

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "claims"


def test_footer_copyright_and_licence_lines_are_page_claims() -> None:
    claims = find_claims(extract_file(FIXTURES / "conversation.html"))
    page = [c for c in claims if c.origin in ("page", "html")]
    assert [(c.kind, c.holder or c.license or c.url, c.origin) for c in page] == [
        ("copyright", "Riverside Courier Ltd", "page"),
        ("license", "CC-BY-4.0", "page"),
        ("link", "https://creativecommons.org/licenses/by/4.0/", "html"),
    ]
    assert all(c.span == (0, 0) for c in page)
    assert page[0].years == (2024,)


def test_navigation_and_share_links_are_not_claims() -> None:
    claims = find_claims(extract_file(FIXTURES / "conversation.html"))
    urls = {c.url for c in claims if c.kind == "link"}
    assert not any("facebook.com" in url or url.endswith("/science") for url in urls if url)


def test_lines_of_the_main_text_are_not_repeated() -> None:
    story = "<p>" + "The ferry crossed the bay again on Monday morning. " * 12 + "</p>"
    html = (
        f"<html><body><article>{story}<p>© 2021 Example News</p></article>"
        "<footer><p>© 2021 Example News</p><p>Originally published by Harbour Times.</p>"
        "</footer></body></html>"
    )
    claims = find_claims(extract_html(html, "page.html"))
    assert [(c.kind, c.origin) for c in claims] == [
        ("copyright", "text"),
        ("credit", "page"),
    ]
