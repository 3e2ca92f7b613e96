"""Reporters: pure functions of a finished ``AuditResult``. They never see the engine."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from ..models import AuditResult, RuleDescription
from .json import format_json, report_schema
from .terminal import render_terminal

FORMATS = ("terminal", "json", "sarif", "markdown", "github", "junit", "html")


def format_report(name: str, result: AuditResult, rules: Sequence[RuleDescription]) -> str:
    """The report in format ``name`` (any but ``terminal``, which draws on a console). Each
    format's module loads when it is asked for: most commands write one format, or none."""
    if name == "json":
        return format_json(result)
    formatter = getattr(importlib.import_module(f".{name}", __name__), f"format_{name}")
    if name in ("sarif", "html"):  # these describe the rules too
        return str(formatter(result, rules))
    return str(formatter(result))


__all__ = ["FORMATS", "format_json", "format_report", "render_terminal", "report_schema"]
