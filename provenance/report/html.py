"""The HTML report (``--format html``): one self-contained page for a person to read.

The page loads nothing: its style is inline, it has no script, and its Content-Security-Policy
forbids every other resource, so a hostile audited text can neither run nor call home even if
escaping were ever missed. Everything taken from audited files and sources is escaped.

Each document shows its findings, then each source it copies with the copied passages marked on
both sides: passage N of the document and passage N of the source share a number and a colour.
A wrong notice is shown as the edit that fixes it: in what was found, the words to remove; in
the required wording, the words to add.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import urlsplit

from .. import __version__
from ..models import SEVERITIES, AuditResult, DocumentResult, Finding, Match, RuleDescription, Span

COLOURS = 6  # passage colours, reused in turn (.c0 … .c5 in the style sheet)

LABELS = {"error": "Errors", "warning": "Warnings", "info": "Info"}

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
:root {
  color-scheme: light dark;
  --bg: #fff; --fg: #1c1e21; --muted: #5d636b; --line: #d5d9de; --panel: #f4f5f7;
  --link: #0b57d0; --error: #b3261e; --warning: #8a5300; --info: #0a6a85; --ok: #1e7a34;
  --ins: #d3f3d8; --ins-fg: #0c4f1f; --del: #fbdcda; --del-fg: #8c1d18;
  --c0: #ffe27a; --c1: #b5e3ff; --c2: #c4efbd; --c3: #ffcde4; --c4: #ddd1ff; --c5: #ffd6ad;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16181b; --fg: #e4e6e9; --muted: #a0a6ae; --line: #3a3f45; --panel: #202327;
    --link: #8ab4f8; --error: #f2948c; --warning: #f0c36a; --info: #7fd0e6; --ok: #8fd6a0;
    --ins: #1d4a2a; --ins-fg: #c9f2d2; --del: #5a2320; --del-fg: #ffd6d3;
    --c0: #6a5712; --c1: #1c4d6b; --c2: #2c5a26; --c3: #6a2a48; --c4: #463a78; --c5: #6e4217;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0 auto; padding: 1rem; max-width: 90rem; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
a { color: var(--link); }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
h2 { margin: 2.5rem 0 .5rem; font-size: 1.25rem; overflow-wrap: anywhere; }
h3 { margin: 1.5rem 0 .5rem; font-size: 1.05rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
.muted, footer { color: var(--muted); }
.verdict { display: inline-block; margin: .25rem 0 1rem; padding: .3rem .8rem; border-radius: 4px;
  font-weight: 600; border: 2px solid currentColor; }
.verdict.fail { color: var(--error); }
.verdict.warn { color: var(--warning); }
.verdict.pass { color: var(--ok); }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0 0 1rem; padding: 0; }
.counts div { min-width: 7.5rem; padding: .4rem .7rem; background: var(--panel);
  border: 1px solid var(--line); border-radius: 4px; }
.counts dt { font-size: .8rem; color: var(--muted); }
.counts dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem;
  border-bottom: 1px solid var(--line); }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
td.path { overflow-wrap: anywhere; }
th.number, td.number { text-align: right; white-space: nowrap; }
table.passages { width: auto; }
.error { color: var(--error); }
.warning { color: var(--warning); }
.info { color: var(--info); }
.ok { color: var(--ok); }
.document { border-top: 2px solid var(--line); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
ol.findings { list-style: none; padding: 0; margin: 0; }
.finding { margin: 0 0 .75rem; padding: .5rem .75rem; background: var(--panel);
  border-left: 4px solid currentColor; border-radius: 2px; }
.finding > * { color: var(--fg); }
.finding .where { font-weight: 600; overflow-wrap: anywhere; }
.finding .severity { font-weight: 700; text-transform: uppercase; font-size: .8rem; }
.finding.error .severity { color: var(--error); }
.finding.warning .severity { color: var(--warning); }
.finding.info .severity { color: var(--info); }
.finding p { margin: .25rem 0; }
.suppressed { margin-top: 1.5rem; padding: .25rem .75rem .5rem; border: 1px dashed var(--line);
  border-radius: 4px; }
.suppressed .finding { color: var(--muted); background: transparent; opacity: .85; }
.wording th { width: 6rem; }
.wording td { overflow-wrap: anywhere; }
.wording caption { caption-side: bottom; text-align: left; font-size: .8rem; color: var(--muted); }
ins { background: var(--ins); color: var(--ins-fg); text-decoration: underline; }
del { background: var(--del); color: var(--del-fg); text-decoration: line-through; }
.sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem;
  margin-top: .75rem; }
.side { margin: 0; min-width: 0; }
.side figcaption { font-weight: 600; margin-bottom: .25rem; overflow-wrap: anywhere; }
.text { margin: 0; padding: .6rem .8rem; max-height: 28rem; overflow: auto;
  white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; background: var(--panel);
  border: 1px solid var(--line); border-radius: 4px; }
mark { color: inherit; background: var(--hl); border-radius: 2px; }
.c0 { --hl: var(--c0); } .c1 { --hl: var(--c1); } .c2 { --hl: var(--c2); }
.c3 { --hl: var(--c3); } .c4 { --hl: var(--c4); } .c5 { --hl: var(--c5); }
.swatch { display: inline-block; min-width: 1.6rem; text-align: center; font-weight: 600;
  background: var(--hl); border-radius: 2px; }
details > summary { cursor: pointer; }
.rules pre { white-space: pre-wrap; font: inherit; margin: .25rem 0 1rem; }
@media (max-width: 800px) {
  body { padding: .6rem; }
  .sides { grid-template-columns: minmax(0, 1fr); }
  .facts { grid-template-columns: 1fr; }
  .facts dd { margin-bottom: .3rem; }
}
@media print {
  body { max-width: none; font-size: 11pt; }
  .text { max-height: none; overflow: visible; }
  mark, ins, del, .swatch { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .document { break-before: page; }
  .back { display: none; }
}
"""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 or noun == "info" else f"{count} {noun}s"


