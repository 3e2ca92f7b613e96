"""Publisher packs: a publisher's terms as data (``packs/*.toml``), validated on load.

A pack names the publisher, the domains and names that identify it, its licence, the notice it
requires (a ``template`` to show and a ``pattern`` that accepts its variants, with the year
captured as ``(?P<year>...)``), and the rules that apply with their options.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import PackError
from .registry import validate


@dataclass(frozen=True)
class Notice:
    template: str
    pattern: re.Pattern[str]

    def required(self, year: int | None) -> str:
        return self.template.format(year=year if year else "YEAR")

    def accepts(self, text: str) -> bool:
        return bool(self.pattern.fullmatch(" ".join(text.split())))


@dataclass(frozen=True)
class Pack:
    id: str
    name: str
    names: re.Pattern[str]
    domains: tuple[str, ...] = ()
    license: str | None = None
    notice: Notice | None = None
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)

    def named_in(self, text: str) -> bool:
        return bool(self.names.search(text))

    def owns(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)


def _require(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise PackError(f"{where}: '{key}' must be a {kind.__name__}")
    return value


def _compile(pattern: str, where: str, flags: int = re.I) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as error:
        raise PackError(f"{where}: invalid pattern {pattern!r}: {error}") from error


def parse_pack(data: dict[str, Any], where: str) -> Pack:
    """Build a pack from parsed TOML; rule options are validated by ``rules.validate``."""
    known = {"id", "name", "names", "domains", "license", "notice", "rules"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise PackError(f"{where}: unknown key(s) {', '.join(unknown)}")
    names = _require(data, "names", list, where)
    domains = data.get("domains", [])
    if not names or not all(isinstance(n, str) and n for n in names):
        raise PackError(f"{where}: 'names' must be a non-empty list of patterns")
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise PackError(f"{where}: 'domains' must be a list of strings")
    notice = None
    if "notice" in data:
        spec = _require(data, "notice", dict, where)
        notice = Notice(
            _require(spec, "template", str, f"{where} [notice]"),
            _compile(_require(spec, "pattern", str, f"{where} [notice]"), f"{where} [notice]"),
        )
    rules = {
        rule_id: validate(rule_id, conf, f"{where} [rules.{rule_id}]")
        for rule_id, conf in _require(data, "rules", dict, where).items()
    }
    return Pack(
        id=_require(data, "id", str, where),
        name=_require(data, "name", str, where),
        names=_compile("|".join(f"(?:{n})" for n in names), where),
        domains=tuple(d.lower() for d in domains),
        license=data.get("license"),
        notice=notice,
        rules=rules,
    )


def load_pack(path: Path) -> Pack:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PackError(f"{path}: {error}") from error
    return parse_pack(data, str(path))


def builtin_packs() -> dict[str, Pack]:
    packs = {}
    for entry in sorted(resources.files(__package__).joinpath("packs").iterdir(), key=str):
        if entry.name.endswith(".toml"):
            pack = parse_pack(
                tomllib.loads(entry.read_text(encoding="utf-8")), f"packs/{entry.name}"
            )
            packs[pack.id] = pack
    return packs
