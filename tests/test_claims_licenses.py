from __future__ import annotations

from provenance.claims import find_claims
from provenance.models import Claim


def licences(text: str) -> list[Claim]:
    return [c for c in find_claims(text) if c.kind == "license"]


def test_licence_by_name_url_and_id_one_claim_per_line() -> None:
    text = (
        "Story.\n\n"
        "Licensed under [CC BY-NC-ND 3.0](https://creativecommons.org/licenses/by-nc-nd/3.0/us/).\n"
        "SPDX-License-Identifier: CC-BY-SA-4.0\n"
        "This work is licensed under a Creative Commons Attribution 4.0 International License.\n"
    )
    claims = licences(text)
    assert [(c.license, c.url) for c in claims] == [
        ("CC-BY-NC-ND-3.0", "https://creativecommons.org/licenses/by-nc-nd/3.0/us/"),
        ("CC-BY-SA-4.0", None),
        ("CC-BY-4.0", None),
    ]
    assert all(text[c.span[0] : c.span[1]] == c.text for c in claims)
    assert claims[0].text.startswith("Licensed under")


def test_the_conversation_credit_names_its_licence_only_through_its_link() -> None:
    plain = (
        "This article is republished from The Conversation under a Creative Commons license. "
        "Read the original article."
    )
    assert licences(plain) == []
    linked = (
        "This article is republished from [The Conversation](https://theconversation.com) under "
        "a [Creative Commons license](https://creativecommons.org/licenses/by-nd/4.0/)."
    )
    (claim,) = licences(linked)
    assert claim.license == "CC-BY-ND-4.0"


def test_two_licences_on_one_line() -> None:
    line = "Text: CC BY-SA 4.0. Photos: CC BY 2.0."
    assert [c.license for c in licences(line)] == ["CC-BY-SA-4.0", "CC-BY-2.0"]


def test_public_domain_statement() -> None:
    (claim,) = licences("Story.\n\nThis article is in the public domain.")
    assert claim.license == "LicenseRef-PublicDomain"


def test_news_about_licences_is_not_a_licence_claim() -> None:
    text = (
        "Mickey Mouse enters the public domain in 2024, and the group behind the Creative "
        "Commons licence said it would mark the day."
    )
    assert licences(text) == []
