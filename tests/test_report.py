"""Reporters, on the result of a real audit of the demo."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from provenance.models import AuditResult
from provenance.report import format_json, render_terminal, report_schema

GOLDEN = Path(__file__).parent / "golden" / "demo-report.json"


def test_json_report_matches_the_golden_file(result: AuditResult) -> None:
    report = json.loads(format_json(result))
    jsonschema.validate(report, report_schema())
    if os.environ.get("PROVENANCE_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    assert report == json.loads(GOLDEN.read_text())


def test_schema_rejects_reports_that_break_the_contract(result: AuditResult) -> None:
    report = json.loads(format_json(result))
    report["documents"][0]["status"] = "fine"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, report_schema())


@pytest.mark.parametrize("width", [80, 140])
def test_terminal_report_stays_readable_at_any_width(result: AuditResult, width: int) -> None:
    out = StringIO()
    render_terminal(result, Console(file=out, width=width, color_system=None))
    text = out.getvalue()
    # Only a path or a URL may run past the edge: it is never broken, so it can be clicked.
    long = [line.strip() for line in text.splitlines() if len(line) > width]
    assert all(len(line.removeprefix("required: ").split()) == 1 for line in long), long
    urls = [m.source.url for d in result.documents for m in d.matches if m.source.url]
    lines = {line.strip() for line in text.splitlines()}
    assert urls and all(url in lines for url in urls)
    assert "demo/site/content/world/czech-flood-library.md:28:15" in text
    assert "notice-year-mismatch: the notice says 2019" in " ".join(text.split())
    assert "hugo.toml" in text and "skipped:" in text
    assert "7 errors, 2 warnings, 0 info" in text


def test_terminal_diff_marks_the_words_that_differ(result: AuditResult) -> None:
    out = StringIO()
    render_terminal(
        result, Console(file=out, width=120, force_terminal=True, color_system="standard")
    )
    text = out.getvalue()
    assert "\x1b[1;31m2022 RFE/RL. Used \x1b[0mwith" in text  # words found instead: red
    assert "\x1b[1;32m(c) 2022. RFE/RL, Inc. Republished \x1b[0mwith" in text  # missing: green


def test_no_color_on_a_terminal_marks_the_words_in_brackets(
    result: AuditResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = StringIO()
    render_terminal(result, Console(file=out, width=120, force_terminal=True))
    text = out.getvalue()
    assert "\x1b[31m" not in text and "\x1b[1;31m" not in text  # no colour, bold may stay
    assert "[-(c) 2022. RFE/RL, Inc. Republished-]" in text
    assert "{+2022 RFE/RL. Used+}" in text


def test_suppressed_findings_are_shown_apart_and_not_counted(result: AuditResult) -> None:
    documents = tuple(
        replace(d, findings=d.findings[1:], suppressed=d.findings[:1]) for d in result.documents
    )
    silenced = replace(result, documents=documents)
    moved = sum(1 for d in result.documents if d.findings)
    report = json.loads(format_json(silenced))
    jsonschema.validate(report, report_schema())
    assert report["summary"]["suppressed"] == moved
    assert sum(report["summary"]["findings"].values()) == sum(len(d.findings) for d in documents)
    assert sum(len(d["suppressed"]) for d in report["documents"]) == moved
    out = StringIO()
    render_terminal(silenced, Console(file=out, width=100, color_system=None))
    text = out.getvalue()
    assert f"; {moved} suppressed\n" in text
    assert "1 suppressed finding: " in text
    assert ", 1 suppressed" in text  # in the summary table
