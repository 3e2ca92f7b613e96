from __future__ import annotations

import pytest

from provenance.licences import Licence, licence_mentions, parse_licence


@pytest.mark.parametrize(
    ("value", "spdx", "version", "terms"),
    [
        ("CC-BY-ND-4.0", "CC-BY-ND-4.0", "4.0", "nd"),
        ("cc-by-nd-4.0", "CC-BY-ND-4.0", "4.0", "nd"),
        ("CC-BY-NC-ND-3.0-US", "CC-BY-NC-ND-3.0", "3.0", "nc nd"),
        ("CC-BY-SA-3.0-IGO", "CC-BY-SA-3.0", "3.0", "sa"),
        ("CC-BY-SA-2.1-JP", "CC-BY-SA-2.1", "2.1", "sa"),
        ("CC-BY-4.0", "CC-BY-4.0", "4.0", ""),
        ("CC-BY-NC-SA-4.0", "CC-BY-NC-SA-4.0", "4.0", "nc sa"),
        ("CC-BY-ND", "CC-BY-ND", None, "nd"),
    ],
)
def test_creative_commons_spdx_ids(value: str, spdx: str, version: str | None, terms: str) -> None:
    licence = parse_licence(value)
    assert licence == Licence(
        spdx, "cc", version, sa="sa" in terms, nd="nd" in terms, nc="nc" in terms
    )


@pytest.mark.parametrize(
    ("url", "spdx"),
    [
        ("https://creativecommons.org/licenses/by-nd/4.0/", "CC-BY-ND-4.0"),
        ("http://creativecommons.org/licenses/by-nd/4.0", "CC-BY-ND-4.0"),
        ("https://www.creativecommons.org/licenses/by/4.0/deed.en", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by/4.0/deed.en_GB", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by-sa/3.0/legalcode", "CC-BY-SA-3.0"),
        ("//creativecommons.org/licenses/by-nc-nd/3.0/us/", "CC-BY-NC-ND-3.0"),
        ("https://creativecommons.org/licenses/by-nc-nd/3.0/igo/legalcode", "CC-BY-NC-ND-3.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
        ("https://creativecommons.org/publicdomain/mark/1.0/deed.en", "CC-PDM-1.0"),
    ],
)
def test_creative_commons_urls(url: str, spdx: str) -> None:
    licence = parse_licence(url)
    assert licence is not None
    assert licence.spdx == spdx


@pytest.mark.parametrize(
    ("name", "spdx"),
    [
        ("Creative Commons Attribution-NoDerivatives 4.0 International", "CC-BY-ND-4.0"),
        (
            "Creative Commons Attribution-NonCommercial-NoDerivs 3.0 United States",
            "CC-BY-NC-ND-3.0",
        ),
        ("Creative Commons Attribution 3.0 Austria", "CC-BY-3.0"),
        ("Attribution-ShareAlike 3.0 Unported", "CC-BY-SA-3.0"),
        ("Creative Commons Attribution-Noncommercial-Share Alike 3.0", "CC-BY-NC-SA-3.0"),
        ("CC BY-ND 4.0", "CC-BY-ND-4.0"),
        ("CC-BY 4.0", "CC-BY-4.0"),
        ("cc by 4.0", "CC-BY-4.0"),
        ("CC BY-NC-ND 3.0 US", "CC-BY-NC-ND-3.0"),
        ("Licensed under CC BY 4.0.", "CC-BY-4.0"),
        ("Creative Commons (CC BY-ND 4.0)", "CC-BY-ND-4.0"),
        ("CC BY-ND", "CC-BY-ND"),
        ("CC0 1.0 Universal", "CC0-1.0"),
        ("Public Domain Mark 1.0", "CC-PDM-1.0"),
    ],
)
def test_creative_commons_names(name: str, spdx: str) -> None:
    licence = parse_licence(name)
    assert licence is not None
    assert licence.spdx == spdx


def test_a_name_without_version_has_none() -> None:
    licence = parse_licence("CC BY-ND")
    assert licence is not None
    assert (licence.family, licence.version, licence.nd, licence.pack_id) == (
        "cc",
        None,
        True,
        "cc-by-nd",
    )
    vague = parse_licence("a Creative Commons license")
    assert vague is not None
    assert (vague.family, vague.version, vague.pack_id) == ("cc", None, "cc")
    assert parse_licence(vague.spdx) == vague  # a claim's id reads back as the same licence


@pytest.mark.parametrize(
    ("value", "spdx"),
    [
        ("public domain", "LicenseRef-PublicDomain"),
        ("Public Domain", "LicenseRef-PublicDomain"),
        ("CC0-1.0", "CC0-1.0"),
        ("cc0", "CC0-1.0"),
        ("CC-PDM-1.0", "CC-PDM-1.0"),
        ("LicenseRef-PublicDomain", "LicenseRef-PublicDomain"),
        ("LicenseRef-VOA-Public-Domain", "LicenseRef-VOA-Public-Domain"),
    ],
)
def test_public_domain(value: str, spdx: str) -> None:
    licence = parse_licence(value)
    assert licence is not None
    assert (licence.spdx, licence.family, licence.pack_id) == (
        spdx,
        "public-domain",
        "public-domain",
    )


@pytest.mark.parametrize("value", ["LicenseRef-RFERL-Republication", "MIT", "Apache-2.0"])
def test_other_ids_parse_as_other(value: str) -> None:
    licence = parse_licence(value)
    assert licence == Licence(value, "other")
    assert licence.pack_id is None
    assert licence.name == value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "All rights reserved",
        "The bill would change copyright law for musicians.",
        "https://example.com/terms",
        "This photo is in the public domain",
        "See our republishing guidelines",
    ],
)
def test_text_that_is_no_licence(value: str) -> None:
    assert parse_licence(value) is None


