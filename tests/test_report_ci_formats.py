"""The reports for CI (Markdown, GitHub annotations, JUnit XML), on a real audit of the demo and
on results made to break them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped, TestSuite
from markdown_it import MarkdownIt

from provenance.models import AuditResult, DocumentResult, Finding, Location
from provenance.report.github import format_github
from provenance.report.junit import format_junit
from provenance.report.markdown import COMMENT_LIMIT, format_markdown

from .conftest import audit_demo

UNREADABLE = DocumentResult("demo/site/content/broken.md", "error", "cannot decode as UTF-8")
HOSTILE = Finding(
    rule="notice-mismatch",
    severity="error",
    message="a | b <script>alert(1)</script> `tick` *bold* [x](javascript:y) @someone\nnext",
    span=(0, 4),
    source_id="rferl/x.md",
    expected="Copyright | `RFE/RL`",
    found="<b>2019</b> |",
    location=Location(3, 2, 3, 9),
)


def with_document(result: AuditResult, document: DocumentResult) -> AuditResult:
    return replace(result, documents=(*result.documents, document))


def findings(result: AuditResult) -> list[tuple[str, Finding]]:
    return [(d.path, f) for d in result.documents for f in d.findings]


@pytest.mark.parametrize("report", [format_markdown, format_github, format_junit])
def test_reports_are_deterministic(demo: Path, report: Callable[[AuditResult], str]) -> None:
    first, second = audit_demo("first.sqlite"), audit_demo("second.sqlite")
    assert report(first) == report(second)
    assert report(first).endswith("\n")


# Markdown


FINDING_ROW = re.compile(r"^\| `[^`]+:\d+:\d+` \|", re.M)


def render(markdown: str) -> str:
    return MarkdownIt("gfm-like").render(markdown)


def test_markdown_gives_the_verdict_counts_and_findings(result: AuditResult) -> None:
    text = format_markdown(with_document(result, UNREADABLE))
    assert text.startswith("## ❌ provenance: 7 errors, 2 warnings; 1 file could not be audited\n")
    assert "| Documents scanned | 9 |" in text and "| Skipped | 1 |" in text
    assert "| Could not be audited | 1 |" in text and "| Suppressed | 0 |" in text
    rows = FINDING_ROW.findall(text)
    assert len(rows) == len(findings(result)) == 9
    assert (
        "| `demo/site/content/world/czech-flood-library.md:28:15` | ❌ error "
        "| `notice-year-mismatch` | the notice says 2019" in text
    )
    assert "<br>required: `2022`<br>found: `2019` |" in text
    assert "- copies Volunteers Bring A Flooded Moravian Village Library Back To Life" in text
    details = text[text.index("<details>") :]
    assert "2 files not audited" in details
    assert "| `demo/site/hugo.toml` | skipped | not a text format" in details
    assert "| `demo/site/content/broken.md` | error | cannot decode as UTF-8 |" in details


def test_markdown_without_findings_says_so(result: AuditResult) -> None:
    clean = replace(result, documents=tuple(replace(d, findings=()) for d in result.documents))
    assert format_markdown(clean).startswith("## ✅ provenance: no findings\n")


def test_markdown_escapes_what_the_files_say(result: AuditResult) -> None:
    document = DocumentResult("content/a|b_<i>.md", "scanned", findings=(HOSTILE,))
    text = format_markdown(replace(result, documents=(document,)))
    html = render(text)
    assert "<script>" not in text and "<script>" not in html and "<b>2019" not in html
    assert "<a " not in html and "<em>" not in html and "<strong>" not in html
    table = html[html.rindex("<tbody>") : html.rindex("</tbody>")]  # the findings
    assert table.count("<tr>") == 1 and table.count("<td>") == 4  # the row stays whole
    assert "<code>Copyright | `RFE/RL`</code>" in table  # code shown as written
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table and "next" in table
    assert "@\u2060someone" in table  # no one is mentioned
    assert "<h3>content/a|b_&lt;i&gt;.md</h3>" in html


def test_markdown_is_cut_to_the_comment_limit_with_a_note(result: AuditResult) -> None:
    many = tuple(
        replace(
            HOSTILE, message=f"finding {i} " + "long words " * 40, location=Location(i, 1, i, 5)
        )
        for i in range(1, 2001)
    )
    document = DocumentResult("content/huge.md", "scanned", findings=many)
    text = format_markdown(replace(result, documents=(*result.documents, document)))
    assert len(text) <= COMMENT_LIMIT
    shown = len(FINDING_ROW.findall(text))
    note = re.search(r"… (\d+) more findings, see the full report", text)
    assert note and 0 < shown < 2009
    assert shown + int(note.group(1)) == 2000 + len(findings(result))
    assert text.rstrip().endswith("</details>")  # what follows the findings is still there
    assert format_markdown(result).count("more findings") == 0


def test_markdown_cuts_a_long_quote_short(result: AuditResult) -> None:
    quoted = replace(HOSTILE, found="word " * 10_000)
    document = DocumentResult("content/long.md", "scanned", findings=(quoted, HOSTILE))
    text = format_markdown(replace(result, documents=(document,)))
    assert len(FINDING_ROW.findall(text)) == 2 and "more findings" not in text
    assert len(text) < 5_000 and "…`" in text


# GitHub annotations

ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^,:]+(,[a-zA-Z]+=[^,:]*)*::.*$")


def test_github_annotates_every_unsuppressed_finding(result: AuditResult) -> None:
    lines = format_github(result).splitlines()
    assert len(lines) == len(findings(result)) == 9
    assert all(ANNOTATION.match(line) for line in lines)
    assert (
        "::error file=demo/site/content/world/czech-flood-library.md,line=28,col=15,endLine=28,"
        "endColumn=19,title=notice-year-mismatch::the notice says 2019, but" in "\n".join(lines)
    )
    assert any(line.endswith("%0Arequired: 2022%0Afound: 2019") for line in lines)
    silenced = replace(
        result,
        documents=tuple(
            replace(d, findings=d.findings[1:], suppressed=d.findings[:1]) for d in result.documents
        ),
    )
    assert len(format_github(silenced).splitlines()) == len(findings(silenced)) < 9


def test_github_columns_only_within_a_line(result: AuditResult) -> None:
    lines = format_github(result).splitlines()
    (backlink,) = [line for line in lines if "missing-backlink" in line and "000_d" in line]
    assert ",line=3,endLine=31,title=missing-backlink::" in backlink and "col=" not in backlink


def test_github_escapes_properties_and_messages(result: AuditResult) -> None:
    finding = Finding(
        rule="x:y,z",
        severity="info",
        message="50% done\r\nsecond: line, here",
        span=(0, 1),
        found="a,b:c",
        location=None,
    )
    odd = DocumentResult("content/a,b:c%.md", "scanned", findings=(finding,))
    (line,) = format_github(replace(result, documents=(odd,))).splitlines()
    assert line == (
        "::notice file=content/a%2Cb%3Ac%25.md,line=1,title=x%3Ay%2Cz"
        "::50%25 done%0D%0Asecond: line, here%0Afound: a,b:c"
    )


def test_github_reports_files_that_could_not_be_audited(result: AuditResult) -> None:
    lines = format_github(with_document(result, UNREADABLE)).splitlines()
    assert lines[-1] == (
        "::error file=demo/site/content/broken.md::could not be audited: cannot decode as UTF-8"
    )
    assert not any("hugo.toml" in line for line in lines)  # skipped: not a problem


def test_github_annotates_a_fetched_page_on_the_run_naming_its_url(result: AuditResult) -> None:
    url = "http://127.0.0.1:8000/world/story.html"
    page = DocumentResult(url, "scanned", findings=(replace(HOSTILE, message="no notice"),))
    failed = DocumentResult(url + "?2", "error", "fetch failed: HTTP 500 after 4 attempts")
    lines = format_github(with_document(with_document(result, page), failed)).splitlines()
    assert lines[-2:] == [
        f"::error title=notice-mismatch::{url}:3:2%0Ano notice%0Arequired: Copyright | "
        "`RFE/RL`%0Afound: <b>2019</b> |",
        f"::error::{url}?2 could not be audited: fetch failed: HTTP 500 after 4 attempts",
    ]


# JUnit XML


def suite_of(text: str) -> TestSuite:
    xml = JUnitXml.fromstring(text.encode("utf-8"))  # as read from the file
    assert isinstance(xml, JUnitXml)
    (suite,) = list(xml)
    return suite


def test_junit_counts_what_the_result_holds(result: AuditResult) -> None:
    varied = with_document(result, UNREADABLE)
    text = format_junit(varied)
    suite = suite_of(text)
    failing = [f for _, f in findings(varied) if f.severity != "info"]
    expected = (len(varied.documents), len(failing), 1, 1)
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == expected
    root = JUnitXml.fromstring(text.encode("utf-8"))
    assert (root.tests, root.failures, root.errors, root.skipped) == expected
    suite.update_statistics()  # junitparser's own count of the elements agrees
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == expected
    cases = {case.name: case for case in suite}
    assert set(cases) == {d.path for d in varied.documents}
    assert isinstance(cases[UNREADABLE.path].result[0], Error)
    assert cases[UNREADABLE.path].result[0].message == "cannot decode as UTF-8"
    assert isinstance(cases["demo/site/hugo.toml"].result[0], Skipped)
    assert cases["demo/site/hugo.toml"].result[0].message.startswith("not a text format")


def test_junit_failures_name_rule_message_and_file(result: AuditResult) -> None:
    suite = suite_of(format_junit(result))
    cases = {case.name: case for case in suite}
    case = cases["demo/site/content/world/czech-flood-library.md"]
    assert case.classname == "provenance.demo.site.content.world.czech-flood-library"
    assert case._elem.get("file") == case.name
    (failure,) = case.result
    assert isinstance(failure, Failure) and failure.type == "notice-year-mismatch"
    assert failure.message.startswith("the notice says 2019, but")
    assert failure.text.startswith(f"{case.name}:28:15: error notice-year-mismatch: ")
    assert "required: 2022\nfound: 2019" in failure.text


def test_junit_keeps_info_and_suppressed_findings_out_of_failures(result: AuditResult) -> None:
    document = next(d for d in result.documents if len(d.findings) == 3)
    info = replace(document.findings[0], severity="info")
    changed = replace(
        document, findings=(info, document.findings[1]), suppressed=(document.findings[2],)
    )
    suite = suite_of(format_junit(replace(result, documents=(changed,))))
    (case,) = list(suite)
    assert [r.type for r in case.result] == [document.findings[1].rule]
    assert f"info {info.rule}: {info.message}" in case.system_out
    assert f"suppressed: {document.path}:" in case.system_out
    assert (suite.tests, suite.failures) == (1, 1)


def test_junit_survives_characters_xml_cannot_carry(result: AuditResult) -> None:
    finding = replace(HOSTILE, message="bad\x00 \x1b[31mred\x0c ]]> & \ud800 end", found="\x07x")
    document = DocumentResult("content/bell\x07.md", "scanned", findings=(finding,))
    suite = suite_of(format_junit(replace(result, documents=(document,))))
    ((failure,),) = [case.result for case in suite]
    assert failure.message == "bad [31mred ]]> &  end"
    assert "found: x" in failure.text
    assert [case.name for case in suite] == ["content/bell.md"]
