from __future__ import annotations

import pytest

from provenance.claims import find_claims
from provenance.models import Claim


def bylines(text: str) -> list[Claim]:
    return [c for c in find_claims(text) if c.kind == "byline"]


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        ("By Jane Smith", "Jane Smith"),
        ("*By Tamar Gelashvili*", "Tamar Gelashvili"),
        ("By Jane Smith and John Doe, Reuters", "Jane Smith and John Doe, Reuters"),
        ("By The Associated Press", "The Associated Press"),
        ("BY JANE SMITH", "JANE SMITH"),
        (
            "By Marie-Hélène Dupont and Jean de la Fontaine",
            "Marie-Hélène Dupont and Jean de la Fontaine",
        ),
        ("By [Jane Doe](https://example.org/staff/jane-doe)", "Jane Doe"),
    ],
)
def test_by_lines(line: str, holder: str) -> None:
    text = f"# Headline\n\n{line}\n\nThe story begins here.\n"
    (claim,) = bylines(text)
    assert claim.holder == holder
    assert text[claim.span[0] : claim.span[1]] == claim.text


@pytest.mark.parametrize(
    "line",
    [
        "By the time it receded, hundreds of books lay soaked on the floor.",
        "By Monday, officials said the bridge would reopen.",
        "By 2020 the town had grown to twice its size.",
        "By contrast, the others stayed home.",
        "By Jane Smith | staff writer covering the courts and the city council every day",
    ],
)
def test_sentences_starting_with_by_are_not_bylines(line: str) -> None:
    assert bylines(line) == []


def test_conversation_author_lines_at_the_top() -> None:
    text = (
        "# Why tidal mills are turning again\n\n"
        "Helen Marsh, Senior Lecturer in Engineering History, University of Exeter\n\n"
        "Tom Reed, University of Leeds\n\n"
        "For eight centuries the tide turned the wheels of mills.\n"
    )
    assert [c.holder for c in bylines(text)] == ["Helen Marsh", "Tom Reed"]


def test_author_like_lines_in_the_body_are_not_bylines() -> None:
    text = "\n\n".join(
        [
            "# Headline",
            "The first paragraph of the story.",
            "The second paragraph.",
            "The third paragraph.",
            "Jane Smith, University of Oxford",
            "John Smith, a professor at Harvard University said the study was flawed.",
        ]
    )
    assert bylines(text) == []
    top = "John Smith, a professor at Harvard University, said the study was flawed."
    assert bylines(top) == []


def test_a_byline_naming_an_agency_is_also_an_agency_credit() -> None:
    claims = find_claims("By Jane Smith, Associated Press\n\nThe story.")
    assert [(c.kind, c.agencies) for c in claims] == [("byline", ()), ("agency", ("AP",))]
