"""Which responses are read, and how their bytes become text.

Pages and feeds must be HTML, XHTML, plain text or XML (RSS, Atom); sitemaps may also come
gzip-compressed as files. The charset is taken, in this order, from a byte order mark, the
``Content-Type`` header, the document's own declaration (``<meta charset>``, the XML
declaration), and is otherwise UTF-8, with undecodable bytes replaced.
"""

from __future__ import annotations

import codecs
import re
import zlib
from email.message import Message

from .models import Kind

TEXT_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
GZIP_TYPES = frozenset({"application/gzip", "application/x-gzip", "application/octet-stream"})
GZIP_MAGIC = b"\x1f\x8b"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its little-endian BOM begins with UTF-16's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x">, and
# <?xml version="1.0" encoding="x"?>, looked for in the first 1024 bytes as HTML prescribes.
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.I,
)


class TooLarge(Exception):
    """A body larger than allowed."""


class CorruptData(ValueError):
    """A body that claims a format it does not have."""


def parse_content_type(header: str | None) -> tuple[str | None, str | None]:
    """The media type (lower case) and charset of a ``Content-Type`` header."""
    if not header:
        return None, None
    message = Message()
    message["content-type"] = header
    charset = message.get_param("charset")
    return message.get_content_type(), charset if isinstance(charset, str) else None


def accepted(media_type: str | None, kind: Kind) -> bool:
    if media_type in TEXT_TYPES:
        return True
    return kind == "sitemap" and media_type in GZIP_TYPES


def gunzip(body: bytes, max_bytes: int) -> bytes:
    """``body`` decompressed if it is gzip data, else as it is. Raises ``TooLarge`` as soon as
    the output passes ``max_bytes`` (a small file may inflate to gigabytes)."""
    if not body.startswith(GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as error:
        raise CorruptData(f"invalid gzip data: {error}") from error
    if len(data) > max_bytes:
        raise TooLarge(f"larger than {max_bytes} bytes once decompressed")
    return data


def decode(body: bytes, charset: str | None) -> str:
    """The text of ``body``; ``charset`` is the one the ``Content-Type`` header named."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    declared = _DECLARED.search(body[:1024])
    in_document = (declared[1] or declared[2]).decode("ascii") if declared else None
    encoding = _codec(charset) or _codec(in_document) or "utf-8"
    return body.decode(encoding, errors="replace")


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip())
    except LookupError:
        return None
    # HTML reads pages labelled ISO-8859-1 or ASCII as Windows-1252, a superset they use
    if codec.name in ("iso8859-1", "ascii"):
        return "cp1252"
    return codec.name
