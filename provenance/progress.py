"""Progress reports: the pipeline never prints, it calls a ``Progress`` as work advances."""

from __future__ import annotations

from collections.abc import Callable

# (stage, done, total): called as work advances, so a front end can show progress.
Progress = Callable[[str, int, int], None]


def quiet(stage: str, done: int, total: int) -> None:
    """Progress for callers that show none."""
