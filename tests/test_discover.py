from __future__ import annotations

from pathlib import Path

import pytest

from provenance.discover import FoundFile, discover


def make(root: Path, *files: str, **contents: str) -> None:
    """Create empty ``files``, and files named by the keys of ``contents`` holding its values."""
    for name, text in [*((f, "") for f in files), *contents.items()]:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def found(*paths: Path | str, **options: object) -> list[str]:
    return [c.display for c in discover([str(p) for p in paths], **options)]  # type: ignore[arg-type]


def test_yields_every_file_whatever_its_type_in_sorted_order(tmp_path: Path) -> None:
    make(tmp_path, "b.md", "a.html", "c.txt", "image.png", "Makefile", "z/inner.md", "m/x.bin")
    site = str(tmp_path)
    assert found(tmp_path) == [
        f"{site}/Makefile",
        f"{site}/a.html",
        f"{site}/b.md",
        f"{site}/c.txt",
        f"{site}/image.png",
        f"{site}/m/x.bin",
        f"{site}/z/inner.md",
    ]


def test_order_is_stable(tmp_path: Path) -> None:
    make(tmp_path, *(f"d{i % 3}/f{(i * 7) % 10}.md" for i in range(10)))
    first = found(tmp_path)
    assert first == found(tmp_path)
    assert len(first) == 10
    assert first == sorted(first)


def test_display_keeps_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "site/sub/page.md")
    monkeypatch.chdir(tmp_path)
    (candidate,) = discover(["site"])
    assert candidate == FoundFile(Path("site/sub/page.md"), "site/sub/page.md")


def test_gitignore_in_the_folder_is_respected(tmp_path: Path) -> None:
    make(
        tmp_path,
        "keep.md",
        "notes.log",
        "drafts/d.md",
        "sub/notes.log",
        "secret.md",
        **{".gitignore": "*.log\ndrafts/\n/secret.md\n"},
    )
    assert found(tmp_path) == [f"{tmp_path}/keep.md"]


def test_nested_gitignore_applies_below_its_folder_only(tmp_path: Path) -> None:
    make(
        tmp_path,
        "local.txt",
        "sub/local.txt",
        "sub/keep.txt",
        "sub/deep/local.txt",
        "sub/deep/q.md",
        **{"sub/.gitignore": "local.txt\n"},
    )
    assert found(tmp_path) == [
        f"{tmp_path}/local.txt",
        f"{tmp_path}/sub/keep.txt",
        f"{tmp_path}/sub/deep/q.md",
    ]


def test_parent_gitignore_applies_inside_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    make(
        tmp_path,
        "site/page.md",
        "site/page.log",
        "site/drafts/d.md",
        **{".gitignore": "*.log\n/site/drafts/\n"},
    )
    site = tmp_path / "site"
    assert found(site) == [f"{site}/page.md"]


def test_parent_gitignore_is_ignored_outside_a_git_repository(tmp_path: Path) -> None:
    make(tmp_path, "site/page.md", "site/page.log", **{".gitignore": "*.log\n"})
    site = tmp_path / "site"
    assert found(site) == [f"{site}/page.log", f"{site}/page.md"]


