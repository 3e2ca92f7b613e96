"""Every rule against its cases in ``rule_cases/<rule>.yaml`` (pass and fail cases as data)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from provenance.align import align
from provenance.claims import find_claims
from provenance.extract import extract_file
from provenance.models import Match, SiteProfile, Source
from provenance.normalise import tokens
from provenance.rules import (
    RULES,
    PackError,
    Policy,
    builtin_packs,
    evaluate,
    governing_pack,
    validate,
)

from .conftest import DEMO

CASES = Path(__file__).parent / "rule_cases"
STORY_FILE = DEMO / "sources/rferl/georgia-qvevri-winemakers.md"


def _source() -> Source:
    document = extract_file(STORY_FILE)
    meta = document.metadata
    return Source(
        id="rferl/georgia.md",
        text=document.text.strip(),
        publisher="rferl",
        title=meta["title"],
        url=meta["url"],
        author=meta["author"],
        published=meta["published"].isoformat(),
    )


SOURCE = _source()
PACKS = builtin_packs()


def _placeholders(source: Source) -> dict[str, str]:
    pack = governing_pack(source, PACKS)
    notice = pack.notice.required(source) if pack and pack.notice else ""
    return {
        "story": source.text,
        "excerpt": "\n\n".join(source.text.split("\n\n")[:3]),
        "notice": notice,
        "url": source.url or "",
    }


PLACEHOLDERS = _placeholders(SOURCE)


def _cases() -> list:
    found = []
    for file in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(file.read_text())
        assert data["rule"] in RULES, file
        for case in data["cases"]:
            found.append(pytest.param(data["rule"], case, id=f"{data['rule']}: {case['name']}"))
    return found


def copied(text: str, source: Source = SOURCE) -> tuple[Match, int]:
    """``text`` aligned with ``source`` as a match, and how many words it copies."""
    alignment = align(tokens(text), tokens(source.text))
    match = Match(source, alignment.source_coverage, alignment.target_share, alignment.passages)
    return match, alignment.words


def audit_text(text: str, source: Source = SOURCE, site: SiteProfile | None = None) -> list:
    match, words = copied(text, source)
    matches = [match] if words >= 40 else []
    return evaluate(text, matches, find_claims(text), Policy(PACKS, site or SiteProfile()))


@pytest.mark.parametrize(("rule", "case"), _cases())
def test_rule_case(rule: str, case: dict) -> None:
    """A case: ``target`` (with {story}, {excerpt}, {notice}, {url} filled in from the source),
    optional ``source`` fields replacing the RFE/RL story's, ``site`` profile, ``replace`` pairs
    applied to the target, the rules it must ``expect``, and what a finding ``found``."""
    source = replace(SOURCE, **case.get("source", {}))
    text = case["target"].format(**_placeholders(source))
    for old, new in case.get("replace", []):
        assert old in text, old
        text = text.replace(old, new)
    profile = case.get("site", {})
    site = SiteProfile(**{k: tuple(v) if isinstance(v, list) else v for k, v in profile.items()})
    findings = [f for f in audit_text(text, source, site) if f.rule == rule]
    assert [f.rule for f in findings] == case["expect"]
    for finding in findings:
        assert finding.message
        assert 0 <= finding.span[0] < finding.span[1] <= len(text)
        if "found" in case:
            assert finding.found == case["found"]


def test_every_rule_has_cases_and_documentation() -> None:
    covered = {f.stem for f in CASES.glob("*.yaml")}
    assert covered == set(RULES)
    for rule_id, module in RULES.items():
        assert rule_id == module.ID
        assert module.__doc__ and module.__doc__.startswith(f"{rule_id}: ")
        assert module.DEFAULT["severity"] in ("error", "warning", "info")


def test_year_finding_points_at_the_year() -> None:
    text = f"{SOURCE.text}\n\n{PLACEHOLDERS['notice'].replace('2021', '2017')}"
    (finding,) = [f for f in audit_text(text) if f.rule == "notice-year-mismatch"]
    assert text[slice(*finding.span)] == "2017"
    assert finding.expected == "2021"


def test_pack_options_are_validated() -> None:
    assert validate("third-party-content", {"agencies": ["AP"]}, "x")["severity"] == "warning"
    with pytest.raises(PackError, match="unknown key 'colour'"):
        validate("missing-notice", {"colour": "red"}, "pack.toml [rules.missing-notice]")
    with pytest.raises(PackError, match="'severity' must be one of"):
        validate("missing-notice", {"severity": "fatal"}, "pack.toml")
    with pytest.raises(PackError, match="must be a list of str"):
        validate("third-party-content", {"agencies": "AP"}, "pack.toml")
    with pytest.raises(PackError, match="unknown rule"):
        validate("no-such-rule", {}, "pack.toml")


def test_builtin_rferl_pack() -> None:
    pack = PACKS["rferl"]
    assert set(pack.rules) <= set(RULES)
    assert pack.owns("https://www.rferl.org/a/story/1.html")
    assert pack.owns("https://rferl.org/x") and not pack.owns("https://notrferl.org/x")
    assert pack.notice is not None and pack.notice.accepts(pack.notice.required(SOURCE))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"names": [""]}, "'names' must be a list of non-empty strings"),
        ({"domains": "rferl.org"}, "'domains'"),
        ({"extends": "no-such-pack"}, "unknown pack 'no-such-pack'"),
        ({"notice": {"template": "x", "pattern": "(unclosed"}}, "invalid pattern"),
    ],
)
def test_pack_fields_are_validated(change: dict, message: str) -> None:
    from provenance.rules.pack import parse_pack

    data = {"id": "x", "name": "X", "names": ["X"], "rules": {}} | change
    with pytest.raises(PackError, match=message):
        parse_pack(data, "x.toml")


def test_every_builtin_pack_loads_and_accepts_its_own_notice() -> None:
    expected = {"rferl", "voa", "the-conversation", "propublica", "kff-health-news"}
    expected |= {"global-voices", "wikipedia", "ap", "reuters", "afp", "public-domain"}
    for kind in ("by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd"):
        expected |= {f"cc-{kind}-3.0", f"cc-{kind}-4.0"}
    assert set(PACKS) == expected
    source = replace(SOURCE, author="Jane Doe", published="2021-05-03")
    for pack in PACKS.values():
        assert set(pack.rules) <= set(RULES), pack.id
        if pack.notice:
            assert pack.notice.accepts(pack.notice.required(source)), pack.id
        if pack.id.startswith("cc-"):  # a licence pack's id is its licence's
            assert (
                governing_pack(replace(SOURCE, publisher=None, license=pack.license), PACKS) == pack
            )


def test_a_pack_extends_another_and_switches_a_rule_off(tmp_path: Path) -> None:
    from provenance.rules import load_pack

    file = tmp_path / "partner.toml"
    file.write_text(
        'id = "partner"\nname = "Partner"\nnames = ["Partner News"]\nextends = "cc-by-nd-4.0"\n'
        '[rules.missing-byline]\nseverity = "off"\n',
        encoding="utf-8",
    )
    pack = load_pack(file)
    assert pack.license == "CC-BY-ND-4.0"
    assert "modified-no-derivatives" in pack.rules  # inherited
    assert pack.rules["missing-byline"]["severity"] == "off"
    source = replace(SOURCE, publisher="partner", author="Someone Else")
    text = f"{SOURCE.text}\n\nCC BY-ND 4.0, Partner News"
    policy = Policy({**PACKS, "partner": pack})
    match, _ = copied(text, source)
    rules = {f.rule for f in evaluate(text, [match], find_claims(text), policy)}
    assert "missing-byline" not in rules and "missing-backlink" in rules


def test_severity_overrides_and_rules_switched_off() -> None:
    text = SOURCE.text
    match, _ = copied(text)
    policy = Policy(PACKS, severities={"missing-notice": "info", "missing-backlink": "off"})
    findings = {f.rule: f.severity for f in evaluate(text, [match], [], policy)}
    assert findings == {"missing-notice": "info"}


def test_a_notice_in_the_page_footer_counts_for_an_html_copy() -> None:
    from provenance.extract import extract_html

    paragraphs = "".join(f"<p>{p}</p>" for p in SOURCE.text.split("\n\n"))
    notice = PLACEHOLDERS["notice"]
    page = (
        f"<html><body><article><h1>{SOURCE.title}</h1>{paragraphs}</article>"
        f'<footer><p>{notice}</p><p><a href="{SOURCE.url}">Original</a></p></footer>'
        "</body></html>"
    )
    document = extract_html(page, "page.html")
    claims = find_claims(document)
    assert any(c.kind == "copyright" and c.origin == "page" for c in claims)
    match, _ = copied(document.text)
    rules = {f.rule for f in evaluate(document.text, [match], claims, Policy(PACKS))}
    assert "missing-notice" not in rules and "notice-mismatch" not in rules
