"""The HTML report, as a real browser (headless Chromium) renders it, on a real audit of the
demo."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

from provenance.models import SEVERITIES, AuditResult, DocumentResult
from provenance.report.html import format_html
from provenance.rules import describe_rules

SEED = "000_d1539334f923b65a.txt"
TRANSPARENT = "rgba(0, 0, 0, 0)"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("the HTML report is tested in a real browser: install Debian's chromium")
    with sync_playwright() as playwright:
        # tests may run as root, where Chromium's sandbox refuses to start
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


def _open(browser: Browser, report: str, folder: Path, width: int = 1280) -> tuple[Page, list[str]]:
    """The report written to a file and opened in a new page; also every URL the page asks
    for."""
    path = folder / "report.html"
    path.write_text(report, encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    return page, requests


def _document(result: AuditResult, name: str) -> tuple[int, DocumentResult]:
    return next((i, d) for i, d in enumerate(result.documents, 1) if d.path.endswith(name))


def test_summary_shows_the_counts_of_the_result(
    browser: Browser, result: AuditResult, tmp_path: Path
) -> None:
    page, requests = _open(browser, format_html(result), tmp_path)
    shown = {
        key: int(page.locator(f'[data-count="{key}"]').inner_text().replace(",", ""))
        for key in ("documents", "scanned", "skipped", "errors", *SEVERITIES, "suppressed")
    }
    expected: dict[str, int] = {
        "documents": len(result.documents),
        "scanned": result.status_count("scanned"),
        "skipped": result.status_count("skipped"),
        "errors": result.status_count("error"),
        **{s: result.count(s) for s in SEVERITIES},
        "suppressed": 0,
    }
    assert shown == expected
    assert page.locator('[data-count="sources"]').inner_text() == str(result.sources_indexed)
    assert page.locator(".verdict").inner_text().startswith("Fails: 7 errors")
    rows = page.locator("table.documents tr[data-path]")
    assert rows.count() == len(result.documents)
    number, seed = _document(result, SEED)
    row = page.locator(f'tr[data-path="{seed.path}"]')
    assert row.locator("[data-findings]").inner_text() == str(len(seed.findings))
    assert f"{seed.matches[0].source_coverage:.0%}" in row.inner_text()
    row.locator("a").click()  # the link leads to the document's own section
    assert page.evaluate("location.hash") == f"#doc-{number}"
    assert page.locator(f"#doc-{number} h2").is_visible()
    skipped = next(d for d in result.documents if d.status == "skipped")
    assert skipped.reason and skipped.reason in page.locator("#not-audited").inner_text()
    # nothing but the report itself is loaded: no style sheet, font, image or script
    assert requests == [(tmp_path / "report.html").as_uri()]
    page.close()


def test_copied_passages_are_marked_alike_on_both_sides(
    browser: Browser, result: AuditResult, tmp_path: Path
) -> None:
    page, _ = _open(browser, format_html(result), tmp_path)
    number, seed = _document(result, SEED)
    match = seed.matches[0]
    section = page.locator(f"#doc-{number}-m1")
    target, source = section.locator(".target mark"), section.locator(".source mark")
    assert target.count() == source.count() == len(match.passages)
    for i, passage in enumerate(match.passages):
        left, right = target.nth(i), source.nth(i)
        assert left.text_content() == seed.text[slice(*passage.target)]
        assert right.text_content() == match.source.text[slice(*passage.source)]
        assert left.get_attribute("data-passage") == right.get_attribute("data-passage")
        for mark in (left, right):
            box = mark.bounding_box()
            assert box and box["width"] > 0 and box["height"] > 0
        colour = left.evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour != TRANSPARENT
        assert colour == right.evaluate("e => getComputedStyle(e).backgroundColor")
    page.close()


def test_the_two_sides_stand_together_on_a_wide_screen_and_stack_on_a_narrow_one(
    browser: Browser, result: AuditResult, tmp_path: Path
) -> None:
    number, _ = _document(result, SEED)
    for width, side_by_side in ((1280, True), (600, False)):
        page, _ = _open(browser, format_html(result), tmp_path, width)
        section = page.locator(f"#doc-{number}-m1")
        left = section.locator(".side.target").bounding_box()
        right = section.locator(".side.source").bounding_box()
        assert left and right
        assert (left["y"] == right["y"] and left["x"] < right["x"]) is side_by_side
        assert (right["y"] >= left["y"] + left["height"]) is not side_by_side
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.close()


def test_a_wrong_notice_is_shown_as_the_words_to_remove_and_to_add(
    browser: Browser, result: AuditResult, tmp_path: Path
) -> None:
    page, _ = _open(browser, format_html(result), tmp_path)
    finding = page.locator('.finding[data-rule="notice-mismatch"]')
    assert finding.count() == 1
    assert "kazakhstan-observatory-wrong-credit.md:28:1" in finding.locator(".where").inner_text()
    removed = finding.locator("del").all_inner_texts()
    added = finding.locator("ins").all_inner_texts()
    assert "2022 RFE/RL. Used" in removed
    assert "(c) 2022. RFE/RL, Inc. Republished" in added
    expected = next(f for d in result.documents for f in d.findings if f.rule == "notice-mismatch")
    rows = finding.locator(".wording td")
    assert rows.nth(0).inner_text() == " ".join((expected.expected or "").split())
    assert rows.nth(1).inner_text() == expected.found
    page.close()


def test_audited_markup_shows_as_text_and_never_runs(
    browser: Browser, result: AuditResult, tmp_path: Path
) -> None:
    hostile = "<script>alert(1)</script>"
    number, seed = _document(result, SEED)
    text = hostile + seed.text  # passages shift by the inserted characters
    shift = len(hostile)
    matches = tuple(
        replace(
            m,
            passages=tuple(
                replace(p, target=(p.target[0] + shift, p.target[1] + shift)) for p in m.passages
            ),
        )
        for m in seed.matches
    )
    documents = list(result.documents)
    documents[number - 1] = replace(seed, path=f"{hostile}.txt", text=text, matches=matches)
    report = format_html(replace(result, documents=tuple(documents)))
    dialogs: list[str] = []
    page = browser.new_page()

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    path = tmp_path / "report.html"
    path.write_text(report, encoding="utf-8")
    page.goto(path.as_uri())
    assert page.locator("script").count() == 0
    assert page.locator(f"#doc-{number} .target .text").text_content() == text
    assert page.locator(f"#doc-{number} h2").inner_text() == f"{hostile}.txt"
    assert dialogs == []
    page.close()


def test_suppressed_findings_are_listed_apart_and_rules_are_explained(
    browser: Browser, result: AuditResult, tmp_path: Path
) -> None:
    documents = tuple(
        replace(d, findings=d.findings[1:], suppressed=d.findings[:1]) for d in result.documents
    )
    silenced = replace(result, documents=documents)
    moved = sum(1 for d in result.documents if d.findings)
    page, _ = _open(browser, format_html(silenced, describe_rules()), tmp_path)
    assert page.locator('[data-count="suppressed"]').inner_text() == str(moved)
    assert page.locator(".suppressed .finding").count() == moved
    assert page.locator(".finding").count() == sum(
        len(d.findings) + len(d.suppressed) for d in documents
    )
    first = page.locator(".suppressed .finding").first
    assert "Suppressed" in page.locator(".suppressed h3").first.inner_text()
    rule = first.get_attribute("data-rule")
    assert rule
    first.locator(f'a[href="#rule-{rule}"]').click()
    explained = page.locator(f"#rule-{rule}")
    assert explained.is_visible() and rule in explained.inner_text()
    page.close()


def test_screenshot_of_the_report(browser: Browser, result: AuditResult, tmp_path: Path) -> None:
    folder = Path(os.environ.get("PROVENANCE_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page, _ = _open(browser, format_html(result, describe_rules()), tmp_path)
    shot = folder / "report-html.png"
    page.screenshot(path=str(shot), full_page=True)
    page.close()
    assert shot.is_file() and shot.read_bytes().startswith(b"\x89PNG")
