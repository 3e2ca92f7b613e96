from __future__ import annotations

from pathlib import Path

import pytest

from provenance.claims import find_claims
from provenance.models import Claim

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "claims" / "seed.txt"


def only(text: str) -> Claim:
    (claim,) = find_claims(text)
    return claim


def spans_match(text: str, claims: list[Claim]) -> bool:
    return all(text[c.span[0] : c.span[1]] == c.text for c in claims)


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


def test_seed_copyright_claim(seed: str) -> None:
    (claim,) = [c for c in find_claims(seed) if c.kind == "copyright"]
    assert claim.years == (2018,)
    assert claim.holder is not None
    assert "RFE/RL" in claim.holder
    assert claim.text.startswith("Copyright (c) 2018. RFE/RL, Inc.")
    assert seed[claim.span[0] : claim.span[1]] == claim.text


def test_seed_agency_claim(seed: str) -> None:
    (claim,) = [c for c in find_claims(seed) if c.kind == "agency"]
    assert claim.agencies == ("Reuters", "AFP")
    assert claim.text == "With reporting by Reuters and AFP"
    assert seed[claim.span[0] : claim.span[1]] == claim.text


def test_seed_claims_in_order_and_nothing_else(seed: str) -> None:
    claims = find_claims(seed)
    assert [c.kind for c in claims] == ["agency", "copyright"]
    assert claims[0].span[1] < claims[1].span[0]


@pytest.mark.parametrize(
    ("line", "years"),
    [
        ("Copyright 2015-2019 Example News Ltd.", (2015, 2016, 2017, 2018, 2019)),
        ("Copyright 2015\u20132019 Example News Ltd.", (2015, 2016, 2017, 2018, 2019)),
        ("Copyright 2015 - 2019 Example News Ltd.", (2015, 2016, 2017, 2018, 2019)),
        ("Copyright \u00a9 2015\u201319 Example News.", (2015, 2016, 2017, 2018, 2019)),
        ("Copyright 2008-12 Example News.", (2008, 2009, 2010, 2011, 2012)),
        ("Copyright 2021 Example News.", (2021,)),
    ],
)
def test_year_ranges(line: str, years: tuple[int, ...]) -> None:
    claim = only(line)
    assert claim.kind == "copyright"
    assert claim.years == years


def test_four_digit_year_range_does_not_leak_into_the_holder() -> None:
    assert only("Copyright 2015-2019 Example News Ltd.").holder == "Example News Ltd"


@pytest.mark.parametrize(
    ("line", "holder", "years"),
    [
        ("\u00a9 2020 The Daily Planet. All rights reserved.", "The Daily Planet", (2020,)),
        ("Copyright \u00a9 2023 BBC.", "BBC", (2023,)),
        ("\u00a9 Copyright 2023 BBC.", "BBC", (2023,)),
        ("(c) 2019 Foo Bar Inc", "Foo Bar Inc", (2019,)),
        ("(C) 2019 Foo Bar Inc", "Foo Bar Inc", (2019,)),
        ("\u00a92022 Example Media", "Example Media", (2022,)),
        (
            "Copyright 2020 The Associated Press. All rights reserved.",
            "The Associated Press",
            (2020,),
        ),
    ],
)
def test_copyright_sign_forms(line: str, holder: str, years: tuple[int, ...]) -> None:
    claim = only(line)
    assert (claim.kind, claim.holder, claim.years) == ("copyright", holder, years)


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        ("This story was originally published by ProPublica.", "ProPublica"),
        ("This article originally appeared on Grist.", "Grist"),
        ("This article originally appeared in Inside Climate News.", "Inside Climate News"),
        ("Republished with permission of Kyiv Independent.", "Kyiv Independent"),
        ("Reprinted by permission of the Baltic Times, Riga.", "Baltic Times"),
    ],
)
def test_credit_lines_without_copyright(line: str, holder: str) -> None:
    claim = only(line)
    assert (claim.kind, claim.holder, claim.years) == ("credit", holder, ())


def test_credit_line_with_a_copyright_year_is_a_copyright_claim() -> None:
    claim = only("Copyright 2021 Grist. This article originally appeared on Grist.")
    assert (claim.kind, claim.holder, claim.years) == ("copyright", "Grist", (2021,))


@pytest.mark.parametrize(
    ("line", "agencies"),
    [
        ("KYIV (Reuters) - Ukraine said on Monday it had retaken the village.", ("Reuters",)),
        ("NEW YORK (AP) \u2014 Stocks rose on Tuesday.", ("AP",)),
        ("MOSCOW (AFP) \u2013 The court ruled on Friday.", ("AFP",)),
        ("Firefighters at the scene. \u00a9 AFP", ("AFP",)),
        ("Police at the scene. AP/John Smith", ("AP",)),
        ("Marchers in Paris. AFP/Getty Images", ("AFP",)),
        ("Photo: Reuters/Jane Roe", ("Reuters",)),
        ("A rally in Tbilisi. AP Photo", ("AP",)),
        ("With reporting by Reuters, AP and dpa", ("AP", "Reuters", "dpa")),
        ("Compiled from wire reports by Interfax and TASS", ("TASS", "Interfax")),
        ("The Associated Press contributed to this report.", ("AP",)),
        ("Sources: Xinhua, Agence France-Presse", ("AFP", "Xinhua")),
    ],
)
def test_agency_credits_and_datelines(line: str, agencies: tuple[str, ...]) -> None:
    claim = only(line)
    assert (claim.kind, claim.agencies, claim.holder) == ("agency", agencies, None)


