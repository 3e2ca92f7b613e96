"""Hostile and broken input: every file gets a status, the audit finishes, nothing is damaged.

The corpus is built beside the demo's own pages and audited by the real command line in a
separate process (so a hang fails the test at its timeout instead of stalling the run).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from provenance.cli import _write
from provenance.discover import discover
from provenance.engine import audit_file
from provenance.report.json import report_schema

BILLION_LAUGHS = (
    "---\n"
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    ).replace("b: &b", 'a: &a ["lol"]\nb: &b')
    + "author: *i\n---\nBody text.\n"
)


def build_hostile_corpus(folder: Path, outside: Path) -> dict[str, tuple[str, str | None]]:
    """Write the hostile files into ``folder``; return each file's expected (status, words
    its reason holds) by name."""
    folder.mkdir()
    (folder / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 8)
    (folder / "nul.txt").write_bytes(b"text with\0NUL bytes " * 50)
    (folder / "invalid.txt").write_bytes(bytes(range(128, 256)) * 4)
    (folder / "utf16.txt").write_bytes(
        codecs.BOM_UTF16_LE + "A short note written in UTF-16.\n".encode("utf-16-le")
    )
    (folder / "cp1252.txt").write_bytes(
        "Caf\u00e9 \u201cquoted\u201d \u2014 na\u00efve r\u00e9sum\u00e9.\n".encode("cp1252") * 20
    )
    (folder / "empty.md").write_bytes(b"")
    with (folder / "huge.txt").open("wb") as file:  # 200 MB (sparse: costs no disk)
        file.truncate(200 * 1024 * 1024)
    (folder / "one-line.txt").write_bytes(b"Copyright (c) 2020 " * (10_000_000 // 19))
    (folder / "deep.html").write_text(
        "<html><body><p>An introduction that the audit can read.</p>"
        + "<div>" * 100_000
        + "buried"
        + "</div>" * 100_000
        + "</body></html>"
    )
    (folder / "bad-front-matter.md").write_text("---\ntitle: [unclosed\n---\nBody.\n")
    (folder / "laughs.md").write_text(BILLION_LAUGHS)
    (folder / "long-front-matter.md").write_text(
        "---\n" + "".join(f"key{i}: value\n" for i in range(8000)) + "---\nBody.\n"
    )
    (folder / "loop-a.md").symlink_to(folder / "loop-b.md")
    (folder / "loop-b.md").symlink_to(folder / "loop-a.md")
    (folder / "dangling.md").symlink_to(folder / "nowhere.md")
    (outside / "private.md").write_text("Not part of the audited tree.\n")
    (folder / "escape.md").symlink_to(outside / "private.md")
    (folder / "escape-folder").symlink_to(outside, target_is_directory=True)
    os.mkfifo(folder / "pipe.md")  # reading it would block forever
    (folder / os.fsdecode(b"caf\xe9-latin1-name.txt")).write_text("A name that is not UTF-8.\n")
    locked = folder / "locked.md"
    locked.write_text("Nobody may read this.\n")
    locked.chmod(0)
    return {
        "binary.md": ("skipped", "binary file"),
        "nul.txt": ("skipped", "binary file"),
        "invalid.txt": ("error", "not valid UTF-8"),
        "utf16.txt": ("scanned", None),
        "cp1252.txt": ("scanned", None),
        "empty.md": ("skipped", "no text to audit"),
        "huge.txt": ("skipped", "larger than the file size limit (10 MiB"),
        "one-line.txt": ("scanned", None),
        "deep.html": ("scanned", None),
        "bad-front-matter.md": ("error", "malformed front matter"),
        "laughs.md": ("error", "YAML aliases are not allowed"),
        "long-front-matter.md": ("error", "longer than 64 KiB"),
        "loop-a.md": ("error", "symbolic link loop"),
        "loop-b.md": ("error", "symbolic link loop"),
        "dangling.md": ("error", "broken symbolic link"),
        "escape.md": ("skipped", "outside the audited folder"),
        "escape-folder": ("skipped", "symbolic link to a folder"),
        "pipe.md": ("skipped", "not a regular file"),
        "caf\ufffd-latin1-name.txt": ("scanned", None),
        # Root reads whatever the permissions say.
        "locked.md": ("scanned", None) if os.access(locked, os.R_OK) else ("error", "denied"),
    }


def audit(
    cwd: Path, *paths: str | Path, report: str = "report.json", options: tuple[str, ...] = ()
) -> tuple[int, dict, str]:
    command = [sys.executable, "-m", "provenance", "audit", *map(str, paths), *options]
    command += ["--sources", "demo/sources", "--format", "json", "-o", report, "--no-progress"]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    return done.returncode, json.loads((cwd / report).read_text(encoding="utf-8")), done.stderr


def digests(folder: Path) -> dict[str, str]:
    """What every regular file under ``folder`` holds, to show that auditing changed none."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and os.access(path, os.R_OK):
            with path.open("rb") as file:
                found[str(path)] = hashlib.file_digest(file, "sha256").hexdigest()
    return found


