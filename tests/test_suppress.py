"""Inline suppression comments."""

from __future__ import annotations

from provenance.models import Finding, Location
from provenance.suppress import split_suppressed


def at(line: int, rule: str = "notice-year-mismatch") -> Finding:
    return Finding(rule, "error", "m", (0, 1), location=Location(line, 1, line, 5))


def silenced(raw: str, *findings: Finding) -> list[tuple[str, int]]:
    kept, suppressed = split_suppressed(raw, findings)
    assert len(kept) + len(suppressed) == len(findings)
    return [(f.rule, f.location.line if f.location else 0) for f in suppressed]


def test_a_comment_silences_its_own_line_and_the_next_non_blank_one() -> None:
    raw = "one\n<!-- provenance: ignore notice-year-mismatch -->\n\n\nfive\nsix\n"
    assert silenced(raw, at(1), at(2), at(3), at(5), at(6)) == [
        ("notice-year-mismatch", 2),
        ("notice-year-mismatch", 5),
    ]


def test_a_trailing_comment_silences_its_line_and_the_next() -> None:
    raw = "Copyright (c) 2018. RFE/RL <!-- provenance: ignore -->\nnext\nthird\n"
    assert silenced(raw, at(1), at(2), at(3)) == [
        ("notice-year-mismatch", 1),
        ("notice-year-mismatch", 2),
    ]


def test_only_the_named_rules_are_silenced() -> None:
    raw = "<!-- provenance: ignore third-party-content, missing-backlink -->\ntext\n"
    findings = (at(2), at(2, "third-party-content"), at(2, "missing-backlink"))
    assert silenced(raw, *findings) == [("third-party-content", 2), ("missing-backlink", 2)]


def test_no_rule_means_every_rule() -> None:
    raw = "<!-- provenance: ignore -->\ntext\n"
    assert len(silenced(raw, at(2), at(2, "third-party-content"))) == 2


def test_ignore_file_silences_the_whole_file() -> None:
    raw = "a\n\nb\n<!--provenance:ignore-file third-party-content-->\n"
    findings = (
        at(1, "third-party-content"),
        at(3),
        Finding("third-party-content", "info", "m", (0, 0)),
    )
    assert silenced(raw, *findings) == [("third-party-content", 1), ("third-party-content", 0)]
    assert len(silenced("<!-- provenance: ignore-file -->\n", at(1), at(9, "x"))) == 2


def test_a_reason_after_two_dashes_names_no_rule() -> None:
    raw = "<!-- provenance: ignore third-party-content -- licensed from reuters -->\nx\n"
    assert silenced(raw, at(2, "third-party-content"), at(2, "reuters")) == [
        ("third-party-content", 2)
    ]


def test_a_comment_over_several_lines_counts_from_its_end() -> None:
    raw = "<!--\n  provenance: ignore\n    notice-year-mismatch\n-->\n\nCopyright 2018\n"
    assert silenced(raw, at(2), at(5), at(6), at(7)) == [
        ("notice-year-mismatch", 2),
        ("notice-year-mismatch", 6),
    ]


def test_line_ends_are_counted_as_extraction_counts_them() -> None:
    raw = "a\r\n<!-- provenance: ignore -->\rb\r\nc\n"
    assert silenced(raw, at(2), at(3), at(4)) == [
        ("notice-year-mismatch", 2),
        ("notice-year-mismatch", 3),
    ]


def test_other_comments_and_lookalikes_silence_nothing() -> None:
    for raw in (
        "<!-- a comment -->\nx\n",
        "provenance: ignore\nx\n",
        "<!-- provenance: ignored -->\nx\n",
        "<!-- provenance: ignore-next -->\nx\n",
    ):
        assert silenced(raw, at(1), at(2)) == [], raw
