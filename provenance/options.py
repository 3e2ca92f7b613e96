"""Option schemas, shared by the configuration file and the rule packs.

A schema entry is a type (``str``, ``int``, ``float`` for any number, ``bool``), ``[kind]`` for
a list of that kind, a tuple of the allowed values, a dict for a table with those keys (each
with its own kind), or ``TableOf(kind)`` for a table whose keys are free and whose values all
have one kind.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

Key = str | int  # a table key, or an index into an array
KeyPath = tuple[Key, ...]


@dataclass(frozen=True)
class TableOf:
    """A table with any keys, each value of ``kind`` (e.g. rule id -> severity)."""

    kind: Any


def _valid(value: Any, kind: Any) -> bool:
    if isinstance(kind, tuple):
        return value in kind
    if isinstance(kind, list):
        return isinstance(value, list) and all(_valid(v, kind[0]) for v in value)
    if isinstance(value, bool):
        return kind is bool
    if kind is float:
        return isinstance(value, int | float)
    return isinstance(value, kind)


def _describe(kind: Any) -> str:
    if isinstance(kind, tuple):
        return "one of " + ", ".join(map(repr, kind))
    if isinstance(kind, list):
        return f"a list of {_describe(kind[0]).removeprefix('a ')}"
    if isinstance(kind, dict):
        return "a table"
    if kind is bool:
        return "true or false"
    if kind is float:
        return "a number"
    return f"a {kind.__name__}"


def dotted(path: KeyPath) -> str:
    """A key path as messages show it: ``custom-rules[1].pattern``."""
    shown = ""
    for key in path:
        shown += f"[{key}]" if isinstance(key, int) else f".{key}" if shown else key
    return shown


def _unknown(path: KeyPath, known: list[str]) -> str:
    key = str(path[-1])
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"
    return f"unknown key '{dotted(path)}' ({hint})"


def check(value: Any, schema: Any, path: KeyPath = ()) -> list[tuple[KeyPath, str]]:
    """What is wrong with ``value`` under ``schema``: for each problem, the path of the key it
    is about and a message."""
    if isinstance(schema, dict | TableOf):
        if not isinstance(value, dict):
            return [(path, f"'{dotted(path)}' must be a table, not {value!r}")]
        found = []
        for key, item in value.items():
            if isinstance(schema, TableOf):
                found += check(item, schema.kind, (*path, key))
            elif key in schema:
                found += check(item, schema[key], (*path, key))
            else:
                found.append(((*path, key), _unknown((*path, key), list(schema))))
        return found
    if isinstance(schema, list):
        if not isinstance(value, list):
            return [(path, f"'{dotted(path)}' must be {_describe(schema)}, not {value!r}")]
        return [p for i, item in enumerate(value) for p in check(item, schema[0], (*path, i))]
    if not _valid(value, schema):
        return [(path, f"'{dotted(path)}' must be {_describe(schema)}, not {value!r}")]
    return []


def problems(values: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """What is wrong with ``values`` under ``schema``: unknown keys and values of the wrong
    type, one message each."""
    return [message for _, message in check(values, schema)]
