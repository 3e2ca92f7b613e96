"""Turn a file into a ``Document``: its main text, its metadata, and a map back to its lines.

Markdown keeps its body as written (front matter, YAML ``---`` or Hugo's TOML ``+++``, becomes
metadata), so offsets map one to one onto the file's lines. HTML main text comes from
``main_text`` (trafilatura, then promotions trimmed), which drops navigation, related links and
newsletter boxes that are not the article. ``extract_page`` reads a page already in memory (a
fetched URL); ``extraction_summary`` is what ``provenance extract`` prints.

An HTML page's metadata is parsed here, once, with lxml (``claims`` reads it from
``Document.metadata``, never from the markup). Keys, each present only when the page has it:

- ``title``, ``author``, ``url``, ``date``, ``sitename``, ``license``, ``description``:
  trafilatura's reading of the page (from its meta tags, JSON-LD and byline).
- ``meta``: the ``<meta>`` tags, ``{name: [content, …]}``, keyed by ``name``, ``property`` or
  ``itemprop`` in lower case (``author``, ``copyright``, ``dc.rights``, ``og:site_name``,
  ``syndication-source``, ``tdm-reservation`` …).
- ``json_ld``: the schema.org JSON-LD objects, as a list (``@graph`` and lists unwrapped; nested
  objects, such as an ``author``, stay in their parent).
- ``canonical``: the ``<link rel="canonical">`` URL.
- ``license_links``: the URLs of ``rel="license"`` links and anchors.
- ``links``: the page's anchors to http(s) URLs, ``{"url", "text", "span"}``, the URL resolved
  against the page's base or canonical URL; ``span`` is where the anchor's text is in the main
  text, or ``None`` for anchors outside it.
- ``boilerplate``: the lines of the page's visible text that are not in the main text (header,
  navigation, footer, asides), in page order.
"""

from __future__ import annotations

import bisect
import codecs
import html
import itertools
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

from .limits import Limits, format_size
from .main_text import main_text
from .models import Document, LineMap, Status

MAX_FILE_SIZE = Limits.max_file_size  # bytes; a larger file is reported, not read
MAX_FRONT_MATTER = 64 * 1024  # characters of front matter; metadata is never that long
# libxml2 stops building an HTML tree this deep (it says so in the parser's log): the text
# below is not read, and the page says so.
_HTML_TOO_DEEP = "Excessive depth in document"
HTML_MAX_DEPTH = 256

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


@cache
def _front_matter_loader() -> type:
    """YAML's safe loader without aliases: front matter has no use for them, and a few lines of
    nested aliases (the "billion laughs") stand for more data than any machine holds. (Made
    when front matter is first read: PyYAML takes a hundredth of a second to load.)"""
    import yaml

    class FrontMatterLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, "YAML aliases are not allowed", mark)
            return super().compose_node(parent, index)

    return FrontMatterLoader


def _load_yaml(text: str) -> Any:
    """YAML front matter; malformed, a ``ValueError`` (as TOML's errors are)."""
    import yaml

    try:
        return yaml.load(text, Loader=_front_matter_loader())  # a SafeLoader: plain data only
    except yaml.YAMLError as error:
        raise ValueError(str(error)) from error


# YAML between "---" lines, or TOML between "+++" lines (Hugo), each with its loader.
_FRONT_MATTER: tuple[tuple[re.Pattern[str], Callable[[str], Any]], ...] = (
    (re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M), _load_yaml),
    (re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*\r?\n?", re.S | re.M), tomllib.loads),
)


