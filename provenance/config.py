"""Project configuration: ``provenance.toml``, or ``[tool.provenance]`` in ``pyproject.toml``.

Found by looking upward from the audited path (or given with ``--config``). Paths in it are
relative to the file's folder. Command-line options override it. Every error names the file
and the line of the offending key (``provenance.toml:7: …``).

    sources = ["originals"]          # folders/files of sources to index before auditing
    index = ".provenance/index.sqlite"
    fail-on = "error"                # error | warning | info | never
    exclude = ["drafts/", "*.tmp.md"]  # gitignore-style, relative to this file
    packs = ["packs/our-partner.toml"] # extra publisher packs
    baseline = "provenance-baseline.json"
    jobs = 4                         # processes auditing at once (default: the processors)

    [site]
    commercial = true
    licences = ["ap"]                # publishers the site holds a licence from
    license = "CC-BY-4.0"            # the site's own content licence (SPDX)

    [rules]
    third-party-content = "error"    # or "warning", "info", "off"

    [fetch]                          # how URLs are fetched (see ``fetch.FetchOptions``)
    user-agent = "our-audit/1.0 (audit@example.org)"
    allow-networks = ["10.20.0.0/16"]  # an intranet to audit
    concurrency = 16
    per-host = 2
    delay = 1.0                      # seconds between two requests to one host
    timeout = 60
    retries = 3

    [limits]                         # bounds on the work one input may cause
    max-file-size = "10 MiB"         # larger files and pages are skipped, with the reason
    max-align-words = 5000000        # words aligned per document, over all its candidates

    [[custom-rules]]                 # see ``rules.custom``
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from .fetch import FetchOptions
from .limits import Limits, parse_size
from .models import SEVERITIES, Severity, SiteProfile
from .options import KeyPath, TableOf, check, dotted
from .rules.custom import TABLE, CustomRule, CustomRuleError, parse_custom_rules

FAIL_ON = (*SEVERITIES, "never")
LEVELS = (*SEVERITIES, "off")  # what ``[rules]`` may set a rule to
_KEYS: dict[str, Any] = {
    "sources": [str],
    "index": str,
    "fail-on": FAIL_ON,
    "exclude": [str],
    "packs": [str],
    "baseline": str,
    "jobs": int,
    "site": {"commercial": bool, "licences": [str], "license": str},
    "rules": TableOf(LEVELS),
    "fetch": {
        "user-agent": str,
        "allow-networks": [str],
        "concurrency": int,
        "per-host": int,
        "delay": float,
        "timeout": float,
        "retries": int,
    },
    "limits": {"max-file-size": str, "max-align-words": int},
    TABLE: [dict],
}
# [fetch] keys to FetchOptions fields.
_FETCH = {
    "user-agent": "user_agent",
    "allow-networks": "allow_networks",
    "concurrency": "concurrency",
    "per-host": "per_host",
    "delay": "delay",
    "timeout": "total_timeout",
    "retries": "retries",
}
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}#\r\n]+")  # numbers, booleans, dates: up to what ends a value


class _KeyLines:
    """The line where each key, table and array entry of a TOML text is defined.

    tomllib gives values without positions; this scans the (already valid) text for its keys
    alone: headers (``[a.b]``, ``[[a.b]]``), dotted keys, inline tables and arrays, skipping the
    contents of strings. Array entries are keyed by their index: ``("custom-rules", 1, "id")``.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.lines: dict[KeyPath, int] = {}
        self.entries: dict[KeyPath, int] = {}  # array-of-tables path -> entries so far
        self._document()

    def _line(self) -> int:
        return self.text.count("\n", 0, self.at) + 1

    def _peek(self, n: int = 1) -> str:
        return self.text[self.at : self.at + n]

    def _blank(self, newlines: bool = False) -> None:
        """Skip spaces (and, with ``newlines``, line ends and comments)."""
        while self.at < len(self.text):
            char = self.text[self.at]
            if char in " \t" or (newlines and char in "\r\n"):
                self.at += 1
            elif newlines and char == "#":
                self._to_line_end()
            else:
                return

    def _to_line_end(self) -> None:
        end = self.text.find("\n", self.at)
        self.at = len(self.text) if end < 0 else end

    def _string(self) -> str:
        """Skip a string; return its source text (quotes included)."""
        start = self.at
        quote = self._peek()
        delimiter = quote * 3 if self._peek(3) == quote * 3 else quote
        self.at += len(delimiter)
        while self.at < len(self.text):
            if quote == '"' and self._peek() == "\\":
                self.at += 2
            elif self._peek(len(delimiter)) == delimiter:
                self.at += len(delimiter)
                while len(delimiter) == 3 and self._peek() == quote:  # quotes ending the content
                    self.at += 1
                break
            else:
                self.at += 1
        return self.text[start : self.at]

    def _key(self) -> tuple[str, ...]:
        parts = []
        while True:
            self._blank()
            if self._peek() in ('"', "'"):
                parts.append(str(tomllib.loads(f"k = {self._string()}")["k"]))
            else:
                bare = _BARE_KEY.match(self.text, self.at)
                if not bare:
                    return tuple(parts)
                parts.append(bare.group())
                self.at = bare.end()
            self._blank()
            if self._peek() != ".":
                return tuple(parts)
            self.at += 1

    def _record(self, path: KeyPath, line: int) -> None:
        for end in range(1, len(path) + 1):  # a dotted key defines the tables above it too
            self.lines.setdefault(path[:end], line)

    def _value(self, path: KeyPath) -> None:
        char = self._peek()
        if char in ('"', "'"):
            self._string()
        elif char and char in "[{":
            closing, index = ("]" if char == "[" else "}"), 0
            self.at += 1
            while self.at < len(self.text):
                self._blank(newlines=True)
                if self._peek() in (closing, ""):
                    self.at += 1
                    return
                if closing == "]":
                    self._record((*path, index), self._line())
                    self._value((*path, index))
                    index += 1
                else:
                    self._pair(path)
                self._blank(newlines=True)
                if self._peek() == ",":
                    self.at += 1
        else:
            scalar = _SCALAR.match(self.text, self.at)
            self.at = scalar.end() if scalar else self.at + 1

    def _pair(self, table: KeyPath) -> None:
        line = self._line()
        key = self._key()
        self._blank()
        if not key or self._peek() != "=":
            self._to_line_end()  # not a key/value pair: the text is not what tomllib read
            return
        self.at += 1
        self._blank()
        self._record((*table, *key), line)
        self._value((*table, *key))

    def _resolve(self, key: tuple[str, ...]) -> KeyPath:
        """A header's key with the current entry of each array of tables it passes through."""
        path: KeyPath = ()
        for part in key:
            path = (*path, part)
            if path in self.entries:
                path = (*path, self.entries[path] - 1)
        return path

    def _document(self) -> None:
        table: KeyPath = ()
        while True:
            self._blank(newlines=True)
            if self.at >= len(self.text):
                return
            line = self._line()
            if self._peek(2) == "[[":
                self.at += 2
                key = self._key()
                parent = self._resolve(key[:-1])
                array = (*parent, key[-1])
                self.entries[array] = self.entries.get(array, 0) + 1
                table = (*array, self.entries[array] - 1)
                self._record(table, line)
                self._to_line_end()
            elif self._peek() == "[":
                self.at += 1
                table = self._resolve(self._key())
                self._record(table, line)
                self._to_line_end()
            else:
                self._pair(table)
                self._blank()
                if self._peek() == "#":
                    self._to_line_end()