def essentials(document: dict) -> tuple:
    return (
        document["status"],
        [m["source_id"] for m in document["matches"]],
        [(f["rule"], f["line"], f["message"]) for f in document["findings"]],
    )


def test_hostile_corpus_every_file_has_a_status_and_the_good_files_are_unchanged(
    demo: Path,
) -> None:
    cwd = demo.parent
    code, clean, _ = audit(cwd, "demo/site", report="clean.json")
    expected_good = {d["path"]: essentials(d) for d in clean["documents"]}

    outside = cwd / "outside"
    outside.mkdir()
    expected = build_hostile_corpus(demo / "site" / "hostile", outside)
    unreadable = cwd / "unreadable.txt"  # named on the command line: read, and it fails
    unreadable.symlink_to("/proc/self/mem")
    before = digests(demo) | digests(outside)

    hostile_code, report, stderr = audit(cwd, "demo/site", unreadable.name)

    assert hostile_code == code == 1, stderr  # the demo's findings; never 2
    jsonschema.validate(report, report_schema())
    documents = {d["path"]: d for d in report["documents"]}
    hostile = {
        path.removeprefix("demo/site/hostile/"): d
        for path, d in documents.items()
        if path.startswith("demo/site/hostile/")
    }
    assert set(hostile) == set(expected)
    for name, (status, reason) in expected.items():
        assert hostile[name]["status"] == status, (name, hostile[name]["reason"])
        if reason:
            assert reason in hostile[name]["reason"], (name, hostile[name]["reason"])
    assert hostile["deep.html"]["limits"] == [
        "HTML nested more than 256 levels deep: deeper text is not read"
    ]
    assert documents["unreadable.txt"]["status"] == "error"
    assert "cannot be read" in documents["unreadable.txt"]["reason"]
    # The good files: exactly what an audit of them alone finds.
    assert {p: essentials(d) for p, d in documents.items() if p in expected_good} == expected_good
    assert len(documents) == len(expected_good) + len(expected) + 1
    # Nothing audited was changed; only the tool's folder and the reports were written.
    assert digests(demo) | digests(outside) == before
    written = {p.name for p in cwd.iterdir()} - {"demo", "outside", "unreadable.txt"}
    assert written == {".provenance", "clean.json", "report.json"}


def test_the_alignment_limit_is_reported_with_each_document_that_reaches_it(demo: Path) -> None:
    _, full, _ = audit(demo.parent, "demo/site", report="full.json")
    options = ("--max-align-words", "50")
    _, report, _ = audit(demo.parent, "demo/site", report="limited.json", options=options)
    limited = {d["path"]: d for d in report["documents"]}
    copies = [d for d in full["documents"] if d["matches"]]
    assert copies
    for document in copies:  # nothing aligned: each copy's candidates are reported unchecked
        assert limited[document["path"]]["matches"] == []
        [note] = limited[document["path"]]["limits"]
        assert note.startswith("alignment limit reached: ")
        assert "candidate sources not compared (see --max-align-words)" in note
    assert all(not d["limits"] for d in full["documents"])


def test_a_file_that_vanishes_after_it_was_found_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("Here now, gone soon.\n")
    [found] = discover([str(tmp_path)])
    page.unlink()
    result = audit_file(found, matcher=None, policy=None)  # type: ignore[arg-type]
    assert (result.status, result.reason) == ("error", "cannot be read: it no longer exists")


def test_a_report_that_fails_halfway_leaves_the_previous_report_whole(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text('{"previous": true}\n')
    with pytest.raises(UnicodeEncodeError):  # written in part, then the encoder fails
        _write(str(report), "x" * 1_000_000 + "\udce9")
    assert report.read_text() == '{"previous": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left