@pytest.mark.parametrize(
    ("spdx", "name", "pack_id"),
    [
        ("CC-BY-ND-4.0", "CC BY-ND 4.0", "cc-by-nd-4.0"),
        ("CC-BY-3.0", "CC BY 3.0", "cc-by-3.0"),
        ("CC-BY-NC-SA-2.0", "CC BY-NC-SA 2.0", "cc-by-nc-sa-2.0"),
        ("CC-BY-SA", "CC BY-SA", "cc-by-sa"),
        ("CC0-1.0", "CC0 1.0", "public-domain"),
        ("LicenseRef-PublicDomain", "public domain", "public-domain"),
    ],
)
def test_names_and_pack_ids(spdx: str, name: str, pack_id: str) -> None:
    licence = parse_licence(spdx)
    assert licence is not None
    assert (licence.name, licence.pack_id) == (name, pack_id)


def mentioned(text: str) -> list[tuple[str, str]]:
    return [(text[a:b], licence.spdx) for (a, b), licence in licence_mentions(text)]


def test_mentions_in_running_text() -> None:
    text = (
        "This work is licensed under a Creative Commons Attribution 4.0 International License. "
        "Photos: [CC BY-SA 2.0](https://creativecommons.org/licenses/by-sa/2.0/)."
    )
    assert mentioned(text) == [
        ("Creative Commons Attribution 4.0 International", "CC-BY-4.0"),
        ("CC BY-SA 2.0", "CC-BY-SA-2.0"),
        ("https://creativecommons.org/licenses/by-sa/2.0/", "CC-BY-SA-2.0"),
    ]


def test_mentions_of_spdx_tags_and_licence_versions_after_the_word_license() -> None:
    assert mentioned("SPDX-License-Identifier: CC-BY-4.0") == [
        ("SPDX-License-Identifier: CC-BY-4.0", "CC-BY-4.0")
    ]
    wikipedia = "Text is available under the Creative Commons Attribution-ShareAlike License 4.0"
    assert [spdx for _, spdx in mentioned(wikipedia)] == ["CC-BY-SA-4.0"]


@pytest.mark.parametrize(
    "text",
    [
        "This article is in the public domain.",
        "This work has been released into the public domain.",
        "VOA content is in the public domain.",
    ],
)
def test_public_domain_statements_about_the_text(text: str) -> None:
    assert [spdx for _, spdx in mentioned(text)] == ["LicenseRef-PublicDomain"]


@pytest.mark.parametrize(
    "text",
    [
        "Mickey Mouse enters the public domain in 2024.",
        "The painting has been in the public domain for a century.",
        "The group behind the Creative Commons licence said it would appeal.",
        "This article is republished under a Creative Commons license.",  # names no licence
        "Please cc by email the people on the list.",
        "Attribution is hard to prove, experts say.",
    ],
)
def test_news_about_licences_is_no_mention(text: str) -> None:
    assert mentioned(text) == []
