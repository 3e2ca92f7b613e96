from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from provenance.models import Source
from provenance.sources import SourceEntry, SourceProblem, read_sources

ARTICLE_MD = """---
title: "Steppe Observatory Opens"
url: https://www.rferl.org/a/steppe-observatory/123.html
author: [Aida Nurlanova, Timur Sadykov]
published: 2023-02-14
license: LicenseRef-RFERL-Republication
---

Astronomers opened a new observatory on the Kazakh steppe on Tuesday.
"""


def publisher_of(url: str) -> str | None:
    host = url.split("/")[2]
    return {"www.rferl.org": "rferl", "www.voanews.com": "voa"}.get(host)


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def read(location: Path | str) -> tuple[dict[str, SourceEntry], list[SourceProblem]]:
    entries: dict[str, SourceEntry] = {}
    problems: list[SourceProblem] = []
    for item in read_sources(str(location), publisher_of):
        if isinstance(item, SourceEntry):
            entries[item.source.id] = item
        else:
            problems.append(item)
    return entries, problems


def sources(location: Path) -> dict[str, Source]:
    entries, _ = read(location)
    return {k: e.source for k, e in entries.items()}


def digests(location: Path) -> dict[str, str]:
    entries, _ = read(location)
    return {k: e.digest for k, e in entries.items()}


def test_markdown_source_with_yaml_front_matter(tmp_path: Path) -> None:
    write(tmp_path, {"rferl/steppe.md": ARTICLE_MD})
    entries, problems = read(tmp_path)
    assert problems == []
    entry = entries["rferl/steppe.md"]
    assert entry.source == Source(
        id="rferl/steppe.md",
        text="Astronomers opened a new observatory on the Kazakh steppe on Tuesday.",
        publisher="rferl",
        url="https://www.rferl.org/a/steppe-observatory/123.html",
        title="Steppe Observatory Opens",
        author="Aida Nurlanova, Timur Sadykov",
        published="2023-02-14",
        license="LicenseRef-RFERL-Republication",
    )
    assert entry.source.year == 2023
    assert entry.origin == str(tmp_path.resolve())


def test_yaml_datetime_and_date_field(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.md": "---\npublished: 2021-05-06T10:30:00Z\n---\nText A.\n",
            "b.md": "---\ndate: 2019-11-02\n---\nText B.\n",
            "c.md": '---\npublished: "March 2018"\n---\nText C.\n',
        },
    )
    found = sources(tmp_path)
    assert found["a.md"].published == "2021-05-06T10:30:00+00:00"
    assert found["b.md"].published == "2019-11-02"
    assert found["c.md"].published == "March 2018"
    assert found["c.md"].year is None


def test_toml_front_matter_and_plain_text(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "hugo.md": '+++\ntitle = "Hugo page"\npublisher = "voa"\n+++\nBody of a Hugo page.\n',
            "notes/plain.txt": "  A plain text source.\n\n",
        },
    )
    found = sources(tmp_path)
    assert (found["hugo.md"].title, found["hugo.md"].publisher) == ("Hugo page", "voa")
    assert found["notes/plain.txt"].text == "A plain text source."
    assert found["notes/plain.txt"].publisher is None


def test_explicit_publisher_wins_over_the_url(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"a.md": "---\npublisher: partner\nurl: https://www.rferl.org/a/1.html\n---\nText.\n"},
    )
    assert sources(tmp_path)["a.md"].publisher == "partner"


def test_publisher_is_inferred_from_the_url_with_the_callable(tmp_path: Path) -> None:
    seen: list[str] = []

    def infer(url: str) -> str | None:
        seen.append(url)
        return "inferred"

    write(tmp_path, {"feed.jsonl": jsonl({"text": "t", "url": "https://x.example/1"})})
    (entry,) = read_sources(str(tmp_path), infer)
    assert isinstance(entry, SourceEntry)
    assert entry.source.publisher == "inferred"
    assert seen == ["https://x.example/1"]


def test_unknown_domain_leaves_publisher_empty(tmp_path: Path) -> None:
    write(tmp_path, {"feed.jsonl": jsonl({"text": "t", "url": "https://blog.example/1"})})
    assert sources(tmp_path)["feed.jsonl#1"].publisher is None


def test_jsonl_ids_problems_and_good_lines(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "wire/feed.jsonl": jsonl(
                {"text": "First story.", "url": "https://www.voanews.com/a/1"},
                {"id": "voa-2", "text": "Second story.", "title": "Two"},
                "{not json",
                "",
                {"title": "no text field"},
                ["not", "an", "object"],
                {"text": "   "},
                {"text": "Last story.", "id": 42},
            )
        },
    )
    entries, problems = read(tmp_path)
    assert sorted(entries) == ["42", "voa-2", "wire/feed.jsonl#1"]
    assert entries["wire/feed.jsonl#1"].source.publisher == "voa"
    assert entries["voa-2"].source.title == "Two"
    assert entries["42"].source.text == "Last story."
    feed = tmp_path / "wire" / "feed.jsonl"
    assert [p.location for p in problems] == [f"{feed}:{n}" for n in (3, 5, 6, 7)]
    assert "invalid JSON" in problems[0].reason
    assert "'text'" in problems[1].reason
    assert "JSON object" in problems[2].reason
    assert "'text'" in problems[3].reason


