"""A metadata field (front matter, HTML meta, JSON-LD), and the claims it makes.

Every field read becomes a ``metadata`` claim; a field whose meaning is known also becomes the
typed claim it implies (an author a ``byline``, a licence a ``license``, a canonical or source
URL a ``link``, a copyright holder a ``copyright``), so rules only need the typed kinds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from ..licences import UNNAMED_CC, parse_licence
from ..models import Claim
from .agencies import agencies_in
from .copyright import copyright_claims, strip_trailing_year, years_in

# What a field means: ``author``; ``license``; ``link`` (a URL to the original); ``source``
# (a URL, or the name of where the text comes from); ``rights`` (a licence, else a copyright
# statement); ``copyright`` (a copyright holder or statement); ``credit``; ``date``; ``info``
# (read and shown, nothing more).
Role = Literal[
    "author", "license", "link", "source", "rights", "copyright", "credit", "date", "info"
]

MAX_NESTING = 8  # lists inside lists deeper than this say nothing a field means

_URL = re.compile(r"(?:https?:)?//\S+$", re.I)
_LEADING_YEAR = re.compile(r"\s*((?:19|20)\d\d)\b")
_COPYRIGHT_MARK = re.compile(r"^\W*(?:copyright\b|©|\(c\))[\s.,:]*", re.I)


@dataclass(frozen=True)
class Field:
    origin: str  # "front matter: author", "meta: copyright", "json-ld: copyrightHolder"
    role: Role
    value: str
    years: tuple[int, ...] = ()  # for a copyright holder: the copyright years given beside it


def as_text(value: Any, prefer_url: bool = False) -> str | None:
    """A field's value as text: names of objects (``{"name": …}``, or their ``url`` first if
    ``prefer_url``), lists joined by commas, dates in ISO form.

    YAML aliases can make a list hold itself, or the same list many times over ("billion
    laughs"): each list is read once, and lists nested deeper than ``MAX_NESTING`` are left
    out."""
    return ", ".join(text for text in _texts(value, prefer_url, set(), 0) if text) or None


def _texts(value: Any, prefer_url: bool, seen: set[int], depth: int) -> Iterator[str]:
    if isinstance(value, dict):
        keys = ("url", "@id", "name") if prefer_url else ("name", "url", "@id")
        value = next((value[k] for k in keys if value.get(k)), None)
    if isinstance(value, list):
        if depth < MAX_NESTING and id(value) not in seen:
            seen.add(id(value))
            for item in value:
                yield from _texts(item, prefer_url, seen, depth + 1)
    elif isinstance(value, dt.date | dt.datetime):
        yield value.isoformat()
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        yield " ".join(str(value).split())  # empty ones are dropped by ``as_text``


def is_url(value: str) -> bool:
    return bool(_URL.match(value))


def _copyright(field: Field) -> Claim:
    written = next(copyright_claims(field.value), None)
    if written:
        holder, years = written.holder, written.years
    else:  # a bare holder ("Example News"), with the years beside it if any
        holder = strip_trailing_year(_COPYRIGHT_MARK.sub("", field.value))
        years = field.years or years_in(field.value)
    return Claim("copyright", field.value, (0, 0), holder, years, origin=field.origin)


def _typed(field: Field) -> Claim | None:
    value, origin = field.value, field.origin
    role = field.role
    if role == "source":
        role = "link" if is_url(value) else "credit"
    if role == "rights":
        licence = parse_licence(value)
        role = "license" if licence and licence.family != "other" else "copyright"
    if role == "author" and not is_url(value):  # article:author is often a profile's URL
        # An agency as the author ("Reuters", "By Tom Krisher, AP Auto Writer") is agency copy.
        return Claim("byline", value, (0, 0), value, agencies=agencies_in(value), origin=origin)
    licence = parse_licence(value) if role == "license" else None
    if licence and licence.spdx != UNNAMED_CC:  # "Creative Commons" alone names no licence
        url = value if is_url(value) else None
        return Claim("license", value, (0, 0), license=licence.spdx, url=url, origin=origin)
    if role == "link" and is_url(value):
        return Claim("link", value, (0, 0), url=value, origin=origin)
    if role == "credit":
        return Claim("credit", value, (0, 0), value, origin=origin)
    if role == "copyright":
        return _copyright(field)
    return None


def field_claims(field: Field) -> Iterator[Claim]:
    """The ``metadata`` claim of ``field``, then the typed claim it implies, if any."""
    years = field.years
    if field.role == "date" and (year := _LEADING_YEAR.match(field.value)):
        years = (int(year.group(1)),)
    yield Claim("metadata", field.value, (0, 0), field.value, years, origin=field.origin)
    typed = _typed(field)
    if typed:
        yield typed
