"""The JUnit XML report (``--format junit``), for the test views of GitLab and Jenkins.

Each file is a test case, named by its path (GitLab links ``file`` to the repository). A finding
at error or warning severity is a ``<failure>`` of its file's case, its rule as the type, so a
case holds as many failures as its file has findings, and the counts on the suite count the
failures themselves, as junitparser and Jenkins count them. Info findings and suppressed ones
fail nothing: they are listed in the case's ``<system-out>``. A skipped file is ``<skipped>``, a
file that could not be audited an ``<error>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

from ..models import AuditResult, DocumentResult, Finding

NAME = "provenance"
# What XML 1.0 cannot carry at all, not even as a character reference (controls, surrogates,
# U+FFFE/U+FFFF): an audited file may contain it; the report must still parse.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _classname(path: str) -> str:
    """``provenance.`` and the path as dotted names, so that test views group files by folder
    (``content/world/post.md``: ``provenance.content.world.post``)."""
    parts = PurePosixPath(path.replace("\\", "/")).with_suffix("").parts
    names = [_NOT_NAME.sub("_", part) for part in parts]
    return ".".join([NAME, *(name for name in names if name)])


def _where(path: str, finding: Finding) -> str:
    where = finding.location
    return f"{path}:{where.line}:{where.column}" if where else path


def _details(path: str, finding: Finding, document: DocumentResult) -> str:
    lines = [f"{_where(path, finding)}: {finding.severity} {finding.rule}: {finding.message}"]
    if finding.expected is not None:
        lines.append(f"required: {finding.expected}")
    if finding.found is not None:
        lines.append(f"found: {finding.found}")
    match = next((m for m in document.matches if m.source.id == finding.source_id), None)
    if match:
        source = match.source
        lines.append(f"source: {source.id} ({source.publisher or 'unknown publisher'})")
        if source.url:
            lines.append(f"original: {source.url}")
    return "\n".join(lines)


def _testcase(document: DocumentResult) -> ET.Element:
    path = _xml(document.path)
    case = ET.Element("testcase", classname=_xml(_classname(document.path)), name=path, file=path)
    if document.status == "skipped":
        ET.SubElement(case, "skipped", message=_xml(document.reason or "skipped"))
    elif document.status == "error":
        reason = _xml(document.reason or "could not be audited")
        ET.SubElement(case, "error", message=reason).text = f"{document.path}: {reason}"
    notes = []
    for finding in document.findings:
        details = _xml(_details(document.path, finding, document))
        if finding.severity == "info":
            notes.append(details)
            continue
        failure = ET.SubElement(
            case, "failure", message=_xml(finding.message), type=_xml(finding.rule)
        )
        failure.text = details
    notes += [
        "suppressed: " + _xml(_details(document.path, finding, document))
        for finding in document.suppressed
    ]
    if notes:
        ET.SubElement(case, "system-out").text = "\n\n".join(notes)
    return case


def _count(element: ET.Element, tests: int) -> None:
    element.set("tests", str(tests))
    for attribute, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        element.set(attribute, str(len(element.findall(f".//testcase/{tag}"))))


def format_junit(result: AuditResult) -> str:
    """The JUnit XML report of ``result``."""
    root = ET.Element("testsuites", name=NAME)
    suite = ET.SubElement(root, "testsuite", name=NAME)
    suite.extend(_testcase(document) for document in result.documents)
    for element in (suite, root):
        _count(element, len(result.documents))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