def test_jsonl_file_read_directly(tmp_path: Path) -> None:
    feed = write(tmp_path, {"feed.jsonl": jsonl({"text": "A."}, {"text": "B."})}) / "feed.jsonl"
    entries, problems = read(feed)
    assert problems == []
    assert sorted(entries) == ["feed.jsonl#1", "feed.jsonl#2"]
    assert {e.origin for e in entries.values()} == {str(feed.resolve())}


def test_jsonl_is_read_a_line_at_a_time_as_utf8(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        "\ufeff" + json.dumps({"text": "With a byte order mark."}),
        json.dumps({"text": "A line\u2028separator inside, and caf\u00e9."}, ensure_ascii=False),
    ]
    data = "\n".join(lines).encode() + b'\n{"text": "Latin-1 caf\xe9."}\n' + b'{"text": "Z."}'
    feed.write_bytes(data)
    entries, problems = read(feed)
    assert sorted(entries) == ["feed.jsonl#1", "feed.jsonl#2", "feed.jsonl#4"]
    assert entries["feed.jsonl#2"].source.text == "A line\u2028separator inside, and caf\u00e9."
    assert [p.location for p in problems] == [f"{feed}:3"]
    assert problems[0].reason.startswith("not UTF-8")


def test_markdown_file_read_directly(tmp_path: Path) -> None:
    page = write(tmp_path, {"steppe.md": ARTICLE_MD}) / "steppe.md"
    assert list(sources(page)) == ["steppe.md"]


def test_unreadable_and_empty_files_are_problems_not_errors(tmp_path: Path) -> None:
    write(tmp_path, {"empty.md": "---\ntitle: Nothing\n---\n\n", "good.txt": "Good."})
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "bad.txt").write_bytes(bytes(range(128, 256)) * 4)
    entries, problems = read(tmp_path)
    assert list(entries) == ["good.txt"]
    by_file = {Path(p.location).name: p.reason for p in problems}
    assert set(by_file) == {"bad.txt", "empty.md", "image.png"}
    assert by_file["empty.md"] == "no text"
    assert "0x80" in by_file["bad.txt"]


def test_hidden_and_gitignored_files_are_not_sources(tmp_path: Path) -> None:
    write(tmp_path, {".draft.md": "Hidden.", "old/x.md": "Old.", ".gitignore": "old/\n"})
    write(tmp_path, {"kept.md": "Kept."})
    assert list(sources(tmp_path)) == ["kept.md"]


def test_digest_is_stable_and_independent_of_the_folder(tmp_path: Path) -> None:
    files = {"a.md": ARTICLE_MD, "feed.jsonl": jsonl({"text": "Story."})}
    first = digests(write(tmp_path / "one", files))
    assert first == digests(tmp_path / "one")
    moved = shutil.copytree(tmp_path / "one", tmp_path / "two")
    assert digests(moved) == first


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("on Tuesday.", "on Wednesday."),  # text
        ("Steppe Observatory Opens", "Observatory Opens"),  # title
        ("2023-02-14", "2023-02-15"),  # published
        ("Timur Sadykov", "T. Sadykov"),  # author
        ("LicenseRef-RFERL-Republication", "CC-BY-4.0"),  # license
        ("www.rferl.org/a/steppe-observatory", "www.rferl.org/a/observatory"),  # url
    ],
)
def test_digest_changes_with_text_or_metadata(tmp_path: Path, old: str, new: str) -> None:
    write(tmp_path, {"a.md": ARTICLE_MD})
    before = digests(tmp_path)["a.md"]
    assert old in ARTICLE_MD
    write(tmp_path, {"a.md": ARTICLE_MD.replace(old, new)})
    assert digests(tmp_path)["a.md"] != before


def test_digest_ignores_formatting_that_does_not_reach_the_source(tmp_path: Path) -> None:
    write(tmp_path, {"a.md": ARTICLE_MD})
    before = digests(tmp_path)["a.md"]
    write(tmp_path, {"a.md": ARTICLE_MD.replace("\nAstronomers", "\n\n\nAstronomers") + "\n\n"})
    assert digests(tmp_path)["a.md"] == before


def test_digest_changes_with_the_id(tmp_path: Path) -> None:
    write(tmp_path, {"feed.jsonl": jsonl({"text": "Same."}, {"text": "Same."})})
    found = digests(tmp_path)
    assert found["feed.jsonl#1"] != found["feed.jsonl#2"]


def test_missing_location_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(read_sources(str(tmp_path / "missing"), publisher_of))


@pytest.mark.usefixtures("locked_folders")
def test_an_unreadable_folder_is_a_problem_that_names_no_id(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "open.txt").write_text("An original article about the harbour ferry.")
    items = list(read_sources(str(tmp_path), publisher_of))
    problems = [i for i in items if isinstance(i, SourceProblem)]
    assert [(p.reason, p.source_id) for p in problems] == [
        ("folder cannot be read: Permission denied", None)
    ]
    assert [i.source.id for i in items if isinstance(i, SourceEntry)] == ["open.txt"]
