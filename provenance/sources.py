"""Read original articles (the index's sources) from folders, files and JSON Lines.

A folder holds ``.md`` (YAML or TOML front matter), ``.html``, ``.txt`` and ``.jsonl`` files; a
``.jsonl`` file holds one JSON object per line with a ``text`` field. Fields: ``id`` (default: the
path relative to the folder, ``#N`` for line N of a JSON Lines file), ``publisher`` (default:
inferred from the ``url``'s domain), ``url``, ``title``, ``author``, ``published``, ``license``.
A fetched page (``read_page``) is a source too: its id is its URL, its fields the page's
metadata.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .discover import discover
from .extract import Unreadable, extract_file
from .fetch import FetchResult
from .fingerprint import PARAMETERS
from .models import Document, Source
from .web import page_document

FIELDS = ("publisher", "url", "title", "author", "published", "license")
_SOURCE_FIELDS = list(Source.__dataclass_fields__)
PublisherOf = Callable[[str], "str | None"]


@dataclass(frozen=True)
class SourceEntry:
    """A source as read, with the folder or file it came from (``origin``)."""

    source: Source
    origin: str

    @cached_property
    def digest(self) -> str:
        """Changes when the source or the fingerprint parameters change."""
        # Every field is text or None: \1 marks text, \0 None, \2 ends a field.
        fields = (getattr(self.source, name) for name in _SOURCE_FIELDS)
        payload = "\2".join([PARAMETERS, *("\0" if v is None else "\1" + v for v in fields)])
        return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class SourceProblem:
    """A source that could not be read. ``source_id`` is the id it would have had, when that is
    known, so that an index update keeps its last good version instead of deleting it."""

    location: str
    reason: str
    source_id: str | None = None


def read_sources(location: str, publisher_of: PublisherOf) -> Iterator[SourceEntry | SourceProblem]:
    """Read every source under ``location`` (a folder or a file); problems are yielded, not
    raised, so one bad file never stops the rest. Raises ``FileNotFoundError`` if it is missing."""
    root = Path(location)
    origin = str(root.resolve())
    if root.is_dir():
        for found in discover([location]):
            if found.status:  # an unreadable folder may hide ids: no source_id, no removals
                yield SourceProblem(found.display, found.reason or found.status)
                continue
            relative = found.path.relative_to(root).as_posix()
            yield from _read_file(found.path, relative, origin, publisher_of)
    elif root.exists():
        yield from _read_file(root, root.name, origin, publisher_of)
    else:
        raise FileNotFoundError(location)


def _read_file(
    path: Path, default_id: str, origin: str, publisher_of: PublisherOf
) -> Iterator[SourceEntry | SourceProblem]:
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl(path, default_id, origin, publisher_of)
        return
    try:
        document = extract_file(path)
    except Unreadable as problem:
        yield SourceProblem(str(path), problem.reason, default_id)
        return
    if not document.text.strip():
        yield SourceProblem(str(path), "no text", default_id)
        return
    yield _entry(_fields(document), document.text.strip(), default_id, origin, publisher_of)


def read_page(result: FetchResult, publisher_of: PublisherOf) -> SourceEntry | SourceProblem:
    """A fetched page as a source. Its id and origin are the URL as given; its ``url`` is the
    page's canonical address, else where redirects led. A page that could not be fetched is a
    problem that keeps the source's last good version."""
    try:
        document = page_document(result)
    except Unreadable as problem:
        return SourceProblem(result.url, problem.reason, result.url)
    if not document.text.strip():
        return SourceProblem(result.url, "no text", result.url)
    fields = _fields(document)
    fields["url"] = document.metadata.get("canonical") or result.final_url or result.url
    return _entry(fields, document.text.strip(), result.url, result.url, publisher_of)


def _fields(document: Document) -> dict[str, Any]:
    fields = {**document.metadata}
    if "published" not in fields and "date" in fields:
        fields["published"] = fields["date"]
    return fields


def _read_jsonl(
    path: Path, default_id: str, origin: str, publisher_of: PublisherOf
) -> Iterator[SourceEntry | SourceProblem]:
    """A line at a time: a JSON Lines file of a million sources never has to fit in memory.
    JSON Lines is UTF-8 (a byte order mark at the start is allowed)."""
    try:
        if not path.is_file():
            raise Unreadable("skipped", "not a regular file")
        file = path.open("rb")
    except Unreadable as problem:
        yield SourceProblem(str(path), problem.reason)
        return
    except OSError as error:
        yield SourceProblem(str(path), f"cannot be read: {error.strerror or error}")
        return
    with file:
        # Split on line feeds only: JSON strings may hold U+2028 and other line separators.
        for number, raw in enumerate(file, start=1):
            where = f"{path}:{number}"
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                yield SourceProblem(where, f"not UTF-8: {error.reason} (byte {error.start + 1})")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield SourceProblem(where, f"invalid JSON: {error.msg} (column {error.colno})")
                continue
            if not isinstance(record, dict):
                yield SourceProblem(where, "expected a JSON object")
                continue
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                yield SourceProblem(where, "missing or empty 'text' field")
                continue
            yield _entry(record, text.strip(), f"{default_id}#{number}", origin, publisher_of)


def _entry(
    fields: dict[str, Any], text: str, default_id: str, origin: str, publisher_of: PublisherOf
) -> SourceEntry:
    values = {name: _as_text(fields.get(name)) for name in FIELDS}
    if not values["publisher"] and values["url"]:
        values["publisher"] = publisher_of(values["url"])
    source_id = _as_text(fields.get("id")) or default_id
    return SourceEntry(Source(id=source_id, text=text, **values), origin)


def _as_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list):  # e.g. several authors
        return ", ".join(str(v) for v in value)
    return str(value)
