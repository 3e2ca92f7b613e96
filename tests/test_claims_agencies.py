from __future__ import annotations

import pytest

from provenance.claims import find_claims


def agencies(text: str) -> list[tuple[str, ...]]:
    return [c.agencies for c in find_claims(text) if c.kind == "agency"]


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("HANOI (Xinhua) -- Officials met on Monday.", ("Xinhua",)),
        ("MADRID (EFE) — The court ruled on Friday.", ("EFE",)),
        ("Protesters in Paris. Jane Roe/AFP via Getty Images", ("AFP",)),
        ("A rally in Tbilisi. (Photo: Jane Roe/AP)", ("AP",)),
        ("© Reuters", ("Reuters",)),
        ("By Tom Krisher, AP Auto Writer", ("AP",)),
        ("With reporting by Reuters, AP and dpa", ("AP", "Reuters", "dpa")),
        ("Compiled from wire reports by Interfax and TASS", ("TASS", "Interfax")),
    ],
)
def test_agency_markers(line: str, named: tuple[str, ...]) -> None:
    assert agencies(line) == [named]


@pytest.mark.parametrize(
    "line",
    [
        "A Reuters/Ipsos poll found most voters undecided.",
        "She told Reuters on Monday that she would stand again.",
        "The AP stylebook now accepts the word.",
    ],
)
def test_news_mentioning_agencies_is_not_agency_material(line: str) -> None:
    assert agencies(line) == []
