"""The lines of a text, as claims are read from them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Span


def claim_lines(text: str) -> Iterator[tuple[Span, str]]:
    """Each non-blank line without Markdown emphasis, quote or heading marks around it, with its
    span in ``text``. ``\\n``, ``\\r\\n`` and old Mac ``\\r`` endings all end a line."""
    for line in re.finditer(r"[^\r\n]+", text):
        stripped = line.group().strip(" \t*_>#")
        if stripped:
            start = line.start() + line.group().index(stripped)
            yield (start, start + len(stripped)), stripped
