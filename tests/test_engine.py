"""The pipeline as a library: index updates and audits without the command line."""

from __future__ import annotations

import json
from pathlib import Path

from provenance.engine import audit
from provenance.index import open_index
from provenance.indexing import update_index
from provenance.rules import builtin_packs

from .conftest import DEMO

PACKS = builtin_packs()
ARTICLE = (DEMO / "sources/rferl/kazakhstan-steppe-observatory.md").read_text().split("---\n", 2)[2]
FILLER = (DEMO / "site/content/local/riverside-market-reopens.md").read_text().split("---\n", 2)[2]


def test_sync_removes_only_what_left_its_own_origin(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, name in ((first, "one"), (second, "two")):
        folder.mkdir()
        (folder / f"{name}.txt").write_text(ARTICLE)
        (folder / f"{name}-more.txt").write_text(FILLER)
    with open_index(str(tmp_path / "i.sqlite")) as index:
        update = update_index(index, [str(first), str(second)], PACKS)
        assert (update.added, index.count()) == (4, 4)
        (first / "one-more.txt").unlink()
        update = update_index(index, [str(first)], PACKS)
        assert (update.removed, update.unchanged, index.count()) == (1, 1, 3)


def test_jsonl_sources_and_their_problems(tmp_path: Path) -> None:
    records = [
        {"id": "rferl-1", "url": "https://www.rferl.org/a/x/1.html", "text": ARTICLE},
        {"id": "rferl-1", "text": FILLER},
        {"title": "no text"},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    with open_index(str(tmp_path / "i.sqlite")) as index:
        update = update_index(index, [str(corpus)], PACKS)
        reasons = dict(update.problems)
        assert any("duplicate id" in r for r in reasons.values())
        assert reasons[f"{corpus}:3"] == "missing or empty 'text' field"
        source = index.get("rferl-1")
        assert index.count() == 1 and source is not None
        assert source.text == ARTICLE.strip()  # the first of two records with one id wins
        assert source.publisher == "rferl"  # inferred from the URL


def test_embedded_passage_is_matched_to_its_source_only(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for item in (DEMO / "sources").rglob("*.md"):
        (sources / item.name).write_text(item.read_text())
    words = ARTICLE.split()
    passage = " ".join(words[150:280])
    site = tmp_path / "site"
    site.mkdir()
    (site / "local.md").write_text(f"{FILLER}\n\nAs one report put it: {passage}\n\n{FILLER}")
    (site / "plain.md").write_text(FILLER)
    with open_index(str(tmp_path / "i.sqlite")) as index:
        update_index(index, [str(sources)], PACKS)
        result = audit([str(site)], index, PACKS)
    local, plain = result.documents
    assert [m.source.id for m in local.matches] == ["kazakhstan-steppe-observatory.md"]
    match = local.matches[0]
    copied = (site / "local.md").read_text()[slice(*match.passages[0].target)]
    assert copied.split()[:5] == words[150:155] and copied.split()[-5:] == words[275:280]
    where = match.passages[0].target_location
    assert where is not None
    lines = (site / "local.md").read_text().split("\n")
    assert lines[where.line - 1][where.column - 1 :].startswith(" ".join(words[150:153]))
    assert lines[where.end_line - 1][: where.end_column - 1].endswith(" ".join(words[277:280]))
    assert plain.matches == () and plain.findings == ()
    assert result.sources_indexed == 5


def test_progress_is_reported_per_stage(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    with open_index(str(tmp_path / "i.sqlite")) as index:
        update_index(index, [str(DEMO / "sources")], PACKS, lambda *a: seen.append(a))
        audit([str(DEMO / "site")], index, PACKS, lambda *a: seen.append(a))
    assert ("index", 5, 5) in seen and ("audit", 10, 10) in seen


def test_sources_moved_to_another_folder_keep_their_fingerprints(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    for name in ("one", "two"):
        (folder / f"{name}.txt").write_text(ARTICLE if name == "one" else FILLER)
    with open_index(str(tmp_path / "i.sqlite")) as index:
        update_index(index, [str(folder)], PACKS)
        moved = folder.rename(tmp_path / "c")
        (moved / "two.txt").unlink()
        update = update_index(index, [str(moved)], PACKS)
        assert (update.fingerprinted, update.unchanged, update.removed) == (0, 1, 1)
        assert index.count() == 1


def test_a_source_that_fails_to_read_keeps_its_last_good_version(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    page = folder / "story.md"
    page.write_text(f"---\ntitle: Story\n---\n{ARTICLE}")
    with open_index(str(tmp_path / "i.sqlite")) as index:
        update_index(index, [str(folder)], PACKS)
        page.write_text(f"---\ntitle: [unclosed\n---\n{ARTICLE}")
        update = update_index(index, [str(folder)], PACKS)
        assert update.removed == 0 and index.get("story.md") is not None
        assert "malformed front matter" in dict(update.problems)[str(page)]


def test_overlapping_paths_are_audited_once(tmp_path: Path) -> None:
    with open_index(str(tmp_path / "i.sqlite")) as index:
        update_index(index, [str(DEMO / "sources")], PACKS)
        result = audit([str(DEMO / "site"), str(DEMO / "site/content/world")], index, PACKS)
    assert len(result.documents) == 10
