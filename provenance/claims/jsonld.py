"""What a page's schema.org JSON-LD says about its article: author, copyright, licence, the
work it is based on, dates.

Only the article's own objects are read (``NewsArticle``, ``BlogPosting``, ``WebPage`` …): an
``ImageObject``'s licence or a ``Person``'s name elsewhere on the page are not the text's.
References by ``@id`` (Yoast's ``"author": {"@id": "…#/schema/person/…"}``) are followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from .fields import MAX_NESTING, Field, Role, as_text

PROPERTIES: dict[str, Role] = {
    "author": "author",
    "creator": "author",
    "copyrightHolder": "copyright",
    "copyrightYear": "date",
    "copyrightNotice": "rights",
    "license": "license",
    "isBasedOn": "source",
    "isBasedOnUrl": "source",
    "datePublished": "date",
    "publisher": "info",
    "creditText": "credit",
}
_ARTICLE_TYPE = re.compile(r"Article|\w*Posting|\w*Page|CreativeWork|Report|Blog")


def _is_article(obj: dict[str, Any]) -> bool:
    types = obj.get("@type", [])
    for name in types if isinstance(types, list) else [types]:
        # "NewsArticle", "schema:NewsArticle", "https://schema.org/NewsArticle"
        short = re.split(r"[/:#]", str(name))[-1]
        if _ARTICLE_TYPE.fullmatch(short) or short.endswith("Article"):
            return True
    return False


def _resolve(value: Any, by_id: dict[str, dict[str, Any]], depth: int = 0) -> Any:
    """``value`` with references (objects holding only an ``@id``) replaced by what they name
    (in lists up to ``MAX_NESTING`` deep: ``as_text`` reads no deeper)."""
    if isinstance(value, list):
        if depth >= MAX_NESTING:
            return []
        return [_resolve(item, by_id, depth + 1) for item in value]
    if isinstance(value, dict) and set(value) <= {"@id", "@type"}:
        return by_id.get(str(value.get("@id")), value)
    return value


def json_ld_fields(objects: Iterable[dict[str, Any]]) -> Iterator[Field]:
    """The fields of the article objects among ``objects``, property by property."""
    objects = list(objects)
    by_id = {str(obj["@id"]): obj for obj in objects if "@id" in obj}
    for obj in filter(_is_article, objects):
        years = tuple(
            map(int, re.findall(r"\b(?:19|20)\d\d\b", as_text(obj.get("copyrightYear")) or ""))
        )
        for name, role in PROPERTIES.items():
            value = _resolve(obj.get(name), by_id)
            # Several works it is based on are several links; several authors one byline.
            values = value if isinstance(value, list) and role == "source" else [value]
            for item in values:
                # A work it is based on, or a licence, is named best by its URL.
                text = as_text(item, prefer_url=role in ("source", "license"))
                if text:
                    yield Field(f"json-ld: {name}", role, text, years * (role == "copyright"))
