"""Reporters: pure functions of a finished ``AuditResult``. They never see the engine."""

from __future__ import annotations

from collections.abc import Sequence

from ..models import AuditResult, RuleDescription
from .github import format_github
from .html import format_html
from .json import format_json, report_schema
from .junit import format_junit
from .markdown import format_markdown
from .sarif import format_sarif
from .terminal import render_terminal

FORMATS = ("terminal", "json", "sarif", "markdown", "github", "junit", "html")


def format_report(name: str, result: AuditResult, rules: Sequence[RuleDescription]) -> str:
    """The report in format ``name`` (any but ``terminal``, which draws on a console)."""
    if name == "sarif":
        return format_sarif(result, rules)
    if name == "html":
        return format_html(result, rules)
    formats = {
        "json": format_json,
        "markdown": format_markdown,
        "github": format_github,
        "junit": format_junit,
    }
    return formats[name](result)


__all__ = ["FORMATS", "format_json", "format_report", "render_terminal", "report_schema"]
