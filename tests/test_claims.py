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


def copyright_holders(text: str) -> list[str | None]:
    return [c.holder for c in find_claims(text) if c.kind == "copyright"]


@pytest.mark.parametrize(
    ("text", "holder"),
    [
        # Page footers: the links after the holder are navigation, not its name.
        ("\u00a9 2009 Google - Privacy Policy - Terms and Conditions - About Google", "Google"),
        ("\u00a9 2021 Example News | Contact | Imprint", "Example News"),
        # An acronym of the holder's own words is another name for it.
        ("COPYRIGHT (c) 1989-2014.\nOn-Line Applications Research Corporation (OAR).",
         "On-Line Applications Research Corporation"),
        ("Copyright 2001 Computer Infrastructure Project (CIP4)", None),
        # What ends a statement without being its holder.
        ("Copyright (c) 2010 Joyent, Inc. and the persons identified as document authors.",
         "Joyent, Inc"),
        ("Copyright (c) 2002 Ixia communications 5 Jan 2003", "Ixia communications"),
        ("(C) Copr. 1986-92 Numerical Recipes Software i9k''3", "Numerical Recipes Software"),
        # A year left for the user to fill in, or "c" for the sign.
        ("Copyright (c) <insert year> IETF Trust", "IETF Trust"),
        ("Copyright \u00a9\n[YEAR] W3C\u00ae (MIT, ERCIM, Keio, Beihang).",
         "W3C\u00ae (MIT, ERCIM, Keio, Beihang)"),
        ("Copyright : Copyright c 2011 by Kimberly Geswein All rights reserved",
         "Kimberly Geswein"),
        # An organisation's name broken across lines.
        ("software is copyrighted by the Free\nSoftware Foundation,\n",
         "the Free Software Foundation"),
        ("(C) by the respective authors, and licensed under the GPL", "the respective authors"),
    ],
)  # fmt: skip
def test_holders_as_written(text: str, holder: str | None) -> None:
    expected = holder or "Computer Infrastructure Project (CIP4)"  # not its own words' initials
    assert copyright_holders(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "This project is copyright its authors and licensed under either of the licences.",
        "Portions are copyrighted by their respective developers.",
        "(c) by sending a notice to the address above.",  # the third item of a list
    ],
)
def test_holders_that_are_prose(text: str) -> None:
    assert copyright_holders(text) == []


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


# --------------------------------------------------------------------------- copyright statements


def copyright_claims_of(text: str) -> list[Claim]:
    return [c for c in find_claims(text) if c.kind == "copyright"]


@pytest.mark.parametrize(
    ("line", "holder", "years"),
    [
        ("Copyright (C) AliasDotCom Ltd. All rights reserved.", "AliasDotCom Ltd", ()),
        ("Copyright Foobar Pvt. Ltd. All rights reserved.", "Foobar Pvt. Ltd", ()),
        (
            "(C) Copyright 1985-1999 ADVANCED TECHNOLOGY SYSTEMS",
            "ADVANCED TECHNOLOGY SYSTEMS",
            tuple(range(1985, 2000)),
        ),
        ("Copyright or Copr. 2006 INRIA - CIRAD - INRA", "INRIA - CIRAD - INRA", (2006,)),
        ("copr. (c) Foobar Pvt. Ltd.", "Foobar Pvt. Ltd", ()),
        ("Copyright © 2004, 2006 Nate Nielsen", "Nate Nielsen", (2004, 2006)),
        ("Copyright (c) 1992, 1993, 1994 Example Corp.", "Example Corp", (1992, 1993, 1994)),
        ("Copyright 1999, 2000, and 2001 WIDE Project.", "WIDE Project", (1999, 2000, 2001)),
        ("(c) 1997-8 Grant Example", "Grant Example", (1997, 1998)),
        ("Copyright 2004 by Henrik Example", "Henrik Example", (2004,)),
        ("Copyright is held by the Example Trust.", "the Example Trust", ()),
        ("This code is copyrighted by Object Computing, Inc.", "Object Computing, Inc", ()),
        ("Copyright (c) 2012 Jane Roe <jane@example.org>", "Jane Roe", (2012,)),
        ("Copyright (c) 2014 [Jon Example](https://example.org/jon)", "Jon Example", (2014,)),
        (
            "Copyright (c) 2008 All rights reserved by Example Corporation.",
            "Example Corporation",
            (2008,),
        ),
        (
            "Copyright (c) 2011, The Example Foundation All Rights Reserved.",
            "The Example Foundation",
            (2011,),
        ),
        (
            "Copyright 2014, Kenneth Example. Licensed under the BSD licence.",
            "Kenneth Example",
            (2014,),
        ),
        (
            "Copyright (c) 2011 Example, Inc. and its affiliates",
            "Example, Inc. and its affiliates",
            (2011,),
        ),
        (
            "Copyright (c) The Internet Example Society (2004).",
            "The Internet Example Society",
            (2004,),
        ),
        ("Professional Example Informatics (C) 1994", "Professional Example Informatics", (1994,)),
        ("Copyright base-x contributors (c) 2016", "base-x contributors", (2016,)),
        ("SPDX-FileCopyrightText: 2008 Example Hat Inc.", "Example Hat Inc", (2008,)),
        ("Copyright &copy; 2011 Kevin Example", "Kevin Example", (2011,)),
    ],
)
def test_copyright_statements(line: str, holder: str, years: tuple[int, ...]) -> None:
    (claim,) = copyright_claims_of(line)
    assert (claim.holder, claim.years) == (holder, years)
    assert claim.text == line


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        (
            "%%Copyright: Copyright 1990-2009 Example Systems Incorporated.",
            "Example Systems Incorporated",
        ),
        ("# Copyright 2019 Jane Roe", "Jane Roe"),
        ("// Copyright (c) 2020 Example Corp", "Example Corp"),
        (" * Copyright (C) 2001 Example Inc.", "Example Inc"),
        ("<!-- Copyright 2008 ABCD, LLC. -->", "ABCD, LLC"),
        (
            '_("Copyright (C) %d Free Example Foundation, Inc.\\n"), 2006);',
            "Free Example Foundation, Inc",
        ),
        ("/*  Copyright 2014 Example Labs                   */", "Example Labs"),
    ],
)
def test_comment_and_code_around_a_statement(line: str, holder: str) -> None:
    text = f"int x;\n{line}\nint y;\n"
    (claim,) = copyright_claims_of(text)
    assert claim.holder == holder
    assert text[claim.span[0] : claim.span[1]] == claim.text
    assert claim.text in line


