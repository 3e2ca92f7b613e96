"""`provenance notices FILE...` end to end: each file's claims, one JSON object keyed by path."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import FIXTURES, Run

NOTICES = FIXTURES / "claims" / "notices"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The notices fixtures in a fresh folder (the cwd), with a file that cannot be read."""
    shutil.copytree(NOTICES, tmp_path / "notices")
    (tmp_path / "notices" / "scan.txt").write_bytes(b"Copyright 2020\x00\x01\x02 binary")
    monkeypatch.chdir(tmp_path)
    return Path("notices")


def notices(run: Callable[..., Run], *paths: Path | str) -> dict[str, Any]:
    result = run("notices", *paths)
    assert result.code == 0, result.err
    report: dict[str, Any] = json.loads(result.out)
    return report


def copyrights(report: dict[str, Any], name: str) -> list[dict[str, Any]]:
    (document,) = [d for path, d in report.items() if Path(path).name == name]
    assert (document["status"], document["reason"]) == ("scanned", None)
    found: list[dict[str, Any]] = document["copyrights"]
    return found


def test_every_file_is_listed_by_path(folder: Path, run: Callable[..., Run]) -> None:
    report = notices(run, folder)
    assert sorted(Path(p).name for p in report) == [
        "footer.html",
        "no-notice.txt",
        "river-festival.md",
        "scan.txt",
        "source-header.txt",
    ]
    assert list(report) == sorted(report)


def test_each_copyright_has_text_years_and_holder(folder: Path, run: Callable[..., Run]) -> None:
    report = notices(run, folder)
    for document in report.values():
        for claim in document["copyrights"]:
            assert claim["text"]
            assert isinstance(claim["years"], list)
            assert claim["holder"]


def test_a_notice_at_the_end_of_an_article(folder: Path, run: Callable[..., Run]) -> None:
    (claim,) = copyrights(notices(run, folder), "river-festival.md")
    assert claim["text"] == "© 2021 Example Valley News. All rights reserved."
    assert (claim["years"], claim["holder"]) == ([2021], "Example Valley News")
    assert (claim["line"], claim["column"]) == (12, 1)


def test_prose_about_copyright_claims_nothing(folder: Path, run: Callable[..., Run]) -> None:
    assert copyrights(notices(run, folder), "no-notice.txt") == []


def test_statements_in_a_source_header(folder: Path, run: Callable[..., Run]) -> None:
    first, second = copyrights(notices(run, folder), "source-header.txt")
    assert first["text"] == (
        "Copyright (c) 1988, 1993\n *      The Regents of the Example University."
        "  All rights reserved."
    )
    assert first["years"] == [1988, 1993]
    assert first["holder"] == "The Regents of the Example University"
    assert (first["line"], first["end_line"]) == (4, 5)
    assert second["text"] == "Copyright (C) 2004-2007 Jane Roe <jane.roe@example.org>"
    assert (second["years"], second["holder"]) == ([2004, 2005, 2006, 2007], "Jane Roe")


def test_a_notice_in_an_html_page(folder: Path, run: Callable[..., Run]) -> None:
    (claim,) = copyrights(notices(run, folder), "footer.html")
    assert claim["text"] == "Copyright © 2022 Harbour Gazette Ltd. All rights reserved."
    assert (claim["years"], claim["holder"]) == ([2022], "Harbour Gazette Ltd")


def test_a_file_that_cannot_be_read_is_listed_with_its_reason(
    folder: Path, run: Callable[..., Run]
) -> None:
    report = notices(run, folder)
    (document,) = [d for path, d in report.items() if Path(path).name == "scan.txt"]
    assert document["status"] == "skipped"
    assert "binary" in document["reason"]
    assert document["copyrights"] == []


def test_files_named_one_by_one(folder: Path, run: Callable[..., Run]) -> None:
    report = notices(run, folder / "river-festival.md", folder / "no-notice.txt")
    assert sorted(Path(p).name for p in report) == ["no-notice.txt", "river-festival.md"]
