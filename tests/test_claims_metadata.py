from __future__ import annotations

from pathlib import Path

import pytest

from provenance.claims import find_claims
from provenance.extract import extract_file, extract_html
from provenance.models import Claim

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "claims"


def of(claims: list[Claim], kind: str) -> list[tuple[str | None, str]]:
    """(holder or licence or URL, origin) of the claims of ``kind`` read from metadata."""
    return [
        (c.holder or c.license or c.url, c.origin)
        for c in claims
        if c.kind == kind and c.origin != "text"
    ]


@pytest.fixture(scope="module")
def post() -> list[Claim]:
    return find_claims(extract_file(FIXTURES / "post.md"))


@pytest.fixture(scope="module")
def page() -> list[Claim]:
    return find_claims(extract_file(FIXTURES / "conversation.html"))


def test_front_matter_fields_are_metadata_claims(post: list[Claim]) -> None:
    assert of(post, "metadata") == [
        ("2023-03-02", "front matter: date"),
        ("Jane Doe, John Roe", "front matter: authors"),
        ("CC-BY-NC-ND-3.0", "front matter: license"),
        (
            "https://www.propublica.org/article/rural-clinics-promised-repairs",
            "front matter: canonical_url",
        ),
        ("ProPublica", "front matter: source"),
        ("Lakeside Weekly", "front matter: publisher"),
    ]
    (date,) = [c for c in post if c.origin == "front matter: date"]
    assert date.years == (2023,)


def test_front_matter_implies_typed_claims(post: list[Claim]) -> None:
    assert of(post, "byline") == [("Jane Doe, John Roe", "front matter: authors")]
    assert of(post, "license") == [("CC-BY-NC-ND-3.0", "front matter: license")]
    assert of(post, "link") == [
        (
            "https://www.propublica.org/article/rural-clinics-promised-repairs",
            "front matter: canonical_url",
        )
    ]
    assert of(post, "credit") == [("ProPublica", "front matter: source")]  # a name, not a URL


def test_text_claims_come_first_in_text_order_then_metadata(post: list[Claim]) -> None:
    in_text = [c for c in post if c.origin == "text"]
    assert post[: len(in_text)] == in_text
    assert [c.span for c in in_text] == sorted(c.span for c in in_text)
    assert {c.kind for c in in_text} == {"byline", "link", "credit", "license"}


def test_meta_tags_and_rel_links(page: list[Claim]) -> None:
    origins = [origin for _, origin in of(page, "metadata")]
    assert origins[:8] == [
        "meta: author",
        "meta: copyright",
        "meta: dc.rights",
        "meta: og:site_name",
        "meta: syndication-source",
        "meta: tdm-reservation",
        "link rel=canonical",
        "link rel=license",
    ]
    assert "meta: viewport" not in origins


def test_json_ld_fields(page: list[Claim]) -> None:
    assert [value for value, origin in of(page, "metadata") if origin.startswith("json-ld")] == [
        "Helen Marsh",  # an author given by @id, resolved in the @graph
        "The Conversation",
        "2024",
        "https://creativecommons.org/licenses/by-nd/4.0/",
        "https://theconversation.com/why-tidal-mills-are-turning-again-219876",
        "2024-02-14T06:00:00Z",
        "Riverside Courier",
    ]


def test_copyright_from_meta_and_json_ld(page: list[Claim]) -> None:
    copyrights = [c for c in page if c.kind == "copyright" and c.origin != "page"]
    assert [(c.holder, c.years, c.origin) for c in copyrights] == [
        ("The Conversation Media Group", (2024,), "meta: copyright"),
        ("The Conversation", (2024,), "json-ld: copyrightHolder"),
    ]
    assert all(c.span == (0, 0) for c in copyrights)


def test_licences_bylines_and_links_from_page_metadata(page: list[Claim]) -> None:
    assert of(page, "license") == [
        ("CC-BY-ND-4.0", "meta: dc.rights"),
        ("CC-BY-ND-4.0", "link rel=license"),
        ("CC-BY-ND-4.0", "json-ld: license"),
        ("CC-BY-4.0", "page"),
    ]
    assert of(page, "byline") == [
        ("Helen Marsh", "meta: author"),
        ("Helen Marsh", "json-ld: author"),
    ]
    original = "https://theconversation.com/why-tidal-mills-are-turning-again-219876"
    assert (original, "link rel=canonical") in of(page, "link")
    assert (original, "json-ld: isBasedOn") in of(page, "link")
    assert (original, "meta: syndication-source") in of(page, "link")


def page_with(head: str) -> list[Claim]:
    html = f"<html><head>{head}</head><body><article><p>{'Words of the story. ' * 20}</p>"
    html += "</article></body></html>"
    return find_claims(extract_html(html, "page.html"))


def test_json_ld_lists_nested_authors_and_other_objects() -> None:
    claims = page_with(
        '<script type="application/ld+json">[{"@type": ["BlogPosting"], "author": '
        '[{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Chen"}], '
        '"isBasedOn": ["https://a.example/1", "https://b.example/2"]}, '
        '{"@type": "ImageObject", "author": "Photo Agency", "license": "CC-BY-4.0"}]</script>'
    )
    assert of(claims, "byline") == [("Ann Lee, Bo Chen", "json-ld: author")]
    assert of(claims, "link") == [
        ("https://a.example/1", "json-ld: isBasedOn"),
        ("https://b.example/2", "json-ld: isBasedOn"),
    ]
    assert of(claims, "license") == []  # the image's licence is not the text's


def test_an_agency_as_author_is_agency_copy() -> None:
    claims = page_with('<meta name="author" content="Reuters">')
    (byline,) = [c for c in claims if c.kind == "byline"]
    assert (byline.holder, byline.agencies) == ("Reuters", ("Reuters",))


@pytest.mark.parametrize(
    ("content", "kind", "value"),
    [
        ("Copyright 2021 Example News", "copyright", "Example News"),
        ("Example News", "copyright", "Example News"),
        ("CC BY-SA 4.0", "license", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by/4.0/", "license", "CC-BY-4.0"),
    ],
)
def test_rights_meta_is_a_licence_or_a_copyright(content: str, kind: str, value: str) -> None:
    claims = page_with(f'<meta name="dc.rights" content="{content}">')
    assert of(claims, kind) == [(value, "meta: dc.rights")]


def test_a_page_without_metadata_makes_no_metadata_claims() -> None:
    assert page_with("") == []
