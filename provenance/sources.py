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
from .iterables import batched
from .models import Document, Source
from .web import page_document

FIELDS = ("publisher", "url", "title", "author", "published", "license")
_SOURCE_FIELDS = list(Source.__dataclass_fields__)
PublisherOf = Callable[[str], "str | None"]
JSONL_LINES = 250  # lines of a JSON Lines file read as one task


@dataclass(frozen=True)
class SourceEntry:
    """A source as read, with the folder or file it came from (``origin``)."""

    source: Source
    origin: str

    @cached_property
    def digest(self) -> str:
        """Changes when the source or the fingerprint parameters change."""
        # Every field is text or None: \1 marks text, \0 None, \2 ends a field. Hashed a
        # field at a time: the text is not copied into one string first.
        digest = hashlib.sha256(PARAMETERS.encode())
        for name in _SOURCE_FIELDS:
            value = getattr(self.source, name)
            digest.update(b"\2\0" if value is None else b"\2\1")
            if value is not None:
                digest.update(value.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


@dataclass(frozen=True)
class SourceProblem:
    """A source that could not be read. ``source_id`` is the id it would have had, when that is
    known, so that an index update keeps its last good version instead of deleting it."""

    location: str
    reason: str
    source_id: str | None = None


@dataclass(frozen=True)
class FileTask:
    """A file to read as one source."""

    path: Path
    default_id: str
    origin: str


@dataclass(frozen=True)
class LinesTask:
    """Lines of a JSON Lines file as read (bytes), the first of them line number ``first``."""

    path: Path
    default_id: str
    origin: str
    first: int
    lines: tuple[bytes, ...]


# What reading is split into: cheap to find, and each read (parsed, extracted) on its own, so
# that the reading can be spread over processes.
ReadTask = FileTask | LinesTask | FetchResult


def read_sources(location: str, publisher_of: PublisherOf) -> Iterator[SourceEntry | SourceProblem]:
    """Read every source under ``location`` (a folder or a file); problems are yielded, not
    raised, so one bad file never stops the rest. Raises ``FileNotFoundError`` if it is missing."""
    for task in reading_tasks(location):
        if isinstance(task, SourceProblem):
            yield task
        else:
            yield from read_task(task, publisher_of)


def reading_tasks(location: str) -> Iterator[ReadTask | SourceProblem]:
    """What reading every source under ``location`` takes, in order: a task per file, and per
    ``JSONL_LINES`` lines of a JSON Lines file. Raises ``FileNotFoundError`` if it is missing."""
    root = Path(location)
    origin = str(root.resolve())
    if root.is_dir():
        for found in discover([location]):
            if found.status:  # an unreadable folder may hide ids: no source_id, no removals
                yield SourceProblem(found.display, found.reason or found.status)
                continue
            relative = found.path.relative_to(root).as_posix()
            yield from _file_tasks(found.path, relative, origin)
    elif root.exists():
        yield from _file_tasks(root, root.name, origin)
    else:
        raise FileNotFoundError(location)


def read_task(task: ReadTask, publisher_of: PublisherOf) -> list[SourceEntry | SourceProblem]:
    """The sources a task reads, and its problems."""
    if isinstance(task, LinesTask):
        lines = enumerate(task.lines, start=task.first)
        return [
            item for number, raw in lines if (item := _jsonl_line(task, number, raw, publisher_of))
        ]
    if isinstance(task, FileTask):
        return [_read_file(task, publisher_of)]
    return [read_page(task, publisher_of)]


def _file_tasks(path: Path, default_id: str, origin: str) -> Iterator[ReadTask | SourceProblem]:
    if path.suffix.lower() == ".jsonl":
        yield from _jsonl_tasks(path, default_id, origin)
    else:
        yield FileTask(path, default_id, origin)


def _read_file(task: FileTask, publisher_of: PublisherOf) -> SourceEntry | SourceProblem:
    try:
        document = extract_file(task.path)
    except Unreadable as problem:
        return SourceProblem(str(task.path), problem.reason, task.default_id)
    if not document.text.strip():
        return SourceProblem(str(task.path), "no text", task.default_id)
    fields = _fields(document)
    return _entry(fields, document.text.strip(), task.default_id, task.origin, publisher_of)


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


def _jsonl_tasks(path: Path, default_id: str, origin: str) -> Iterator[LinesTask | SourceProblem]:
    """A JSON Lines file, ``JSONL_LINES`` lines at a time: a file of a million sources never
    has to fit in memory."""
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
        for chunk, lines in enumerate(batched(file, JSONL_LINES)):
            yield LinesTask(path, default_id, origin, chunk * JSONL_LINES + 1, tuple(lines))


def _jsonl_line(
    task: LinesTask, number: int, raw: bytes, publisher_of: PublisherOf
) -> SourceEntry | SourceProblem | None:
    """The source on line ``number`` of a JSON Lines file, a problem, or nothing (a blank
    line). JSON Lines is UTF-8 (a byte order mark at the start is allowed)."""
    where = f"{task.path}:{number}"
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as error:
        return SourceProblem(where, f"not UTF-8: {error.reason} (byte {error.start + 1})")
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return SourceProblem(where, f"invalid JSON: {error.msg} (column {error.colno})")
    if not isinstance(record, dict):
        return SourceProblem(where, "expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return SourceProblem(where, "missing or empty 'text' field")
    default_id = f"{task.default_id}#{number}"
    return _entry(record, text.strip(), default_id, task.origin, publisher_of)


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