def test_gitignore_above_the_repository_root_does_not_apply(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    make(tmp_path, "repo/site/page.md", "repo/site/page.log", **{".gitignore": "*.log\n"})
    site = tmp_path / "repo" / "site"
    assert found(site) == [f"{site}/page.log", f"{site}/page.md"]


def test_negation_within_one_gitignore(tmp_path: Path) -> None:
    make(tmp_path, "a.md", "b.md", "c.txt", **{".gitignore": "*.md\n!b.md\n"})
    assert found(tmp_path) == [f"{tmp_path}/b.md", f"{tmp_path}/c.txt"]


def test_hidden_files_and_folders_are_excluded(tmp_path: Path) -> None:
    make(
        tmp_path,
        ".hidden.md",
        ".provenance/index.sqlite",
        ".git/HEAD",
        "sub/.DS_Store",
        "sub/.cache/page.md",
        "sub/page.md",
    )
    assert found(tmp_path) == [f"{tmp_path}/sub/page.md"]


def test_symlink_to_a_folder_is_yielded_with_a_reason(tmp_path: Path) -> None:
    make(tmp_path, "elsewhere/page.md", "site/page.md")
    (tmp_path / "site" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    candidates = list(discover([str(tmp_path / "site")]))
    assert [(c.display, c.reason is None) for c in candidates] == [
        (f"{tmp_path}/site/linked", False),
        (f"{tmp_path}/site/page.md", True),
    ]
    assert "symbolic link" in (candidates[0].reason or "")


def test_symlink_to_a_file_in_the_folder_is_an_ordinary_file(tmp_path: Path) -> None:
    make(tmp_path, "site/real.md")
    (tmp_path / "site" / "alias.md").symlink_to(tmp_path / "site" / "real.md")
    candidates = list(discover([str(tmp_path / "site")]))
    assert [(c.display, c.status, c.reason) for c in candidates] == [
        (f"{tmp_path}/site/alias.md", None, None),
        (f"{tmp_path}/site/real.md", None, None),
    ]


def test_symlinks_out_of_the_folder_broken_or_looping_are_yielded_with_a_reason(
    tmp_path: Path,
) -> None:
    make(tmp_path, "secret.md", "site/page.md")
    site = tmp_path / "site"
    (site / "escape.md").symlink_to(tmp_path / "secret.md")
    (site / "up.md").symlink_to("../secret.md")
    (site / "gone.md").symlink_to(site / "nowhere.md")
    (site / "loop-a.md").symlink_to(site / "loop-b.md")
    (site / "loop-b.md").symlink_to(site / "loop-a.md")
    found_files = {Path(c.display).name: (c.status, c.reason) for c in discover([str(site)])}
    outside = ("skipped", "symbolic link to a file outside the audited folder (not followed)")
    assert found_files == {
        "escape.md": outside,
        "up.md": outside,
        "gone.md": ("error", "broken symbolic link (not followed)"),
        "loop-a.md": ("error", "symbolic link loop (not followed)"),
        "loop-b.md": ("error", "symbolic link loop (not followed)"),
        "page.md": (None, None),
    }
    # Named explicitly, a link to a file anywhere is the user's choice; a loop is still one.
    named = list(discover([str(site / "escape.md"), str(site / "loop-a.md")]))
    assert [(c.status, c.reason) for c in named] == [
        (None, None),
        ("error", "symbolic link loop (not followed)"),
    ]


def test_explicit_files_are_yielded_even_if_ignored_or_hidden(tmp_path: Path) -> None:
    make(tmp_path, "x.log", ".hidden.md", "page.md", **{".gitignore": "*.log\n"})
    (tmp_path / ".git").mkdir()
    x, hidden = tmp_path / "x.log", tmp_path / ".hidden.md"
    assert found(x, hidden, exclude=["*"], base=tmp_path) == [str(x), str(hidden)]


def test_several_paths_are_yielded_in_the_order_given(tmp_path: Path) -> None:
    make(tmp_path, "b/two.md", "a/one.md")
    assert found(tmp_path / "b", tmp_path / "a") == [
        f"{tmp_path}/b/two.md",
        f"{tmp_path}/a/one.md",
    ]


def test_exclude_patterns_are_relative_to_base(tmp_path: Path) -> None:
    make(tmp_path, "site/a.md", "site/b.html", "site/tags/t.md", "site/sub/tags/u.md")
    site = tmp_path / "site"
    assert found(site, exclude=["*.html", "/site/tags/"], base=tmp_path) == [
        f"{site}/a.md",
        f"{site}/sub/tags/u.md",
    ]


def test_exclude_needs_a_base(tmp_path: Path) -> None:
    make(tmp_path, "a.md", "b.html")
    assert found(tmp_path, exclude=["*.html"]) == [f"{tmp_path}/a.md", f"{tmp_path}/b.html"]
    assert found(tmp_path, exclude=["*.html"], base=tmp_path) == [f"{tmp_path}/a.md"]


def test_exclude_with_a_base_outside_the_folder_does_not_apply(tmp_path: Path) -> None:
    make(tmp_path, "config/x", "site/a.md")
    site = tmp_path / "site"
    assert found(site, exclude=["*.md"], base=tmp_path / "config") == [f"{site}/a.md"]


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(discover([str(tmp_path / "nope")]))


def test_missing_path_after_a_good_one_raises(tmp_path: Path) -> None:
    make(tmp_path, "a.md")
    results = discover([str(tmp_path / "a.md"), str(tmp_path / "nope")])
    assert next(results).display == str(tmp_path / "a.md")
    with pytest.raises(FileNotFoundError):
        next(results)


def test_a_deeper_gitignore_can_re_include_what_a_parent_ignores(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    make(
        tmp_path, "site/a.md", "site/b.md", **{".gitignore": "*.md\n", "site/.gitignore": "!a.md\n"}
    )
    assert found(tmp_path / "site") == [str(tmp_path / "site" / "a.md")]


def test_an_audited_repository_ignores_the_outer_repository_rules(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "inner/.git").mkdir(parents=True)
    make(tmp_path, "inner/a.md", **{".gitignore": "*.md\n"})
    assert found(tmp_path / "inner") == [str(tmp_path / "inner" / "a.md")]


@pytest.mark.usefixtures("locked_folders")
def test_a_folder_that_cannot_be_listed_is_reported(tmp_path: Path) -> None:
    make(tmp_path, "open/a.md", "locked/b.md")
    files = list(discover([str(tmp_path)]))
    assert [(f.display, f.status) for f in files] == [
        (str(tmp_path / "locked"), "error"),
        (str(tmp_path / "open" / "a.md"), None),
    ]
    assert "Permission denied" in (files[0].reason or "")
