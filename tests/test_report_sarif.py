"""The SARIF report, on a real audit of the demo: valid against the official SARIF 2.1.0 schema
(``data/sarif-schema-2.1.0.json``, copied unchanged from the OASIS sarif-spec repository) and
shaped the way GitHub code scanning requires."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from provenance.models import INTERNAL_ERROR, AuditResult, DocumentResult, Location
from provenance.report.sarif import format_sarif
from provenance.rules import describe_rules

from .conftest import audit_demo

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
SARIF_ROOT = "%SRCROOT%"
UNREADABLE = DocumentResult("demo/site/content/broken.md", "error", "cannot decode as UTF-8")


@cache
def sarif_schema() -> dict[str, Any]:
    return dict(json.loads(SCHEMA.read_text(encoding="utf-8")))


def sarif(result: AuditResult) -> dict[str, Any]:
    return dict(json.loads(format_sarif(result, describe_rules())))


def with_suppressed_and_unreadable(result: AuditResult) -> AuditResult:
    """The demo's result with each document's first finding suppressed and a file that could
    not be read."""
    documents = tuple(
        replace(d, findings=d.findings[1:], suppressed=d.findings[:1]) for d in result.documents
    )
    return replace(result, documents=(*documents, UNREADABLE))


def test_sarif_is_valid_against_the_official_schema(result: AuditResult) -> None:
    for variant in (result, with_suppressed_and_unreadable(result)):
        log = sarif(variant)
        jsonschema.validate(log, sarif_schema())
        assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    log["runs"][0]["results"][0]["level"] = "info"  # the schema is no rubber stamp
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, sarif_schema())


def test_every_rule_is_described_once_as_github_requires(result: AuditResult) -> None:
    driver = sarif(result)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "provenance" and driver["version"] and driver["semanticVersion"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == [rule.id for rule in describe_rules()]
    for rule in driver["rules"]:
        for text in (rule["shortDescription"]["text"], rule["fullDescription"]["text"]):
            assert text.strip() and len(text) <= 1024
        assert rule["help"]["text"].strip() and rule["help"]["markdown"].strip()
        assert rule["name"] and len(rule["name"]) <= 255
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert rule["properties"]["problem.severity"] in ("error", "warning", "recommendation")
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    assert by_id["notice-year-mismatch"]["name"] == "NoticeYearMismatch"
    assert "notice-year-mismatch:" not in by_id["notice-year-mismatch"]["fullDescription"]["text"]
    assert by_id["unverified-claim"]["defaultConfiguration"]["level"] == "warning"


def test_a_rule_given_twice_or_not_at_all_is_still_described_once(result: AuditResult) -> None:
    rules = describe_rules()
    fired = {f.rule for d in result.documents for f in d.findings}
    kept = [r for r in rules if r.id != "missing-backlink"]
    run = json.loads(format_sarif(result, [*kept, *kept[:2]]))["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids)) and "missing-backlink" in fired
    assert set(ids) == {r.id for r in rules}
    for found in run["results"]:
        assert ids[found["ruleIndex"]] == found["ruleId"]


def test_results_point_at_their_rule_and_place(result: AuditResult) -> None:
    run = sarif(result)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == sum(len(d.findings) for d in result.documents) == 9
    assert SARIF_ROOT in run["originalUriBaseIds"]
    for found in run["results"]:
        assert rules[found["ruleIndex"]]["id"] == found["ruleId"]
        assert found["message"]["text"].strip()
        (location,) = found["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == SARIF_ROOT
        uri = artifact["uri"]
        assert not uri.startswith("/") and "file:" not in uri and ".." not in uri.split("/")
        region = location["physicalLocation"]["region"]
        for key in ("startLine", "startColumn", "endLine", "endColumn"):
            assert region[key] >= 1
        assert (region["endLine"], region["endColumn"]) >= (
            region["startLine"],
            region["startColumn"],
        )


def test_region_columns_are_exclusive_at_the_end(result: AuditResult) -> None:
    """The region of a wrong year covers exactly the year in the file: SARIF's endColumn is the
    column after the last character."""
    run = sarif(result)["runs"][0]
    (year,) = [
        r for r in run["results"] if r["ruleId"] == "notice-year-mismatch" and "czech" in _uri(r)
    ]
    region = year["locations"][0]["physicalLocation"]["region"]
    line = Path(_uri(year)).read_text(encoding="utf-8").splitlines()[region["startLine"] - 1]
    assert region["startLine"] == region["endLine"] == 28
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == "2019"
    assert year["properties"]["found"] == "2019" and year["properties"]["expected"] == "2022"
    assert year["properties"]["source"]["publisher"] == "rferl"


def test_fingerprints_ignore_lines_and_tell_findings_apart(result: AuditResult) -> None:
    def shifted(document: DocumentResult) -> DocumentResult:
        moved = []
        for finding in document.findings:
            where = finding.location or Location(1, 1, 1, 1)
            where = replace(where, line=where.line + 7, end_line=where.end_line + 7)
            moved.append(replace(finding, location=where))
        return replace(document, findings=tuple(moved))

    moved = replace(result, documents=tuple(shifted(d) for d in result.documents))
    before, after = sarif(result)["runs"][0]["results"], sarif(moved)["runs"][0]["results"]
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [
        line + 7 for line in lines
    ]
    prints = [r["partialFingerprints"] for r in before]
    assert prints == [r["partialFingerprints"] for r in after]
    hashes = [p["primaryLocationLineHash"] for p in prints]
    assert all(h.strip() for h in hashes) and len(set(hashes)) == len(hashes)


def test_the_same_problem_twice_gets_two_fingerprints(result: AuditResult) -> None:
    document = next(d for d in result.documents if len(d.findings) >= 1)
    twice = replace(document, findings=(document.findings[0], document.findings[0]))
    run = sarif(replace(result, documents=(twice,)))["runs"][0]
    first, second = (r["partialFingerprints"]["primaryLocationLineHash"] for r in run["results"])
    assert first.endswith(":1") and second.endswith(":2") and first[:-2] == second[:-2]


def test_files_not_audited_are_notifications(result: AuditResult) -> None:
    (invocation,) = sarif(with_suppressed_and_unreadable(result))["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True  # bad input is no failure of the tool
    notes = {
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: n
        for n in invocation["toolExecutionNotifications"]
    }
    assert notes[UNREADABLE.path]["level"] == "error"
    assert "cannot decode as UTF-8" in notes[UNREADABLE.path]["message"]["text"]
    assert notes["demo/site/hugo.toml"]["level"] == "note"
    assert "not a text format" in notes["demo/site/hugo.toml"]["message"]["text"]
    crashed = replace(UNREADABLE, reason=f"{INTERNAL_ERROR}: KeyError: 'x'")
    (invocation,) = sarif(replace(result, documents=(crashed,)))["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False


def test_severity_maps_to_level(result: AuditResult) -> None:
    documents = tuple(
        replace(d, findings=tuple(replace(f, severity="info") for f in d.findings[:1]))
        for d in result.documents
    )
    levels = {
        (r["ruleId"], r["level"])
        for variant in (result, replace(result, documents=documents))
        for r in sarif(variant)["runs"][0]["results"]
    }
    assert ("notice-year-mismatch", "error") in levels
    assert ("third-party-content", "warning") in levels
    assert ("unverified-claim", "note") in levels  # an info finding is a note
    assert {level for _, level in levels} == {"error", "warning", "note"}


def test_suppressed_findings_are_kept_and_marked(result: AuditResult) -> None:
    varied = with_suppressed_and_unreadable(result)
    results = sarif(varied)["runs"][0]["results"]
    silenced = [r for r in results if "suppressions" in r]
    assert len(silenced) == sum(len(d.suppressed) for d in varied.documents) > 0
    assert len(results) - len(silenced) == sum(len(d.findings) for d in varied.documents)
    for found in silenced:
        (suppression,) = found["suppressions"]
        assert suppression["kind"] == "inSource" and suppression["justification"]


def test_paths_become_uri_references(result: AuditResult) -> None:
    document = next(d for d in result.documents if d.findings)
    renamed = replace(document, path="content/new posts/50% #1.md")
    absolute = replace(document, path="/srv/site/post.md")
    run = sarif(replace(result, documents=(renamed, absolute)))["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert uris[0] == {"uri": "content/new%20posts/50%25%20%231.md", "uriBaseId": SARIF_ROOT}
    assert uris[-1] == {"uri": "file:///srv/site/post.md"}


def test_sarif_is_deterministic(demo: Path) -> None:
    first, second = audit_demo("first.sqlite"), audit_demo("second.sqlite")
    rules = describe_rules()
    assert format_sarif(first, rules) == format_sarif(second, rules)
    assert format_sarif(first, rules).endswith("}\n")


def _uri(found: dict[str, Any]) -> str:
    return str(found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
