"""The page URLs a feed or a sitemap lists.

Feeds: RSS 2.0 (``item/link``, else a permalink ``guid``), RSS 1.0 (``item/link``) and Atom
(``entry/link`` with no ``rel`` or ``rel="alternate"``, resolved against ``xml:base``).
Sitemaps (sitemaps.org): a ``urlset`` lists pages, a ``sitemapindex`` other sitemaps; a plain
text sitemap lists one URL per line. Elements are matched by local name, so feeds and sitemaps
with a missing or old namespace are read too. Only http(s) URLs are returned, each once, in
document order. XML is parsed without entities or network access (no XXE).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree  # type: ignore[import-untyped]


class NotAFeed(ValueError):
    """The text is not a feed (or not a sitemap) this module reads."""


def feed_urls(text: str, base_url: str) -> list[str]:
    """The item links of an RSS or Atom feed. Raises ``NotAFeed``."""
    root, found = _parse(text, base_url)
    name = _local(root) if root is not None else ""
    if name == "feed":  # Atom
        links = (_atom_link(entry) for entry in _children(root, "entry"))
    elif name == "rss":
        channel = next(_children(root, "channel"), None)
        items = _children(channel, "item") if channel is not None else iter(())
        links = (_rss_link(item) for item in items)
    elif name == "RDF":  # RSS 1.0: items are the root's children
        links = (_text(next(_children(item, "link"), None)) for item in _children(root, "item"))
    else:
        raise NotAFeed(f"not an RSS or Atom feed ({found})")
    return _http_urls(links, base_url)


def sitemap_urls(text: str, base_url: str) -> tuple[list[str], list[str]]:
    """``(page URLs, child sitemap URLs)`` of a sitemap or sitemap index. Raises ``NotAFeed``."""
    if not text.lstrip().startswith("<"):  # a text sitemap
        return _http_urls(text.split(), base_url), []
    root, found = _parse(text, base_url)
    name = _local(root) if root is not None else ""
    if name not in ("urlset", "sitemapindex"):
        raise NotAFeed(f"not a sitemap ({found})")
    entry = "url" if name == "urlset" else "sitemap"
    locations = (_text(next(_children(e, "loc"), None)) for e in _children(root, entry))
    urls = _http_urls(locations, base_url)
    return (urls, []) if name == "urlset" else ([], urls)


def _parse(text: str, base_url: str) -> tuple[Any, str]:
    """The root element and its local name (``None`` and a reason when it is not XML)."""
    # the text is already decoded: encoding= overrides what its XML declaration says
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, encoding="utf-8"
    )
    try:
        root = etree.fromstring(text.lstrip("\ufeff").encode("utf-8"), parser, base_url=base_url)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        return None, "not XML"
    return root, f"root element <{_local(root)}>"


def _local(element: Any) -> str:
    return str(etree.QName(element).localname) if isinstance(element.tag, str) else ""


def _children(element: Any, name: str) -> Iterator[Any]:
    return (child for child in element if _local(child) == name)


def _text(element: Any) -> str | None:
    return (element.text or "").strip() or None if element is not None else None


def _rss_link(item: Any) -> str | None:
    link = _text(next(_children(item, "link"), None))
    if link:
        return link
    guid = next(_children(item, "guid"), None)
    if guid is not None and guid.get("isPermaLink", "true").strip().lower() != "false":
        return _text(guid)
    return None


def _atom_link(entry: Any) -> str | None:
    links = [
        link
        for link in _children(entry, "link")
        if link.get("href") and link.get("rel", "alternate").strip() == "alternate"
    ]
    # several alternates (e.g. translations, PDF): the HTML one first
    links.sort(key=lambda link: link.get("type", "text/html") != "text/html")
    if not links:
        return None
    return urljoin(links[0].base or "", str(links[0].get("href")).strip())


def _http_urls(candidates: Iterable[str | None], base_url: str) -> list[str]:
    urls = (urljoin(base_url, url) for url in candidates if url)
    return list(dict.fromkeys(u for u in urls if urlsplit(u).scheme in ("http", "https")))
