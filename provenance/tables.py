"""Tables derived from the Unicode database, kept on disk between runs.

Building the character tables that normalisation looks words up in takes a fifth of a second,
in every process: each worker of an index update or audit, each command a CI job runs. Loading
them takes a millisecond. They are kept in the user's cache folder (``PROVENANCE_CACHE_DIR``,
else ``$XDG_CACHE_HOME/provenance``, else ``~/.cache/provenance``), named by a digest of what
they depend on: the code that builds them, the Unicode version of this Python, and the versions
of provenance and of the look-alike data. A table that cannot be read is built again, and a
folder that cannot be written to only costs the time to build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

from . import __version__

Tables = tuple[np.ndarray, ...]


def folder() -> Path:
    if configured := os.environ.get("PROVENANCE_CACHE_DIR"):
        return Path(configured)
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache_home) / "provenance"


@cache
def _digest(source_file: str) -> str:
    """What tables built by the code in ``source_file`` depend on."""
    import confusable_homoglyphs  # type: ignore[import-untyped]  # the look-alikes' source

    versions = (
        f"{__version__} {unicodedata.unidata_version} {sys.version_info[:2]} {np.__version__} "
        f"{confusable_homoglyphs.__version__}"
    )
    digest = hashlib.sha256(versions.encode())
    digest.update(Path(source_file).read_bytes())
    return digest.hexdigest()[:16]


def cached(name: str, build: Callable[[], Tables]) -> Tables:
    """The tables ``build`` makes, from the cache when they are there."""
    path = folder() / f"{name}-{_digest(build.__code__.co_filename)}.npz"
    try:
        with np.load(path) as stored:
            return tuple(stored[f"arr_{i}"] for i in range(len(stored.files)))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        pass  # not there yet, or damaged: built again
    tables = build()
    # Written aside and renamed: a process reading meanwhile sees all or nothing.
    aside = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with aside.open("wb") as file:
            np.savez(file, *tables)
        aside.replace(path)
        for stale in path.parent.glob(f"{name}-*.npz"):  # built by other versions
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        with contextlib.suppress(OSError):
            aside.unlink(missing_ok=True)
    return tables