def _severities(findings: Sequence[Finding]) -> str:
    """``2 errors, 1 warning`` (severities that occur, each in its colour)."""
    parts = []
    for severity in SEVERITIES:
        if count := sum(f.severity == severity for f in findings):
            parts.append(f'<span class="{severity}">{_plural(count, severity)}</span>')
    return ", ".join(parts)


def _link(url: str) -> str:
    """A link to an original; only http(s), so an audited ``javascript:`` URL stays text."""
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return f'<a href="{escape(url)}" rel="noreferrer noopener">{escape(url)}</a>'
    return escape(url)


def _word_diff(expected: str, found: str) -> tuple[str, str]:
    """The required wording with the words ``found`` lacks as ``<ins>``, and the wording found
    with the words it should not have as ``<del>``: together, the edit that fixes it."""
    want, have = expected.split(), found.split()
    required: list[str] = []
    seen: list[str] = []
    matcher = difflib.SequenceMatcher(a=want, b=have, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            words = escape(" ".join(want[i1:i2]))
            required.append(words if tag == "equal" else f"<ins>{words}</ins>")
        if j2 > j1:
            words = escape(" ".join(have[j1:j2]))
            seen.append(words if tag == "equal" else f"<del>{words}</del>")
    return " ".join(required), " ".join(seen)


def _wording(finding: Finding) -> str:
    rows: list[tuple[str, str]] = []
    if finding.expected is not None and finding.found is not None:
        required, found = _word_diff(finding.expected, finding.found)
        rows = [("Required", required), ("Found", found)]
    elif finding.expected is not None:
        rows = [("Required", escape(finding.expected))]
    elif finding.found is not None:
        rows = [("Found", escape(finding.found))]
    if not rows:
        return ""
    body = "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
    legend = "<caption>Underlined: words to add; struck out: words to remove</caption>"
    return f'<table class="wording">{legend * (len(rows) == 2)}{body}</table>'


def _finding(path: str, finding: Finding, rules: set[str]) -> str:
    where = finding.location
    position = f"{path}:{where.line}:{where.column}" if where else path
    rule = f"<code>{escape(finding.rule)}</code>"
    if finding.rule in rules:
        rule = f'<a href="#rule-{escape(finding.rule)}">{rule}</a>'
    return (
        f'<li class="finding {finding.severity}" data-rule="{escape(finding.rule)}">'
        f'<code class="where">{escape(position)}</code> '
        f'<span class="severity">{finding.severity}</span> {rule}'
        f'<p class="message">{escape(finding.message)}</p>{_wording(finding)}</li>'
    )


def _findings(path: str, findings: Sequence[Finding], rules: set[str]) -> str:
    items = "".join(_finding(path, f, rules) for f in findings)
    return f'<ol class="findings">{items}</ol>'


def _marked(text: str, spans: Sequence[Span], anchor: str) -> str:
    """``text`` escaped, the passages' ``spans`` marked and numbered in passage order (an
    overlap, which alignment does not produce, is clipped rather than nested)."""
    out: list[str] = []
    cursor = 0
    for number, (start, end) in sorted(enumerate(spans, 1), key=lambda item: item[1]):
        start, end = max(start, cursor), min(end, len(text))
        if end <= start:
            continue
        out.append(escape(text[cursor:start]))
        out.append(
            f'<mark id="{anchor}{number}" class="c{(number - 1) % COLOURS}" '
            f'data-passage="{number}">{escape(text[start:end])}</mark>'
        )
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)