def key_lines(text: str) -> dict[KeyPath, int]:
    """The line (1-based) where each key path of a valid TOML text is defined."""
    return _KeyLines(text).lines


class ConfigError(Exception):
    """The configuration is invalid; the message names the file and, where it can, the line."""


@dataclass(frozen=True)
class _Origin:
    """Where a configuration came from, to point errors at the line of the key they are about."""

    path: Path
    prefix: KeyPath  # where the configuration's table is: ``("tool", "provenance")`` or ``()``
    lines: dict[KeyPath, int]

    def error(self, key: KeyPath, message: str) -> ConfigError:
        full = (*self.prefix, *key)
        for end in range(len(full), 0, -1):  # the key, else the nearest table holding it
            if full[:end] in self.lines:
                return ConfigError(f"{self.path}:{self.lines[full[:end]]}: {message}")
        return ConfigError(f"{self.path}: {message}")


@dataclass(frozen=True)
class Config:
    """A validated configuration; paths in it are resolved against the file's folder.

    ``severities`` holds the ``[rules]`` levels of built-in rules (``"off"`` included); those of
    custom rules are applied to ``custom_rules`` already, and custom rules that are off dropped.
    """

    path: Path | None = None
    sources: tuple[str, ...] = ()
    index: str | None = None
    fail_on: str = "error"
    exclude: tuple[str, ...] = ()
    packs: tuple[str, ...] = ()
    baseline: str | None = None
    jobs: int | None = None  # processes auditing at once; None: one per processor
    site: SiteProfile = field(default_factory=SiteProfile)
    severities: dict[str, str] = field(default_factory=dict)  # built-in rule id -> level
    custom_rules: tuple[CustomRule, ...] = ()
    fetch: FetchOptions = field(default_factory=FetchOptions)
    limits: Limits = field(default_factory=Limits)
    origin: _Origin | None = field(default=None, repr=False, compare=False)

    @property
    def base(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def resolve_names(
        self, rules: Collection[str], publisher: Callable[[str], str | None]
    ) -> Config:
        """Check the rule ids and publishers the configuration names, now that the rules and
        packs are known; publishers named by name (``"Associated Press"``) become pack ids.

        ``publisher`` maps a pack id or publisher name to its pack id, or ``None``.
        """
        if not self.origin:
            return self
        error = self.origin.error
        for rule_id in self.severities:
            if rule_id not in rules:
                raise error(
                    ("rules", rule_id), f"unknown rule '{rule_id}' (see `provenance rules`)"
                )
        for i, custom in enumerate(self.custom_rules):
            if custom.id in rules:
                raise error(
                    (TABLE, i, "id"),
                    f"'{custom.id}' is a built-in rule: choose another id",
                )

        def pack_ids(names: tuple[str, ...], key: KeyPath) -> tuple[str, ...]:
            ids = []
            for i, name in enumerate(names):
                pack_id = publisher(name)
                if pack_id is None:
                    raise error((*key, i), f"no publisher pack for '{name}' in '{dotted(key)}'")
                ids.append(pack_id)
            return tuple(dict.fromkeys(ids))

        site = replace(self.site, licences=pack_ids(self.site.licences, ("site", "licences")))
        custom_rules = tuple(
            replace(c, publishers=pack_ids(c.publishers, (TABLE, i, "publishers")))
            for i, c in enumerate(self.custom_rules)
        )
        return replace(self, site=site, custom_rules=custom_rules)


def find_config(start: Path) -> Path | None:
    """The nearest ``provenance.toml`` or ``pyproject.toml`` with ``[tool.provenance]``."""
    start = Path(os.path.realpath(start))  # never raises, even on a link loop
    for folder in [start, *start.parents] if start.is_dir() else start.parents:
        candidate = folder / "provenance.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "provenance" in _load(pyproject)[0].get("tool", {}):
            return pyproject
    return None


def _load(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text: {error.reason}") from error
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        if position:
            line, column = position.groups()
            message = message[: position.start()]
            raise ConfigError(f"{path}:{line}:{column}: invalid TOML: {message}") from error
        raise ConfigError(f"{path}: invalid TOML: {message}") from error


def load_config(path: Path) -> Config:
    """Read and validate one configuration file (``resolve_names`` checks rule and pack names)."""
    data, text = _load(path)
    prefix: KeyPath = ()
    if path.name == "pyproject.toml":
        prefix = ("tool", "provenance")
        data = data.get("tool", {}).get("provenance", {})
    origin = _Origin(path, prefix, key_lines(text))
    for key, message in check(data, _KEYS):
        raise origin.error(key, message)
    base = path.parent

    def relative(p: str) -> str:
        return str(base / p)

    try:
        custom_rules = parse_custom_rules(data.get(TABLE, []), base)
    except CustomRuleError as error:
        raise origin.error(error.key, str(error)) from error
    custom_rules, severities = _apply_levels(custom_rules, data.get("rules", {}))
    site = data.get("site", {})
    if data.get("jobs", 1) < 1:
        raise origin.error(("jobs",), f"jobs must be at least 1, not {data['jobs']}")
    return Config(
        path=path,
        sources=tuple(map(relative, data.get("sources", []))),
        index=_index(data["index"], relative) if "index" in data else None,
        fail_on=data.get("fail-on", "error"),
        exclude=tuple(data.get("exclude", [])),
        packs=tuple(map(relative, data.get("packs", []))),
        baseline=relative(data["baseline"]) if "baseline" in data else None,
        jobs=data.get("jobs"),
        site=SiteProfile(
            commercial=site.get("commercial", False),
            licences=tuple(site.get("licences", [])),
            license=site.get("license"),
        ),
        severities=severities,
        custom_rules=custom_rules,
        fetch=_fetch_options(data.get("fetch", {}), origin),
        limits=_limits(data.get("limits", {}), origin),
        origin=origin,
    )


def _fetch_options(table: dict[str, Any], origin: _Origin) -> FetchOptions:
    options = {_FETCH[key]: value for key, value in table.items()}
    if "allow_networks" in options:
        options["allow_networks"] = tuple(options["allow_networks"])
    try:
        return FetchOptions(**options)
    except ValueError as error:
        raise origin.error(("fetch",), f"[fetch]: {error}") from error


def _limits(table: dict[str, Any], origin: _Origin) -> Limits:
    limits = Limits()
    for key, value in table.items():
        try:
            parsed = parse_size(value) if key == "max-file-size" else value
            limits = replace(limits, **{key.replace("-", "_"): parsed})
        except ValueError as error:
            raise origin.error(("limits", key), f"[limits]: {error}") from error
    return limits


def _apply_levels(
    custom_rules: tuple[CustomRule, ...], levels: dict[str, str]
) -> tuple[tuple[CustomRule, ...], dict[str, str]]:
    """``[rules]`` may set a custom rule's severity too: applied here, so the engine sees only
    the custom rules that are on, and only built-in rule ids in the severities it applies."""
    custom = {c.id for c in custom_rules}
    kept = tuple(
        replace(c, severity=cast(Severity, levels.get(c.id, c.severity)))
        for c in custom_rules
        if levels.get(c.id) != "off"
    )
    return kept, {rule: level for rule, level in levels.items() if rule not in custom}


def resolve_config(explicit: str | None, start: Path) -> Config:
    """The configuration named on the command line, else the nearest one, else defaults."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: configuration file not found")
        return load_config(path)
    found = find_config(start)
    return load_config(found) if found else Config()


def _index(location: str, relative: Callable[[str], str]) -> str:
    """An index location from a configuration file: a path is relative to the file, a
    server's address (``redis://...``) is not a path."""
    return location if "://" in location else relative(location)
