"""The claims report (``provenance notices``): one JSON object keyed by path."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from ..models import Claim, DocumentClaims, Location

# The report's key for each kind of claim.
SECTIONS = {
    "copyright": "copyrights",
    "credit": "credits",
    "license": "licenses",
    "byline": "bylines",
    "link": "links",
    "agency": "agencies",
    "metadata": "metadata",
    "c2pa": "c2pa",
}


def _claim(claim: Claim, location: Location | None) -> dict[str, Any]:
    data: dict[str, Any] = {"text": claim.text}
    if claim.kind == "copyright":
        data |= {"years": list(claim.years), "holder": claim.holder}
    elif claim.holder:
        data["holder"] = claim.holder
    for key in ("agencies", "license", "url"):
        if getattr(claim, key):
            value = getattr(claim, key)
            data[key] = list(value) if isinstance(value, tuple) else value
    if claim.origin != "text":
        data["origin"] = claim.origin
    if location:
        data |= {"span": list(claim.span), **asdict(location)}
    return data


def _document(result: DocumentClaims) -> dict[str, Any]:
    data: dict[str, Any] = {"status": result.status, "reason": result.reason}
    data |= {section: [] for section in SECTIONS.values()}
    for claim, location in result.claims:
        data[SECTIONS[claim.kind]].append(_claim(claim, location))
    return data


def format_notices(results: Iterable[DocumentClaims]) -> str:
    """``{path: {"status", "reason", "copyrights": [...], "credits": [...], …}}``."""
    return json.dumps({r.path: _document(r) for r in results}, indent=2, ensure_ascii=False) + "\n"
