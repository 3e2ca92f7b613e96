"""Tables derived from the Unicode database, kept on disk between runs.

Building the character tables that normalisation looks words up in takes a fifth of a second,
in every process: each worker of an index update or audit, each command a CI job runs. Loading
them takes a millisecond. They are kept in the user's cache folder (``PROVENANCE_CACHE_DIR``,
else ``$XDG_CACHE_HOME/provenance``, else ``~/.cache/provenance``), named by a digest of what
they depend on: the code that builds them, the Unicode version of this Python, and the versions
of provenance, of the look-alike data and of ``regex``. A table that cannot be read is built
again, a folder that cannot be written to only costs the time to build, and tables of other
versions go when they have not been used for a month.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

from . import __version__

Tables = tuple[np.ndarray, ...]
_STALE_SECONDS = 30 * 24 * 3600  # tables of other versions, or left aside, unused this long go


def folder() -> Path:
    if configured := os.environ.get("PROVENANCE_CACHE_DIR"):
        return Path(configured)
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or "")
    if not cache_home.is_absolute():  # unset, or relative: to be ignored, says the XDG spec
        cache_home = Path.home() / ".cache"
    return cache_home / "provenance"


@cache
def _digest(source_file: str) -> str | None:
    """What tables built by the code in ``source_file`` depend on (``None`` when that code
    cannot be read: an installation without its sources)."""
    import confusable_homoglyphs  # type: ignore[import-untyped]  # the look-alikes' source
    import regex  # its own Unicode database: which letters form words

    versions = (
        f"{__version__} {unicodedata.unidata_version} {sys.version_info[:2]} {np.__version__} "
        f"{confusable_homoglyphs.__version__} {regex.__version__}"
    )
    digest = hashlib.sha256(versions.encode())
    try:
        digest.update(Path(source_file).read_bytes())
    except OSError:
        return None
    return digest.hexdigest()[:16]


def cached(name: str, build: Callable[[], Tables]) -> Tables:
    """The tables ``build`` makes, from the cache when they are there."""
    digest = _digest(build.__code__.co_filename)
    if digest is None:
        return build()
    path = folder() / f"{name}-{digest}.npz"
    try:
        with np.load(path) as stored:
            tables = tuple(stored[f"arr_{i}"] for i in range(len(stored.files)))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        pass  # not there yet, or damaged: built again
    else:
        with contextlib.suppress(OSError):
            os.utime(path)  # in use: its time is when it was last read (see ``_write``)
        return tables
    tables = build()
    with contextlib.suppress(OSError):
        _write(path, tables)
    return tables


def _write(path: Path, tables: Tables) -> None:
    """Write ``tables`` aside and rename them: a process reading meanwhile sees all or
    nothing. Tables of other versions unused for a month go (two installations may share the
    folder, each using its own)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, aside = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            np.savez(file, *tables)
        os.replace(aside, path)
    finally:
        Path(aside).unlink(missing_ok=True)
    month_ago = time.time() - _STALE_SECONDS
    name = path.name.rsplit("-", 1)[0]
    for other in [*path.parent.glob(f"{name}-*.npz"), *path.parent.glob(".*.tmp")]:
        with contextlib.suppress(OSError):
            if other != path and other.stat().st_mtime < month_ago:
                other.unlink()