def test_holder_on_the_next_line() -> None:
    text = (
        "/*\n"
        " * Copyright (c) 1988, 1993\n"
        " *\tThe Regents of the Example University.  All rights reserved.\n"
        " */\n"
    )
    (claim,) = copyright_claims_of(text)
    assert claim.holder == "The Regents of the Example University"
    assert claim.years == (1988, 1993)
    assert claim.text.startswith("Copyright (c) 1988, 1993\n")
    assert claim.text.endswith("All rights reserved.")
    assert text[claim.span[0] : claim.span[1]] == claim.text


@pytest.mark.parametrize(
    ("text", "holder"),
    [
        (
            "Copyright 1996-2005 by\n  David Example, Robert Example, and Werner Example.",
            "David Example, Robert Example, and Werner Example",
        ),
        (
            "Copyright (c) 1998, 2000 Example Software Center Ltd\n"
            "                             and Clark Example",
            "Example Software Center Ltd and Clark Example",
        ),
        (
            "// Copyright (c) 2007 ExampleTools\n//      David Example <david@example.org>",
            "ExampleTools David Example",
        ),
        (
            "Copyright:\n 2004-2007 Example Ltd.\n 2004-2005 Michiel Example",
            "Example Ltd. Michiel Example",
        ),
    ],
)
def test_holder_running_onto_more_lines(text: str, holder: str) -> None:
    (claim,) = copyright_claims_of(text)
    assert claim.holder == holder
    assert text[claim.span[0] : claim.span[1]] == claim.text


def test_a_new_paragraph_is_not_the_holder() -> None:
    text = "Copyright (c) 2002-2020 Example, Inc.\n\nThis product is licensed to you.\n"
    (claim,) = copyright_claims_of(text)
    assert claim.holder == "Example, Inc"
    assert claim.text == "Copyright (c) 2002-2020 Example, Inc."


def test_several_statements_on_one_line_share_it() -> None:
    line = "Copyright (c) 2001 Foo Corp. Copyright (c) 2002 Bar Ltd."
    first, second = copyright_claims_of(f"Intro.\n{line}\n")
    assert (first.holder, first.years) == ("Foo Corp", (2001,))
    assert (second.holder, second.years) == ("Bar Ltd", (2002,))
    assert first.text == second.text == line
    assert first.span == second.span


def test_several_statements_in_one_text() -> None:
    text = (
        "Copyright (c) 2009 Chris Example (Ruby)\n"
        "Copyright (c) 2010-2014 Jan Example\n"
        "Copyright (c) 2010-2015 The example.js community\n"
    )
    holders = [c.holder for c in copyright_claims_of(text)]
    assert holders == ["Chris Example", "Jan Example", "The example.js community"]


@pytest.mark.parametrize(
    "prose",
    [
        "Redistributions must retain the above copyright notice, this list of conditions.",
        "The festival's copyright and license questions were settled.",
        "17.4 Copyright Agent. Our Copyright Agent can be reached by mail.",
        "or (c) the Republic of Ireland, if a license to the Software is granted",
        "(c) Products. The vendor licenses the software.",
        "6. COPYRIGHT. United States copyright laws protect the Product.",
        "See Copyright.txt or http://www.example.com/Copyright.htm for details.",
        '<i class="fa fa-copyright"></i>',
        "Copyright (c)",
        "value = f(c) + g(c), copyright",
        "symbols = {'copyright', '(C)',\n 'dots', '...'}",
    ],
)
def test_prose_and_code_mentioning_copyright_are_not_statements(prose: str) -> None:
    assert copyright_claims_of(prose) == []


def test_a_caption_credit_is_not_a_copyright_statement() -> None:
    assert copyright_claims_of("Firefighters at the scene. © AFP") == []
    (claim,) = copyright_claims_of("© The Daily Planet")
    assert claim.holder == "The Daily Planet"


def test_long_lines_with_many_markers() -> None:
    line = "Copyright 2019 Foo Bar. " * 5000 + "(c) Foo " * 5000
    text = f"{line}\n"
    claims = copyright_claims_of(text)
    assert len(claims) == 5000
    assert all(c.holder == "Foo Bar" and c.span == (0, len(line.rstrip())) for c in claims)
