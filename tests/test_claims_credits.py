from __future__ import annotations

import pytest

from provenance.claims import find_claims
from provenance.models import Claim


def credits(text: str) -> list[Claim]:
    return [c for c in find_claims(text) if c.kind == "credit"]


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        (
            "This article is republished from The Conversation under a Creative Commons "
            "license. Read the original article.",
            "The Conversation",
        ),
        ("This story was originally published by ProPublica.", "ProPublica"),
        (
            "This story by Jane Doe originally appeared on Global Voices on 3 May 2021",
            "Global Voices",
        ),
        (
            "KFF Health News is a national newsroom that produces in-depth journalism about health "
            "issues and is one of the core operating programs at KFF.",
            "KFF Health News",
        ),
        ("This article was reprinted from khn.org, the website of KFF Health News.", "khn.org"),
        ("This article was reprinted from kffhealthnews.org", "kffhealthnews.org"),
        ("Source: VOA", "VOA"),
        ("Source: Russian Defense Ministry, October 25, 2019", "Russian Defense Ministry"),
        ("Courtesy of the Smith family", "Smith family"),
        ("Photo courtesy of NASA", "NASA"),
        ("Credit: NASA/JPL", "NASA/JPL"),
        ("Reprinted with permission from The Kyiv Independent.", "The Kyiv Independent"),
        (
            "A version of this story was first published by Inside Climate News on Jan. 5, 2022.",
            "Inside Climate News",
        ),
        ("Originally published on Live Science.", "Live Science"),
    ],
)
def test_publishers_credit_lines(line: str, holder: str) -> None:
    (claim,) = credits(line)
    assert claim.holder == holder
    assert claim.text == line


def test_credit_in_a_markdown_link_names_the_link_text() -> None:
    line = "This story was originally published by [ProPublica](https://www.propublica.org/a/1)."
    (claim,) = credits(line)
    assert claim.holder == "ProPublica"


def test_global_voices_credit_keeps_the_year() -> None:
    (claim,) = credits("This story by Jane Doe originally appeared on Global Voices on 3 May 2021")
    assert claim.years == (2021,)


@pytest.mark.parametrize(
    "line",
    [
        "Originally published in 1950, the novel sold well.",
        "The novel, originally published in 1950, sold well.",
        "First Published on Nov 20, 2019 01:38 pm",
        "This article has been adapted from its original source.",
        "Source: the ministry said on Monday that the figures were wrong and would be corrected.",
        "The images, courtesy of the museum, show the harbour in 1900.",
        "Republished in paperback last year, the memoir sold well.",
    ],
)
def test_prose_and_dates_are_not_credits(line: str) -> None:
    assert credits(line) == []