def _passages(match: Match, anchor: str) -> str:
    rows = []
    for number, passage in enumerate(match.passages, 1):
        where = passage.target_location
        here = (
            f"lines {where.line}:{where.column} to {where.end_line}:{where.end_column}"
            if where
            else f"characters {passage.target[0]} to {passage.target[1]}"
        )
        there = f"characters {passage.source[0]} to {passage.source[1]}"
        rows.append(
            f'<tr><td><span class="swatch c{(number - 1) % COLOURS}">{number}</span></td>'
            f'<td><a href="#{anchor}-t{number}">{here}</a></td>'
            f'<td><a href="#{anchor}-s{number}">{there}</a></td>'
            f'<td class="number">{passage.words:,}</td>'
            f'<td class="number">{passage.edits:,}</td></tr>'
        )
    head = (
        "<tr><th>Passage</th><th>In this document</th><th>In the source</th>"
        '<th class="number">Words</th><th class="number">Words differing</th></tr>'
    )
    return f'<div class="scroll"><table class="passages">{head}{"".join(rows)}</table></div>'


def _match(document: DocumentResult, match: Match, anchor: str) -> str:
    source = match.source
    facts = [("Source", f"<code>{escape(source.id)}</code>")]
    facts += [
        (label, escape(value))
        for label, value in (
            ("Publisher", source.publisher),
            ("Author", source.author),
            ("Published", source.published),
            ("Licence", source.license),
        )
        if value
    ]
    if source.url:
        facts.append(("Original", _link(source.url)))
    facts.append(
        (
            "Coverage",
            f"{match.source_coverage:.0%} of the source is copied here; "
            f"it makes up {match.target_share:.0%} of this document",
        )
    )
    listed = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    title = escape(source.title or source.id)
    target = _marked(document.text, [p.target for p in match.passages], f"{anchor}-t")
    original = _marked(source.text, [p.source for p in match.passages], f"{anchor}-s")
    return (
        f'<section class="match" id="{anchor}"><h3>Copies <cite>{title}</cite></h3>'
        f'<dl class="facts">{listed}</dl>'
        f"<h4>{_plural(len(match.passages), 'copied passage')}</h4>{_passages(match, anchor)}"
        '<div class="sides">'
        '<figure class="side target"><figcaption>This document, as extracted</figcaption>'
        f'<pre class="text" tabindex="0">{target}</pre></figure>'
        '<figure class="side source"><figcaption>The source, as indexed</figcaption>'
        f'<pre class="text" tabindex="0">{original}</pre></figure>'
        "</div></section>"
    )


def _document(number: int, document: DocumentResult, rules: set[str]) -> str:
    anchor = f"doc-{number}"
    path = escape(document.path)
    parts = [f'<section class="document" id="{anchor}"><h2><a href="#{anchor}">{path}</a></h2>']
    if document.findings:
        parts.append(f"<p>{_severities(document.findings)}</p>")
        parts.append(_findings(document.path, document.findings, rules))
    else:
        parts.append('<p class="ok">No findings.</p>')
    if not document.matches:
        parts.append('<p class="muted">No text copied from an indexed source.</p>')
    for i, match in enumerate(document.matches, 1):
        parts.append(_match(document, match, f"{anchor}-m{i}"))
    if document.suppressed:
        parts.append(
            '<section class="suppressed">'
            f"<h3>Suppressed: {_plural(len(document.suppressed), 'finding')}, not counted</h3>"
            '<p class="muted">Silenced by an inline comment or the baseline; shown for review.</p>'
            f"{_findings(document.path, document.suppressed, rules)}</section>"
        )
    if not document.matches and document.text:
        parts.append(
            f"<details><summary>Extracted text ({len(document.text):,} characters)</summary>"
            f'<pre class="text" tabindex="0">{escape(document.text)}</pre></details>'
        )
    parts.append('<p class="back"><a href="#summary">Back to the summary</a></p></section>')
    return "".join(parts)


def _verdict(result: AuditResult) -> str:
    errors, warnings = result.count("error"), result.count("warning")
    if result.tool_failed:
        kind, text = "fail", "Incomplete: the tool failed on some files"
    elif errors:
        kind, text = "fail", f"Fails: {_plural(errors, 'error')} to fix"
    elif warnings:
        kind, text = "warn", f"Passes with {_plural(warnings, 'warning')}"
    else:
        kind, text = "pass", "Passes: no errors or warnings"
    return f'<p class="verdict {kind}" data-verdict="{kind}">{text}</p>'


