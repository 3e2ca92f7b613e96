from __future__ import annotations

from pathlib import Path

import pytest

from provenance import main_text as main_text_module
from provenance.extract import extract_file
from provenance.main_text import choose, drop_promotions, is_promotion, main_text

PAGES = Path(__file__).resolve().parent / "pages"


def lines_of(path: Path) -> list[str]:
    return extract_file(path).text.split("\n")


# -- real pages ------------------------------------------------------------------------------


def test_news_article_keeps_the_story_and_drops_what_is_around_it() -> None:
    text = extract_file(PAGES / "news_article.html").text
    for sentence in (
        "Sleeper trains will run on the Valley Line again from the spring",
        "The authority has leased six refurbished carriages",
        '"People kept writing to us asking for the train back',
        "Tickets go on sale next month.",
        "Local businesses in the mountain towns welcomed the news",
        "The first departure is planned for the evening of the spring equinox",
    ):
        assert sentence in text
    for promotion in (
        "Transport Desk",  # navigation
        "Share on",  # share bar
        "Related: Rail authority orders new carriages",  # teaser inside the story
        "Advertisement",
        "Subscribe to the Valley Briefing newsletter",  # newsletter box inside the story
        "delivered to your inbox",
        "More Transport News",  # related links
        "Bus timetable changes",
        "12 comments",  # comments
        "alpine_fan",
        "Valley Courier Publishing",  # footer
        "Privacy and cookie policy",
    ):
        assert promotion not in text


def test_news_article_promotions_go_to_the_boilerplate() -> None:
    boilerplate = extract_file(PAGES / "news_article.html").metadata["boilerplate"]
    assert "Subscribe to the Valley Briefing newsletter" in boilerplate
    assert "Related: Rail authority orders new carriages for the coastal branch" in boilerplate


def test_aggregator_block_after_the_article_is_not_in_the_text() -> None:
    document = extract_file(PAGES / "aggregator.html")
    lines = document.text.split("\n")
    # the story ends with its credit and notice, which claims read
    assert lines[-2:] == [
        "With reporting by the Midland Examiner",
        "Copyright (c) 2021. Midland Examiner. Republished with permission.",
    ]
    for boilerplate in ("More Ireland News", "Sign up for Ireland News", "a daily newsletter"):
        assert boilerplate not in document.text
    assert "More Ireland News" in document.metadata["boilerplate"]


def test_aggregator_text_maps_back_to_its_lines() -> None:
    path = PAGES / "aggregator.html"
    raw = path.read_text(encoding="utf-8").splitlines()
    document = extract_file(path)
    offset = document.text.index("Copyright (c) 2021")
    line, column = document.lines.position(offset)
    assert raw[line - 1][column - 1 :].startswith("Copyright (c) 2021")


# -- the two passes --------------------------------------------------------------------------


def test_the_precision_pass_is_taken_when_it_keeps_the_article() -> None:
    story = "A long paragraph of the story. " * 20
    assert choose(story, story + "Share on Facebook\nMost read today") == story


@pytest.mark.parametrize("precise", ["", "This copy is for your personal, non-commercial use."])
def test_the_standard_pass_is_taken_when_the_precision_pass_lost_the_article(
    precise: str,
) -> None:
    standard = "This copy is for your personal use.\n" + "A long paragraph of the story. " * 20
    assert choose(precise, standard) == standard


def test_main_text_falls_back_to_the_standard_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    story = "The council voted on Tuesday to rebuild the harbour wall. " * 10
    passes = {True: "Order reprints of this article.", False: story}

    def fake(html: str, *, favor_precision: bool) -> str:
        return passes[favor_precision]

    monkeypatch.setattr(main_text_module, "_trafilatura", fake)
    assert main_text("<html></html>") == story
    passes[True] = story[: len(story) // 2]  # shorter, but most of it: trusted
    assert main_text("<html></html>") == story[: len(story) // 2]


def test_an_empty_page_has_no_main_text() -> None:
    assert main_text("") == ""
    assert main_text("<html></html>") == ""


# -- promotion lines -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Related: Rail authority orders new carriages",
        "[Related: Salesforce keynote draws protesters]",
        "READ MORE: Flood barrier holds as river peaks",
        "See also: The ten longest bridges in Europe",
        "More Ireland News",
        "Most read in world news",
        "Related stories",
        "You may also like...",
        "DON'T MISS",
        "More:",
        "Sign up for Ireland News",
        "Subscribe to the Morning Review newsletter",
        "Pick Six Newsletter",
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
        "Like this story? Share it with a friend!",
        "Share this article",
        "Comments",
        "12 comments",
        "Tell us what YOU think...",
        "Advertisement",
    ],
)
def test_promotion_lines(line: str) -> None:
    assert is_promotion(line)


@pytest.mark.parametrize(
    "line",
    [
        "More than 200 people were moved from their homes overnight.",
        "More people are reading the local news than a decade ago, the survey found.",
        "Related research showed the same effect in older patients.",
        "Sign up sheets were posted on the door of the church hall.",
        "Subscribers to the water scheme will pay less from April.",
        "Like many on the island, she learned to sail before she could ride a bicycle.",
        "Comments made by the minister on Monday drew criticism.",
        "Share prices fell by 4 percent in early trading.",
        "Follow-up checks found no further damage.",
        # notices are claims, whatever words they use
        "Subscribe to our newsletter. Copyright (c) 2021 Midland Examiner.",
        "Read more: this article is republished under a Creative Commons license.",
    ],
)
def test_article_lines_that_look_like_promotions(line: str) -> None:
    assert not is_promotion(line)


STORY = [
    "The first paragraph of the story, long enough to be an ordinary paragraph of news prose "
    "that says who did what, where and when, and why it matters to the readers of the paper.",
    "The last paragraph of the story, which says what happens next and who will decide it.",
]


def test_a_trailing_block_opened_by_a_heading_is_dropped() -> None:
    text = "\n".join([*STORY, "More Ireland News", "Sign up for Ireland News", "a daily letter."])
    assert drop_promotions(text) == "\n".join(STORY)


def test_a_notice_inside_the_trailing_block_is_kept() -> None:
    notice = "This article is republished from The Conversation under a Creative Commons license."
    text = "\n".join([*STORY, "Related stories", notice, "Ferry fares to rise"])
    assert drop_promotions(text) == "\n".join([*STORY, notice])


def test_the_trailing_block_stops_at_a_long_line_and_is_short() -> None:
    # a heading box in the middle of the story takes only itself out, not what follows
    middle = "\n".join([STORY[0], "Most read in world news", "Short line one.", *STORY])
    assert drop_promotions(middle) == "\n".join([STORY[0], "Short line one.", *STORY])
    many = [STORY[0], "More Ireland News", "One.", "Two.", "Three.", "Four."]
    assert drop_promotions("\n".join(many)) == "\n".join(
        [STORY[0], "One.", "Two.", "Three.", "Four."]
    )
