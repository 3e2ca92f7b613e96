from __future__ import annotations

import re

import pytest

from provenance.extract import extract_file
from provenance.normalise import normalise, tokens

from .conftest import FIXTURES


def fullwidth(ascii_text: str) -> str:
    """The fullwidth forms (U+FF01..U+FF5E) of printable ASCII, spaces kept."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in ascii_text)


# Texts mixing the cosmetic differences normalisation must see through.
SAMPLES = [
    "Plain ASCII text, with punctuation; and numbers 1234.",
    f"{fullwidth('FULLWIDTH')} letters and {fullwidth('digits 2024')} in a headline",
    "\u201cCurly quotes,\u201d she said \u2014 it\u2019s a \u2018test\u2019 \u2013 ok?",
    "zero\u200bwidth spaces\u200d and \u202ebidi\u202c controls \ufeffhere",
    "  Leading   and\ttrailing\n\n whitespace \u00a0 runs  ",
    "Cafe\u0301 crème Zu\u0308rich Dvor\u030ca\u0301kova\u0301",
    "Straße \ufb01ne \ufb02our MAẞE",
    "Line one.\r\nLine two \u2212 minus and \u00abguillemets\u00bb.",
]


def test_nfkc_folds_fullwidth_letters_and_digits() -> None:
    raw = fullwidth("ABC def 2024")
    assert raw != "ABC def 2024"
    assert normalise(raw).text == "abc def 2024"


def test_casefold_is_stronger_than_lower() -> None:
    assert normalise("Straße STRASSE").text == "strasse strasse"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u201chi\u201d", '"hi"'),
        ("\u201ehi\u201f", '"hi"'),
        ("\u00abhi\u00bb", '"hi"'),
        ("it\u2019s", "it's"),
        ("\u2018x\u2019", "'x'"),
        ("a\u2014b", "a-b"),
        ("a\u2013b", "a-b"),
        ("a\u2212b", "a-b"),
        ("a\u2011b", "a-b"),
    ],
)
def test_quotes_and_dashes_are_unified(raw: str, expected: str) -> None:
    assert normalise(raw).text == expected


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_zero_width_characters_are_removed(invisible: str) -> None:
    assert normalise(f"copy{invisible}right").text == "copyright"


@pytest.mark.parametrize("control", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066"])
def test_bidi_controls_are_removed(control: str) -> None:
    assert normalise(f"news {control}wire{control} text").text == "news wire text"


def test_whitespace_runs_collapse_and_ends_are_trimmed() -> None:
    assert normalise("  one \t two\n\n\nthree\u00a0\u2003four  \n").text == "one two three four"


def test_combining_marks_compose_with_their_base() -> None:
    decomposed = normalise("Cafe\u0301 Zu\u0308rich")
    precomposed = normalise("Café Zürich")
    assert decomposed.text == precomposed.text == "café zürich"
    # the composed character came from the base letter and its mark together
    at = decomposed.text.index("é")
    assert decomposed.original_span(at, at + 1) == (3, 5)


def test_a_mark_beyond_the_basic_plane_stays_with_its_letter() -> None:
    # U+101FD PHAISTOS DISC SIGN COMBINING OBLIQUE STROKE
    text = "ab\U000101fdc"
    assert normalise(text).original_span(1, 3) == (1, 3)


def test_cosmetic_variants_normalise_alike() -> None:
    a = f"\u201cIt\u2019s  done\u201d \u2014 {fullwidth('NASA')}"
    b = '"it\'s done" - nasa'
    assert normalise(a).text == normalise(b).text


def test_empty_and_blank_text() -> None:
    for text in ("", "   \n\t", "\u200b\u200d"):
        norm = normalise(text)
        assert norm.text == ""
        assert norm.end == 0
        assert norm.original_span(0, 0) == (0, 0)


@pytest.mark.parametrize("text", SAMPLES)
def test_every_token_slices_back_to_its_text(text: str) -> None:
    found = tokens(text)
    assert found
    for tok in found:
        assert normalise(text[tok.start : tok.end]).text == tok.text


@pytest.mark.parametrize("text", SAMPLES)
def test_tokens_are_the_words_of_the_normalised_text(text: str) -> None:
    assert [t.text for t in tokens(text)] == re.findall(r"\w+", normalise(text).text)
    starts = [t.start for t in tokens(text)]
    assert starts == sorted(starts)


def test_token_offsets_point_into_the_original() -> None:
    text = f"\u200b{fullwidth('Hello')},   Cafe\u0301!"
    hello, cafe = tokens(text)
    assert (hello.text, text[hello.start : hello.end]) == ("hello", fullwidth("Hello"))
    assert (cafe.text, text[cafe.start : cafe.end]) == ("café", "Cafe\u0301")


@pytest.mark.parametrize("text", SAMPLES)
def test_original_span_round_trips_between_word_boundaries(text: str) -> None:
    norm = normalise(text)
    words = list(re.finditer(r"\w+", norm.text))
    for first in words:
        for last in words[words.index(first) :]:
            start, end = norm.original_span(first.start(), last.end())
            assert normalise(text[start:end]).text == norm.text[first.start() : last.end()]


@pytest.mark.parametrize("text", SAMPLES)
def test_original_span_of_everything_covers_the_visible_text(text: str) -> None:
    norm = normalise(text)
    start, end = norm.original_span(0, len(norm.text))
    assert normalise(text[start:end]).text == norm.text
    assert text[:start].strip() == ""
    assert end == norm.end


def test_original_span_of_an_empty_range() -> None:
    norm = normalise("ab  cd")
    assert norm.text == "ab cd"
    assert norm.original_span(3, 3) == (4, 4)
    assert norm.original_span(len(norm.text), len(norm.text)) == (6, 6)


def test_combining_marks_stay_inside_their_word() -> None:
    assert [t.text for t in tokens("İstanbul हिन्दी")] == ["i\u0307stanbul", "हिन्दी"]


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\u00ad", "\u202e", "\ufeff"])
def test_an_invisible_character_inside_a_word_leaves_one_word(invisible: str) -> None:
    text = f"copy{invisible}right notice"
    word, notice = tokens(text)
    assert (word.text, word.start, word.end) == ("copyright", 0, len("copy right"))
    assert notice.text == "notice"


def test_a_no_break_space_separates_words() -> None:
    assert [t.text for t in tokens("copy\u00a0right")] == ["copy", "right"]


# Cyrillic look-alikes of a, c, o, p, i, as a salted copy swaps them in.
CYR_A, CYR_C, CYR_O, CYR_P, CYR_I = "\u0430", "\u0441", "\u043e", "\u0440", "\u0456"


def test_a_word_mixing_latin_and_lookalike_letters_is_folded() -> None:
    salted = f"{CYR_C}{CYR_O}{CYR_P}yr{CYR_I}ght"
    text = f"Read the {salted} notice"
    found = tokens(text)
    assert [t.text for t in found] == ["read", "the", "copyright", "notice"]
    assert text[found[2].start : found[2].end] == salted


def test_folded_words_keep_the_spans_of_the_original_characters() -> None:
    salted = f"{fullwidth('A')}{CYR_P}\u200b{CYR_P}le\u0301"
    text = f"\u202eAn\u00a0{salted}, {CYR_A}\u00adnd  a pe{CYR_A}r"
    found = tokens(text)
    assert [t.text for t in found] == ["an", "appl\u00e9", "and", "a", "pear"]
    assert [text[t.start : t.end] for t in found] == [
        "An",
        salted,
        f"{CYR_A}\u00adnd",
        "a",
        f"pe{CYR_A}r",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"a {CYR_C}{CYR_O}{CYR_P} of", ["a", "cop", "of"]),  # between Latin words
        (f"{CYR_A} copy", ["a", "copy"]),  # at the start, before a Latin word
        (f"the {CYR_A}", ["the", "a"]),  # at the end
    ],
)
def test_a_word_made_only_of_lookalikes_is_folded_among_latin_words(
    text: str, expected: list[str]
) -> None:
    assert [t.text for t in tokens(text)] == expected


def words_unfolded(text: str) -> list[str]:
    return re.findall(r"\w+", normalise(text).text)


def test_russian_text_keeps_its_letters() -> None:
    text = extract_file(FIXTURES / "scripts/sources/karelia-watermill.md").text
    found = [t.text for t in tokens(text)]
    assert found == words_unfolded(text)
    # it has words made only of look-alikes (of Cyrillic a, o, c, e, p, ...), kept as they are
    lookalike_only = set(f"{CYR_A}{CYR_C}{CYR_O}{CYR_P}\u0435\u0443\u0445\u043d\u0442\u0432")
    assert sum(set(word) <= lookalike_only for word in found) > 10
    assert not any(word.isascii() and not word.isdigit() for word in found)


def test_greek_text_keeps_its_letters() -> None:
    text = "Η Ελλάδα και η Κύπρος υπέγραψαν νέα συμφωνία για την προστασία των θαλασσών."  # noqa: RUF001
    found = [t.text for t in tokens(text)]
    assert found == words_unfolded(text)
    assert not any(word.isascii() for word in found)


def test_russian_quoted_in_english_keeps_its_letters() -> None:
    quote = "«Мы за мир и море»"
    text = f"The banner read {quote} above the harbour."
    found = [t.text for t in tokens(text)]
    assert found == words_unfolded(text)
    assert found[:3] == ["the", "banner", "read"] and found[-3:] == ["above", "the", "harbour"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apple发布了iPhone 15", ["apple", "发", "布", "了", "iphone", "15"]),
        ("2024年3月", ["2024", "年", "3", "月"]),
        ("東京タワーへ", ["東", "京", "タ", "ワ", "ー", "へ"]),
        ("ภาษาไทยกั", ["ภ", "า", "ษ", "า", "ไ", "ท", "ย", "กั"]),  # a vowel sign stays
        ("မြန်မာ", ["မြ", "န်", "မာ"]),
        ("ພາສາ ລາວ", ["ພ", "າ", "ສ", "າ", "ລ", "າ", "ວ"]),
        ("ភាសាខ្មែរ", ["ភា", "សា", "ខ្", "មែ", "រ"]),
        ("한국어 텍스트", ["한국어", "텍스트"]),  # Korean is written with spaces
    ],
)
def test_scripts_written_without_spaces_are_split_into_characters(
    text: str, expected: list[str]
) -> None:
    found = tokens(text)
    assert [t.text for t in found] == expected
    assert [normalise(text[t.start : t.end]).text for t in found] == expected
