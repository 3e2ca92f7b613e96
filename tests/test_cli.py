"""The command line end to end, on a copy of the demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from provenance.report import report_schema

from .conftest import ROOT

# What an audit of the demo site must say about each page (fixtures/demo/README.md).
EXPECTED = {
    "content/_index.md": ("scanned", None, []),
    "content/local/bridge-repairs-claimed-credit.md": ("scanned", None, ["unverified-claim"]),
    "content/local/riverside-market-reopens.md": ("scanned", None, []),
    "content/world/000_d1539334f923b65a.txt": (
        "scanned",
        "rferl/lukashenka-putin-phone-call.md",
        ["missing-backlink", "third-party-content", "notice-year-mismatch"],
    ),
    "content/world/czech-flood-library.md": (
        "scanned",
        "rferl/czech-flood-library.md",
        ["notice-year-mismatch"],
    ),
    "content/world/georgia-qvevri-winemakers.md": (
        "scanned",
        "rferl/georgia-qvevri-winemakers.md",
        [],
    ),
    "content/world/georgia-winemakers-excerpt.md": (
        "scanned",
        "rferl/georgia-qvevri-winemakers.md",
        [],
    ),
    "content/world/kazakhstan-observatory-wrong-credit.md": (
        "scanned",
        "rferl/kazakhstan-steppe-observatory.md",
        ["missing-backlink", "notice-mismatch"],
    ),
    "content/world/kazakhstan-steppe-observatory.md": (
        "scanned",
        "rferl/kazakhstan-steppe-observatory.md",
        ["missing-backlink", "missing-notice"],
    ),
    "hugo.toml": ("skipped", None, []),
}


def audit_json(run, *extra: str) -> tuple[int, dict]:
    result = run("audit", "demo/site", "--sources", "demo/sources", "--format", "json", *extra)
    assert result.err == ""
    return result.code, json.loads(result.out)


def by_path(report: dict) -> dict[str, dict]:
    return {d["path"].removeprefix("demo/site/"): d for d in report["documents"]}


def test_demo_audit_reports_every_page_as_expected(demo, run):
    code, report = audit_json(run)
    assert code == 1
    jsonschema.validate(report, report_schema())
    documents = by_path(report)
    assert set(documents) == set(EXPECTED)
    for path, (status, source, rules) in EXPECTED.items():
        document = documents[path]
        assert document["status"] == status, path
        best = [m["source_id"] for m in document["matches"]][:1]
        assert best == ([source] if source else []), path
        assert [f["rule"] for f in document["findings"]] == rules, path
    assert report["summary"] == {
        "documents": 10,
        "scanned": 9,
        "skipped": 1,
        "errors": 0,
        "findings": {"error": 7, "warning": 2, "info": 0},
        "suppressed": 0,
        "urls": {"fetched": 0, "not-modified": 0, "robots": 0, "refused": 0, "failed": 0},
    }


def test_seed_findings_point_at_the_notice_and_the_agency_credit(demo, run):
    _, report = audit_json(run)
    seed = by_path(report)["content/world/000_d1539334f923b65a.txt"]
    lines = (demo / "site/content/world/000_d1539334f923b65a.txt").read_text().splitlines()
    year, agencies = (
        next(f for f in seed["findings"] if f["rule"] == rule)
        for rule in ("notice-year-mismatch", "third-party-content")
    )
    notice = lines[year["line"] - 1]
    assert notice.startswith("Copyright (c) 2018. RFE/RL, Inc.")
    assert notice[year["column"] - 1 : year["end_column"] - 1] == "2018"
    assert "2020" in year["message"] and year["expected"] == "2020"
    assert lines[agencies["line"] - 1] == "With reporting by Reuters and AFP"
    assert "Reuters and AFP" in agencies["message"]
    match = seed["matches"][0]
    assert match["source_coverage"] == 1.0
    assert 0.8 < match["target_share"] < 0.95  # the aggregator's date, notice and boilerplate


def test_passage_spans_slice_the_copied_text(demo, run):
    _, report = audit_json(run)
    excerpt = by_path(report)["content/world/georgia-winemakers-excerpt.md"]
    source = (demo / "sources/rferl/georgia-qvevri-winemakers.md").read_text().split("---\n", 2)[2]
    target = (demo / "site/content/world/georgia-winemakers-excerpt.md").read_text()
    target_body = target.split("---\n", 2)[2]
    passage = excerpt["matches"][0]["passages"][0]
    copied = target_body[slice(*passage["target"])]
    assert copied.startswith("In the hills of eastern Georgia")
    assert copied == source.strip()[slice(*passage["source"])]
    assert 0.25 < excerpt["matches"][0]["source_coverage"] < 0.4


def test_second_run_does_not_fingerprint_unchanged_sources(demo, run):
    _, first = audit_json(run)
    assert first["index"]["fingerprinted"] == 5
    _, second = audit_json(run)
    assert (second["index"]["fingerprinted"], second["index"]["unchanged"]) == (0, 5)
    changed = demo / "sources/rferl/czech-flood-library.md"
    changed.write_text(changed.read_text() + "\nAn added closing paragraph.\n")
    (demo / "sources/voa/mongolia-herders-cashmere.md").unlink()
    _, third = audit_json(run)
    assert third["index"] | {"problems": []} == {
        "sources": 4,
        "fingerprinted": 1,
        "unchanged": 3,
        "removed": 1,
        "problems": [],
    }


def test_binary_and_unreadable_files_are_reported_and_the_audit_goes_on(demo, run):
    (demo / "site/content/world/photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    (demo / "site/content/world/garbled.md").write_bytes(bytes(range(128, 256)) * 4)
    (demo / "site/content/world/gone.md").symlink_to(demo / "nowhere.md")
    code, report = audit_json(run)
    assert code == 1
    jsonschema.validate(report, report_schema())
    documents = by_path(report)
    assert documents["content/world/photo.md"]["status"] == "skipped"
    assert "binary" in documents["content/world/photo.md"]["reason"]
    assert documents["content/world/garbled.md"]["status"] == "error"
    assert "UTF-8" in documents["content/world/garbled.md"]["reason"]
    assert documents["content/world/gone.md"]["status"] == "error"
    assert "broken symbolic link" in documents["content/world/gone.md"]["reason"]
    assert documents["content/world/czech-flood-library.md"]["findings"]  # others still audited
    assert report["summary"]["errors"] == 2 and report["summary"]["skipped"] == 2


def test_gitignored_files_are_not_inputs(demo, run):
    (demo / "site/public").mkdir()
    (demo / "site/public/index.html").write_text("<html><body><p>built</p></body></html>")
    _, report = audit_json(run)
    assert not any("public/" in d["path"] for d in report["documents"])


def test_terminal_report_shows_matches_findings_and_required_wording(demo, run):
    result = run("audit", "demo/site", "--sources", "demo/sources")
    assert result.code == 1
    out = result.out
    assert "demo/site/content/world/000_d1539334f923b65a.txt:33:15" in out
    assert "notice-year-mismatch" in out and "third-party-content" in out
    assert "rferl/lukashenka-putin-phone-call.md" in out
    assert "required:" in out and "found:" in out
    # piped, the words that differ from the required notice are bracketed, not just coloured
    assert "found:    Copyright {+2022 RFE/RL. Used+} with {+permission.+}" in out
    assert "required: Copyright [-(c) 2022. RFE/RL, Inc. Republished-] with [-the" in out
    assert "Audit summary" in out
    assert "7 errors, 2 warnings" in out
    assert "5 fingerprinted" in out


def test_fail_on_levels(demo, run):
    assert audit_json(run, "--fail-on", "never")[0] == 0
    keep = {"georgia-qvevri-winemakers.md", "bridge-repairs-claimed-credit.md"}
    for file in (demo / "site/content").glob("*/*"):
        if file.name not in keep:
            file.unlink()
    assert audit_json(run)[0] == 0  # only a warning is left
    assert audit_json(run, "--fail-on", "warning")[0] == 1


def test_output_file_is_written_whole(demo, run):
    result = run(
        "audit", "demo/site", "--sources", "demo/sources", "--format", "json", "-o", "out/r.json"
    )
    assert result.code == 1 and result.out == ""
    report = json.loads(Path("out/r.json").read_text())
    jsonschema.validate(report, report_schema())
    assert [p.name for p in Path("out").iterdir()] == ["r.json"]  # no temporary file left
    umask = os.umask(0)
    os.umask(umask)
    assert Path("out/r.json").stat().st_mode & 0o777 == 0o666 & ~umask
    run("audit", "demo/site", "-o", "out/r.txt")
    assert "Audit summary" in Path("out/r.txt").read_text()


def test_usage_errors_exit_2(demo, run):
    missing = run("audit", "demo/nope", "--sources", "demo/sources")
    assert missing.code == 2 and "no such file or folder" in missing.err
    no_sources = run("audit", "demo/site", "--sources", "demo/nope")
    assert no_sources.code == 2 and "no such file or folder: demo/nope" in no_sources.err
    empty = run("audit", "demo/site", "--index", "elsewhere/index.sqlite")
    assert empty.code == 2 and "holds no sources" in empty.err
    redis = run("audit", "demo/site", "--index", "redis://127.0.0.1:6390/0")
    assert redis.code == 2 and "redis" in redis.err
    with pytest.raises(SystemExit) as bad_option:
        run("audit", "demo/site", "--format", "xml")
    assert bad_option.value.code == 2


def test_config_file_is_found_upward_and_validated(demo, run):
    (demo / "provenance.toml").write_text('sources = ["sources"]\nfail-on = "never"\n')
    assert run("audit", "demo/site", "--format", "json").code == 0
    (demo / "provenance.toml").write_text('colour = "red"\n')
    bad = run("audit", "demo/site")
    assert bad.code == 2 and "provenance.toml" in bad.err and "colour" in bad.err


def test_index_commands(demo, run):
    added = run("index", "add", "demo/sources")
    assert added.code == 0 and "5 added" in added.out
    again = run("index", "add", "demo/sources")
    assert "0 added, 0 updated, 5 unchanged" in again.out
    stats = run("index", "stats", "--format", "json")
    assert json.loads(stats.out)["publishers"] == {"rferl": 4, "voa": 1}
    removed = run("index", "remove", "voa/mongolia-herders-cashmere.md")
    assert removed.code == 0 and "removed voa/mongolia-herders-cashmere.md" in removed.out
    unknown = run("index", "remove", "no/such.md")
    assert unknown.code == 2 and "no/such.md" in unknown.err
    assert json.loads(run("index", "stats", "--format", "json").out)["sources"] == 4
    custom = run("index", "add", "demo/sources", "--index", "custom/i.sqlite")
    assert custom.code == 0 and Path("custom/i.sqlite").exists()


def test_index_add_reports_sources_it_cannot_read(demo, run):
    (demo / "sources/bad.jsonl").write_text('{"id": "ok", "text": "fine text"}\nnot json\n')
    result = run("index", "add", "demo/sources")
    assert result.code == 0 and "6 added" in result.out
    assert "bad.jsonl:2" in result.err and "invalid JSON" in result.err


def test_rules_and_explain(run):
    listing = run("rules")
    assert "notice-year-mismatch" in listing.out and "rferl" in listing.out
    explained = run("explain", "third-party-content")
    assert explained.code == 0 and "agency" in explained.out
    assert run("explain", "no-such-rule").code == 2


def test_python_dash_m_runs_the_cli():
    result = subprocess.run(
        [sys.executable, "-m", "provenance", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ},
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("provenance ")


SEED = "content/world/000_d1539334f923b65a.txt"
CZECH = "content/world/czech-flood-library.md"
SITE_CONFIG = """\
sources = ["sources"]

