"""Index updates large enough to be read and fingerprinted by worker processes."""

from __future__ import annotations

import json
from pathlib import Path

from provenance.index import SqliteIndex
from provenance.indexing import BATCH, update_index
from provenance.rules import builtin_packs

WORDS = [
    "harbor",
    "ferry",
    "crossing",
    "commuters",
    "lobsters",
    "library",
    "books",
    "flooded",
    "village",
    "herders",
]


def story(number: int) -> str:
    """A text of its own for each number: its words spell the number out."""
    digits = [WORDS[int(d)] for d in str(number)]
    return " ".join([*digits, "and", *WORDS, *reversed(digits)] * 3)


def test_a_folder_of_files_is_read_by_the_workers(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    count = BATCH + 200  # a full first batch: read by worker processes
    for number in range(count):
        (folder / f"{number:05}.txt").write_text(story(number) + "\n")
    (folder / "blank.txt").write_text("\n")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    url = "https://www.rferl.org/a/story.html"
    (folder / "more.jsonl").write_text(
        json.dumps({"id": "00007.txt", "text": "a second source with a taken id"})
        + "\n"
        + json.dumps({"id": "from-rferl", "url": url, "text": story(count)})
        + "\n"
    )

    with SqliteIndex(tmp_path / "index.sqlite") as index:
        update = update_index(index, [str(folder)], builtin_packs())
        assert (update.added, update.updated, update.unchanged) == (count + 1, 0, 0)
        assert index.count() == count + 1
        reasons = dict(update.problems)
        assert reasons[str(folder / "blank.txt")] == "no text"
        assert "binary" in reasons[str(folder / "binary.txt")]
        assert reasons["00007.txt"].startswith("duplicate id")
        assert index.get("from-rferl").publisher == "rferl"  # type: ignore[union-attr]
        assert index.get("00007.txt").text == story(7)  # type: ignore[union-attr]
        assert index.check() == []

        # Again: nothing is fingerprinted, and a changed file is.
        (folder / "00003.txt").write_text(story(10_000) + "\n")
        update = update_index(index, [str(folder)], builtin_packs())
        assert (update.added, update.updated, update.unchanged) == (0, 1, count)
        assert index.get("00003.txt").text == story(10_000)  # type: ignore[union-attr]
