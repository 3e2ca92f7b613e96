"""Bounds on the work one input may cause, so that hostile input cannot exhaust the machine.

Every limit an input hits is reported with that input: a file over the size limit is skipped
with the reason, a document whose candidates were not all aligned carries a note saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9}
_UNITS |= {"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", re.I)


@dataclass(frozen=True)
class Limits:
    max_file_size: int = 10 * 1024 * 1024  # bytes read of a file or a fetched page
    max_align_words: int = 5_000_000  # words aligned for one document, over all its candidates

    def __post_init__(self) -> None:
        for name in ("max_file_size", "max_align_words"):
            if getattr(self, name) < 1:
                raise ValueError(
                    f"{name.replace('_', '-')} must be at least 1, not {getattr(self, name)}"
                )


def parse_size(text: str) -> int:
    """``"10 MiB"``, ``"20MB"``, ``"512kib"`` or ``"1000000"`` (bytes) as a number of bytes."""
    match = _SIZE.fullmatch(text)
    unit = match.group(2).lower() if match else None
    if not match or unit not in _UNITS:
        raise ValueError(f"not a size: {text!r} (e.g. 10MiB, 20MB, 512KiB, or bytes)")
    return int(float(match.group(1)) * _UNITS[unit])


def format_size(size: int) -> str:
    """``size`` bytes for people: "10 MiB", "512 KiB", "900 bytes"."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"
