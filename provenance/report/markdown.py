"""The Markdown report (``--format markdown``): a pull-request comment or a job summary
(``$GITHUB_STEP_SUMMARY``).

A verdict, a table of counts, then each file's copied sources and findings. Every piece of text
that comes from the audited files or the sources is escaped, so a pipe, a tag or a backtick in
an article cannot break a table or inject markup. The report stays within GitHub's limit on a
comment's length, leaving out the last findings with a note saying how many.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import SEVERITIES, AuditResult, DocumentResult, Finding, Match

COMMENT_LIMIT = 65_536  # characters GitHub accepts in a comment's body
ICON = {"error": "❌", "warning": "⚠️", "info": "\u2139\ufe0f"}  # the last: information
# What means something to GitHub's Markdown inside a line (emphasis, code, links, tables,
# strike-through, maths); a backslash makes each literal. Text never starts a line, so what
# only matters there (#, -, 1.) needs nothing.
_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
_SAFE_URL = re.compile(r"https?://[^\s<>\"'`|\\]+")


def _text(value: str) -> str:
    """``value`` as literal text on one line: markup escaped, ``&<>`` as entities (so no tag
    survives), and '@' kept from mentioning GitHub users."""
    flat = " ".join(value.split())
    escaped = _SPECIAL.sub(r"\\\1", flat)
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("@", "@\u2060")  # a word joiner after '@': no notification


def _code(value: str, table: bool = True) -> str:
    """``value`` as inline code on one line: a fence longer than any run of backticks inside;
    in a ``table``, pipes escaped (GitHub's tables split cells on them even in code)."""
    flat = " ".join(value.split())
    flat = flat.replace("|", "\\|") if table else flat
    if not flat:
        return "(empty)"
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {flat} " if flat[0] in "` " or flat[-1] in "` " else flat
    return f"{fence}{padded}{fence}"


def _clip(value: str, limit: int = 500) -> str:
    """A quoted text cut short: one long quote must not crowd the other findings out."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 or word == "info" else f"{count} {word}s"


def _verdict(result: AuditResult) -> str:
    counts = [(s, result.count(s)) for s in SEVERITIES]
    worst = next((s for s, n in counts if n), None)
    outcome = ", ".join(_plural(n, s) for s, n in counts if n) or "no findings"
    failed = result.status_count("error")
    if failed:  # not findings, but the audit is incomplete: never a plain tick
        outcome += f"; {_plural(failed, 'file')} could not be audited"
        worst = worst or "warning"
    return f"## {ICON[worst] if worst else '✅'} provenance: {outcome}"


def _summary(result: AuditResult) -> list[str]:
    rows = [
        ("Documents scanned", result.status_count("scanned")),
        ("Skipped", result.status_count("skipped")),
        ("Could not be audited", result.status_count("error")),
        *((f"{ICON[s]} {s.capitalize()}", result.count(s)) for s in SEVERITIES),
        ("Suppressed", sum(len(d.suppressed) for d in result.documents)),
    ]
    return ["| Result | Count |", "|---|---:|", *(f"| {label} | {n} |" for label, n in rows)]


def _source(match: Match) -> str:
    source = match.source
    title = _text(source.title) if source.title else _code(source.id, table=False)
    publisher = _text(source.publisher or "unknown publisher")
    line = f"- copies {title} ({_code(source.id, table=False)}, {publisher})"
    line += f": {match.source_coverage:.0%} of the source, {match.target_share:.0%} of this file"
    if source.url and _SAFE_URL.fullmatch(source.url):
        line += f" <{source.url}>"
    return line


def _row(path: str, finding: Finding) -> str:
    where = finding.location
    line, column = (where.line, where.column) if where else (1, 1)
    message = _text(finding.message)
    if finding.expected is not None:
        message += f"<br>required: {_code(_clip(finding.expected))}"
    if finding.found is not None:
        message += f"<br>found: {_code(_clip(finding.found))}"
    cells = (
        _code(f"{path}:{line}:{column}"),
        f"{ICON[finding.severity]} {finding.severity}",
        _code(finding.rule),
        message,
    )
    return "| " + " | ".join(cells) + " |"


def _document(document: DocumentResult) -> Iterator[tuple[str, int]]:
    """The document's section, line by line, each with the number of findings it shows."""
    yield f"### {_text(document.path)}", 0
    yield "", 0
    items = [_source(m) for m in document.matches]
    if document.suppressed:
        silenced = dict.fromkeys(f.rule for f in document.suppressed)
        rules = ", ".join(_code(rule, table=False) for rule in silenced)
        items.append(f"- {_plural(len(document.suppressed), 'suppressed finding')}: {rules}")
    for item in (*items, "") if items else ():
        yield item, 0
    if document.findings:
        yield "| Location | Severity | Rule | Message |", 0
        yield "|---|---|---|---|", 0
        for finding in document.findings:
            yield _row(document.path, finding), 1
        yield "", 0


def _not_audited(result: AuditResult, budget: int) -> list[str]:
    """A collapsed list of the files that were skipped or could not be audited, cut short to
    fit in ``budget`` characters."""
    files = [d for d in result.documents if d.status != "scanned"]
    if not files:
        return []
    head = [
        "<details>",
        f"<summary>{_plural(len(files), 'file')} not audited</summary>",
        "",
        "| File | Status | Reason |",
        "|---|---|---|",
    ]
    rows = [f"| {_code(d.path)} | {d.status} | {_text(d.reason or '')} |" for d in files]
    tail = ["", "</details>", ""]
    size = sum(len(line) + 1 for line in (*head, *tail)) + 100  # 100: room for the note
    shown = 0
    while shown < len(rows) and size + len(rows[shown]) + 1 <= budget:
        size += len(rows[shown]) + 1
        shown += 1
    if shown < len(rows):
        tail.insert(1, f"… {_plural(len(rows) - shown, 'more file')}, see the full report")
    return [*head, *rows[:shown], *tail]


def format_markdown(result: AuditResult, limit: int = COMMENT_LIMIT) -> str:
    """The Markdown report of ``result``, at most ``limit`` characters long."""
    head = [_verdict(result), "", *_summary(result), ""]
    details = _not_audited(result, limit // 4)
    budget = limit - sum(len(line) + 1 for line in (*head, *details)) - 200  # 200: the note
    body: list[str] = []
    total = sum(len(d.findings) for d in result.documents)
    shown, cut = 0, False
    sections = [d for d in result.documents if d.findings or d.matches or d.suppressed]
    for line, findings in (line for document in sections for line in _document(document)):
        if len(line) + 1 > budget:
            cut = True
            break
        body.append(line)
        budget -= len(line) + 1
        shown += findings
    if cut:
        more = _plural(total - shown, "more finding") if total > shown else "more"
        body += ["", f"**… {more}, see the full report.**", ""]
    return "\n".join([*head, *body, *details]).rstrip("\n") + "\n"
