"""Custom rules: declared in the configuration, matched with RE2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from provenance.models import Match, Passage, Source
from provenance.rules.custom import (
    CustomRule,
    CustomRuleError,
    check_custom,
    compile_pattern,
    parse_custom_rules,
)

TEXT = "Headline here\n\nBody text with (AP) material.\nEditor: Jane Roe\n"


def rule(kind: str, base: Path = Path(), **fields: Any) -> CustomRule:
    entry = {"id": f"my-{kind}", "kind": kind, "message": f"{kind} says no"} | fields
    (parsed,) = parse_custom_rules([entry], base)
    return parsed


def match(publisher: str, coverage: float = 0.5) -> Match:
    source = Source(id=f"{publisher}/story.md", text="…", publisher=publisher)
    return Match(source, coverage, 0.5, (Passage((0, 10), (0, 10), 2),))


def run(custom: CustomRule, text: str = TEXT, matches: tuple[Match, ...] = (), path: str = "x.md"):
    return list(check_custom([custom], text, matches, path))


def test_forbid_reports_every_match_with_its_span() -> None:
    findings = run(rule("forbid", pattern=r"\((AP|Reuters)\)"), TEXT + "More (Reuters) copy.")
    assert [f.found for f in findings] == ["(AP)", "(Reuters)"]
    first = findings[0]
    assert (TEXT[slice(*first.span)], first.rule, first.severity) == (
        "(AP)",
        "my-forbid",
        "warning",
    )
    assert first.message == "forbid says no" and first.source_id is None


def test_forbid_ignores_empty_matches() -> None:
    assert run(rule("forbid", pattern="q*")) == []


def test_require_points_at_the_first_line_when_missing() -> None:
    assert run(rule("require", pattern="(?i)^editor: ")) == []
    (missing,) = run(rule("require", pattern="^Photo: ", severity="error"))
    assert TEXT[slice(*missing.span)] == "Headline here" and missing.severity == "error"
    (empty,) = run(rule("require", pattern="x"), "")
    assert empty.span == (0, 0)


def test_caret_and_dollar_match_at_every_line_unless_turned_off() -> None:
    assert run(rule("require", pattern="^Editor: Jane Roe$")) == []
    assert run(rule("require", pattern=r"\AEditor")) != []
    assert run(rule("require", pattern="(?-m)^Editor")) != []


def test_if_then_points_at_the_if_match() -> None:
    custom = rule("if-then", **{"if": r"\(AP\)", "then": "(?i)licensed from AP"})
    (finding,) = run(custom)
    assert TEXT[slice(*finding.span)] == "(AP)" and finding.found == "(AP)"
    assert run(custom, TEXT + "Licensed from AP.\n") == []
    assert run(custom, "no agency here") == []


def test_publishers_limit_the_rule_to_documents_that_copy_them() -> None:
    custom = rule("forbid", pattern="AP", publishers=["rferl"])
    assert run(custom, matches=(match("voa"),)) == []
    (finding,) = run(custom, matches=(match("rferl", 0.2), match("voa"), match("rferl", 0.9)))
    assert finding.source_id == "rferl/story.md"


def test_paths_are_gitignore_patterns_relative_to_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    custom = rule("forbid", tmp_path / "site", pattern="AP", paths=["content/world/", "*.txt"])
    assert run(custom, path="site/content/world/a.md")
    assert run(custom, path=str(tmp_path / "site/notes.txt"))
    assert not run(custom, path="site/content/local/a.md")
    assert not run(custom, path="elsewhere/content/world/a.md")  # outside the config's folder


def test_catastrophic_patterns_finish_at_once() -> None:
    # A backtracking engine needs about 2**50000 steps here; RE2 is linear in the text.
    text = "a" * 50_000 + "b"
    assert run(rule("forbid", pattern="(a+)+$"), text) == []
    assert run(rule("require", pattern="(a|aa)+$"), text)
    assert run(rule("forbid", pattern="(x+x+)+y"), "x" * 50_000) == []


def test_spans_count_characters_not_bytes() -> None:
    text = "Zürich 😀 (AP) — café"
    (finding,) = run(rule("forbid", pattern=r"\(AP\)"), text)
    assert text[slice(*finding.span)] == "(AP)"


@pytest.mark.parametrize(
    ("pattern", "words"),
    [("(a", "missing ): (a"), ("(?<=a)b", "invalid perl operator"), ("a{2000}", "repetition")],
)
def test_invalid_patterns_give_re2s_reason(pattern: str, words: str) -> None:
    with pytest.raises(ValueError, match=r".*") as caught:
        compile_pattern(pattern)
    assert words in str(caught.value) and "(?m)" not in str(caught.value)


def test_entries_are_validated_with_the_key_at_fault() -> None:
    good = {"id": "a", "kind": "forbid", "pattern": "x", "message": "m"}
    with pytest.raises(CustomRuleError) as caught:
        parse_custom_rules([good, good | {"pattern": "(x"}], Path())
    assert caught.value.key == ("custom-rules", 1, "pattern")
    with pytest.raises(CustomRuleError) as caught:
        parse_custom_rules([{"id": "a", "kind": "forbid", "pattern": "x"}], Path())
    assert caught.value.key == ("custom-rules", 0) and "'message' is required" in str(caught.value)
