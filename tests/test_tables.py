from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from provenance import normalise, tables


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PROVENANCE_CACHE_DIR", str(folder))
    return folder


def counting_build(calls: list[int]) -> tables.Tables:
    calls.append(1)
    return np.arange(5, dtype=np.uint16), np.array([True, False])


def test_tables_are_built_once_and_then_read(cache: Path) -> None:
    calls: list[int] = []
    first = tables.cached("example", lambda: counting_build(calls))
    second = tables.cached("example", lambda: counting_build(calls))
    assert calls == [1]
    assert [a.tolist() for a in second] == [a.tolist() for a in first]
    assert [a.dtype for a in second] == [np.uint16, np.bool_]
    (written,) = cache.glob("example-*.npz")
    assert list(cache.iterdir()) == [written]  # nothing left aside


def test_a_damaged_table_is_built_again_and_replaced(cache: Path) -> None:
    calls: list[int] = []
    tables.cached("example", lambda: counting_build(calls))
    (written,) = cache.glob("example-*.npz")
    written.write_bytes(b"not a table")
    assert tables.cached("example", lambda: counting_build(calls))[0].tolist() == [0, 1, 2, 3, 4]
    assert tables.cached("example", lambda: counting_build(calls))[1].tolist() == [True, False]
    assert calls == [1, 1]


def test_tables_of_other_versions_go_when_unused_for_a_month(cache: Path) -> None:
    cache.mkdir()
    month_ago = time.time() - 31 * 24 * 3600
    for name in ["example-0000000000000000.npz", ".example-x.npz.1.tmp", "other-0000.npz"]:
        (cache / name).write_bytes(b"old")
        os.utime(cache / name, (month_ago, month_ago))
    (cache / "example-1111111111111111.npz").write_bytes(b"another installation's, in use")
    tables.cached("example", lambda: counting_build([]))
    left = sorted(p.name for p in cache.iterdir())
    assert left[0] == "example-1111111111111111.npz"
    assert left[1].startswith("example-") and left[2] == "other-0000.npz"  # and the new one
    assert len(left) == 3


def test_reading_a_table_marks_it_in_use(cache: Path) -> None:
    """Another installation sharing the folder removes only tables unused for a month."""
    tables.cached("example", lambda: counting_build([]))
    (written,) = cache.glob("example-*.npz")
    month_ago = time.time() - 31 * 24 * 3600
    os.utime(written, (month_ago, month_ago))
    tables.cached("example", lambda: counting_build([]))
    assert written.stat().st_mtime > time.time() - 60


def test_code_that_cannot_be_read_is_built_every_time(cache: Path) -> None:
    """An installation without its sources: nothing to name the tables by."""
    calls: list[int] = []
    code = compile("lambda: build(calls)", "/nowhere/built.py", "eval")
    build = eval(code, {"build": counting_build, "calls": calls})
    assert tables.cached("example", build)[0].tolist() == [0, 1, 2, 3, 4]
    assert tables.cached("example", build)[0].tolist() == [0, 1, 2, 3, 4]
    assert calls == [1, 1]
    assert not cache.exists()


def test_a_folder_that_cannot_be_written_only_costs_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("PROVENANCE_CACHE_DIR", str(blocked / "cache"))
    calls: list[int] = []
    assert tables.cached("example", lambda: counting_build(calls))[0].tolist() == [0, 1, 2, 3, 4]
    assert tables.cached("example", lambda: counting_build(calls))[0].tolist() == [0, 1, 2, 3, 4]
    assert calls == [1, 1]


def test_the_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROVENANCE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere")
    assert tables.folder() == Path("/somewhere/provenance")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as the spec says
    assert tables.folder() == Path.home() / ".cache" / "provenance"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert tables.folder() == Path.home() / ".cache" / "provenance"


def test_cached_normalisation_tables_equal_freshly_built_ones(cache: Path) -> None:
    """Another process fills the cache; the tables it wrote are those this one builds."""
    script = (
        "from provenance import normalise as n; n._composing(); n._simple_tables(); "
        "n._homoglyphs(); n._symbol_separators(); n._plain_word_tables()"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    assert len(list(cache.glob("*.npz"))) == 5
    for name, build in [
        ("composing", normalise._build_composing),
        ("simple", normalise._build_simple_tables),
        ("homoglyphs", normalise._build_homoglyphs),
        ("symbol-separators", normalise._build_symbol_separators),
        ("plain-words", normalise._build_plain_word_tables),
    ]:
        (path,) = cache.glob(f"{name}-*.npz")
        with np.load(path) as stored:
            read = [stored[f"arr_{i}"] for i in range(len(stored.files))]
        built = build()
        assert len(read) == len(built), name
        for from_cache, fresh in zip(read, built, strict=True):
            assert from_cache.dtype == fresh.dtype, name
            assert np.array_equal(from_cache, fresh), name
