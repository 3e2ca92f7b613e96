from __future__ import annotations

from pathlib import Path

import pytest

from provenance.align import MIN_PASSAGE_WORDS, Alignment, align
from provenance.extract import extract_file
from provenance.normalise import tokens

SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "demo" / "sources"


def body(relative: str) -> str:
    return extract_file(SOURCES / relative).text.strip()


@pytest.fixture(scope="module")
def source() -> str:
    return body("rferl/czech-flood-library.md")


@pytest.fixture(scope="module")
def unrelated() -> str:
    return body("voa/mongolia-herders-cashmere.md")


# Filler that shares no word with the source, so only the copied words can align.
FILLER = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed eiusmod tempor incididunt "
    "labore dolore magna aliqua. Enim minim veniam, quis nostrud exercitation ullamco laboris "
    "nisi aliquip commodo consequat. Duis aute irure reprehenderit voluptate velit esse cillum."
)


def aligned(target: str, source: str) -> Alignment:
    return align(tokens(target), tokens(source))


def words_span(text: str) -> str:
    """``text`` from its first word to the end of its last word (what a passage spans)."""
    found = tokens(text)
    return text[found[0].start : found[-1].end]


def test_verbatim_copy_is_one_full_passage(source: str) -> None:
    result = aligned(source, source)
    assert result.source_coverage == 1.0
    assert result.target_share == 1.0
    (passage,) = result.passages
    assert passage.words == len(tokens(source)) == result.words
    assert passage.edits == 0
    assert passage.target == passage.source == (0, len(words_span(source)))


def test_cosmetic_differences_do_not_break_a_copy(source: str) -> None:
    restyled = source.replace('"', "\u201c").replace("'", "\u2019").replace(" ", "  ").upper()
    result = aligned(restyled, source)
    assert result.source_coverage == 1.0
    assert result.passages[0].edits == 0


def test_wrapped_copy_spans_slice_the_copied_text(source: str) -> None:
    before = "From our partners: a story we are proud to share with readers this week.\n\n"
    after = "\n\nSubscribe to our newsletter for more stories like this one every day."
    target = before + source + after
    result = aligned(target, source)
    (passage,) = result.passages
    copied = words_span(source)
    assert target[passage.target[0] : passage.target[1]] == copied
    assert source[passage.source[0] : passage.source[1]] == copied
    assert passage.target[0] == len(before)
    assert result.source_coverage == 1.0
    assert 0.9 < result.target_share < 1.0


