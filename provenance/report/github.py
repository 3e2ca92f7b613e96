"""GitHub Actions annotations (``--format github``): one workflow command per finding, which
the runner shows on the pull request's changed lines.

    ::error file=PATH,line=L,col=C,endLine=L,endColumn=C,title=RULE::MESSAGE

Values are escaped as GitHub's own toolkit escapes them, so a comma, colon or line break in a
path or message cannot end a property or start a new command. Suppressed findings are not
annotated; files that could not be audited are, on the file. A fetched page is no file of the
repository: its annotations belong to the run and name the page's URL in the message.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..models import AuditResult, Finding, Severity
from ..web import is_url

COMMAND: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """A command's message: ``%`` first, so that the escapes it adds stay as written."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property's value: also ``:`` and ``,``, which end the properties or one of them."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: dict[str, str | int], message: str) -> str:
    values = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name}{' ' * bool(values)}{values}::{escape_data(message)}"


def _annotation(path: str, finding: Finding) -> str:
    where = finding.location
    properties: dict[str, str | int] = {"file": path, "line": where.line if where else 1}
    lines = [finding.message]
    if is_url(path):
        properties = {}
        lines.insert(0, f"{path}:{where.line}:{where.column}" if where else path)
    elif where and where.end_line != where.line:
        # Annotations take columns only within one line; across lines, the lines alone.
        properties["endLine"] = where.end_line
    elif where:
        # endColumn as every report gives it: the column just after the last character.
        properties.update(col=where.column, endLine=where.end_line, endColumn=where.end_column)
    properties["title"] = finding.rule
    if finding.expected is not None:
        lines.append(f"required: {finding.expected}")
    if finding.found is not None:
        lines.append(f"found: {finding.found}")
    return _command(COMMAND[finding.severity], properties, "\n".join(lines))


def _commands(result: AuditResult) -> Iterator[str]:
    for document in result.documents:
        if document.status == "error":
            reason = f"could not be audited: {document.reason or 'unknown reason'}"
            if is_url(document.path):
                yield _command("error", {}, f"{document.path} {reason}")
            else:
                yield _command("error", {"file": document.path}, reason)
        for finding in document.findings:
            yield _annotation(document.path, finding)


def format_github(result: AuditResult) -> str:
    """The workflow commands that annotate ``result``'s findings, one per line."""
    return "".join(line + "\n" for line in _commands(result))