def _counts(result: AuditResult) -> str:
    suppressed = sum(len(d.suppressed) for d in result.documents)
    counts = [
        ("documents", "Documents", len(result.documents)),
        ("scanned", "Scanned", result.status_count("scanned")),
        ("skipped", "Skipped", result.status_count("skipped")),
        ("errors", "Could not be read", result.status_count("error")),
        *((s, LABELS[s], result.count(s)) for s in SEVERITIES),
        ("suppressed", "Suppressed", suppressed),
        ("sources", "Sources indexed", result.sources_indexed),
    ]
    items = "".join(
        f'<div><dt>{label}</dt><dd data-count="{key}">{value:,}</dd></div>'
        for key, label, value in counts
    )
    return f'<dl class="counts">{items}</dl>'


def _summary_row(number: int, document: DocumentResult) -> str:
    best = max(document.matches, key=lambda m: m.source_coverage, default=None)
    copies = ", ".join(escape(m.source.id) for m in document.matches)
    if document.status != "scanned":
        outcome = f'<span class="warning">{document.status}</span>: {escape(document.reason or "")}'
    else:
        outcome = _severities(document.findings) or '<span class="ok">ok</span>'
        if document.suppressed:
            outcome += f' <span class="muted">({len(document.suppressed)} suppressed)</span>'
    return (
        f'<tr data-path="{escape(document.path)}"><td class="path">'
        f'<a href="#doc-{number}">{escape(document.path)}</a></td>'
        f'<td class="path">{copies}</td>'
        f'<td class="number">{f"{best.source_coverage:.0%}" if best else ""}</td>'
        f'<td class="number" data-findings="{len(document.findings)}">{len(document.findings)}</td>'
        f"<td>{outcome}</td></tr>"
    )


def _summary(result: AuditResult) -> str:
    head = (
        "<tr><th>Document</th><th>Copies</th>"
        '<th class="number">Best coverage</th><th class="number">Findings</th><th>Outcome</th></tr>'
    )
    rows = "".join(_summary_row(i, d) for i, d in enumerate(result.documents, 1))
    return (
        f'<section id="summary"><h2>Summary</h2>{_counts(result)}'
        f'<div class="scroll"><table class="documents">{head}{rows}</table></div></section>'
    )


def _not_audited(result: AuditResult) -> str:
    items = [
        f'<li id="doc-{i}"><code>{escape(d.path)}</code>: '
        f'<span class="warning">{d.status}</span>, {escape(d.reason or "no reason given")}</li>'
        for i, d in enumerate(result.documents, 1)
        if d.status != "scanned"
    ]
    update = result.index_update
    problems = [
        f"<li><code>{escape(where)}</code>: {escape(reason)}</li>"
        for where, reason in (update.problems if update else ())
    ]
    parts = []
    if items:
        parts.append(
            '<section id="not-audited"><h2>Files not audited</h2>'
            f"<ul>{''.join(items)}</ul></section>"
        )
    if problems:
        parts.append(
            '<section id="index-problems"><h2>Sources that could not be indexed</h2>'
            f"<ul>{''.join(problems)}</ul></section>"
        )
    return "".join(parts)


def _rules(result: AuditResult, rules: Sequence[RuleDescription]) -> str:
    cited = {f.rule for d in result.documents for f in (*d.findings, *d.suppressed)}
    entries = [
        f'<details id="rule-{escape(r.id)}"><summary><code>{escape(r.id)}</code>: '
        f"{escape(r.summary)}</summary><pre>{escape(r.documentation)}</pre></details>"
        for r in rules
        if r.id in cited
    ]
    if not entries:
        return ""
    return f'<section class="rules" id="rules"><h2>Rules cited</h2>{"".join(entries)}</section>'


def format_html(result: AuditResult, rules: Iterable[RuleDescription] = ()) -> str:
    """The report of ``result`` as one HTML page that needs nothing else to display; ``rules``
    (``describe_rules()``), if given, explain the rules the findings cite."""
    described = tuple(rules)
    linked = {r.id for r in described}
    worst = next((s for s in SEVERITIES if result.count(s)), None)
    title = "Provenance audit: " + (
        ", ".join(_plural(result.count(s), s) for s in SEVERITIES if result.count(s))
        if worst
        else "no findings"
    )
    sections = [
        _document(i, d, linked) for i, d in enumerate(result.documents, 1) if d.status == "scanned"
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{CSS}</style></head>\n<body>\n"
        f"<header><h1>Provenance audit</h1>{_verdict(result)}</header>\n"
        f"{_summary(result)}\n{_not_audited(result)}\n"
        + "\n".join(sections)
        + f"\n{_rules(result, described)}\n"
        f"<footer><p>provenance {escape(__version__)}</p></footer>\n</body></html>\n"
    )
