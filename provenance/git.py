"""What git knows about the audited tree: the repository's root (reports name files relative to
it) and the files changed since a revision (``--changed-since``, the CI case)."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """git is missing, the folder is not in a repository, or the revision is unknown."""


def _git(folder: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if done.returncode:
        raise GitError(
            done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "git failed"
        )
    return done.stdout


def repository_root(folder: Path) -> Path | None:
    """The root of the git work tree holding ``folder``, or ``None`` outside any."""
    try:
        return Path(_git(folder, "rev-parse", "--show-toplevel").strip()).resolve()
    except GitError:
        return None


def changed_files(root: Path, revision: str) -> set[Path]:
    """The files (resolved paths) of the repository at ``root`` that differ from ``revision``:
    committed since, staged or not, and new files git does not ignore. Deleted files are left
    out: there is nothing left to audit."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except GitError:
        raise GitError(f"unknown revision '{revision}'") from None
    # -z: names exactly as stored (no quoting of unusual characters); --no-renames: a renamed
    # file is listed under its new name like any added one.
    changed = _git(
        root, "diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", revision, "--"
    )
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard")
    names = [n for n in (changed + untracked).split("\0") if n]
    return {(root / name).resolve() for name in names}