def test_spans_point_at_the_claim_text() -> None:
    text = (
        "# Headline\n\n"
        "BRUSSELS (Reuters) - Ministers met on Monday.\n\n"
        "Body text that mentions nothing in particular.\n\n"
        "   Copyright 2022 Example News.   \n"
        "This story was originally published by ProPublica.\n"
    )
    claims = find_claims(text)
    assert [c.kind for c in claims] == ["agency", "copyright", "credit"]
    assert spans_match(text, claims)
    assert claims[1].span[0] == text.index("Copyright 2022")
    assert claims[1].text == "Copyright 2022 Example News."


@pytest.mark.parametrize(
    "line",
    [
        "The bill would change copyright law for musicians and photographers.",
        "Critics say copyright rules protect large studios.",
        "She reported from the AP stylebook conference and a Reuters training course.",
        "The reporter said the photo was taken in Paris.",
        "Republished in paperback last year, the memoir sold well.",
    ],
)
def test_ordinary_prose_is_not_a_claim(line: str) -> None:
    assert find_claims(line) == []


@pytest.mark.parametrize(
    ("line", "inner"),
    [
        (
            "*Copyright (c) 2021. RFE/RL, Inc. Republished with the permission of RFE/RL*",
            "Copyright (c) 2021. RFE/RL, Inc. Republished with the permission of RFE/RL",
        ),
        ("**\u00a9 2021 Example News**", "\u00a9 2021 Example News"),
        ("_Copyright 2021 Example News_", "Copyright 2021 Example News"),
        ("> Copyright 2021 Example News", "Copyright 2021 Example News"),
        ("### Copyright 2021 Example News", "Copyright 2021 Example News"),
    ],
)
def test_markdown_emphasis_around_a_notice(line: str, inner: str) -> None:
    text = f"Some paragraph.\n\n{line}\n"
    (claim,) = find_claims(text)
    assert claim.kind == "copyright"
    assert claim.text == inner
    assert claim.years == (2021,)
    assert text[claim.span[0] : claim.span[1]] == inner


def test_emphasised_rferl_notice_holder() -> None:
    claim = only("*Copyright (c) 2021. RFE/RL, Inc. Republished with the permission of RFE/RL*")
    assert claim.holder == "RFE/RL, Inc"


def test_one_line_can_be_a_copyright_and_an_agency_claim() -> None:
    line = "Copyright 2020 Example News. With reporting by Reuters."
    text = f"Body.\n{line}"
    claims = find_claims(text)
    assert [c.kind for c in claims] == ["copyright"]
    agency = find_claims("\u00a9 2020 AFP. (AFP) - Paris")
    assert [c.kind for c in agency] == ["copyright", "agency"]
    assert agency[1].agencies == ("AFP",)
    assert agency[0].span == agency[1].span


def test_empty_text_has_no_claims() -> None:
    assert find_claims("") == []
    assert find_claims("\n\n   \n") == []


@pytest.mark.parametrize(
    ("line", "years", "holder"),
    [
        ("Copyright © 2015\u201319 Example News.", tuple(range(2015, 2020)), "Example News"),
        ("Copyright 1998-02 Example News.", tuple(range(1998, 2003)), "Example News"),
        ("Copyright (C) 2020 by Jane Doe", (2020,), "Jane Doe"),
        ("© The Guardian News 2019. All rights reserved", (2019,), "The Guardian News"),
    ],
)
def test_year_ranges_and_holders(line: str, years: tuple[int, ...], holder: str) -> None:
    (claim,) = find_claims(line)
    assert (claim.years, claim.holder) == (years, holder)


@pytest.mark.parametrize(
    "prose",
    [
        "Under section 3(c) of the 2019 act, the agency must report.",
        "The singer won a copyright case in 2019 against the label.",
    ],
)
def test_prose_about_copyright_is_not_a_claim(prose: str) -> None:
    assert find_claims(prose) == []


def test_upper_case_photo_credit_names_the_agency() -> None:
    (claim,) = find_claims("Protesters in Minsk. REUTERS/Vasily Fedosenko")
    assert claim.agencies == ("Reuters",)


def test_notice_in_a_quoted_emphasis_block() -> None:
    (claim,) = find_claims("> _© 2021 Someone_")
    assert claim.text == "© 2021 Someone"


def test_a_date_is_not_a_year_range() -> None:
    (claim,) = find_claims("Copyright (c) 2018. RFE/RL, Inc. Updated 2020-08-15")
    assert claim.years == (2018,)


def test_old_mac_line_endings_separate_lines() -> None:
    text = "A story.\rWith reporting by Reuters\r© 2020 Example News"
    assert [c.kind for c in find_claims(text)] == ["agency", "copyright"]
