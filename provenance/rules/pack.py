"""Publisher packs: a publisher's (or a licence's) terms as data (``packs/*.toml``), validated on
load.

A pack names the publisher, the names and domains that identify it, its licence (SPDX id), the
notice it requires (a ``template`` to show and a ``pattern`` that accepts its variants, with the
year captured as ``(?P<year>...)``), and the rules that apply with their options. A pack may
``extends`` another: it inherits the other's licence, notice and rules, and its own rule tables
replace inherited ones. Patterns run on RE2, so a pack (a user may write one) can never make the
audit hang.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import re2

from ..models import Source
from .errors import PackError
from .registry import validate

_KEYS = {"id", "name", "names", "domains", "license", "extends", "notice", "rules"}


@dataclass(frozen=True)
class Notice:
    """A required notice: ``template`` (fields ``{year}``, ``{author}``, ``{title}``, ``{url}``,
    ``{date}`` from the source) and a ``pattern`` accepting its variants."""

    template: str
    pattern: Any  # a compiled RE2 pattern

    def required(self, source: Source | None) -> str:
        fields = {
            "year": "YEAR",
            "author": "AUTHOR",
            "title": "TITLE",
            "url": "URL",
            "date": "DATE",
        }
        if source:
            known = {
                "year": source.year,
                "author": source.author,
                "title": source.title,
                "url": source.url,
                "date": source.published,
            }
            fields |= {k: str(v) for k, v in known.items() if v}
        return self.template.format_map(fields)

    def accepts(self, text: str) -> bool:
        return bool(self.pattern.fullmatch(" ".join(text.split())))


@dataclass(frozen=True)
class Pack:
    id: str
    name: str
    names: Any = None  # a compiled RE2 pattern, or None for a licence pack that names no one
    domains: tuple[str, ...] = ()
    license: str | None = None
    notice: Notice | None = None
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)

    def named_in(self, text: str) -> bool:
        return bool(self.names and self.names.search(text))

    def owns(self, url: str) -> bool:
        return self.owns_host(host_of(url))

    def owns_host(self, host: str) -> bool:
        return any(host == d or host.endswith("." + d) for d in self.domains)


def host_of(url: str) -> str:
    """The lower-cased host name of ``url`` ("" if it has none)."""
    return (urlsplit(url).hostname or "").lower()


def _require(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise PackError(f"{where}: '{key}' must be a {kind.__name__}")
    return value


def _compile(pattern: str, where: str) -> Any:
    try:
        return re2.compile(f"(?i){pattern}")
    except re2.error as error:
        raise PackError(f"{where}: invalid pattern {pattern!r}: {error}") from error


def _strings(data: dict[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PackError(f"{where}: '{key}' must be a list of non-empty strings")
    return value


def parse_pack(data: dict[str, Any], where: str, known: dict[str, Pack] | None = None) -> Pack:
    """Build a pack from parsed TOML. ``known`` holds the packs it may extend; rule options are
    validated by ``rules.validate``."""
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise PackError(f"{where}: unknown key(s) {', '.join(unknown)}")
    base = Pack(id="", name="")
    if "extends" in data:
        parent = _require(data, "extends", str, where)
        if parent not in (known or {}):
            raise PackError(f"{where}: 'extends' names an unknown pack '{parent}'")
        base = (known or {})[parent]
    names = _strings(data, "names", where)
    notice = base.notice
    if "notice" in data:
        spec = _require(data, "notice", dict, where)
        notice = Notice(
            _require(spec, "template", str, f"{where} [notice]"),
            _compile(_require(spec, "pattern", str, f"{where} [notice]"), f"{where} [notice]"),
        )
    rules = {
        rule_id: validate(rule_id, conf, f"{where} [rules.{rule_id}]")
        for rule_id, conf in data.get("rules", {}).items()
    }
    license = data.get("license", base.license)
    if license is not None and not isinstance(license, str):
        raise PackError(f"{where}: 'license' must be a str")
    return Pack(
        id=_require(data, "id", str, where),
        name=_require(data, "name", str, where),
        names=_compile("|".join(f"(?:{n})" for n in names), where) if names else None,
        domains=tuple(d.lower() for d in _strings(data, "domains", where)),
        license=license,
        notice=notice,
        rules={**base.rules, **rules},
    )


def _read(path: Path | Any, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PackError(f"{where}: {error}") from error


def _parse_all(entries: Iterable[tuple[dict[str, Any], str]], known: dict[str, Pack]) -> None:
    """Parse packs into ``known``, each after the pack it extends, whatever the order."""
    waiting = list(entries)
    while waiting:
        ready = [e for e in waiting if e[0].get("extends") in (None, *known)]
        if not ready:  # what is left extends something unknown, or a cycle
            ready = waiting[:1]
        for data, where in ready:
            pack = parse_pack(data, where, known)
            known[pack.id] = pack
            waiting.remove((data, where))


def load_pack(path: Path, known: dict[str, Pack] | None = None) -> Pack:
    """One pack file; it may extend a pack in ``known`` (default: the built-in packs)."""
    where = str(path)
    return parse_pack(_read(path, where), where, builtin_packs() if known is None else known)


def builtin_packs() -> dict[str, Pack]:
    """The packs shipped in ``packs/``, by id (a copy: callers may add their own)."""
    return dict(_builtin())


@cache
def _builtin() -> dict[str, Pack]:
    folder = resources.files(__package__).joinpath("packs")
    entries = [
        (_read(entry, f"packs/{entry.name}"), f"packs/{entry.name}")
        for entry in sorted(folder.iterdir(), key=str)
        if entry.name.endswith(".toml")
    ]
    packs: dict[str, Pack] = {}
    _parse_all(entries, packs)
    return dict(sorted(packs.items()))