[site]
commercial = true
licences = ["Reuters"]

[rules]
notice-year-mismatch = "off"
no-boilerplate = "error"

[[custom-rules]]
id = "no-boilerplate"
kind = "forbid"
pattern = '^More \\pL+ News$'
message = "the aggregator's boilerplate trails the article"
publishers = ["rferl"]
paths = ["site/content/world/"]

[[custom-rules]]
id = "dated"
kind = "require"
pattern = '\\A\\s*(date:|---\\s+date:|\\w{3}, \\d{1,2} \\w{3} \\d{4})'
message = "every article starts with its date"
"""


def rules_of(document: dict) -> list[str]:
    return [f["rule"] for f in document["findings"]]


def test_configured_rules_and_custom_rules_reach_the_audit(demo, run):
    (demo / "provenance.toml").write_text(SITE_CONFIG)
    result = run("audit", "demo/site", "--format", "json")
    report = json.loads(result.out)
    jsonschema.validate(report, report_schema())
    documents = by_path(report)
    assert not any("notice-year-mismatch" in rules_of(d) for d in documents.values())
    (boilerplate,) = [f for f in documents[SEED]["findings"] if f["rule"] == "no-boilerplate"]
    assert (boilerplate["line"], boilerplate["severity"]) == (35, "error")
    assert boilerplate["found"] == "More Ireland News"
    assert boilerplate["source_id"] == "rferl/lukashenka-putin-phone-call.md"
    assert "dated" not in rules_of(documents[SEED])
    assert "dated" in rules_of(documents["content/_index.md"])  # front matter is not the text
    assert "no-boilerplate" not in rules_of(documents["content/local/riverside-market-reopens.md"])


CUSTOM_RULE = (
    '[[custom-rules]]\nid = "{id}"\nkind = "forbid"\npattern = "{pattern}"\nmessage = "m"\n'
)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[rules]\nmissing-notice = "warning"\nno-such-rule = "off"\n', 3, "unknown rule"),
        ('[site]\ncommercial = true\nlicences = ["nobody"]\n', 3, "no publisher pack for"),
        (CUSTOM_RULE.format(id="x", pattern="(a"), 4, "invalid pattern: missing ): (a"),
        (CUSTOM_RULE.format(id="missing-notice", pattern="a"), 2, "built-in rule"),
    ],
)
def test_configuration_errors_name_the_line_and_exit_2(demo, run, text, line, words):
    (demo / "provenance.toml").write_text(text)
    bad = run("audit", "demo/site", "--sources", "demo/sources")
    assert bad.code == 2 and f"provenance.toml:{line}: " in bad.err and words in bad.err


def test_inline_comments_suppress_findings(demo, run):
    seed = demo / "site" / SEED
    lines = seed.read_text().splitlines(keepends=True)
    lines.insert(32, "<!-- provenance: ignore notice-year-mismatch -- the 2018 date is ours -->\n")
    seed.write_text("".join(lines))
    czech = demo / "site" / CZECH
    czech.write_text(czech.read_text() + "\n<!-- provenance: ignore-file -->\n")
    _, report = audit_json(run, "--fail-on", "never")
    jsonschema.validate(report, report_schema())
    documents = by_path(report)
    assert "notice-year-mismatch" not in rules_of(documents[SEED])
    assert [f["rule"] for f in documents[SEED]["suppressed"]] == ["notice-year-mismatch"]
    assert documents[CZECH]["findings"] == [] and documents[CZECH]["suppressed"]
    assert report["summary"]["suppressed"] == 1 + len(documents[CZECH]["suppressed"])


def test_baseline_fails_the_audit_only_on_new_findings(demo, run):
    code, before = audit_json(run)
    total = sum(before["summary"]["findings"].values())
    assert code == 1 and total > 0
    recorded = run(
        "audit", "demo/site", "--sources", "demo/sources", "--format", "json",
        "--baseline", "demo/baseline.json", "--update-baseline",
    )  # fmt: skip
    assert recorded.code == 0 and f"{total} findings recorded in demo/baseline.json" in recorded.err
    report = json.loads(recorded.out)
    jsonschema.validate(report, report_schema())
    assert report["summary"]["findings"] == {"error": 0, "warning": 0, "info": 0}
    assert report["summary"]["suppressed"] == total
    baseline = json.loads((demo / "baseline.json").read_text())
    assert baseline["version"] == 1
    assert {e["path"] for e in baseline["findings"]} >= {f"site/{SEED}", f"site/{CZECH}"}

    (demo / "provenance.toml").write_text('baseline = "baseline.json"\n')
    czech = demo / "site" / CZECH
    shifted = czech.read_text().replace("\n\n", "\n\nAn added paragraph.\n\n", 1)
    czech.write_text(shifted)  # every finding in the file moves down two lines
    assert audit_json(run)[0] == 0

    czech.write_text(shifted.replace("Copyright (c) 2019.", "Copyright (c) 2017."))
    code, report = audit_json(run)
    assert code == 1
    assert [(f["rule"], f["found"]) for f in by_path(report)[CZECH]["findings"]] == [
        ("notice-year-mismatch", "2017")
    ]
    terminal = run("audit", "demo/site", "--sources", "demo/sources")
    assert f"; {total - 1} suppressed" in terminal.out and "suppressed" in terminal.out
    assert audit_json(run, "--no-baseline")[1]["summary"]["suppressed"] == 0


def test_baseline_usage_errors(demo, run):
    missing = run("audit", "demo/site", "--sources", "demo/sources", "--baseline", "none.json")
    assert missing.code == 2 and "none.json: baseline not found" in missing.err
    nowhere = run("audit", "demo/site", "--sources", "demo/sources", "--update-baseline")
    assert nowhere.code == 2 and "--update-baseline needs a file" in nowhere.err
    Path("bad.json").write_text('{"version": 9}')
    bad = run("audit", "demo/site", "--sources", "demo/sources", "--baseline", "bad.json")
    assert bad.code == 2 and "not a version 1 baseline" in bad.err


def test_rules_and_explain_show_the_custom_rules(demo, run):
    (demo / "provenance.toml").write_text(SITE_CONFIG)
    listing = run("rules", "--config", "demo/provenance.toml")
    assert listing.code == 0 and "Custom rules" in listing.out and "no-boilerplate" in listing.out
    explained = run("explain", "no-boilerplate", "--config", "demo/provenance.toml")
    assert explained.code == 0
    assert explained.out.startswith("no-boilerplate: the aggregator's boilerplate")
    assert "pattern: ^More \\pL+ News$" in explained.out and "Severity: error" in explained.out
    assert "publishers: rferl" in explained.out
    unknown = run("explain", "no-such-rule", "--config", "demo/provenance.toml")
    assert unknown.code == 2 and "dated" in unknown.err


def test_extract_shows_the_text_and_metadata_the_audit_sees(run):
    page = ROOT / "tests" / "pages" / "aggregator.html"
    shown = run("extract", page)
    assert shown.code == 0
    summary = json.loads(run("extract", page, "--format", "json").out)
    assert set(summary) == {"path", "format", "title", "metadata", "text"}
    assert summary["format"] == "html" and summary["text"].strip()
    # The terminal output is the same text, after the metadata's text fields.
    assert shown.out.rstrip().endswith(summary["text"].strip())
    if summary["title"]:
        assert f"title: {summary['title']}" in shown.out
    assert "boilerplate" in summary["metadata"]  # the page's lines outside the main text


@pytest.mark.parametrize(
    ("target", "message"),
    [("missing.html", "no such file: missing.html"), (".", "no such file: .")],
)
def test_extract_of_a_missing_file_is_a_usage_error(run, tmp_path, monkeypatch, target, message):
    monkeypatch.chdir(tmp_path)
    result = run("extract", target)
    assert result.code == 2 and message in result.err


def test_extract_of_a_binary_file_says_why(run, tmp_path):
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = run("extract", binary)
    assert result.code == 2 and "image.html" in result.err
