"""Turn a file into a ``Document``: its main text, its metadata, and a map back to its lines.

Markdown keeps its body as written (front matter, YAML ``---`` or Hugo's TOML ``+++``, becomes
metadata), so offsets map one to one onto the file's lines. HTML main text comes from
trafilatura, which drops navigation, related links and newsletter boxes that are not the article.
"""

from __future__ import annotations

import bisect
import codecs
import html
import itertools
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import charset_normalizer
import trafilatura
import yaml

from .models import Document, LineMap, Status

MARKDOWN = {".md", ".markdown"}
HTML = {".html", ".htm"}
TEXT = {".txt"}
SUPPORTED = MARKDOWN | HTML | TEXT

# UTF-32 first: its little-endian BOM begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# YAML between "---" lines, or TOML between "+++" lines (Hugo), each with its loader.
_FRONT_MATTER: tuple[tuple[re.Pattern[str], Callable[[str], Any]], ...] = (
    (re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M), yaml.safe_load),
    (re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*\r?\n?", re.S | re.M), tomllib.loads),
)


class Unreadable(Exception):
    """The file cannot be audited; ``status`` says whether it was skipped or failed."""

    def __init__(self, status: Status, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def read_text(path: Path) -> str:
    """Read a text file, refusing binaries and undecodable bytes with a clear reason."""
    try:
        if not path.is_file() and path.exists():  # a FIFO or device would block or never end
            raise Unreadable("skipped", "not a regular file")
        data = path.read_bytes()
    except OSError as error:
        raise Unreadable("error", f"cannot be read: {error.strerror or error}") from error
    return decode(data)


def decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise Unreadable("error", f"invalid {encoding.upper()}: {error.reason}") from error
    if b"\0" in data[:8192]:
        raise Unreadable("skipped", "binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _decode_legacy(data, error)


def _decode_legacy(data: bytes, error: UnicodeDecodeError) -> str:
    """Text in a legacy 8-bit encoding, as charset_normalizer detects it. Windows-1252, the
    encoding most undeclared Western text uses, wins whenever it reads the bytes as cleanly as
    the best guess: short English texts otherwise pass for Baltic or Central European code
    pages."""
    guesses = charset_normalizer.from_bytes(data)
    best = guesses.best()
    if best is None:
        raise Unreadable(
            "error",
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}) "
            "nor text in a legacy encoding",
        ) from error
    western = (g for g in guesses if "cp1252" in g.could_be_from_charset and g.chaos <= best.chaos)
    return str(next(western, best))


def extract_file(path: Path, display: str | None = None) -> Document:
    """Extract the document in ``path``; ``display`` is the path reports show."""
    shown = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        kind = f"'{suffix}'" if suffix else "without an extension"
        raise Unreadable("skipped", f"not a text format provenance reads (file {kind})")
    raw = read_text(path)
    if suffix in HTML:
        return extract_html(raw, shown)
    if suffix in MARKDOWN:
        return extract_markdown(raw, shown)
    return Document(shown, raw, "text", {}, _line_map(raw, first_line=1), raw)


def extract_markdown(raw: str, path: str) -> Document:
    metadata, body, first_line = split_front_matter(raw)
    return Document(path, body, "markdown", metadata, _line_map(body, first_line), raw)


def split_front_matter(raw: str) -> tuple[dict[str, Any], str, int]:
    """Return (metadata, body, line number of the body's first line)."""
    for pattern, load in _FRONT_MATTER:
        match = pattern.match(raw)
        if not match:
            continue
        try:
            loaded = load(match.group(1))
        except (yaml.YAMLError, tomllib.TOMLDecodeError) as error:
            raise Unreadable("error", f"malformed front matter: {_first_line(error)}") from error
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise Unreadable("error", "malformed front matter: expected key: value pairs")
        return loaded, raw[match.end() :], raw.count("\n", 0, match.end()) + 1
    return {}, raw, 1


def extract_html(raw: str, path: str) -> Document:
    text = trafilatura.extract(raw, output_format="txt", include_comments=False) or ""
    meta = trafilatura.extract_metadata(raw)
    metadata: dict[str, Any] = {}
    if meta is not None:
        fields = ("title", "author", "url", "date", "sitename", "license", "description")
        metadata = {k: getattr(meta, k) for k in fields if getattr(meta, k, None)}
    return Document(path, text, "html", metadata, _html_line_map(raw, text), raw)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _line_map(text: str, first_line: int) -> LineMap:
    anchors = [(0, first_line, 1)]
    for number, match in enumerate(_LINE_BREAK.finditer(text), start=first_line + 1):
        anchors.append((match.end(), number, 1))
    return LineMap(tuple(anchors))


_MARKUP = re.compile(r"<!--.*?-->|<[^>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|\w+);", re.S)


def _visible(raw: str) -> tuple[str, list[int]]:
    """The HTML source with tags blanked and entities decoded, and for each character of that
    the offset in ``raw`` it came from."""
    out: list[str] = []
    origin: list[int] = []
    position = 0
    for markup in _MARKUP.finditer(raw):
        out.append(raw[position : markup.start()])
        origin.extend(range(position, markup.start()))
        text = html.unescape(markup.group()) if markup.group().startswith("&") else " "
        out.append(text)
        origin.extend([markup.start()] * len(text))
        position = markup.end()
    out.append(raw[position:])
    origin.extend(range(position, len(raw)))
    return "".join(out), origin


def _html_line_map(raw: str, text: str) -> LineMap:
    """Anchor each extracted line at the place its first words appear in the HTML source.

    Extraction loses positions, so this is a search, in order, through the page's visible text
    (tags blanked, entities decoded). A line that cannot be found keeps the previous anchor.
    """
    visible, origin = _visible(raw)
    line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(raw)]
    anchors = [(0, 1, 1)]
    cursor = 0
    offset = 0
    for line in text.split("\n"):
        words = list(itertools.islice(re.finditer(r"\w+", line), 6))
        if words:
            first = words[0]
            pattern = r"\W+".join(re.escape(w.group()) for w in words)
            found = re.compile(pattern).search(visible, cursor)
            if found:
                cursor = found.start()
                at = origin[cursor]
                number = bisect.bisect_right(line_starts, at) - 1
                column = at - line_starts[number] + 1
                # the line may start with punctuation before its first word
                anchors.append((offset, number + 1, max(column - first.start(), 1)))
        offset += len(line) + 1
    return LineMap(tuple(anchors))