def test_excerpt_covers_a_third_of_the_source(source: str) -> None:
    paragraphs = source.split("\n\n")
    excerpt = "\n\n".join(paragraphs[: len(paragraphs) // 3])
    share = len(tokens(excerpt)) / len(tokens(source))
    result = aligned(excerpt, source)
    assert result.source_coverage == pytest.approx(share)
    assert 0.25 < result.source_coverage < 0.4
    assert result.target_share == pytest.approx(1.0)
    (passage,) = result.passages
    assert source[passage.source[0] : passage.source[1]] == words_span(excerpt)


def test_filler_shares_no_words_with_the_source(source: str) -> None:
    assert not {t.text for t in tokens(FILLER)} & {t.text for t in tokens(source)}


def test_passage_embedded_in_a_longer_text(source: str) -> None:
    words = tokens(source)
    middle = len(words) // 2
    first, last = words[middle - 65], words[middle + 64]
    passage_text = source[first.start : last.end]
    head, tail = FILLER * 3, FILLER * 4
    target = head + " " + passage_text + " " + tail
    result = aligned(target, source)
    (passage,) = result.passages
    assert passage.words == 130
    assert passage.edits == 0
    assert passage.source == (first.start, last.end)
    assert target[passage.target[0] : passage.target[1]] == passage_text
    assert passage.target[0] == len(head) + 1
    assert result.source_coverage == pytest.approx(130 / len(words))
    assert result.target_share == pytest.approx(130 / len(tokens(target)))


def test_light_edits_read_as_one_passage_with_edits(source: str) -> None:
    edited = (
        source.replace("swollen stream", "swelling river")
        .replace("hundreds of books", "many books")
        .replace("volunteers wrapped", "helpers wrapped")
    )
    result = aligned(edited, source)
    (passage,) = result.passages
    assert passage.edits > 0
    assert passage.words == len(tokens(source)) - 5
    assert passage.edits == 5
    assert 0.95 < result.source_coverage < 1.0


def test_two_separate_copied_passages(source: str) -> None:
    paragraphs = source.split("\n\n")
    target = "\n\n".join([FILLER, paragraphs[0], FILLER * 2, paragraphs[-2], FILLER])
    result = aligned(target, source)
    assert len(result.passages) == 2
    first, second = result.passages
    assert first.target[1] < second.target[0]
    assert first.source[1] < second.source[0]
    assert target[first.target[0] : first.target[1]] == words_span(paragraphs[0])
    assert target[second.target[0] : second.target[1]] == words_span(paragraphs[-2])
    assert source[second.source[0] : second.source[1]] == words_span(paragraphs[-2])


def test_unrelated_texts_have_no_passages(source: str, unrelated: str) -> None:
    result = aligned(unrelated, source)
    assert result.passages == ()
    assert result.source_coverage == result.target_share == 0.0


def test_short_common_run_is_not_a_passage(source: str, unrelated: str) -> None:
    words = tokens(source)
    run = source[words[10].start : words[10 + MIN_PASSAGE_WORDS - 2].end]
    result = aligned(unrelated[:600] + " " + run + " " + unrelated[600:1200], source)
    assert result.passages == ()


@pytest.mark.parametrize(("target", "source"), [("", "some text"), ("some text", ""), ("", "")])
def test_empty_inputs(target: str, source: str) -> None:
    assert aligned(target, source) == Alignment((), 0.0, 0.0)


def test_a_stray_common_word_after_a_passage_is_not_part_of_it(source: str) -> None:
    passage = " ".join(source.split()[200:330])
    target = f"{FILLER}\n\n{passage} shortly after that, with their {FILLER}"
    (found,) = aligned(target, source).passages
    assert target[slice(*found.target)] == words_span(passage)
    assert found.edits == 0


def test_a_passage_keeps_its_first_word_when_that_word_occurs_earlier(source: str) -> None:
    last = source.split("\n\n")[-1]
    target = f"{last}\n\n{FILLER}"
    (found,) = aligned(target, source).passages
    assert target[slice(*found.target)] == words_span(last)


def test_passages_copied_out_of_order_are_all_found(source: str) -> None:
    """A single global alignment keeps only passages in the same order in both texts; a text
    that copies the middle of a story before its edited opening must still show both."""
    words = tokens(source)
    middle = source[words[200].start : words[229].end]
    opening = [w.text if i % 5 else "changed" for i, w in enumerate(words[:200])]
    target = f"{middle}. {' '.join(opening)}."
    result = aligned(target, source)
    by_source = {p.source[0]: p for p in result.passages}
    assert by_source[words[200].start].words == 30
    assert by_source[words[200].start].source == (words[200].start, words[229].end)
    assert target[: by_source[words[200].start].target[1]] == middle
    assert by_source[words[1].start].words >= 150  # the edited opening, as one passage


def test_repeated_words_do_not_bury_a_copied_passage(source: str) -> None:
    """Repetition pairs every position with every other; such trigrams seed nothing, so the
    alignment stays quick and still finds the passage between them."""
    words = tokens(source)
    passage = source[words[100].start : words[159].end]
    target = f"{'the ' * 3000}{passage} {'the ' * 3000}"
    result = aligned(target, f"{passage} {'the ' * 2000}")
    (found,) = result.passages
    assert target[found.target[0] :].startswith(passage)  # (it runs on over the shared "the"s)
    assert found.source[0] == 0
    assert found.words >= 60