class Unreadable(Exception):
    """The file cannot be audited; ``status`` says whether it was skipped or failed."""

    def __init__(self, status: Status, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def read_text(path: Path, max_size: int | None = None) -> str:
    """Read a text file, refusing binaries, undecodable bytes and files over ``max_size`` bytes
    with a clear reason."""
    try:
        if not path.is_file() and path.exists():  # a FIFO or device would block or never end
            raise Unreadable("skipped", "not a regular file")
        with path.open("rb") as file:
            # Never more than the limit, even if the file grows while it is read.
            data = file.read() if max_size is None else file.read(max_size + 1)
    except FileNotFoundError as error:
        raise Unreadable("error", "cannot be read: it no longer exists") from error
    except OSError as error:
        raise Unreadable("error", f"cannot be read: {error.strerror or error}") from error
    if max_size is not None and len(data) > max_size:
        raise Unreadable(
            "skipped",
            f"larger than the file size limit ({format_size(max_size)}; see --max-file-size)",
        )
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
    import charset_normalizer  # a few hundredths of a second to load: only for such text

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


def extract_file(path: Path, display: str | None = None, max_size: int = MAX_FILE_SIZE) -> Document:
    """Extract the document in ``path``; ``display`` is the path reports show. A file over
    ``max_size`` bytes is not read."""
    shown = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        kind = f"'{suffix}'" if suffix else "without an extension"
        raise Unreadable("skipped", f"not a text format provenance reads (file {kind})")
    raw = read_text(path, max_size)
    if suffix in HTML:
        return extract_html(raw, shown)
    if suffix in MARKDOWN:
        return extract_markdown(raw, shown)
    return extract_text(raw, shown)


def extract_text(raw: str, path: str) -> Document:
    return Document(path, raw, "text", {}, _line_map(raw, first_line=1), raw)


def extract_markdown(raw: str, path: str) -> Document:
    metadata, body, first_line = split_front_matter(raw)
    return Document(path, body, "markdown", metadata, _line_map(body, first_line), raw)


def split_front_matter(raw: str) -> tuple[dict[str, Any], str, int]:
    """Return (metadata, body, line number of the body's first line)."""
    for pattern, load in _FRONT_MATTER:
        match = pattern.match(raw)
        if not match:
            continue
        if len(match.group(1)) > MAX_FRONT_MATTER:
            limit = format_size(MAX_FRONT_MATTER)
            raise Unreadable("error", f"malformed front matter: longer than {limit}")
        try:
            loaded = load(match.group(1))
        # Bad dates or tags are ValueErrors (TOML's errors are too); deep nesting,
        # RecursionError: malformed all the same
        except (ValueError, RecursionError) as error:
            raise Unreadable("error", f"malformed front matter: {_first_line(error)}") from error
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise Unreadable("error", "malformed front matter: expected key: value pairs")
        return loaded, raw[match.end() :], raw.count("\n", 0, match.end()) + 1
    return {}, raw, 1


def extract_html(raw: str, path: str, url: str | None = None) -> Document:
    """The page ``raw`` as a ``Document``; ``url``, where the page was fetched from, resolves
    its relative links when it has no ``<base>``."""
    import trafilatura  # loaded with the first page (``main_text`` loads it too)

    text = main_text(raw)
    try:
        meta = trafilatura.extract_metadata(raw)
    except AssertionError:  # htmldate drops the root of some broken pages ("<iframe><!DOCTYPE")
        meta = None
    metadata: dict[str, Any] = {}
    if meta is not None:
        fields = ("title", "author", "url", "date", "sitename", "license", "description")
        metadata = {k: getattr(meta, k) for k in fields if getattr(meta, k, None)}
    found, limits = page_metadata(raw, text, url)
    metadata |= found
    return Document(path, text, "html", metadata, _html_line_map(raw, text), raw, limits)


def extract_page(html: str, url: str | None = None) -> Document:
    """Extract a page held in memory, such as one fetched from ``url`` (which reports show as
    its path; ``-`` without one)."""
    return extract_html(html, url or "-", url)


def extraction_summary(document: Document) -> dict[str, Any]:
    """What ``provenance extract`` prints: ``{"path", "format", "title", "metadata", "text"}``,
    every value JSON-ready (dates from front matter become ISO strings)."""
    metadata = _jsonable(document.metadata)
    title = metadata.get("title") if isinstance(metadata, dict) else None
    return {
        "path": document.path,
        "format": document.format,
        "title": title if isinstance(title, str) else None,
        "metadata": metadata,
        "text": document.text,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):  # dates and times from YAML or TOML front matter
        return value.isoformat()
    return str(value)


# Elements that start a new line of text; and those whose text a reader never sees.
_BLOCK = re.compile(
    r"address|article|aside|blockquote|br|dd|details|div|dl|dt|figcaption|figure|footer|form|"
    r"h[1-6]|header|hr|li|main|nav|ol|p|pre|section|summary|table|td|th|tr|ul"
)
_HIDDEN = ("script", "style", "noscript", "template", "svg", "head", "iframe", "select")
_WORD = re.compile(r"\w+")
_CONTEXT_WORDS = 4  # words either side of an anchor that must be found with it in the main text


def page_metadata(
    raw: str, text: str, url: str | None = None
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """What an HTML page says about itself beyond its main ``text`` (see the module docstring
    for the keys), and the limits the parser hit reading it; ``url`` is the page's own
    address, when known."""
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        tree = lxml.html.document_fromstring(raw.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):  # an empty or markup-less page
        return {}, ()
    limits: tuple[str, ...] = ()
    if any(_HTML_TOO_DEEP in error.message for error in parser.error_log):
        limits = (f"HTML nested more than {HTML_MAX_DEPTH} levels deep: deeper text is not read",)
    meta: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        key = element.get("name") or element.get("property") or element.get("itemprop")
        content = (element.get("content") or "").strip()
        if key and content:
            meta.setdefault(key.strip().lower(), []).append(content)
    # Relative links resolve against the page's own address (as a browser does: <base>, else
    # where it was fetched from; og:url for a file); a syndicated copy's canonical URL is the
    # original's, elsewhere.
    base_tag = tree.find(".//base[@href]")
    base = base_tag.get("href", "").strip() if base_tag is not None else ""
    own = url or next(iter(meta.get("og:url", [])), "")
    page_url = urljoin(own, base) if base else own
    found: dict[str, Any] = {
        "meta": meta,
        "json_ld": _json_ld(tree),
        "canonical": next(iter(_rel_links(tree, "canonical", page_url)), None),
        "license_links": _rel_links(tree, "license", page_url),
    }
    etree.strip_elements(tree, etree.Comment, *_HIDDEN, with_tail=False)
    links, boilerplate = _walk_page(tree.body if tree.find("body") is not None else tree, text)
    found["links"] = [
        {"url": url, "text": anchor, "span": span}
        for href, anchor, span in links
        if (url := _absolute(href, page_url))
    ]
    found["boilerplate"] = boilerplate
    return {key: value for key, value in found.items() if value}, limits


def _absolute(href: str, base: str) -> str | None:
    try:
        url = urljoin(base, href.strip()) if base else href.strip()
        return url if urlsplit(url).scheme in ("http", "https") else None
    except ValueError:  # a malformed host ("http://[x"): not a link anyone can follow
        return None


def _rel_links(tree: Any, rel: str, base: str) -> list[str]:
    """The URLs of ``<link>`` and ``<a>`` elements whose ``rel`` includes ``rel``."""
    urls = []
    for element in tree.iter("link", "a"):
        wanted = rel in (element.get("rel") or "").lower().split()
        if wanted and element.get("href") and (url := _absolute(element.get("href"), base)):
            urls.append(url)
    return list(dict.fromkeys(urls))


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            objects.extend(_json_ld_objects(json.loads(script.text or "")))
        except (ValueError, RecursionError):  # broken JSON-LD is common; the page still counts
            continue
    return objects


def _json_ld_objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_objects(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _json_ld_objects(data["@graph"])
        else:
            yield data


def _walk_page(root: Any, text: str) -> tuple[list[tuple[str, str, list[int] | None]], list[str]]:
    """The page's anchors (href, text, span in ``text`` or ``None``) and the lines of its
    visible text that ``text`` leaves out.

    The page's text is cut into lines at block elements. An anchor is placed in ``text`` by
    finding its words together with up to four words either side from its line: a navigation
    link's lone words ("World") are found in most articles, its line's words are not.
    """
    main_words = f" {' '.join(w.lower() for w in _WORD.findall(text))} "
    lines: list[str] = []
    anchors: list[tuple[str, str, list[int] | None]] = []
    parts: list[str] = []
    size = 0
    opened: dict[Any, int] = {}
    closed: list[tuple[Any, int, int]] = []
    cursor = 0

    def end_line() -> None:
        nonlocal size, cursor
        line = "".join(parts)
        for element, start, end in closed:
            span = _place(line, start, end, text, cursor, main_words)
            if span:
                cursor = span[1]
            anchor = " ".join(line[start:end].split()) or " ".join(element.text_content().split())
            anchors.append((element.get("href", ""), anchor, span))
        words = " ".join(w.lower() for w in _WORD.findall(line))
        if words and f" {words} " not in main_words:
            lines.append(" ".join(line.split()))
        parts.clear()
        closed.clear()
        size = 0
        for element in opened:  # an anchor around a block goes on in the next line
            opened[element] = 0

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if _BLOCK.fullmatch(tag):
                end_line()
            if tag == "a" and element.get("href"):
                opened[element] = size
            if element.text:
                parts.append(element.text)
                size += len(element.text)
        else:
            if element in opened:
                closed.append((element, opened.pop(element), size))
            if _BLOCK.fullmatch(tag):
                end_line()
            if element.tail and element is not root:
                parts.append(element.tail)
                size += len(element.tail)
    end_line()
    return anchors, list(dict.fromkeys(lines))


def _place(
    line: str, start: int, end: int, text: str, cursor: int, main_words: str
) -> list[int] | None:
    """Where the anchor ``line[start:end]`` is in ``text``: its words, with the words around
    it in its line, found from ``cursor`` on (else anywhere). ``main_words`` (the words of
    ``text``) rules out most anchors before a search."""
    before = _WORD.findall(line[:start])[-_CONTEXT_WORDS:]
    inside = _WORD.findall(line[start:end])
    after = _WORD.findall(line[end:])[:_CONTEXT_WORDS]
    if len(before) + len(inside) + len(after) < 3:
        return None
    if not inside or f" {' '.join(inside).lower()} " not in main_words:
        return None
    anchor = "(" + r"\W+".join(map(re.escape, inside)) + ")"
    compiled = re.compile(r"\W+".join([*map(re.escape, before), anchor, *map(re.escape, after)]))
    found = compiled.search(text, cursor) or compiled.search(text)
    return [found.start(1), found.end(1)] if found else None


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
