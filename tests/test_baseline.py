"""The baseline: today's findings recorded, so that only new ones count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenance.baseline import BaselineError, apply_baseline, format_baseline, parse_baseline
from provenance.models import AuditResult, DocumentResult, Finding, Location


def finding(found: str | None, line: int = 3, rule: str = "third-party-content") -> Finding:
    span, where = (10 * line, 10 * line + 5), Location(line, 1, line, 6)
    return Finding(
        rule, "warning", f"on line {line}", span, "rferl/a.md", found=found, location=where
    )


def result(*findings: Finding, path: str = "site/post.md") -> AuditResult:
    inline = (finding("silenced by a comment", 1),)
    return AuditResult((DocumentResult(path, "scanned", findings=findings, suppressed=inline),), 1)


def roundtrip(recorded: AuditResult, later: AuditResult, folder: Path) -> AuditResult:
    baseline = parse_baseline(format_baseline(recorded, folder), "baseline.json")
    return apply_baseline(later, baseline, folder)


def test_recorded_findings_are_suppressed_wherever_their_line_moves(tmp_path: Path) -> None:
    today = result(finding("With reporting by AP"), finding("Copyright 2018", 9, "x"))
    later = roundtrip(today, result(finding("with  reporting by ap", 40)), tmp_path)
    (document,) = later.documents
    assert document.findings == ()
    assert [f.found for f in document.suppressed] == [
        "silenced by a comment",
        "with  reporting by ap",
    ]


def test_new_findings_and_extra_copies_still_count(tmp_path: Path) -> None:
    today = result(finding("AP"))
    later = roundtrip(
        today, result(finding("AP", 5), finding("AP", 8), finding("Reuters")), tmp_path
    )
    assert [(f.found, f.location.line) for f in later.documents[0].findings] == [  # type: ignore[union-attr]
        ("AP", 8),
        ("Reuters", 3),
    ]


def test_paths_are_relative_to_the_baseline_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    text = format_baseline(result(finding("AP")), tmp_path)
    assert json.loads(text)["findings"][0]["path"] == "site/post.md"
    monkeypatch.chdir(tmp_path / "sub")  # the same file, named from elsewhere
    later = apply_baseline(
        result(finding("AP"), path="../site/post.md"), parse_baseline(text, "b"), tmp_path
    )
    assert later.documents[0].findings == ()


def test_the_file_is_sorted_deterministic_and_versioned(tmp_path: Path) -> None:
    first = result(finding("b", 2), finding("a", 1), finding("a", 7))
    second = result(finding("a", 7), finding("b", 2), finding("a", 1))
    text = format_baseline(first, tmp_path)
    assert text == format_baseline(second, tmp_path)
    data = json.loads(text)
    assert data["version"] == 1
    assert sorted(e["count"] for e in data["findings"]) == [1, 2]
    assert set(data["findings"][0]) == {
        "path",
        "rule",
        "source_id",
        "fingerprint",
        "count",
        "message",
    }


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{", "b.json:1: not a baseline"),
        ('{"version": 2, "findings": []}', "not a version 1 baseline"),
        ("[]", "not a version 1 baseline"),
        ('{"version": 1, "findings": [{"path": "x"}]}', "finding 1: needs path, rule"),
    ],
)
def test_bad_files_are_reported(text: str, words: str) -> None:
    with pytest.raises(BaselineError, match=words):
        parse_baseline(text, "b.json")
