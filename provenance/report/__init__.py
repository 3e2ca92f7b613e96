"""Reporters: pure functions of a finished ``AuditResult``. They never see the engine."""

from __future__ import annotations

from .json import format_json, report_schema
from .terminal import render_terminal

FORMATS = ("terminal", "json")

__all__ = ["FORMATS", "format_json", "render_terminal", "report_schema"]
