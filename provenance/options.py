"""Option schemas, shared by the configuration file and the rule packs.

A schema entry is a type (``str``, ``int``), ``[type]`` for a list of that type, or a tuple of
the allowed values.
"""

from __future__ import annotations

from typing import Any


def _valid(value: Any, kind: Any) -> bool:
    if isinstance(kind, tuple):
        return value in kind
    if isinstance(kind, list):
        return isinstance(value, list) and all(_valid(v, kind[0]) for v in value)
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def _describe(kind: Any) -> str:
    if isinstance(kind, tuple):
        return "one of " + ", ".join(map(repr, kind))
    if isinstance(kind, list):
        return f"a list of {kind[0].__name__}"
    return f"a {kind.__name__}"


def problems(values: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """What is wrong with ``values`` under ``schema``: unknown keys and values of the wrong
    type, one message each."""
    found = []
    for key, value in values.items():
        if key not in schema:
            found.append(f"unknown key '{key}' (known: {', '.join(schema)})")
        elif not _valid(value, schema[key]):
            found.append(f"'{key}' must be {_describe(schema[key])}, not {value!r}")
    return found
