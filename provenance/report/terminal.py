"""The terminal report: a summary table, then each document's matches and findings.

Findings read like a compiler's (``path:line:column``) so terminals and editors can open them;
for a wrong notice the required wording stands beside the one found, differences marked.
Suppressed findings (by an inline comment or the baseline) are counted and named, not shown.
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..fetch import FETCH_STATUSES, FetchResult
from ..models import SEVERITIES, AuditResult, DocumentResult, Finding, Match
from ..web import is_url

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
STATUS_STYLE = {"scanned": "green", "skipped": "yellow", "error": "bold red"}
URL_STATUS = {
    "fetched": "fetched",
    "not-modified": "not modified",
    "robots": "skipped by robots.txt",
    "refused": "refused",
    "failed": "failed",
}


def _whole(text: str, style: str = "", indent: int = 0) -> Text:
    """A path or URL on one line however narrow the terminal, so that it can be clicked and
    copied: it may run past the edge, but is never broken."""
    line = Text(" " * indent, no_wrap=True, overflow="ignore")
    line.append(text, style)
    return line


def _diff(expected: str, found: str, plain: bool) -> tuple[Text, Text]:
    """Word-level diff: words missing from ``found`` in green, words it should not have in red;
    without colour, bracketed as ``provenance compare`` does (``[-…-]`` required, ``{+…+}``
    found)."""
    want, have = expected.split(), found.split()
    left, right = Text(), Text()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        a=want, b=have, autojunk=False
    ).get_opcodes():
        changed = tag != "equal"
        if i2 > i1:
            words = " ".join(want[i1:i2])
            left.append(
                f"[-{words}-] " if changed and plain else words + " ", "bold green" * changed
            )
        if j2 > j1:
            words = " ".join(have[j1:j2])
            right.append(
                f"{{+{words}+}} " if changed and plain else words + " ", "bold red" * changed
            )
    left.rstrip()
    right.rstrip()
    return left, right


def _indented(renderable: RenderableType) -> Padding:
    return Padding(renderable, (0, 0, 0, 2), expand=False)


def _finding(path: str, finding: Finding, plain: bool) -> RenderableType:
    where = finding.location
    position = f"{path}:{where.line}:{where.column}" if where else path
    head = Text.assemble(
        (finding.severity, STYLE[finding.severity]),
        " ",
        (finding.rule, "magenta"),
        ": ",
        finding.message,
    )
    body: list[RenderableType] = [_whole(position, "bold"), _indented(head)]
    if finding.expected and finding.found:
        required, found = _diff(finding.expected, finding.found, plain)
        body.append(_indented(_pairs(("required:", required), ("found:", found))))
    elif finding.expected and not finding.expected.split()[1:]:  # one word: a URL, a year
        body.append(_whole(f"required: {finding.expected}", indent=2))
    elif finding.expected:
        body.append(_indented(_pairs(("required:", Text(finding.expected)))))
    return Group(*body)


def _pairs(*rows: tuple[str, Text]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value)
    return grid


def _match_lines(match: Match) -> list[RenderableType]:
    source = match.source
    line = Text.assemble(
        ("copies ", "dim"),
        (source.id, "bold"),
        (f" ({source.publisher or 'unknown publisher'})", "dim"),
        f"  {match.source_coverage:.0%} of the source, {match.target_share:.0%} of this text",
    )
    url = [_whole(source.url, "dim underline", indent=2)] if source.url else []
    return [_indented(line), *url]


def _suppressed_line(document: DocumentResult) -> Text:
    rules = ", ".join(dict.fromkeys(f.rule for f in document.suppressed))
    count = len(document.suppressed)
    return Text(f"{count} suppressed {'finding' if count == 1 else 'findings'}: {rules}", "dim")


def _document(document: DocumentResult, plain: bool) -> RenderableType:
    parts: list[RenderableType] = [_whole(document.path, "bold underline")]
    parts += [line for m in document.matches for line in _match_lines(m)]
    parts += [_finding(document.path, f, plain) for f in document.findings]
    if document.suppressed:
        parts.append(_indented(_suppressed_line(document)))
    parts += [_indented(Text(f"limit: {limit}", "yellow")) for limit in document.limits]
    return Group(*parts, Text())


def _common_folder(paths: list[str]) -> str:
    try:
        common = os.path.commonpath(paths) if len(paths) > 1 else os.path.dirname(paths[0])
    except ValueError:  # relative and absolute paths mixed
        return ""
    return common + os.sep if common else ""


def _summary_table(result: AuditResult) -> Table:
    paths = [d.path for d in result.documents]
    # A folder common to every file is named once, in the title; URLs are shown whole.
    prefix = _common_folder(paths) if paths and not any(map(is_url, paths)) else ""
    table = Table(title=f"Audit summary  {prefix}", title_justify="left", title_style="bold")
    table.add_column("Document", overflow="fold", ratio=4)
    table.add_column("Copies", overflow="fold", ratio=2)
    table.add_column("Cover", justify="right")
    table.add_column("Result", overflow="fold", ratio=2)
    for document in result.documents:
        best = document.matches[0] if document.matches else None
        copies = Text("—", "dim")
        if best:
            more = f" +{len(document.matches) - 1}" if len(document.matches) > 1 else ""
            copies = Text(best.source.id + more)
        counts = [
            Text(f"{n} {s}", STYLE[s])
            for s in SEVERITIES
            if (n := sum(f.severity == s for f in document.findings))
        ]
        if document.status != "scanned":
            outcome = Text(f"{document.status}: {document.reason}", STATUS_STYLE[document.status])
        else:
            outcome = Text(", ").join(counts) if counts else Text("ok", "green")
            if document.suppressed:
                outcome.append(f", {len(document.suppressed)} suppressed", "dim")
            if document.limits:
                outcome.append(", limit reached (see above)", "yellow")
        table.add_row(
            document.path[len(prefix) :],
            copies,
            f"{best.source_coverage:.0%}" if best else "",
            outcome,
        )
    return table


def _totals(result: AuditResult) -> Text:
    update = result.index_update
    index = f"{result.sources_indexed} sources indexed"
    if update:
        index += f" ({update.fingerprinted} fingerprinted, {update.unchanged} unchanged"
        index += f", {update.removed} removed)" if update.removed else ")"
    kind = "documents" if result.urls else "files"
    files = (
        f"{len(result.documents)} {kind}: {result.status_count('scanned')} scanned, "
        f"{result.status_count('skipped')} skipped, "
        f"{result.status_count('error')} could not be read"
    )
    if result.urls:
        files += "\n" + url_summary(result.urls)
    findings = ", ".join(f"{result.count(s)} {_plural(s, result.count(s))}" for s in SEVERITIES)
    worst = next((s for s in SEVERITIES if result.count(s)), None)
    suppressed = sum(len(d.suppressed) for d in result.documents)
    silenced = f"; {suppressed} suppressed" if suppressed else ""
    return Text.assemble(
        (findings, STYLE[worst] if worst else "bold green"),
        (silenced, "dim"),
        f"\n{files}\n{index}",
    )


def url_summary(urls: Sequence[FetchResult]) -> str:
    """``N URLs: n fetched, n not modified, …``."""
    statuses = Counter(u.status for u in urls)
    counts = ", ".join(f"{statuses[s]} {URL_STATUS[s]}" for s in FETCH_STATUSES if statuses[s])
    return f"{len(urls)} URLs: {counts}"


def unread_listings(urls: Sequence[FetchResult]) -> list[FetchResult]:
    """The feeds and sitemaps that could not be read (the pages they would have listed are
    unknown, so they are reported on their own)."""
    return [u for u in urls if u.kind != "page" and not u.received]


def _plural(severity: str, count: int) -> str:
    return severity if count == 1 or severity == "info" else severity + "s"


def render_terminal(result: AuditResult, console: Console) -> None:
    """Print the report of ``result`` to ``console``."""
    plain = console.no_color or console.color_system is None
    for document in result.documents:
        if document.findings or document.matches or document.limits:
            console.print(_document(document, plain), crop=False)
    unread = unread_listings(result.urls)
    if unread:  # pages are documents, reported below; a feed or sitemap is not
        console.print(Text("Feeds and sitemaps that could not be read", style="bold"))
        for url in unread:
            console.print(_whole(url.url, "bold", indent=2))
            console.print(Text(f"    {URL_STATUS[url.status]}: {url.reason}"))
        console.print()
    if result.index_update and result.index_update.problems:
        console.print(Text("Sources that could not be indexed", style="bold"))
        for where, reason in result.index_update.problems:
            console.print(Text.assemble("  ", (where, "bold"), f": {reason}"))
        console.print()
    console.print(_summary_table(result))
    console.print(_totals(result))
