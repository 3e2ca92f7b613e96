"""A C2PA text manifest embedded in the file (reported as information, never stripped).

The C2PA specification embeds a manifest in unstructured text as U+FEFF followed by a run of
Unicode variation selectors, one per byte (U+FE00 to U+FE0F for 0 to 15, U+E0100 to U+E01EF
for 16 to 255): the bytes start with the magic ``C2PATXT\\0``, a version byte and the
manifest's length (4 bytes, big-endian). Runs without the magic are not manifests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Claim, Document

MAGIC = b"C2PATXT\0"
_HEADER = len(MAGIC) + 1 + 4
_WRAPPER = re.compile("\ufeff([\ufe00-\ufe0f\U000e0100-\U000e01ef]+)")


def _byte(selector: str) -> int:
    code = ord(selector)
    return code - 0xFE00 if code <= 0xFE0F else code - 0xE0100 + 16


def _manifest_length(run: str) -> int | None:
    """The manifest length a run of variation selectors declares, if it is a manifest."""
    data = bytes(_byte(c) for c in run[:_HEADER])
    if len(data) < _HEADER or not data.startswith(MAGIC):
        return None
    return int.from_bytes(data[len(MAGIC) + 1 : _HEADER], "big")


def c2pa_claims(document: Document) -> Iterator[Claim]:
    """A ``c2pa`` claim per C2PA text manifest: at its place in the extracted text, or, when
    extraction dropped it (an HTML page's), with origin ``file``."""
    in_text = False
    for match in _WRAPPER.finditer(document.text):
        length = _manifest_length(match.group(1))
        if length is not None:
            in_text = True
            yield Claim("c2pa", f"C2PA text manifest ({length} bytes)", match.span())
    if in_text:
        return
    for match in _WRAPPER.finditer(document.raw):
        length = _manifest_length(match.group(1))
        if length is not None:
            yield Claim("c2pa", f"C2PA text manifest ({length} bytes)", (0, 0), origin="file")
