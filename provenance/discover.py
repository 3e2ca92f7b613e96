"""Find the files to audit under the paths a user names.

Folders are walked in a stable order. Entries ignored by a ``.gitignore`` (in the folder or any
parent up to the repository root), by the configuration's ``exclude`` patterns, or hidden
(``.git``, ``.provenance``, dotfiles) are not inputs. Every other file is yielded, whatever its
type, so that the audit can report the ones it cannot read instead of silently dropping them.
A file named explicitly is always yielded.

Symbolic links are never a way out of the audited tree: a link to a folder is not followed, and
a link to a file outside the folder being walked, a broken link and a link loop are yielded with
the reason they are not read.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

import pathspec

from .models import Status


@dataclass(frozen=True)
class FoundFile:
    """A file to audit: where it is, how reports name it, and, when it cannot be audited at all,
    the status and reason to report instead."""

    path: Path
    display: str
    status: Status | None = None
    reason: str | None = None

    def __post_init__(self) -> None:  # reports show the name; the path still opens the file
        object.__setattr__(self, "display", _printable(self.display))


def _printable(name: str) -> str:
    """A file name that is not valid UTF-8 reaches Python with lone surrogates, which no
    report (nor RE2) can encode: U+FFFD takes their place."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass(frozen=True)
class _Rules:
    base: Path
    spec: pathspec.PathSpec

    def check(self, path: Path, is_dir: bool) -> bool | None:
        """True: ignored; False: re-included by a "!" pattern; None: no pattern matches."""
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            return None
        relative = _printable(relative)
        result: bool | None = self.spec.check_file(relative + "/" if is_dir else relative).include
        return result


def _gitignore(folder: Path) -> _Rules | None:
    file = folder / ".gitignore"
    try:
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return _Rules(folder, pathspec.GitIgnoreSpec.from_lines(lines))


def _inherited(start: Path) -> list[_Rules]:
    """The .gitignore files of the parents of ``start`` inside its git repository."""
    if (start / ".git").exists():
        return []  # ``start`` is a repository's root: outer repositories do not apply
    parents = []
    for folder in start.parents:
        parents.append(folder)
        if (folder / ".git").exists():
            break
    else:
        return []  # not inside a repository: parents' ignore files do not apply
    rules = [_gitignore(folder) for folder in reversed(parents)]
    return [r for r in rules if r]


def discover(
    paths: Iterable[str], exclude: Iterable[str] = (), base: Path | None = None
) -> Iterator[FoundFile]:
    """Yield the files under ``paths``. ``exclude`` holds gitignore-style patterns relative to
    ``base`` (the configuration's folder). Raises ``FileNotFoundError`` for a missing path."""
    excludes = list(exclude)
    configured = (
        _Rules(base.resolve(), pathspec.GitIgnoreSpec.from_lines(excludes))
        if base and excludes
        else None
    )
    for given in paths:
        root = Path(given)
        if not root.exists() and not root.is_symlink():
            raise FileNotFoundError(given)
        if root.is_dir():
            yield from _walk(root, PurePath(given), _inherited(root.resolve()), configured)
        else:
            yield _file(root, given, None)


def _file(path: Path, display: str, inside: Path | None) -> FoundFile:
    """``path`` as an input; a symbolic link that is broken, loops, or leads out of the folder
    ``inside`` (when given) comes with its reason."""
    if not path.is_symlink():
        return FoundFile(path, display)
    try:
        path.stat()
    except OSError as error:
        reason = "symbolic link loop" if error.errno == errno.ELOOP else "broken symbolic link"
        return FoundFile(path, display, "error", f"{reason} (not followed)")
    if inside and not Path(os.path.realpath(path)).is_relative_to(inside):
        reason = "symbolic link to a file outside the audited folder (not followed)"
        return FoundFile(path, display, "skipped", reason)
    return FoundFile(path, display)


def _walk(
    root: Path, shown: PurePath, inherited: list[_Rules], configured: _Rules | None
) -> Iterator[FoundFile]:
    real_root = root.resolve()
    rules_of: dict[Path, list[_Rules]] = {root: inherited}  # ignore rules in force per folder
    unreadable: list[OSError] = []  # folders os.walk could not list: reported, not dropped

    def report_unreadable() -> Iterator[FoundFile]:
        while unreadable:
            error = unreadable.pop()
            where = Path(error.filename)
            reason = f"folder cannot be read: {error.strerror}"
            yield FoundFile(where, str(shown / where.relative_to(root)), "error", reason)

    for folder, dirs, files in os.walk(root, onerror=unreadable.append):
        yield from report_unreadable()
        here = Path(folder)
        relative = here.relative_to(root)
        real = real_root / relative
        local = _gitignore(real)
        active = [*rules_of.pop(here), *([local] if local else [])]
        kept = []
        for name in sorted(dirs):
            if _excluded(name, real / name, True, active, configured):
                continue
            if (here / name).is_symlink():
                reason = "symbolic link to a folder (not followed)"
                yield FoundFile(here / name, str(shown / relative / name), "skipped", reason)
                continue
            kept.append(name)
            rules_of[here / name] = active
        dirs[:] = kept
        for name in sorted(files):
            if not _excluded(name, real / name, False, active, configured):
                yield _file(here / name, str(shown / relative / name), real_root)

    yield from report_unreadable()


def _excluded(
    name: str, path: Path, is_dir: bool, gitignores: list[_Rules], configured: _Rules | None
) -> bool:
    if name.startswith(".") or (configured and configured.check(path, is_dir)):
        return True
    decision = None
    for rules in gitignores:  # outermost first: as in git, the deepest matching pattern wins
        verdict = rules.check(path, is_dir)
        if verdict is not None:
            decision = verdict
    return bool(decision)
