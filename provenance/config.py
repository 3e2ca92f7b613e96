"""Project configuration: ``provenance.toml``, or ``[tool.provenance]`` in ``pyproject.toml``.

Found by looking upward from the audited path (or given with ``--config``). Paths in it are
relative to the file's folder. Command-line options override it.

    sources = ["originals"]          # folders/files of sources to index before auditing
    index = ".provenance/index.sqlite"
    fail-on = "error"                # error | warning | info | never
    exclude = ["drafts/", "*.tmp.md"]  # gitignore-style, relative to this file
    packs = ["packs/our-partner.toml"] # extra publisher packs
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import SEVERITIES
from .options import problems

FAIL_ON = (*SEVERITIES, "never")
_KEYS: dict[str, Any] = {
    "sources": [str],
    "index": str,
    "fail-on": FAIL_ON,
    "exclude": [str],
    "packs": [str],
}


class ConfigError(Exception):
    """The configuration is invalid; the message names the file."""


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    sources: tuple[str, ...] = ()
    index: str | None = None
    fail_on: str = "error"
    exclude: tuple[str, ...] = ()
    packs: tuple[str, ...] = ()

    @property
    def base(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


def find_config(start: Path) -> Path | None:
    """The nearest ``provenance.toml`` or ``pyproject.toml`` with ``[tool.provenance]``."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else start.parents:
        candidate = folder / "provenance.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "provenance" in _load(pyproject).get("tool", {}):
            return pyproject
    return None


def _load(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error


def load_config(path: Path) -> Config:
    data = _load(path)
    where = str(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("provenance", {})
        where += " [tool.provenance]"
    wrong = problems(data, _KEYS)
    if wrong:
        raise ConfigError(f"{where}: {wrong[0]}")
    base = path.parent

    def relative(p: str) -> str:
        return str(base / p)

    return Config(
        path=path,
        sources=tuple(map(relative, data.get("sources", []))),
        index=relative(data["index"]) if "index" in data else None,
        fail_on=data.get("fail-on", "error"),
        exclude=tuple(data.get("exclude", [])),
        packs=tuple(map(relative, data.get("packs", []))),
    )


def resolve_config(explicit: str | None, start: Path) -> Config:
    """The configuration named on the command line, else the nearest one, else defaults."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: configuration file not found")
        return load_config(path)
    found = find_config(start)
    return load_config(found) if found else Config()
